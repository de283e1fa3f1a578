// The single place that chooses and initialises the secp256k1 implementation. Everything that needs keys
// (BIP32 nodes, taproot tweaks inside bitcoinjs-lib) imports from here, so swapping the curve library is
// a one-file change measured by `npm run bench`.
//
// tiny-secp256k1 wraps libsecp256k1 compiled to WebAssembly: RFC6979 deterministic ECDSA (no low-R grinding
// unless extra entropy is passed, which we never do) and BIP340 Schnorr with caller-supplied aux randomness.
import * as ecc from 'tiny-secp256k1';
import { BIP32Factory } from 'bip32';
import { initEccLib } from 'bitcoinjs-lib';

initEccLib(ecc);

export const bip32 = BIP32Factory(ecc);
export { ecc };
