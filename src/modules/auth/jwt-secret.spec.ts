import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAppConfig } from 'src/config/app.config';
import { resolveJwtSecret } from 'src/modules/auth/jwt-secret';

describe(resolveJwtSecret.name, () => {
  let dataDir: string;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'reelsmith-secret-'));
  });

  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('uses JWT_SECRET when given', () => {
    const secret = 's'.repeat(40);
    expect(resolveJwtSecret(loadAppConfig({ DATA_DIR: dataDir, JWT_SECRET: secret }))).toBe(secret);
  });

  it('generates a secret once, keeps it private under DATA_DIR and reuses it', () => {
    const config = loadAppConfig({ DATA_DIR: dataDir });
    const first = resolveJwtSecret(config);
    expect(first.length).toBeGreaterThanOrEqual(48);
    expect(resolveJwtSecret(config)).toBe(first);
    expect(statSync(join(dataDir, 'secrets', 'jwt-secret')).mode & 0o777).toBe(0o600);
  });
});
