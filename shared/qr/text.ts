// Byte <-> text codecs used by the QR formats. Pure, no Buffer: this code also runs in the renderer's frame decoder.
// Decoders are strict (alphabet, length, padding) and throw a coded QrError naming the field, so a misread
// frame is refused instead of yielding different bytes.
import { QrError } from './errors';

const HEX = '0123456789ABCDEF';

/** Upper-case hex: BBQr requires capitals so the text stays in QR alphanumeric mode. */
export function toHexUpper(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += HEX[b >> 4]! + HEX[b & 15]!;
  return s;
}

export function fromHex(text: string, where: string): Uint8Array {
  if (text.length % 2 !== 0) throw new QrError('qr_part_corrupt', `${where}: hex text has odd length ${text.length}`);
  if (!/^[0-9a-fA-F]*$/.test(text)) throw new QrError('qr_part_corrupt', `${where}: hex text holds a character outside 0-9A-F`);
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(text.slice(2 * i, 2 * i + 2), 16);
  return out;
}

// RFC 4648 section 6 alphabet. BBQr omits the '=' padding (it is not in the QR alphanumeric set) and requires
// every part to hold whole bytes, so a part's length is a multiple of 8 characters except in the last part.
const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const B32_INDEX = new Map([...B32].map((c, i) => [c, i] as const));
// Valid unpadded tail lengths (characters after the last full 8-character group) -> whole bytes they carry.
const B32_TAIL_BYTES = new Map([[0, 0], [2, 1], [4, 2], [5, 3], [7, 4]]);

export function toBase32(bytes: Uint8Array): string {
  let out = '';
  let acc = 0;
  let bits = 0;
  for (const b of bytes) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += B32[(acc >> bits) & 31]!;
    }
    acc &= (1 << bits) - 1;
  }
  if (bits > 0) out += B32[(acc << (5 - bits)) & 31]!;
  return out;
}

export function fromBase32(text: string, where: string): Uint8Array {
  const tail = text.length % 8;
  const tailBytes = B32_TAIL_BYTES.get(tail);
  if (tailBytes === undefined) throw new QrError('qr_part_corrupt', `${where}: base32 text length ${text.length} does not end on a whole byte`);
  const out = new Uint8Array(Math.floor(text.length / 8) * 5 + tailBytes);
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (let i = 0; i < text.length; i++) {
    const v = B32_INDEX.get(text[i]!);
    if (v === undefined) throw new QrError('qr_part_corrupt', `${where}: base32 character ${i} is outside the RFC 4648 alphabet`);
    acc = ((acc << 5) | v) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  // Leftover bits must be zero (RFC 4648 section 3.5: canonical encoding), or two texts would mean the same bytes.
  if ((acc & ((1 << bits) - 1)) !== 0) throw new QrError('qr_part_corrupt', `${where}: base32 text has non-zero padding bits`);
  return out;
}

const B64 = /^[A-Za-z0-9+/]*={0,2}$/;

export function toBase64(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

export function fromBase64(text: string, where: string): Uint8Array {
  if (text.length % 4 !== 0 || !B64.test(text)) throw new QrError('qr_part_corrupt', `${where}: not canonical base64 (length ${text.length})`);
  const bin = atob(text);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  if (toBase64(out) !== text) throw new QrError('qr_part_corrupt', `${where}: base64 has non-zero padding bits`);
  return out;
}

/** BIP174: every PSBT starts with the magic bytes 0x70 0x73 0x62 0x74 0xFF ("psbt" + separator). */
export const PSBT_MAGIC = Uint8Array.of(0x70, 0x73, 0x62, 0x74, 0xff);

export function hasPsbtMagic(bytes: Uint8Array): boolean {
  return bytes.length >= PSBT_MAGIC.length && PSBT_MAGIC.every((b, i) => bytes[i] === b);
}

/** UTF-8 text that parses as a JSON object (a signing request), or undefined. Never throws. */
export function parseJsonObject(bytes: Uint8Array): unknown {
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : undefined;
  } catch {
    return undefined;
  }
}
