// The QR path through the real router and handlers (electron/workflow/qr-intake.ts): decoded frame texts go in
// one per call, a completed transfer becomes a request through the file import's own code (same review, same
// fingerprint, same duplicate rule), and a signed request comes back out as frames that decode to BitGo's own
// response. Requests are BitGo fixtures (test/fixtures/bitgo/cases, see PROVENANCE.md).
import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { MAX_QR_FRAME_CHARS, type QrScanResult } from '../../../shared/contract';
import { QrAssembler } from '../../../shared/qr/assembler';
import { animatedFrameSource, encodeAnimated } from '../../../shared/qr/encode';
import { buildReview } from '../../../electron/review/build';
import { reviewFingerprint } from '../../../electron/review/fingerprint';
import { QrDisplay } from '../../../electron/workflow/qr-intake';
import type { RequestSession } from '../../../electron/workflow/session';
import { fixtureRequestJson, smallPsbt, wrongNetworkRequestJson } from '../../support/qr-payloads';
import { workflowHarness } from '../../support/workflow-harness';

const FIX = new URL('../../fixtures/bitgo/', import.meta.url);
const env = JSON.parse(readFileSync(new URL('env.json', FIX), 'utf8')) as Record<string, string>;
const A = (JSON.parse(readFileSync(new URL('wallets.json', FIX), 'utf8')) as Record<string, { walletId: string }>).walletA!;
const responseTxHex = (JSON.parse(readFileSync(new URL('cases/p2wsh.response.json', FIX), 'utf8')) as { txHex: string }).txHex;
/** What export writes for p2wsh (Express's response body), byte for byte. */
const expectedResponse = JSON.stringify({ txHex: responseTxHex });
const request = fixtureRequestJson();

function setup(files: Record<string, Uint8Array> = {}) {
  const { call, fail, cleanup } = workflowHarness({ files, label: 'USB' });
  /** Feeds frames until one completes the transfer; every result on the way is kept. */
  const scan = async (frames: string[]) => {
    const seen: QrScanResult[] = [];
    for (const text of frames) {
      const r = await call('qrScanFrame', { text });
      seen.push(r);
      if (r.status === 'complete') return { done: r, seen };
    }
    return { done: undefined, seen };
  };
  return { call, fail, scan, cleanup };
}

/** Frames shuffled deterministically, with every third one repeated: a camera sees codes in any order, twice. */
function jumbled(frames: string[]): string[] {
  const out = frames.map((f, i) => ({ f, k: (i * 7919) % 101 })).sort((a, b) => a.k - b.k).map((x) => x.f);
  return out.flatMap((f, i) => (i % 3 === 0 ? [f, f] : [f]));
}

for (const format of ['ur', 'bbqr'] as const) {
  test(`${format}: a scanned request is imported like the file: same wallet, same review, same fingerprint`, async () => {
    const s = setup({ 'p2wsh.json': request });
    try {
      const { done, seen } = await s.scan(jumbled(encodeAnimated(request, { format, kind: 'json', density: 'low' })));
      expect(done?.status).toBe('complete');
      expect(seen.filter((r) => r.status === 'progress').length).toBeGreaterThan(2);
      const progress = seen.find((r) => r.status === 'progress');
      expect(progress).toMatchObject({ format, total: expect.any(Number) as unknown, remaining: expect.any(Number) as unknown });
      if (done?.status !== 'complete' || !done.result.ok) throw new Error(`not imported: ${JSON.stringify(done)}`);
      expect(done.format).toBe(format);
      expect(done.result).toEqual({ file: 'QR code 1', ok: true, requestId: 'req-1', walletId: A.walletId, fingerprint: reviewFingerprint(request).short });

      const groups = await s.call('requestsList', {});
      expect(groups).toEqual([{ walletId: A.walletId, requests: [expect.objectContaining({ requestId: 'req-1', file: 'QR code 1', via: 'qr', status: 'imported', refused: false })] }]);
      const byQr = await s.call('requestReview', { requestId: 'req-1' });
      expect(byQr.request.drive).toBe(format === 'ur' ? 'camera, animated UR' : 'camera, animated BBQr');
      expect(byQr.review.fingerprint).toEqual(buildReview(request, { name: 'p2wsh.json' }).fingerprint);

      // The same bytes from the drive are the same request: refused as a duplicate, like a second file copy.
      const [drive] = await s.call('drivesList', {});
      const [again] = await s.call('requestsImport', { driveId: drive!.id, files: ['p2wsh.json'] });
      expect(again).toMatchObject({ ok: false, error: { code: 'request_already_imported' } });
      // And scanning it again says so too, as data.
      const second = await s.scan(encodeAnimated(request, { format, kind: 'json' }));
      expect(second.done).toMatchObject({ status: 'complete', result: { file: 'QR code 2', ok: false, error: { code: 'request_already_imported' } } });
    } finally {
      s.cleanup();
    }
  });
}

test('scanned, approved, signed: the send frames (UR and BBQr, whole response or PSBT only) decode to BitGo\'s response', async () => {
  const s = setup();
  try {
    const { done } = await s.scan(encodeAnimated(request, { format: 'bbqr', kind: 'json' }));
    if (done?.status !== 'complete' || !done.result.ok) throw new Error('not imported');
    const requestId = done.result.requestId;
    expect((await s.fail('qrShowFrames', { requestId, format: 'ur', density: 'medium', content: 'response', count: 10 })).code).toBe('request_not_signed');

    await s.call('walletUnlock', { walletId: A.walletId, passphrase: env[`WALLET_${A.walletId}_PASSPHRASE`]! });
    const rev = await s.call('requestReview', { requestId });
    await s.call('requestApprove', { requestId, fingerprint: rev.review.fingerprint.sha256, acknowledged: rev.warningKeys });
    const signed = await s.call('requestsSign', {});
    expect(signed).toEqual([expect.objectContaining({ requestId, ok: true })]);

    // No drive: "export all" leaves it out; naming it says why.
    expect(await s.call('requestsExport', {})).toEqual([]);
    expect(await s.call('requestsExport', { requestIds: [requestId] })).toEqual([expect.objectContaining({ ok: false, error: expect.objectContaining({ code: 'request_scanned_no_drive' }) as unknown })]);

    for (const format of ['ur', 'bbqr'] as const) {
      for (const [content, expected, kind] of [
        ['response', new TextEncoder().encode(expectedResponse), 'json'],
        ['psbt', Uint8Array.from(Buffer.from(responseTxHex, 'hex')), 'psbt'],
      ] as const) {
        const assembler = new QrAssembler();
        let payload: Uint8Array | undefined;
        // Pull batches as the send screen does; drop every 4th frame (a camera misses some) and still finish.
        for (let batch = 0; batch < 20 && payload === undefined; batch++) {
          const shown = await s.call('qrShowFrames', { requestId, format, density: 'medium', content, count: 12 });
          if (shown.mode !== 'animated') throw new Error('a 4 KB response does not fit one QR code');
          expect(shown).toMatchObject({ file: 'QR code 1', kind, bytes: expected.length, format });
          for (const [i, frame] of shown.frames.entries()) {
            if (i % 4 === 3) continue;
            const r = assembler.push(frame);
            if (r.status === 'done') {
              expect(r.payload.kind).toBe(kind);
              payload = r.payload.bytes;
              break;
            }
          }
        }
        expect(payload, `${format} ${content}`).toEqual(expected);
      }
    }
  } finally {
    s.cleanup();
  }
});

test('foreign codes are named by shape, damaged frames are reported and skipped, a new transfer restarts cleanly', async () => {
  const s = setup();
  try {
    const address = 'tb1qdnh7wqmqmc6sspl7esdcasflsmwe0ghcszm3uaxx02tpvz3f5dfse3gswy';
    const foreign = await s.call('qrScanFrame', { text: `bitcoin:${address}?amount=0.1` });
    expect(foreign).toEqual({ status: 'foreign', message: 'a bitcoin: payment URI, not a signing request' });
    const other = await s.call('qrScanFrame', { text: 'hello there' });
    expect(other).toEqual({ status: 'foreign', message: 'not a PSBT, UR or BBQr code (11 characters)' });

    const frames = encodeAnimated(request, { format: 'bbqr', kind: 'json', density: 'low' });
    expect((await s.call('qrScanFrame', { text: frames[0]! })).status).toBe('progress');
    // A damaged frame of the same transfer: reported as data (never echoed), the parts held so far are kept.
    const damaged = `${frames[1]!.slice(0, 20)}!${frames[1]!.slice(21)}`;
    const bad = await s.call('qrScanFrame', { text: damaged });
    expect(bad).toMatchObject({ status: 'unreadable', error: { code: 'qr_part_corrupt', name: 'QrTransportError' } });
    expect(JSON.stringify(bad)).not.toContain(damaged.slice(8, 40));
    const held = await s.call('qrScanFrame', { text: frames[1]! });
    expect(held).toMatchObject({ status: 'progress', received: 2, total: frames.length });

    // Mid-scan, a different transfer (the wrong-network request, over UR): the partial BBQr one is dropped.
    const otherFrames = encodeAnimated(wrongNetworkRequestJson(), { format: 'ur', kind: 'json', density: 'low' });
    const switched = await s.call('qrScanFrame', { text: otherFrames[0]! });
    expect(switched).toMatchObject({ status: 'progress', format: 'ur', restarted: expect.stringContaining(`dropped a partial transfer (2 of ${frames.length} BBQr parts)`) as unknown });
    const { done } = await s.scan(otherFrames.slice(1));
    expect(done).toMatchObject({ status: 'complete', format: 'ur', result: { ok: true } });
    expect(await s.call('requestsList', {})).toEqual([{ walletId: A.walletId, requests: [expect.objectContaining({ file: 'QR code 1' })] }]);

    // Reset drops a partial transfer: the next frame starts afresh, without a "restarted" note.
    await s.call('qrScanFrame', { text: frames[0]! });
    expect(await s.call('qrScanReset', {})).toEqual({ reset: true });
    expect(await s.call('qrScanFrame', { text: frames[2]! })).toEqual({ status: 'progress', format: 'bbqr', received: 1, total: frames.length, remaining: frames.length - 1 });
  } finally {
    s.cleanup();
  }
});

test('a request for a registered wallet naming another coin\'s network is refused by QR exactly as by file', async () => {
  const bytes = wrongNetworkRequestJson();
  const s = setup({ 'wrong-network.json': bytes });
  try {
    const [drive] = await s.call('drivesList', {});
    const [file] = await s.call('requestsImport', { driveId: drive!.id, files: ['wrong-network.json'] });
    if (!file?.ok) throw new Error('file import failed');
    const byFile = await s.call('requestReview', { requestId: file.requestId });
    await s.call('requestReject', { requestId: file.requestId, reason: 'wrong network' }); // frees the duplicate rule

    const { done } = await s.scan(encodeAnimated(bytes, { format: 'ur', kind: 'json' }));
    if (done?.status !== 'complete' || !done.result.ok) throw new Error('QR import failed');
    const byQr = await s.call('requestReview', { requestId: done.result.requestId });
    expect(byQr.request.refused).toBe(true);
    expect(byQr.review.refusals.map((r) => r.code)).toContain('network_mismatch');
    expect(byQr.review.refusals).toEqual(byFile.review.refusals);
    expect(byQr.review.fingerprint).toEqual(byFile.review.fingerprint);
    const approve = await s.fail('requestApprove', { requestId: done.result.requestId, fingerprint: byQr.review.fingerprint.sha256, acknowledged: byQr.warningKeys });
    expect(approve.code).toBe('network_mismatch');
  } finally {
    s.cleanup();
  }
});

test('caps: frame text length by schema, announced parts and bytes by the assembler, as coded data', async () => {
  const s = setup();
  try {
    expect((await s.fail('qrScanFrame', { text: 'A'.repeat(MAX_QR_FRAME_CHARS + 1) })).code).toBe('ipc_payload_invalid');
    expect((await s.fail('qrScanFrame', { text: new Uint8Array(4) })).code).toBe('ipc_payload_invalid');
    expect((await s.fail('qrShowFrames', { requestId: 'req-1', format: 'qr', density: 'medium', content: 'response', count: 1 })).code).toBe('ipc_payload_invalid');
    expect((await s.fail('qrShowFrames', { requestId: 'req-1', format: 'ur', density: 'medium', content: 'response', count: 1000 })).code).toBe('ipc_payload_invalid');
    // A UR announcing more than 1295 fragments (a 14 KB JSON in 10-byte fragments).
    const many = animatedFrameSource(new TextEncoder().encode(JSON.stringify({ pad: 'x'.repeat(14_000) })), { format: 'ur', kind: 'json', maxFragmentChars: 107 });
    expect(many.minimumFrames).toBeGreaterThan(1295);
    expect(await s.call('qrScanFrame', { text: many.next() })).toMatchObject({ status: 'unreadable', error: { code: 'qr_transfer_too_large' } });
    // A BBQr part whose size times its announced part count passes 4 MiB.
    const huge = `B$2JZZ00${'A'.repeat(MAX_QR_FRAME_CHARS - 9 - ((MAX_QR_FRAME_CHARS - 9) % 8))}`;
    expect(await s.call('qrScanFrame', { text: huge })).toMatchObject({ status: 'unreadable', error: { code: 'qr_transfer_too_large' } });
  } finally {
    s.cleanup();
  }
});

test('send: a result that fits one code is one static code; a legacy (non-PSBT) result has no PSBT to show alone', () => {
  const small = smallPsbt();
  const signed = new Map<string, { file: string; output: Uint8Array; format: 'json' | 'psbt' }>([
    ['req-1', { file: 'small.psbt', output: small, format: 'psbt' }],
    ['req-2', { file: 'legacy.json', output: new TextEncoder().encode(JSON.stringify({ txHex: '0100000001' })), format: 'json' }],
  ]);
  // QrDisplay reads signedOutput() from the session and tells it which results it drew (markShown).
  const marked: string[] = [];
  const display = new QrDisplay({ signedOutput: (id: string) => signed.get(id)!, markShown: (id: string) => void marked.push(id) } as unknown as RequestSession);
  const shown = display.frames('req-1', { format: 'ur', density: 'medium', content: 'response', count: 5 });
  expect(shown).toEqual({ requestId: 'req-1', file: 'small.psbt', kind: 'psbt', bytes: small.length, mode: 'static', text: Buffer.from(small).toString('base64') });
  expect(() => display.frames('req-2', { format: 'bbqr', density: 'low', content: 'psbt', count: 5 })).toThrow(expect.objectContaining({ code: 'qr_encode_invalid' }) as unknown as Error);
  const whole = display.frames('req-2', { format: 'bbqr', density: 'low', content: 'response', count: 5 });
  expect(whole).toMatchObject({ mode: 'static', kind: 'json', text: '{"txHex":"0100000001"}' });
  // Only frames actually made count as shown: the refused PSBT-only attempt did not mark anything.
  expect(marked).toEqual(['req-1', 'req-2']);
});

test('a scanned bare PSBT whose wallet cannot be told waits in main for the operator\'s choice, like a file', async () => {
  const psbtHex = (JSON.parse(Buffer.from(request).toString('utf8')) as { txPrebuild: { txHex: string } }).txPrebuild.txHex;
  const psbt = Buffer.from(psbtHex, 'hex');
  const s = setup();
  try {
    expect((await s.fail('qrScanChooseWallet', { walletId: A.walletId })).code).toBe('qr_nothing_waiting');
    // Its wallet is registered with the PSBT's keys: the scan imports for it, reviewed on the registered coin.
    const first = await s.scan(encodeAnimated(psbt, { format: 'bbqr', kind: 'psbt', density: 'low' }));
    expect(first.done?.status === 'complete' && first.done.result).toMatchObject({ ok: true, walletId: A.walletId });
    await s.call('requestReject', { requestId: 'req-1', reason: 'scanned again below' });
    // Not registered, nothing unlocked and four wallets in the demo store: the scan asks which wallet.
    await s.call('registryRemove', { walletId: A.walletId, confirmWalletId: A.walletId });
    const { done } = await s.scan(encodeAnimated(psbt, { format: 'bbqr', kind: 'psbt', density: 'low' }));
    expect(done?.status === 'complete' && done.result).toMatchObject({ ok: false, error: { code: 'wallet_not_chosen' } });
    expect((await s.fail('qrScanChooseWallet', { walletId: '../x' })).code).toBe('ipc_payload_invalid');
    expect((await s.fail('qrScanChooseWallet', { walletId: A.walletId, psbtNetwork: 'regtest' })).code).toBe('ipc_payload_invalid');
    const notInStore = await s.call('qrScanChooseWallet', { walletId: 'ffff' });
    expect(notInStore).toMatchObject({ ok: false, error: { code: 'wallet_not_in_key_store' } });
    // Still waiting after a refused choice; A is not registered, so its keys come back to confirm, and the scan
    // still waits while the operator checks them and registers the wallet.
    const unregistered = await s.call('qrScanChooseWallet', { walletId: A.walletId, psbtNetwork: 'testnet' });
    expect(unregistered).toMatchObject({ ok: false, error: { code: 'wallet_not_registered' }, register: { walletId: A.walletId } });
    const keys = unregistered.ok ? undefined : unregistered.register!.xpubs;
    await s.call('walletUnlock', { walletId: A.walletId, passphrase: env[`WALLET_${A.walletId}_PASSPHRASE`]! });
    await s.call('registryConfirm', { walletId: A.walletId, coin: 'tbtc', label: 'A', lastFour: { user: keys!.user.slice(-4), backup: keys!.backup.slice(-4), bitgo: keys!.bitgo.slice(-4) } });
    const chosen = await s.call('qrScanChooseWallet', { walletId: A.walletId, psbtNetwork: 'testnet' });
    expect(chosen).toMatchObject({ ok: true, walletId: A.walletId });
    const review = (await s.call('requestReview', { requestId: chosen.ok ? chosen.requestId : 'req-0' })).review;
    expect(review.network).toBe('testnet');
    // The fingerprint of the scanned bytes is the one the same PSBT has as a file.
    expect(review.fingerprint).toEqual(reviewFingerprint(psbt));
    expect(review.refusals).toEqual([]);
    // Imported once: nothing waits any more.
    expect((await s.fail('qrScanChooseWallet', { walletId: A.walletId })).code).toBe('qr_nothing_waiting');
    // A reset (the scan screen closed) forgets a waiting scan too.
    await s.call('qrScanReset', {});
    await s.call('walletLock', { walletId: A.walletId });
    await s.call('registryRemove', { walletId: A.walletId, confirmWalletId: A.walletId });
    const again = await s.scan(encodeAnimated(Buffer.from(psbtHex.replace(/feffffff/, 'fdffffff'), 'hex'), { format: 'bbqr', kind: 'psbt', density: 'low' }));
    expect(again.done?.status === 'complete' && again.done.result).toMatchObject({ ok: false, error: { code: 'wallet_not_chosen' } });
    await s.call('qrScanReset', {});
    expect((await s.fail('qrScanChooseWallet', { walletId: A.walletId })).code).toBe('qr_nothing_waiting');
  } finally {
    s.cleanup();
  }
});
