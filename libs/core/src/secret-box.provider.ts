import { chmodSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { writeFileAtomically } from './atomic-file.js';
import type { AppConfig } from './config.js';
import { SecretBox } from './secret-box.js';

/**
 * The application key: APP_SECRET_KEY when set, else `app-secret.key` under the data directory, created on first
 * start with owner-only permissions. Losing it makes TOTP enrolments unreadable, so back it up with the database.
 * The file is written whole or not at all (a full disk fails the start, and the next start tries again); an empty
 * file, which earlier versions left on a full disk, never held a key that sealed anything and is replaced.
 */
export function loadSecretBox(config: AppConfig): SecretBox {
  if (config.appSecretKey) return new SecretBox(Buffer.from(config.appSecretKey, 'base64'));
  const path = join(config.dataDir, 'app-secret.key');
  const size = fileSize(path);
  if (size === undefined || size === 0) {
    mkdirSync(config.dataDir, { recursive: true });
    try {
      writeFileAtomically(path, randomBytes(32).toString('base64'), {
        mode: 0o600,
        exclusive: size === undefined,
      });
    } catch (error) {
      // Another process created it first: use theirs.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  chmodSync(path, 0o600);
  return new SecretBox(Buffer.from(readFileSync(path, 'utf8').trim(), 'base64'));
}

function fileSize(path: string): number | undefined {
  try {
    return statSync(path).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
