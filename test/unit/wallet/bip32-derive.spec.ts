// BIP32 derivation of wallet keys (electron/wallet/derive.ts, keys.ts): the fast CKDpub/CKDpriv (and the whole
// private child the vault derives) equal the bip32 package on random keys and indexes, and every input of BitGo's
// fixtures re-derives at its chain and index.
import { test, expect } from '@playwright/test';
import { createHash } from 'node:crypto';
import { bip32 } from '../../../electron/crypto/ecc';
import { childPrivateKey, childPrivateNode, childPublic } from '../../../electron/wallet/derive';
import { deriveWalletKeys, fingerprintOf, parseXpubTriple } from '../../../electron/wallet/keys';
import { multisigScript } from '../../../electron/wallet/scripts';
import { scriptTypeForChain, isChangeChain } from '../../../electron/wallet/chains';
import { readFileSync } from 'node:fs';

test('fast CKDpub/CKDpriv equal the bip32 package for many random keys and indexes', () => {
  for (let i = 0; i < 200; i++) {
    const root = bip32.fromSeed(createHash('sha256').update(`seed ${i}`).digest());
    const index = createHash('sha256').update(`index ${i}`).digest().readUInt32BE(0) >>> 1;
    const expected = root.derive(index);
    const pub = childPublic({ publicKey: root.publicKey, chainCode: root.chainCode }, index);
    expect(Buffer.from(pub.publicKey).toString('hex')).toBe(Buffer.from(expected.publicKey).toString('hex'));
    expect(Buffer.from(pub.chainCode).toString('hex')).toBe(Buffer.from(expected.chainCode).toString('hex'));
    const priv = childPrivateKey({ privateKey: root.privateKey!, publicKey: root.publicKey, chainCode: root.chainCode }, index);
    expect(Buffer.from(priv).toString('hex')).toBe(Buffer.from(expected.privateKey!).toString('hex'));
    const node = childPrivateNode({ privateKey: root.privateKey!, publicKey: root.publicKey, chainCode: root.chainCode }, index);
    expect([node.privateKey, node.publicKey, node.chainCode].map((b) => Buffer.from(b).toString('hex'))).toEqual(
      [expected.privateKey!, expected.publicKey, expected.chainCode].map((b) => Buffer.from(b).toString('hex')),
    );
  }
  expect(() => childPublic({ publicKey: bip32.fromSeed(Buffer.alloc(32, 1)).publicKey, chainCode: Buffer.alloc(32) }, 0x80000000)).toThrow(/unhardened/);
});

test('fingerprintOf: BIP32 fingerprints (hash160 of the key, first 4 bytes), kept per root, handed out as copies', () => {
  const root = bip32.fromSeed(createHash('sha256').update('fingerprint').digest());
  const sha = createHash('sha256').update(root.publicKey).digest();
  const expected = createHash('ripemd160').update(sha).digest().subarray(0, 4);
  const first = fingerprintOf(root);
  expect(Buffer.from(first).equals(expected)).toBe(true);
  first.fill(0);
  expect(Buffer.from(fingerprintOf(root)).equals(expected)).toBe(true);
  expect(Buffer.from(fingerprintOf(root.neutered())).equals(expected)).toBe(true);
});

test('wallet scripts re-derive every input of the BitGo fixtures (chain/index from the manifest)', () => {
  const manifest = JSON.parse(readFileSync(new URL('../../fixtures/bitgo/manifest.json', import.meta.url), 'utf8')) as { cases: { name: string; steps: { request?: string }[]; inputs?: { chain: number; index: number; scriptType: string }[] }[] };
  let checked = 0;
  for (const c of manifest.cases) {
    const req = c.steps[0]?.request;
    if (!req || !c.inputs) continue;
    const body = JSON.parse(readFileSync(new URL(`../../fixtures/bitgo/${req}`, import.meta.url), 'utf8')) as { pubs?: string[] };
    if (!body.pubs) continue;
    const keys = parseXpubTriple(body.pubs);
    for (const inp of c.inputs) {
      const t = scriptTypeForChain(inp.chain);
      // The manifest names MuSig2 inputs by spend path (p2trMusig2KeyPath, p2trMusig2ScriptPath(...)).
      expect(t, `${c.name} chain ${inp.chain}`).toBe(inp.scriptType.startsWith('p2trMusig2') ? 'p2trMusig2' : inp.scriptType);
      expect(isChangeChain(inp.chain)).toBe(inp.chain % 2 === 1);
      const k = deriveWalletKeys(keys, inp.chain, inp.index);
      expect(multisigScript(k).length).toBe(105);
      checked++;
    }
  }
  expect(checked).toBeGreaterThan(20);
  expect(() => parseXpubTriple(undefined)).toThrow('pubs are required for fixed script signing');
  expect(() => parseXpubTriple(['a', 'b'])).toThrow(/three xpubs/);
});
