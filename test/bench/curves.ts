// Which secp256k1 library signs: tiny-secp256k1 (libsecp256k1 compiled to WebAssembly, the one
// electron/crypto/ecc.ts initialises) against @bitcoinerlab/secp256k1 (pure JS on noble-curves), measured on the
// operations one signed BitGo input costs: three CKDpub steps (wallet script re-derivation), one CKDpriv step
// (signing key), one RFC6979 ECDSA or BIP340 Schnorr signature. Both libraries must also agree byte for byte
// (deterministic signatures), which this section checks before timing anything.
import * as bitcoinerlab from '@bitcoinerlab/secp256k1';
import * as tiny from 'tiny-secp256k1';
import { BIP32Factory, type TinySecp256k1Interface } from 'bip32';
import { createHash } from 'node:crypto';
import { measure, type BenchRow, type Section } from './harness';

type Curve = TinySecp256k1Interface & {
  sign(h: Uint8Array, d: Uint8Array, e?: Uint8Array): Uint8Array;
  signSchnorr(h: Uint8Array, d: Uint8Array, e?: Uint8Array): Uint8Array;
  verify(h: Uint8Array, Q: Uint8Array, s: Uint8Array): boolean;
};

const OPS = 500;
const sha = (s: string) => new Uint8Array(createHash('sha256').update(s).digest());
const msgs = Array.from({ length: OPS }, (_, i) => sha(`msg ${i}`));
const keys = Array.from({ length: OPS }, (_, i) => sha(`key ${i}`));
const zeroAux = new Uint8Array(32);
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

function workload(curve: Curve) {
  const bip32 = BIP32Factory(curve);
  const root = bip32.fromSeed(sha('bench root'));
  const xpub = root.neutered();
  return {
    ecdsa: () => msgs.forEach((m, i) => curve.sign(m, keys[i]!)),
    schnorr: () => msgs.forEach((m, i) => curve.signSchnorr(m, keys[i]!, zeroAux)),
    verify: (sigs: Uint8Array[], pubs: Uint8Array[]) => () => msgs.forEach((m, i) => curve.verify(m, pubs[i]!, sigs[i]!)),
    // CKDpub of a chain node to OPS indexes (what wallet script derivation does, three keys per input).
    ckdPub: () => {
      const chain = xpub.derive(0).derive(0).derive(20);
      let n = 0;
      for (let i = 0; i < OPS; i++) n += chain.derive(i).publicKey.length;
      return n;
    },
    // CKDpriv to OPS indexes (the signing key per input).
    ckdPriv: () => {
      const chain = root.derive(0).derive(0).derive(20);
      let n = 0;
      for (let i = 0; i < OPS; i++) n += chain.derive(i).privateKey!.length;
      return n;
    },
  };
}

export const curvesSection: Section = {
  name: `Curve library: tiny-secp256k1 (WASM) vs @bitcoinerlab/secp256k1 (JS), ${OPS} operations each`,
  async run(): Promise<BenchRow[]> {
    const t = tiny as unknown as Curve;
    const b = bitcoinerlab as unknown as Curve;
    // Same deterministic signatures, or the comparison is meaningless (and one of them would break byte-identity).
    for (let i = 0; i < 16; i++) {
      if (hex(t.sign(msgs[i]!, keys[i]!)) !== hex(b.sign(msgs[i]!, keys[i]!))) throw new Error(`ECDSA differs at ${i}`);
      if (hex(t.signSchnorr(msgs[i]!, keys[i]!, zeroAux)) !== hex(b.signSchnorr(msgs[i]!, keys[i]!, zeroAux))) throw new Error(`Schnorr differs at ${i}`);
    }
    const pubs = keys.map((k) => t.pointFromScalar(k, true)!);
    const sigs = msgs.map((m, i) => t.sign(m, keys[i]!));
    const rows: BenchRow[] = [];
    const wt = workload(t);
    const wb = workload(b);
    const pairs: [string, () => unknown, () => unknown][] = [
      ['ECDSA sign (RFC6979)', wt.ecdsa, wb.ecdsa],
      ['Schnorr sign (BIP340, zero aux)', wt.schnorr, wb.schnorr],
      ['ECDSA verify', wt.verify(sigs, pubs), wb.verify(sigs, pubs)],
      ['BIP32 CKDpub', wt.ckdPub, wb.ckdPub],
      ['BIP32 CKDpriv', wt.ckdPriv, wb.ckdPriv],
    ];
    for (const [what, tf, bf] of pairs) {
      const bms = await measure(bf, { runs: 5, budgetMs: 10_000 });
      const tms = await measure(tf, { runs: 5, budgetMs: 10_000 });
      rows.push({ name: `${what}: @bitcoinerlab/secp256k1`, ms: bms, extra: { 'us/op': (bms * 1000) / OPS } });
      rows.push({ name: `${what}: tiny-secp256k1`, ms: tms, baseline: `${what}: @bitcoinerlab/secp256k1`, extra: { 'us/op': (tms * 1000) / OPS } });
    }
    return rows;
  },
};
