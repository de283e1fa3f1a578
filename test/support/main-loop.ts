// Watching main's event loop while work runs off it (issue 13 item 11), by events, never by a fixed time: timer
// callbacks queued on this thread count its turns, and perf_hooks.monitorEventLoopDelay measures its longest stall.

export interface Watched<T> {
  value: T;
  /** The work's duration, ms. */
  took: number;
  /** This thread's longest stall meanwhile, ms. */
  maxStallMs: number;
  /** Timer turns of this thread before the work resolved. */
  turnsBeforeDone: number;
}

/** Runs `work` (given a function that says how many turns so far) and reports main's turns and longest stall. */
export async function watchMainLoop<T>(work: (turnsSoFar: () => number) => Promise<T>): Promise<Watched<T>> {
  const { monitorEventLoopDelay, performance } = await import('node:perf_hooks');
  let done = false;
  let turns = 0;
  const tick = () => {
    if (done) return;
    turns++;
    setTimeout(tick, 0);
  };
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const started = performance.now();
  const running = work(() => turns);
  setTimeout(tick, 0);
  try {
    const value = await running;
    const turnsBeforeDone = turns;
    return { value, took: performance.now() - started, maxStallMs: delay.max / 1e6, turnsBeforeDone };
  } finally {
    done = true;
    delay.disable();
  }
}
