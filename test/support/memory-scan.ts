// Searches this process's own memory for secret byte strings, the way an attacker with a memory dump would: every
// readable private mapping listed in /proc/self/maps is read through /proc/self/mem. That finds bytes wherever they
// are: V8 heap objects (strings are stored as their raw one-byte characters), ArrayBuffer backing stores (malloc),
// WebAssembly linear memories, OpenSSL's allocations, thread stacks. Linux only.
//
// Two things would make the scanner count copies it made itself, and are avoided:
// - The needles. The caller passes each secret masked (secret XOR a random mask); the scanner unmasks only a 4-byte
//   anchor to find candidates and compares the rest byte by byte through the mask, so no complete copy of a secret
//   ever exists in the scanner's own objects.
// - The read buffer. Reading a region that contains the read buffer itself copies bytes already read into it, so a
//   secret seen earlier in the same read would be seen again at the buffer's address. Each chunk is therefore read
//   twice, into two buffers that are zeroed after use, and only addresses found in both reads count: a false hit lies
//   inside the buffer that was being filled, and that buffer is all zeros during the other read.
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { randomBytes } from 'node:crypto';

/** A secret as the scanner receives it: hex of (secret XOR mask) and hex of the mask. */
export interface MaskedNeedle {
  name: string;
  masked: string;
  mask: string;
}

/** Masks a secret for a child process's scanner (the parent holds the secret; the child never sees it whole). */
export function maskNeedle(name: string, secret: Uint8Array): MaskedNeedle {
  const mask = randomBytes(secret.length);
  const masked = Buffer.alloc(secret.length);
  for (let i = 0; i < secret.length; i++) masked[i] = secret[i]! ^ mask[i]!;
  return { name, masked: masked.toString('hex'), mask: mask.toString('hex') };
}

export interface Region {
  start: number;
  end: number;
  perms: string;
  path: string;
}

/**
 * The mappings worth reading: readable and private, and either anonymous (heap, stacks, V8 pages, WebAssembly
 * memories, malloc arenas) or writable (a library's .data/.bss). Read-only file mappings hold the files' bytes only,
 * and the kernel's [vvar]/[vdso]/[vsyscall] pages cannot hold process data.
 */
export function readableRegions(maps = readFileSync('/proc/self/maps', 'utf8')): Region[] {
  const out: Region[] = [];
  for (const line of maps.split('\n')) {
    const m = /^([0-9a-f]+)-([0-9a-f]+) (\S{4}) \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (!m) continue;
    const [, start, end, perms, path] = m as unknown as [string, string, string, string, string];
    if (perms[0] !== 'r' || perms[3] !== 'p') continue;
    if (path === '[vvar]' || path === '[vdso]' || path === '[vsyscall]' || path === '[vvar_vclock]') continue;
    const anonymous = path === '' || path.startsWith('[');
    if (!anonymous && perms[1] !== 'w') continue;
    out.push({ start: parseInt(start, 16), end: parseInt(end, 16), perms, path });
  }
  return out;
}

interface Prepared {
  name: string;
  masked: Buffer;
  mask: Buffer;
  anchor: Buffer;
}

const CHUNK = 4 * 1024 * 1024;

export interface ScanResult {
  /** Distinct addresses holding each secret whole. */
  counts: Record<string, number>;
  /** Where they are: region path (or "anon") and address, per secret. */
  where: Record<string, string[]>;
  regions: number;
  bytesScanned: number;
  /** Regions the kernel refused to read (e.g. guard pages inside a readable range); listed, not hidden. */
  unreadable: string[];
}

export function scanOwnMemory(needles: readonly MaskedNeedle[]): ScanResult {
  const prepared: Prepared[] = needles.map((n) => {
    const masked = Buffer.from(n.masked, 'hex');
    const mask = Buffer.from(n.mask, 'hex');
    if (masked.length < 8 || masked.length !== mask.length) throw new Error(`needle ${n.name}: masked and mask must have the same length, at least 8 bytes`);
    const anchor = Buffer.alloc(4);
    for (let i = 0; i < 4; i++) anchor[i] = masked[i]! ^ mask[i]!;
    return { name: n.name, masked, mask, anchor };
  });
  const overlap = Math.max(...prepared.map((p) => p.masked.length)) - 1;
  const bufA = Buffer.allocUnsafeSlow(CHUNK + overlap).fill(0);
  const bufB = Buffer.allocUnsafeSlow(CHUNK + overlap).fill(0);
  const found = prepared.map(() => new Map<number, string>());
  const unreadable: string[] = [];
  let bytesScanned = 0;
  const regions = readableRegions();
  const fd = openSync('/proc/self/mem', 'r');
  try {
    for (const r of regions) {
      for (let at = r.start; at < r.end; at += CHUNK) {
        const len = Math.min(CHUNK + overlap, r.end - at);
        let hitsA: number[][];
        try {
          hitsA = readAndSearch(fd, bufA, at, len, prepared);
        } catch (e) {
          unreadable.push(`${r.path || 'anon'} ${at.toString(16)}+${len} (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
          continue;
        }
        const hitsB = readAndSearch(fd, bufB, at, len, prepared);
        bytesScanned += Math.min(CHUNK, len);
        prepared.forEach((_, k) => {
          const inB = new Set(hitsB[k]);
          for (const off of hitsA[k]!) if (inB.has(off)) found[k]!.set(at + off, `${r.path || 'anon'}@${(at + off).toString(16)}`);
        });
      }
    }
  } finally {
    closeSync(fd);
  }
  return {
    counts: Object.fromEntries(prepared.map((p, k) => [p.name, found[k]!.size])),
    where: Object.fromEntries(prepared.map((p, k) => [p.name, [...found[k]!.values()]])),
    regions: regions.length,
    bytesScanned,
    unreadable,
  };
}

/** Reads `len` bytes at address `at` into `buf`, returns the offsets where each needle lies whole, zeroes `buf`. */
function readAndSearch(fd: number, buf: Buffer, at: number, len: number, needles: readonly Prepared[]): number[][] {
  try {
    let got = 0;
    while (got < len) {
      const n = readSync(fd, buf, got, len - got, at + got);
      if (n === 0) break;
      got += n;
    }
    const view = buf.subarray(0, got);
    return needles.map((p) => {
      const offsets: number[] = [];
      for (let i = view.indexOf(p.anchor); i !== -1 && i + p.masked.length <= got; i = view.indexOf(p.anchor, i + 1)) {
        let whole = true;
        for (let j = 4; j < p.masked.length && whole; j++) whole = (view[i + j]! ^ p.mask[j]!) === p.masked[j];
        if (whole) offsets.push(i);
      }
      return offsets;
    });
  } finally {
    buf.fill(0);
  }
}
