// Signature jobs packed for a message between threads: five typed arrays instead of one object per job, so tens of
// thousands of jobs cross as a few buffers and the receiving thread does not deserialize as many objects before
// its event loop turns again. Public data only (paths, digests, keys).
import { concatBytes } from '../util/bytes';

/** One signature to make: at chain `chain` index `index`, over `digest`, by the key whose public key is `expected`. */
export interface FlatJob {
  chain: number;
  index: number;
  digest: Uint8Array;
  expected: Uint8Array;
  kind: 'ecdsa' | 'schnorr';
}

export interface PackedJobs {
  chain: Uint8Array;
  index: Uint32Array;
  /** 0 ECDSA, 1 Schnorr. */
  kind: Uint8Array;
  /** 32 bytes per job. */
  digest: Uint8Array;
  /** 33 bytes per job (compressed public key). */
  expected: Uint8Array;
}

export function packJobs(jobs: readonly FlatJob[]): PackedJobs {
  return {
    chain: Uint8Array.from(jobs, (j) => {
      if (!Number.isInteger(j.chain) || j.chain < 0 || j.chain > 255) throw new RangeError(`packJobs: chain ${j.chain} is not a byte`);
      return j.chain;
    }),
    index: Uint32Array.from(jobs, (j) => j.index),
    kind: Uint8Array.from(jobs, (j) => (j.kind === 'schnorr' ? 1 : 0)),
    digest: concat(jobs.map((j) => j.digest), 32),
    expected: concat(jobs.map((j) => j.expected), 33),
  };
}

/** The jobs again (views into the packed buffers); refuses arrays whose lengths disagree. */
export function unpackJobs(p: PackedJobs): FlatJob[] {
  const n = p.chain.length;
  if (p.index.length !== n || p.kind.length !== n || p.digest.length !== n * 32 || p.expected.length !== n * 33) {
    throw new RangeError('unpackJobs: the packed arrays do not hold the same number of jobs');
  }
  return Array.from({ length: n }, (_, k) => ({
    chain: p.chain[k]!,
    index: p.index[k]!,
    kind: p.kind[k] === 1 ? 'schnorr' : 'ecdsa',
    digest: p.digest.subarray(k * 32, (k + 1) * 32),
    expected: p.expected.subarray(k * 33, (k + 1) * 33),
  }));
}

/** `parts` end to end (util/bytes.ts concatBytes), each refused unless it is exactly `size` bytes. */
export function concat(parts: readonly Uint8Array[], size: number): Uint8Array {
  const wrong = parts.find((p) => p.length !== size);
  if (wrong) throw new RangeError(`expected ${size} bytes, got ${wrong.length}`);
  return concatBytes(parts);
}
