// Byte-level primitives for the strict PSBT reader: a bounds-checked cursor, Bitcoin's CompactSize integers,
// and the matching writers. Every read failure is a PsbtFormatError naming where the reader was, so a truncated
// or hostile file never surfaces as a RangeError or an `undefined` deep inside the parser.
import { SignerError } from '../../shared/errors';

/**
 * A PSBT that breaks BIP174/370/371/373. `code` is stable (`psbt_invalid` for structure, other `psbt_*` codes for
 * the few failures that are not about the bytes themselves); the message names the map, the key type and why.
 */
export class PsbtFormatError extends SignerError {
  constructor(message: string, code = 'psbt_invalid') {
    super('PsbtFormatError', message, code);
  }
}

/** Where the reader is, for messages: "global map", "input 3", "output 0", "unsigned tx", ... */
export type Where = string;

export class ByteReader {
  private pos = 0;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly where: Where,
  ) {}

  get offset(): number {
    return this.pos;
  }

  get remaining(): number {
    return this.bytes.length - this.pos;
  }

  atEnd(): boolean {
    return this.pos >= this.bytes.length;
  }

  private need(n: number, what: string): void {
    if (n > this.remaining) {
      throw new PsbtFormatError(
        `${this.where}: truncated data reading ${what} at byte ${this.pos} (need ${n} bytes, ${this.remaining} left)`,
      );
    }
  }

  u8(what: string): number {
    this.need(1, what);
    return this.bytes[this.pos++] as number;
  }

  u32le(what: string): number {
    this.need(4, what);
    const b = this.bytes;
    const p = this.pos;
    this.pos += 4;
    return ((b[p] as number) | ((b[p + 1] as number) << 8) | ((b[p + 2] as number) << 16)) + (b[p + 3] as number) * 0x1000000;
  }

  i32le(what: string): number {
    return this.u32le(what) | 0;
  }

  u64le(what: string): bigint {
    const lo = this.u32le(what);
    const hi = this.u32le(what);
    return (BigInt(hi) << 32n) | BigInt(lo);
  }

  bytesN(n: number, what: string): Uint8Array {
    this.need(n, what);
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /**
   * Bitcoin CompactSize. Non-minimal encodings are rejected. BIP174 says so for key types ("This compact size
   * unsigned integer must be minimally encoded"), and Bitcoin Core's ReadCompactSize(range_check) refuses them for
   * every length too ("non-canonical ReadCompactSize()"): a PSBT must re-serialize byte-identically, and a second
   * encoding of the same length would let two byte strings mean one document.
   */
  compactSize(what: string): number {
    const first = this.u8(what);
    let n: number;
    if (first < 0xfd) return first;
    if (first === 0xfd) {
      this.need(2, what);
      n = (this.bytes[this.pos] as number) | ((this.bytes[this.pos + 1] as number) << 8);
      this.pos += 2;
      if (n < 0xfd) throw new PsbtFormatError(`${this.where}: non-canonical CompactSize for ${what} (${n} in 3 bytes)`);
      return n;
    }
    if (first === 0xfe) {
      n = this.u32le(what);
      if (n <= 0xffff) throw new PsbtFormatError(`${this.where}: non-canonical CompactSize for ${what} (${n} in 5 bytes)`);
      return n;
    }
    const big = this.u64le(what);
    if (big <= 0xffffffffn) throw new PsbtFormatError(`${this.where}: non-canonical CompactSize for ${what} (${big} in 9 bytes)`);
    // Nothing in a PSBT can be 2^32 bytes or items long; refusing here keeps lengths inside safe integers.
    throw new PsbtFormatError(`${this.where}: CompactSize for ${what} is ${big}, far beyond any possible length`);
  }

  /** CompactSize-prefixed byte string; the length is checked against what is left before any allocation. */
  varBytes(what: string): Uint8Array {
    const n = this.compactSize(`${what} length`);
    return this.bytesN(n, what);
  }
}

export function compactSizeBytes(n: number): Uint8Array {
  if (!Number.isSafeInteger(n) || n < 0 || n > 0xffffffff) throw new RangeError(`compact size out of range: ${n}`);
  if (n < 0xfd) return Uint8Array.of(n);
  if (n <= 0xffff) return Uint8Array.of(0xfd, n & 0xff, n >>> 8);
  return Uint8Array.of(0xfe, n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, n >>> 24);
}

export function u32leBytes(n: number): Uint8Array {
  return Uint8Array.of(n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff);
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let len = 0;
  for (const p of parts) len += p.length;
  const out = new Uint8Array(len);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Lexicographic byte order (shorter prefix first), the order BIP174 combiners use for keys. */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = (a[i] as number) - (b[i] as number);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

const HEX = '0123456789abcdef';
export function toHex(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += (HEX[x >> 4] as string) + (HEX[x & 15] as string);
  return s;
}

/** Hex to bytes, or undefined when the text is not even-length hex. */
export function fromHexStrict(s: string): Uint8Array | undefined {
  if (s.length % 2 !== 0) return undefined;
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) {
    const hi = hexDigit(s.charCodeAt(2 * i));
    const lo = hexDigit(s.charCodeAt(2 * i + 1));
    if (hi < 0 || lo < 0) return undefined;
    out[i] = (hi << 4) | lo;
  }
  return out;
}

/** 0-15 for an ASCII hex digit (either case), -1 for anything else. */
function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_INDEX = new Map<string, number>([...B64].map((c, i) => [c, i]));

/**
 * RFC 4648 base64 with padding required and non-zero trailing bits refused, so each byte string has exactly one
 * accepted text form (Bitcoin Core's DecodeBase64 and Python's b64decode(validate=True) are as strict).
 * Returns undefined for anything else. No Buffer: this file stays usable outside Node.
 */
export function fromBase64Strict(s: string): Uint8Array | undefined {
  if (s.length % 4 !== 0) return undefined;
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s)) return undefined;
  const pad = s.endsWith('==') ? 2 : s.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((s.length / 4) * 3 - pad);
  let o = 0;
  for (let i = 0; i < s.length; i += 4) {
    const c = [0, 1, 2, 3].map((k) => {
      const ch = s[i + k] as string;
      return ch === '=' ? 0 : (B64_INDEX.get(ch) as number);
    }) as [number, number, number, number];
    const v = (c[0] << 18) | (c[1] << 12) | (c[2] << 6) | c[3];
    if (o < out.length) out[o++] = (v >>> 16) & 0xff;
    if (o < out.length) out[o++] = (v >>> 8) & 0xff;
    if (o < out.length) out[o++] = v & 0xff;
  }
  // Non-zero bits hidden under the padding would give a second spelling of the same bytes.
  const last = B64_INDEX.get(s[s.length - 1 - pad] as string) ?? 0;
  if ((pad === 1 && (last & 0x03) !== 0) || (pad === 2 && (last & 0x0f) !== 0)) return undefined;
  return out;
}

export function toBase64(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i += 3) {
    const n = b.length - i;
    const v = ((b[i] as number) << 16) | ((n > 1 ? (b[i + 1] as number) : 0) << 8) | (n > 2 ? (b[i + 2] as number) : 0);
    s += (B64[(v >>> 18) & 63] as string) + (B64[(v >>> 12) & 63] as string);
    s += n > 1 ? (B64[(v >>> 6) & 63] as string) : '=';
    s += n > 2 ? (B64[v & 63] as string) : '=';
  }
  return s;
}
