// Writing a signed result next to its request: the naming convention, never overwriting, atomic write, and a
// read-back that proves the bytes on the drive are the bytes we meant to write.
import { basename, dirname, extname, join } from 'node:path';
import * as nodeFs from 'node:fs';
import { OutputFileError, writeFileAtomic, type AtomicFs, type WriteOptions } from './atomic-write';
import { SignerError } from '../../shared/errors';

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
export function writeVerified(path: string, data: Uint8Array | string, opts: Pick<WriteOptions, 'fs'> = {}): void {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data);
  writeFileAtomic(path, bytes, opts);
  let back: Buffer;
  try {
    back = nodeFs.readFileSync(path);
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

/**
 * The second file of a pair that leaves together (a signed file and its receipt), written after the first: when it
 * cannot be written, the first (which this process has just created: never a file that was there before) is removed
 * again, so a later try writes both and does not meet the first as `output_exists`. Throws the second write's error
 * with what became of the first added, in the operator's words (`firstName`).
 */
export function writeSecondOrUndo(firstPath: string, firstName: string, writeSecond: () => void, fs: Pick<AtomicFs, 'unlinkSync'> = nodeFs): void {
  try {
    writeSecond();
  } catch (e) {
    let removed = true;
    try {
      fs.unlinkSync(firstPath);
    } catch {
      removed = false;
    }
    const what = removed ? `${firstName} was removed again, so that both are written together on the next try` : `${firstName} could not be removed and stays without it`;
    if (e instanceof SignerError) throw new SignerError(e.name, `${e.message}; ${what}`, e.code);
    throw new OutputFileError(`the second file could not be written (${e instanceof Error ? e.message : 'unknown error'}); ${what}`, 'output_write_failed');
  }
}
