// Writing a signed result next to its request: the naming convention, never overwriting, atomic write, and a
// read-back that proves the bytes on the drive are the bytes we meant to write.
import { readFileSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { OutputFileError, writeFileAtomic } from './atomic-write';

/**
 * `<request name without extension>.signed.json` for a signed Express request (the response is JSON), and
 * `<name>.signed<same extension>` for a bare PSBT, which keeps the input's encoding (binary, base64 or hex).
 * Examples: `payroll-0423.json` -> `payroll-0423.signed.json`; `vault.psbt` -> `vault.signed.psbt`;
 * `vault.b64` -> `vault.signed.b64`.
 */
export function signedName(requestName: string, format: 'json' | 'psbt'): string {
  const ext = extname(requestName);
  const base = basename(requestName, ext);
  return `${base}.signed${format === 'json' ? '.json' : ext || '.psbt'}`;
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

export function signedPathFor(requestPath: string, format: 'json' | 'psbt', outDir = dirname(requestPath)): string {
  return join(outDir, signedName(basename(requestPath), format));
}
