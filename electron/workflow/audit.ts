// The session audit: what happened during one signing session, in order, for the operator's records and the
// exported session summary. It records identifiers, file names, hashes and fingerprints, never secrets: there is
// no field that could hold a passphrase or key, and free text (rejection reasons) is length-capped.
import { SignerError } from '../../shared/errors';
import { AuditChainError, type AuditHead } from '../output/audit-chain';
import { noncesOnRecord } from '../signing/musig2-nonces';
import type { SummaryOutcome, SummarySend } from '../../shared/contract';
import { OUTCOME_WORDS, btcAndSats, sendWords } from '../../shared/summary';
import { visible } from '../../shared/text';
import type { CeremonyStepEvent } from '../ceremony/journal';

export type AuditEvent =
  | { type: 'session-started'; demo: boolean; airGapWarning?: string }
  /** registry: sha256 of the wallet registry opened with the key store. */
  | { type: 'keystore-opened'; source: string; wallets: number; registry?: string }
  | { type: 'wallet-registered'; walletId: string; coin: string; how: string; registry: string }
  | { type: 'wallet-unregistered'; walletId: string; registry: string }
  /** A wallet's request authentication changed on the Wallets screen (key: the key's thumbprint, or the HMAC secret's short id; never the secret). */
  | { type: 'registry-auth-changed'; walletId: string; change: 'key-pinned' | 'key-unpinned' | 'policy' | 'hmac-secret'; key?: string; require?: string; maxAgeSeconds?: number; registry: string }
  | { type: 'wallet-unlocked' | 'wallet-locked' | 'wallet-unlock-failed'; walletId: string; reason?: string }
  /**
   * fingerprint: the short review fingerprint the request list shows. refusals: the review's refusals, in words
   * (the request will never be signed). sends and fee: where the money goes (every output that is not verified
   * change) and the network fee, for the summary.
   */
  | { type: 'request-imported'; requestId: string; file: string; sha256: string; walletId?: string; fingerprint?: string; refusals?: string[]; sends?: SummarySend[]; change?: number; fee?: number }
  /** refused: a request of another wallet or key store (foreign), not merely a file that could not be read. */
  | { type: 'request-import-failed'; file: string; code: string; message: string; fingerprint?: string; refused?: true }
  /** A request's authentication (electron/auth): verified (which key or secret, jti, expiry), not authenticated, or refused (code). */
  | { type: 'request-auth'; file: string; sha256: string; result: 'verified' | 'not-authenticated' | 'refused'; code?: string; scheme?: 'jwt' | 'hmac'; key?: string; jti?: string; exp?: number }
  | { type: 'request-approved'; requestId: string; fingerprint: string; acknowledged: string[] }
  | { type: 'request-rejected'; requestId: string; fingerprint?: string; reason: string }
  | { type: 'request-signed'; requestId: string; fingerprint: string; musig2?: { step: 'signerNonce' | 'signerSignature'; inputs: number[]; nonces?: string[] } }
  | { type: 'request-sign-failed'; requestId: string; code: string; message: string }
  | { type: 'sign-canceled'; signed: number; notReached: string[] }
  | { type: 'request-exported'; requestId: string; file: string; sha256: string }
  /** The signed result was drawn as QR codes on the send screen (delivered that way: counted as signed). */
  | { type: 'request-shown'; requestId: string; fingerprint: string }
  /**
   * A signed receipt written beside a file (electron/receipts): the receipt's name, the file it is for and that
   * file's sha256 (both relative to the drive), and the receipt key's thumbprint.
   */
  | { type: 'receipt-written'; requestId?: string; file: string; of: string; fileSha256: string; key: string }
  | { type: 'receipt-key-unlocked' | 'receipt-key-locked' | 'receipt-key-unlock-failed'; key?: string; reason?: string }
  /** A key ceremony step (ceremony/journal.ts): public facts only; the command line journals the same shape. */
  | CeremonyStepEvent;

export type AuditEntry = AuditEvent & { at: string };

export const MAX_REASON_CHARS = 500;

/**
 * Failures of a signing that leave the request approved, nothing of it kept: a locked wallet (it signs once
 * unlocked), a cancel (it signs with the next "Sign approved requests"), an audit log that could not be written
 * (it signs once the log can be) and a worker thread that stopped mid-sign (the review thread or a curve thread:
 * the signatures are released and the ledger written only after the thread's last answer, so nothing was signed,
 * and the next "Sign approved requests" starts a new thread). The session and the summary read this one list.
 */
export const STAYS_APPROVED: ReadonlySet<string> = new Set(['wallet_locked', 'signing_canceled', 'audit_unwritable', 'worker_failed']);

/** Where recorded events are also kept on disk: the hash-chained log (output/audit-chain.ts AuditChain). */
export interface AuditSink {
  /** Appends one event, durably, or throws (audit_unwritable); returns the log's new last entry (seq, line hash). */
  append(event: AuditEvent, at: string): AuditHead;
  /** Every entry on disk, earlier sessions' included (throws when the log does not verify). */
  entries?(): Iterable<{ at: string; event: unknown }>;
}

export class AuditLog {
  #entries: AuditEntry[] = [];
  readonly #sink: AuditSink | undefined;
  /** The last append that failed, until one succeeds again: signing is refused meanwhile (`mustRecord`). */
  #failure: AuditChainError | undefined;
  /** The log's last entry this process appended (what a receipt anchors); undefined before the first or without a sink. */
  #head: AuditHead | undefined;

  readonly #onFailure: ((error: AuditChainError) => void) | undefined;

  /**
   * `sink`: the persistent log (the app's audit-log.jsonl); without one, the session's entries live in memory only.
   * `onFailure`: told of each failed append (main logs its message, which names no path).
   */
  constructor(
    private readonly now: () => Date = () => new Date(),
    sink?: AuditSink,
    onFailure?: (error: AuditChainError) => void,
  ) {
    this.#sink = sink;
    this.#onFailure = onFailure;
  }

  #clean(event: AuditEvent): AuditEvent {
    return 'reason' in event && typeof event.reason === 'string' ? { ...event, reason: event.reason.slice(0, MAX_REASON_CHARS) } : event;
  }

  #append(event: AuditEvent, at: string): void {
    if (!this.#sink) return;
    try {
      this.#head = this.#sink.append(event, at);
      this.#failure = undefined;
    } catch (e) {
      // Any sink failure is the log's: a signature waits on it under one code, whatever the writer threw.
      const why = e instanceof SignerError ? (e.code ?? e.name) : ((e as NodeJS.ErrnoException | undefined)?.code ?? (e instanceof Error ? e.name : 'unknown error'));
      const failure = e instanceof AuditChainError && e.code === 'audit_unwritable' ? e : new AuditChainError(`the audit log could not be written (${why})`, 'audit_unwritable');
      this.#failure = failure;
      this.#onFailure?.(failure);
      throw failure;
    }
  }

  /**
   * Records an event in the session and on disk. A failed disk append does not stop what is being recorded (an
   * import, a lock): it is remembered, and the next `mustRecord` (a signature's release) refuses until the log
   * can be written again.
   */
  record(event: AuditEvent): void {
    const clean = this.#clean(event);
    const at = this.now().toISOString();
    try {
      this.#append(clean, at);
    } catch {
      // remembered in #failure; signing checks it
    }
    this.#entries.push({ ...clean, at });
  }

  /**
   * Records an event that must be on disk before what it records takes effect (a signed result's release): throws
   * the log's error (audit_unwritable) when it cannot be written, and then the event is not in the session either.
   */
  mustRecord(event: AuditEvent): void {
    const clean = this.#clean(event);
    const at = this.now().toISOString();
    this.#append(clean, at);
    this.#entries.push({ ...clean, at });
  }

  /** Throws the last append's failure when the log could not be written (nothing should be signed then). */
  assertWritable(): void {
    if (this.#failure !== undefined) throw this.#failure;
  }

  /**
   * The persistent log's last entry written by this process (its seq and line hash), for a receipt to vouch for
   * (README "Signed receipts"); undefined without a persistent log or before its first entry.
   */
  head(): AuditHead | undefined {
    return this.#head && { ...this.#head };
  }

  /**
   * Which of these MuSig2 nonce ids a signature step's entry records as used, and when: from the log on disk (every
   * session), else this session's entries. Throws the log's error when it does not read or verify: a nonce that
   * cannot be shown unused is not used.
   */
  releasedNonces(ids: ReadonlySet<string>): Map<string, string> {
    const onDisk = this.#sink?.entries?.();
    return noncesOnRecord(onDisk ?? this.#entries.map(({ at, ...event }) => ({ at, event })), ids);
  }

  entries(): AuditEntry[] {
    return this.#entries.map((e) => ({ ...e }));
  }
}

export interface SummaryRow {
  /** The request's id; a request refused at import has none and gets "import-<n>" (a row key only). */
  requestId: string;
  file: string;
  walletId?: string;
  fingerprint?: string;
  outcome: SummaryOutcome;
  detail?: string;
  output?: string;
  sends?: SummarySend[];
  change?: number;
  fee?: number;
}

/** The summary's counts: exported and shown are both signed and delivered; approved waits with pending. */
export function summaryCounts(rows: SummaryRow[]): { signed: number; unexported: number; refused: number; rejected: number; failed: number; pending: number } {
  const n = (...o: SummaryOutcome[]) => rows.filter((r) => o.includes(r.outcome)).length;
  return { signed: n('signed', 'shown'), unexported: n('unexported'), refused: n('refused'), rejected: n('rejected'), failed: n('failed'), pending: n('pending', 'approved') };
}

/** "2 signed, 1 rejected, 0 failed, 0 not finished", naming shown, unexported and refused requests when there are any. */
export function countsLine(rows: SummaryRow[]): string {
  const c = summaryCounts(rows);
  const shown = rows.filter((r) => r.outcome === 'shown').length;
  return [
    `${c.signed} signed${shown > 0 ? ` (${shown} shown as QR codes)` : ''}`,
    ...(c.unexported > 0 ? [`${c.unexported} signed but not exported`] : []),
    `${c.rejected} rejected`,
    ...(c.refused > 0 ? [`${c.refused} refused`] : []),
    `${c.failed} failed`,
    `${c.pending} not finished`,
  ].join(', ');
}

/** A MuSig2 step in the summary: a nonce step's "signed" file carries nonces only. */
function musig2Detail(m: { step: 'signerNonce' | 'signerSignature'; inputs: number[] }): string {
  return m.step === 'signerNonce'
    ? `MuSig2 step 1 of 2: nonces for key-path inputs ${m.inputs.join(', ')}; nothing signed`
    : `MuSig2 step 2 of 2: partial signatures for key-path inputs ${m.inputs.join(', ')}, with their kept nonces (now used)`;
}

/**
 * The rows of the session summary: one per imported request with its state now, and one per request refused at
 * import because it is another wallet's (foreign), in the order they arrived.
 */
export function summarize(entries: AuditEntry[]): SummaryRow[] {
  const rows = new Map<string, SummaryRow>();
  let refusedAtImport = 0;
  for (const e of entries) {
    if (e.type === 'request-imported') {
      const refused = e.refusals !== undefined && e.refusals.length > 0;
      rows.set(e.requestId, {
        requestId: e.requestId,
        file: e.file,
        outcome: refused ? 'refused' : 'pending',
        ...(e.walletId ? { walletId: e.walletId } : {}),
        ...(e.fingerprint ? { fingerprint: e.fingerprint } : {}),
        ...(refused ? { detail: `refused by the review: ${e.refusals!.join('; ')}` } : {}),
        ...(e.sends ? { sends: e.sends } : {}),
        ...(e.change !== undefined ? { change: e.change } : {}),
        ...(e.fee !== undefined ? { fee: e.fee } : {}),
      });
    }
    if (e.type === 'request-import-failed' && e.refused) {
      const key = `import-${++refusedAtImport}`;
      rows.set(key, { requestId: key, file: e.file, outcome: 'refused', detail: `not imported: ${e.message}`, ...(e.fingerprint ? { fingerprint: e.fingerprint } : {}) });
    }
    const row = 'requestId' in e && e.requestId !== undefined ? rows.get(e.requestId) : undefined;
    if (!row) continue;
    if (e.type === 'request-approved') Object.assign(row, { outcome: 'approved', fingerprint: e.fingerprint });
    if (e.type === 'request-rejected') Object.assign(row, { outcome: 'rejected', detail: e.reason }, e.fingerprint ? { fingerprint: e.fingerprint } : {});
    if (e.type === 'request-signed') Object.assign(row, { outcome: 'unexported', fingerprint: e.fingerprint }, e.musig2 && e.musig2.inputs.length > 0 ? { detail: musig2Detail(e.musig2) } : {});
    // A locked wallet, a cancel or an unwritable audit log leaves the request approved: not a failure.
    if (e.type === 'request-sign-failed') Object.assign(row, { outcome: STAYS_APPROVED.has(e.code) ? 'approved' : 'failed', detail: `${e.message} (${e.code})` });
    if (e.type === 'request-exported') Object.assign(row, { outcome: 'signed', output: e.file });
    if (e.type === 'request-shown') Object.assign(row, { outcome: 'shown', fingerprint: e.fingerprint });
  }
  return [...rows.values()];
}

/**
 * Plain-text session summary for export next to the signed files. Every text that came from outside (file names,
 * reasons, messages) goes through `visible`, so a newline or a direction override in a file name cannot add or
 * disguise a line.
 */
export function summaryText(entries: AuditEntry[], title = 'Offline Signer session summary'): string {
  const rows = summarize(entries);
  const lines = [title, `started ${entries[0]?.at ?? '-'}, summary written ${entries[entries.length - 1]?.at ?? '-'}`, countsLine(rows), ''];
  for (const r of rows) {
    lines.push(`${OUTCOME_WORDS[r.outcome].padEnd(8)} ${visible(r.file)}`);
    if (r.walletId) lines.push(`         wallet ${r.walletId}`);
    if (r.fingerprint) lines.push(`         review fingerprint ${r.fingerprint}`);
    if (r.output) lines.push(`         written to ${visible(r.output)}`);
    if (r.outcome === 'shown') lines.push('         shown as QR codes on screen (no file written)');
    if (r.detail) lines.push(`         ${visible(r.detail)}`);
    for (const send of r.sends ?? []) lines.push(`         ${sendWords(send)}`);
    if (r.change !== undefined && r.change > 0) lines.push(`         change back to the wallet ${btcAndSats(r.change)}`);
    if (r.fee !== undefined) lines.push(`         network fee ${btcAndSats(r.fee)}`);
  }
  lines.push('', 'Event log:');
  for (const e of entries) {
    const { at, type, ...rest } = e;
    lines.push(`${at}  ${type}  ${visible(JSON.stringify(rest))}`);
  }
  return `${lines.join('\n')}\n`;
}
