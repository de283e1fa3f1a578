// Raw DEFLATE (RFC 1951) compressor whose back-references never reach further than 1024 bytes, for BBQr's "Z"
// encoding. BBQr fixes zlib's wbits at 10 (a 1 KiB window) so that embedded receivers (Coldcard Q) need only
// 1 KiB of history; general-purpose compressors (zlib default, fflate) use a 32 KiB window, and a stream that
// refers further back than 1 KiB is undecodable there. Decompression uses fflate (any window size is accepted).
//
// One final block with the fixed Huffman codes of RFC 1951 section 3.2.6 and greedy LZ77 over hash chains: PSBTs
// are mostly hashes, keys and signatures (high entropy), so the gain of dynamic trees would be small, and the
// caller falls back to plain base32 when compression does not shrink the payload.

export const BBQR_WINDOW = 1024;
const MIN_MATCH = 3;
const MAX_MATCH = 258;
const MAX_CHAIN = 128;

// RFC 1951 section 3.2.5: length codes 257..285 and distance codes 0..29 (base value, extra bits).
const LEN_BASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
const LEN_EXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
const DIST_BASE = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769];
const DIST_EXTRA = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8];

class BitWriter {
  private out: number[] = [];
  private acc = 0;
  private n = 0;
  /** Writes `count` bits of `value`, least significant first (RFC 1951 section 3.1.1 data elements). */
  bits(value: number, count: number): void {
    this.acc |= value << this.n;
    this.n += count;
    while (this.n >= 8) {
      this.out.push(this.acc & 0xff);
      this.acc >>>= 8;
      this.n -= 8;
    }
  }
  /** Huffman codes are packed starting with their most significant bit (section 3.1.1). */
  code(code: number, length: number): void {
    let rev = 0;
    for (let i = 0; i < length; i++) rev |= ((code >> i) & 1) << (length - 1 - i);
    this.bits(rev, length);
  }
  finish(): Uint8Array {
    if (this.n > 0) this.out.push(this.acc & 0xff);
    return Uint8Array.from(this.out);
  }
}

// Fixed literal/length code (section 3.2.6).
function writeLitLen(w: BitWriter, sym: number): void {
  if (sym < 144) w.code(0x30 + sym, 8);
  else if (sym < 256) w.code(0x190 + sym - 144, 9);
  else if (sym < 280) w.code(sym - 256, 7);
  else w.code(0xc0 + sym - 280, 8);
}

function lastIndexAtMost(table: number[], value: number): number {
  let i = table.length - 1;
  while (table[i]! > value) i--;
  return i;
}

/** Raw DEFLATE of `data` with every match distance <= 1024 (decodable with zlib wbits=-10). */
export function deflateRawWindow1k(data: Uint8Array): Uint8Array {
  const w = new BitWriter();
  w.bits(1, 1); // BFINAL: this is the only block
  w.bits(1, 2); // BTYPE 01: fixed Huffman codes
  const head = new Map<number, number>();
  const prev = new Int32Array(data.length).fill(-1);
  const key = (i: number) => (data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!;
  const insert = (i: number) => {
    if (i + MIN_MATCH > data.length) return;
    const k = key(i);
    prev[i] = head.get(k) ?? -1;
    head.set(k, i);
  };
  let i = 0;
  while (i < data.length) {
    let bestLen = 0;
    let bestDist = 0;
    if (i + MIN_MATCH <= data.length) {
      let cand = head.get(key(i)) ?? -1;
      const maxLen = Math.min(MAX_MATCH, data.length - i);
      for (let chain = 0; cand >= 0 && i - cand <= BBQR_WINDOW && chain < MAX_CHAIN; chain++, cand = prev[cand]!) {
        let len = 0;
        while (len < maxLen && data[cand + len] === data[i + len]) len++;
        if (len > bestLen) {
          bestLen = len;
          bestDist = i - cand;
          if (len === maxLen) break;
        }
      }
    }
    if (bestLen >= MIN_MATCH) {
      const lc = lastIndexAtMost(LEN_BASE, bestLen);
      writeLitLen(w, 257 + lc);
      w.bits(bestLen - LEN_BASE[lc]!, LEN_EXTRA[lc]!);
      const dc = lastIndexAtMost(DIST_BASE, bestDist);
      w.code(dc, 5); // fixed distance codes are plain 5-bit numbers
      w.bits(bestDist - DIST_BASE[dc]!, DIST_EXTRA[dc]!);
      for (let j = 0; j < bestLen; j++) insert(i + j);
      i += bestLen;
    } else {
      writeLitLen(w, data[i]!);
      insert(i);
      i++;
    }
  }
  writeLitLen(w, 256); // end of block
  return w.finish();
}
