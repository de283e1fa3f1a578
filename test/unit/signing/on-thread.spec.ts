// The gate's half that the app runs on the review thread (electron/signing/on-thread.ts), run here in-thread on
// BitGo's fixtures (test/fixtures/bitgo, PROVENANCE.md there): approveAndPrepare gets only the signing key's public
// half, the digests it returns are signed by the vault (as signPrepared does on main), and finish() gives BitGo's
// response byte for byte for every single-step case, and for every request of BitGo's legacy format
// (test/fixtures/bitgo/legacy). The MuSig2 steps answer null (main signs them); a key that is not the request's
// user key, and bytes that are not the approved ones, are refused.
import { test, expect } from '@playwright/test';
import { readdirSync } from 'node:fs';
import { reviewFingerprint } from '../../../electron/review/fingerprint';
import { parseSigningRequest } from '../../../electron/intake/request';
import { Vault } from '../../../electron/keystore/vault';
import { approveAndPrepare } from '../../../electron/signing/on-thread';
import { bitgoManifest, readBitgo, unlockedFixtureVault } from '../../support/bitgo-cases';

const read = readBitgo;
const manifest = bitgoManifest;
const unlocked = unlockedFixtureVault;

/** What main gives the thread for this request, from the vault. */
function signingKey(vault: Vault, bytes: Uint8Array, walletId: string) {
  const request = parseSigningRequest(bytes, 'r.json');
  const seed = request.kind === 'psbt' ? undefined : request.derivationSeed;
  const signer = vault.signer(walletId, seed);
  try {
    // Copies: closing a derivationSeed signer wipes its key, chain code included (what main sends is copied too).
    return { walletId, ...(seed !== undefined ? { derivationSeed: seed } : {}), xpub: vault.signingXpub(walletId, seed), key: { publicKey: Uint8Array.from(signer.publicKey), chainCode: Uint8Array.from(signer.chainCode) }, seed };
  } finally {
    signer.close();
  }
}

test.describe.configure({ mode: 'serial' });

for (const c of manifest.cases) {
  for (const s of c.steps) {
    if (!s.request || !s.response || c.name.startsWith('error-')) continue;
    const expected = JSON.parse(read(s.response)) as { txHex?: string };
    if (expected.txHex === undefined) continue;
    test(`${c.name} (${s.step}): prepared from the public half, signed by the vault, finished to BitGo's response or left to main`, async () => {
      const vault = await unlocked(c.walletId);
      try {
        const bytes = new TextEncoder().encode(read(s.request!));
        const { seed, ...signing } = signingKey(vault, bytes, c.walletId);
        const prepared = approveAndPrepare(bytes, { name: s.request!, acknowledged: 'all', approvedFingerprint: reviewFingerprint(bytes).sha256 }, signing);
        const request = parseSigningRequest(bytes, 'r.json');
        const mainSigns = (request.kind === 'express' && request.signingStep !== undefined) || c.name.startsWith('p2trMusig2') && !c.name.endsWith('ScriptPath') || c.name === 'mixed-with-musig2';
        if (mainSigns) {
          expect(prepared).toBeNull();
          return;
        }
        expect(prepared).not.toBeNull();
        const signer = vault.signer(c.walletId, seed);
        let sigs: Uint8Array[];
        try {
          sigs = prepared!.jobs.length > 0 ? await signer.signBatch(prepared!.jobs, { threads: 1 }) : [];
        } finally {
          signer.close();
        }
        const out = await prepared!.finish(sigs);
        expect(JSON.parse(new TextDecoder().decode(out.output))).toEqual({ txHex: expected.txHex });
        expect(prepared!.spends.inputs.length).toBeGreaterThan(0);
      } finally {
        vault.lockAll();
      }
    });
  }
}

for (const name of readdirSync(new URL('../../fixtures/bitgo/legacy/', import.meta.url)).filter((f) => f.endsWith('.request.json'))) {
  test(`legacy ${name}: prepared on the thread from the public half, signed in worker threads, BitGo's half-signed transaction`, async () => {
    const text = read(`legacy/${name}`);
    const walletId = (JSON.parse(text) as { txPrebuild: { walletId: string } }).txPrebuild.walletId;
    const expected = JSON.parse(read(`legacy/${name.replace(/\.request\.json$/, '.response.json')}`)) as { txHex: string };
    const vault = await unlocked(walletId);
    try {
      const bytes = new TextEncoder().encode(text);
      const { seed, ...signing } = signingKey(vault, bytes, walletId);
      const prepared = approveAndPrepare(bytes, { name, acknowledged: 'all', approvedFingerprint: reviewFingerprint(bytes).sha256 }, signing);
      expect(parseSigningRequest(bytes, name).kind).toBe('express-legacy');
      expect(prepared).not.toBeNull();
      expect(prepared!.jobs.length).toBe(prepared!.spends.inputs.length);
      const signer = vault.signer(walletId, seed);
      let sigs: Uint8Array[];
      try {
        sigs = await signer.signBatch(prepared!.jobs, { threads: 2, chunk: 1 });
      } finally {
        signer.close();
      }
      const out = await prepared!.finish(sigs);
      expect(JSON.parse(new TextDecoder().decode(out.output))).toEqual({ txHex: expected.txHex });
      // A short or wrong-sized answer from the threads is refused, never assembled.
      expect(() => prepared!.finish(sigs.slice(1))).toThrow(/signatures of 64 bytes were expected/);
    } finally {
      vault.lockAll();
    }
  });
}

test('another key than the request\'s user key, and bytes that are not the approved ones, are refused', async () => {
  const p2wsh = manifest.cases.find((c) => c.name === 'p2wsh')!;
  const other = manifest.cases.find((c) => c.name === 'p2wsh-unicode-passphrase')!;
  const bytes = new TextEncoder().encode(read(p2wsh.steps[0]!.request!));
  const vault = await unlocked(p2wsh.walletId);
  const otherVault = await unlocked(other.walletId);
  try {
    const { seed: _seed, ...signing } = signingKey(vault, bytes, p2wsh.walletId);
    const opts = { name: 'p2wsh.json', acknowledged: 'all' as const, approvedFingerprint: reviewFingerprint(bytes).sha256 };
    const otherSigner = otherVault.signer(other.walletId);
    const wrongKey = { publicKey: Uint8Array.from(otherSigner.publicKey), chainCode: Uint8Array.from(otherSigner.chainCode) };
    otherSigner.close();
    expect(() => approveAndPrepare(bytes, opts, { ...signing, key: wrongKey })).toThrow(expect.objectContaining({ code: 'signing_key_mismatch' }));
    const edited = new TextEncoder().encode(`${read(p2wsh.steps[0]!.request!)} `);
    expect(() => approveAndPrepare(edited, opts, signing)).toThrow(expect.objectContaining({ code: 'review_bytes_changed' }));
  } finally {
    vault.lockAll();
    otherVault.lockAll();
  }
});
