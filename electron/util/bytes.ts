// General byte helpers: hex and base64 with one accepted spelling per byte string, comparison, concatenation, and
// Bitcoin's little-endian integers and CompactSize. No Buffer: these run in Node and in tests alike, and they are
// the only copies in the main process (the PSBT reader, wallet scripts, sighash and serializers all use them).

export function compactSizeBytes(n: number): Uint8Array {
  if (!Number.isSafeInteger(n) || n < 0 || n > 0xffffffff) throw new RangeError(`compact size out of range: ${n}`);
  if (n < 0xfd) return Uint8Array.of(n);
  if (n <= 0xffff) return Uint8Array.of(0xfd, n & 0xff, n >>> 8);
  return Uint8Array.of(0xfe, n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, n >>> 24);
}

export function u32leBytes(n: number): Uint8Array {
  return Uint8Array.of(n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff);
}

export function u64leBytes(v: bigint): Uint8Array {
  const out = new Uint8Array(8);
  let x = BigInt.asUintN(64, v);
  for (let i = 0; i < 8; i++) {
    out[i] = Number(x & 0xffn);
    x >>= 8n;
  }
  return out;
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
