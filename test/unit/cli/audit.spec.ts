// `offline-signer audit verify | export` through the built command line: a log the app's writer made verifies with
// its number of entries; each kind of tampering exits 1 with its code and line as error JSON; export copies log
// and head beside each other, never over a file, and verifies the copy.
import { test, expect } from '@playwright/test';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditChain, headPathFor } from '../../../electron/output/audit-chain';
import type { AuditEvent } from '../../../electron/workflow/audit';
import { runCliProcess } from '../../support/cli';

const tmp = () => mkdtempSync(join(tmpdir(), 'cli-audit-'));

/** A log of `n` entries in a new folder, written by the app's writer. */
function appLog(n: number): string {
  const log = join(tmp(), 'audit-log.jsonl');
  const chain = new AuditChain<AuditEvent>(log);
  for (let i = 1; i <= n; i++) chain.append({ type: 'wallet-unlocked', walletId: `wallet${i}` }, new Date(Date.UTC(2026, 11, 6, 20, 0, i)).toISOString());
  return log;
}

const lines = (log: string) => readFileSync(log, 'utf8').split('\n').slice(0, -1);
const rewrite = (log: string, ls: string[]) => writeFileSync(log, ls.map((l) => `${l}\n`).join(''));

test('audit verify: a whole chain exits 0 with its entries; each tampering exits 1 with its code and line', () => {
  const log = appLog(4);
  const good = runCliProcess(['audit', 'verify', '--log', log]);
  expect(good.status, good.stdout + good.stderr).toBe(0);
  expect(good.json()).toMatchObject({ entries: 4, unconfirmed: 0, last: { seq: 4 } });

  const original = lines(log);
  const cases: [string, string[], object][] = [
    ['edited', original.map((l, i) => (i === 1 ? l.replace('wallet2', 'wallet9') : l)), { code: 'audit_entry_edited', line: 2 }],
    ['deleted', original.filter((_, i) => i !== 1), { code: 'audit_entry_missing', line: 2 }],
    ['swapped', [original[0]!, original[2]!, original[1]!, original[3]!], { code: 'audit_entries_reordered', line: 2 }],
    ['cut', original.slice(0, 2), { code: 'audit_truncated', line: 2 }],
  ];
  for (const [what, ls, finding] of cases) {
    rewrite(log, ls);
    const r = runCliProcess(['audit', 'verify', '--log', log]);
    expect(r.status, what).toBe(1);
    expect(r.json(), what).toMatchObject({ name: 'AuditChainError', ...finding });
  }
  rewrite(log, original);
  writeFileSync(headPathFor(log), '{"version":1,');
  expect(runCliProcess(['audit', 'verify', '--log', log]).json()).toMatchObject({ code: 'audit_head_invalid' });

  // Usage errors exit 2; a missing log is a file error (1).
  expect(runCliProcess(['audit', 'verify']).status).toBe(2);
  expect(runCliProcess(['audit', 'check', '--log', log]).status).toBe(2);
  const missing = runCliProcess(['audit', 'verify', '--log', join(tmp(), 'none.jsonl')]);
  expect(missing.status).toBe(1);
  expect(missing.json()).toMatchObject({ code: 'input_unreadable' });
});

test('audit export: log and head copied to a folder or a file name, never over a file, and the copy verified', () => {
  const log = appLog(3);
  const drive = tmp();
  const r = runCliProcess(['audit', 'export', '--log', log, '--out', drive]);
  expect(r.status, r.stdout + r.stderr).toBe(0);
  expect(r.json()).toMatchObject({ entries: 3, log: join(drive, 'audit-log.jsonl'), head: join(drive, 'audit-log.head.json') });
  expect(readFileSync(join(drive, 'audit-log.jsonl'))).toEqual(readFileSync(log));
  expect(readFileSync(join(drive, 'audit-log.head.json'))).toEqual(readFileSync(headPathFor(log)));

  // Again to the same folder: refused, the copies untouched.
  const again = runCliProcess(['audit', 'export', '--log', log, '--out', drive]);
  expect(again.status).toBe(1);
  expect(again.json()).toMatchObject({ code: 'output_exists' });
  // The head's name taken alone: nothing is written, not even the log.
  const other = tmp();
  writeFileSync(join(other, 'copy.head.json'), 'theirs');
  expect(runCliProcess(['audit', 'export', '--log', log, '--out', join(other, 'copy.jsonl')]).json()).toMatchObject({ code: 'output_exists' });
  expect(existsSync(join(other, 'copy.jsonl'))).toBe(false);
  expect(readFileSync(join(other, 'copy.head.json'), 'utf8')).toBe('theirs');

  // To a file name: the head beside it; a tampered log is still copied (evidence), and the copy's finding said.
  rewrite(log, lines(log).filter((_, i) => i !== 0));
  const named = join(tmp(), 'session-2026-12-06.jsonl');
  const bad = runCliProcess(['audit', 'export', '--log', log, '--out', named]);
  expect(bad.status).toBe(1);
  expect(bad.json()).toMatchObject({ code: 'audit_entry_missing', line: 1 });
  expect(existsSync(headPathFor(named))).toBe(true);
  expect(runCliProcess(['audit', 'export', '--log', log]).status).toBe(2);
});

test('audit --help names both subcommands and what verify cannot see', () => {
  const r = runCliProcess(['audit', '--help']);
  expect(r.status).toBe(0);
  expect(r.stdout).toContain('offline-signer audit verify --log');
  expect(r.stdout).toContain('offline-signer audit export --log');
  expect(r.stdout).toContain('rewritten together');
});
