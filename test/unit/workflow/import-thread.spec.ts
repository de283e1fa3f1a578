// Import and review run off main's thread (issue 13 item 11): a 20,000-input request is parsed and reviewed on the
// review thread (electron/workflow/review-thread.ts) while main's event loop keeps turning. Counted by events: timer
// callbacks queued on main during the import run before it resolves (in-thread, the whole parse and review ran
// between two turns, so none could). Main's longest stall is compared with the import's own duration (a ratio,
// never an absolute time). Through the real router and handlers (test/support/workflow-harness.ts).
import { test, expect } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { toErrorData } from '../../../shared/errors';
import { parseSigningRequest } from '../../../electron/intake/request';
import { bigRequest } from '../../support/big-request';
import { watchMainLoop } from '../../support/main-loop';
import { workflowHarness } from '../../support/workflow-harness';
import { warmReviewThread } from '../../../electron/workflow/review-thread';

test('a 20,000-input import leaves main serving: timers queued meanwhile run before it resolves, no long stall', async () => {
  test.setTimeout(240_000);
  const h = workflowHarness({ files: { 'big.json': bigRequest(20_000, 2_000), 'small.json': bigRequest(3) } });
  try {
    await h.call('drivesList', {});
    // The thread is started (and its code loaded) by a first, small import, so the measure is of the big one.
    expect((await h.call('requestsImport', { driveId: 'drive-1', files: ['small.json'] }))[0]!.ok).toBe(true);

    const watched = await watchMainLoop(() => h.call('requestsImport', { driveId: 'drive-1', files: ['big.json'] }));
    const [result] = watched.value;
    const { took, maxStallMs, turnsBeforeDone: turnsBeforeResolved } = watched;
    expect(result).toMatchObject({ ok: true, file: 'big.json' });
    // Many turns of main's loop while the thread worked (in-thread: none before the import resolved).
    expect(turnsBeforeResolved).toBeGreaterThanOrEqual(3);
    // Main's longest stall (reading the model the thread sends, the audit entry) is a small part of the import.
    expect(maxStallMs / took).toBeLessThan(0.5);
    test.info().annotations.push({ type: 'measured', description: `import ${took.toFixed(0)} ms, main's longest stall ${maxStallMs.toFixed(0)} ms, ${turnsBeforeResolved} timer turns` });

    const review = (await h.call('requestReview', { requestId: result!.ok ? result!.requestId : '' })).review;
    expect(review.inputCount).toBe(20_000);
  } finally {
    h.cleanup();
  }
});

test('a request the thread cannot parse is refused with the same name, code and words as the parser says in-thread', async () => {
  const files = { 'cut.json': Buffer.from(bigRequest(3).slice(0, 200)), 'bad.psbt': Buffer.from('70736274ff01', 'hex'), 'pubs.json': Buffer.from('{"txPrebuild":{"txHex":"00"},"pubs":[]}') };
  const h = workflowHarness({ files });
  try {
    await h.call('drivesList', {});
    const results = await h.call('requestsImport', { driveId: 'drive-1', files: Object.keys(files) });
    const inThread = Object.entries(files).map(([name, bytes]) => {
      try {
        parseSigningRequest(bytes, name);
        return undefined;
      } catch (e) {
        return toErrorData(e);
      }
    });
    expect(inThread.every((e) => e?.code !== undefined)).toBe(true);
    expect(results.map((r) => (r.ok ? undefined : r.error))).toEqual(inThread);
  } finally {
    h.cleanup();
  }
});

test('the same bytes imported twice at once: one is imported, the other refused as already imported', async () => {
  const same = bigRequest(40);
  const h = workflowHarness({ files: { 'a.json': same, 'b.json': same } });
  try {
    await h.call('drivesList', {});
    // Both imports wait for the review thread at once; the check of content runs again before a request is kept.
    const [a, b] = await Promise.all([h.call('requestsImport', { driveId: 'drive-1', files: ['a.json'] }), h.call('requestsImport', { driveId: 'drive-1', files: ['b.json'] })]);
    const outcomes = [...a!, ...b!].map((r) => (r.ok ? 'imported' : r.error.code)).sort();
    expect(outcomes).toEqual(['imported', 'request_already_imported']);
    expect((await h.call('requestsList', {})).flatMap((g) => g.requests)).toHaveLength(1);
  } finally {
    h.cleanup();
  }
});

test('warming the review thread (as the app does when it starts) resolves once per thread, never throws, and imports after it are unchanged', async () => {
  // A bad thread setting does not stop the app's start (the first import reports it): in a fresh process, where the
  // thread is not started yet.
  const child = spawnSync(process.execPath, ['--import', 'tsx', '-e', "import('./electron/workflow/review-thread.ts').then(async (m) => { await m.warmReviewThread(); console.log('resolved'); process.exit(0); })"], {
    cwd: fileURLToPath(new URL('../../../', import.meta.url)),
    env: { ...process.env, OFFLINE_SIGNER_THREADS: 'many' },
    encoding: 'utf8',
  });
  expect(child.stdout.trim(), child.stderr).toBe('resolved');
  await warmReviewThread();
  await warmReviewThread();
  const h = workflowHarness({ files: { 'r.json': bigRequest(60) } });
  try {
    await h.call('drivesList', {});
    const [r] = await h.call('requestsImport', { driveId: 'drive-1', files: ['r.json'] });
    expect(r).toMatchObject({ ok: true });
    const review = (await h.call('requestReview', { requestId: r!.ok ? r!.requestId : '' })).review;
    expect(review).toMatchObject({ inputCount: 60, refusals: [] });
  } finally {
    h.cleanup();
  }
});
