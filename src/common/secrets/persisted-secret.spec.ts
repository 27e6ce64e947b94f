import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAppConfig } from 'src/config/app.config';
import { resolveJwtSecret, resolveWebhookSecret } from 'src/common/secrets/persisted-secret';

describe('persisted secrets', () => {
  let dataDir: string;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'reelsmith-secret-'));
  });

  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('uses the configured secret when given', () => {
    const config = loadAppConfig({ DATA_DIR: dataDir, JWT_SECRET: 's'.repeat(40), WEBHOOK_SECRET: 'w'.repeat(20) });
    expect(resolveJwtSecret(config)).toBe('s'.repeat(40));
    expect(resolveWebhookSecret(config)).toBe('w'.repeat(20));
  });

  it('generates each secret once, keeps it private under DATA_DIR and reuses it', () => {
    const config = loadAppConfig({ DATA_DIR: dataDir });
    const jwt = resolveJwtSecret(config);
    expect(jwt.length).toBeGreaterThanOrEqual(48);
    expect(resolveJwtSecret(config)).toBe(jwt);
    expect(resolveWebhookSecret(config)).not.toBe(jwt);
    expect(statSync(join(dataDir, 'secrets', 'jwt-secret')).mode & 0o777).toBe(0o600);
  });
});
