// The review screen as the operator reads it (issue 19, items 5 to 9), in Chromium through the bridge, at 1280x800
// and 1024x700: the at-a-glance line first with the warnings or the STOP right under it, the fingerprint with what to
// compare it with and the unsigned txid (the same transaction imported twice is flagged), inputs grouped and paged,
// OP_RETURN as data with its text made visible, recipients summed by address, and Approve/Reject in view however
// long the payout. Expected values come from the same core in Node (modelOf) and shared/review-words.ts.
import type { Locator, Page } from '@playwright/test';
import { atAGlance, groupInputs, issueWords, recipientsByAddress } from '../../shared/review-words';
import { openApp } from './support/bridge';
import { goToStep, unlockWallet } from './support/steps';
import { mutateRequest } from '../support/review-helpers';
import { WALLETS, caseBytes, expect, expectReviewFits, expectReviewShows, importFiles, modelOf, openReview, passphraseOf, screenshot, test, warningName } from './support/workflow';

const USB = 'SIGNING USB';
const A = WALLETS.walletA!;
const SIZES = [
  { width: 1280, height: 800 },
  { width: 1024, height: 700 },
] as const;

async function start(page: Page): Promise<void> {
  await openApp(page);
  await unlockWallet(page, A.walletId, passphraseOf(A.walletId));
}

/** True when the element's box lies entirely inside the window. */
async function inWindow(el: Locator): Promise<boolean> {
  return el.evaluate((e) => {
    const r = e.getBoundingClientRect();
    return r.top >= 0 && r.left >= 0 && r.bottom <= window.innerHeight && r.right <= window.innerWidth;
  });
}

test('at a glance first, warnings right under it; fingerprint with what to compare, txid, groups that never wrap; the same transaction twice is flagged', async ({ page, drives }) => {
  // The same transaction in two files (the second with a trailing newline: other bytes, same unsigned txid).
  drives.put(USB, 'timelock.json', caseBytes('p2sh-sequence-locktime.request.json'));
  drives.put(USB, 'timelock-again.json', Buffer.concat([caseBytes('p2sh-sequence-locktime.request.json'), Buffer.from('\n')]));
  const model = modelOf(caseBytes('p2sh-sequence-locktime.request.json'), 'timelock.json');
  await start(page);
  await importFiles(page, USB, ['timelock.json', 'timelock-again.json']);
  for (const size of SIZES) {
    await page.setViewportSize(size);
    const review = await openReview(page, 'timelock.json');
    await expectReviewShows(review, model);
    const glance = review.getByLabel('At a glance');
    await expect(glance).toHaveText(atAGlance(model).text);
    await expect(glance).toContainText('· 3 warnings');
    // The warnings come directly after the glance line: its next sibling is the fieldset of checkboxes.
    expect(await glance.evaluate((e) => e.nextElementSibling?.tagName)).toBe('FIELDSET');
    for (const w of model.warnings) await expect(review.getByRole('checkbox', { name: warningName(w, model), exact: true })).toBeVisible();
    await expect(review).not.toContainText('WARNING: input 1 has nSequence');
    await expect(review.getByRole('checkbox', { name: /^WARNING: Input 1 carries a relative timelock of zero/ })).toBeVisible();
    // The fingerprint says what to compare it with; its groups and the txid's never break inside.
    const fp = review.getByLabel('Review fingerprint');
    await expect(fp).toContainText('Compare it with the fingerprint the sender reads to you');
    await expect(review.getByLabel('Unsigned transaction id')).toContainText(model.txid!.match(/.{4}/g)!.join(' '));
    await expect(review.getByLabel('Unsigned transaction id')).toContainText('The same whatever file format carried this transaction');
    const wraps = await review.locator('.group').evaluateAll((els) => els.filter((e) => getComputedStyle(e).whiteSpace !== 'nowrap' || e.getClientRects().length !== 1).map((e) => e.textContent));
    expect(wraps).toEqual([]);
    const same = review.getByRole('note', { name: 'Same transaction imported twice' });
    await expect(same).toContainText('The same transaction was imported twice');
    await expect(same).toContainText('it is also in timelock-again.json (Waiting for review)');
    await expectReviewFits(page, review);
    await screenshot(page, `glance-warnings-${size.width}x${size.height}`, 'window');
  }
  // The wallet card (in the Unlock step) names its key's fingerprint as such.
  await goToStep(page, 'Unlock');
  await expect(page.getByText('Key fingerprint', { exact: true })).toBeVisible();
});

test('a refused request: REFUSED in words at the top, the STOP right under it, no Approve and no checkboxes', async ({ page, drives }) => {
  const fraud = mutateRequest('p2wsh', (d) => {
    const o = d.outputs.findIndex((m) => m.some((e) => e.keyType === 0x02));
    d.tx.outputs[o]!.script = Uint8Array.of(0x00, 0x20, ...new Uint8Array(32).fill(0x42));
  });
  drives.put(USB, 'fraud.json', fraud);
  const model = modelOf(Buffer.from(fraud), 'fraud.json');
  await start(page);
  await importFiles(page, USB, ['fraud.json']);
  for (const size of SIZES) {
    await page.setViewportSize(size);
    const review = await openReview(page, 'fraud.json');
    const glance = review.getByLabel('At a glance');
    await expect(glance).toHaveText(atAGlance(model).text);
    await expect(glance).toHaveText(/^REFUSED: /);
    expect(await glance.evaluate((e) => e.nextElementSibling?.getAttribute('aria-label'))).toBe('Signing refused');
    await expect(review.getByRole('alert', { name: 'Signing refused' })).toContainText(issueWords(model.refusals[0]!, model).headline);
    await expect(review.getByRole('button', { name: /^Approve / })).toHaveCount(0);
    await expect(review.getByRole('checkbox')).toHaveCount(0);
    await expect(review.getByRole('button', { name: 'Reject fraud.json' })).toBeVisible();
    await expect(review.getByRole('button', { name: 'Reject fraud.json' })).toBeInViewport();
    await screenshot(page, `refused-${size.width}x${size.height}`, 'window');
  }
});

test('a 50-recipient payout with an OP_RETURN: data is its own kind with its text made visible, recipients summed by address, Approve stays in view', async ({ page, drives }) => {
  // p2wsh's payment (output 0) split into 50 outputs to 25 addresses (each paid twice), plus an OP_RETURN whose
  // text holds a right-to-left override: the fee and the change are unchanged.
  const note = 'invoice \u202E4202 #';
  const payout = mutateRequest('p2wsh', (d) => {
    const first = d.tx.outputs[0]!;
    const share = first.value / 50n;
    const rest = first.value - share * 49n;
    const outs = Array.from({ length: 50 }, (_, k) => ({ value: k === 0 ? rest : share, script: Uint8Array.of(0x00, 0x14, ...new Uint8Array(20).fill(1 + (k % 25))) }));
    const data = Buffer.from(note, 'utf8');
    d.tx.outputs = [...outs, ...d.tx.outputs.slice(1), { value: 0n, script: Uint8Array.of(0x6a, data.length, ...data) }];
    d.outputs = [...outs.map(() => []), ...d.outputs.slice(1), []];
  });
  drives.put(USB, 'payout.json', payout);
  const model = modelOf(Buffer.from(payout), 'payout.json');
  expect(model.refusals).toEqual([]);
  const dataOut = model.outputs.find((o) => o.opReturnData !== undefined)!;
  await start(page);
  await importFiles(page, USB, ['payout.json']);
  for (const size of SIZES) {
    await page.setViewportSize(size);
    const review = await openReview(page, 'payout.json');
    await expectReviewShows(review, model);
    await expect(review.getByLabel('At a glance')).toHaveText(atAGlance(model).text);
    await expect(review.getByLabel('At a glance')).toContainText('to 25 addresses + 1 data output');
    // OP_RETURN: its own kind, its text with the override made visible, its hex beside it; not a recipient.
    const row = review.getByRole('row', { name: `Output ${dataOut.index}`, exact: true });
    await expect(row.locator('.badge')).toHaveText('Data, no value');
    await expect(row).toContainText('Text: invoice ⟨U+202E⟩4202 #Hex');
    await expect(row).toContainText(`Hex: ${dataOut.opReturnData!.match(/.{1,4}/g)!.join(' ')}`);
    await expect(review.getByRole('figure', { name: /^Where the money goes/ }).locator('li[data-part="recipients"]')).toContainText('Recipients (50 outputs)');
    // Recipients summed by address: 25 rows, each paid by two outputs.
    const sums = recipientsByAddress(model.outputs);
    const table = review.getByRole('table', { name: /^Recipients summed by address: 25 addresses, some paid by more than one output/ });
    await expect(table.locator('tbody tr')).toHaveCount(25);
    await expect(table.getByRole('row', { name: `Recipient ${sums[3]!.address}` })).toContainText(`${sums[3]!.outputs.join(', ')}`);
    // Scrolled down to the last outputs, Approve and Reject are still in the window.
    await review.getByRole('row', { name: 'Output 45', exact: true }).scrollIntoViewIfNeeded();
    const approve = review.getByRole('button', { name: 'Approve payout.json', exact: true });
    expect(await inWindow(approve)).toBe(true);
    expect(await inWindow(review.getByRole('button', { name: 'Reject payout.json', exact: true }))).toBe(true);
    await expectReviewFits(page, review);
    await screenshot(page, `payout-scrolled-${size.width}x${size.height}`, 'window');
  }
  const review = await openReview(page, 'payout.json');
  for (const w of model.warnings) await review.getByRole('checkbox', { name: warningName(w, model), exact: true }).check();
  await review.getByRole('row', { name: 'Output 30', exact: true }).scrollIntoViewIfNeeded();
  await review.getByRole('button', { name: 'Approve payout.json', exact: true }).click();
  await expect(page.getByRole('row', { name: 'Request payout.json', exact: true })).toContainText('Approved, not signed yet');
});

test('a 500-input review lists its inputs grouped by script type and chain, with totals and evidence, 100 a page', async ({ page, drives }) => {
  drives.put(USB, 'big.json', caseBytes('large-p2wsh-500.request.json'));
  const model = modelOf(caseBytes('large-p2wsh-500.request.json'), 'big.json');
  const groups = groupInputs(model.inputs);
  await start(page);
  await importFiles(page, USB, ['big.json']);
  for (const size of SIZES) {
    await page.setViewportSize(size);
    const review = await openReview(page, 'big.json');
    const inputs = review.getByRole('region', { name: 'Inputs' });
    await expect(inputs.getByRole('heading')).toContainText(`Inputs: 500 inputs in ${groups.length} groups`);
    await expect(inputs.locator('details.input-group')).toHaveCount(groups.length);
    const g = groups[0]!;
    const group = inputs.locator(`details[data-group="${g.key}"]`);
    await expect(group.locator('summary')).toContainText(`P2WSH (native segwit), chain ${g.chain} (receive): ${g.count} inputs`);
    await expect(group.locator('summary')).toContainText(`all ${g.count}: amount committed by the signature`);
    // Closed, a group draws no rows; open, one page of 100.
    await expect(review.locator('table.inputs tbody tr')).toHaveCount(0);
    await group.locator('summary').click();
    const rows = group.locator('table.inputs tbody tr');
    await expect(rows).toHaveCount(Math.min(100, g.count));
    await expect(rows.first()).toHaveAttribute('aria-label', `Input ${g.inputs[0]}`);
    if (g.count > 100) {
      await group.getByRole('button', { name: 'Next 100 inputs' }).click();
      await expect(group.getByRole('table')).toHaveAccessibleName(new RegExp(`inputs 101 to ${Math.min(200, g.count)} of ${g.count}$`));
      await expect(rows.first()).toHaveAttribute('aria-label', `Input ${g.inputs[100]}`);
      await group.getByRole('button', { name: 'Previous 100 inputs' }).click();
      await expect(rows.first()).toHaveAttribute('aria-label', `Input ${g.inputs[0]}`);
      await group.getByRole('button', { name: 'Next 100 inputs' }).click();
    }
    await expectReviewFits(page, review);
    await screenshot(page, `inputs-500-${size.width}x${size.height}`, 'window');
    await group.getByRole('button', { name: 'Previous 100 inputs' }).click();
    await group.locator('summary').click();
  }
});

test('a 300-output payout: outputs and recipients come from main 250 a page; the glance, the bar and the sums are over all of them, and Approve needs no paging', async ({ page, drives }) => {
  // p2wsh's payment (output 0) split into 300 outputs to 300 addresses; the fee and the change are unchanged.
  const payout = mutateRequest('p2wsh', (d) => {
    const first = d.tx.outputs[0]!;
    const share = first.value / 300n;
    const outs = Array.from({ length: 300 }, (_, k) => ({ value: k === 0 ? first.value - share * 299n : share, script: Uint8Array.of(0x00, 0x14, 0xa0, k >> 8, k & 0xff, ...new Uint8Array(17).fill(3)) }));
    d.tx.outputs = [...outs, ...d.tx.outputs.slice(1)];
    d.outputs = [...outs.map(() => []), ...d.outputs.slice(1)];
  });
  drives.put(USB, 'payout-300.json', payout);
  const model = modelOf(Buffer.from(payout), 'payout-300.json');
  expect(model.refusals).toEqual([]);
  const sums = recipientsByAddress(model.outputs);
  expect(sums).toHaveLength(300);
  await start(page);
  await importFiles(page, USB, ['payout-300.json']);
  const review = await openReview(page, 'payout-300.json');
  await expect(review.getByLabel('At a glance')).toHaveText(atAGlance(model).text);
  await expect(review.getByLabel('At a glance')).toContainText('to 300 addresses');
  await expect(review.getByRole('figure', { name: /^Where the money goes/ }).locator('li[data-part="recipients"]')).toContainText('Recipients (300 outputs)');
  const outputs = review.getByRole('table', { name: `Outputs: where the money goes (outputs 1 to 250 of ${model.outputs.length})` });
  await expect(outputs.locator('tbody tr')).toHaveCount(250);
  const recipients = review.getByRole('table', { name: /^Recipients summed by address: 300 addresses$/ });
  await expect(recipients.locator('tbody tr')).toHaveCount(250);
  // Approve on the first page, no page turned: the operator decides on the sums above, which cover every output.
  for (const w of model.warnings) await review.getByRole('checkbox', { name: warningName(w, model), exact: true }).check();
  await review.getByRole('button', { name: 'Approve payout-300.json', exact: true }).click();
  await expect(page.getByRole('row', { name: 'Request payout-300.json', exact: true })).toContainText('Approved, not signed yet');
  // The rest of the outputs and of the recipients, asked of main page by page, are the model's.
  const again = await openReview(page, 'payout-300.json');
  await again.getByRole('button', { name: 'Next 250 outputs' }).click();
  const rest = again.getByRole('table', { name: `Outputs: where the money goes (outputs 251 to ${model.outputs.length} of ${model.outputs.length})` });
  await expect(rest.locator('tbody tr')).toHaveCount(model.outputs.length - 250);
  await expect(rest.locator('tbody tr').first()).toHaveAttribute('aria-label', 'Output 250');
  await again.getByRole('button', { name: 'Next 250 addresses' }).click();
  const last = again.getByRole('table', { name: /^Recipients summed by address/ }).locator('tbody tr');
  await expect(last).toHaveCount(50);
  await expect(last.last()).toHaveAttribute('aria-label', `Recipient ${sums[299]!.address}`);
  await expectReviewFits(page, again);
});
