// Every file this app writes (signed transactions, responses, session summaries, key-ceremony backups) goes
// through here, so that a crash, a full disk or a yanked USB drive never leaves a half-written file under a
// final name, and an existing file is never clobbered unless the caller explicitly asks.
//
// Steps: write a temp file in the same directory (same filesystem, so the final step is atomic), fsync it,
// then either rename over the target (overwrite) or link() it to the target (no overwrite: link fails with
// EEXIST atomically, unlike a check-then-rename race), remove the temp name, and fsync the directory so the new
// entry survives power loss. On any failure the temp file is removed.
import { closeSync, fsyncSync, linkSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { SignerError, type ErrorCode } from '../../shared/errors';

export class OutputFileError extends SignerError {
  constructor(message: string, code: ErrorCode) {
    super('OutputFileError', message, code);
  }
}

export interface WriteOptions {
  /** Replace an existing file. Default false: an existing target is an error and is left untouched. */
  overwrite?: boolean;
  /** File mode of the new file (default 0o644; use 0o600 for anything sensitive). */
  mode?: number;
}

function describeErrno(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return 'the folder does not exist (was the drive removed?)';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied (is the drive read-only?)';
    case 'ENOSPC':
      return 'the drive is full';
    case 'EROFS':
      return 'the drive is mounted read-only';
    case 'EIO':
      return 'input/output error (was the drive removed?)';
    default:
      return code ?? 'unknown error';
  }
}

function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Some filesystems (and Windows) cannot fsync a directory; the file itself is already synced.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

export function writeFileAtomic(path: string, data: string | Uint8Array, opts: WriteOptions = {}): void {
  const dir = dirname(path);
  const temp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.partial`);
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  let fd: number | undefined;
  let tempExists = false;
  try {
    try {
      fd = openSync(temp, 'wx', opts.mode ?? 0o644);
      tempExists = true;
      let offset = 0;
      while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset);
      fsyncSync(fd);
      closeSync(fd);
      fd = undefined;
    } catch (e) {
      throw new OutputFileError(`could not write ${path}: ${describeErrno(e)}`, 'output_write_failed');
    }
    if (opts.overwrite) {
      try {
        renameSync(temp, path);
        tempExists = false;
      } catch (e) {
        throw new OutputFileError(`could not write ${path}: ${describeErrno(e)}`, 'output_write_failed');
      }
    } else {
      try {
        linkSync(temp, path);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EEXIST') {
          throw new OutputFileError(`${path} already exists; it was left untouched (choose another name or remove it first)`, 'output_exists');
        }
        throw new OutputFileError(`could not write ${path}: ${describeErrno(e)}`, 'output_write_failed');
      }
    }
    fsyncDir(dir);
  } finally {
    if (fd !== undefined) {
      try {
        closeSync(fd);
      } catch {
        // already failing; the original error is what matters
      }
    }
    if (tempExists) {
      try {
        unlinkSync(temp);
      } catch {
        // nothing more we can do; the name is unmistakably temporary (.partial)
      }
    }
  }
}
