// The bounds-checked cursor the strict PSBT and transaction readers share. Every read failure is a
// PsbtFormatError naming where the reader was, so a truncated or hostile file never surfaces as a RangeError or
// an `undefined` deep inside the parser.
import { SignerError, type ErrorCode } from '../../shared/errors';

/**
 * A PSBT that breaks BIP174/370/371/373. `code` is stable (`psbt_invalid` for structure, other `psbt_*` codes for
 * the few failures that are not about the bytes themselves); the message names the map, the key type and why.
 */
export class PsbtFormatError extends SignerError {
  constructor(message: string, code: ErrorCode = 'psbt_invalid') {
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
