// BitGo's PayGo fee on the screen (electron/review/paygo.ts): a request that calls an output BitGo's fee without
// proving its address shows that output as a recipient, in the output list and in the money bar, with the warning
// to acknowledge. The request carries a proof signed by a key that is not BitGo's (the tests' stand-in key), so the
// app, which checks against BitGo's pinned testnet key, refuses it as a proof.
import { openApp } from './support/bridge';
import { expect, expectReviewShows, importFiles, modelOf, openReview, screenshot, test, warningName } from './support/workflow';
import { payGoProofEntry } from '../support/paygo';
import { mutateRequest } from '../support/review-helpers';

const USB = 'SIGNING USB';
const FEE_ADDRESS = 'tb1qq5zs2pg9q5zs2pg9q5zs2pg9q5zs2pg9lm9x7g';

test('a PayGo fee the request does not prove is shown as a recipient, in the list and the bar, and warned', async ({ page, drives }) => {
  const claim = mutateRequest('p2wsh', (d) => {
    d.tx.outputs[0]!.value -= 1000n;
    d.tx.outputs.push({ value: 1000n, script: Uint8Array.from(Buffer.from('00140505050505050505050505050505050505050505', 'hex')) });
    d.outputs.push([payGoProofEntry('attestation', FEE_ADDRESS)]);
    d.body.txPrebuild.feeInfo.payGoFee = 1000;
  });
  drives.put(USB, 'paygo.json', claim);
  const model = modelOf(Buffer.from(claim), 'paygo.json');
  expect(model.outputs[2]).toEqual(expect.objectContaining({ address: FEE_ADDRESS, amount: 1000, kind: 'external' }));
  expect(model.outputs.some((o) => o.payGo)).toBe(false);
  const warning = model.warnings.find((w) => w.code === 'paygo_unverified' && w.output === 2)!;
  expect(warning.message).toContain("is BitGo's PayGo fee of 1000 sat, but its address proof is not a signature of BitGo's PayGo key");

  await openApp(page);
  await importFiles(page, USB, ['paygo.json']);
  const review = await openReview(page, 'paygo.json');
  await expectReviewShows(review, model);
  // The output list: a recipient, not BitGo's fee.
  const row = review.getByRole('row', { name: 'Output 2', exact: true });
  await expect(row.locator('.badge')).toHaveText('Recipient');
  await expect(row).not.toContainText('PayGo');
  // The bar: no BitGo fee part; the claimed fee is counted with the recipients.
  const bar = review.getByRole('figure', { name: /^Where the money goes/ });
  await expect(bar.locator('li[data-part="paygo"]')).toHaveCount(0);
  await expect(bar.locator('svg.money-bar rect[data-part="paygo"]')).toHaveCount(0);
  await expect(bar).not.toContainText('BitGo fee');
  const recipients = model.outputs.filter((o) => o.kind === 'external').reduce((a, o) => a + o.amount, 0);
  expect(recipients).toBe(model.outputs[0]!.amount + 1000);
  await expect(bar.locator('li[data-part="recipients"]')).toContainText('Recipients (2 outputs)');
  // The warning, to acknowledge before approving.
  await expect(review.getByRole('checkbox', { name: warningName(warning, model), exact: true })).not.toBeChecked();
  await expect(review.getByRole('button', { name: 'Approve paygo.json', exact: true })).toBeDisabled();
  await screenshot(page, 'paygo-unproven');
});
