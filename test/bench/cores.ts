// Issue 17 item 2, whole process: the built command line signing BitGo's 500-input request on one thread
// (OFFLINE_SIGNER_THREADS=1) and on every core (the default), against a naive bitcoinjs-lib script that does the
// same job with no checks (naive-sign.mjs: SJCL decrypt, Psbt.fromHex, signAllInputsHD), each a new process from
// spawn to exit. Rows are interleaved round by round (CORES_BENCH_ROUNDS, default 3), so a machine that gets busier
// slows every row alike: the ratios are the result. The signed bytes of every row are checked against BitGo's.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { bundleState } from '../../build/bin/cli-bundle.cjs';
import { scratchFiles } from './cli-start';
import { median, type BenchRow, type Section } from './harness';

const root = fileURLToPath(new URL('../../', import.meta.url));
const fixture = (p: string) => fileURLToPath(new URL(`../fixtures/bitgo/${p}`, import.meta.url));
const walletA = (JSON.parse(readFileSync(fixture('wallets.json'), 'utf8')) as Record<string, { walletId: string }>).walletA!.walletId;
const variable = `WALLET_${walletA}_PASSPHRASE`;
const passphrase = (JSON.parse(readFileSync(fixture('env.json'), 'utf8')) as Record<string, string>)[variable]!;
const request = fixture('cases/large-p2wsh-500.request.json');
const expected = (JSON.parse(readFileSync(fixture('cases/large-p2wsh-500.response.json'), 'utf8')) as { txHex: string }).txHex;

function run(argv: string[], env: NodeJS.ProcessEnv): number {
  const started = performance.now();
  const r = spawnSync(process.execPath, argv, { cwd: root, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const ms = performance.now() - started;
  if (r.status !== 0) throw new Error(`node ${argv.join(' ')} exited ${r.status}: ${r.stdout.slice(0, 300)}${r.stderr.slice(0, 300)}`);
  if ((JSON.parse(r.stdout) as { txHex: string }).txHex !== expected) throw new Error(`node ${argv.join(' ')}: not BitGo's response`);
  return ms;
}

export const coresSection: Section = {
  name: 'Both cores: sign large-p2wsh-500, whole process',
  async run(): Promise<BenchRow[]> {
    const state = bundleState(root);
    if (!state.fresh) throw new Error(`the built command line ${state.reason}; run npm run build first`);
    const rounds = Number(process.env.CORES_BENCH_ROUNDS) || 3;
    const env = { ...process.env, [variable]: passphrase };
    const bin = join(root, 'build/bin/offline-signer.cjs');
    const naive = 'naive bitcoinjs-lib script (no checks)';
    const rows = [
      { name: naive, argv: () => [join(root, 'test/bench/naive-sign.mjs'), fixture('keys.json'), walletA, request], env, times: [] as number[] },
      { name: 'offline-signer sign, OFFLINE_SIGNER_THREADS=1', argv: (l: string) => [bin, 'sign', ...scratchFiles(l), request], env: { ...env, OFFLINE_SIGNER_THREADS: '1' }, times: [] as number[] },
      { name: 'offline-signer sign, every core (default)', argv: (l: string) => [bin, 'sign', ...scratchFiles(l), request], env: { ...env, OFFLINE_SIGNER_THREADS: '' }, times: [] as number[] },
    ];
    const dir = mkdtempSync(join(tmpdir(), 'cores-bench-'));
    try {
      let n = 0;
      for (let round = 0; round <= rounds; round++) {
        for (const row of rows) {
          const ms = run(row.argv(join(dir, `ledger-${n++}.json`)), row.env);
          if (round > 0) row.times.push(ms); // round 0 warms the file cache
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    return rows.map((row) => {
      const ms = median(row.times);
      const out: BenchRow = { name: row.name, ms, extra: { runs: String(row.times.length) } };
      if (row.name !== naive) {
        out.baseline = naive;
        out.goal = { text: 'at least 3x faster than the naive script (issue 17)', met: ms * 3 <= median(rows[0]!.times) };
      }
      return out;
    });
  },
};
