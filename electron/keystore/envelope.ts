// BitGo key-store envelopes: how one encrypted extended private key is stored in a key file entry.
//
// v1 is SJCL's JSON format as written by `bitgo.encrypt` (BitGoJS sdk-api encrypt.ts): PBKDF2-HMAC-SHA256 over the
// UTF-8 passphrase (10000 iterations, 8-byte salt), AES-256 in CCM mode with a 64-bit tag, 16-byte random "iv" of
// which CCM uses the first 15-L bytes (L grows with the message length, see ccmNonce below).
// v2 is `{"v":2,m,t,p,salt,iv,ct}` as written by BitGoJS's encryptV2: an Argon2id key (m KiB, t passes,
// p lanes, 32-byte output) and AES-256-GCM with a 12-byte iv and the 16-byte tag appended to ct.
//
// Both are authenticated encryption: a wrong passphrase and an altered ciphertext are indistinguishable (the tag
// does not verify) and both are reported as BitGo's IncorrectPasswordError. What can be told apart (bad JSON,
// missing or malformed fields, unknown versions, truncated ciphertext, absurd cost parameters) gets its own code.
// No error message ever contains ciphertext, salt, iv or anything derived from the passphrase.
//
// The app opens envelopes with openEnvelope: the plaintext comes back as bytes in an array the caller wipes, never as
// a string; the passphrase's bytes and the derived AES key are wiped after use; v2's Argon2id runs in a worker thread
// (argon2-thread.ts). The string-returning decrypt functions are for tests and tools.
import { createCipheriv, createDecipheriv, pbkdf2Sync, randomBytes } from 'node:crypto';
import { argon2id } from 'hash-wasm';
import { IncorrectPasswordError, SignerError, type ErrorCode } from '../../shared/errors';
import { utf8Secret } from '../util/secret';
import { argon2idInWorker, type Argon2idParams } from './argon2-thread';

export class EnvelopeError extends SignerError {
  constructor(message: string, code: ErrorCode) {
    super('EnvelopeError', message, code);
  }
}

export interface EnvelopeV1 {
  v: 1;
  iv: Uint8Array;
  iter: number;
  ks: 128 | 192 | 256;
  ts: 64 | 96 | 128;
  mode: 'ccm';
  adata: string;
  cipher: 'aes';
  salt: Uint8Array;
  ct: Uint8Array;
}

export interface EnvelopeV2 {
  v: 2;
  m: number;
  t: number;
  p: number;
  salt: Uint8Array;
  iv: Uint8Array;
  ct: Uint8Array;
}

export type ParsedEnvelope = EnvelopeV1 | EnvelopeV2;

/** Public description of an envelope: what `keys list` shows. Nothing here helps an attacker more than the file does. */
export type EnvelopeInfo =
  | { version: 1; kdf: 'pbkdf2-sha256'; iterations: number; cipher: string; tagBits: number }
  | { version: 2; kdf: 'argon2id'; memoryKiB: number; passes: number; parallelism: number; cipher: 'aes-256-gcm' };

/**
 * Cost caps. A key file can come from anywhere (a USB stick); without caps a crafted entry could ask for
 * terabytes of Argon2 memory or a billion PBKDF2 rounds and hang the signing laptop. BitGo writes v1 with 10000
 * iterations and v2 with m=65536 KiB, t=3, p=4.
 * v2: BitGo's own caps, so that every envelope BitGo opens opens here and nothing costlier does: ARGON2_MAX in
 * BitGoJS modules/sdk-api/src/encryptV2.ts ("Maximum allowed Argon2id parameters to prevent DoS via crafted
 * envelopes": memorySize 262144 KiB = 256 MiB, iterations 16, parallelism 16, checked by its V2EnvelopeCodec). Its
 * lower bound on memory is 1 KiB; Argon2 itself needs 8 KiB per lane (RFC 9106 section 3.1), checked below.
 */
export const LIMITS = {
  v1MinIterations: 1000,
  v1MaxIterations: 1_000_000,
  v2MaxMemoryKiB: 262_144, // 256 MiB
  v2MaxPasses: 16,
  v2MaxParallelism: 16,
  maxCiphertextBytes: 1024 * 1024,
} as const;

const where = (context: string | undefined) => (context ? `${context}: ` : '');

function fieldError(context: string | undefined, field: string, why: string): EnvelopeError {
  return new EnvelopeError(`${where(context)}envelope field "${field}" ${why}`, 'envelope_bad_field');
}

/** Strict base64 (standard alphabet, padded); Buffer.from(...,'base64') alone silently skips garbage. */
function base64Field(obj: Record<string, unknown>, field: string, context: string | undefined, min: number, max: number): Uint8Array {
  const value = obj[field];
  if (typeof value !== 'string') throw fieldError(context, field, value === undefined ? 'is missing' : 'is not a string');
  if (value.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(value)) {
    throw fieldError(context, field, 'is not valid base64 (the entry is truncated or altered)');
  }
  const bytes = new Uint8Array(Buffer.from(value, 'base64'));
  if (bytes.length < min || bytes.length > max) {
    throw fieldError(context, field, `has ${bytes.length} bytes; expected ${min === max ? min : `${min} to ${max}`}`);
  }
  return bytes;
}

function intField(obj: Record<string, unknown>, field: string, context: string | undefined): number {
  const value = obj[field];
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw fieldError(context, field, value === undefined ? 'is missing' : 'is not an integer');
  }
  return value;
}

function costError(context: string | undefined, what: string): EnvelopeError {
  return new EnvelopeError(
    `${where(context)}refusing to decrypt: ${what}; a crafted key file could otherwise exhaust this machine`,
    'envelope_cost_out_of_range',
  );
}

/**
 * Parses the JSON string stored in a key file entry into a validated envelope.
 * `context` names the entry in errors (e.g. `wallet 5f2a...`).
 */
export function parseEnvelope(text: string, context?: string): ParsedEnvelope {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new EnvelopeError(`${where(context)}the encrypted key is not valid JSON (the entry is truncated or altered)`, 'envelope_malformed_json');
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new EnvelopeError(`${where(context)}the encrypted key is not a JSON object`, 'envelope_malformed_json');
  }
  const obj = raw as Record<string, unknown>;
  const v = obj.v;
  if (v === 1) return parseV1(obj, context);
  if (v === 2) return parseV2(obj, context);
  throw new EnvelopeError(
    `${where(context)}unknown envelope version ${JSON.stringify(v === undefined ? null : v).slice(0, 20)}; this signer reads versions 1 (SJCL) and 2 (Argon2id)`,
    'envelope_unknown_version',
  );
}

function parseV1(obj: Record<string, unknown>, context: string | undefined): EnvelopeV1 {
  const allowed = new Set(['iv', 'v', 'iter', 'ks', 'ts', 'mode', 'adata', 'cipher', 'salt', 'ct']);
  for (const key of Object.keys(obj)) if (!allowed.has(key)) throw fieldError(context, key.slice(0, 40), 'is not part of a version 1 envelope');
  const iter = intField(obj, 'iter', context);
  if (iter < LIMITS.v1MinIterations || iter > LIMITS.v1MaxIterations) {
    throw costError(context, `PBKDF2 iterations ${iter} outside ${LIMITS.v1MinIterations}..${LIMITS.v1MaxIterations}`);
  }
  const ks = intField(obj, 'ks', context);
  if (ks !== 128 && ks !== 192 && ks !== 256) throw fieldError(context, 'ks', `is ${ks}; expected 128, 192 or 256`);
  const ts = intField(obj, 'ts', context);
  if (ts !== 64 && ts !== 96 && ts !== 128) throw fieldError(context, 'ts', `is ${ts}; expected 64, 96 or 128`);
  if (obj.mode !== 'ccm') throw new EnvelopeError(`${where(context)}envelope mode ${JSON.stringify(obj.mode)?.slice(0, 20)} is not supported (only "ccm", as BitGo writes)`, 'envelope_unsupported');
  if (obj.cipher !== 'aes') throw new EnvelopeError(`${where(context)}envelope cipher ${JSON.stringify(obj.cipher)?.slice(0, 20)} is not supported (only "aes")`, 'envelope_unsupported');
  const adata = obj.adata ?? '';
  if (typeof adata !== 'string') throw fieldError(context, 'adata', 'is not a string');
  // SJCL's JSON requires at least 2 words of iv and CCM at least 7 bytes; node's CCM needs a 7..13 byte nonce,
  // which ccmNonce guarantees for any iv of 8..16 bytes.
  const iv = base64Field(obj, 'iv', context, 8, 16);
  const salt = base64Field(obj, 'salt', context, 8, 64);
  const ct = base64Field(obj, 'ct', context, 0, LIMITS.maxCiphertextBytes);
  if (ct.length < ts / 8) {
    throw new EnvelopeError(`${where(context)}the ciphertext is ${ct.length} bytes, shorter than its ${ts / 8}-byte tag: the entry is truncated`, 'envelope_truncated');
  }
  return { v: 1, iv, iter, ks, ts, mode: 'ccm', adata, cipher: 'aes', salt, ct };
}

function parseV2(obj: Record<string, unknown>, context: string | undefined): EnvelopeV2 {
  const allowed = new Set(['v', 'm', 't', 'p', 'salt', 'iv', 'ct']);
  for (const key of Object.keys(obj)) if (!allowed.has(key)) throw fieldError(context, key.slice(0, 40), 'is not part of a version 2 envelope');
  const m = intField(obj, 'm', context);
  const t = intField(obj, 't', context);
  const p = intField(obj, 'p', context);
  if (p < 1 || p > LIMITS.v2MaxParallelism) throw costError(context, `Argon2 parallelism ${p} outside 1..${LIMITS.v2MaxParallelism}`);
  if (t < 1 || t > LIMITS.v2MaxPasses) throw costError(context, `Argon2 passes ${t} outside 1..${LIMITS.v2MaxPasses}`);
  // RFC 9106 section 3.1: memory must be at least 8*p KiB.
  if (m < 8 * p || m > LIMITS.v2MaxMemoryKiB) throw costError(context, `Argon2 memory ${m} KiB outside ${8 * p}..${LIMITS.v2MaxMemoryKiB} KiB`);
  const salt = base64Field(obj, 'salt', context, 8, 64);
  const iv = base64Field(obj, 'iv', context, 12, 12);
  const ct = base64Field(obj, 'ct', context, 0, LIMITS.maxCiphertextBytes);
  if (ct.length < 16) {
    throw new EnvelopeError(`${where(context)}the ciphertext is ${ct.length} bytes, shorter than its 16-byte tag: the entry is truncated`, 'envelope_truncated');
  }
  return { v: 2, m, t, p, salt, iv, ct };
}

export function describeEnvelope(env: ParsedEnvelope): EnvelopeInfo {
  return env.v === 1
    ? { version: 1, kdf: 'pbkdf2-sha256', iterations: env.iter, cipher: `aes-${env.ks}-ccm`, tagBits: env.ts }
    : { version: 2, kdf: 'argon2id', memoryKiB: env.m, passes: env.t, parallelism: env.p, cipher: 'aes-256-gcm' };
}

/**
 * The CCM nonce SJCL uses (sjcl.mode.ccm): L, the size of the length field, is the smallest of 2..4 bytes that
 * holds the message length, raised to 15 - iv length for short ivs; the nonce is the first 15 - L bytes of the iv.
 * So a message of 65536 bytes or more uses a 12-byte nonce (the vec4 vector), anything shorter 13 bytes.
 */
export function ccmNonce(iv: Uint8Array, messageLength: number): Uint8Array {
  let L = 2;
  while (L < 4 && messageLength >>> (8 * L) !== 0) L++;
  if (L < 15 - iv.length) L = 15 - iv.length;
  return iv.subarray(0, 15 - L);
}

function v1Key(env: Pick<EnvelopeV1, 'salt' | 'iter' | 'ks'>, passphrase: string): Buffer {
  // SJCL hashes the passphrase string as UTF-8 (sjcl.codec.utf8String.toBits) and slices ks bits of one block.
  const password = utf8Secret(passphrase);
  try {
    return pbkdf2Sync(password, env.salt, env.iter, env.ks / 8, 'sha256');
  } finally {
    password.fill(0);
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The plaintext as a string, for the string-returning functions (tests, tools); the bytes are wiped. */
function plaintextString(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch {
    // SJCL's utf8String.fromBits throws on the same input; authenticated bytes that are not UTF-8 mean the
    // envelope was made by something other than BitGo.
    throw new EnvelopeError('the decrypted key is not UTF-8 text', 'envelope_bad_plaintext');
  } finally {
    bytes.fill(0);
  }
}

/** v1 through node:crypto (OpenSSL PBKDF2 and AES-CCM), as bytes the caller wipes. */
export function openV1Native(env: EnvelopeV1, passphrase: string): Uint8Array {
  const tagLength = env.ts / 8;
  const body = env.ct.subarray(0, env.ct.length - tagLength);
  const tag = env.ct.subarray(env.ct.length - tagLength);
  return openAuthenticated(v1Key(env, passphrase), (key) => {
    const decipher = createDecipheriv(`aes-${env.ks}-ccm` as 'aes-256-ccm', key, ccmNonce(env.iv, body.length), { authTagLength: tagLength });
    decipher.setAuthTag(tag);
    if (env.adata.length > 0) decipher.setAAD(Buffer.from(env.adata, 'utf8'), { plaintextLength: body.length });
    const out = decipher.update(body);
    decipher.final();
    return out;
  });
}

/** v1 through node:crypto, as a string. No empty-passphrase policy here: raw format only. */
export function decryptV1Native(env: EnvelopeV1, passphrase: string): string {
  return plaintextString(openV1Native(env, passphrase));
}

/**
 * Runs an AEAD decryption with a derived key: any failure of the cipher (tag mismatch) is BitGo's
 * IncorrectPasswordError; the key bytes are overwritten afterwards whatever happens.
 */
function openAuthenticated(key: Uint8Array, decrypt: (key: Uint8Array) => Uint8Array): Uint8Array {
  try {
    return decrypt(key);
  } catch {
    throw new IncorrectPasswordError();
  } finally {
    key.fill(0);
  }
}

function argon2Params(env: Pick<EnvelopeV2, 'm' | 't' | 'p' | 'salt'>): Argon2idParams {
  return { m: env.m, t: env.t, p: env.p, salt: env.salt };
}

/**
 * The v2 key derived in this thread (hash-wasm Argon2id, 32-byte output): for encryption (tests and tools) and as
 * the reference the worker is checked against. Opening an envelope uses argon2idInWorker.
 */
export async function argon2idInThread(params: Argon2idParams, passphrase: string): Promise<Uint8Array> {
  return argon2id({
    password: passphrase,
    salt: params.salt,
    memorySize: params.m,
    iterations: params.t,
    parallelism: params.p,
    hashLength: 32,
    outputType: 'binary',
  });
}

/** v2: Argon2id in a worker thread (argon2-thread.ts), then AES-256-GCM; bytes the caller wipes. */
export async function openV2(env: EnvelopeV2, passphrase: string): Promise<Uint8Array> {
  let key: Uint8Array;
  try {
    key = await argon2idInWorker(argon2Params(env), utf8Secret(passphrase));
  } catch (e) {
    throw new EnvelopeError(`the Argon2id key derivation could not run (${e instanceof Error ? e.message : String(e)})`, 'envelope_kdf_failed');
  }
  return openAuthenticated(key, (k) => {
    const decipher = createDecipheriv('aes-256-gcm', k, env.iv, { authTagLength: 16 });
    decipher.setAuthTag(env.ct.subarray(env.ct.length - 16));
    const out = decipher.update(env.ct.subarray(0, env.ct.length - 16));
    decipher.final();
    return out;
  });
}

export async function decryptV2(env: EnvelopeV2, passphrase: string): Promise<string> {
  return plaintextString(await openV2(env, passphrase));
}

export class PassphraseMissingError extends SignerError {
  constructor(context?: string) {
    super('PassphraseMissingError', `${where(context)}a passphrase is required (an empty passphrase is refused, as BitGo does)`, 'passphrase_missing');
  }
}

/**
 * Opens an envelope with the default (fastest) implementation: node:crypto for v1 (measured by `npm run bench`),
 * hash-wasm Argon2id in a worker thread + node:crypto GCM for v2. Returns the plaintext bytes in an array the caller
 * wipes. An empty passphrase is refused before any work, like `bitgo.decrypt`.
 */
export async function openEnvelope(env: ParsedEnvelope | string, passphrase: string, context?: string): Promise<Uint8Array> {
  const parsed = typeof env === 'string' ? parseEnvelope(env, context) : env;
  if (passphrase.length === 0) throw new PassphraseMissingError(context);
  return parsed.v === 1 ? openV1Native(parsed, passphrase) : openV2(parsed, passphrase);
}

/** openEnvelope's plaintext as a string, for tests and tools (the app never makes the xprv a string). */
export async function decryptEnvelope(env: ParsedEnvelope | string, passphrase: string, context?: string): Promise<string> {
  return plaintextString(await openEnvelope(env, passphrase, context));
}

export interface EncryptV1Options {
  /** 8 bytes, random when absent. Given only to reproduce vectors. */
  salt?: Uint8Array;
  /** 16 bytes, random when absent. */
  iv?: Uint8Array;
  iterations?: number;
  adata?: string;
}

/** Encrypts like `bitgo.encrypt` (sjcl.encrypt with ks 256, iter 10000): same JSON, same key order. */
export function encryptEnvelopeV1(plaintext: string, passphrase: string, opts: EncryptV1Options = {}): string {
  if (passphrase.length === 0) throw new PassphraseMissingError();
  const salt = opts.salt ?? randomBytes(8);
  const iv = opts.iv ?? randomBytes(16);
  const iter = opts.iterations ?? 10000;
  const adata = opts.adata ?? '';
  if (iv.length !== 16) throw new EnvelopeError('encryption iv must be 16 bytes', 'envelope_bad_field');
  const message = Buffer.from(plaintext, 'utf8');
  const key = v1Key({ salt, iter, ks: 256 }, passphrase);
  try {
    const cipher = createCipheriv('aes-256-ccm', key, ccmNonce(iv, message.length), { authTagLength: 8 });
    if (adata.length > 0) cipher.setAAD(Buffer.from(adata, 'utf8'), { plaintextLength: message.length });
    const body = Buffer.concat([cipher.update(message), cipher.final()]);
    const ct = Buffer.concat([body, cipher.getAuthTag()]);
    return JSON.stringify({
      iv: Buffer.from(iv).toString('base64'),
      v: 1,
      iter,
      ks: 256,
      ts: 64,
      mode: 'ccm',
      adata,
      cipher: 'aes',
      salt: Buffer.from(salt).toString('base64'),
      ct: ct.toString('base64'),
    });
  } finally {
    key.fill(0);
  }
}

export interface EncryptV2Options {
  salt?: Uint8Array;
  iv?: Uint8Array;
  memoryKiB?: number;
  passes?: number;
  parallelism?: number;
}

/** Encrypts like BitGoJS encryptV2: Argon2id (default m=65536 KiB, t=3, p=4) + AES-256-GCM, tag appended. */
export async function encryptEnvelopeV2(plaintext: string, passphrase: string, opts: EncryptV2Options = {}): Promise<string> {
  if (passphrase.length === 0) throw new PassphraseMissingError();
  const env = {
    m: opts.memoryKiB ?? 65536,
    t: opts.passes ?? 3,
    p: opts.parallelism ?? 4,
    salt: opts.salt ?? randomBytes(16),
  };
  const iv = opts.iv ?? randomBytes(12);
  if (iv.length !== 12) throw new EnvelopeError('encryption iv must be 12 bytes', 'envelope_bad_field');
  const key = await argon2idInThread(argon2Params(env), passphrase);
  try {
    const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: 16 });
    const ct = Buffer.concat([cipher.update(Buffer.from(plaintext, 'utf8')), cipher.final(), cipher.getAuthTag()]);
    return JSON.stringify({
      v: 2,
      m: env.m,
      t: env.t,
      p: env.p,
      salt: Buffer.from(env.salt).toString('base64'),
      iv: Buffer.from(iv).toString('base64'),
      ct: ct.toString('base64'),
    });
  } finally {
    key.fill(0);
  }
}
