// The review crosses IPC in bounded pages (issue 13 item 11): requestReview's answer is the same few tens of
// kilobytes for 500 inputs as for 20,000 (its JSON is measured against a fixed cap, never a time), the pages of
// requestReviewPage reassemble to the model the core builds in Node, and page arguments that name nothing are
// refused with their codes. Through the real router and handlers (test/support/workflow-harness.ts).
import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import type { ImportFileResult } from '../../../shared/contract';
import type { ReviewInput, ReviewModel, ReviewOutput } from '../../../shared/review';
import { FIRST_PAGE_INPUTS, FIRST_PAGE_OUTPUTS, MAX_REVIEW_PAGE_ROWS, MAX_SUMMARY_REFUSALS, MAX_SUMMARY_WARNINGS, type ReviewPart } from '../../../shared/review-page';
import { atAGlance, groupInputs, recipientsByAddress, type RecipientSum } from '../../../shared/review-words';
import { buildReview } from '../../../electron/review/build';
import { bareInputsRequest, bigRequest } from '../../support/big-request';
import { workflowHarness } from '../../support/workflow-harness';

/** requestReview's JSON stays under this whatever the number of inputs or issues (a 100k-input model was ~84 MB). */
const SUMMARY_CAP_BYTES = 256 * 1024;

const large500 = readFileSync(new URL('../../fixtures/bitgo/cases/large-p2wsh-500.request.json', import.meta.url));

type H = ReturnType<typeof workflowHarness>;

/** Imports the drive's big.json; its request id. */
async function importBig(h: H): Promise<string> {
  await h.call('drivesList', {});
  const r: ImportFileResult | undefined = (await h.call('requestsImport', { driveId: 'drive-1', files: ['big.json'] }))[0];
  if (!r?.ok) throw new Error(`did not import: ${JSON.stringify(r)}`);
  return r.requestId;
}

/** Every row of a part, page after page of the largest size. */
async function allRows<T>(h: H, requestId: string, part: ReviewPart, group?: string): Promise<T[]> {
  const rows: T[] = [];
  for (;;) {
    const p = await h.call('requestReviewPage', { requestId, part, offset: rows.length, limit: MAX_REVIEW_PAGE_ROWS, ...(group ? { group } : {}) });
    expect(p.offset).toBe(rows.length);
    expect(p.items.length).toBeLessThanOrEqual(MAX_REVIEW_PAGE_ROWS);
    rows.push(...(p.items as T[]));
    if (rows.length >= p.total) return rows;
  }
}

async function expectPagesAre(h: H, requestId: string, model: ReviewModel): Promise<void> {
  expect(await allRows<ReviewInput>(h, requestId, 'inputs')).toEqual(model.inputs);
  expect(await allRows<ReviewOutput>(h, requestId, 'outputs')).toEqual(model.outputs);
  expect(await allRows<RecipientSum>(h, requestId, 'recipients')).toEqual(recipientsByAddress(model.outputs));
  for (const g of groupInputs(model.inputs)) {
    expect((await allRows<ReviewInput>(h, requestId, 'inputs', g.key)).map((x) => x.index)).toEqual(g.inputs);
  }
}

for (const [name, n, bytes] of [
  ['BitGo 500-input fixture', 500, () => large500],
  ['generated 20,000-input request', 20_000, () => Buffer.from(bigRequest(20_000, 500))],
  ['100,000 inputs without data (8 MB, 200,000 refusals)', 100_000, () => Buffer.from(bareInputsRequest(100_000))],
] as const) {
  test(`${name}: the review's answer is bounded, its pages reassemble to the model`, async () => {
    test.setTimeout(180_000);
    const request = bytes();
    const h = workflowHarness({ files: { 'big.json': request } });
    try {
      const requestId = await importBig(h);
      const rev = await h.call('requestReview', { requestId });
      const size = Buffer.byteLength(JSON.stringify(rev));
      expect(size).toBeLessThan(SUMMARY_CAP_BYTES);
      test.info().annotations.push({ type: 'measured', description: `requestReview ${size} bytes of JSON` });
      const model = buildReview(request, { name: 'big.json', network: 'testnet' });
      expect(rev.review.fingerprint).toEqual(model.fingerprint);
      expect(rev.review.inputCount).toBe(n);
      expect(rev.review.inputs).toEqual({ offset: 0, total: n, items: model.inputs.slice(0, FIRST_PAGE_INPUTS) });
      expect(rev.review.outputs).toEqual({ offset: 0, total: model.outputs.length, items: model.outputs.slice(0, FIRST_PAGE_OUTPUTS) });
      expect(rev.review.inputGroups).toEqual(groupInputs(model.inputs).map(({ inputs: _i, ...g }) => g));
      expect(rev.review.totals).toEqual(model.totals);
      // Warnings and refusals: counted whole, listed up to their caps, the words built over the whole model.
      expect([rev.review.warningCount, rev.review.refusalCount]).toEqual([model.warnings.length, model.refusals.length]);
      expect(rev.review.refusals).toEqual(model.refusals.slice(0, MAX_SUMMARY_REFUSALS));
      expect(rev.review.warnings).toEqual(model.warnings.slice(0, model.refusals.length > 0 ? MAX_SUMMARY_REFUSALS : MAX_SUMMARY_WARNINGS));
      expect(rev.review.glance).toEqual(atAGlance(model));
      await expectPagesAre(h, requestId, model);
    } finally {
      h.cleanup();
    }
  });
}

test('page arguments that name nothing are refused with their codes', async () => {
  const h = workflowHarness({ files: { 'big.json': large500 } });
  try {
    const requestId = await importBig(h);
    const page = (p: Record<string, unknown>) => h.fail('requestReviewPage', { requestId, part: 'inputs', offset: 0, limit: 10, ...p });
    // Main's own checks: past the end, a group this review does not have, a group for outputs, a request not imported.
    expect((await page({ offset: 500 })).code).toBe('review_page_out_of_range');
    expect((await page({ part: 'outputs', offset: 1000 })).code).toBe('review_page_out_of_range');
    expect((await page({ group: 'p2sh/0' })).code).toBe('review_group_unknown');
    expect((await page({ part: 'outputs', group: 'p2wsh/20' })).code).toBe('review_group_unknown');
    expect((await page({ requestId: 'req-99' })).code).toBe('request_unknown');
    // The schema's: more rows than a page holds, negative or fractional offsets, unknown parts and fields.
    for (const bad of [{ limit: MAX_REVIEW_PAGE_ROWS + 1 }, { limit: 0 }, { offset: -1 }, { offset: 1.5 }, { part: 'warnings' }, { group: '../x' }, { extra: 1 }, { requestId: '__proto__' }]) {
      expect((await page(bad)).code, JSON.stringify(bad)).toBe('ipc_payload_invalid');
    }
    // The last page is short, and says where it starts.
    const last = await h.call('requestReviewPage', { requestId, part: 'inputs', group: 'p2wsh/20', offset: 200, limit: 100 });
    expect([last.offset, last.total, last.items.length]).toEqual([200, 250, 50]);
  } finally {
    h.cleanup();
  }
});
