// The session audit on disk (workflow/audit.ts with output/audit-chain.ts): every event the session records is
// appended to the hash-chained log, which verifies afterwards and holds no path or passphrase; and Coldcard's
// must-log rule: a signed result is not released when its entry cannot be written, and nothing is signed while the
// log is failing (audit_unwritable). The failing writer is injected (root ignores read-only folders).
import { test, expect } from '@playwright/test';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AuditChain, headPathFor, verifyAuditChain } from '../../../electron/output/audit-chain';
import { AuditLog, type AuditEvent, type AuditSink } from '../../../electron/workflow/audit';
import { UnlockThrottle } from '../../../electron/workflow/throttle';
import type { ImportFileResult } from '../../../shared/contract';
import { workflowHarness } from '../../support/workflow-harness';

const FIX = new URL('../../fixtures/bitgo/', import.meta.url);
const env = JSON.parse(readFileSync(new URL('env.json', FIX), 'utf8')) as Record<string, string>;
const wallets = JSON.parse(readFileSync(new URL('wallets.json', FIX), 'utf8')) as Record<string, { walletId: string; passphrase: string }>;
const A = wallets.walletA!;
const caseFile = (name: string) => readFileSync(new URL(`cases/${name}`, FIX));

function ok(results: ImportFileResult[], file: string): string {
  const r = results.find((x) => x.file === file);
  if (!r || !r.ok) throw new Error(`${file} did not import: ${JSON.stringify(r)}`);
  return r.requestId;
}

function setup(sink: (root: string) => AuditSink) {
  let clock = 0;
  // The sink learns the harness's temporary folder once it exists.
  const holder: { root?: string } = {};
  const failures: string[] = [];
  const audit = new AuditLog(undefined, { append: (e, at) => sink(holder.root!).append(e, at) }, (e) => failures.push(`${e.code}: ${e.message}`));
  const h = workflowHarness({
    files: { 'p2wsh.json': caseFile('p2wsh.request.json'), 'p2sh.json': caseFile('p2sh.request.json') },
    deps: { audit, throttle: new UnlockThrottle(() => (clock += 60_000)) },
  });
  holder.root = h.root;
  return { ...h, audit, failures };
}

async function importAndApprove(s: ReturnType<typeof setup>, file: string): Promise<string> {
  const imported = await s.call('requestsImport', { driveId: 'drive-1', files: [file] });
  const requestId = ok(imported, file);
  const rev = await s.call('requestReview', { requestId });
  await s.call('requestApprove', { requestId, fingerprint: rev.review.fingerprint.sha256, acknowledged: rev.warningKeys });
  return requestId;
}

test('every recorded event is appended to the chain, which verifies and holds no path or passphrase', async () => {
  let chain: AuditChain<AuditEvent> | undefined;
  const s = setup((root) => (chain ??= new AuditChain<AuditEvent>(join(root, 'data', 'audit-log.jsonl'))));
  try {
    await s.call('drivesList', {});
    const id = await importAndApprove(s, 'p2wsh.json');
    await s.call('walletUnlock', { walletId: A.walletId, passphrase: env[`WALLET_${A.walletId}_PASSPHRASE`]! });
    expect((await s.call('requestsSign', {}))[0]).toMatchObject({ requestId: id, ok: true });
    expect((await s.call('requestsExport', {}))[0]).toMatchObject({ ok: true });
    await s.call('walletLock', { walletId: A.walletId });

    const path = join(s.root, 'data', 'audit-log.jsonl');
    const log = readFileSync(path, 'utf8');
    const memory = s.audit.entries();
    expect(verifyAuditChain(log, readFileSync(headPathFor(path), 'utf8'))).toMatchObject({ entries: memory.length, unconfirmed: 0 });
    const onDisk = log.split('\n').slice(0, -1).map((l) => JSON.parse(l) as { at: string; event: AuditEvent });
    expect(onDisk.map((l) => ({ ...l.event, at: l.at }))).toEqual(memory);
    expect(onDisk.map((l) => l.event.type)).toEqual(expect.arrayContaining(['request-imported', 'request-approved', 'wallet-unlocked', 'request-signed', 'request-exported', 'wallet-locked']));
    expect(log).not.toContain(s.root);
    for (const w of Object.values(wallets)) expect(log).not.toContain(JSON.stringify(w.passphrase).slice(1, -1));
  } finally {
    s.cleanup();
  }
});

test('a signed result whose entry cannot be written is not released; nothing is signed while the log fails', async () => {
  let failing = false;
  const appended: string[] = [];
  const s = setup(() => ({
    append: (e) => {
      if (failing) throw Object.assign(new Error('EIO: simulated'), { code: 'EIO' });
      appended.push(e.type);
      return { seq: appended.length, hash: '0'.repeat(64) };
    },
  }));
  try {
    await s.call('drivesList', {});
    const first = await importAndApprove(s, 'p2wsh.json');
    await s.call('walletUnlock', { walletId: A.walletId, passphrase: env[`WALLET_${A.walletId}_PASSPHRASE`]! });

    // The log fails at the signature's entry: the signature is made, its result is dropped, the request stays approved.
    failing = true;
    const [signed] = await s.call('requestsSign', {});
    expect(signed).toMatchObject({ requestId: first, ok: false, error: { code: 'audit_unwritable', error: 'the audit log could not be written (EIO)' } });
    const status = async (id: string) => (await s.call('requestsList', {})).flatMap((g) => g.requests).find((r) => r.requestId === id)?.status;
    expect(await status(first)).toBe('approved');
    expect((await s.call('requestsExport', { requestIds: [first] }))[0]).toMatchObject({ ok: false, error: { code: 'request_not_signed' } });
    expect(existsSync(join(s.drive, 'p2wsh.signed.json'))).toBe(false);
    expect(s.audit.entries().some((e) => e.type === 'request-signed')).toBe(false);

    // An approval the log could not hold: the next signature is refused before anything is signed.
    const second = await importAndApprove(s, 'p2sh.json');
    failing = false;
    const [refused] = await s.call('requestsSign', { requestIds: [second] });
    expect(refused).toMatchObject({ requestId: second, ok: false, error: { code: 'audit_unwritable' } });
    expect(appended).not.toContain('request-signed');
    // The refusal itself reached the log: the log works again, and both approved requests now sign.
    expect(appended[appended.length - 1]).toBe('request-sign-failed');
    expect(await status(second)).toBe('approved');
    expect((await s.call('requestsSign', {})).map((r) => [r.requestId, r.ok])).toEqual([[first, true], [second, true]]);
    expect(appended.filter((t) => t === 'request-signed')).toHaveLength(2);
    // Each failed append was told (main logs it): the approval's, the signature's and its failure's.
    expect(s.failures.length).toBeGreaterThanOrEqual(3);
    expect(new Set(s.failures)).toEqual(new Set(['audit_unwritable: the audit log could not be written (EIO)']));
  } finally {
    s.cleanup();
  }
});
