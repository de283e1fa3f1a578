// The USB workflow through the real router, handlers, vault and drives code: temporary folders stand in for the
// removable drives (the handlers' driveEnv.root points at them). Requests are BitGo's fixture requests
// (test/fixtures/bitgo/cases, see PROVENANCE.md); the signed files must equal BitGo's own responses byte for byte.
import { test, expect } from '@playwright/test';
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EVENTS, type ImportFileResult, type MethodName, type SignProgressEvent, type RequestActionResult, type RequestGroup, type RequestReview } from '../../../shared/contract';
import { AuditLog } from '../../../electron/workflow/audit';
import { UnlockThrottle } from '../../../electron/workflow/throttle';
import type { ErrorData } from '../../../shared/errors';
import { mutateRequest } from '../../support/review-helpers';
import { workflowHarness } from '../../support/workflow-harness';

const FIX = new URL('../../fixtures/bitgo/', import.meta.url);
const env = JSON.parse(readFileSync(new URL('env.json', FIX), 'utf8')) as Record<string, string>;
const wallets = JSON.parse(readFileSync(new URL('wallets.json', FIX), 'utf8')) as Record<string, { walletId: string; passphrase: string }>;
const A = wallets.walletA!;
const C = wallets.walletC!;
const passphrase = (walletId: string) => env[`WALLET_${walletId}_PASSPHRASE`]!;
const caseFile = (name: string) => readFileSync(new URL(`cases/${name}`, FIX));
/** BitGo's response for a case, as the file this app writes: {"txHex": ...} (Express's response body). */
const expectedOutput = (name: string) => JSON.stringify({ txHex: (JSON.parse(caseFile(`${name}.response.json`).toString('utf8')) as { txHex: string }).txHex });


function setup(files: Record<string, string | Uint8Array>, label = 'USB STICK') {
  let clock = 0;
  const audit = new AuditLog();
  const progress: SignProgressEvent[] = [];
  /** Runs inside the emit call for each progress event (what a renderer would do on seeing it). */
  let onProgress: (p: SignProgressEvent) => void = () => undefined;
  const h = workflowHarness({
    files,
    label,
    deps: {
      audit,
      // No waiting between attempts in these tests (the throttle has its own spec).
      throttle: new UnlockThrottle(() => (clock += 60_000)),
      emit: (channel, payload) => {
        expect(channel).toBe(EVENTS.signProgress.channel);
        h.responses.push(JSON.stringify(payload)); // events go through the same secret scan as responses
        progress.push(payload as SignProgressEvent);
        onProgress(payload as SignProgressEvent);
      },
    },
  });
  return { ...h, audit, progress, setOnProgress: (f: (p: SignProgressEvent) => void) => (onProgress = f) };
}

function ok(results: ImportFileResult[], file: string): string {
  const r = results.find((x) => x.file === file);
  if (!r || !r.ok) throw new Error(`${file} did not import: ${JSON.stringify(r)}`);
  return r.requestId;
}

async function approveAsSeen(s: ReturnType<typeof setup>, requestId: string): Promise<RequestReview> {
  const rev = await s.call('requestReview', { requestId });
  await s.call('requestApprove', { requestId, fingerprint: rev.review.fingerprint.sha256, acknowledged: rev.warningKeys });
  return rev;
}

test('happy path: three requests for two wallets, approve two, reject one, sign, export; files equal BitGo responses', async () => {
  const s = setup({
    'p2wsh.json': caseFile('p2wsh.request.json'),
    'payroll/p2wsh-unicode-passphrase.json': caseFile('p2wsh-unicode-passphrase.request.json'),
    'p2sh.json': caseFile('p2sh.request.json'),
    'notes.pdf': 'not offered',
  });
  try {
    const drives = await s.call('drivesList', {});
    // The demo's built-in requests come after the USB drives (the harness runs in demo mode).
    expect(drives).toEqual([{ id: 'drive-1', label: 'USB STICK' }, { id: 'drive-2', label: 'DEMO requests (built in, not a USB drive)', builtIn: true }]);
    const files = await s.call('driveFiles', { driveId: 'drive-1' });
    expect(files.map((f) => f.name)).toEqual(['p2sh.json', 'p2wsh.json', 'payroll/p2wsh-unicode-passphrase.json']);

    const imported = await s.call('requestsImport', { driveId: 'drive-1', files: files.map((f) => f.name) });
    const wsh = ok(imported, 'p2wsh.json');
    const uni = ok(imported, 'payroll/p2wsh-unicode-passphrase.json');
    const sh = ok(imported, 'p2sh.json');
    const groups: RequestGroup[] = await s.call('requestsList', {});
    expect(groups.map((g) => [g.walletId, g.requests.map((r) => r.file).sort()])).toEqual([
      [A.walletId, ['p2sh.json', 'p2wsh.json']],
      [C.walletId, ['payroll/p2wsh-unicode-passphrase.json']],
    ]);

    // The review shows the change output as verified change, and the short fingerprint of the file's bytes.
    const rev = await approveAsSeen(s, wsh);
    expect(rev.review.walletId).toBe(A.walletId);
    expect(rev.review.outputs.items.map((o) => o.kind).sort()).toEqual(['change', 'external']);
    expect(rev.request.fingerprint).toBe(rev.review.fingerprint.short);
    await approveAsSeen(s, uni);
    const rejected = await s.call('requestReject', { requestId: sh, reason: 'not on the payment list' });
    expect(rejected.status).toBe('rejected');

    await s.call('walletUnlock', { walletId: A.walletId, passphrase: passphrase(A.walletId) });
    await s.call('walletUnlock', { walletId: C.walletId, passphrase: passphrase(C.walletId) });
    const signed: RequestActionResult[] = await s.call('requestsSign', {});
    expect(signed.map((r) => [r.requestId, r.ok])).toEqual([[wsh, true], [uni, true]]);
    // A rejected request is never signed, even when named.
    const refusedSign = await s.call('requestsSign', { requestIds: [sh] });
    expect(refusedSign[0]).toMatchObject({ ok: false, error: { code: 'request_not_approved' } });

    const exported = await s.call('requestsExport', {});
    expect(exported.map((r) => (r.ok ? r.request.output : r.error.code))).toEqual(['p2wsh.signed.json', 'payroll/p2wsh-unicode-passphrase.signed.json']);
    expect(readFileSync(join(s.drive, 'p2wsh.signed.json'), 'utf8')).toBe(expectedOutput('p2wsh'));
    expect(readFileSync(join(s.drive, 'payroll/p2wsh-unicode-passphrase.signed.json'), 'utf8')).toBe(expectedOutput('p2wsh-unicode-passphrase'));
    expect(existsSync(join(s.drive, 'p2sh.signed.json'))).toBe(false);

    const summary = await s.call('sessionSummary', {});
    expect(summary.counts).toEqual({ signed: 2, unexported: 0, refused: 0, rejected: 1, failed: 0, pending: 0 });
    expect(summary.text).toContain('REJECTED p2sh.json');
    expect(summary.text).toContain('not on the payment list');
    expect(summary.text).toContain(`review fingerprint ${rev.review.fingerprint.short}`);
    const { file } = await s.call('sessionSummaryExport', { driveId: 'drive-1' });
    expect(file).toMatch(/^session-summary-.*\.txt$/);
    expect(readFileSync(join(s.drive, file), 'utf8')).toContain('2 signed, 1 rejected, 0 failed');

    // No response carries a path, a passphrase or a private key.
    for (const r of s.responses) {
      expect(r).not.toContain(s.root);
      for (const w of Object.values(wallets)) expect(r).not.toContain(JSON.stringify(w.passphrase).slice(1, -1));
      expect(r).not.toMatch(/[xt]prv[1-9A-HJ-NP-Za-km-z]{20,}/);
    }
  } finally {
    s.cleanup();
  }
});

test('wrong passphrase: coded error, the wallet stays locked and signing says wallet_locked', async () => {
  const s = setup({ 'p2wsh.json': caseFile('p2wsh.request.json') });
  try {
    await s.call('drivesList', {});
    const id = ok(await s.call('requestsImport', { driveId: 'drive-1', files: ['p2wsh.json'] }), 'p2wsh.json');
    await approveAsSeen(s, id);
    const err = await s.fail('walletUnlock', { walletId: A.walletId, passphrase: `${passphrase(A.walletId)}x` });
    expect(err.code).toBe('wallet_passphrase_incorrect');
    expect(s.vault.isUnlocked(A.walletId)).toBe(false);
    const [r] = await s.call('requestsSign', {});
    expect(r).toMatchObject({ ok: false, error: { code: 'wallet_locked' } });
    expect(r!.ok ? '' : r!.error.error).toContain(A.walletId);
    // Still approved: after unlocking, the same request signs.
    await s.call('walletUnlock', { walletId: A.walletId, passphrase: passphrase(A.walletId) });
    const [again] = await s.call('requestsSign', {});
    expect(again).toMatchObject({ ok: true, request: { status: 'signed' } });
  } finally {
    s.cleanup();
  }
});

test('an existing output file is left untouched: output_exists, named by file, nothing overwritten', async () => {
  const s = setup({ 'p2wsh.json': caseFile('p2wsh.request.json'), 'p2wsh.signed.json': 'operator file' });
  try {
    await s.call('drivesList', {});
    const id = ok(await s.call('requestsImport', { driveId: 'drive-1', files: ['p2wsh.json'] }), 'p2wsh.json');
    await approveAsSeen(s, id);
    await s.call('walletUnlock', { walletId: A.walletId, passphrase: passphrase(A.walletId) });
    await s.call('requestsSign', {});
    const [r] = await s.call('requestsExport', {});
    expect(r).toMatchObject({ ok: false, error: { code: 'output_exists' } });
    expect(r!.ok ? '' : r!.error.error).toContain('p2wsh.signed.json');
    expect(r!.ok ? '' : r!.error.error).not.toContain(s.root);
    expect(readFileSync(join(s.drive, 'p2wsh.signed.json'), 'utf8')).toBe('operator file');
    // The drive is removed: a clear coded error, not a stack trace.
    rmSync(s.drive, { recursive: true, force: true });
    const [gone] = await s.call('requestsExport', {});
    expect(gone).toMatchObject({ ok: false, error: { code: 'drive_missing' } });
    expect(gone!.ok ? '' : gone!.error.error).toContain('USB STICK');
  } finally {
    s.cleanup();
  }
});

test('a request whose signed name would pass 255 bytes: output_name_too_long, saying which request to rename; nothing written', async () => {
  const request = `${'r'.repeat(245)}.json`; // 250 bytes; `.signed.json` makes 257
  const s = setup({ [request]: caseFile('p2wsh.request.json') });
  try {
    await s.call('drivesList', {});
    const id = ok(await s.call('requestsImport', { driveId: 'drive-1', files: [request] }), request);
    await approveAsSeen(s, id);
    await s.call('walletUnlock', { walletId: A.walletId, passphrase: passphrase(A.walletId) });
    await s.call('requestsSign', {});
    const [r] = await s.call('requestsExport', {});
    expect(r).toMatchObject({ ok: false, error: { name: 'WorkflowError', code: 'output_name_too_long' } });
    expect(r!.ok ? '' : r!.error.error).toBe(
      `${'r'.repeat(245)}.signed.json on drive "USB STICK" was not written: a file name can be at most 255 bytes and this one is 257; rename ${request} to a shorter name and import it again`,
    );
    expect(readdirSync(s.drive)).toEqual([request]);
  } finally {
    s.cleanup();
  }
});

test('a malformed request file is a per-file error; the other files are still imported', async () => {
  const s = setup({ 'broken.json': '{"txPrebuild": {"txHex": "zz"', 'p2wsh.json': caseFile('p2wsh.request.json'), 'empty.json': '' });
  try {
    await s.call('drivesList', {});
    const results = await s.call('requestsImport', { driveId: 'drive-1', files: ['broken.json', 'p2wsh.json', 'empty.json', '../escape.json', 'gone.json'] });
    expect(results.map((r) => [r.file, r.ok])).toEqual([
      ['broken.json', false],
      ['p2wsh.json', true],
      ['empty.json', false],
      ['../escape.json', false],
      ['gone.json', false],
    ]);
    for (const r of results) {
      if (r.ok) continue;
      expect(r.error.code, r.file).toMatch(/^[a-z0-9_]+$/);
      expect(r.error.error).not.toContain(s.root);
    }
    expect(results[3]).toMatchObject({ error: { code: 'file_outside_drive' } });
    expect(results[4]).toMatchObject({ error: { code: 'file_missing' } });
    // The same bytes twice are one request.
    const [dup] = await s.call('requestsImport', { driveId: 'drive-1', files: ['p2wsh.json'] });
    expect(dup).toMatchObject({ ok: false, error: { code: 'request_already_imported' } });
    expect((await s.call('requestsList', {})).flatMap((g) => g.requests)).toHaveLength(1);
    // Strict schemas: unknown fields and unknown drives are refused before any file is touched.
    expect((await s.fail('requestsImport', { driveId: 'drive-1', files: [], path: '/etc' })).code).toBe('ipc_payload_invalid');
    expect((await s.fail('driveFiles', { driveId: 'drive-9' })).code).toBe('drive_unknown');
  } finally {
    s.cleanup();
  }
});

test('a refused request (fake change) cannot be approved or signed; it can be rejected', async () => {
  const fraud = mutateRequest('p2wsh', (d) => {
    const o = d.outputs.findIndex((m) => m.some((e) => e.keyType === 0x02));
    d.tx.outputs[o]!.script = Uint8Array.of(0x00, 0x20, ...new Uint8Array(32).fill(0x42));
  });
  const s = setup({ 'fraud.json': fraud });
  try {
    await s.call('drivesList', {});
    const id = ok(await s.call('requestsImport', { driveId: 'drive-1', files: ['fraud.json'] }), 'fraud.json');
    const rev = await s.call('requestReview', { requestId: id });
    expect(rev.request.refused).toBe(true);
    expect(rev.review.outputs.items.some((o) => o.kind === 'failed')).toBe(true);
    expect(rev.review.refusals.map((r) => r.code)).toContain('change_not_wallet');
    const err = await s.fail('requestApprove', { requestId: id, fingerprint: rev.review.fingerprint.sha256, acknowledged: rev.warningKeys });
    expect(err.code).toBe('change_not_wallet');
    await s.call('walletUnlock', { walletId: A.walletId, passphrase: passphrase(A.walletId) });
    const [signed] = await s.call('requestsSign', { requestIds: [id] });
    expect(signed).toMatchObject({ ok: false, error: { code: 'request_not_approved' } });
    expect(readdirSync(s.drive)).toEqual(['fraud.json']);
    expect((await s.call('requestReject', { requestId: id })).status).toBe('rejected');
  } finally {
    s.cleanup();
  }
});

test('approval must name the fingerprint shown and acknowledge only real warnings', async () => {
  const s = setup({ 'p2wsh.json': caseFile('p2wsh.request.json') });
  try {
    await s.call('drivesList', {});
    const id = ok(await s.call('requestsImport', { driveId: 'drive-1', files: ['p2wsh.json'] }), 'p2wsh.json');
    const rev = await s.call('requestReview', { requestId: id });
    expect((await s.fail('requestApprove', { requestId: id, fingerprint: '0'.repeat(64), acknowledged: [] })).code).toBe('review_fingerprint_mismatch');
    expect((await s.fail('requestApprove', { requestId: id, fingerprint: rev.review.fingerprint.sha256, acknowledged: ['fee_high'] })).code).toBe('acknowledgement_unknown');
    expect((await s.fail('requestApprove', { requestId: 'req-99', fingerprint: rev.review.fingerprint.sha256, acknowledged: [] })).code).toBe('request_unknown');
    expect((await s.call('requestApprove', { requestId: id, fingerprint: rev.review.fingerprint.sha256, acknowledged: rev.warningKeys })).status).toBe('approved');
    expect((await s.fail('requestApprove', { requestId: id, fingerprint: rev.review.fingerprint.sha256, acknowledged: rev.warningKeys })).code).toBe('request_state_invalid');
    const types = s.audit.entries().map((e) => e.type);
    expect(types).toEqual(['request-auth', 'request-imported', 'request-approved']);
  } finally {
    s.cleanup();
  }
});

test('warnings block approval until each is acknowledged by its key; the approved request then signs as BitGo does', async () => {
  const s = setup({ 'p2sh-sequence-locktime.json': caseFile('p2sh-sequence-locktime.request.json') });
  try {
    await s.call('drivesList', {});
    const id = ok(await s.call('requestsImport', { driveId: 'drive-1', files: ['p2sh-sequence-locktime.json'] }), 'p2sh-sequence-locktime.json');
    const rev = await s.call('requestReview', { requestId: id });
    expect(rev.warningKeys.length).toBeGreaterThan(1);
    expect(rev.warningKeys).toContain('sequence_unusual@input:1');
    const fp = rev.review.fingerprint.sha256;
    expect((await s.fail('requestApprove', { requestId: id, fingerprint: fp, acknowledged: [] })).code).toBe('review_warnings_unacknowledged');
    expect((await s.fail('requestApprove', { requestId: id, fingerprint: fp, acknowledged: rev.warningKeys.slice(1) })).code).toBe('review_warnings_unacknowledged');
    expect((await s.call('requestApprove', { requestId: id, fingerprint: fp, acknowledged: rev.warningKeys })).status).toBe('approved');
    await s.call('walletUnlock', { walletId: A.walletId, passphrase: passphrase(A.walletId) });
    expect((await s.call('requestsSign', {}))[0]).toMatchObject({ ok: true });
    expect((await s.call('requestsExport', {}))[0]).toMatchObject({ ok: true, request: { output: 'p2sh-sequence-locktime.signed.json' } });
    expect(readFileSync(join(s.drive, 'p2sh-sequence-locktime.signed.json'), 'utf8')).toBe(expectedOutput('p2sh-sequence-locktime'));
  } finally {
    s.cleanup();
  }
});

test('hostile payloads on the workflow channels are refused by schema with a coded error', async () => {
  const s = setup({ 'p2wsh.json': caseFile('p2wsh.request.json') });
  try {
    await s.call('drivesList', {});
    const hostile: [MethodName, unknown][] = [
      ['driveFiles', { driveId: '/media/operator' }],
      ['driveFiles', {}],
      ['requestsImport', { driveId: 'drive-1', files: 'p2wsh.json' }],
      ['requestsImport', { driveId: 'drive-1', files: [''] }],
      ['requestsImport', { driveId: 'drive-1', files: new Array(501).fill('a.json') }],
      ['requestReview', { requestId: '__proto__' }],
      ['requestApprove', { requestId: 'req-1', fingerprint: 'ABC', acknowledged: [] }],
      ['requestApprove', { requestId: 'req-1', fingerprint: '0'.repeat(64) }],
      ['requestReject', { requestId: 'req-1', reason: 'x'.repeat(501) }],
      ['requestsSign', { requestIds: ['req-1'], force: true }],
      ['sessionSummaryExport', { driveId: 'drive-1', name: '../../etc/passwd' }],
      ['sessionSummary', []],
    ];
    for (const [method, payload] of hostile) {
      const err = await s.fail(method, payload as Record<string, unknown>);
      expect(err.code, `${method} ${JSON.stringify(payload).slice(0, 60)}`).toBe('ipc_payload_invalid');
    }
    expect(readdirSync(s.drive)).toEqual(['p2wsh.json']);
  } finally {
    s.cleanup();
  }
});

test('the session summary file is written once per name, never over an existing file, and names files only', async () => {
  const s = setup({ 'p2wsh.json': caseFile('p2wsh.request.json') });
  try {
    await s.call('drivesList', {});
    await s.call('requestsImport', { driveId: 'drive-1', files: ['p2wsh.json'] });
    const { file } = await s.call('sessionSummaryExport', { driveId: 'drive-1' });
    const text = readFileSync(join(s.drive, file), 'utf8');
    expect(text).toContain('PENDING  p2wsh.json');
    expect(text).not.toContain(s.root);
    writeFileSync(join(s.drive, file), 'kept');
    // The same second again: the existing file is left alone. (Two exports within one millisecond share a name.)
    const again = await s.call('sessionSummaryExport', { driveId: 'drive-1' }).catch((e: Error) => e.message);
    if (typeof again === 'string') expect(again).toContain('output_exists');
    expect(readFileSync(join(s.drive, file), 'utf8')).toBe('kept');
  } finally {
    s.cleanup();
  }
});

test('batch signing reports "n of N" progress; cancel stops after the current request and the rest stay approved', async () => {
  const s = setup({ 'p2wsh.json': caseFile('p2wsh.request.json'), 'p2sh.json': caseFile('p2sh.request.json'), 'c.json': caseFile('p2wsh-unicode-passphrase.request.json') });
  try {
    await s.call('drivesList', {});
    const imported = await s.call('requestsImport', { driveId: 'drive-1', files: ['p2wsh.json', 'p2sh.json', 'c.json'] });
    const ids = ['p2wsh.json', 'p2sh.json', 'c.json'].map((f) => ok(imported, f));
    for (const id of ids) await approveAsSeen(s, id);
    await s.call('walletUnlock', { walletId: A.walletId, passphrase: passphrase(A.walletId) });
    await s.call('walletUnlock', { walletId: C.walletId, passphrase: passphrase(C.walletId) });

    // The operator presses Cancel once the first request is done and the second is announced (a Cancel arriving
    // while the screen is being told stops the batch before that request starts); a second Sign meanwhile is refused.
    const during: Promise<unknown>[] = [];
    s.setOnProgress((p) => {
      if (p.state === 'running' && p.done === 1 && !p.inputs) {
        during.push(s.raw('requestsSignCancel', { batchId: p.batchId }), s.raw('requestsSign', {}));
      }
    });
    const results = await s.call('requestsSign', {});
    const [cancel, second] = (await Promise.all(during)) as [{ ok: boolean; value?: unknown }, { ok: boolean; error?: ErrorData }];
    expect(cancel).toEqual({ ok: true, value: { canceled: true } });
    expect(second).toMatchObject({ ok: false, error: { code: 'sign_in_progress' } });
    expect(results.map((r) => (r.ok ? r.request.status : r.error.code))).toEqual(['signed', 'sign_canceled', 'sign_canceled']);
    expect(results[1]!.ok ? '' : results[1]!.error.error).toContain('p2sh.json: not signed because signing was canceled; it is still approved');
    const batch = s.progress[0]!.batchId;
    // Per-request events (without `inputs`); the per-chunk ones are checked in the large-request test below.
    expect(s.progress.filter((p) => !p.inputs)).toEqual([
      { batchId: batch, done: 0, total: 3, state: 'running', current: { requestId: ids[0], file: 'p2wsh.json' } },
      { batchId: batch, done: 1, total: 3, state: 'running', current: { requestId: ids[1], file: 'p2sh.json' } },
      { batchId: batch, done: 1, total: 3, state: 'canceled', signed: 1, lockedWallets: [] },
    ]);
    const states = (await s.call('requestsList', {})).flatMap((g) => g.requests).map((r) => [r.file, r.status, r.error?.code]);
    expect(states).toEqual([['p2wsh.json', 'signed', undefined], ['p2sh.json', 'approved', undefined], ['c.json', 'approved', undefined]]);
    expect(s.audit.entries().find((e) => e.type === 'sign-canceled')).toMatchObject({ signed: 1, notReached: [ids[1], ids[2]] });
    // The finished batch cannot be canceled any more, and only well-formed batch ids reach the handler.
    expect(await s.call('requestsSignCancel', { batchId: batch })).toEqual({ canceled: false });
    expect((await s.fail('requestsSignCancel', { batchId: '../batch-1' })).code).toBe('ipc_payload_invalid');
    expect((await s.fail('requestsSignCancel', {})).code).toBe('ipc_payload_invalid');

    // Signing again picks up exactly the requests not reached, with progress to the end.
    s.setOnProgress(() => undefined);
    s.progress.length = 0;
    const again = await s.call('requestsSign', {});
    expect(again.map((r) => [r.requestId, r.ok])).toEqual([[ids[1], true], [ids[2], true]]);
    expect(s.progress.filter((p) => !p.inputs).map((p) => [p.state, p.done, p.total, p.current?.file])).toEqual([
      ['running', 0, 2, 'p2sh.json'],
      ['running', 1, 2, 'c.json'],
      ['finished', 2, 2, undefined],
    ]);
    for (const r of s.responses) expect(r).not.toMatch(/[xt]prv[1-9A-HJ-NP-Za-km-z]{20,}/);
  } finally {
    s.cleanup();
  }
});

test('a large request signs off main\'s thread: progress per chunk of inputs, main keeps serving, Cancel stops within the request', async () => {
  const s = setup({ 'large.json': caseFile('large-p2wsh-500.request.json') });
  try {
    await s.call('drivesList', {});
    const id = ok(await s.call('requestsImport', { driveId: 'drive-1', files: ['large.json'] }), 'large.json');
    await approveAsSeen(s, id);
    await s.call('walletUnlock', { walletId: A.walletId, passphrase: passphrase(A.walletId) });

    // Cancel at the first chunk: none of its signatures are kept, it stays approved.
    s.setOnProgress((p) => {
      if (p.inputs) void s.raw('requestsSignCancel', { batchId: p.batchId });
    });
    const canceled = await s.call('requestsSign', {});
    expect(canceled.map((r) => (r.ok ? r.request.status : r.error.code))).toEqual(['signing_canceled']);
    const chunksBeforeCancel = s.progress.filter((p) => p.inputs).length;
    expect(chunksBeforeCancel).toBeGreaterThanOrEqual(1);
    expect(chunksBeforeCancel).toBeLessThan(Math.ceil(500 / 64));
    expect((await s.call('requestsList', {})).flatMap((g) => g.requests).map((r) => r.status)).toEqual(['approved']);

    // Main's event loop turns while the request signs: a setImmediate callback queued at each chunk's progress event
    // runs before the request is done (it could not while main itself made the signatures). Events, not time.
    s.progress.length = 0;
    let served = 0;
    let servedBeforeLast = -1;
    // A rejection while its signatures are being made is refused (it would be overwritten when they are done).
    let rejected: Promise<{ ok: boolean; error?: { code?: string } }> | undefined;
    s.setOnProgress((p) => {
      if (!p.inputs) return;
      rejected ??= s.raw('requestReject', { requestId: id, reason: 'changed my mind' });
      if (p.inputs.done === p.inputs.total) servedBeforeLast = served;
      else setImmediate(() => served++);
    });
    const results = await s.call('requestsSign', {});
    expect(results.map((r) => r.ok)).toEqual([true]);
    expect(await rejected).toMatchObject({ ok: false, error: { code: 'sign_in_progress' } });
    const chunks = s.progress.filter((p) => p.inputs).map((p) => p.inputs!);
    expect(chunks.length).toBe(Math.ceil(500 / 64));
    expect(chunks.map((c) => c.total)).toEqual(chunks.map(() => 500));
    expect(chunks.map((c) => c.done)).toEqual([...chunks.map((c) => c.done)].sort((a, b) => a - b));
    expect(chunks.at(-1)!.done).toBe(500);
    expect(servedBeforeLast).toBeGreaterThanOrEqual(1);
    // The same bytes as BitGo's signer, after a canceled attempt.
    expect((await s.call('requestsExport', {})).map((r) => r.ok)).toEqual([true]);
    expect(readFileSync(join(s.drive, 'large.signed.json'), 'utf8')).toBe(expectedOutput('large-p2wsh-500'));
  } finally {
    s.cleanup();
  }
});

test('bare PSBT files: the wallet is the registered one with its keys, else chosen, and the result keeps the encoding', async () => {
  const psbtHex = (JSON.parse(caseFile('p2wsh.request.json').toString('utf8')) as { txPrebuild: { txHex: string } }).txPrebuild.txHex;
  const signedHex = (JSON.parse(caseFile('p2wsh.response.json').toString('utf8')) as { txHex: string }).txHex;
  const s = setup({ 'bare.psbt': Buffer.from(psbtHex, 'hex'), 'bare.b64': Buffer.from(psbtHex, 'hex').toString('base64'), 'bare.hex': psbtHex });
  try {
    await s.call('drivesList', {});
    // Nothing unlocked, four wallets in the store: the registered wallet with the PSBT's three keys is its wallet.
    const bin = ok(await s.call('requestsImport', { driveId: 'drive-1', files: ['bare.psbt'] }), 'bare.psbt');
    const rev = await s.call('requestReview', { requestId: bin });
    expect(rev.review.walletId).toBe(A.walletId);
    expect(rev.review.registered).toMatchObject({ coin: 'tbtc' });
    expect(rev.review.outputs.items.map((o) => o.kind).sort()).toEqual(['change', 'external']);
    expect(rev.review.refusals).toEqual([]);
    expect((await s.fail('requestsImport', { driveId: 'drive-1', files: ['bare.b64'], psbtWallet: '../A' })).code).toBe('ipc_payload_invalid');
    const [notInStore] = await s.call('requestsImport', { driveId: 'drive-1', files: ['bare.b64'], psbtWallet: 'ffff' });
    expect(notInStore).toMatchObject({ ok: false, error: { code: 'wallet_not_in_key_store' } });
    // The operator's choice of another registered wallet: its registered keys are not the PSBT's.
    const [otherKeys] = await s.call('requestsImport', { driveId: 'drive-1', files: ['bare.b64'], psbtWallet: C.walletId });
    expect(otherKeys).toMatchObject({ ok: false, error: { code: 'wallet_keys_mismatch' } });
    // An unlocked wallet whose key is not in the PSBT is refused as the operator's choice.
    await s.call('walletUnlock', { walletId: C.walletId, passphrase: passphrase(C.walletId) });
    const [wrong] = await s.call('requestsImport', { driveId: 'drive-1', files: ['bare.b64'], psbtWallet: C.walletId });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'psbt_not_this_wallet' } });
    await s.call('walletUnlock', { walletId: A.walletId, passphrase: passphrase(A.walletId) });
    const b64 = ok(await s.call('requestsImport', { driveId: 'drive-1', files: ['bare.b64'] }), 'bare.b64');
    const hex = ok(await s.call('requestsImport', { driveId: 'drive-1', files: ['bare.hex'] }), 'bare.hex');
    // One transaction in three containers: three fingerprints (other bytes), one unsigned txid, and each review
    // names the other two imports of it.
    const reviews = await Promise.all([bin, b64, hex].map((requestId) => s.call('requestReview', { requestId })));
    expect(new Set(reviews.map((r) => r.review.fingerprint.sha256)).size).toBe(3);
    expect(new Set(reviews.map((r) => r.review.txid)).size).toBe(1);
    expect(reviews[0]!.sameTransaction).toEqual([
      { requestId: b64, file: 'bare.b64', status: 'imported' },
      { requestId: hex, file: 'bare.hex', status: 'imported' },
    ]);
    expect(reviews[2]!.sameTransaction.map((o) => o.file)).toEqual(['bare.psbt', 'bare.b64']);
    for (const id of [bin, b64, hex]) await approveAsSeen(s, id);
    expect((await s.call('requestsSign', {})).map((r) => r.ok)).toEqual([true, true, true]);
    const out = await s.call('requestsExport', {});
    expect(out.map((r) => (r.ok ? r.request.output : r.error.code))).toEqual(['bare.signed.psbt', 'bare.signed.b64', 'bare.signed.hex']);
    // The same signature BitGo's signer makes, in each input's own encoding.
    expect(readFileSync(join(s.drive, 'bare.signed.psbt')).toString('hex')).toBe(signedHex);
    expect(readFileSync(join(s.drive, 'bare.signed.b64'), 'utf8')).toBe(Buffer.from(signedHex, 'hex').toString('base64'));
    expect(readFileSync(join(s.drive, 'bare.signed.hex'), 'utf8')).toBe(signedHex);
    for (const r of s.responses) expect(r).not.toMatch(/[xt]prv[1-9A-HJ-NP-Za-km-z]{20,}/);
  } finally {
    s.cleanup();
  }
});

test('bare PSBT of an unregistered wallet: chosen among the key store\'s wallets, then registered at first use', async () => {
  const psbtHex = (JSON.parse(caseFile('p2wsh.request.json').toString('utf8')) as { txPrebuild: { txHex: string } }).txPrebuild.txHex;
  const s = setup({ 'bare.psbt': Buffer.from(psbtHex, 'hex') });
  try {
    await s.call('drivesList', {});
    await s.call('registryRemove', { walletId: A.walletId, confirmWalletId: A.walletId });
    // No registered wallet has its keys and nothing is unlocked: the operator is asked to choose.
    const [asked] = await s.call('requestsImport', { driveId: 'drive-1', files: ['bare.psbt'] });
    expect(asked).toMatchObject({ ok: false, error: { code: 'wallet_not_chosen' } });
    expect(asked!.ok ? [] : asked!.chooseWallet).toEqual(Object.values(wallets).map((w) => w.walletId));
    // Chosen: A is not registered, so its keys come back to be confirmed (public keys and fingerprints only).
    const [unregistered] = await s.call('requestsImport', { driveId: 'drive-1', files: ['bare.psbt'], psbtWallet: A.walletId });
    expect(unregistered).toMatchObject({ ok: false, error: { code: 'wallet_not_registered' }, register: { walletId: A.walletId } });
    const register = unregistered!.ok ? undefined : unregistered!.register!;
    await s.call('walletUnlock', { walletId: A.walletId, passphrase: passphrase(A.walletId) });
    const lastFour = { user: register!.xpubs.user.slice(-4), backup: register!.xpubs.backup.slice(-4), bitgo: register!.xpubs.bitgo.slice(-4) };
    const view = await s.call('registryConfirm', { walletId: A.walletId, coin: 'tbtc', label: 'Treasury A', lastFour });
    expect(view.wallets.find((w) => w.walletId === A.walletId)).toMatchObject({ label: 'Treasury A', coin: 'tbtc', added: { how: 'first-use' } });
    const id = ok(await s.call('requestsImport', { driveId: 'drive-1', files: ['bare.psbt'] }), 'bare.psbt');
    expect((await s.call('requestReview', { requestId: id })).review.registered).toMatchObject({ label: 'Treasury A', coin: 'tbtc' });
  } finally {
    s.cleanup();
  }
});

test('bare PSBT network: the registered coin\'s; naming another is refused, nothing else is accepted', async () => {
  const psbtHex = (JSON.parse(caseFile('p2wsh.request.json').toString('utf8')) as { txPrebuild: { txHex: string } }).txPrebuild.txHex;
  const s = setup({ 'a.psbt': Buffer.from(psbtHex, 'hex'), 'b.hex': psbtHex });
  try {
    await s.call('drivesList', {});
    // Registered for tbtc: testnet, with testnet addresses and no "network assumed" warning.
    const id = ok(await s.call('requestsImport', { driveId: 'drive-1', files: ['a.psbt'] }), 'a.psbt');
    const review = (await s.call('requestReview', { requestId: id })).review;
    expect(review.network).toBe('testnet');
    expect(review.outputs.items.every((o) => o.address?.startsWith('tb1'))).toBe(true);
    expect(review.warnings.map((w) => w.code)).not.toContain('network_assumed');
    // Named by the operator: another network than the registered coin's is refused.
    const [mainnet] = await s.call('requestsImport', { driveId: 'drive-1', files: ['b.hex'], psbtNetwork: 'bitcoin' });
    expect(mainnet).toMatchObject({ ok: false, error: { code: 'network_mismatch' } });
    ok(await s.call('requestsImport', { driveId: 'drive-1', files: ['b.hex'], psbtNetwork: 'testnet' }), 'b.hex');
    for (const bad of ['regtest', 'Bitcoin', '', 1]) {
      expect((await s.fail('requestsImport', { driveId: 'drive-1', files: ['b.hex'], psbtNetwork: bad })).code).toBe('ipc_payload_invalid');
    }
  } finally {
    s.cleanup();
  }
});
