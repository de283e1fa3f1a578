// True status (issue 19): what main says about each request and drive is what happened. Through the real router,
// handlers, vault and session (test/support/workflow-harness.ts); requests are BitGo's fixture requests
// (test/fixtures/bitgo/cases, see PROVENANCE.md) and the demo's bundled requests (electron/demo/PROVENANCE.md).
import { test, expect } from '@playwright/test';
import { readFileSync, readdirSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONTRACT, EVENTS, type ImportFileResult, type RequestChangedEvent, type SignProgressEvent } from '../../../shared/contract';
import { encodeAnimated } from '../../../shared/qr/encode';
import { fixtureRequestJson } from '../../support/qr-payloads';
import { DEMO_DRIVE_LABEL, DEMO_REQUESTS } from '../../../electron/demo/index';
import { createHandlers } from '../../../electron/ipc/handlers';
import { createRouter } from '../../../electron/ipc/router';
import { Vault } from '../../../electron/keystore/vault';
import { reviewFingerprint } from '../../../electron/review/fingerprint';
import { UnlockThrottle } from '../../../electron/workflow/throttle';
import { workflowHarness } from '../../support/workflow-harness';

const FIX = new URL('../../fixtures/bitgo/', import.meta.url);
const env = JSON.parse(readFileSync(new URL('env.json', FIX), 'utf8')) as Record<string, string>;
const wallets = JSON.parse(readFileSync(new URL('wallets.json', FIX), 'utf8')) as Record<string, { walletId: string }>;
const A = wallets.walletA!;
const passphrase = (walletId: string) => env[`WALLET_${walletId}_PASSPHRASE`]!;
const caseFile = (name: string) => readFileSync(new URL(`cases/${name}`, FIX));

function ok(results: ImportFileResult[], file: string): string {
  const r = results.find((x) => x.file === file);
  if (!r || !r.ok) throw new Error(`${file} did not import: ${JSON.stringify(r)}`);
  return r.requestId;
}

test('demo mode: the bundled requests are a read-only built-in drive, listed after the USB drives, that reach a review and sign', async () => {
  const h = workflowHarness({ files: { 'p2wsh.json': caseFile('p2wsh.request.json') } });
  try {
    const drives = await h.call('drivesList', {});
    expect(drives).toEqual([{ id: 'drive-1', label: 'USB STICK' }, { id: 'drive-2', label: DEMO_DRIVE_LABEL, builtIn: true }]);
    const files = await h.call('driveFiles', { driveId: 'drive-2' });
    expect(files.map((f) => f.name).sort()).toEqual(Object.keys(DEMO_REQUESTS).map((n) => `${n}.request.json`).sort());
    expect(files.every((f) => f.size > 100 && f.problem === undefined)).toBe(true);

    const [imported] = await h.call('requestsImport', { driveId: 'drive-2', files: ['p2wsh.request.json'] });
    expect(imported).toMatchObject({ ok: true, walletId: A.walletId });
    const requestId = ok([imported!], 'p2wsh.request.json');
    const rev = await h.call('requestReview', { requestId });
    expect(rev.request).toMatchObject({ drive: DEMO_DRIVE_LABEL, via: 'built-in', status: 'imported' });
    expect(rev.review.refusals).toEqual([]);
    await h.call('requestApprove', { requestId, fingerprint: rev.review.fingerprint.sha256, acknowledged: rev.warningKeys });
    await h.call('walletUnlock', { walletId: A.walletId, passphrase: passphrase(A.walletId) });
    const [signed] = await h.call('requestsSign', {});
    expect(signed).toMatchObject({ ok: true, request: { status: 'signed' } });

    // Nothing is ever written to it: "export all" leaves it out, naming it says why, the summary is refused there.
    expect(await h.call('requestsExport', {})).toEqual([]);
    const [named] = await h.call('requestsExport', { requestIds: [requestId] });
    expect(named).toMatchObject({ ok: false, error: { code: 'drive_built_in_read_only' } });
    expect((await h.fail('sessionSummaryExport', { driveId: 'drive-2' })).code).toBe('drive_built_in_read_only');
    // Its result leaves as QR codes.
    const shown = await h.call('qrShowFrames', { requestId, format: 'ur', density: 'medium', content: 'response', count: 1 });
    expect(shown.file).toBe('p2wsh.request.json');
    // A name that is not one of the bundled requests is refused by name, not looked up anywhere.
    const [odd] = await h.call('requestsImport', { driveId: 'drive-2', files: ['../p2wsh.json'] });
    expect(odd).toMatchObject({ ok: false, error: { code: 'file_missing' } });
    // The USB drive is untouched by all this (only its request file is there).
    expect(readdirSync(h.drive)).toEqual(['p2wsh.json']);
  } finally {
    h.cleanup();
  }
});

test('outside demo mode there is no built-in drive', async () => {
  const root = mkdtempSync(join(tmpdir(), 'status-'));
  try {
    const handlers = createHandlers({
      version: 'test',
      demo: false,
      vault: new Vault({ idleMs: 0 }),
      dialogs: { chooseKeyFile: async () => null },
      airGap: () => ({ ok: true, interfaces: [], advice: '' }),
      driveEnv: { platform: 'linux', user: 'operator', root },
      ledgerPath: join(root, 'ledger.json'),
    });
    const router = createRouter(handlers, { appOrigin: 'app://signer' });
    const r = await router.handle({ channel: CONTRACT.drivesList.channel, senderUrl: 'app://signer/index.html', isTopFrame: true, payload: {} });
    expect(r).toEqual({ ok: true, value: [] });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('a scanned request signed and shown as QR codes is "shown": counted as signed, never "signed, not exported"', async () => {
  const events: RequestChangedEvent[] = [];
  const h = workflowHarness({
    deps: {
      emit: (channel, payload) => {
        if (channel === EVENTS.requestChanged.channel) events.push(payload as RequestChangedEvent);
      },
    },
  });
  try {
    let done;
    for (const text of encodeAnimated(fixtureRequestJson(), { format: 'bbqr', kind: 'json', density: 'low' })) {
      const r = await h.call('qrScanFrame', { text });
      if (r.status === 'complete') done = r;
    }
    if (done?.status !== 'complete' || !done.result.ok) throw new Error(`not imported: ${JSON.stringify(done)}`);
    const requestId = done.result.requestId;
    const rev = await h.call('requestReview', { requestId });
    await h.call('requestApprove', { requestId, fingerprint: rev.review.fingerprint.sha256, acknowledged: rev.warningKeys });
    await h.call('walletUnlock', { walletId: A.walletId, passphrase: passphrase(A.walletId) });
    await h.call('requestsSign', {});
    let summary = await h.call('sessionSummary', {});
    expect(summary.rows).toEqual([expect.objectContaining({ requestId, outcome: 'unexported', fingerprint: rev.review.fingerprint.short })]);
    expect(summary.counts).toMatchObject({ signed: 0, unexported: 1, pending: 0 });
    expect(events).toEqual([]);

    await h.call('qrShowFrames', { requestId, format: 'ur', density: 'medium', content: 'response', count: 2 });
    const [group] = await h.call('requestsList', {});
    expect(group!.requests[0]).toMatchObject({ requestId, status: 'shown', via: 'qr' });
    expect(events).toEqual([{ requestId, status: 'shown' }]);
    summary = await h.call('sessionSummary', {});
    expect(summary.counts).toEqual({ signed: 1, unexported: 0, refused: 0, rejected: 0, failed: 0, pending: 0 });
    expect(summary.countsLine).toBe('1 signed (1 shown as QR codes), 0 rejected, 0 failed, 0 not finished');
    expect(summary.rows[0]).toMatchObject({ outcome: 'shown', fingerprint: rev.review.fingerprint.short });
    expect(summary.text).toContain('SIGNED, SHOWN AS QR QR code 1');
    // Shown again (the next batch of frames): still one state change, one audit entry.
    await h.call('qrShowFrames', { requestId, format: 'ur', density: 'medium', content: 'response', count: 2 });
    expect(events).toHaveLength(1);
    expect((await h.call('sessionSummary', {})).text.match(/request-shown/g)).toHaveLength(1);
    // Still the signed result: a scanned request still cannot be exported, and it cannot be rejected any more.
    const [exp] = await h.call('requestsExport', { requestIds: [requestId] });
    expect(exp).toMatchObject({ ok: false, error: { code: 'request_scanned_no_drive' } });
    expect((await h.fail('requestReject', { requestId })).code).toBe('request_state_invalid');
  } finally {
    h.cleanup();
  }
});

test('a file request shown as QR codes can still be exported; export-all includes it; exported stays exported when shown', async () => {
  const h = workflowHarness({ files: { 'p2wsh.json': caseFile('p2wsh.request.json') } });
  try {
    await h.call('drivesList', {});
    const requestId = ok(await h.call('requestsImport', { driveId: 'drive-1', files: ['p2wsh.json'] }), 'p2wsh.json');
    const rev = await h.call('requestReview', { requestId });
    await h.call('requestApprove', { requestId, fingerprint: rev.review.fingerprint.sha256, acknowledged: rev.warningKeys });
    await h.call('walletUnlock', { walletId: A.walletId, passphrase: passphrase(A.walletId) });
    await h.call('requestsSign', {});
    await h.call('qrShowFrames', { requestId, format: 'ur', density: 'medium', content: 'response', count: 1 });
    expect((await h.call('requestReview', { requestId })).request.status).toBe('shown');
    const [exp] = await h.call('requestsExport', {});
    expect(exp).toMatchObject({ ok: true, request: { status: 'exported', output: 'p2wsh.signed.json' } });
    await h.call('qrShowFrames', { requestId, format: 'ur', density: 'medium', content: 'response', count: 1 });
    expect((await h.call('requestReview', { requestId })).request.status).toBe('exported');
    expect((await h.call('sessionSummary', {})).rows[0]).toMatchObject({ outcome: 'signed', output: 'p2wsh.signed.json' });
  } finally {
    h.cleanup();
  }
});

test('signing with a locked wallet ends with "0 signed" and names the locked wallet; the request stays approved', async () => {
  const events: SignProgressEvent[] = [];
  const h = workflowHarness({ files: { 'p2wsh.json': caseFile('p2wsh.request.json') }, deps: { emit: (channel, p) => void (channel === EVENTS.signProgress.channel && events.push(p as SignProgressEvent)) } });
  try {
    await h.call('drivesList', {});
    const requestId = ok(await h.call('requestsImport', { driveId: 'drive-1', files: ['p2wsh.json'] }), 'p2wsh.json');
    const rev = await h.call('requestReview', { requestId });
    await h.call('requestApprove', { requestId, fingerprint: rev.review.fingerprint.sha256, acknowledged: rev.warningKeys });
    const [r] = await h.call('requestsSign', {});
    expect(r).toMatchObject({ ok: false, error: { code: 'wallet_locked' } });
    expect(events.at(-1)).toMatchObject({ state: 'finished', done: 1, total: 1, signed: 0, lockedWallets: [A.walletId] });
    expect((await h.call('requestReview', { requestId })).request.status).toBe('approved');
    expect((await h.call('sessionSummary', {})).rows[0]).toMatchObject({ outcome: 'approved' });
    await h.call('walletUnlock', { walletId: A.walletId, passphrase: passphrase(A.walletId) });
    await h.call('requestsSign', {});
    expect(events.at(-1)).toMatchObject({ state: 'finished', done: 1, total: 1, signed: 1, lockedWallets: [] });
  } finally {
    h.cleanup();
  }
});

test('a request for a wallet not in the key store is refused at import with wallet_not_in_key_store, never imported under that wallet', async () => {
  const body = JSON.parse(caseFile('p2wsh.request.json').toString('utf8')) as { txPrebuild: { walletId: string } };
  body.txPrebuild.walletId = 'ffffffffffffffffffffffffffffffff';
  const foreign = JSON.stringify(body);
  const h = workflowHarness({ files: { 'foreign.json': foreign } });
  try {
    await h.call('drivesList', {});
    const [r] = await h.call('requestsImport', { driveId: 'drive-1', files: ['foreign.json'] });
    expect(r).toMatchObject({ ok: false, error: { code: 'wallet_not_in_key_store' }, fingerprint: reviewFingerprint(foreign).short });
    expect(r!.ok ? undefined : r!.register).toBeUndefined();
    expect(await h.call('requestsList', {})).toEqual([]);
    const summary = await h.call('sessionSummary', {});
    expect(summary.rows).toEqual([expect.objectContaining({ file: 'foreign.json', outcome: 'refused', fingerprint: reviewFingerprint(foreign).short })]);
    expect(summary.counts.refused).toBe(1);
  } finally {
    h.cleanup();
  }
});

test('after a wrong passphrase the wallet\'s view carries main\'s wait, which counts down and goes; an unlocked wallet has none', async () => {
  let clock = 1_000_000;
  const h = workflowHarness({ deps: { throttle: new UnlockThrottle(() => clock) } });
  try {
    const view = async () => (await h.call('walletsList', {})).find((w) => w.walletId === A.walletId)!;
    expect((await view()).unlockRetryInMs).toBeUndefined();
    expect((await h.fail('walletUnlock', { walletId: A.walletId, passphrase: 'wrong' })).code).toBe('wallet_passphrase_incorrect');
    expect((await view()).unlockRetryInMs).toBe(1000);
    clock += 400;
    expect((await view()).unlockRetryInMs).toBe(600);
    expect((await h.fail('walletUnlock', { walletId: A.walletId, passphrase: passphrase(A.walletId) })).code).toBe('unlock_throttled');
    clock += 600;
    expect((await view()).unlockRetryInMs).toBeUndefined();
    expect((await h.fail('walletUnlock', { walletId: A.walletId, passphrase: 'wrong again' })).code).toBe('wallet_passphrase_incorrect');
    expect((await view()).unlockRetryInMs).toBe(2000);
    clock += 2000;
    await h.call('walletUnlock', { walletId: A.walletId, passphrase: passphrase(A.walletId) });
    expect((await view()).unlockRetryInMs).toBeUndefined();
  } finally {
    h.cleanup();
  }
});
