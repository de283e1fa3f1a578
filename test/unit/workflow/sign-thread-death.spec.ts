// A review thread that stops while a request signs (it ran out of memory, a bug, the operating system ended it):
// nothing is signed, the request stays approved, and the next "Sign approved requests" signs it on a new thread.
// The thread holds the approved request's job until the signatures come back from the curve threads, and the
// response is assembled there; it is stopped here at the first chunk of signatures, before that answer, through
// the real router and handlers (test/support/workflow-harness.ts).
import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { EVENTS, type SignProgressEvent } from '../../../shared/contract';
import { stopReviewThread } from '../../../electron/workflow/review-thread';
import { parsePsbtStrict } from '../../../electron/intake/psbt-strict';
import { inputFields } from '../../../electron/intake/psbt-view';
import { fromHexStrict } from '../../../electron/util/bytes';
import { bigRequest } from '../../support/big-request';
import { workflowHarness } from '../../support/workflow-harness';

const env = JSON.parse(readFileSync(new URL('../../fixtures/bitgo/env.json', import.meta.url), 'utf8')) as Record<string, string>;
const INPUTS = 4_000;

test('the review thread stopping mid-sign leaves the request approved, unsigned, and it signs on the next try', async () => {
  test.setTimeout(180_000);
  let stopped: Promise<void> | undefined;
  const progress: SignProgressEvent[] = [];
  const h = workflowHarness({
    files: { 'big.json': bigRequest(INPUTS, 400) },
    deps: {
      emit: (channel, p) => {
        if (channel !== EVENTS.signProgress.channel) return;
        progress.push(p as SignProgressEvent);
        // The first chunk of signatures is back: the thread is waiting for all of them to assemble the response.
        if ((p as SignProgressEvent).inputs !== undefined) stopped ??= stopReviewThread();
      },
    },
  });
  try {
    await h.call('drivesList', {});
    const [imported] = await h.call('requestsImport', { driveId: 'drive-1', files: ['big.json'] });
    if (!imported?.ok) throw new Error(`not imported: ${JSON.stringify(imported)}`);
    const requestId = imported.requestId;
    const { review, warningKeys } = await h.call('requestReview', { requestId });
    await h.call('requestApprove', { requestId, fingerprint: review.fingerprint.sha256, acknowledged: warningKeys });
    await h.call('walletUnlock', { walletId: review.walletId, passphrase: env[`WALLET_${review.walletId}_PASSPHRASE`]! });

    const [first] = await h.call('requestsSign', {});
    expect(stopped, 'the thread was stopped while the request signed').toBeDefined();
    await stopped;
    expect(first).toMatchObject({ ok: false, error: { code: 'worker_failed' } });
    // Still approved, with the error kept for the screen; nothing to export.
    const listed = (await h.call('requestsList', {})).flatMap((g) => g.requests).find((r) => r.requestId === requestId);
    expect(listed?.status).toBe('approved');
    expect(await h.call('requestsExport', {})).toEqual([]);

    // The next try starts a new review thread and signs every input.
    progress.length = 0;
    const [second] = await h.call('requestsSign', {});
    expect(second).toMatchObject({ ok: true });
    expect(progress.filter((e) => e.inputs).at(-1)?.inputs).toEqual({ done: INPUTS, total: INPUTS });
    const [exported] = await h.call('requestsExport', {});
    if (!exported?.ok) throw new Error(`not exported: ${JSON.stringify(exported)}`);
    const response = JSON.parse(readFileSync(`${h.drive}/${exported.request.output}`, 'utf8')) as { txHex: string };
    const psbt = parsePsbtStrict(fromHexStrict(response.txHex)!);
    expect(psbt.inputs.length).toBe(INPUTS);
    expect(psbt.inputs.every((_, i) => inputFields(psbt, i).partialSigs.length === 1)).toBe(true);
  } finally {
    h.cleanup();
  }
});
