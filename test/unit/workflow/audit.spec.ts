// The session audit (electron/workflow/audit.ts): the summary counts each request's outcome and lists its file,
// wallet and fingerprint.
import { test, expect } from '@playwright/test';
import { AuditLog, summarize, summaryText } from '../../../electron/workflow/audit';
import { hasInvisible } from '../../../shared/text';

test('the session summary counts outcomes per request and lists files, wallets and fingerprints', () => {
  let t = Date.UTC(2026, 10, 22, 3, 0, 0);
  const log = new AuditLog(() => new Date((t += 1000)));
  log.record({ type: 'session-started', demo: false });
  log.record({ type: 'request-imported', requestId: 'r1', file: 'a.json', sha256: 'aa', walletId: 'w1' });
  log.record({ type: 'request-imported', requestId: 'r2', file: 'b.json', sha256: 'bb', walletId: 'w2' });
  log.record({ type: 'request-imported', requestId: 'r3', file: 'c.json', sha256: 'cc', walletId: 'w1' });
  log.record({ type: 'request-imported', requestId: 'r4', file: 'd.json', sha256: 'dd' });
  log.record({ type: 'request-approved', requestId: 'r1', fingerprint: 'F1', acknowledged: [] });
  log.record({ type: 'request-signed', requestId: 'r1', fingerprint: 'F1' });
  log.record({ type: 'request-exported', requestId: 'r1', file: 'a.signed.json', sha256: 'ee' });
  log.record({ type: 'request-rejected', requestId: 'r2', fingerprint: 'F2', reason: 'amount does not match the ticket'.padEnd(900, '!') });
  log.record({ type: 'request-approved', requestId: 'r3', fingerprint: 'F3', acknowledged: ['fee_high'] });
  log.record({ type: 'request-sign-failed', requestId: 'r3', code: 'review_fingerprint_mismatch', message: 'c.json changed since it was reviewed' });
  const rows = summarize(log.entries());
  expect(rows.map((r) => [r.requestId, r.outcome])).toEqual([['r1', 'signed'], ['r2', 'rejected'], ['r3', 'failed'], ['r4', 'pending']]);
  expect(rows[1]!.detail!.length).toBe(500);
  const text = summaryText(log.entries());
  expect(text).toContain('1 signed, 1 rejected, 1 failed, 1 not finished');
  expect(text).toMatch(/SIGNED\s+a\.json\n\s+wallet w1\n\s+review fingerprint F1\n\s+written to a\.signed\.json/);
  expect(text).toContain('2026-11-22T03:00:01.000Z');
});

test('a file name or reason cannot forge a summary line or hide its direction: controls and bidi marks are shown', () => {
  const log = new AuditLog(() => new Date(Date.UTC(2026, 11, 6)));
  const forged = 'a.json\nSIGNED   fake.json\n         wallet w9';
  const trojan = 'invoice\u202Enosj.exe';
  log.record({ type: 'request-imported', requestId: 'r1', file: forged, sha256: 'aa', walletId: 'w1' });
  log.record({ type: 'request-imported', requestId: 'r2', file: trojan, sha256: 'bb', walletId: 'w1' });
  log.record({ type: 'request-rejected', requestId: 'r2', reason: 'looks\u2028fine\u0007' });
  const text = summaryText(log.entries());
  expect(text.split('\n').filter((l) => l.startsWith('SIGNED'))).toEqual([]);
  expect(text).toContain('PENDING  a.json⟨U+000A⟩SIGNED   fake.json⟨U+000A⟩         wallet w9');
  expect(text).toContain('REJECTED invoice⟨U+202E⟩nosj.exe');
  expect(text).toContain('looks⟨U+2028⟩fine⟨U+0007⟩');
  // Nothing invisible is left anywhere in the exported text (the event log included), but the line breaks.
  expect(hasInvisible(text.replace(/\n/g, ''))).toBe(false);
});

test('the summary says each request\'s true state: shown as QR is signed, signed-not-exported, approved (wallet locked) and refused are not PENDING', () => {
  const log = new AuditLog(() => new Date(Date.UTC(2026, 11, 6)));
  const sends = [{ address: 'tb1qrecipient', amount: 300_000, kind: 'external' as const }];
  const imported = (requestId: string, file: string, extra = {}) => log.record({ type: 'request-imported', requestId, file, sha256: requestId, walletId: 'w1', fingerprint: `F-${requestId}`, sends, change: 50_000, fee: 7_777, ...extra });
  imported('r1', 'shown.json');
  imported('r2', 'unexported.json');
  imported('r3', 'locked.json');
  imported('r4', 'fake-change.json', { refusals: ['output 1 claims to be change but does not re-derive from the wallet keys'] });
  imported('r5', 'waiting.json');
  log.record({ type: 'request-import-failed', file: 'foreign.json', code: 'wallet_not_in_key_store', message: 'foreign.json: wallet ffff is not in the open key store', fingerprint: 'F-foreign', refused: true });
  log.record({ type: 'request-import-failed', file: 'broken.json', code: 'request_malformed_json', message: 'not JSON' });
  for (const id of ['r1', 'r2', 'r3']) log.record({ type: 'request-approved', requestId: id, fingerprint: `F-${id}`, acknowledged: [] });
  for (const id of ['r1', 'r2']) log.record({ type: 'request-signed', requestId: id, fingerprint: `F-${id}` });
  log.record({ type: 'request-shown', requestId: 'r1', fingerprint: 'F-r1' });
  log.record({ type: 'request-sign-failed', requestId: 'r3', code: 'wallet_locked', message: 'wallet w1 is locked' });
  const rows = summarize(log.entries());
  expect(rows.map((r) => [r.file, r.outcome, r.fingerprint])).toEqual([
    ['shown.json', 'shown', 'F-r1'],
    ['unexported.json', 'unexported', 'F-r2'],
    ['locked.json', 'approved', 'F-r3'],
    ['fake-change.json', 'refused', 'F-r4'],
    ['waiting.json', 'pending', 'F-r5'],
    ['foreign.json', 'refused', 'F-foreign'],
  ]);
  const text = summaryText(log.entries());
  expect(text).toContain('1 signed (1 shown as QR codes), 1 signed but not exported, 0 rejected, 2 refused, 0 failed, 2 not finished');
  expect(text).toContain('SIGNED, SHOWN AS QR shown.json\n         wallet w1\n         review fingerprint F-r1\n         shown as QR codes on screen (no file written)\n');
  expect(text).toContain('SIGNED, NOT EXPORTED unexported.json\n');
  expect(text).toContain('APPROVED, NOT SIGNED locked.json\n');
  expect(text).toContain('REFUSED  fake-change.json\n         wallet w1\n         review fingerprint F-r4\n         refused by the review: output 1 claims to be change');
  expect(text).toContain('REFUSED  foreign.json\n         review fingerprint F-foreign\n         not imported: foreign.json: wallet ffff is not in the open key store\n');
  expect(text).not.toContain('broken.json\n         '); // an unreadable file is in the event log only
  expect(text).toContain('PENDING  waiting.json\n         wallet w1\n         review fingerprint F-r5\n         pays 0.00300000 BTC (300,000 sat) to tb1qrecipient\n         change back to the wallet 0.00050000 BTC (50,000 sat)\n         network fee 0.00007777 BTC (7,777 sat)\n');
});

test('a destination address is escaped in the summary as file names are', () => {
  const log = new AuditLog(() => new Date(Date.UTC(2026, 11, 6)));
  log.record({ type: 'request-imported', requestId: 'r1', file: 'a.json', sha256: 'aa', walletId: 'w1', fingerprint: 'F1', sends: [{ address: 'tb1q\nSIGNED   forged.json', amount: 1, kind: 'external' }, { amount: 0, kind: 'external' }], fee: 1 });
  const text = summaryText(log.entries());
  expect(text).toContain('pays 0.00000001 BTC (1 sat) to tb1q⟨U+000A⟩SIGNED   forged.json');
  expect(text).toContain('pays 0.00000000 BTC (0 sat) to a script with no address (data or non-standard)');
  expect(text.split('\n').filter((l) => l.startsWith('SIGNED'))).toEqual([]);
});

test('a canceled signing leaves the request approved in the summary, as the session keeps it (not FAILED)', () => {
  const log = new AuditLog(() => new Date(Date.UTC(2026, 11, 6)));
  const sends = [{ address: 'tb1qrecipient', amount: 300_000, kind: 'external' as const }];
  for (const [id, file] of [['r1', 'canceled.json'], ['r2', 'broken-sig.json']] as const) {
    log.record({ type: 'request-imported', requestId: id, file, sha256: id, walletId: 'w1', fingerprint: `F-${id}`, sends, change: 50_000, fee: 7_777 });
    log.record({ type: 'request-approved', requestId: id, fingerprint: `F-${id}`, acknowledged: [] });
  }
  log.record({ type: 'request-sign-failed', requestId: 'r1', code: 'signing_canceled', message: 'canceled within the request; nothing of it was kept' });
  log.record({ type: 'request-sign-failed', requestId: 'r2', code: 'sighash_unsupported', message: 'input 0 asks for sighash 0x03' });
  expect(summarize(log.entries()).map((r) => [r.file, r.outcome])).toEqual([
    ['canceled.json', 'approved'],
    ['broken-sig.json', 'failed'],
  ]);
});
