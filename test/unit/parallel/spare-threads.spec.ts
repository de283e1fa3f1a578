// Signing threads started ahead (electron/parallel/spare-threads.ts): a spare is handed to one request only, signs
// BitGo's bytes, and is ended with that request, whatever happens; its replacement is a new thread started after
// that end. Through the real curve threads, the gate, the vault's signer and the app's session (BitGo's legacy
// format included: it is prepared on the review thread and signed in these threads since 2026-12-07).
import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { approve } from '../../../electron/approval/gate';
import { CurveThread } from '../../../electron/parallel/pool';
import { SpareThreads } from '../../../electron/parallel/spare-threads';
import { memoryLedgerStore, SigningLedger } from '../../../electron/signing/ledger';
import { signApprovedInThreads } from '../../../electron/signing/sign';
import type { ImportFileResult } from '../../../shared/contract';
import { bitgoEnv, bitgoManifest, readBitgo, unlockedFixtureVault } from '../../support/bitgo-cases';
import { workflowHarness } from '../../support/workflow-harness';

test.describe.configure({ mode: 'serial' });

/** Spares whose every thread is kept in `started`, in the order they were started. */
function recorded(count: number): { spares: SpareThreads; started: CurveThread[] } {
  const started: CurveThread[] = [];
  const spares = new SpareThreads(count, () => {
    const t = new CurveThread();
    started.push(t);
    return t;
  });
  return { spares, started };
}

test('a request signs BitGo\'s bytes on the spares, ends them, and new spares start only after', async () => {
  const c = bitgoManifest.cases.find((x) => x.name === 'large-p2wsh-100')!;
  const vault = await unlockedFixtureVault(c.walletId);
  const { spares, started } = recorded(2);
  try {
    spares.fill();
    expect(started.length).toBe(2);
    const approved = approve(new TextEncoder().encode(readBitgo(c.steps[0]!.request!)), vault, { name: 'r', acknowledged: 'all' });
    const out = await signApprovedInThreads(approved, vault, new SigningLedger(memoryLedgerStore()), undefined, { threads: 2, chunk: 16, spares });
    expect(JSON.parse(new TextDecoder().decode(out.output))).toEqual(JSON.parse(readBitgo(c.steps[0]!.response!)));
    // The two spares signed and were ended; two new ones wait, started after (they never saw this request).
    expect(started.length).toBe(4);
    expect(started.slice(0, 2).every((t) => t.dead)).toBe(true);
    expect(started.slice(2).some((t) => t.dead)).toBe(false);
    expect(spares.waiting).toBe(2);
    // Each is given out once: two takes hand out the waiting ones, a third starts a new thread.
    const taken = [spares.take(), spares.take(), spares.take()];
    expect(taken.slice(0, 2)).toEqual(started.slice(2, 4));
    expect(taken[2]).toBe(started[4]);
    await Promise.all(taken.map((t) => t.close()));
  } finally {
    vault.lockAll();
    await spares.close();
  }
});

test('a refused signature still ends the spare it took; a spare that stopped while waiting is never handed out', async () => {
  const c = bitgoManifest.cases.find((x) => x.name === 'large-p2wsh-100')!;
  const vault = await unlockedFixtureVault(c.walletId);
  const { spares, started } = recorded(1);
  try {
    spares.fill();
    const signer = vault.signer(c.walletId);
    const job = { path: { chain: 20, index: 0 }, digest: new Uint8Array(32).fill(1), expected: new Uint8Array(33).fill(2), kind: 'ecdsa' as const };
    await expect(signer.signBatch([job], { threads: 1, spares })).rejects.toMatchObject({ code: 'signing_key_mismatch' });
    signer.close();
    expect(started[0]!.dead).toBe(true);
    expect(started.length).toBe(2);
    // The waiting one stops (a crash, say): take() skips it and starts another; fill() replaces it.
    await started[1]!.close();
    const t = spares.take();
    expect(t).toBe(started[2]);
    expect(t.dead).toBe(false);
    await t.close();
    spares.fill();
    expect(spares.waiting).toBe(1);
    expect(started.length).toBe(4);
  } finally {
    vault.lockAll();
    await spares.close();
  }
  expect(started.every((t) => t.dead)).toBe(true);
});

test('the app\'s session signs each request on spares of its own, BitGo\'s legacy format too', async () => {
  // Two PSBT requests and one in BitGo's legacy format, all of one wallet (test/fixtures/bitgo/legacy).
  const files: Record<string, string> = { 'p2wsh.json': readBitgo('cases/p2wsh.request.json'), 'p2sh.json': readBitgo('cases/p2sh.request.json'), 'legacy-p2sh.json': readBitgo('legacy/legacy-p2sh.request.json') };
  const { spares, started } = recorded(1);
  spares.fill();
  const h = workflowHarness({ files, deps: { signingSpares: spares } });
  try {
    await h.call('drivesList', {});
    const imported: ImportFileResult[] = await h.call('requestsImport', { driveId: 'drive-1', files: Object.keys(files) });
    for (const r of imported) {
      if (!r.ok) throw new Error(JSON.stringify(r));
      const rev = await h.call('requestReview', { requestId: r.requestId });
      await h.call('requestApprove', { requestId: r.requestId, fingerprint: rev.review.fingerprint.sha256, acknowledged: rev.warningKeys });
    }
    const walletId = bitgoManifest.cases.find((x) => x.name === 'p2wsh')!.walletId;
    await h.call('walletUnlock', { walletId, passphrase: bitgoEnv[`WALLET_${walletId}_PASSPHRASE`]! });
    const signed = await h.call('requestsSign', {});
    expect(signed.map((s) => s.ok)).toEqual([true, true, true]);
    // One thread per (small) request: each spare signed one request and was ended; its replacement signed the next.
    expect(started.length).toBe(4);
    expect(started.map((t) => t.dead)).toEqual([true, true, true, false]);
    expect(spares.waiting).toBe(1);
    expect((await h.call('requestsExport', {})).map((r) => r.ok)).toEqual([true, true, true]);
    const response = (name: string) => JSON.parse(readBitgo(name)) as unknown;
    expect(JSON.parse(readFileSync(join(h.drive, 'legacy-p2sh.signed.json'), 'utf8'))).toEqual(response('legacy/legacy-p2sh.response.json'));
    expect(JSON.parse(readFileSync(join(h.drive, 'p2wsh.signed.json'), 'utf8'))).toEqual(response('cases/p2wsh.response.json'));
  } finally {
    h.cleanup();
    await spares.close();
  }
});
