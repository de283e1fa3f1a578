// Signatures made in worker threads (curve-worker.mjs) used for one request and ended after it, so the thread
// that asked (the app's main process, the CLI) keeps its event loop: it hands out chunks of work, reports progress
// after each, and stops handing out chunks when the caller cancels. Nothing here knows wallets or requests: jobs
// are (chain node, index, digest, expected public key, kind).
//
// ----- SECURITY: do not change without review ---------------------------------------------------------------
// The key material: `secrets()` makes one buffer of the private chain nodes (keystore/signer.ts) per thread, which
// is TRANSFERRED (moved, not copied) to that thread; the thread wipes it on 'forget' and after a failure, and its
// memory goes with it when it ends. So the chain nodes exist once per signing thread, for the duration of one
// request, besides the vault's signer's own copy; the leaf keys only inside the thread, one at a time. A thread is
// either started here or taken from `opts.spares` (spare-threads.ts: started ahead, never given a key before, given
// out once); either way it signs for this request only and is ended before this settles.
// ------------------------------------------------------------------------------------------------------------
import { SignerError } from '../../shared/errors';
import { packJobs } from './job-pack';
import { CurveThread, WorkerFailedError, type WorkerReply } from './pool';
import type { SpareThreads } from './spare-threads';

export interface SignJob {
  /** Position of the job's chain node in the `chains` list given with the secrets. */
  chain: number;
  index: number;
  digest: Uint8Array;
  /** The compressed public key the caller validated at that path. */
  expected: Uint8Array;
  kind: 'ecdsa' | 'schnorr';
}

export interface SignThreadsOptions {
  /** How many threads sign (at least 1). */
  threads: number;
  /** Jobs per message; progress and cancel are checked between chunks. Default 64. */
  chunk?: number;
  /** Called after each chunk with the jobs done so far and the total. */
  onProgress?: (done: number, total: number) => void;
  /** Read between chunks: true stops the work (nothing is returned; SigningCanceledError). */
  canceled?: () => boolean;
  /** Threads started ahead (the app's): taken instead of starting new ones, and refilled after this request's end. */
  spares?: SpareThreads;
}

/** Canceled while a request was being signed: its signatures are dropped, nothing of it is kept. */
export class SigningCanceledError extends SignerError {
  constructor() {
    super('SigningError', 'signing was canceled while this request was being signed; none of its signatures were kept, and it is still approved', 'signing_canceled');
  }
}

/** A signing thread's refusal (a key that is not the wallet's, an invalid child), with the thread's code. */
export class ThreadSignError extends SignerError {
  constructor(message: string, code: 'signing_key_mismatch' | 'derivation_invalid' | 'signing_key_missing' | 'worker_failed') {
    super('SigningError', message, code);
  }
}

function threadError(r: WorkerReply): Error {
  const code = r.error?.code;
  if (code === 'signing_key_mismatch' || code === 'derivation_invalid' || code === 'signing_key_missing') return new ThreadSignError(r.error!.message, code);
  return new WorkerFailedError(`a signing thread failed: ${r.error?.message ?? 'no signatures came back'}`);
}

/**
 * The 64-byte signatures of `jobs`, in order, made by `opts.threads` worker threads that no request has used.
 * `secrets()` must return a new buffer of the chain nodes each time it is called (one per thread; each is
 * transferred). The threads are ended before this settles, whatever happens.
 */
export async function signInThreads(secrets: () => ArrayBuffer, chains: readonly number[], jobs: readonly SignJob[], opts: SignThreadsOptions): Promise<Uint8Array[]> {
  const chunk = Math.max(1, opts.chunk ?? 64);
  const count = Math.max(1, Math.min(opts.threads, Math.ceil(jobs.length / chunk)));
  const threads: CurveThread[] = [];
  const sigs = new Array<Uint8Array>(jobs.length);
  let next = 0;
  let done = 0;
  let stop = false;
  try {
    for (let t = 0; t < count; t++) threads.push(opts.spares?.take() ?? new CurveThread());
    await Promise.all(
      threads.map(async (thread) => {
        const buffer = secrets();
        const r = await thread.call({ op: 'keys', secrets: buffer, chains: [...chains] }, [buffer]);
        if (r.error) throw threadError(r);
        while (!stop && next < jobs.length) {
          if (opts.canceled?.()) {
            stop = true;
            break;
          }
          const from = next;
          const part = jobs.slice(from, (next = Math.min(jobs.length, from + chunk)));
          const reply = await thread.call({ op: 'sign', jobs: packJobs(part) });
          if (reply.error || !reply.sigs) {
            stop = true;
            throw threadError(reply);
          }
          for (let k = 0; k < part.length; k++) sigs[from + k] = reply.sigs.slice(k * 64, (k + 1) * 64);
          done += part.length;
          opts.onProgress?.(done, jobs.length);
        }
      }),
    );
  } catch (e) {
    stop = true;
    throw e;
  } finally {
    // Each thread wipes its chain nodes before it ends (a thread that already did answers at once).
    await Promise.all(threads.map((t) => t.call({ op: 'forget' }).catch(() => undefined)));
    await Promise.all(threads.map((t) => t.close()));
    // Replacements start now, after this request's threads ended: none of them ever held its keys.
    opts.spares?.fill();
  }
  if (done < jobs.length) throw new SigningCanceledError();
  return sigs;
}
