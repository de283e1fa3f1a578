// The curve worker threads (electron/parallel/): public derivations and signatures on other cores give the same
// bytes as on one thread. Driven by BitGo's fixtures (test/fixtures/bitgo, PROVENANCE.md there): every success case
// that signs in one call is signed through the gate in worker threads and must be BitGo's response byte for byte,
// including the 500-input request; the pool's derivations of that request's keys equal the single-threaded ones.
import { test, expect } from '@playwright/test';
import { approve } from '../../../electron/approval/gate';
import { clearPointMemo } from '../../../electron/crypto/ecc';
import { parseSigningRequest, parseSigningRequestParallel } from '../../../electron/intake/request';
import { configuredThreads, CurvePool, PARALLEL_MIN_ITEMS } from '../../../electron/parallel/pool';
import { memoryLedgerStore, SigningLedger } from '../../../electron/signing/ledger';
import { signApprovedInThreads } from '../../../electron/signing/sign';
import { walletInputPaths } from '../../support/parallel';
import { bitgoManifest, readBitgo, unlockedFixtureVault } from '../../support/bitgo-cases';
import { clearWalletMemos, deriveWalletKeys, deriveWalletKeysParallel, parseXpubTriple } from '../../../electron/wallet/keys';

const read = readBitgo;
const manifest = bitgoManifest;
const vaultFor = unlockedFixtureVault;

test.describe.configure({ mode: 'serial' });

for (const c of manifest.cases) {
  for (const s of c.steps) {
    if (!s.request || !s.response || s.step !== 'single') continue;
    const expected = JSON.parse(read(s.response)) as { txHex?: string };
    if (expected.txHex === undefined) continue;
    test(`${c.name}: signed in two worker threads, byte-identical to BitGo's response`, async () => {
      const vault = await vaultFor(c.walletId);
      try {
        const approved = approve(new TextEncoder().encode(read(s.request!)), vault, { name: s.request!, acknowledged: 'all' });
        let progress = 0;
        const out = await signApprovedInThreads(approved, vault, new SigningLedger(memoryLedgerStore()), undefined, { threads: 2, chunk: 16, onProgress: () => progress++ });
        expect(JSON.parse(new TextDecoder().decode(out.output))).toEqual({ txHex: expected.txHex });
        const signable = approved.request.kind === 'express-legacy' ? approved.review.inputs.length : (approved.plans?.filter((p) => !p.musig2).length ?? 0);
        if (signable > 0) expect(progress).toBe(Math.ceil(signable / 16));
      } finally {
        vault.lockAll();
      }
    });
  }
}

test('the 500-input request: the pool derives every wallet key exactly as one thread does', async () => {
  const body = JSON.parse(read('cases/large-p2wsh-500.request.json')) as { pubs: string[]; txPrebuild: { txHex: string } };
  const keys = parseXpubTriple(body.pubs);
  const paths = walletInputPaths(Buffer.from(body.txPrebuild.txHex, 'hex'));
  expect(paths.length).toBe(500);
  clearWalletMemos();
  clearPointMemo();
  const single = paths.map(([chain, index]) => deriveWalletKeys(keys, chain, index));
  clearWalletMemos();
  clearPointMemo();
  const pool = new CurvePool(2);
  try {
    await deriveWalletKeysParallel(keys, paths, pool);
    expect(pool.workers().length).toBe(1);
  } finally {
    await pool.close();
  }
  // Same bytes, for every role and path; and the parse after the parallel pre-derivation is the same request.
  expect(paths.map(([chain, index]) => deriveWalletKeys(keys, chain, index))).toEqual(single);
  clearWalletMemos();
  const a = await parseSigningRequestParallel(read('cases/large-p2wsh-500.request.json'), 'r', new CurvePool(2));
  const b = parseSigningRequest(read('cases/large-p2wsh-500.request.json'), 'r');
  expect(a).toEqual(b);
});

test('below the threshold, or with one thread, the pool starts no thread and derives on the caller\'s', async () => {
  const pool = new CurvePool(2);
  const parent = { publicKey: new Uint8Array(33), uncompressed: new Uint8Array(65), chainCode: new Uint8Array(32) };
  const out = await pool.derivePublic(parent, Array.from({ length: PARALLEL_MIN_ITEMS - 1 }, (_, i) => i), (i) => Uint8Array.of(i));
  expect(out.map((k) => k![0])).toEqual(Array.from({ length: PARALLEL_MIN_ITEMS - 1 }, (_, i) => i));
  const one = new CurvePool(1);
  await one.derivePublic(parent, Array.from({ length: 500 }, (_, i) => i), (i) => Uint8Array.of(i & 0xff));
  expect(one.workers()).toEqual([]);
});

test('OFFLINE_SIGNER_THREADS: 1 turns the threads off; anything but 1..64 is refused with its own code', () => {
  expect(configuredThreads({ OFFLINE_SIGNER_THREADS: '1' })).toBe(1);
  expect(configuredThreads({ OFFLINE_SIGNER_THREADS: '3' })).toBe(3);
  expect(configuredThreads({})).toBeGreaterThanOrEqual(1);
  for (const bad of ['0', '-1', '1.5', 'two', '65', ' 2', '100']) {
    expect(() => configuredThreads({ OFFLINE_SIGNER_THREADS: bad }), bad).toThrow(expect.objectContaining({ code: 'threads_setting_invalid' }));
  }
});

test('a signing thread refuses a key that is not the expected one, and a cancel stops between chunks', async () => {
  const c = manifest.cases.find((x) => x.name === 'large-p2wsh-100')!;
  const vault = await vaultFor(c.walletId);
  try {
    const signer = vault.signer(c.walletId);
    const digest = new Uint8Array(32).fill(1);
    const wrong = new Uint8Array(33).fill(2);
    await expect(signer.signBatch([{ path: { chain: 20, index: 0 }, digest, expected: wrong, kind: 'ecdsa' }], { threads: 1 })).rejects.toMatchObject({ code: 'signing_key_mismatch' });
    signer.close();

    const approved = approve(new TextEncoder().encode(read(c.steps[0]!.request!)), vault, { name: 'r', acknowledged: 'all' });
    const ledger = new SigningLedger(memoryLedgerStore());
    let chunks = 0;
    await expect(signApprovedInThreads(approved, vault, ledger, undefined, { threads: 1, chunk: 10, onProgress: () => chunks++, canceled: () => chunks >= 2 })).rejects.toMatchObject({ code: 'signing_canceled' });
    expect(chunks).toBe(2);
    // Nothing was recorded: the same request signs afterwards.
    const out = await signApprovedInThreads(approved, vault, ledger, undefined, { threads: 2 });
    expect(JSON.parse(new TextDecoder().decode(out.output))).toEqual(JSON.parse(read(c.steps[0]!.response!)));
  } finally {
    vault.lockAll();
  }
});
