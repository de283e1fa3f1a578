// The key file's extended private key, read and used without the copies a general-purpose BIP32 library leaves.
//
// BIP32 "Serialization format" (https://github.com/bitcoin/bips/blob/master/bip-0032.mediawiki#serialization-format):
//   version(4) depth(1) parent fingerprint(4) child number(4) chain code(32) 0x00||k (33), then base58check
//   (4 bytes of sha256(sha256(payload))); versions 0x0488ADE4 xprv / 0x0488B21E xpub (mainnet),
//   0x04358394 tprv / 0x043587CF tpub (testnet).
//
// Why not bip32.fromBase58: it needs the xprv as a string (which cannot be wiped), decodes it through intermediate
// arrays and two copies of the 78-byte payload it never wipes, keeps the key and chain code in typed arrays V8 may
// move before they are wiped, and derives children the same way (README, "Memory hygiene"). Here the decrypted bytes
// are decoded in place into one array, the key and chain code are copied into secretBytes() arrays and that array is
// wiped; children are derived by wallet/derive.ts into secretBytes() arrays. The checks are bip32.fromBase58's own
// (the keystore tests compare both on every fixture and vector).
import { ecc, scrubCurveScratch } from '../crypto/ecc';
import { hash160, sha256 } from '../crypto/hash';
import { base58DecodeInto, base58Encode } from '../util/base58';
import { secretBytes, secretCopy, wipe } from '../util/secret';
import { childPrivateNode, type PrivNode } from '../wallet/derive';

/** BIP32 version bytes: private -> the matching public version. */
const VERSIONS = new Map<number, number>([
  [0x0488ade4, 0x0488b21e], // xprv -> xpub
  [0x04358394, 0x043587cf], // tprv -> tpub
]);

export interface ExtendedPrivateKey extends PrivNode {
  /** Version bytes of the public serialization (xpub or tpub), from the private version the key was read with. */
  readonly publicVersion: number;
  readonly depth: number;
  readonly parentFingerprint: number;
  readonly index: number;
}

const isSpace = (c: number) => c === 0x20 || (c >= 0x09 && c <= 0x0d);

const u32 = (b: Uint8Array, at: number) => ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;

function checksumOk(payload: Uint8Array, check: Uint8Array): boolean {
  const h = sha256(sha256(payload));
  return h[0] === check[0] && h[1] === check[1] && h[2] === check[2] && h[3] === check[3];
}

/**
 * Reads an xprv/tprv from its ASCII bytes (surrounding whitespace allowed, as the key file's plaintext may end with a
 * newline). Returns undefined for anything else: bad base58 or checksum, a public key, a malformed field. `text` is
 * not modified; the caller wipes it.
 */
export function readXprv(text: Uint8Array): ExtendedPrivateKey | undefined {
  let start = 0;
  let end = text.length;
  while (start < end && isSpace(text[start]!)) start++;
  while (end > start && isSpace(text[end - 1]!)) end--;
  const raw = secretBytes(82);
  try {
    if (!base58DecodeInto(text.subarray(start, end), raw)) return undefined;
    const payload = raw.subarray(0, 78);
    if (!checksumOk(payload, raw.subarray(78))) return undefined;
    const version = u32(payload, 0);
    const publicVersion = VERSIONS.get(version);
    const depth = payload[4]!;
    const parentFingerprint = u32(payload, 5);
    const index = u32(payload, 9);
    // bip32.fromBase58's checks: a master key (depth 0) has no parent fingerprint and index 0; the key data is 0x00||k
    // with 0 < k < n.
    if (publicVersion === undefined || (depth === 0 && (parentFingerprint !== 0 || index !== 0)) || payload[45] !== 0) return undefined;
    const k = payload.subarray(46, 78);
    if (!ecc.isPrivate(k)) return undefined;
    const publicKey = ecc.pointFromScalar(k, true);
    scrubCurveScratch();
    if (!publicKey) return undefined;
    return { publicVersion, depth, parentFingerprint, index, privateKey: secretCopy(k), chainCode: secretCopy(payload.subarray(13, 45)), publicKey };
  } finally {
    raw.fill(0);
  }
}

/** The BIP32 fingerprint: the first 4 bytes of hash160 of the public key. */
export function fingerprintOf(key: PrivNode): Uint8Array {
  return hash160(key.publicKey).subarray(0, 4);
}

/**
 * The key's xpub (or tpub), serialized as BIP32 does. Public, but the serialization holds the raw chain code, which
 * with any child private key gives the parent's: the buffer is wiped.
 */
export function xpubOf(key: ExtendedPrivateKey): string {
  const payload = secretBytes(82);
  const view = new DataView(payload.buffer);
  view.setUint32(0, key.publicVersion);
  payload[4] = key.depth;
  view.setUint32(5, key.parentFingerprint);
  view.setUint32(9, key.index);
  payload.set(key.chainCode, 13);
  payload.set(key.publicKey, 45);
  payload.set(sha256(sha256(payload.subarray(0, 78))).subarray(0, 4), 78);
  try {
    return base58Encode(payload);
  } finally {
    payload.fill(0);
  }
}

/** The unhardened child at `index`, in secretBytes() arrays (wallet/derive.ts); wipe it with wipeKey. */
export function deriveChild(parent: ExtendedPrivateKey, index: number): ExtendedPrivateKey {
  const child = childPrivateNode(parent, index);
  return {
    ...child,
    publicVersion: parent.publicVersion,
    depth: parent.depth + 1,
    parentFingerprint: u32(fingerprintOf(parent), 0),
    index,
  };
}

/**
 * The descendant at unhardened `indexes` below `key`; the intermediate keys are wiped, `key` is left as it is, and the
 * curve library's scratch memory is overwritten (crypto/ecc.ts).
 */
export function deriveDescendant(key: ExtendedPrivateKey, indexes: readonly number[]): ExtendedPrivateKey {
  let node = key;
  try {
    for (const index of indexes) {
      const next = deriveChild(node, index);
      if (node !== key) wipeKey(node);
      node = next;
    }
    return node;
  } catch (e) {
    if (node !== key) wipeKey(node);
    throw e;
  } finally {
    scrubCurveScratch();
  }
}

/** Overwrites the key's private key and chain code. */
export function wipeKey(key: PrivNode): void {
  wipe(key.privateKey, key.chainCode);
}
