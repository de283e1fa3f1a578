// The hash functions of Bitcoin's scripts and signatures, through node:crypto's native implementations. One copy
// for the main process: wallet scripts, BIP341 tagged hashes, sighashes and the PSBT reader's preimage checks.
import { createHash } from 'node:crypto';

export function sha256(data: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(data).digest());
}

/** SHA-256 as lowercase hex: file and request fingerprints in audit entries, receipts and token bindings. */
export function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** SHA256(SHA256(x)): txids, BIP143 midstates, legacy sighashes. */
export function hash256(data: Uint8Array): Uint8Array {
  return sha256(sha256(data));
}

export function ripemd160(data: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('ripemd160').update(data).digest());
}

/** RIPEMD160(SHA256(x)): P2SH and P2WPKH programs. */
export function hash160(data: Uint8Array): Uint8Array {
  return ripemd160(sha256(data));
}

const TAG_PREFIXES = new Map<string, Uint8Array>();

/**
 * BIP340 tagged hash: SHA256(SHA256(tag) || SHA256(tag) || x), where x is the concatenation of `parts`. The tag's
 * own hash is computed once per tag.
 */
export function taggedHash(tag: string, ...parts: readonly Uint8Array[]): Uint8Array {
  let t = TAG_PREFIXES.get(tag);
  if (!t) TAG_PREFIXES.set(tag, (t = sha256(new TextEncoder().encode(tag))));
  const h = createHash('sha256').update(t).update(t);
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
}
