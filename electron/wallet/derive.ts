// Fast unhardened BIP32 child derivation for the last steps of wallet paths. BIP32 CKDpub / CKDpriv:
//   I = HMAC-SHA512(Key = c_par, Data = serP(K_par) || ser32(i)),  IL = I[0..32], IR = I[32..64]
//   K_i = point(IL) + K_par,  k_i = IL + k_par (mod n),  c_i = IR
// The bip32 package does the same but with a JavaScript HMAC and extra identifier hashing per node; signing a
// 5000-input consolidation derives 20000 keys, so this path uses node:crypto's native HMAC and the wasm curve.
// Checked against the bip32 package by the wallet tests.
import { createHmac } from 'node:crypto';
import { SignerError } from '../../shared/errors';
import { ecc, privateAddInto } from '../crypto/ecc';
import { secretBytes, secretCopy } from '../util/secret';

export interface PubNode {
  publicKey: Uint8Array;
  chainCode: Uint8Array;
  /**
   * The same public key uncompressed (65 bytes), when the caller keeps a parent for many children: adding
   * point(IL) to an uncompressed parent skips a square root per child (`npm run bench -- curve` measures it).
   */
  uncompressed?: Uint8Array;
}

export interface PrivNode extends PubNode {
  privateKey: Uint8Array;
}

/** A BIP32 child that cannot be made: a hardened or out-of-range index, or an invalid child (IL >= n). */
export class DerivationError extends SignerError {
  constructor(message: string, code: 'derivation_index_invalid' | 'derivation_invalid') {
    super('DerivationError', message, code);
  }
}

function ckd(chainCode: Uint8Array, pub: Uint8Array, index: number): Buffer {
  if (!Number.isInteger(index) || index < 0 || index >= 0x80000000) {
    throw new DerivationError(`child index ${index} is not an unhardened BIP32 index`, 'derivation_index_invalid');
  }
  const data = Buffer.allocUnsafe(37);
  data.set(pub, 0);
  data.writeUInt32BE(index, 33);
  return createHmac('sha512', chainCode).update(data).digest();
}

function invalid(index: number): DerivationError {
  // BIP32: "In case parse256(IL) >= n or K_i is the point at infinity, the resulting key is invalid" (probability
  // below 2^-127); BitGo never hands out such an index, so this is an error rather than a skip.
  return new DerivationError(`BIP32 child ${index} is invalid for this key`, 'derivation_invalid');
}

export function childPublic(parent: PubNode, index: number): PubNode {
  const I = ckd(parent.chainCode, parent.publicKey, index);
  const IL = I.subarray(0, 32);
  // K_i = point(IL) + K_par. With a cached uncompressed parent: point(IL) by the precomputed-generator
  // multiplication, then one addition (same result as pointAddScalar, checked against the bip32 package in the wallet tests).
  // IL = 0 or IL >= n (not a valid scalar) keeps the generic path, which treats those cases as before.
  const publicKey =
    parent.uncompressed && ecc.isPrivate(IL)
      ? ecc.pointAdd(parent.uncompressed, ecc.pointFromScalar(IL, false)!, true)
      : ecc.pointAddScalar(parent.publicKey, IL, true);
  if (!publicKey) throw invalid(index);
  return { publicKey, chainCode: I.subarray(32) };
}

/**
 * The child's private key only (k_i = IL + k_par). Its public key is the public derivation of the parent's public
 * key at the same index (CKDpub is the public image of CKDpriv), which the engine has already computed for wallet
 * validation; skipping the scalar multiplication here halves the curve work of signing. The key is returned in a
 * secretBytes() array (util/secret.ts) for the caller to wipe; the HMAC output is wiped here.
 */
export function childPrivateKey(parent: PrivNode, index: number): Uint8Array {
  const I = ckd(parent.chainCode, parent.publicKey, index);
  try {
    const IL = I.subarray(0, 32);
    if (!ecc.isPrivate(IL)) throw invalid(index);
    const privateKey = secretBytes(32);
    if (!privateAddInto(privateKey, parent.privateKey, IL)) throw invalid(index);
    return privateKey;
  } finally {
    I.fill(0);
  }
}

/**
 * The whole private child: k_i = IL + k_par, c_i = IR, and K_i = K_par + point(IL) (the public derivation, so no
 * scalar multiplication by the new secret). Private key and chain code are secretBytes() arrays for the caller to
 * wipe; the HMAC output is wiped here.
 */
export function childPrivateNode(parent: PrivNode, index: number): PrivNode {
  const I = ckd(parent.chainCode, parent.publicKey, index);
  try {
    const IL = I.subarray(0, 32);
    if (!ecc.isPrivate(IL)) throw invalid(index);
    const publicKey = ecc.pointAddScalar(parent.publicKey, IL, true);
    const privateKey = secretBytes(32);
    if (!publicKey || !privateAddInto(privateKey, parent.privateKey, IL)) throw invalid(index);
    return { privateKey, publicKey, chainCode: secretCopy(I.subarray(32)) };
  } finally {
    I.fill(0);
  }
}
