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
  log.record({ type: 'request-sign-failed', requestId: 'r3', code: 'wallet_locked', message: 'wallet w1 is locked' });
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
