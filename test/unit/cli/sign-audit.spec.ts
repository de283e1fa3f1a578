// `sign` keeps the hash-chained audit log the app keeps (electron/output/audit-chain.ts), through the built command
// line with BitGo's fixture key file and requests (test/fixtures/bitgo, PROVENANCE.md there): each input's
// authentication result and its signature or failure are appended, the log verifies with `audit verify`, a second
// run continues the chain, and a log that cannot be written (or does not verify) refuses to sign and releases
// nothing. No full path is in the log.
import { test, expect } from '@playwright/test';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { reviewFingerprint } from '../../../electron/review/fingerprint';
import type { SignAuditEvent } from '../../../electron/cli/sign';
import type { AuditEvent } from '../../../electron/workflow/audit';
import { runCliProcess } from '../../support/cli';

const fixtures = fileURLToPath(new URL('../../fixtures/bitgo/', import.meta.url));
const fx = (p: string) => join(fixtures, p);
const env = JSON.parse(readFileSync(fx('env.json'), 'utf8')) as Record<string, string>;
const walletA = (JSON.parse(readFileSync(fx('wallets.json'), 'utf8')) as Record<string, { walletId: string }>).walletA!.walletId;
const envA = { [`WALLET_${walletA}_PASSPHRASE`]: env[`WALLET_${walletA}_PASSPHRASE`]! };
const request = readFileSync(fx('cases/p2wsh.request.json'));
const response = JSON.parse(readFileSync(fx('cases/p2wsh.response.json'), 'utf8')) as unknown;

/** The key file and its registry copied to a new folder, with the p2wsh request beside them. */
function folder() {
  const dir = mkdtempSync(join(tmpdir(), 'cli-sign-audit-'));
  copyFileSync(fx('keys.json'), join(dir, 'keys.json'));
  copyFileSync(fx('keys.registry.json'), join(dir, 'keys.registry.json'));
  writeFileSync(join(dir, 'p2wsh.json'), request);
  return { dir, keys: join(dir, 'keys.json'), req: join(dir, 'p2wsh.json') };
}
// Type-level: every event `sign` writes is one of the app's audit events (a change to either that breaks this does
// not compile).
const sameShapes: (e: SignAuditEvent) => AuditEvent = (e) => e;
void sameShapes;

const events = (log: string) => readFileSync(log, 'utf8').split('\n').slice(0, -1).map((l) => (JSON.parse(l) as { seq: number; event: Record<string, unknown> }));

test('beside the key file by default: the authentication result and the signature are logged, the log verifies, a second run continues it', () => {
  const { dir, keys, req } = folder();
  const first = runCliProcess(['sign', '--keys', keys, req], envA, undefined, { defaultLedger: true });
  expect(first.status, first.stdout + first.stderr).toBe(0);
  expect(first.json()).toEqual(response);
  const log = join(dir, 'keys.audit-log.jsonl');
  expect(existsSync(join(dir, 'keys.audit-log.head.json'))).toBe(true);
  const fingerprint = reviewFingerprint(request).short;
  expect(events(log).map((l) => l.event)).toEqual([
    { type: 'request-auth', file: 'p2wsh.json', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) as unknown, result: 'not-authenticated' },
    { type: 'request-signed', requestId: 'p2wsh.json', fingerprint },
  ]);
  // The same request again is a second signature of the same outpoints, same amounts: signed and logged again;
  // a file that is not a request fails and that is logged too. The chain goes on from the first run.
  writeFileSync(join(dir, 'junk.json'), '{"not": "a request"}');
  const second = runCliProcess(['sign', '--keys', keys, '--out', dir, req, join(dir, 'junk.json')], envA, undefined, { defaultLedger: true });
  expect(second.status).toBe(1);
  const all = events(log);
  expect(all.map((l) => l.seq)).toEqual([1, 2, 3, 4, 5, 6]);
  expect(all.slice(2).map((l) => [l.event.type, l.event.result ?? l.event.code ?? l.event.fingerprint])).toEqual([
    ['request-auth', 'not-authenticated'],
    ['request-signed', fingerprint],
    ['request-auth', 'not-authenticated'],
    ['request-sign-failed', 'request_field_missing'],
  ]);
  expect(readFileSync(log, 'utf8')).not.toContain(dir);
  const verify = runCliProcess(['audit', 'verify', '--log', log]);
  expect(verify.status, verify.stdout + verify.stderr).toBe(0);
  expect(verify.json()).toMatchObject({ entries: 6, unconfirmed: 0 });
});

test('must-log rule: a log that cannot be written, or does not verify, refuses to sign and releases nothing', () => {
  const { dir, keys, req } = folder();
  // A folder that cannot be made (a file is in the way).
  writeFileSync(join(dir, 'blocked'), 'a file, not a folder');
  const out = join(dir, 'p2wsh.signed.json');
  const blocked = runCliProcess(['sign', '--keys', keys, '--audit-log', join(dir, 'blocked', 'audit-log.jsonl'), '--out', out, req], envA);
  expect(blocked.status).toBe(1);
  expect(blocked.json()).toMatchObject({ code: 'audit_unwritable' });
  expect(readFileSync(out, 'utf8')).not.toContain('txHex');

  // A log edited after it was written: never appended to, nothing signed.
  const log = join(dir, 'audit-log.jsonl');
  expect(runCliProcess(['sign', '--keys', keys, '--audit-log', log, req], envA).status).toBe(0);
  writeFileSync(log, readFileSync(log, 'utf8').replace('not-authenticated', 'verified'));
  const tampered = runCliProcess(['sign', '--keys', keys, '--audit-log', log, req], envA);
  expect(tampered.status).toBe(1);
  expect(tampered.json()).toMatchObject({ code: 'audit_unwritable', error: expect.stringContaining('audit_entry_edited') as unknown });
  expect(tampered.stdout).not.toContain('txHex');
});
