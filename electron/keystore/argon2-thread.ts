// Runs the Argon2id derivation of v2 key envelopes in a worker thread (argon2-worker.mjs), so the main process keeps
// answering the window while a wallet unlocks. The same code runs in the tests and the CLI.
//
// What crosses the thread boundary: the passphrase's UTF-8 bytes go in as a TRANSFERRED ArrayBuffer (moved, not
// copied: the caller's array is detached, the worker wipes it after use); the salt and the cost parameters are
// copied (public, from the key file); the derived AES key comes back as a transferred 32-byte ArrayBuffer, which the
// caller wipes after decrypting. No string holding a secret crosses. Jobs run one at a time, so at most one Argon2
// memory (at most LIMITS.v2MaxMemoryKiB) exists at once however many wallets unlock together.
//
// Where the worker's code is: in the sources, argon2-worker.mjs beside this file, loaded as a file. In the built app,
// build/scripts/build.mjs bundles it, hash-wasm included, to argon2-worker.cjs beside main.cjs (import.meta.url is
// main.cjs's there); it is read by main, which reads app.asar, and evaluated, because the worker thread itself
// cannot be relied on to read a file inside app.asar.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { secretCopy } from '../util/secret';

export interface Argon2idParams {
  /** Memory in KiB, passes, lanes: already checked against the caps (envelope.ts LIMITS). */
  m: number;
  t: number;
  p: number;
  salt: Uint8Array;
}

const BUNDLED = fileURLToPath(new URL('./argon2-worker.cjs', import.meta.url));
const SOURCE = new URL('./argon2-worker.mjs', import.meta.url);

function startWorker(options: ConstructorParameters<typeof Worker>[1]): Worker {
  return existsSync(BUNDLED) ? new Worker(readFileSync(BUNDLED, 'utf8'), { ...options, eval: true }) : new Worker(SOURCE, options);
}

let queue: Promise<unknown> = Promise.resolve();

/**
 * The 32-byte Argon2id key of `password` (UTF-8 bytes, CONSUMED: transferred to the worker, which wipes them), in an
 * array the caller wipes. Rejects with an Error (its message holds no secret) when the worker cannot run or the
 * derivation fails, for instance when the machine cannot give it the memory.
 */
export function argon2idInWorker(params: Argon2idParams, password: Uint8Array): Promise<Uint8Array> {
  // Only a whole ArrayBuffer can be transferred; anything else is moved into one first.
  let owned = password;
  if (password.byteOffset !== 0 || password.byteLength !== password.buffer.byteLength || !(password.buffer instanceof ArrayBuffer)) {
    owned = secretCopy(password);
    password.fill(0);
  }
  const job = queue.then(() => runJob(params, owned));
  queue = job.catch(() => undefined);
  return job;
}

function runJob(params: Argon2idParams, password: Uint8Array): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const failed = (why: string) => reject(new Error(why));
    let worker: Worker;
    try {
      const buffer = password.buffer as ArrayBuffer;
      // env {}: the thread needs no environment, and would otherwise get a copy of it, passphrase variables included
      // (the CLI reads WALLET_<id>_PASSPHRASE).
      worker = startWorker({ workerData: { password: buffer, salt: params.salt, m: params.m, t: params.t, p: params.p }, transferList: [buffer], env: {} });
    } catch (e) {
      password.fill(0);
      failed(e instanceof Error ? e.message : String(e));
      return;
    }
    let settled = false;
    worker.once('message', (msg: { key?: ArrayBuffer; error?: string }) => {
      settled = true;
      if (msg.key instanceof ArrayBuffer && msg.key.byteLength === 32) resolve(new Uint8Array(msg.key));
      else failed(msg.error ?? 'no key came back');
    });
    worker.once('error', (e) => {
      if (!settled) failed(e.message);
      settled = true;
    });
    worker.once('exit', (code) => {
      if (!settled) failed(`the worker stopped with code ${code}`);
      settled = true;
    });
  });
}
