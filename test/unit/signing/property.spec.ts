// Property test: random BitGo wallets and transactions (random script-type mix, 1-50 inputs, seeded PRNG so a
// failure reproduces from its seed), signed by the engine, must verify under an INDEPENDENT check: the PSBTs are
// built here with bitcoinjs-lib's payments (not the engine's wallet module), sighashes come from bitcoinjs-lib's
// Transaction (not the engine's sighash module), and signatures are verified with @bitcoinerlab/secp256k1 (noble,
// pure JS), not the tiny-secp256k1 (libsecp256k1 wasm) that signed.
import { test, expect } from '@playwright/test';
import * as verifier from '@bitcoinerlab/secp256k1';
import { BIP32Factory, type BIP32Interface } from 'bip32';
import { Psbt, Transaction, payments, script as bscript, crypto as bcrypto, networks } from 'bitcoinjs-lib';
import { parsePsbtStrict } from '../../../electron/intake/psbt-strict';
import { signBitgoPsbt } from '../../../electron/signing/engine';
import { finalizeAndExtract } from '../../../electron/signing/finalize';
import '../../../electron/crypto/ecc'; // bitcoinjs-lib needs an ECC library for p2tr payments
import { nodeSigner } from '../../../electron/keystore/signer';

// Keys for the test wallet are made with the verifier's curve, so key derivation is independent too.
const bip32v = BIP32Factory(verifier);

function prng(seed: number) {
  let s = Math.imul(seed, 0x9e3779b1) >>> 0 || 1;
  const next = () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 0x100000000;
  };
  for (let i = 0; i < 8; i++) next(); // small seeds start with small states: stir first
  return {
    int: (n: number) => Math.floor(next() * n),
    bytes: (n: number) => Uint8Array.from({ length: n }, () => Math.floor(next() * 256)),
  };
}

const CHAINS = [0, 1, 10, 11, 20, 21, 30, 31];

// Derivation through a per-chain cache (the pure-JS curve is slow; m/0/0/<chain> is shared by all indexes).
const chainNodes = new WeakMap<BIP32Interface, Map<number, BIP32Interface>>();
function derive(root: BIP32Interface, chain: number, index: number): BIP32Interface {
  let m = chainNodes.get(root);
  if (!m) chainNodes.set(root, (m = new Map()));
  let c = m.get(chain);
  if (!c) m.set(chain, (c = root.derivePath(`m/0/0/${chain}`)));
  return c.derive(index);
}
const x = (pk: Uint8Array) => pk.subarray(1, 33);
const leaf2of2 = (a: Uint8Array, b: Uint8Array) => bscript.compile([x(a), bscript.OPS.OP_CHECKSIGVERIFY!, x(b), bscript.OPS.OP_CHECKSIG!]);
const leafHash = (s: Uint8Array) => bcrypto.taggedHash('TapLeaf', Buffer.concat([Buffer.of(0xc0, s.length), s]));

interface Built {
  psbt: Psbt;
  meta: { chain: number; index: number; script: Uint8Array; value: bigint; leaf?: Uint8Array; pubs: Uint8Array[] }[];
}

function buildPsbt(seed: number, roots: { user: BIP32Interface; backup: BIP32Interface; bitgo: BIP32Interface }): Built {
  const r = prng(seed);
  const psbt = new Psbt({ network: networks.testnet });
  const n = 1 + r.int(50);
  const meta: Built['meta'] = [];
  for (let i = 0; i < n; i++) {
    const chain = CHAINS[r.int(CHAINS.length)]!;
    const index = r.int(5000);
    const path = `m/0/0/${chain}/${index}`;
    const pubs = [roots.user, roots.backup, roots.bitgo].map((k) => derive(k, chain, index).publicKey);
    const value = BigInt(1000 + r.int(10_000_000));
    const base = { hash: Buffer.from(r.bytes(32)), index: r.int(4), sequence: 0xfffffffd };
    const derivations = [roots.user, roots.backup, roots.bitgo].map((k, j) => ({ masterFingerprint: k.fingerprint, path, pubkey: pubs[j]! }));
    if (chain >= 30) {
      const [u, bk, bg] = pubs as [Uint8Array, Uint8Array, Uint8Array];
      const userBitgo = leaf2of2(u, bg);
      const scriptTree: [{ output: Uint8Array }, [{ output: Uint8Array }, { output: Uint8Array }]] = [{ output: userBitgo }, [{ output: leaf2of2(u, bk) }, { output: leaf2of2(bk, bg) }]];
      const internalPubkey = x(bip32v.fromSeed(Buffer.from(r.bytes(32))).publicKey);
      const p2tr = payments.p2tr({ internalPubkey, scriptTree, redeem: { output: userBitgo, redeemVersion: 0xc0 }, network: networks.testnet });
      const controlBlock = p2tr.witness![p2tr.witness!.length - 1]!;
      psbt.addInput({
        ...base,
        witnessUtxo: { script: p2tr.output!, value },
        tapLeafScript: [{ leafVersion: 0xc0, script: userBitgo, controlBlock }],
        tapBip32Derivation: [
          { masterFingerprint: roots.user.fingerprint, path, pubkey: x(u), leafHashes: [leafHash(userBitgo)] },
          { masterFingerprint: roots.bitgo.fingerprint, path, pubkey: x(bg), leafHashes: [leafHash(userBitgo)] },
        ],
      });
      meta.push({ chain, index, script: p2tr.output!, value, leaf: userBitgo, pubs });
      continue;
    }
    const ms = payments.p2ms({ m: 2, pubkeys: pubs }).output!;
    if (chain < 10) {
      const p2sh = payments.p2sh({ redeem: { output: ms } });
      psbt.addInput({ ...base, witnessUtxo: { script: p2sh.output!, value }, redeemScript: ms, bip32Derivation: derivations });
      meta.push({ chain, index, script: p2sh.output!, value, pubs });
    } else if (chain < 20) {
      const p2wsh = payments.p2wsh({ redeem: { output: ms } });
      const p2sh = payments.p2sh({ redeem: p2wsh });
      psbt.addInput({ ...base, witnessUtxo: { script: p2sh.output!, value }, redeemScript: p2wsh.output!, witnessScript: ms, bip32Derivation: derivations });
      meta.push({ chain, index, script: p2sh.output!, value, pubs });
    } else {
      const p2wsh = payments.p2wsh({ redeem: { output: ms } });
      psbt.addInput({ ...base, witnessUtxo: { script: p2wsh.output!, value }, witnessScript: ms, bip32Derivation: derivations });
      meta.push({ chain, index, script: p2wsh.output!, value, pubs });
    }
  }
  for (let o = 0; o < 1 + r.int(3); o++) psbt.addOutput({ script: Buffer.concat([Buffer.of(0x00, 0x20), Buffer.from(r.bytes(32))]), value: BigInt(546 + r.int(1_000_000)) });
  return { psbt, meta };
}

function verifyAll(signedBytes: Uint8Array, built: Built, roots: { user: BIP32Interface }): number {
  const signed = Psbt.fromBuffer(Buffer.from(signedBytes));
  const tx = Transaction.fromBuffer((signed.data.globalMap.unsignedTx as unknown as { toBuffer(): Buffer }).toBuffer());
  const scripts = built.meta.map((m) => m.script);
  const values = built.meta.map((m) => m.value);
  let verified = 0;
  built.meta.forEach((m, i) => {
    const input = signed.data.inputs[i]!;
    const user = derive(roots.user, m.chain, m.index).publicKey;
    if (m.leaf) {
      const sigs = input.tapScriptSig ?? [];
      expect(sigs, `input ${i}: one Schnorr signature`).toHaveLength(1);
      expect(Buffer.from(sigs[0]!.pubkey).equals(Buffer.from(x(user)))).toBe(true);
      const hash = tx.hashForWitnessV1(i, scripts, values, Transaction.SIGHASH_DEFAULT, leafHash(m.leaf));
      expect(verifier.verifySchnorr(hash, x(user), sigs[0]!.signature), `input ${i} (chain ${m.chain}) Schnorr`).toBe(true);
    } else {
      const sigs = input.partialSig ?? [];
      expect(sigs, `input ${i}: one ECDSA signature`).toHaveLength(1);
      expect(Buffer.from(sigs[0]!.pubkey).equals(Buffer.from(user))).toBe(true);
      const { signature, hashType } = bscript.signature.decode(sigs[0]!.signature);
      expect(hashType).toBe(Transaction.SIGHASH_ALL);
      const ms = payments.p2ms({ m: 2, pubkeys: m.pubs }).output!;
      const hash = m.chain < 10 ? tx.hashForSignature(i, ms, hashType) : tx.hashForWitnessV0(i, ms, m.value, hashType);
      expect(verifier.verify(hash, user, signature, true), `input ${i} (chain ${m.chain}) ECDSA`).toBe(true);
    }
    verified++;
  });
  return verified;
}

function walletRoots(seed: number) {
  const r = prng(seed * 7919);
  const user = bip32v.fromSeed(Buffer.from(r.bytes(32)), networks.bitcoin);
  const backup = bip32v.fromSeed(Buffer.from(r.bytes(32)), networks.bitcoin);
  const bitgo = bip32v.fromSeed(Buffer.from(r.bytes(32)), networks.bitcoin);
  return { user, backup, bitgo };
}

test('random BitGo transactions (1-50 inputs, all script types) verify independently', async () => {
  test.setTimeout(120_000);
  let total = 0;
  for (let seed = 1; seed <= 30; seed++) {
    const roots = walletRoots(seed);
    const built = buildPsbt(seed, roots);
    const wallet = { user: roots.user.neutered(), backup: roots.backup.neutered(), bitgo: roots.bitgo.neutered() };
    // The engine signs with its own curve library (tiny-secp256k1) from the same xprv.
    const { bip32 } = await import('../../../electron/crypto/ecc');
    const signer = bip32.fromBase58(roots.user.toBase58());
    const result = signBitgoPsbt(parsePsbtStrict(built.psbt.toBuffer()), wallet as never, nodeSigner(signer, false));
    total += verifyAll(result.psbt, built, roots);
    expect(result.inputs.filter((i) => i.amountEvidence === 'unverified').map((i) => i.chain < 10)).not.toContain(false);
  }
  expect(total, 'inputs verified').toBeGreaterThan(300);
});

test('a foreign cosigner set or a tampered script is refused with nothing signed', async () => {
  const roots = walletRoots(99);
  const built = buildPsbt(99, roots);
  const other = walletRoots(100);
  const { bip32 } = await import('../../../electron/crypto/ecc');
  const signer = bip32.fromBase58(roots.user.toBase58());
  const foreign = { user: roots.user.neutered(), backup: other.backup.neutered(), bitgo: roots.bitgo.neutered() };
  expect(() => signBitgoPsbt(parsePsbtStrict(built.psbt.toBuffer()), foreign as never, nodeSigner(signer, false))).toThrow(/wallet validation failed/);
});

test('isLastSignature: with the bitgo co-signature added, the finalized transaction carries both signatures in script order', async () => {
  const roots = walletRoots(7);
  const built = buildPsbt(7, roots);
  const { bip32 } = await import('../../../electron/crypto/ecc');
  const wallet = { user: roots.user.neutered(), backup: roots.backup.neutered(), bitgo: roots.bitgo.neutered() };
  const userSigned = signBitgoPsbt(parsePsbtStrict(built.psbt.toBuffer()), wallet as never, nodeSigner(bip32.fromBase58(roots.user.toBase58()), false));
  // BitGo's half: the same engine with the bitgo key standing in as "user" would fail wallet validation (by
  // design), so the co-signature is made here with bitcoinjs-lib's own signer.
  const both = Psbt.fromBuffer(Buffer.from(userSigned.psbt));
  built.meta.forEach((m, i) => {
    const key = bip32.fromBase58(roots.bitgo.toBase58()).derivePath(`m/0/0/${m.chain}/${m.index}`);
    if (m.leaf) both.signTaprootInput(i, { publicKey: key.publicKey, signSchnorr: (h: Uint8Array) => key.signSchnorr(h) } as never, Buffer.from(leafHash(m.leaf)));
    else if (m.chain < 10) {
      const tx = Transaction.fromBuffer((both.data.globalMap.unsignedTx as unknown as { toBuffer(): Buffer }).toBuffer());
      const ms = payments.p2ms({ m: 2, pubkeys: m.pubs }).output!;
      const sig = bscript.signature.encode(key.sign(tx.hashForSignature(i, ms, 1)), 1);
      both.updateInput(i, { partialSig: [{ pubkey: key.publicKey, signature: sig }] });
    } else both.signInput(i, key);
  });
  const final = Transaction.fromBuffer(Buffer.from(finalizeAndExtract(parsePsbtStrict(both.toBuffer()))));
  expect(final.ins).toHaveLength(built.meta.length);
  const userOnly = Psbt.fromBuffer(Buffer.from(userSigned.psbt));
  built.meta.forEach((m, i) => {
    const inp = final.ins[i]!;
    const hex = (b: Uint8Array | number | undefined) => Buffer.from(b as Uint8Array).toString('hex');
    if (m.leaf) {
      // <user> CHECKSIGVERIFY <bitgo> CHECKSIG consumes the user signature first: it sits just below the script.
      expect(inp.witness).toHaveLength(4);
      expect(hex(inp.witness[1])).toBe(hex(userOnly.data.inputs[i]!.tapScriptSig![0]!.signature));
      expect(hex(inp.witness[2])).toBe(hex(m.leaf));
    } else {
      const items = m.chain < 10 ? bscript.decompile(inp.script)! : inp.witness;
      expect(items).toHaveLength(4);
      // OP_CHECKMULTISIG: signatures in key order, user (first key) first.
      expect(hex(items[1] as Uint8Array)).toBe(hex(userOnly.data.inputs[i]!.partialSig![0]!.signature));
    }
  });
});
