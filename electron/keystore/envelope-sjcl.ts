// BitGo's v1 envelopes through SJCL itself, the reference implementation BitGo uses: kept to prove the default
// node:crypto path (./envelope.ts) equal on BitGo's vectors, and never used to open a key in the app or the CLI.
import sjcl from 'sjcl';
import { IncorrectPasswordError } from '../../shared/errors';
import { EnvelopeError, type EncryptV1Options, type EnvelopeV1 } from './envelope';

function bitsFromBytes(bytes: Uint8Array): sjcl.BitArray {
  return sjcl.codec.hex.toBits(Buffer.from(bytes).toString('hex'));
}

// BitGo's envelopes store `adata` as text, while npm sjcl 1.0.9's JSON codec reads and writes it as base64 of the
// bytes (sjcl.json.decode base64-decodes adata, sjcl.json.encode base64-encodes it). The crypto is the same; only
// the JSON spelling differs, so the SJCL reference path translates adata at its edges.

/**
 * SJCL memoises PBKDF2 results in a module-global cache KEYED BY THE PASSPHRASE (sjcl.misc.cachedPbkdf2, stored
 * as `sjcl.misc.pa` in the minified 1.0.9 build): every passphrase ever used stays in memory with its derived
 * key. The reference path empties that cache after each use; the default native path never fills it.
 */
export function clearSjclCache(): void {
  const misc = sjcl.misc as unknown as Record<string, unknown>;
  if (typeof misc.pa === 'object' && misc.pa !== null) misc.pa = {};
}

export function sjclCacheSize(): number {
  const cache = (sjcl.misc as unknown as Record<string, unknown>).pa;
  return typeof cache === 'object' && cache !== null ? Object.keys(cache).length : 0;
}

/** v1 through SJCL itself: the reference implementation BitGo uses, kept to prove the native path equal. */
export function decryptV1Sjcl(env: EnvelopeV1, passphrase: string): string {
  try {
    return decryptV1SjclCached(env, passphrase);
  } finally {
    clearSjclCache();
  }
}

function decryptV1SjclCached(env: EnvelopeV1, passphrase: string): string {
  const json = JSON.stringify({
    iv: Buffer.from(env.iv).toString('base64'),
    v: 1,
    iter: env.iter,
    ks: env.ks,
    ts: env.ts,
    mode: env.mode,
    adata: Buffer.from(env.adata, 'utf8').toString('base64'),
    cipher: env.cipher,
    salt: Buffer.from(env.salt).toString('base64'),
    ct: Buffer.from(env.ct).toString('base64'),
  });
  try {
    return sjcl.decrypt(passphrase, json as unknown as sjcl.SjclCipherEncrypted);
  } catch (e) {
    if (e instanceof sjcl.exception.corrupt) throw new IncorrectPasswordError();
    const why = typeof e === 'object' && e !== null && 'message' in e ? String((e as { message: unknown }).message) : 'unknown reason';
    throw new EnvelopeError(`SJCL refused the envelope (${why})`, 'envelope_bad_field');
  }
}

/** The same v1 encryption through SJCL, for the equivalence tests. */
export function encryptEnvelopeV1Sjcl(plaintext: string, passphrase: string, opts: Required<Pick<EncryptV1Options, 'salt' | 'iv'>> & EncryptV1Options): string {
  const params = {
    iter: opts.iterations ?? 10000,
    ks: 256,
    ts: 64,
    mode: 'ccm',
    adata: opts.adata ?? '',
    cipher: 'aes',
    salt: bitsFromBytes(opts.salt),
    iv: bitsFromBytes(opts.iv),
  };
  let json: string;
  try {
    json = sjcl.encrypt(passphrase, plaintext, params as unknown as sjcl.SjclCipherEncryptParams) as unknown as string;
  } finally {
    clearSjclCache();
  }
  const obj = JSON.parse(json) as Record<string, unknown>;
  obj.adata = opts.adata ?? ''; // back to BitGo's text spelling; key order is unchanged
  return JSON.stringify(obj);
}
