import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppConfig } from 'src/config/app.config';

/**
 * A secret generated on first start and kept under $DATA_DIR/secrets (mode 0600), so it survives
 * restarts. Only for the embedded mode: config refuses DB_TYPE=mysql without explicit secrets,
 * since processes that share a database do not share a disk.
 */
export function persistedSecret(dataDir: string, name: string): string {
  const dir = join(dataDir, 'secrets');
  const file = join(dir, name);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  try {
    writeFileSync(file, randomBytes(48).toString('base64url'), { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw error;
    }
  }
  chmodSync(file, 0o600);
  return readFileSync(file, 'utf8').trim();
}

export const resolveJwtSecret = (config: AppConfig): string =>
  config.auth.jwtSecret ?? persistedSecret(config.dataDir, 'jwt-secret');

export const resolveWebhookSecret = (config: AppConfig): string =>
  config.webhooks.secret ?? persistedSecret(config.dataDir, 'webhook-secret');
