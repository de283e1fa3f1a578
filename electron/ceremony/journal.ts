// The ceremony's audit trail on the command line. The app keeps its audit in the session (workflow/audit.ts); a
// command-line ceremony runs one step per process, so each step's entry (the same AuditEntry shape, public facts
// only: step, outcome, label, xpubs, files written and their sha256, an error code) is appended as one JSON line to
// a journal file beside the ceremony's files, created mode 0600. Lines are only ever added: an earlier step's
// entry is never rewritten.
import { createHash } from 'node:crypto';
import { appendFileSync, openSync, closeSync, fsyncSync } from 'node:fs';
import { basename } from 'node:path';

export const JOURNAL_NAME = 'ceremony-audit.jsonl';

export type CeremonyStep = 'selftest' | 'create' | 'check' | 'keycard' | 'export' | 'audit' | 'reencrypt' | 'verify-shards' | 'recombine' | 'reshard' | 'shards' | 'entropy-export' | 'register' | 'key-file' | 'receipt-key';

/** The audit event of a ceremony step (workflow/audit.ts carries it in the app's session log). */
export interface CeremonyStepEvent {
  type: 'ceremony-step';
  step: CeremonyStep;
  outcome: 'done' | 'match' | 'mismatch' | 'failed';
  label?: string;
  xpubs?: string[];
  files?: { name: string; sha256: string }[];
  code?: string;
}

export function fileFact(path: string, bytes: Uint8Array | string): { name: string; sha256: string } {
  return { name: basename(path), sha256: createHash('sha256').update(bytes).digest('hex') };
}

/** Appends one entry, flushed to the drive before the step reports success. */
export function appendJournal(path: string, event: CeremonyStepEvent, now = new Date()): CeremonyStepEvent & { at: string } {
  const entry = { ...event, at: now.toISOString() };
  appendFileSync(path, `${JSON.stringify(entry)}\n`, { mode: 0o600 });
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return entry;
}
