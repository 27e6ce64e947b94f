import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppConfig } from 'src/config/app.config';

/**
 * JWT_SECRET, or one generated on first start and kept under $DATA_DIR (mode 0600) so tokens
 * survive restarts. Config refuses DB_TYPE=mysql without JWT_SECRET, where processes must share it.
 */
export function resolveJwtSecret(config: AppConfig): string {
  if (config.auth.jwtSecret) {
    return config.auth.jwtSecret;
  }
  const dir = join(config.dataDir, 'secrets');
  const file = join(dir, 'jwt-secret');
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
