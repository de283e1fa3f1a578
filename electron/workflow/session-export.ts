// Where a session's results leave for a drive (output/ does the writing): a signed request's file, with its signed
// receipt when the key store holds a receipt key, and the session summary with its receipt. Split from session.ts
// (the request state machine), which calls these with a request record and its dependencies.
import type { SessionSummary } from '../../shared/contract';
import { sha256Hex } from '../crypto/hash';
import { summaryClaims } from '../receipts/claims';
import { signReceipt } from '../receipts/receipt';
import { countsLine, summarize, summaryCounts, summaryText, type AuditEntry } from './audit';
import { writeSignedBeside, writeSummaryFile } from './drive-writes';
import { BUILT_IN_PATH, requestReceipt, SCANNED_PATH, type RequestRecord, type SessionDeps } from './session-parts';
import { WorkflowError } from './workflow-error';

/** Writes a signed request's result beside its request on the drive (never over a file) and marks it exported. */
export function exportSigned(r: RequestRecord, deps: SessionDeps, now: Date): void {
  if (r.drivePath === SCANNED_PATH) throw new WorkflowError(`${r.file} was scanned from QR codes: show its signed result as QR codes (there is no drive to write it to)`, 'request_scanned_no_drive');
  if (r.drivePath === BUILT_IN_PATH) throw new WorkflowError(`${r.file} is a built-in demo request: show its signed result as QR codes (there is no drive to write it to)`, 'drive_built_in_read_only');
  if ((r.status !== 'signed' && r.status !== 'shown') || !r.signed) throw new WorkflowError(`${r.file} is ${r.status}; only signed requests are exported`, 'request_not_signed');
  // With a receipt key in the store, the file leaves with its receipt or not at all (receipt_key_locked).
  const signer = deps.receipts?.forExport(r.file);
  const registered = signer ? [...deps.registration.entries()].find((e) => e.walletId === r.walletId) : undefined;
  const written = writeSignedBeside({ label: r.driveLabel, path: r.drivePath }, r.file, r.signed, signer ? (outName) => requestReceipt(signer, r, outName, registered, deps.audit.head(), now) : undefined);
  r.status = 'exported';
  r.output = written.file;
  if (written.receipt !== undefined) r.receipt = written.receipt;
  delete r.error;
  const sha256 = sha256Hex(r.signed.output);
  deps.audit.record({ type: 'request-exported', requestId: r.requestId, file: written.file, sha256 });
  if (signer && written.receipt !== undefined) deps.audit.record({ type: 'receipt-written', requestId: r.requestId, file: written.receipt, of: written.file, fileSha256: sha256, key: signer.publicKey.thumbprint });
}

/** The session summary (screen and file) from the audit's entries. */
export function sessionSummary(entries: AuditEntry[]): SessionSummary {
  const rows = summarize(entries);
  return { text: summaryText(entries), counts: summaryCounts(rows), countsLine: countsLine(rows), rows };
}

/** Writes the summary text at the top of the drive, as session-summary-<UTC time>.txt, with its receipt. */
export function exportSummaryFile(drive: { label: string; path: string }, deps: SessionDeps, now: Date): { file: string; receipt?: string } {
  const signer = deps.receipts?.forExport('the session summary');
  const text = sessionSummary(deps.audit.entries()).text;
  const written = writeSummaryFile(drive, text, now, signer ? (file, bytes) => signReceipt(signer, summaryClaims(file, bytes, deps.audit.head()), now) : undefined);
  if (signer && written.receipt !== undefined) deps.audit.record({ type: 'receipt-written', file: written.receipt, of: written.file, fileSha256: sha256Hex(text), key: signer.publicKey.thumbprint });
  return written;
}
