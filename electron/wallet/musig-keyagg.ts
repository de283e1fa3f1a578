// MuSig2 key aggregation (BIP327 KeyAgg), used only to derive the taproot INTERNAL key of BitGo wallet outputs.
// No signing, no nonces: this module turns public keys into a public key.
//
// BitGo uses two variants (BitGoJS modules/utxo-lib/bip-0327/README.md):
// - p2trMusig2 (chains 40/41): standard BIP327 KeyAgg over the 33-byte keys [user, bitgo], in that order, unsorted.
// - p2trLegacy (chains 30/31): an older MuSig2 draft (before jonasnick/bips#37): the keys are first reduced to
//   x-only (32 bytes), then sorted, and KeyAgg hashes the 32-byte forms; each point is lifted with an even Y.
import { SignerError } from '../../shared/errors';
import { ecc } from '../crypto/ecc';
import { taggedHash } from '../crypto/hash';
import { bytesEqual, compareBytes } from '../util/bytes';
import { xOnly } from './taproot';

// secp256k1 group order n (SEC 2, section 2.4.1).
const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

function bytesToBigint(b: Uint8Array): bigint {
  let v = 0n;
  for (const x of b) v = (v << 8n) | BigInt(x);
  return v;
}

function bigintTo32(v: bigint): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 31; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

/** Key aggregation failed: a key is not a point, or a sum is the point at infinity. */
export class KeyAggError extends SignerError {
  constructor(message: string) {
    super('WalletScriptError', message, 'wallet_key_aggregation_failed');
  }
}

const keyAggError = (message: string) => new KeyAggError(message);

/**
 * BIP327 KeyAgg: Q = sum(a_i * P_i) with a_i = H_KeyAgg coefficient(L || pk_i) (or 1 for the "second key"),
 * L = H_KeyAgg list(pk_1 || ... || pk_u). Keys are all 33-byte compressed or all 32-byte x-only (the BitGo legacy
 * variant; x-only keys are lifted to the point with even Y, BIP340 lift_x). Returns Q compressed (33 bytes).
 */
export function keyAgg(pubkeys: readonly Uint8Array[]): Uint8Array {
  const first = pubkeys[0];
  if (!first) throw keyAggError('key aggregation needs at least one public key');
  const len = first.length;
  if (len !== 32 && len !== 33) throw keyAggError(`key aggregation: public keys must be 32 or 33 bytes, got ${len}`);
  for (const [i, pk] of pubkeys.entries()) {
    if (pk.length !== len) throw keyAggError(`key aggregation: key ${i} is ${pk.length} bytes, key 0 is ${len}`);
  }
  const points = pubkeys.map((pk, i) => {
    const p = len === 32 ? Uint8Array.of(0x02, ...pk) : pk;
    if (!ecc.isPoint(p)) throw keyAggError(`key aggregation: key ${i} is not a valid secp256k1 point`);
    return p;
  });
  const L = taggedHash('KeyAgg list', ...pubkeys);
  // GetSecondKey: the first key different from pk_1 gets coefficient 1 (BIP327, an optimisation that is part of
  // the specified result, so it must be reproduced exactly).
  const second = pubkeys.find((pk) => !bytesEqual(pk, first));
  let Q: Uint8Array | null = null;
  for (const [i, pk] of pubkeys.entries()) {
    const a = second && bytesEqual(pk, second) ? 1n : bytesToBigint(taggedHash('KeyAgg coefficient', L, pk)) % N;
    const term = a === 1n ? points[i]! : ecc.pointMultiply(points[i]!, bigintTo32(a), true);
    if (!term) throw keyAggError(`key aggregation: key ${i} times its coefficient is the point at infinity`);
    Q = Q ? ecc.pointAdd(Q, term, true) : term;
    if (!Q) throw keyAggError('key aggregation: the aggregate is the point at infinity');
  }
  return Q!;
}

/** Internal key of a p2trMusig2 output (chains 40/41): BIP327 KeyAgg([user, bitgo]), x-only. */
export function musig2InternalKey(user: Uint8Array, bitgo: Uint8Array): Uint8Array {
  return xOnly(keyAgg([user, bitgo]));
}

/** Internal key of a p2trLegacy output (chains 30/31): BitGo's pre-#37 MuSig2 draft over sorted x-only keys. */
export function legacyP2trInternalKey(user: Uint8Array, bitgo: Uint8Array): Uint8Array {
  const keys = [xOnly(user), xOnly(bitgo)].sort(compareBytes);
  return xOnly(keyAgg(keys));
}
