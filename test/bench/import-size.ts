// Importing large requests in the app's session (issue 13 item 11): the import runs on the review thread, the
// review crosses IPC as a summary plus pages. Per request size: the import's duration and main's longest stall
// meanwhile (perf_hooks.monitorEventLoopDelay), the bytes requestReview sends (JSON), one 500-row page's bytes, the
// bytes of every page of inputs and outputs together (what the whole model used to send in one answer), and the
// process's peak resident memory so far (main and the review thread share the process). One run per size: a
// 100k-input import is long, and the sizes do not vary. The requests that can be signed are then signed: the
// sign's duration and main's longest stall while the approval gate reviews the request again (on the review thread)
// and the curve threads sign. Through the real router and handlers, as the tests are.
import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { MAX_REVIEW_PAGE_ROWS, type ReviewPart } from '../../shared/review-page';
import { bareInputsRequest, bigRequest } from '../support/big-request';
import { workflowHarness } from '../support/workflow-harness';
import { warmReviewThread } from '../../electron/workflow/review-thread';
import type { BenchRow, Section } from './harness';

const FIX = new URL('../fixtures/bitgo/', import.meta.url);
const env = JSON.parse(readFileSync(new URL('env.json', FIX), 'utf8')) as Record<string, string>;
const large500 = readFileSync(new URL('../fixtures/bitgo/cases/large-p2wsh-500.request.json', import.meta.url));
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** Approves, unlocks the wallet and signs: the sign's duration and main's longest stall meanwhile. */
async function signOnce(h: ReturnType<typeof workflowHarness>, requestId: string): Promise<{ ms: number; stallMs: number }> {
  const rev = await h.call('requestReview', { requestId });
  await h.call('requestApprove', { requestId, fingerprint: rev.review.fingerprint.sha256, acknowledged: rev.warningKeys });
  const walletId = rev.review.walletId;
  await h.call('walletUnlock', { walletId, passphrase: env[`WALLET_${walletId}_PASSPHRASE`]! });
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const started = performance.now();
  const [r] = await h.call('requestsSign', {});
  const ms = performance.now() - started;
  delay.disable();
  if (!r?.ok) throw new Error(`bench: did not sign: ${JSON.stringify(r)}`);
  return { ms, stallMs: delay.max / 1e6 };
}

async function importOnce(name: string, request: Uint8Array, sign = false): Promise<BenchRow> {
  const h = workflowHarness({ files: { 'big.json': request } });
  try {
    await h.call('drivesList', {});
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    const started = performance.now();
    const [r] = await h.call('requestsImport', { driveId: 'drive-1', files: ['big.json'] });
    const ms = performance.now() - started;
    delay.disable();
    if (!r?.ok) throw new Error(`bench: ${name} did not import: ${JSON.stringify(r)}`);
    const peakRss = process.resourceUsage().maxRSS * 1024;
    const summary = Buffer.byteLength(JSON.stringify(await h.call('requestReview', { requestId: r.requestId })));
    let page = 0;
    let lists = 0;
    for (const part of ['inputs', 'outputs'] as ReviewPart[]) {
      for (let offset = 0; ; offset += MAX_REVIEW_PAGE_ROWS) {
        const p = await h.call('requestReviewPage', { requestId: r.requestId, part, offset, limit: MAX_REVIEW_PAGE_ROWS });
        const bytes = Buffer.byteLength(JSON.stringify(p.items));
        if (part === 'inputs' && offset === 0) page = Buffer.byteLength(JSON.stringify(p));
        lists += bytes;
        if (offset + MAX_REVIEW_PAGE_ROWS >= p.total) break;
      }
    }
    const signed = sign ? await signOnce(h, r.requestId) : undefined;
    return {
      name,
      ms,
      extra: {
        ...(signed ? { 'then sign ms': signed.ms.toFixed(0), 'main longest stall while signing ms': signed.stallMs.toFixed(0) } : {}),
        request: mb(request.length),
        'main longest stall ms': (delay.max / 1e6).toFixed(0),
        'requestReview answer': kb(summary),
        'one page (500 inputs)': kb(page),
        'all inputs and outputs (the old single answer)': mb(lists),
        'peak RSS so far': mb(peakRss),
      },
    };
  } finally {
    h.cleanup();
  }
}

export const importSection: Section = {
  name: 'Import of large requests (review thread, review in pages over IPC)',
  async run(): Promise<BenchRow[]> {
    // The thread is started (its code loaded) by a first small import, so each row measures its request only, and
    // warmed as the app warms it when it starts (workflow/review-thread.ts warmReviewThread).
    await importOnce('warm-up (3 inputs)', Buffer.from(bigRequest(3)));
    await warmReviewThread();
    const rows = [await importOnce('large-p2wsh-500 (BitGo fixture)', large500, true)];
    // 20,000 p2wsh inputs with their scripts and key paths is 14.5 MB of hex, near the 16 MB cap on a request file.
    rows.push(await importOnce('generated p2wsh, 20,000 inputs (every input its own keys)', Buffer.from(bigRequest(20_000)), true));
    // Issue 13 item 11's 8 MB request: 100,000 inputs with nothing in them, each refused twice.
    rows.push(await importOnce('100,000 inputs without data (8 MB, all refused)', Buffer.from(bareInputsRequest(100_000))));
    return rows;
  },
};
