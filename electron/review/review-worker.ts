// The review thread: parses imported requests and builds their review models off main's thread, so main keeps
// serving the window and IPC while a 100k-input request is read (electron/review/review-thread.ts starts it).
// The work is electron/review/off-thread.ts, the same functions a test runs in-thread. Public data only: a
// request's bytes in, its facts and review model out; no key, no passphrase, no environment (env {}).
//
// Messages in, each answered by one message { id, ... } out:
// - { op: 'intake', id, bytes: Uint8Array, file }: parses; keeps the parsed request under `id`; answers { facts }.
// - { op: 'review', id, job, options, nonces? }: builds the review of the request kept under `job` ({ model }),
//   then forgets it; { noncesNeeded: true } (the request kept) when the review needs the wallet's kept MuSig2
//   nonces and none were sent.
// - { op: 'forget', id, job }: drops a kept request (main refused the import between the two steps).
// A failure answers { error: { name, message, code } } for the SignerError thrown (its code kept), or
// { error: { internal: true } } for anything else.
import { parentPort } from 'node:worker_threads';
import { SignerError } from '../../shared/errors';
import type { SigningRequest } from '../intake/request';
import type { NonceView } from '../intake/musig2-fields';
import { intake, NoncesNeeded, reviewOffThread, type ThreadReviewOptions } from './off-thread';

type Message =
  | { op: 'intake'; id: number; bytes: Uint8Array; file: string }
  | { op: 'review'; id: number; job: number; options: ThreadReviewOptions; nonces?: NonceView }
  | { op: 'forget'; id: number; job: number };

const kept = new Map<number, SigningRequest>();

function answer(msg: Message): Record<string, unknown> {
  switch (msg.op) {
    case 'intake': {
      const { request, facts } = intake(msg.bytes, msg.file);
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
      return {};
  }
}

parentPort!.on('message', (msg: Message) => {
  let reply: Record<string, unknown>;
  try {
    reply = answer(msg);
  } catch (e) {
    reply = { error: e instanceof SignerError ? { name: e.name, message: e.message, ...(e.code !== undefined ? { code: e.code } : {}) } : { internal: true } };
  }
  parentPort!.postMessage({ ...reply, id: msg.id });
});
