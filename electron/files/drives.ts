// Removable drives and the request files on them. The renderer never names a path: it asks main for "the
// drives", "the candidate files on drive N" and "import these", and main decides what those mean.
//
// Where operating systems mount removable media:
// - Linux (udisks2): /media/<user>/<label> (Debian, Ubuntu) and /run/media/<user>/<label> (Fedora, Arch);
//   /mnt/<name> for manual mounts.
// - macOS: /Volumes/<label> (the boot volume also appears there, as a symlink to /, and is skipped).
// - Windows: drive letters; A:..C: are skipped (floppy and system), the rest are offered.
import { existsSync, lstatSync, readFileSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { SignerError, type ErrorCode } from '../../shared/errors';

/** A request file that cannot be read from the drive: outside it, gone, not a file, or too large. */
export class FileAccessError extends SignerError {
  constructor(message: string, code: ErrorCode) {
    super('FileAccessError', message, code);
  }
}

export interface Drive {
  /** Stable id for this listing (the mount path itself stays in main). */
  id: string;
  label: string;
  path: string;
}

export interface DriveEnv {
  platform: NodeJS.Platform;
  user: string;
  /** Root prefix, for tests: the mount points are looked up under it. */
  root?: string;
}

function subdirs(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((d) => d.isDirectory() || d.isSymbolicLink())
      .map((d) => join(dir, d.name))
      .filter((p) => {
        try {
          return statSync(p).isDirectory();
        } catch {
          return false;
        }
      });
  } catch {
    return [];
  }
}

export function mountRoots(env: DriveEnv): string[] {
  const r = env.root ?? '';
  switch (env.platform) {
    case 'darwin':
      return [join(r, '/Volumes')];
    case 'win32':
      return [];
    default:
      return [join(r, '/media', env.user), join(r, '/run/media', env.user), join(r, '/mnt')];
  }
}

export function listDrives(env: DriveEnv): Drive[] {
  const paths: string[] = [];
  if (env.platform === 'win32') {
    for (const letter of 'DEFGHIJKLMNOPQRSTUVWXYZ') if (existsSync(`${letter}:\\`)) paths.push(`${letter}:\\`);
  } else {
    for (const root of mountRoots(env)) {
      for (const p of subdirs(root)) {
        // macOS lists the boot volume as a symlink to "/": never offer the system disk as a "drive".
        if (env.platform === 'darwin' && lstatSync(p).isSymbolicLink() && realpathSync(p) === '/') continue;
        paths.push(p);
      }
    }
  }
  return paths.sort().map((path, i) => ({ id: `drive-${i + 1}`, label: basename(path) || path, path }));
}

/** Files that can hold a request or a PSBT. Signed outputs of this app are not offered again as input. */
const CANDIDATE_EXTENSIONS = new Set(['.json', '.psbt', '.txt', '.hex', '.b64', '.base64']);
export const MAX_REQUEST_FILE_BYTES = 16 * 1024 * 1024;
/** How deep below a drive's top folder candidate files are looked for. */
const MAX_DEPTH = 2;
const MAX_CANDIDATES = 500;

export interface CandidateFile {
  /** Path relative to the drive, with "/" separators: what the operator sees and what the renderer sends back. */
  name: string;
  size: number;
  modifiedMs: number;
  /** Why it cannot be imported, if it cannot (too large). */
  problem?: string;
}

export function isSignedOutputName(name: string): boolean {
  return /\.signed(-\d+)?\.[a-z0-9]+$/i.test(name);
}

export function listCandidateFiles(drivePath: string): CandidateFile[] {
  const out: CandidateFile[] = [];
  const walk = (dir: string, rel: string, depth: number) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (out.length >= MAX_CANDIDATES) return;
      if (e.name.startsWith('.')) continue; // hidden files, our own .partial temp files, macOS ._ files
      const full = join(dir, e.name);
      const relName = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory() && depth < MAX_DEPTH) walk(full, relName, depth + 1);
      else if (e.isFile() && CANDIDATE_EXTENSIONS.has(extname(e.name).toLowerCase()) && !isSignedOutputName(e.name)) {
        const st = statSync(full);
        out.push({
          name: relName,
          size: st.size,
          modifiedMs: st.mtimeMs,
          ...(st.size > MAX_REQUEST_FILE_BYTES ? { problem: `larger than ${MAX_REQUEST_FILE_BYTES / 1024 / 1024} MB` } : {}),
        });
      }
    }
  };
  walk(drivePath, '', 0);
  return out;
}

/**
 * Resolves a candidate name sent back by the renderer to a path INSIDE the drive, refusing anything else
 * (absolute paths, "..", symlinks leading out of the drive) even though the renderer only sends names it was given.
 */
export function resolveOnDrive(drivePath: string, name: string): string {
  const bad = (why: string) => new FileAccessError(`refusing file ${JSON.stringify(name.slice(0, 200))}: ${why}`, 'file_outside_drive');
  if (typeof name !== 'string' || name.length === 0 || name.length > 1024) throw bad('not a file name');
  const parts = name.split('/');
  if (parts.some((p) => p === '' || p === '.' || p === '..' || p.includes('\\') || p.includes('\0'))) throw bad('not a plain relative name');
  const full = join(drivePath, ...parts);
  let real: string;
  try {
    real = realpathSync(full);
  } catch {
    throw new FileAccessError(`${name} is no longer on the drive (was it removed?)`, 'file_missing');
  }
  const driveReal = realpathSync(drivePath);
  if (real !== driveReal && !real.startsWith(driveReal.endsWith('/') ? driveReal : `${driveReal}/`) && !real.startsWith(`${driveReal}\\`)) {
    throw bad('it leads outside the drive');
  }
  return real;
}

/** Reads one request file from a drive, with the size cap and an error that says which file and why. */
export function readRequestFile(drivePath: string, name: string): Uint8Array {
  const path = resolveOnDrive(drivePath, name);
  const st = statSync(path);
  if (!st.isFile()) throw new FileAccessError(`${name} is not a file`, 'file_not_regular');
  if (st.size > MAX_REQUEST_FILE_BYTES) {
    throw new FileAccessError(`${name} is ${st.size} bytes; requests larger than ${MAX_REQUEST_FILE_BYTES} bytes are refused`, 'file_too_large');
  }
  return new Uint8Array(readFileSync(path));
}
