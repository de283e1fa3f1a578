// The signer's own receipt signing key (issue 16 item 4): an Ed25519 key pair made with node:crypto, its private
// half kept only encrypted, in a BitGo v2 envelope (Argon2id + AES-256-GCM, keystore/envelope.ts) under its own
// passphrase, as the reserved `offline-signer-receipt-key` entry of the key file (keystore/keyfile.ts). Receipts
// are JWS signed EdDSA (RFC 8037) so that any JOSE library verifies them with the exported public key, named by
// its RFC 7638 thumbprint (the `kid` of every receipt).
//
// The envelope's plaintext is the private key as PKCS#8 PEM. JavaScript cannot wipe strings (README "Memory
// hygiene"): the PEM string made at creation lives until the garbage collector takes it; when the key is opened,
// the decrypted bytes are wiped once node:crypto holds the key as a KeyObject.
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { calculateJwkThumbprint, type JWK } from 'jose';
import { encryptEnvelopeV2, openEnvelope, parseEnvelope, type EncryptV2Options, type ParsedEnvelope } from '../keystore/envelope';
import { ReceiptError } from './errors';

/** The JOSE algorithm of every receipt: EdDSA over Ed25519 (RFC 8037). Verification accepts nothing else. */
export const RECEIPT_ALG = 'EdDSA';

/** The public receipt key as it is exported: PEM (SPKI), JWK and its RFC 7638 thumbprint. */
export interface ReceiptPublicKey {
  key: KeyObject;
  pem: string;
  jwk: { kty: 'OKP'; crv: 'Ed25519'; x: string; kid: string; alg: 'EdDSA'; use: 'sig' };
  /** RFC 7638 JWK thumbprint (SHA-256, base64url): the `kid` of the receipts this key signs. */
  thumbprint: string;
}

/** An opened receipt key: main process only, never across IPC, never logged. */
export interface ReceiptSigner {
  privateKey: KeyObject;
  publicKey: ReceiptPublicKey;
}

/** The public key's PEM, JWK and thumbprint. */
export async function describePublicKey(key: KeyObject): Promise<ReceiptPublicKey> {
  const exported = key.export({ format: 'jwk' });
  if (key.asymmetricKeyType !== 'ed25519' || exported.kty !== 'OKP' || exported.crv !== 'Ed25519' || typeof exported.x !== 'string') {
    throw new ReceiptError('the receipt key is not an Ed25519 key', 'receipt_public_key_invalid');
  }
  const thumbprint = await calculateJwkThumbprint({ kty: 'OKP', crv: 'Ed25519', x: exported.x } as JWK, 'sha256');
  return {
    key,
    pem: key.export({ format: 'pem', type: 'spki' }).toString(),
    jwk: { kty: 'OKP', crv: 'Ed25519', x: exported.x, kid: thumbprint, alg: 'EdDSA', use: 'sig' },
    thumbprint,
  };
}

/** Reads a public receipt key from PEM (SPKI) or JWK text; refuses anything but an Ed25519 public key. */
export async function parsePublicKey(text: string): Promise<ReceiptPublicKey> {
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  let key: KeyObject;
  try {
    if (trimmed.startsWith('-----BEGIN PUBLIC KEY-----')) key = createPublicKey({ key: trimmed, format: 'pem' });
    else {
      const jwk = JSON.parse(trimmed) as { kty?: unknown; crv?: unknown; x?: unknown; d?: unknown };
      if (jwk.d !== undefined) throw new ReceiptError('the JWK given holds a private key ("d"); give the public key only', 'receipt_public_key_invalid');
      if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string') throw new Error('not an Ed25519 JWK');
      key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: jwk.x }, format: 'jwk' });
    }
  } catch (e) {
    if (e instanceof ReceiptError) throw e;
    throw new ReceiptError(`the public key is not an Ed25519 public key in PEM (SPKI) or JWK form (${e instanceof Error ? e.message.slice(0, 100) : 'unreadable'})`, 'receipt_public_key_invalid');
  }
  if (key.type !== 'public' || key.asymmetricKeyType !== 'ed25519') throw new ReceiptError('the public key is not an Ed25519 public key', 'receipt_public_key_invalid');
  return describePublicKey(key);
}

export interface CreatedReceiptKey {
  /** The v2 envelope (JSON text) to store as the key file's `offline-signer-receipt-key` entry. */
  envelope: string;
  publicKey: ReceiptPublicKey;
}

/**
 * Makes a new receipt key and encrypts it; the envelope is opened again with the same passphrase and must give the
 * same public key before it is returned (nothing is kept that would not open).
 */
export async function createReceiptKey(passphrase: string, v2: Pick<EncryptV2Options, 'memoryKiB' | 'passes' | 'parallelism'> = {}): Promise<CreatedReceiptKey> {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const envelope = await encryptEnvelopeV2(privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(), passphrase, v2);
  const reopened = await openReceiptKey(parseEnvelope(envelope, 'the new receipt key'), passphrase);
  const described = await describePublicKey(publicKey);
  if (reopened.publicKey.thumbprint !== described.thumbprint) throw new ReceiptError('the new receipt key did not open back to the same key; nothing was kept', 'receipt_key_invalid');
  return { envelope, publicKey: described };
}

/** Opens the receipt key with its passphrase (a wrong one is BitGo's IncorrectPasswordError, as for wallets). */
export async function openReceiptKey(envelope: ParsedEnvelope, passphrase: string): Promise<ReceiptSigner> {
  if (envelope.v !== 2) throw new ReceiptError('the receipt key must be in a v2 envelope', 'receipt_key_invalid');
  const plain = await openEnvelope(envelope, passphrase, 'receipt key');
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({ key: Buffer.from(plain), format: 'pem' });
  } catch {
    throw new ReceiptError('the receipt key entry opened, but what it holds is not a private key', 'receipt_key_invalid');
  } finally {
    plain.fill(0);
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new ReceiptError('the receipt key entry holds a key that is not Ed25519', 'receipt_key_invalid');
  return { privateKey, publicKey: await describePublicKey(createPublicKey(privateKey)) };
}
