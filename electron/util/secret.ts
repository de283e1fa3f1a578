// Byte arrays for secrets (keys, chain codes, passphrase bytes, decrypted plaintext), made so that wiping them wipes
// the only copy. See README, "Memory hygiene".
//
// - V8 stores a typed array of up to 64 bytes made by `new Uint8Array(n)` (and Buffer.alloc, Buffer.allocUnsafeSlow,
//   `.slice()` of one) inside its own heap, where the garbage collector MOVES objects: the old bytes stay behind in
//   memory that no code can reach or wipe. A typed array over an explicit `new ArrayBuffer(n)` has its bytes in a
//   separate allocation that never moves.
// - Buffer.from(string) and Buffer.allocUnsafe carve small buffers out of a shared 8 KiB pool slab, which lives
//   until every buffer cut from it is collected and is never wiped.
// So every secret lives in a secretBytes() array, and is copied into one the moment a library hands it back.

/** `length` zero bytes outside V8's moving heap and outside Buffer's pool. */
export function secretBytes(length: number): Uint8Array {
  return new Uint8Array(new ArrayBuffer(length));
}

/** A copy of `bytes` in a secretBytes() array; the caller wipes the source when it owns it. */
export function secretCopy(bytes: Uint8Array): Uint8Array {
  const out = secretBytes(bytes.length);
  out.set(bytes);
  return out;
}

const encoder = new TextEncoder();

/**
 * The UTF-8 bytes of `text` (a passphrase) written straight into a secretBytes() array. The string itself cannot be
 * wiped (JavaScript strings are immutable); this avoids adding a pooled copy of its bytes.
 */
export function utf8Secret(text: string): Uint8Array {
  const out = secretBytes(Buffer.byteLength(text, 'utf8'));
  const { written } = encoder.encodeInto(text, out);
  if (written !== out.length) throw new Error('utf8Secret: the encoder and Buffer.byteLength disagree');
  return out;
}

/** Overwrites each array with zeros (absent ones are skipped). */
export function wipe(...arrays: readonly (Uint8Array | undefined)[]): void {
  for (const a of arrays) a?.fill(0);
}
