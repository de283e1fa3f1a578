// The command line measured as an operator runs it: each run is a whole new process, from spawn to exit, so Node's
// own start, loading the code and the work are all in it. Commands are interleaved round by round (one run of each,
// then the next round), so a machine that gets busier part way through slows every row alike; the ratios against
// the rows measured in the same run are the result, the milliseconds are context.
//
// Rows: a Node process that does nothing (the floor no command can go below), the sources through tsx in the same
// process (`node --import tsx electron/cli/main.ts`: what the bin did before it ran the build, and what the
// development command `npm run -s cli` runs, without npm's own start), and the built command (the bin, running
// build/out/cli; `npm run build` first). CLI_BENCH_BEFORE=<another checkout> adds that checkout's bin, e.g. one at
// the commit before the build existed: `git clone . /tmp/before && git -C /tmp/before checkout <commit>`, its
// node_modules linked or installed, then `CLI_BENCH_BEFORE=/tmp/before npm run bench -- "command line"`.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { bundleState } from '../../build/bin/cli-bundle.cjs';
import { median, type BenchRow, type Section } from './harness';

const root = fileURLToPath(new URL('../../', import.meta.url));
const fixture = (p: string) => fileURLToPath(new URL(`../fixtures/bitgo/${p}`, import.meta.url));

interface Way {
  label: string;
  argv: string[];
  env?: NodeJS.ProcessEnv;
}

interface Command {
  name: string;
  args: (ledger: string) => string[];
}

const walletA = (JSON.parse(readFileSync(fixture('wallets.json'), 'utf8')) as Record<string, { walletId: string }>).walletA!.walletId;
const passphraseVariable = `WALLET_${walletA}_PASSPHRASE`;
const passphrase = (JSON.parse(readFileSync(fixture('env.json'), 'utf8')) as Record<string, string>)[passphraseVariable]!;

const BIN = join(root, 'build/bin/offline-signer.cjs');
/** The fixtures' key file, with the ledger and the audit log in the run's scratch folder (never beside the fixtures). */
export const scratchFiles = (ledger: string): string[] => ['--keys', fixture('keys.json'), '--ledger', ledger, '--audit-log', ledger.replace(/\.json$/, '.audit-log.jsonl')];

const COMMANDS: Command[] = [
  { name: '--help', args: () => ['--help'] },
  { name: 'sign p2wsh (3 inputs)', args: (ledger) => ['sign', ...scratchFiles(ledger), fixture('cases/p2wsh.request.json')] },
  { name: 'sign large-p2wsh-500', args: (ledger) => ['sign', ...scratchFiles(ledger), fixture('cases/large-p2wsh-500.request.json')] },
];

function ways(): Way[] {
  const list: Way[] = [];
  const before = process.env.CLI_BENCH_BEFORE;
  if (before) {
    const pkg = JSON.parse(readFileSync(join(before, 'package.json'), 'utf8')) as { bin: Record<string, string> };
    list.push({ label: 'bin before (CLI_BENCH_BEFORE)', argv: [join(before, pkg.bin['offline-signer']!)] });
  }
  list.push({ label: 'sources through tsx', argv: ['--import', 'tsx', join(root, 'electron/cli/main.ts')] });
  // The same build compiling at every start, as it did before the build made a code cache (build/bin/cli-bundle.cjs).
  list.push({ label: 'built, without its code cache (OFFLINE_SIGNER_CODE_CACHE=off)', argv: [BIN], env: { OFFLINE_SIGNER_CODE_CACHE: 'off' } });
  list.push({ label: 'built (offline-signer)', argv: [BIN] });
  return list;
}

/** Milliseconds from spawn to exit; a command that fails stops the benchmark (a fast failure is not a result). */
function timeProcess(argv: string[], env: NodeJS.ProcessEnv): number {
  const started = performance.now();
  const r = spawnSync(process.execPath, argv, { cwd: root, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const ms = performance.now() - started;
  if (r.status !== 0) throw new Error(`node ${argv.join(' ')} exited ${r.status}: ${r.stdout.slice(0, 300)}${r.stderr.slice(0, 300)}`);
  if (r.stderr.includes('running the TypeScript sources')) throw new Error(`the built command line is not fresh: ${r.stderr.trim()} (run npm run build first)`);
  return ms;
}

export const cliStartSection: Section = {
  name: 'Command line, whole process (spawn to exit)',
  async run(): Promise<BenchRow[]> {
    const state = bundleState(root);
    if (!state.fresh) throw new Error(`the built command line ${state.reason}; run npm run build first`);
    const rounds = Number(process.env.CLI_BENCH_ROUNDS) || 15;
    const env = { ...process.env, [passphraseVariable]: passphrase };
    const withoutCaCerts = { ...env };
    delete withoutCaCerts.NODE_EXTRA_CA_CERTS;
    const rows: { name: string; argv: (ledger: string) => string[]; env: NodeJS.ProcessEnv; baseline?: string; times: number[] }[] = [];
    const floor = 'node -e 0 (a process that does nothing)';
    rows.push({ name: floor, argv: () => ['-e', '0'], env, times: [] });
    // This machine's environment sets NODE_EXTRA_CA_CERTS, which every Node process reads at start; an operator's
    // laptop normally does not. Measured both ways when it is set.
    const caCerts = env.NODE_EXTRA_CA_CERTS !== undefined;
    if (caCerts) rows.push({ name: `${floor}, NODE_EXTRA_CA_CERTS unset`, argv: () => ['-e', '0'], env: withoutCaCerts, times: [] });
    for (const command of COMMANDS) {
      const all = ways();
      const baseline = `${command.name}, ${all[0]!.label}`;
      for (const way of all) {
        const name = `${command.name}, ${way.label}`;
        rows.push({ name, argv: (ledger) => [...way.argv, ...command.args(ledger)], env: { ...env, ...way.env }, times: [], ...(name === baseline ? {} : { baseline }) });
      }
      if (caCerts && command.name === '--help') {
        rows.push({ name: `--help, built, NODE_EXTRA_CA_CERTS unset`, argv: (ledger) => [BIN, ...command.args(ledger)], env: withoutCaCerts, times: [], baseline });
      }
    }
    const dir = mkdtempSync(join(tmpdir(), 'cli-bench-'));
    try {
      let n = 0;
      for (let round = 0; round <= rounds; round++) {
        for (const row of rows) {
          // A new ledger for every sign run: the same request signed again is allowed, but the ledger grows.
          const ms = timeProcess(row.argv(join(dir, `ledger-${n++}.json`)), row.env);
          if (round > 0) row.times.push(ms); // round 0 warms the file cache
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    // Each row's cost over the floor measured with the same environment.
    // Each row against the empty process started the same way (NODE_EXTRA_CA_CERTS set or not).
    const floorMs = (e: NodeJS.ProcessEnv) => median(rows.find((r) => r.name === (caCerts && e.NODE_EXTRA_CA_CERTS === undefined ? `${floor}, NODE_EXTRA_CA_CERTS unset` : floor))!.times);
    return rows.map((row) => {
      const ms = median(row.times);
      const result: BenchRow = { name: row.name, ms, extra: { 'over node -e 0 (ms)': ms - floorMs(row.env), runs: String(row.times.length) } };
      if (row.baseline) result.baseline = row.baseline;
      if (row.name.startsWith('--help, built')) result.goal = { text: 'under 150 ms', met: ms < 150 };
      return result;
    });
  },
};
