// What the session writes to a drive: a signed result next to its request (<name>.signed.json, or the PSBT's own
// extension), and the session summary at the top of the drive, each with its signed receipt beside it
// (<file>.receipt.jwt) when the key store holds a receipt key. Both go through output/'s atomic, never-overwrite
// write; errors name the file as the operator knows it (on drive "<label>"), never the mount path.
import { existsSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import { SignerError } from '../../shared/errors';
import { resolveOnDrive } from '../files/drives';
import { NAME_MAX_BYTES, type AtomicFs } from '../output/atomic-write';
import { signedName, writeSecondOrUndo, writeVerified } from '../output/export';
import { receiptName } from '../receipts/receipt';
import { WorkflowError } from './workflow-error';

export interface DriveRef {
  label: string;
  /** The mount path; never shown. */
  path: string;
}

/** Replaces every occurrence of a main-side path in a message by the name the operator knows it by. */
export function redactPath(e: unknown, path: string, name: string): unknown {
  if (e instanceof SignerError && path !== '' && e.message.includes(path)) return new SignerError(e.name, e.message.split(path).join(name), e.code);
  return e;
}

/**
 * Writes a signed result beside its request `file` (relative to the drive); returns the name written. With
 * `receipt`, also `<that name>.receipt.jwt` (the token made from the name and bytes): both names are checked free
 * before either is written, so a taken receipt name leaves the signed file unwritten too.
 */
export function writeSignedBeside(drive: DriveRef, file: string, signed: { output: Uint8Array; format: 'json' | 'psbt' }, receipt?: (outName: string) => string, opts: DriveWriteOptions = {}): { file: string; receipt?: string } {
  if (!existsSync(drive.path)) throw new WorkflowError(`drive "${drive.label}" is no longer connected: plug it in again to write ${file}'s signed file`, 'drive_missing');
  const dir = posix.dirname(file);
  const outName = (dir === '.' ? '' : `${dir}/`) + signedName(posix.basename(file), signed.format);
  let dirPath = drive.path;
  if (dir !== '.') {
    try {
      dirPath = resolveOnDrive(drive.path, dir);
    } catch {
      throw new WorkflowError(`folder ${dir} is no longer on drive "${drive.label}"; ${outName} was not written`, 'drive_missing');
    }
  }
  const path = join(dirPath, posix.basename(outName));
  const receiptFile = receipt ? receiptName(outName) : undefined;
  if (receiptFile !== undefined && existsSync(receiptName(path))) throw new WorkflowError(`${receiptFile} on drive "${drive.label}" already exists; it was left untouched, and ${outName} was not written`, 'output_exists');
  if (receiptFile !== undefined && Buffer.byteLength(posix.basename(receiptFile)) > NAME_MAX_BYTES) {
    throw new WorkflowError(`${outName} on drive "${drive.label}" was not written: its receipt's name ${posix.basename(receiptFile)} would be longer than the 255 bytes a drive allows; rename ${file} to a shorter name and import it again`, 'output_name_too_long');
  }
  // The receipt is made before anything is written: a receipt that cannot be made leaves nothing behind.
  const token = receipt && receiptFile !== undefined ? receipt(outName) : undefined;
  try {
    writeVerified(path, signed.output, opts);
  } catch (e) {
    // The generic write error suggests "another name"; here the name is the convention, so say only what happened.
    if (e instanceof SignerError && e.code === 'output_exists') throw new WorkflowError(`${outName} on drive "${drive.label}" already exists; it was left untouched`, 'output_exists');
    if (e instanceof SignerError && e.code === 'output_name_too_long') {
      throw new WorkflowError(`${outName} on drive "${drive.label}" was not written: a file name can be at most 255 bytes and this one is ${Buffer.byteLength(posix.basename(outName))}; rename ${file} to a shorter name and import it again`, 'output_name_too_long');
    }
    throw redactPath(e, path, `${outName} on drive "${drive.label}"`);
  }
  if (token === undefined || receiptFile === undefined) return { file: outName };
  writeReceipt(drive, { path, name: outName }, receiptFile, token, opts);
  return { file: outName, receipt: receiptFile };
}

export interface DriveWriteOptions {
  /** The file system (default node:fs); tests inject one to play a drive that fills up. */
  fs?: AtomicFs;
}

/**
 * Writes the receipt of `of`, just written (atomically, never over a file), naming both as the operator knows them
 * in errors. When the receipt cannot be written, `of` is removed again (output/export.ts writeSecondOrUndo), so the
 * file never leaves without its receipt and the next try writes both.
 */
function writeReceipt(drive: DriveRef, of: { path: string; name: string }, name: string, token: string, opts: DriveWriteOptions): void {
  const path = receiptName(of.path);
  writeSecondOrUndo(
    of.path,
    `${of.name} on drive "${drive.label}"`,
    () => {
      try {
        writeVerified(path, `${token}\n`, opts);
      } catch (e) {
        throw redactPath(e, path, `${name} on drive "${drive.label}"`);
      }
    },
    opts.fs,
  );
}

/**
 * Writes the session summary at the top of the drive as session-summary-<UTC time>.txt; returns its name. With
 * `receipt`, also its signed receipt `<summary>.receipt.jwt`, as for a signed file.
 */
export function writeSummaryFile(drive: DriveRef, text: string, now: Date, receipt?: (file: string, bytes: Uint8Array) => string, opts: DriveWriteOptions = {}): { file: string; receipt?: string } {
  const file = `session-summary-${now.toISOString().replace(/[:.]/g, '-')}.txt`;
  const path = join(drive.path, file);
  if (!statSync(drive.path).isDirectory()) throw new WorkflowError(`drive "${drive.label}" is not a folder`, 'drive_missing');
  if (receipt && existsSync(receiptName(path))) throw new WorkflowError(`${receiptName(file)} on drive "${drive.label}" already exists; it was left untouched, and ${file} was not written`, 'output_exists');
  const token = receipt ? receipt(file, new TextEncoder().encode(text)) : undefined;
  try {
    writeVerified(path, text, opts);
  } catch (e) {
    throw redactPath(e, path, `${file} on drive "${drive.label}"`);
  }
  if (token === undefined) return { file };
  writeReceipt(drive, { path, name: file }, receiptName(file), token, opts);
  return { file, receipt: receiptName(file) };
}
