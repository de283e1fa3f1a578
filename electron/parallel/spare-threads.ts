// Signing threads started before a request needs them, so the operator's "Sign" does not wait for a thread to
// start (about 100 ms of CPU each here: Node's start of a worker, the worker's script, the curve's compilation).
//
// ----- SECURITY: do not change without review ---------------------------------------------------------------
// A spare thread has never held a key: it is a fresh curve thread (parallel/pool.ts CurveThread, no environment)
// that has only started. take() hands each one out once and forgets it; the request that takes it gives it its
// keys, and ends it afterwards, exactly as it ends a thread it started itself (sign-threads.ts). So the rule stays
// "one thread, one request": a spare only moves a thread's start earlier, never its end later.
// ------------------------------------------------------------------------------------------------------------
import { configuredThreads, CurveThread } from './pool';

export class SpareThreads {
  readonly count: number;
  #waiting: CurveThread[] = [];
  readonly #start: () => CurveThread;

  /** `count` threads kept started (0 keeps none: take() always starts a new one). */
  constructor(count: number, start: () => CurveThread = () => new CurveThread()) {
    this.count = Math.max(0, Math.floor(count));
    this.#start = start;
  }

  /** How many started threads wait to be taken. */
  get waiting(): number {
    return this.#waiting.length;
  }

  /** Starts threads until `count` wait (one that stopped while waiting is replaced). Never throws. */
  fill(): void {
    const gone = this.#waiting.filter((t) => t.dead);
    this.#waiting = this.#waiting.filter((t) => !t.dead);
    for (const t of gone) void t.close().catch(() => undefined);
    while (this.#waiting.length < this.count) {
      try {
        this.#waiting.push(this.#start());
      } catch {
        return; // the signing starts its own thread, and reports its failure
      }
    }
  }

  /** A started thread that no request has had (given out once, never again), else a new one. */
  take(): CurveThread {
    for (let t = this.#waiting.shift(); t; t = this.#waiting.shift()) {
      if (!t.dead) return t;
      void t.close().catch(() => undefined);
    }
    return this.#start();
  }

  /** Resolves once every waiting thread has answered (has started): for measurements and tests. */
  async ready(): Promise<void> {
    await Promise.all(this.#waiting.map((t) => t.call({ op: 'forget' }).catch(() => undefined)));
  }

  /** Ends the waiting threads (the app's quit; tests). */
  async close(): Promise<void> {
    const w = this.#waiting;
    this.#waiting = [];
    await Promise.all(w.map((t) => t.close().catch(() => undefined)));
  }
}

/** As many as one request's signing uses (OFFLINE_SIGNER_THREADS); none when that setting is invalid (signing says so). */
export function spareThreadCount(): number {
  try {
    return configuredThreads();
  } catch {
    return 0;
  }
}
