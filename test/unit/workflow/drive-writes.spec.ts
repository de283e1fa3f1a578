// A signed file and its receipt leave a drive together (electron/workflow/drive-writes.ts): when the receipt cannot
// be written after the signed file was (a drive that fills up, played by an injected file system whose open of the
// receipt's name fails with ENOSPC, test/support/injected-fs.ts), the signed file is removed again, the error says
// so, nothing of ours stays on the drive, and the next try writes both. The same for the session summary.
import { test, expect } from '@playwright/test';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeSignedBeside, writeSummaryFile } from '../../../electron/workflow/drive-writes';
import * as realFs from 'node:fs';
import { errno, fsWith } from '../../support/injected-fs';

const signed = { output: new TextEncoder().encode('{"txHex":"70736274ff"}'), format: 'json' as const };
const NOW = new Date('2026-12-06T23:00:00.000Z');

/** A drive that fills up just as the file `name` is put in place (its hard link, or the open that reserves it). */
function fullAt(name: string) {
  const refuse = (path: unknown) => {
    if (String(path).endsWith(name)) throw errno('ENOSPC');
  };
  return fsWith({
    linkSync: ((from: string, to: string) => {
      refuse(to);
      return realFs.linkSync(from, to);
    }) as typeof realFs.linkSync,
    openSync: ((path: string, flags: string, mode?: number) => {
      refuse(path);
      return realFs.openSync(path, flags, mode);
    }) as typeof realFs.openSync,
  });
}

function drive() {
  const path = mkdtempSync(join(tmpdir(), 'drive-writes-'));
  return { label: 'USB', path };
}

test('a receipt that cannot be written takes its signed file back out; the next export writes both', () => {
  const d = drive();
  const full = fullAt('pay.signed.json.receipt.jwt');
  let error: unknown;
  try {
    writeSignedBeside(d, 'pay.json', signed, () => 'header.claims.signature', { fs: full });
  } catch (e) {
    error = e;
  }
  expect(error).toMatchObject({ code: 'output_write_failed', message: expect.stringContaining('pay.signed.json on drive "USB" was removed again, so that both are written together on the next try') as unknown });
  expect((error as Error).message).not.toContain(d.path);
  expect(readdirSync(d.path)).toEqual([]);

  expect(writeSignedBeside(d, 'pay.json', signed, () => 'header.claims.signature')).toEqual({ file: 'pay.signed.json', receipt: 'pay.signed.json.receipt.jwt' });
  expect(readdirSync(d.path).sort()).toEqual(['pay.signed.json', 'pay.signed.json.receipt.jwt']);
  expect(readFileSync(join(d.path, 'pay.signed.json.receipt.jwt'), 'utf8')).toBe('header.claims.signature\n');
});

test('a receipt that cannot be made writes nothing at all', () => {
  const d = drive();
  expect(() =>
    writeSignedBeside(d, 'pay.json', signed, () => {
      throw new Error('the receipt key was locked meanwhile');
    }),
  ).toThrow('the receipt key was locked meanwhile');
  expect(readdirSync(d.path)).toEqual([]);
});

test('the session summary and its receipt: the same, both or neither', () => {
  const d = drive();
  const name = 'session-summary-2026-12-06T23-00-00-000Z.txt';
  const full = fullAt(`${name}.receipt.jwt`);
  expect(() => writeSummaryFile(d, 'summary text\n', NOW, () => 'h.c.s', { fs: full })).toThrow(expect.objectContaining({ code: 'output_write_failed', message: expect.stringContaining(`${name} on drive "USB" was removed again`) }));
  expect(readdirSync(d.path)).toEqual([]);
  expect(writeSummaryFile(d, 'summary text\n', NOW, () => 'h.c.s')).toEqual({ file: name, receipt: `${name}.receipt.jwt` });
  expect(readdirSync(d.path).sort()).toEqual([name, `${name}.receipt.jwt`]);
});
