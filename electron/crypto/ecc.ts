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
import { secretBytes } from '../util/secret';

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

/**
 * k + tweak (mod n) written into `out` (a secretBytes() array), false when the sum is not a valid key.
 * tiny-secp256k1 returns the sum as a fresh 32-byte typed array, which V8 keeps inside its moving heap
 * (util/secret.ts); it is copied out and wiped before anything else runs, so no collection can move it first.
 */
export function privateAddInto(out: Uint8Array, k: Uint8Array, tweak: Uint8Array): boolean {
  const sum = ecc.privateAdd(k, tweak);
  if (!sum) return false;
  out.set(sum);
  sum.fill(0);
  return true;
}

/** A fresh secretBytes() copy of k + tweak (mod n), or null when the sum is not a valid key. */
export function privateAddSecret(k: Uint8Array, tweak: Uint8Array): Uint8Array | null {
  const out = secretBytes(32);
  return privateAddInto(out, k, tweak) ? out : null;
}

// ----- SECURITY: do not change without review ---------------------------------------------------------------
// The curve library's scratch memory. tiny-secp256k1 copies a private key into its WebAssembly memory for each call
// and zeroes that input slot afterwards, but the compiled Rust and C code keep their own copies on the WebAssembly
// stack (the Rust wrapper's SecretKey is the raw 32 bytes), and nothing clears them: after a signature, the key that
// made it stays in the module's memory until a later call happens to overwrite it. The module does not export its
// memory, so it cannot be zeroed from here. libsecp256k1 is constant-time: its code path and stack frames do not
// depend on the secret, so repeating each call that took a secret, with the public scalar 1, overwrites the very
// stack slots that call used. The key-residue test (test/unit/keystore/memory-residue.spec.ts) checks the result by
// scanning the process's memory.
const ONE = Uint8Array.from({ length: 32 }, (_, i) => (i === 31 ? 1 : 0));
const ZERO32 = new Uint8Array(32);

/** Overwrites what the curve library's calls on secret scalars (sign, signSchnorr, pointFromScalar, privateAdd) left behind. */
export function scrubCurveScratch(): void {
  ecc.pointFromScalar(ONE, true);
  ecc.privateAdd(ONE, ONE);
  ecc.sign(ZERO32, ONE);
  ecc.signSchnorr(ZERO32, ONE, ZERO32);
}
// ------------------------------------------------------------------------------------------------------------
