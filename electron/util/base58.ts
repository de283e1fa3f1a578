// Base58 (Bitcoin's alphabet), as BIP32 serializes extended keys. Encoding is for public data (xpubs): its result is a
// string. Decoding writes into an array the caller gives and works in place there: no digit arrays, no strings, no
// intermediate copies, so an xprv read from decrypted bytes leaves nothing behind but that array, which the caller
// wipes (README, "Memory hygiene"). The general-purpose decoders (bs58, @scure/base) build number arrays and return
// fresh typed arrays, which a caller cannot wipe completely.

const ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const DIGIT = (() => {
  const t = new Int8Array(128).fill(-1);
  for (let i = 0; i < ALPHABET.length; i++) t[ALPHABET.charCodeAt(i)] = i;
  return t;
})();

/** Base58 text of `bytes`; each leading zero byte becomes a leading '1'. Public data only. */
export function base58Encode(bytes: Uint8Array): string {
  const digits: number[] = []; // little-endian base-58 digits
  for (const b of bytes) {
    let carry = b;
    for (let j = 0; j < digits.length; j++) {
      carry += digits[j]! * 256;
      digits[j] = carry % 58;
      carry = Math.floor(carry / 58);
    }
    for (; carry > 0; carry = Math.floor(carry / 58)) digits.push(carry % 58);
  }
  let out = '';
  for (let i = 0; i < bytes.length && bytes[i] === 0; i++) out += '1';
  for (let j = digits.length - 1; j >= 0; j--) out += ALPHABET[digits[j]!];
  return out;
}

/**
 * Decodes base58 text, given as its ASCII bytes, into `out`, which must be exactly as long as the decoded value.
 * Returns false (with `out` zeroed) for a character outside the alphabet or a value of another length.
 */
export function base58DecodeInto(text: Uint8Array, out: Uint8Array): boolean {
  out.fill(0);
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    let carry = c < 128 ? DIGIT[c]! : -1;
    if (carry < 0) return fail(out);
    // out = out * 58 + digit, big-endian
    for (let j = out.length - 1; j >= 0; j--) {
      carry += out[j]! * 58;
      out[j] = carry & 0xff;
      carry >>>= 8;
    }
    if (carry !== 0) return fail(out); // the value needs more bytes than out has
  }
  // Each leading '1' stands for one leading zero byte; the value must then fill the rest of `out` exactly.
  let ones = 0;
  while (ones < text.length && text[ones] === 0x31) ones++;
  let zeros = 0;
  while (zeros < out.length && out[zeros] === 0) zeros++;
  return zeros === ones || fail(out);
}

function fail(out: Uint8Array): false {
  out.fill(0);
  return false;
}
