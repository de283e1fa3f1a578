// Every file this app writes (signed transactions, responses, session summaries, key-ceremony backups) goes
// through here, so that a crash, a full disk or a yanked USB drive never leaves a half-written file under a
// final name, and an existing file is never clobbered unless the caller explicitly asks.
//
// Steps:
// 1. A name longer than 255 bytes is refused before the drive is touched (output_name_too_long).
// 2. Our own stale temp files in the folder are removed (sweepStaleTemps below).
// 3. The bytes go to a new temp file in the same folder (same file system, so the last step is one directory
//    operation), created exclusively under a short name of fixed length, `.offline-signer.<12 hex>.partial`, and
//    fsynced.
// 4. The temp file gets its final name:
//    - overwrite: rename over the target.
//    - no overwrite, where the file system has hard links (ext4, NTFS, APFS, ...): link() the temp to the final
//      name. link fails with EEXIST atomically when the name is taken (unlike a check-then-rename race), and the
//      final name appears complete or not at all.
//    - no overwrite, where link() is refused (FAT32, exFAT: no hard links): reserve the final name with an
//      exclusive create (O_CREAT|O_EXCL: atomic, and EEXIST for a name taken in any letter case on these
//      case-insensitive drives), then rename the temp over that empty reservation. The rename replaces only the
//      empty file we created a moment before, and only after checking it is still that file and still empty; a
//      power cut between the two steps can leave the empty reservation under the final name, never partial bytes.
// 5. The folder is fsynced so the new entry survives a power cut, and the temp name is removed. On any failure
//    the temp file is removed too.
// What each file system guarantees, and what a power cut can leave, is in the README ("Writing files").
import * as nodeFs from 'node:fs';
import type { BigIntStats } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { SignerError, type ErrorCode } from '../../shared/errors';

export class OutputFileError extends SignerError {
  constructor(message: string, code: ErrorCode) {
    super('OutputFileError', message, code);
  }
}

/** The file-system calls a write makes: node:fs by default, injectable so tests can play a FAT drive or a race. */
export type AtomicFs = Pick<
  typeof nodeFs,
  'openSync' | 'writeSync' | 'fsyncSync' | 'closeSync' | 'fstatSync' | 'lstatSync' | 'linkSync' | 'renameSync' | 'unlinkSync' | 'readdirSync' | 'readFileSync'
>;

export interface WriteOptions {
  /** Replace an existing file. Default false: an existing target is an error and is left untouched. */
  overwrite?: boolean;
  /** File mode of the new file (default 0o644; use 0o600 for anything sensitive). */
  mode?: number;
  /** The file system (default node:fs); tests inject one. */
  fs?: AtomicFs;
}

/** The longest file name written: NAME_MAX of ext4 and Linux generally (FAT, exFAT and NTFS count 255 UTF-16 units). */
export const NAME_MAX_BYTES = 255;

/** A temp file untouched for this long belongs to no running write (ours take milliseconds) and is swept. */
export const STALE_TEMP_MS = 10 * 60_000;

/** Our temp files; the second form (`.<output name>.<12 hex>.partial`) is what versions before this one wrote. */
const TEMP_NAME = /^\.offline-signer\.[0-9a-f]{12}\.partial$/;
const LEGACY_TEMP_NAME = /^\..+\.[0-9a-f]{12}\.partial$/;
export const isOwnTempName = (name: string): boolean => TEMP_NAME.test(name) || LEGACY_TEMP_NAME.test(name);
const newTempName = () => `.offline-signer.${randomBytes(6).toString('hex')}.partial`;

// link() refused because the file system has no hard links: EPERM on Linux (vfat, exfat and the FUSE drivers,
// measured), EOPNOTSUPP/ENOTSUP on macOS (msdosfs, exfat), ENOSYS from some FUSE drivers, and on Windows libuv's
// names for ERROR_INVALID_FUNCTION (EISDIR) and ERROR_NOT_SUPPORTED (ENOTSUP), which CreateHardLink gives there.
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EISDIR']);

const errnoOf = (e: unknown): string | undefined => (e as NodeJS.ErrnoException).code;

function describeErrno(e: unknown): string {
  const code = errnoOf(e);
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

function nameTooLong(path: string): OutputFileError {
  const bytes = Buffer.byteLength(basename(path));
  const why =
    bytes > NAME_MAX_BYTES
      ? `its name is ${bytes} bytes long (UTF-8), and file systems allow at most ${NAME_MAX_BYTES}`
      : `the file system refused the name as too long (${bytes} bytes; the whole path is ${Buffer.byteLength(path)})`;
  return new OutputFileError(`could not write ${path}: ${why}; nothing was written (choose a shorter name)`, 'output_name_too_long');
}

function writeFailed(path: string, e: unknown): OutputFileError {
  if (errnoOf(e) === 'ENAMETOOLONG') return nameTooLong(path);
  return new OutputFileError(`could not write ${path}: ${describeErrno(e)}`, 'output_write_failed');
}

function alreadyExists(path: string, fs: AtomicFs): OutputFileError {
  let empty = false;
  try {
    const st = fs.lstatSync(path);
    empty = st.isFile() && st.size === 0;
  } catch {
    // gone again: still not ours to write
  }
  // An empty file is what a power cut between the reservation and the rename leaves on FAT and exFAT (above).
  const note = empty ? ' (it is empty: if an earlier write to it was interrupted, remove it and write again)' : '';
  return new OutputFileError(`${path} already exists${note}; it was left untouched (choose another name or remove it first)`, 'output_exists');
}

function fsyncDir(dir: string, fs: AtomicFs): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Some filesystems (and Windows) cannot fsync a directory; the file itself is already synced.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

const sameFile = (a: BigIntStats, b: BigIntStats) => a.ino === b.ino && a.dev === b.dev;

/**
 * True when another (non-temp) file in the folder holds exactly the stale temp's bytes under another inode. On FAT
 * and exFAT a rename cut short by a power loss can leave the temp entry and the final entry pointing at the same
 * clusters (drivers write the new entry before removing the old); deleting the temp name would then free the
 * final file's clusters. Such a temp is left for chkdsk / fsck.vfat, which separates cross-linked files.
 */
function mayShareClusters(dir: string, temp: string, st: BigIntStats, names: string[], fs: AtomicFs): boolean {
  if (st.size === 0n) return false; // no clusters to share
  let bytes: Buffer | undefined;
  for (const other of names) {
    if (isOwnTempName(other)) continue;
    const path = join(dir, other);
    const o = fs.lstatSync(path, { bigint: true });
    if (!o.isFile() || o.size !== st.size || sameFile(o, st)) continue; // a hard link is only a second name
    bytes ??= fs.readFileSync(join(dir, temp));
    if (fs.readFileSync(path).equals(bytes)) return true;
  }
  return false;
}

/**
 * Removes our own temp files that a killed process or a power cut left in `dir`: only regular files named as our
 * temp files are (isOwnTempName), untouched for STALE_TEMP_MS (by modification time; a concurrent write's temp
 * is younger), and not possibly sharing clusters with a finished file (mayShareClusters). Nothing else is ever
 * removed. Best effort: a sweep that fails never fails the write. Returns the names removed.
 */
export function sweepStaleTemps(dir: string, fs: AtomicFs = nodeFs, now = Date.now()): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return []; // the write itself reports a missing folder
  }
  const removed: string[] = [];
  for (const name of names.filter(isOwnTempName)) {
    try {
      const st = fs.lstatSync(join(dir, name), { bigint: true });
      if (!st.isFile() || now - Number(st.mtimeMs) < STALE_TEMP_MS) continue;
      if (mayShareClusters(dir, name, st, names, fs)) continue;
      fs.unlinkSync(join(dir, name));
      removed.push(name);
    } catch {
      // read-only drive, or gone meanwhile: leave it
    }
  }
  return removed;
}

/** No-overwrite publish where link() is refused: exclusive reservation of the final name, then rename over it. */
function renameOverReservation(temp: string, path: string, fs: AtomicFs, mode: number): void {
  let reservation: BigIntStats;
  try {
    const fd = fs.openSync(path, 'wx', mode);
    try {
      reservation = fs.fstatSync(fd, { bigint: true });
    } finally {
      fs.closeSync(fd);
    }
  } catch (e) {
    if (errnoOf(e) === 'EEXIST') throw alreadyExists(path, fs);
    throw writeFailed(path, e);
  }
  // Still the empty file we created? A program writing into it meanwhile (without O_EXCL) made it its own.
  const stillOurs = () => {
    try {
      const now = fs.lstatSync(path, { bigint: true });
      return now.isFile() && now.size === 0n && sameFile(now, reservation);
    } catch {
      return false;
    }
  };
  if (!stillOurs()) {
    throw new OutputFileError(`${path} was created by something else while it was being written; it was left untouched (choose another name or remove it first)`, 'output_exists');
  }
  try {
    fs.renameSync(temp, path);
  } catch (e) {
    if (stillOurs()) {
      try {
        fs.unlinkSync(path);
      } catch {
        // an empty file under the name: alreadyExists says so on the next attempt
      }
    }
    throw writeFailed(path, e);
  }
}

export function writeFileAtomic(path: string, data: string | Uint8Array, opts: WriteOptions = {}): void {
  const fs = opts.fs ?? nodeFs;
  const mode = opts.mode ?? 0o644;
  if (Buffer.byteLength(basename(path)) > NAME_MAX_BYTES) throw nameTooLong(path);
  const dir = dirname(path);
  sweepStaleTemps(dir, fs);
  const temp = join(dir, newTempName());
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  let fd: number | undefined;
  let tempExists = false;
  try {
    try {
      fd = fs.openSync(temp, 'wx', mode);
      tempExists = true;
      let offset = 0;
      while (offset < bytes.length) offset += fs.writeSync(fd, bytes, offset, bytes.length - offset);
      fs.fsyncSync(fd);
      fs.closeSync(fd);
      fd = undefined;
    } catch (e) {
      throw writeFailed(path, e);
    }
    if (opts.overwrite) {
      try {
        fs.renameSync(temp, path);
        tempExists = false;
      } catch (e) {
        throw writeFailed(path, e);
      }
    } else {
      try {
        fs.linkSync(temp, path);
      } catch (e) {
        if (errnoOf(e) === 'EEXIST') throw alreadyExists(path, fs);
        if (!NO_HARD_LINKS.has(errnoOf(e) ?? '')) throw writeFailed(path, e);
        renameOverReservation(temp, path, fs, mode);
        tempExists = false;
      }
    }
    fsyncDir(dir, fs);
  } finally {
    if (fd !== undefined) {
      try {
        fs.closeSync(fd);
      } catch {
        // already failing; the original error is what matters
      }
    }
    if (tempExists) {
      try {
        fs.unlinkSync(temp);
      } catch {
        // nothing more we can do; the name is unmistakably ours, and the next write's sweep removes it
      }
    }
  }
}
