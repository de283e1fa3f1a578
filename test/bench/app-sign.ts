// The operator's "Sign" in the app, for BitGo's 500-input request: through the real router and session (import,
// review, approve, unlock), then requestsSign timed alone. Two ways, alternated run by run so a busier machine slows
// both alike: signing threads started when the sign starts (as before 2026-12-07), and threads the app started
// ahead (parallel/spare-threads.ts, what main.ts does). Each run is a new session; the review thread is warm, as
// in the app. (The signed bytes with spares are BitGo's: test/unit/parallel/spare-threads.spec.ts.)
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { SpareThreads, spareThreadCount } from '../../electron/parallel/spare-threads';
import { warmReviewThread } from '../../electron/workflow/review-thread';
import { bigRequest } from '../support/big-request';
import { workflowHarness } from '../support/workflow-harness';
import { median, type BenchRow, type Section } from './harness';

const FIX = new URL('../fixtures/bitgo/', import.meta.url);
const env = JSON.parse(readFileSync(new URL('env.json', FIX), 'utf8')) as Record<string, string>;
const request = readFileSync(new URL('cases/large-p2wsh-500.request.json', FIX));

async function signOnce(req: Uint8Array, spares: SpareThreads | undefined): Promise<number> {
  const h = workflowHarness({ files: { 'big.json': req }, ...(spares ? { deps: { signingSpares: spares } } : {}) });
  try {
    await h.call('drivesList', {});
    const [r] = await h.call('requestsImport', { driveId: 'drive-1', files: ['big.json'] });
    if (!r?.ok) throw new Error(`bench: did not import: ${JSON.stringify(r)}`);
    const rev = await h.call('requestReview', { requestId: r.requestId });
    await h.call('requestApprove', { requestId: r.requestId, fingerprint: rev.review.fingerprint.sha256, acknowledged: rev.warningKeys });
    const walletId = rev.review.walletId!;
    await h.call('walletUnlock', { walletId, passphrase: env[`WALLET_${walletId}_PASSPHRASE`]! });
    // As in the app, the spares had the operator's review and unlock to start in.
    await spares?.ready();
    const started = performance.now();
    const [x] = await h.call('requestsSign', {});
    const ms = performance.now() - started;
    if (!x?.ok) throw new Error(`bench: did not sign: ${JSON.stringify(x)}`);
    return ms;
  } finally {
    h.cleanup();
  }
}

export const appSignSection: Section = {
  name: 'Sign in the app: spare signing threads',
  async run(): Promise<BenchRow[]> {
    await signOnce(Buffer.from(bigRequest(3)), undefined);
    await warmReviewThread();
    const rounds = Number(process.env.APP_SIGN_ROUNDS) || 7;
    const spares = new SpareThreads(spareThreadCount());
    spares.fill();
    const fresh: number[] = [];
    const ahead: number[] = [];
    try {
      for (let r = 0; r < rounds; r++) {
        fresh.push(await signOnce(request, undefined));
        ahead.push(await signOnce(request, spares));
      }
    } finally {
      await spares.close();
    }
    const base = 'threads started at the sign (before 2026-12-07)';
    return [
      { name: base, ms: median(fresh), extra: { runs: String(fresh.length) } },
      { name: `threads started ahead (the app: ${spares.count} spares)`, ms: median(ahead), baseline: base, extra: { runs: String(ahead.length) } },
    ];
  },
};
