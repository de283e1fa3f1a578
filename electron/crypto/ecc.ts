// The single place that chooses and initialises the secp256k1 implementation. Everything that needs keys
// (BIP32 nodes, taproot tweaks inside bitcoinjs-lib) imports from here, so swapping the curve library is
// a one-file change measured by `npm run bench`.
//
// tiny-secp256k1 wraps libsecp256k1 compiled to WebAssembly: RFC6979 deterministic ECDSA (no low-R grinding
// unless extra entropy is passed, which we never do) and BIP340 Schnorr with caller-supplied aux randomness.
import * as ecc from 'tiny-secp256k1';
import { BIP32Factory } from 'bip32';
import { initEccLib } from 'bitcoinjs-lib';
import { BoundedMap } from '../util/memo';

initEccLib(ecc);

export const bip32 = BIP32Factory(ecc);
export { ecc };

// Whether a public key's bytes are a point on the curve is a pure function of those bytes. Keys the wallet derived
// itself are known good; a PSBT names the same keys again (BIP32 derivations, partial signatures), and a review
// followed by the approval gate parses the same PSBT twice. Each validation is a square root in the wasm curve;
// remembered, it is a table lookup. 40000 entries is a 5000-input request's keys with room to spare (~6 MB).
const knownPoints = new BoundedMap<string, boolean>(40_000);

function pointKey(b: Uint8Array): string {
  // latin1 keeps one character per byte: cheaper than hex and exact.
  return String.fromCharCode.apply(null, b as unknown as number[]);
}

/** ecc.isPoint, remembered (public keys only). */
export function isPointMemo(b: Uint8Array): boolean {
  const k = pointKey(b);
  let ok = knownPoints.get(k);
  if (ok === undefined) knownPoints.set(k, (ok = ecc.isPoint(b)));
  return ok;
}

/** Records a key the caller computed by curve arithmetic (so it is on the curve by construction). */
export function notePointValid(b: Uint8Array): void {
  knownPoints.set(pointKey(b), true);
}

/** Forgets every remembered answer (the benchmark's cold runs; tests). */
export function clearPointMemo(): void {
  knownPoints.clear();
}
