// The review thread: parses imported requests and builds their review models off main's thread, so main keeps
// serving the window and IPC while a 100k-input request is read (electron/workflow/review-thread.ts starts it).
// The work is electron/review/off-thread.ts and electron/signing/on-thread.ts, the same functions a test runs in-thread. Public data only: a
// request's bytes in, its facts and review model out; no key, no passphrase, no environment (env {}).
//
// Messages in, each answered by one message { id, ... } out:
// - { op: 'intake', id, bytes: Uint8Array, file }: parses; keeps the parsed request under `id`; answers { facts }.
// - { op: 'review', id, job, options, nonces? }: builds the review of the request kept under `job` ({ model }),
//   then forgets it; { noncesNeeded: true } (the request kept) when the review needs the wallet's kept MuSig2
//   nonces and none were sent.
// - { op: 'forget', id, job }: drops a kept request (main refused the import between the two steps), or a prepared
//   signing (main's signing failed or was canceled).
// - { op: 'approve', id, bytes, options, signing }: the approval gate and the engine's preparation
//   (signing/on-thread.ts approveAndPrepare); keeps the prepared signing under `id` and answers { prepared: { spends,
//   jobs } } with the jobs packed in typed arrays, or { mainPath: true } for a request main signs itself.
// - { op: 'warm', id }: warms this thread and its curve threads with derivations of a fixed public key (wallet/
//   keys.ts warmDerivations), so the first import is not the one that pays for it; answers {}.
// - { op: 'finish', id, job, sigs }: the response from the jobs' signatures (64 bytes each, concatenated in job
//   order); answers { outcome }, and forgets the prepared signing.
// A failure answers { error: { name, message, code } } for the SignerError thrown (its code kept), or
// { error: { internal: true } } for anything else.
import { parentPort } from 'node:worker_threads';
import { SignerError } from '../../shared/errors';
import { parseSigningRequestParallel, prederiveRequestKeys, type SigningRequest } from '../intake/request';
import type { NonceView } from '../intake/musig2-fields';
import type { PreparedSigning } from '../signing/sign';
import { packJobs } from '../parallel/job-pack';
import { curvePool } from '../parallel/pool';
import { warmDerivations } from '../wallet/keys';
import { factsOf, NoncesNeeded, reviewOffThread, type ThreadReviewOptions } from '../review/off-thread';
import { approveAndPrepare, type ThreadApprovalOptions, type ThreadSigningKey } from '../signing/on-thread';

type Message =
  | { op: 'intake'; id: number; bytes: Uint8Array; file: string }
  | { op: 'review'; id: number; job: number; options: ThreadReviewOptions; nonces?: NonceView }
  | { op: 'forget'; id: number; job: number }
  | { op: 'approve'; id: number; bytes: Uint8Array; options: ThreadApprovalOptions; signing: ThreadSigningKey }
  | { op: 'finish'; id: number; job: number; sigs: Uint8Array }
  | { op: 'warm'; id: number };

const kept = new Map<number, SigningRequest>();
const prepared = new Map<number, PreparedSigning>();

async function answer(msg: Message): Promise<Record<string, unknown>> {
  switch (msg.op) {
    case 'intake': {
      // The body read once, the wallet's keys derived ahead on the curve threads (both cores), then the strict
      // parse: the same checks and errors as parseSigningRequest (intake/request.ts), and the review finds the keys.
      const request = await parseSigningRequestParallel(msg.bytes, msg.file, curvePool());
      const facts = factsOf(request);
      kept.set(msg.id, request);
      return { facts };
    }
    case 'review': {
      const request = kept.get(msg.job);
      if (!request) return { error: { internal: true } };
      try {
        const model = reviewOffThread(request, msg.options, msg.nonces);
        kept.delete(msg.job);
        return { model };
      } catch (e) {
        if (e instanceof NoncesNeeded) return { noncesNeeded: true };
        kept.delete(msg.job);
        throw e;
      }
    }
    case 'forget':
      kept.delete(msg.job);
      prepared.delete(msg.job);
      return {};
    case 'approve': {
      await prederiveRequestKeys(msg.bytes); // the keys again, if a request since this one's import evicted them
      const p = approveAndPrepare(msg.bytes, msg.options, msg.signing);
      if (p === null) return { mainPath: true };
      prepared.set(msg.id, p);
      return { prepared: { spends: p.spends, jobs: packJobs(p.jobs.map((j) => ({ ...j.path, digest: j.digest, expected: j.expected, kind: j.kind }))) } };
    }
    case 'warm':
      await warmDerivations(curvePool());
      return {};
    case 'finish': {
      const p = prepared.get(msg.job);
      prepared.delete(msg.job);
      if (!p) return { error: { internal: true } };
      const sigs = Array.from({ length: msg.sigs.length / 64 }, (_, k) => msg.sigs.subarray(k * 64, (k + 1) * 64));
      return { outcome: await p.finish(sigs) };
    }
  }
}

parentPort!.on('message', (msg: Message) => {
  // Answers may overlap (an import while a gate waits for the curve threads): each is keyed by its own id.
  void answer(msg)
    .catch((e: unknown) => ({ error: e instanceof SignerError ? { name: e.name, message: e.message, ...(e.code !== undefined ? { code: e.code } : {}) } : { internal: true } }))
    .then((reply) => parentPort!.postMessage({ ...reply, id: msg.id }));
});
