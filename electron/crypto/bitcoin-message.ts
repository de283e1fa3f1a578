// Bitcoin signed messages (the "Bitcoin Signed Message:\n" format of Bitcoin Core's signmessage, as
// bitcoinjs-message implements it): the hash a message signature commits to, and who signed it. BitGo uses them
// for a wallet's `keySignatures`: the user key signs the backup and bitgo xpubs at wallet creation, so those keys
// cannot be swapped later (BitGoJS modules/abstract-utxo src/verifyKey.ts, verifyKeySignature).
//
// A signature is 65 bytes: a header, then r and s. The header is 27 + recovery id (0-3), plus 4 when the signing
// key's address uses the compressed public key. Vectors: test/fixtures/bitcoin-message (bitcoinjs-message's own).
import { ecc } from './ecc';
import { compactSizeBytes, concatBytes } from '../util/bytes';
import { hash160, hash256 } from './hash';

const PREFIX = new TextEncoder().encode('\x18Bitcoin Signed Message:\n');

/**
 * SHA256d(prefix || compactSize(len(message)) || message): what a Bitcoin message signature signs. A string is
 * signed as its UTF-8 bytes (BitGo's keySignatures sign the xpub text; its PayGo proofs sign bytes).
 */
export function bitcoinMessageHash(message: string | Uint8Array): Uint8Array {
  const body = typeof message === 'string' ? new TextEncoder().encode(message) : message;
  return hash256(concatBytes([PREFIX, compactSizeBytes(body.length), body]));
}

/**
 * HASH160 of the public key that made `signature` over `message` (the P2PKH address's payload), or undefined
 * when the signature is malformed or recovers no key. Only the legacy headers 27-34 are read (P2PKH keys).
 */
export function messageSignerHash160(message: string, signature: Uint8Array): Uint8Array | undefined {
  if (signature.length !== 65) return undefined;
  const flag = signature[0]! - 27;
  if (flag < 0 || flag > 7) return undefined;
  const compressed = (flag & 4) !== 0;
  const recoveryId = (flag & 3) as 0 | 1 | 2 | 3;
  let key: Uint8Array | null;
  try {
    key = ecc.recover(bitcoinMessageHash(message), signature.subarray(1), recoveryId, compressed);
  } catch {
    return undefined;
  }
  return key ? hash160(key) : undefined;
}

/**
 * Signs `message` as Bitcoin Core's signmessage does for a compressed key: RFC6979 deterministic ECDSA (low S) over
 * bitcoinMessageHash, header 27 + 4 + recovery id. This is how BitGo's SDK makes a wallet's keySignatures
 * (BitGoJS modules/sdk-core src/bitgo/wallet/wallets.ts: `baseCoin.signMessage({ prv }, backupKeychain.pub)`,
 * always with Bitcoin's mainnet prefix); the key ceremony uses it for the same purpose. The caller owns and wipes
 * the private key.
 */
export function signBitcoinMessage(message: string, privateKey: Uint8Array): Uint8Array {
  const { signature, recoveryId } = ecc.signRecoverable(bitcoinMessageHash(message), privateKey);
  const out = new Uint8Array(65);
  out[0] = 27 + 4 + recoveryId;
  out.set(signature, 1);
  return out;
}
