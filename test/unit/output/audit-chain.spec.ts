// The hash-chained audit log (electron/output/audit-chain.ts): a good chain verifies, each kind of tampering is
// found with its own code and the line it is about (an edited field, a deleted line, two lines swapped, the tail
// cut, the head damaged), a new log object on the same file continues the chain, what a crash leaves is repaired,
// and a log that cannot be written says audit_unwritable without a path; receipts' anchors find a log rewritten
// consistently (which the chain alone cannot), up to the latest anchor.
import { test, expect } from '@playwright/test';
import * as realFs from 'node:fs';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditChain, checkAuditAnchors, GENESIS, headPathFor, lineHash, readAuditChain, verifyAuditChain, type AuditFs } from '../../../electron/output/audit-chain';
import { errno } from '../../support/injected-fs';

type Ev = { type: string; n?: number; walletId?: string };

const fresh = () => join(mkdtempSync(join(tmpdir(), 'audit-chain-')), 'audit-log.jsonl');

/** A log of `n` entries written through AuditChain, and its texts; `walletOf` can change what an entry says. */
function written(n: number, walletOf = (i: number) => `w${i}`): { path: string; log: string; head: string; lines: string[] } {
  const path = fresh();
  const chain = new AuditChain<Ev>(path);
  for (let i = 1; i <= n; i++) chain.append({ type: 'wallet-unlocked', n: i, walletId: walletOf(i) }, new Date(Date.UTC(2026, 11, 6, 20, 0, i)).toISOString());
  const log = readFileSync(path, 'utf8');
  return { path, log, head: readFileSync(headPathFor(path), 'utf8'), lines: log.split('\n').slice(0, -1) };
}

const joined = (lines: string[]) => lines.map((l) => `${l}\n`).join('');
const finding = (code: string, line?: number) => expect.objectContaining({ code, ...(line === undefined ? {} : { line }) });

test('a good chain verifies: seq from 1, each prev the sha256 of the line before, the head at the last line', () => {
  const { log, head, lines } = written(5);
  expect(verifyAuditChain(log, head)).toEqual({ entries: 5, last: { seq: 5, hash: lineHash(lines[4]!) }, unconfirmed: 0 });
  const parsed = lines.map((l) => JSON.parse(l) as { seq: number; prev: string; event: Ev });
  expect(parsed.map((p) => p.seq)).toEqual([1, 2, 3, 4, 5]);
  expect(parsed[0]!.prev).toBe(GENESIS);
  for (let i = 1; i < 5; i++) expect(parsed[i]!.prev).toBe(lineHash(lines[i - 1]!));
  expect(JSON.parse(head)).toEqual({ version: 1, seq: 5, hash: lineHash(lines[4]!) });
  expect(Object.keys(JSON.parse(lines[0]!) as object)).toEqual(['seq', 'at', 'prev', 'event']);
});

test('an empty log without a head is an empty chain; entries without a head are not', () => {
  expect(verifyAuditChain('', undefined)).toEqual({ entries: 0, last: { seq: 0, hash: GENESIS }, unconfirmed: 0 });
  const { log } = written(2);
  expect(() => verifyAuditChain(log, undefined)).toThrow(finding('audit_head_invalid'));
});

test('an edited field is found at its line, in the middle and at the end', () => {
  const { log, head, lines } = written(5);
  const edit = (i: number) => lines.map((l, j) => (j === i ? l.replace(`"walletId":"w${i + 1}"`, '"walletId":"wX"') : l));
  expect(edit(2)[2]).not.toBe(lines[2]);
  expect(() => verifyAuditChain(joined(edit(2)), head)).toThrow(finding('audit_entry_edited', 3));
  expect(() => verifyAuditChain(joined(edit(0)), head)).toThrow(finding('audit_entry_edited', 1));
  expect(() => verifyAuditChain(joined(edit(4)), head)).toThrow(finding('audit_entry_edited', 5));
  // The time and the prev field are part of the line too.
  const retimed = lines.map((l, j) => (j === 1 ? l.replace('20:00:02', '19:00:02') : l));
  expect(() => verifyAuditChain(joined(retimed), head)).toThrow(finding('audit_entry_edited', 2));
  const reprev = lines.map((l, j) => (j === 3 ? l.replace(/"prev":"[0-9a-f]{64}"/, `"prev":"${'1'.repeat(64)}"`) : l));
  expect(() => verifyAuditChain(joined(reprev), head)).toThrow(finding('audit_entry_edited', 4));
  expect(verifyAuditChain(log, head).entries).toBe(5);
});

test('a deleted line is found as a missing entry, naming where it was', () => {
  const { head, lines } = written(5);
  expect(() => verifyAuditChain(joined(lines.filter((_, j) => j !== 2)), head)).toThrow(finding('audit_entry_missing', 3));
  expect(() => verifyAuditChain(joined(lines.filter((_, j) => j !== 0)), head)).toThrow(finding('audit_entry_missing', 1));
  expect(() => verifyAuditChain(joined(lines.filter((_, j) => j !== 1 && j !== 2)), head)).toThrow(/entries 2 to 3 were removed/);
});

test('two swapped lines are found as reordered; a repeated line too', () => {
  const { head, lines } = written(5);
  const swapped = [lines[0]!, lines[2]!, lines[1]!, lines[3]!, lines[4]!];
  expect(() => verifyAuditChain(joined(swapped), head)).toThrow(finding('audit_entries_reordered', 2));
  const last2 = [lines[0]!, lines[1]!, lines[2]!, lines[4]!, lines[3]!];
  expect(() => verifyAuditChain(joined(last2), head)).toThrow(finding('audit_entries_reordered', 4));
  const repeated = [lines[0]!, lines[1]!, lines[1]!, lines[2]!, lines[3]!, lines[4]!];
  expect(() => verifyAuditChain(joined(repeated), head)).toThrow(finding('audit_entries_reordered', 3));
});

test('a cut tail is found against the head: whole entries, or a line cut in half', () => {
  const { log, head, lines } = written(5);
  expect(() => verifyAuditChain(joined(lines.slice(0, 3)), head)).toThrow(finding('audit_truncated', 3));
  expect(() => verifyAuditChain('', head)).toThrow(finding('audit_truncated', 0));
  expect(() => verifyAuditChain(log.slice(0, log.length - 20), head)).toThrow(finding('audit_malformed', 5));
});

test('a damaged, stale or replaced head is found', () => {
  const { log, head, lines } = written(5);
  expect(() => verifyAuditChain(log, '{"version":1,"seq":5,')).toThrow(finding('audit_head_invalid'));
  expect(() => verifyAuditChain(log, head.replace(/"hash":"./, '"hash":"Z'))).toThrow(finding('audit_head_invalid'));
  expect(() => verifyAuditChain(log, JSON.stringify({ version: 1, seq: 5, hash: '0'.repeat(64) }))).toThrow(finding('audit_entry_edited', 5));
  expect(() => verifyAuditChain(log, JSON.stringify({ version: 1, seq: 2, hash: lineHash(lines[1]!) }))).toThrow(finding('audit_head_invalid'));
  expect(() => verifyAuditChain(log, JSON.stringify({ version: 1, seq: 5, hash: lineHash(lines[4]!), extra: 1 }))).toThrow(finding('audit_head_invalid'));
  expect(() => verifyAuditChain(log, JSON.stringify({ version: 2, seq: 5, hash: lineHash(lines[4]!) }))).toThrow(finding('audit_head_invalid'));
  // One entry past the head: a crash between the append and the head's update, said as unconfirmed.
  expect(verifyAuditChain(log, JSON.stringify({ version: 1, seq: 4, hash: lineHash(lines[3]!) }))).toMatchObject({ entries: 5, unconfirmed: 1 });
});

test('lines that are not entries are malformed, with their line number', () => {
  const { head, lines } = written(3);
  const bad = ['not json', '{"seq":2,"at":"x","prev":"00","event":{"type":"a"}}', '[]', '{"seq":2,"seq":2,"at":"2026-12-06T00:00:00.000Z","prev":"' + GENESIS + '","event":{"type":"a"}}', '{"seq":2,"at":"2026-12-06T00:00:00.000Z","prev":"' + GENESIS + '","event":{}}', ''];
  for (const b of bad) expect(() => verifyAuditChain(joined([lines[0]!, b, lines[2]!]), head), b).toThrow(finding('audit_malformed', 2));
});

test('a new log object on the same file continues the chain (a restart)', () => {
  const { path } = written(3);
  const again = new AuditChain<Ev>(path);
  expect(again.append({ type: 'wallet-locked', walletId: 'w1' }, '2026-12-06T21:00:00.000Z')).toMatchObject({ seq: 4 });
  const log = readFileSync(path, 'utf8');
  const lines = log.split('\n').slice(0, -1);
  expect(verifyAuditChain(log, readFileSync(headPathFor(path), 'utf8'))).toMatchObject({ entries: 4, unconfirmed: 0 });
  expect((JSON.parse(lines[3]!) as { prev: string }).prev).toBe(lineHash(lines[2]!));
});

test('a restart repairs what a crash leaves: a head one entry behind, a torn last line', () => {
  const { path, lines } = written(3);
  writeFileSync(headPathFor(path), JSON.stringify({ version: 1, seq: 2, hash: lineHash(lines[1]!) }));
  expect(new AuditChain<Ev>(path).append({ type: 'x' }, '2026-12-06T21:00:00.000Z').seq).toBe(4);
  realFs.appendFileSync(path, '{"seq":5,"at":"2026-12-06T21:');
  expect(new AuditChain<Ev>(path).append({ type: 'y' }, '2026-12-06T21:00:01.000Z').seq).toBe(5);
  expect(verifyAuditChain(readFileSync(path, 'utf8'), readFileSync(headPathFor(path), 'utf8'))).toMatchObject({ entries: 5, unconfirmed: 0 });
});

test('a tampered log is never appended to: audit_unwritable names the finding, the file is left as evidence', () => {
  const { path, lines } = written(3);
  writeFileSync(path, joined([lines[0]!, lines[2]!]));
  const before = readFileSync(path, 'utf8');
  expect(() => new AuditChain<Ev>(path).append({ type: 'x' }, '2026-12-06T21:00:00.000Z')).toThrow(
    expect.objectContaining({ code: 'audit_unwritable', message: expect.stringContaining('audit_entry_missing') }),
  );
  expect(readFileSync(path, 'utf8')).toBe(before);
});

test('a failing write (fsync, or the head) is audit_unwritable without a path, and the next append re-reads the file', () => {
  const path = fresh();
  let failFsync = false;
  let failRename = false;
  const fs: AuditFs = {
    ...realFs,
    fsyncSync: (fd) => {
      if (failFsync) throw errno('EIO');
      realFs.fsyncSync(fd);
    },
    renameSync: (a, b) => {
      if (failRename) throw errno('ENOSPC');
      realFs.renameSync(a, b);
    },
  };
  const chain = new AuditChain<Ev>(path, { fs });
  chain.append({ type: 'a' }, '2026-12-06T21:00:00.000Z');
  failFsync = true;
  const e1 = (() => {
    try {
      chain.append({ type: 'b' }, '2026-12-06T21:00:01.000Z');
    } catch (e) {
      return e as Error & { code: string };
    }
  })();
  expect(e1).toMatchObject({ code: 'audit_unwritable', message: expect.stringContaining('EIO') });
  expect(e1!.message).not.toContain(path);
  failFsync = false;
  failRename = true;
  expect(() => chain.append({ type: 'c' }, '2026-12-06T21:00:02.000Z')).toThrow(expect.objectContaining({ code: 'audit_unwritable', message: expect.not.stringContaining(path) }));
  failRename = false;
  // The line of 'b' reached the file before its fsync failed, the head of 'c' never did: the chain says which.
  const next = chain.append({ type: 'd' }, '2026-12-06T21:00:03.000Z');
  expect(verifyAuditChain(readFileSync(path, 'utf8'), readFileSync(headPathFor(path), 'utf8'))).toMatchObject({ entries: next.seq, unconfirmed: 0 });
});

test('headPathFor puts the head beside the log', () => {
  expect(headPathFor(join('a', 'audit-log.jsonl'))).toBe(join('a', 'audit-log.head.json'));
  expect(headPathFor(join('a', 'log'))).toBe(join('a', 'log.head.json'));
});

test('hostile texts and heads: every one is a coded AuditChainError, never a crash or a pass', () => {
  const { log, head, lines } = written(2);
  const line1 = lines[0]!;
  const hostileLogs = [
    '\n',
    '\n\n',
    '\uFEFF' + log,
    log.replace(/\n/g, '\r\n'),
    `${line1}\n\u0000\n`,
    `${'{'.repeat(100_000)}\n`,
    `${'['.repeat(100_000)}${']'.repeat(100_000)}\n`,
    `{"seq":1,"at":"2026-12-06T00:00:00.000Z","prev":"${GENESIS}","event":{"type":"a","deep":${'['.repeat(100_000)}${']'.repeat(100_000)}}}\n`,
    `${'x'.repeat(300_000)}\n`,
    `${line1.replace('"seq":1', '"seq":1.5')}\n`,
    `${line1.replace('"seq":1', '"seq":-1')}\n`,
    `${line1.replace('"seq":1', '"seq":"1"')}\n`,
    `${line1.replace('"seq":1', '"seq":1e400')}\n`,
    `${line1.replace('"event":{', '"event":{"type":"a","type":')}\n`,
    `${line1.replace(/,"event":.*\}$/, '}')}\n`,
    `${line1.slice(0, -1)},"extra":1}\n`,
    `null\n`,
    `"text"\n`,
  ];
  for (const text of hostileLogs) {
    let thrown: unknown;
    try {
      verifyAuditChain(text, head);
    } catch (e) {
      thrown = e;
    }
    expect(thrown, JSON.stringify(text.slice(0, 60))).toMatchObject({ name: 'AuditChainError', code: expect.stringMatching(/^audit_/) });
  }
  const hostileHeads = ['', 'null', '[]', '{}', '{"version":1,"seq":-1,"hash":"' + GENESIS + '"}', '{"version":1,"seq":2,"hash":"' + GENESIS.toUpperCase().replace(/0/g, 'A') + '"}', '{"version":1,"seq":2,"seq":2,"hash":"' + GENESIS + '"}', head.repeat(2)];
  for (const h of hostileHeads) expect(() => verifyAuditChain(log, h), h).toThrow(finding('audit_head_invalid'));
});

test('receipt anchors: a log rewritten consistently verifies alone, and is found by the entries receipts vouch for', () => {
  const original = written(6);
  // Receipts made after entries 2 and 4 vouch for the log as it was then (claims auditSeq, auditSha256).
  const anchors = [4, 2].map((seq) => ({ seq, hash: lineHash(original.lines[seq - 1]!), by: `r${seq}.receipt.jwt` }));
  expect(checkAuditAnchors(readAuditChain(original.log, original.head), anchors)).toEqual(anchors[0]);
  expect(checkAuditAnchors(readAuditChain(original.log, original.head), [])).toBeUndefined();

  // Entry 3 rewritten and every later line re-chained, the head replaced: the chain alone is whole again.
  const rewritten = written(6, (i) => (i === 3 ? 'someone else' : `w${i}`));
  expect(rewritten.lines.slice(0, 2)).toEqual(original.lines.slice(0, 2));
  expect(verifyAuditChain(rewritten.log, rewritten.head)).toMatchObject({ entries: 6, unconfirmed: 0 });
  // The receipt after entry 4 no longer finds its entry; the one after entry 2 still does (nothing before it changed).
  expect(() => checkAuditAnchors(readAuditChain(rewritten.log, rewritten.head), anchors)).toThrow(finding('audit_anchor_mismatch', 4));
  expect(checkAuditAnchors(readAuditChain(rewritten.log, rewritten.head), [anchors[1]!])).toEqual(anchors[1]);

  // Cut back to 3 entries with a new head: whole as a chain, shorter than a receipt says.
  const cut = written(3);
  expect(verifyAuditChain(cut.log, cut.head)).toMatchObject({ entries: 3 });
  expect(() => checkAuditAnchors(readAuditChain(cut.log, cut.head), anchors)).toThrow(finding('audit_anchor_missing', 3));
  // What no receipt covers is not seen: a rewrite of entry 5, after the latest receipt's entry 4.
  const late = written(6, (i) => (i === 5 ? 'someone else' : `w${i}`));
  expect(checkAuditAnchors(readAuditChain(late.log, late.head), anchors)).toEqual(anchors[0]);
});

test('an entry too long for a line is refused before anything is written, and the log still verifies and appends', () => {
  const { path } = written(2);
  const chain = new AuditChain<Ev>(path);
  const before = readFileSync(path, 'utf8');
  expect(() => chain.append({ type: 'request-signed', walletId: 'x'.repeat(300_000) }, '2026-12-07T03:00:00.000Z')).toThrow(expect.objectContaining({ code: 'audit_unwritable', message: expect.stringContaining('request-signed entry would be') }));
  expect(readFileSync(path, 'utf8')).toBe(before);
  chain.append({ type: 'wallet-locked' }, '2026-12-07T03:00:01.000Z');
  expect(verifyAuditChain(readFileSync(path, 'utf8'), readFileSync(headPathFor(path), 'utf8'))).toMatchObject({ entries: 3 });
});

test('entries(): the log as on disk once it verifies; an edited or unreadable log is audit_unwritable, naming the finding, never the path', () => {
  const { path, lines } = written(3);
  const chain = new AuditChain<Ev>(path);
  expect(chain.entries().map((e) => e.event.n)).toEqual([1, 2, 3]);
  writeFileSync(path, joined([lines[0]!, lines[1]!.replace('"w2"', '"wX"'), lines[2]!]));
  let thrown: { code?: string; message?: string } | undefined;
  try {
    chain.entries();
  } catch (e) {
    thrown = e as typeof thrown;
  }
  expect(thrown).toMatchObject({ code: 'audit_unwritable', message: expect.stringContaining('(audit_entry_edited)') });
  expect(thrown?.message).not.toContain(path);
  const unreadable = new AuditChain<Ev>(path, { fs: { ...realFs, readFileSync: () => { throw errno('EACCES'); } } as unknown as AuditFs });
  expect(() => unreadable.entries()).toThrow(expect.objectContaining({ code: 'audit_unwritable', message: 'the audit log audit-log.jsonl could not be read (EACCES)' }));
});
