// Benchmark harness for `npm run bench`. These machines are noisy, so every figure is a median of several runs
// after warm-up, and each section compares against a baseline measured in the same run: the ratio is the result
// worth recording, the absolute milliseconds are context. Never used by `npm test` (no timed assertions there).
import { performance } from 'node:perf_hooks';

export interface BenchRow {
  /** What was measured. */
  name: string;
  /** Median milliseconds per run. */
  ms: number;
  /** Extra figures, e.g. "us/input": 12.3. */
  extra?: Record<string, number | string>;
  /** Name of the baseline row this one is compared with (ratio = baseline ms / this ms, >1 means faster). */
  baseline?: string;
  /** A goal this row should meet, printed with PASS/MISS (information, never a failing test). */
  goal?: { text: string; met: boolean };
}

export interface Section {
  name: string;
  run(): Promise<BenchRow[]>;
}

export interface MeasureOptions {
  runs?: number;
  warmup?: number;
  /** Stop adding runs once this much time is spent (ms), but never below 3 runs. */
  budgetMs?: number;
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Median wall time of `fn` in ms. */
export async function measure(fn: () => unknown, opts: MeasureOptions = {}): Promise<number> {
  const runs = opts.runs ?? 7;
  const budget = opts.budgetMs ?? 30_000;
  for (let i = 0; i < (opts.warmup ?? 1); i++) await fn();
  const times: number[] = [];
  const started = performance.now();
  while (times.length < runs && (times.length < 3 || performance.now() - started < budget)) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  return median(times);
}

export function ratio(rows: BenchRow[], row: BenchRow): number | undefined {
  const base = row.baseline ? rows.find((r) => r.name === row.baseline) : undefined;
  return base ? base.ms / row.ms : undefined;
}

export function formatSection(name: string, rows: BenchRow[]): string {
  const lines = [`## ${name}`, ''];
  lines.push('| measurement | median ms | vs baseline | other | goal |', '|---|---:|---:|---|---|');
  for (const row of rows) {
    const r = ratio(rows, row);
    const extra = row.extra ? Object.entries(row.extra).map(([k, v]) => `${k} ${typeof v === 'number' ? v.toFixed(2) : v}`).join(', ') : '';
    const goal = row.goal ? `${row.goal.met ? 'PASS' : 'MISS'}: ${row.goal.text}` : '';
    lines.push(`| ${row.name} | ${row.ms.toFixed(2)} | ${r === undefined ? '' : r >= 1 ? `${r.toFixed(1)}x faster than ${row.baseline}` : `${(1 / r).toFixed(1)}x slower than ${row.baseline}`} | ${extra} | ${goal} |`);
  }
  return lines.join('\n');
}
