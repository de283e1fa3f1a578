// How the ceremony writes: every file atomically (output/atomic-write.ts), key material mode 0600, never over an
// existing file. The one file that is replaced, a key file a new wallet is added to, is first copied whole to a
// new name beside it (read back and compared) and only replaced when the operator explicitly asked for it.
import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { writeFileAtomic } from '../output/atomic-write';
import { CeremonyError } from './errors';

export const SECRET_MODE = 0o600;

/** A new file, never over an existing one (output_exists), read back and compared. */
export function writeNewFile(path: string, data: string | Uint8Array, mode = SECRET_MODE): void {
  writeFileAtomic(path, data, { mode });
  const back = readFileSync(path);
  const want = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data);
  if (!back.equals(want)) throw new CeremonyError(`${basename(path)} did not read back as written; check the drive and write it again`, 'ceremony_file_invalid');
}

/** `keys.json` -> `keys.before-20261207T031500Z.json`: where the old key file is kept before it is replaced. */
export function keptCopyName(path: string, now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  const name = basename(path).replace(/(\.json)?$/i, `.before-${stamp}.json`);
  return join(dirname(path), name);
}

/**
 * Replaces a key file with `next`, keeping its old bytes under keptCopyName first. Returns the kept copy's path.
 * The replacement is atomic (rename), so the key file is the old one or the new one, never a mix.
 */
export function replaceKeepingOld(path: string, next: string, now: Date): string {
  const old = readFileSync(path);
  const kept = keptCopyName(path, now);
  writeNewFile(kept, old);
  writeFileAtomic(path, next, { overwrite: true, mode: SECRET_MODE });
  if (readFileSync(path, 'utf8') !== next) throw new CeremonyError(`${basename(path)} did not read back as written; the old one is kept as ${basename(kept)}`, 'ceremony_file_invalid');
  return kept;
}
