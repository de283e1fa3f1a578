// The session audit: what happened during one signing session, in order, for the operator's records and the
// exported session summary. It records identifiers, file names, hashes and fingerprints, never secrets: there is
// no field that could hold a passphrase or key, and free text (rejection reasons) is length-capped.
import { createHash } from 'node:crypto';
import { visible } from '../../shared/text';
import type { CeremonyStepEvent } from '../ceremony/journal';

export type AuditEvent =
  | { type: 'session-started'; demo: boolean; airGapWarning?: string }
  /** registry: sha256 of the wallet registry opened with the key store. */
  | { type: 'keystore-opened'; source: string; wallets: number; registry?: string }
  | { type: 'wallet-registered'; walletId: string; coin: string; how: string; registry: string }
  | { type: 'wallet-unregistered'; walletId: string; registry: string }
  | { type: 'wallet-unlocked' | 'wallet-locked' | 'wallet-unlock-failed'; walletId: string; reason?: string }
  | { type: 'request-imported'; requestId: string; file: string; sha256: string; walletId?: string }
  /** A request's authentication (electron/auth): verified (which key or secret, jti, expiry), not authenticated, or refused (code). */
  | { type: 'request-auth'; file: string; sha256: string; result: 'verified' | 'not-authenticated' | 'refused'; code?: string; scheme?: 'jwt' | 'hmac'; key?: string; jti?: string; exp?: number }
  | { type: 'request-import-failed'; file: string; code: string; message: string }
  | { type: 'request-approved'; requestId: string; fingerprint: string; acknowledged: string[] }
  | { type: 'request-rejected'; requestId: string; fingerprint?: string; reason: string }
  | { type: 'request-signed'; requestId: string; fingerprint: string; musig2?: { step: 'signerNonce' | 'signerSignature'; inputs: number[] } }
  | { type: 'request-sign-failed'; requestId: string; code: string; message: string }
  | { type: 'sign-canceled'; signed: number; notReached: string[] }
  | { type: 'request-exported'; requestId: string; file: string; sha256: string }
  /** A key ceremony step (ceremony/journal.ts): public facts only; the command line journals the same shape. */
  | CeremonyStepEvent;

export type AuditEntry = AuditEvent & { at: string };

export const MAX_REASON_CHARS = 500;

export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export class AuditLog {
  #entries: AuditEntry[] = [];
  constructor(private readonly now: () => Date = () => new Date()) {}

  record(event: AuditEvent): void {
    const clean = 'reason' in event && typeof event.reason === 'string' ? { ...event, reason: event.reason.slice(0, MAX_REASON_CHARS) } : event;
    this.#entries.push({ ...clean, at: this.now().toISOString() });
  }

  entries(): AuditEntry[] {
    return this.#entries.map((e) => ({ ...e }));
  }
}

export interface SummaryRow {
  requestId: string;
  file: string;
  walletId?: string;
  fingerprint?: string;
  outcome: 'signed' | 'rejected' | 'failed' | 'pending';
  detail?: string;
  output?: string;
}

/** A MuSig2 step in the summary: a nonce step's "signed" file carries nonces only. */
function musig2Detail(m: { step: 'signerNonce' | 'signerSignature'; inputs: number[] }): string {
  return m.step === 'signerNonce'
    ? `MuSig2 step 1 of 2: nonces for key-path inputs ${m.inputs.join(', ')}; nothing signed`
    : `MuSig2 step 2 of 2: partial signatures for key-path inputs ${m.inputs.join(', ')}, with their kept nonces (now used)`;
}

/** The rows of the session summary: one per imported request, with its final outcome. */
export function summarize(entries: AuditEntry[]): SummaryRow[] {
  const rows = new Map<string, SummaryRow>();
  for (const e of entries) {
    if (e.type === 'request-imported') rows.set(e.requestId, { requestId: e.requestId, file: e.file, outcome: 'pending', ...(e.walletId ? { walletId: e.walletId } : {}) });
    const row = 'requestId' in e ? rows.get(e.requestId) : undefined;
    if (!row) continue;
    if (e.type === 'request-approved') row.fingerprint = e.fingerprint;
    if (e.type === 'request-rejected') Object.assign(row, { outcome: 'rejected', detail: e.reason }, e.fingerprint ? { fingerprint: e.fingerprint } : {});
    if (e.type === 'request-signed') Object.assign(row, { fingerprint: e.fingerprint }, e.musig2 && e.musig2.inputs.length > 0 ? { detail: musig2Detail(e.musig2) } : {});
    if (e.type === 'request-sign-failed') Object.assign(row, { outcome: 'failed', detail: `${e.message} (${e.code})` });
    if (e.type === 'request-exported') Object.assign(row, { outcome: 'signed', output: e.file });
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
  const count = (o: SummaryRow['outcome']) => rows.filter((r) => r.outcome === o).length;
  const lines = [
    title,
    `started ${entries[0]?.at ?? '-'}, summary written ${entries[entries.length - 1]?.at ?? '-'}`,
    `${count('signed')} signed, ${count('rejected')} rejected, ${count('failed')} failed, ${count('pending')} not finished`,
    '',
  ];
  for (const r of rows) {
    lines.push(`${r.outcome.toUpperCase().padEnd(8)} ${visible(r.file)}`);
    if (r.walletId) lines.push(`         wallet ${r.walletId}`);
    if (r.fingerprint) lines.push(`         review fingerprint ${r.fingerprint}`);
    if (r.output) lines.push(`         written to ${visible(r.output)}`);
    if (r.detail) lines.push(`         ${visible(r.detail)}`);
  }
  lines.push('', 'Event log:');
  for (const e of entries) {
    const { at, type, ...rest } = e;
    lines.push(`${at}  ${type}  ${visible(JSON.stringify(rest))}`);
  }
  return `${lines.join('\n')}\n`;
}
