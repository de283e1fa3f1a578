// Imports parsed and reviewed off main's thread (issue 13 item 11): one review thread (review-worker.ts), started on
// the first import and kept, runs electron/review/off-thread.ts on a request's bytes (and, for a request being signed, the approval gate:
// electron/signing/on-thread.ts), so main keeps serving the
// window and IPC while a large request is read. Its answers are public (facts and review models); errors come back
// as their name, message and code and are thrown here again as the same SignerError, so an import refused on the
// thread says exactly what it said on main. A thread that dies fails its import (worker_failed) and is replaced;
// one that dies while a request signs leaves that request approved (workflow/audit.ts STAYS_APPROVED).
//
// Where the thread's code is: from the sources, review-worker.mjs (which compiles the TypeScript as it loads, with
// tsx); in the built app, build/scripts/build.mjs bundles review-worker.ts to review-worker.cjs beside main.cjs,
// read and evaluated as the curve worker is (electron/parallel/pool.ts says why), on pool.ts's ScriptThread.
import { fileURLToPath } from 'node:url';
import { SignerError, type ErrorCode } from '../../shared/errors';
import type { ReviewModel } from '../../shared/review';
import type { NonceView } from '../intake/musig2-fields';
import type { IntakeFacts, ThreadReviewOptions } from '../review/off-thread';
import type { ThreadApprovalOptions, ThreadSigningKey } from '../signing/on-thread';
import { concat, unpackJobs, type PackedJobs } from '../parallel/job-pack';
import { curveSettings, ScriptThread } from '../parallel/pool';
import type { LedgerSpends } from '../signing/ledger';
import type { PreparedSigning, SignOutcome } from '../signing/sign';

const SCRIPT = {
  bundled: fileURLToPath(new URL('./review-worker.cjs', import.meta.url)),
  source: new URL('./review-worker.mjs', import.meta.url),
  what: 'the review thread',
};

interface Reply {
  id: number;
  facts?: IntakeFacts;
  model?: ReviewModel;
  noncesNeeded?: true;
  mainPath?: true;
  prepared?: { spends: LedgerSpends; jobs: PackedJobs };
  outcome?: SignOutcome;
  error?: { name: string; message: string; code?: ErrorCode } | { internal: true };
}

let thread: ScriptThread<Reply> | undefined;

function reviewThread(): ScriptThread<Reply> {
  // It derives keys ahead on curve threads of its own (intake/request.ts prederiveRequestKeys): told where their
  // bundle is and how many to start.
  if (!thread || thread.dead) thread = new ScriptThread<Reply>({ ...SCRIPT, curve: curveSettings() });
  return thread;
}

let warmed: ScriptThread<Reply> | undefined;

/**
 * Ends the review thread now, if one runs: what it was doing fails with worker_failed, as when it dies, and the
 * next import or signing starts a new one. Its memory (requests' bytes and reviews, public data) goes with it.
 * The tests use it to stop the thread in the middle of a signing (test/unit/workflow/sign-thread-death.spec.ts).
 */
export async function stopReviewThread(): Promise<void> {
  const t = thread;
  thread = undefined;
  await t?.close();
}

/**
 * Starts the review thread and its curve threads now and warms them (review-worker.ts 'warm'), once per thread:
 * the app calls it when it starts, so the operator's first import runs on warm threads. Never throws.
 */
export function warmReviewThread(): Promise<void> {
  let t: ScriptThread<Reply>;
  try {
    t = reviewThread();
  } catch {
    // A bad OFFLINE_SIGNER_THREADS: the first import says so (threads_setting_invalid), not the app's start.
    return Promise.resolve();
  }
  if (warmed === t) return Promise.resolve();
  warmed = t;
  return t.call({ op: 'warm' }).then(
    () => undefined,
    () => undefined,
  );
}

function unwrap(r: Reply): Reply {
  if (!r.error) return r;
  // A bug on the thread (not a SignerError) is a plain Error here too: the import says internal_error, as before.
  if ('internal' in r.error) throw new Error('the review thread failed on this request');
  throw new SignerError(r.error.name, r.error.message, r.error.code);
}

/** One request on the review thread: its facts now, its review model once main has chosen the options. */
export interface ThreadIntake {
  facts: IntakeFacts;
  /** The review model; `nonces` is called (on main) only when the review needs the wallet's kept MuSig2 nonces. */
  review(options: ThreadReviewOptions, nonces: () => NonceView): Promise<ReviewModel>;
  /** Drops the parsed request on the thread (the import was refused before its review). */
  forget(): void;
}

/** Parses `bytes` on the review thread; throws what parseSigningRequest would throw, with the same code. */
export async function intakeOnThread(bytes: Uint8Array, file: string): Promise<ThreadIntake> {
  const t = reviewThread();
  const first = unwrap(await t.call({ op: 'intake', bytes, file }));
  const job = first.id;
  return {
    facts: first.facts!,
    review: async (options, nonces) => {
      let r = unwrap(await t.call({ op: 'review', job, options }));
      if (r.noncesNeeded) {
        let view: NonceView;
        try {
          view = nonces(); // the kept nonces' file is read only now, as the review on main read it: only when needed
        } catch (e) {
          void t.call({ op: 'forget', job }).catch(() => undefined);
          throw e;
        }
        r = unwrap(await t.call({ op: 'review', job, options, nonces: view }));
      }
      return r.model!;
    },
    forget: () => void t.call({ op: 'forget', job }).catch(() => undefined),
  };
}

/**
 * The approval gate run on the review thread for an approved request about to be signed (signing/on-thread.ts
 * approveAndPrepare): main's event loop keeps turning while the gate re-reads and re-reviews the bytes. Gives the
 * digests to sign (the vault signs them on main's curve threads: signing/sign.ts signPrepared) and finishes the
 * response there from their signatures; null when main signs the request itself (the MuSig2 steps).
 * The gate's errors are thrown here with their own name, message and code.
 */
export async function prepareOnThread(bytes: Uint8Array, options: ThreadApprovalOptions, signing: ThreadSigningKey): Promise<PreparedSigning | null> {
  const t = reviewThread();
  const r = unwrap(await t.call({ op: 'approve', bytes, options, signing }));
  if (r.mainPath) return null;
  const job = r.id;
  return {
    spends: r.prepared!.spends,
    jobs: unpackJobs(r.prepared!.jobs).map(({ chain, index, digest, expected, kind }) => ({ path: { chain, index }, digest, expected, kind })),
    finish: async (sigs) => {
      const packed = concat(sigs, 64);
      return unwrap(await t.call({ op: 'finish', job, sigs: packed }, [packed.buffer as ArrayBuffer])).outcome!;
    },
    drop: () => void t.call({ op: 'forget', job }).catch(() => undefined),
  };
}
