import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, linkSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export interface AtomicWriteOptions {
  /** Permissions of the new file (default 0o600: key files are the reason this exists). */
  mode?: number;
  /** Fail with EEXIST instead of replacing a file already at `path` (like the `wx` flag). */
  exclusive?: boolean;
}

/**
 * Writes `data` to `path` so that `path` holds either its old content or all of `data`, never a part: the bytes go
 * to a temporary file beside it, are flushed to disk, and only then take the name (a rename, or a hard link when
 * `exclusive`, which refuses an existing file atomically). On a full disk this throws and leaves no file behind.
 */
export function writeFileAtomically(
  path: string,
  data: string | Uint8Array,
  options: AtomicWriteOptions = {},
): void {
  const directory = dirname(path);
  const temporary = join(directory, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const fd = openSync(temporary, 'wx', options.mode ?? 0o600);
    try {
      const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
      for (let written = 0; written < bytes.length;) {
        written += writeSync(fd, bytes, written, bytes.length - written);
      }
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    if (options.exclusive) linkSync(temporary, path);
    else renameSync(temporary, path);
    syncDirectory(directory);
  } finally {
    rmSync(temporary, { force: true });
  }
}

/** Makes the new name itself durable; some platforms cannot open a directory for syncing, which is no error. */
function syncDirectory(directory: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(directory, 'r');
    fsyncSync(fd);
  } catch {
    // best effort
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
