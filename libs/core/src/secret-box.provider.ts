import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { AppConfig } from './config.js';
import { SecretBox } from './secret-box.js';

/**
 * The application key: APP_SECRET_KEY when set, else `app-secret.key` under the data directory, created on first
 * start with owner-only permissions. Losing it makes TOTP enrolments unreadable, so back it up with the database.
 */
export function loadSecretBox(config: AppConfig): SecretBox {
  if (config.appSecretKey) return new SecretBox(Buffer.from(config.appSecretKey, 'base64'));
  const path = join(config.dataDir, 'app-secret.key');
  if (!existsSync(path)) {
    mkdirSync(config.dataDir, { recursive: true });
    writeFileSync(path, randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' });
  }
  chmodSync(path, 0o600);
  return new SecretBox(Buffer.from(readFileSync(path, 'utf8').trim(), 'base64'));
}
