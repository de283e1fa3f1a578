// Signed receipts (issue 16 item 4): a compact JWS, EdDSA (Ed25519), header { alg: "EdDSA", typ: "JWT", kid:
// <RFC 7638 thumbprint of the receipt key> }, written beside the file it is for as `<name>.receipt.jwt`. What it
// binds (README "Signed receipts"):
//   iss "offline-signer", jti (the receipt's own random id), iat (seconds), kind ("signed-transaction" or
//   "session-summary"), fileName (the base name of the file beside it, never a path), fileSha256 (sha256 hex of
//   that file's exact bytes); and for a signed transaction: walletId, requestSha256 (sha256 hex of the request
//   bytes as received), requestJti (when the request carried a verified JWT), unsignedTxid, reviewFingerprint (the
//   review's sha256), policySha256 (policyHash below) and policySource; with an audit log, auditSeq and
//   auditSha256: the log's last entry when the receipt was signed (seq, and the sha256 of its line), which vouches
//   for every entry up to it (`audit verify --receipts` checks the log still holds it).
// Verification pins the algorithm (EdDSA only, the header checked before the key is used), the key (the one given,
// never one the receipt names: a `kid` that is not the given key's thumbprint is receipt_wrong_key), the signature,
// the claims' shapes, and that the file given has the sha256 the receipt signed. Do not change without review.
import { randomUUID, sign } from 'node:crypto';
import { decodeProtectedHeader, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import { canonicalJson } from '../review/policy';
import { ReceiptError } from './errors';
import { RECEIPT_ALG, type ReceiptPublicKey, type ReceiptSigner } from './key';
import { sha256Hex } from '../crypto/hash';

export const RECEIPT_ISSUER = 'offline-signer';
/** The receipt written beside `<name>`. */
export const receiptName = (name: string): string => `${name}.receipt.jwt`;

interface CommonClaims {
  fileName: string;
  fileSha256: string;
  /** The audit log's last entry when the receipt was signed: its seq and the sha256 of its line (both or neither). */
  auditSeq?: number;
  auditSha256?: string;
}

export interface TransactionReceiptClaims extends CommonClaims {
  kind: 'signed-transaction';
  walletId: string;
  requestSha256: string;
  requestJti?: string;
  unsignedTxid: string | null;
  reviewFingerprint: string;
  policySha256: string;
  policySource: string;
}

export interface SummaryReceiptClaims extends CommonClaims {
  kind: 'session-summary';
}

export type ReceiptClaims = TransactionReceiptClaims | SummaryReceiptClaims;

export type VerifiedReceipt = ReceiptClaims & { iss: string; jti: string; iat: number; kid: string };

/**
 * The policy hash a receipt carries: sha256 (hex) of the canonical JSON (keys sorted, no whitespace) of
 *   { "version": 1, "walletId": <id>, "rules": <the policy rules in force for this wallet, defaults filled in>,
 *     "registry": <the wallet's registry entry as the registry file stores it, or null without a registry> }.
 * Unlike the review's policy hash (the whole policy file), it changes only when something that governed this
 * wallet's signature changes: its rules, its registered keys, coin or label, or its request-authentication policy.
 */
export function policyHash(walletId: string, rules: Record<string, unknown>, registryEntry: Record<string, unknown> | null): string {
  return sha256Hex(canonicalJson({ version: 1, walletId, rules, registry: registryEntry }));
}

/**
 * Signs a receipt: RFC 7515 compact serialization, signed with node:crypto's Ed25519 (RFC 8037 EdDSA: the signature
 * over the ASCII "<header>.<payload>"), synchronously, so an export writes its file and receipt in one step.
 * `now` is the receipt's iat.
 */
export function signReceipt(signer: ReceiptSigner, claims: ReceiptClaims, now: Date = new Date()): string {
  const header = { alg: RECEIPT_ALG, typ: 'JWT', kid: signer.publicKey.thumbprint };
  const payload = { iss: RECEIPT_ISSUER, jti: randomUUID(), iat: Math.floor(now.getTime() / 1000), ...claims };
  const input = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
  return `${input}.${sign(null, Buffer.from(input, 'ascii'), signer.privateKey).toString('base64url')}`;
}

const HEX64 = /^[0-9a-f]{64}$/;

function need(ok: boolean, what: string): void {
  if (!ok) throw new ReceiptError(`the receipt's ${what}`, 'receipt_malformed');
}

/** The claims' shapes: every claim of its kind present with its form, nothing guessed. */
function checkClaims(p: JWTPayload): ReceiptClaims {
  const c = p as Record<string, unknown>;
  need(c.iss === RECEIPT_ISSUER, `issuer must be "${RECEIPT_ISSUER}"`);
  need(typeof c.jti === 'string' && c.jti.length > 0, 'jti is missing');
  need(typeof c.iat === 'number' && Number.isSafeInteger(c.iat), 'iat is missing or not a whole number of seconds');
  need(typeof c.fileName === 'string' && c.fileName.length > 0 && !/[\\/]/.test(c.fileName), 'fileName is missing or not a base name');
  need(typeof c.fileSha256 === 'string' && HEX64.test(c.fileSha256), 'fileSha256 is missing or not sha256 hex');
  need((c.auditSeq === undefined) === (c.auditSha256 === undefined), 'auditSeq and auditSha256 must come together');
  need(c.auditSeq === undefined || (typeof c.auditSeq === 'number' && Number.isSafeInteger(c.auditSeq) && c.auditSeq >= 1), 'auditSeq is not an entry number from 1');
  need(c.auditSha256 === undefined || (typeof c.auditSha256 === 'string' && HEX64.test(c.auditSha256)), 'auditSha256 is not sha256 hex');
  if (c.kind === 'session-summary') return p as unknown as SummaryReceiptClaims;
  need(c.kind === 'signed-transaction', 'kind must be "signed-transaction" or "session-summary"');
  need(typeof c.walletId === 'string' && c.walletId.length > 0, 'walletId is missing');
  for (const k of ['requestSha256', 'reviewFingerprint', 'policySha256'] as const) need(typeof c[k] === 'string' && HEX64.test(c[k]), `${k} is missing or not sha256 hex`);
  need(c.unsignedTxid === null || (typeof c.unsignedTxid === 'string' && HEX64.test(c.unsignedTxid)), 'unsignedTxid is not a txid');
  need(c.requestJti === undefined || typeof c.requestJti === 'string', 'requestJti is not a string');
  need(typeof c.policySource === 'string', 'policySource is missing');
  return p as unknown as TransactionReceiptClaims;
}

export interface ReceiptCheck {
  token: string;
  publicKey: ReceiptPublicKey;
  /** The exact bytes of the file the receipt is said to be for. */
  file: Uint8Array;
}

/** Verifies a receipt's algorithm, key, signature and claims (not the file it is for); a coded ReceiptError otherwise. */
export async function verifyReceiptToken(tokenText: string, publicKey: ReceiptPublicKey): Promise<VerifiedReceipt> {
  const token = tokenText.trim();
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(token);
  } catch {
    throw new ReceiptError('the receipt is not a compact JWS (header.payload.signature, base64url)', 'receipt_malformed');
  }
  if (header.alg !== RECEIPT_ALG) throw new ReceiptError(`the receipt is signed with ${JSON.stringify(String(header.alg).slice(0, 20))}; only EdDSA (Ed25519) receipts are accepted`, 'receipt_alg_refused');
  if (header.kid !== publicKey.thumbprint) {
    throw new ReceiptError(`the receipt names receipt key ${JSON.stringify(String(header.kid).slice(0, 64))}, not the key given (${publicKey.thumbprint})`, 'receipt_wrong_key');
  }
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, publicKey.key, { algorithms: [RECEIPT_ALG], issuer: RECEIPT_ISSUER }));
  } catch (e) {
    if (e instanceof joseErrors.JWSSignatureVerificationFailed) throw new ReceiptError('invalid signature: the receipt does not verify with the receipt key given; it was changed after signing', 'receipt_signature_invalid');
    throw new ReceiptError(`the receipt is malformed (${e instanceof Error ? e.message.slice(0, 120) : 'unreadable'})`, 'receipt_malformed');
  }
  const claims = checkClaims(payload);
  return { ...claims, iss: payload.iss!, jti: payload.jti!, iat: payload.iat!, kid: publicKey.thumbprint };
}

/** Verifies a receipt against the receipt public key and the file; returns its claims or a coded ReceiptError. */
export async function verifyReceipt(c: ReceiptCheck): Promise<VerifiedReceipt> {
  const claims = await verifyReceiptToken(c.token, c.publicKey);
  const actual = sha256Hex(c.file);
  if (actual !== claims.fileSha256) throw new ReceiptError(`the file given has sha256 ${actual}; the receipt was signed for ${claims.fileSha256} (${claims.fileName})`, 'receipt_file_mismatch');
  return claims;
}
