// Writing a signed result next to its request: the naming convention, never overwriting, atomic write, and a
// read-back that proves the bytes on the drive are the bytes we meant to write.
import { readFileSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { OutputFileError, writeFileAtomic } from './atomic-write';

/**
 * `<request name without extension>.signed.<json|psbt|txt>`: a signed Express response is JSON, a signed bare PSBT
 * keeps the input's encoding (binary .psbt, or base64/hex text). Example: `payroll-0423.json` ->
 * `payroll-0423.signed.json`; `vault.psbt` -> `vault.signed.psbt`.
 */
export function signedName(requestName: string, kind: 'json' | 'psbt' | 'text'): string {
  const base = basename(requestName, extname(requestName));
  return `${base}.signed.${kind === 'json' ? 'json' : kind === 'psbt' ? 'psbt' : 'txt'}`;
}

/** Writes atomically (never over an existing file), then reads the file back and compares every byte. */
export function writeVerified(path: string, data: Uint8Array | string): void {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data);
  writeFileAtomic(path, bytes);
  let back: Buffer;
  try {
    back = readFileSync(path);
  } catch {
    throw new OutputFileError(`${path} was written but cannot be read back (was the drive removed?); do not trust it`, 'output_verify_failed');
  }
  if (!back.equals(bytes)) {
    throw new OutputFileError(`${path} reads back differently from what was written (faulty drive?); do not use it`, 'output_verify_failed');
  }
}

export function signedPathFor(requestPath: string, kind: 'json' | 'psbt' | 'text'): string {
  return join(dirname(requestPath), signedName(basename(requestPath), kind));
}
