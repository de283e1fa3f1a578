// Curve work on every core: a small pool of worker threads (curve-worker.mjs) for the two costs that grow with a
// request, BIP32 public derivations (the backup and bitgo keys, the change checks) and signatures. A 500-input
// request needs 1500 public derivations and 500 signatures, each 40-80 us of WebAssembly curve arithmetic on one
// core; the rest of the work (parsing, hashing, comparing) is small beside it.
//
// - Below PARALLEL_MIN_ITEMS items the caller stays on its own thread: starting a thread and compiling the curve
//   there costs more than it saves.
// - OFFLINE_SIGNER_THREADS sets how many threads share the work (the calling thread counts as one for derivations);
//   1 turns the pool off. Default: the machine's available parallelism, at most 8.
// - Results are the same bytes as on one thread: same library, same steps (the tests compare both).
//
// Where the worker's code is: in the sources, curve-worker.mjs beside this file, loaded as a file. In the built app
// and command line, build/scripts/build.mjs bundles it (the curve's WebAssembly inside) to curve-worker.cjs beside
// main.cjs / offline-signer.cjs (import.meta.url is that bundle's there); it is read and evaluated, because a worker
// thread cannot be relied on to read a file inside app.asar (as keystore/argon2-thread.ts does).
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { isMainThread, Worker, workerData } from 'node:worker_threads';
import { SignerError } from '../../shared/errors';

export const PARALLEL_MIN_ITEMS = 48;
/**
 * Derivations a worker takes at a time (at most; fewer toward the end, so no thread is left with a long last chunk
 * while the others wait), and the calling thread between two looks at the workers' answers.
 */
const WORKER_CHUNK = 96;
const WORKER_CHUNK_MIN = 16;
const LOCAL_CHUNK = 24;
const MAX_THREADS = 8;

/**
 * What a thread started by ScriptThread with `curve` is told by the thread that started it (workflow/review-thread.ts):
 * where the curve worker's bundle is (a bundle evaluated from text has no file of its own to look beside) and how
 * many threads to use (its environment is empty, so it cannot read OFFLINE_SIGNER_THREADS).
 */
export interface CurveSettings {
  bundle: string;
  threads: number;
}

const given = (!isMainThread && typeof workerData === 'object' && workerData !== null ? (workerData as { curve?: CurveSettings }).curve : undefined);
const BUNDLED = given?.bundle ?? fileURLToPath(new URL('./curve-worker.cjs', import.meta.url));
const SOURCE = new URL('./curve-worker.mjs', import.meta.url);

/** The settings to hand a thread that will start curve threads of its own. */
export function curveSettings(): CurveSettings {
  return { bundle: BUNDLED, threads: configuredThreads() };
}

/** OFFLINE_SIGNER_THREADS that is not a whole number from 1 to 64. */
export class ThreadsSettingError extends SignerError {
  constructor(value: string) {
    super('ConfigurationError', `OFFLINE_SIGNER_THREADS must be a whole number from 1 to 64 (1 turns the worker threads off), got ${JSON.stringify(value.slice(0, 20))}`, 'threads_setting_invalid');
  }
}

/** A worker thread that stopped or failed to start: the work it had is not done. */
export class WorkerFailedError extends SignerError {
  constructor(message: string) {
    super('WorkerError', message, 'worker_failed');
  }
}

/** How many threads share curve work: OFFLINE_SIGNER_THREADS, else the machine's parallelism (at most 8). */
export function configuredThreads(env: NodeJS.ProcessEnv = process.env): number {
  if (env === process.env && given !== undefined) return given.threads;
  const raw = env.OFFLINE_SIGNER_THREADS;
  if (raw === undefined || raw === '') return Math.max(1, Math.min(MAX_THREADS, availableParallelism()));
  if (!/^[0-9]{1,2}$/.test(raw) || Number(raw) < 1 || Number(raw) > 64) throw new ThreadsSettingError(raw);
  return Number(raw);
}

export interface WorkerReply {
  id: number;
  keys?: Uint8Array;
  invalid?: number[];
  sigs?: Uint8Array;
  error?: { message: string; code: string };
}

/** A worker thread answering messages { id, ... } with { id, ... }, in order: a bundle's text, else a source file. */
export class ScriptThread<Reply extends { id: number } = WorkerReply> {
  readonly #worker: Worker;
  readonly #pending = new Map<number, { resolve(msg: Reply): void; reject(e: Error): void }>();
  #next = 1;
  #dead: Error | undefined;
  readonly exited: Promise<void>;

  constructor(script: { bundled: string; source: URL; what: string; curve?: CurveSettings }) {
    // env {}: the thread needs no environment, and would otherwise get a copy of it, passphrase variables included.
    const options = { env: {}, ...(script.curve ? { workerData: { curve: script.curve } } : {}) };
    this.#worker = existsSync(script.bundled) ? new Worker(readFileSync(script.bundled, 'utf8'), { ...options, eval: true }) : new Worker(script.source, options);
    this.#worker.unref();
    this.#worker.on('message', (msg: Reply) => {
      const p = this.#pending.get(msg.id);
      if (!p) return;
      this.#pending.delete(msg.id);
      if (this.#pending.size === 0) this.#worker.unref();
      p.resolve(msg);
    });
    const fail = (e: Error) => {
      this.#dead ??= e;
      for (const p of this.#pending.values()) p.reject(this.#dead);
      this.#pending.clear();
    };
    this.#worker.on('error', (e) => fail(new WorkerFailedError(`${script.what} failed: ${e.message}`)));
    this.exited = new Promise((resolve) => {
      this.#worker.once('exit', (code) => {
        fail(new WorkerFailedError(`${script.what} stopped (code ${code})`));
        resolve();
      });
    });
  }

  /** True once the thread has failed or stopped: a new one must be started for more work. */
  get dead(): boolean {
    return this.#dead !== undefined;
  }

  /** Sends one message (its `transfer` list moved, not copied) and resolves with the reply. */
  call(msg: Record<string, unknown>, transfer: ArrayBuffer[] = []): Promise<Reply> {
    if (this.#dead) return Promise.reject(this.#dead);
    const id = this.#next++;
    return new Promise<Reply>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#worker.ref();
      this.#worker.postMessage({ ...msg, id }, transfer);
    });
  }

  /** Ends the thread (its memory goes with it); pending calls reject. */
  async close(): Promise<void> {
    await this.#worker.terminate();
    await this.exited;
  }
}

/** One curve worker thread (curve-worker.mjs, or its bundle beside the app's). */
export class CurveThread extends ScriptThread {
  constructor() {
    super({ bundled: BUNDLED, source: SOURCE, what: 'a curve worker thread' });
  }
}

/** A persistent set of curve threads for public work (derivations), started on first use, ended by close(). */
export class CurvePool {
  readonly threads: number;
  #workers: CurveThread[] = [];

  constructor(threads = configuredThreads()) {
    this.threads = threads;
  }

  /** The worker threads (threads - 1 of them: the caller's thread does a share too), started now if not yet. */
  workers(): CurveThread[] {
    while (this.#workers.length < this.threads - 1) this.#workers.push(new CurveThread());
    return this.#workers;
  }

  /** Starts the threads ahead of need, so their start overlaps other work (the key file, the parse). */
  warm(): void {
    if (this.threads > 1) this.workers();
  }

  /**
   * The compressed public keys of the children `indexes` of `parent` (unhardened, already checked), shared between
   * the calling thread (`local`, the same derivation in-thread) and the workers as they go: each takes the next
   * chunk when it is done with its last, so a thread that started later or runs slower takes fewer (a fixed split
   * left the caller waiting for a worker still warming up). Each worker has two chunks in flight, and chunks shrink
   * toward the end (measured: the 500-input request's 1500 derivations on two cores took a median 130-135 ms with
   * one fixed-size chunk in flight, 105-115 ms this way; two fixed-size chunks in flight alone were slower, 149-156
   * ms). Returns keys in index order; an invalid child is `undefined`.
   */
  async derivePublic(parent: { publicKey: Uint8Array; uncompressed: Uint8Array; chainCode: Uint8Array }, indexes: readonly number[], local: (index: number) => Uint8Array | undefined): Promise<(Uint8Array | undefined)[]> {
    const out = new Array<Uint8Array | undefined>(indexes.length);
    if (this.threads <= 1 || indexes.length < PARALLEL_MIN_ITEMS) {
      indexes.forEach((i, k) => (out[k] = local(i)));
      return out;
    }
    let next = 0;
    const take = (size: number): [number, number] | undefined => (next >= indexes.length ? undefined : [next, (next = Math.min(indexes.length, next + size))]);
    const message = { publicKey: parent.publicKey, uncompressed: parent.uncompressed, chainCode: parent.chainCode };
    // Guided sizes: a share of what is left, between WORKER_CHUNK_MIN and WORKER_CHUNK.
    const workerChunk = () => Math.max(WORKER_CHUNK_MIN, Math.min(WORKER_CHUNK, Math.ceil((indexes.length - next) / (4 * this.threads))));
    const lane = async (w: CurveThread) => {
      for (let r = take(workerChunk()); r; r = take(workerChunk())) {
        const [from, to] = r;
        const part = Uint32Array.from(indexes.slice(from, to));
        const reply = await w.call({ op: 'derive', parent: message, indexes: part });
        if (reply.error || !reply.keys) throw new WorkerFailedError(`a curve worker could not derive keys: ${reply.error?.message ?? 'no answer'}`);
        const invalid = new Set(reply.invalid ?? []);
        for (let j = 0; j < part.length; j++) out[from + j] = invalid.has(part[j]!) ? undefined : reply.keys.slice(j * 33, (j + 1) * 33);
      }
    };
    // Two chunks in flight per worker: it starts the next as soon as it answers one, instead of waiting for this
    // thread to read the answer between its own chunks.
    const calls = this.workers().flatMap((w) => [lane(w), lane(w)]);
    // The caller's share, a small chunk at a time; between chunks the workers' answers are read and their next
    // chunks sent (setImmediate: after the pending messages).
    for (let r = take(LOCAL_CHUNK); r; r = take(LOCAL_CHUNK)) {
      for (let k = r[0]; k < r[1]; k++) out[k] = local(indexes[k]!);
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    await Promise.all(calls);
    return out;
  }

  async close(): Promise<void> {
    const w = this.#workers;
    this.#workers = [];
    await Promise.all(w.map((t) => t.close()));
  }
}

let shared: CurvePool | undefined;

/** The process's pool (created on first use with OFFLINE_SIGNER_THREADS). */
export function curvePool(): CurvePool {
  shared ??= new CurvePool();
  return shared;
}
