// A bare PSBT file (no request around it, so no wallet named) through the app: its wallet is the registered wallet
// with the PSBT's three keys (wallet A, registered as tbtc), so nothing is asked; the review is built with those
// keys (the same core builds the expected model here), and the signed PSBT is written next to it as <name>.signed.psbt, in the input's own encoding, equal
// to what BitGo's signer makes for the same transaction (test/fixtures/bitgo/cases/p2wsh.response.json).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { barePsbtKeysByScript } from '../../electron/intake/bare-psbt';
import { parseSigningRequest } from '../../electron/intake/request';
import { openApp } from './support/bridge';
import { backToExport, goToStep, unlockWallet } from './support/steps';
import { WALLETS, caseBytes, expect, expectReviewShows, importFiles, modelOf, openReview, passphraseOf, requestRow, screenshot, snapshot, test, warningName } from './support/workflow';

const A = WALLETS.walletA!;
const USB = 'SIGNING USB';

test('bare PSBT: the registry names its wallet, the operator reviews, signs; the signed PSBT keeps the binary encoding', async ({ page, drives }) => {
  const psbt = Buffer.from((JSON.parse(caseBytes('p2wsh.request.json').toString('utf8')) as { txPrebuild: { txHex: string } }).txPrebuild.txHex, 'hex');
  const signed = (JSON.parse(caseBytes('p2wsh.response.json').toString('utf8')) as { txHex: string }).txHex;
  drives.put(USB, 'payment.psbt', psbt);
  const drive = drives.drive(USB);
  const before = snapshot(drive);
  const input = parseSigningRequest(psbt, 'payment.psbt');
  const keys = barePsbtKeysByScript((input as { psbt: Parameters<typeof barePsbtKeysByScript>[0] }).psbt);
  // Wallet A is registered as tbtc: testnet addresses.
  const model = modelOf(psbt, 'payment.psbt', { walletId: A.walletId, xpubs: [keys.user, keys.backup, keys.bitgo].map((k) => k.neutered().toBase58()), network: 'testnet' });
  expect(model.outputs.every((o) => o.address?.startsWith('tb1'))).toBe(true);

  await openApp(page);
  await goToStep(page, 'Import');
  await page.getByRole('radio', { name: USB, exact: true }).check();
  await expect(page.getByLabel(/^Network of PSBT files/)).toHaveValue('testnet');
  await importFiles(page, USB, ['payment.psbt']);
  const last = page.getByRole('region', { name: 'Last import' });
  await expect(last).toContainText(`payment.psbt: imported for wallet ${A.walletId}`);

  const review = await openReview(page, 'payment.psbt');
  await expectReviewShows(review, model);
  await expect(review).toContainText('network testnet');
  await expect(review.getByText('Change (verified)', { exact: true })).toBeVisible();
  await screenshot(page, 'psbt-review');
  for (const w of model.warnings) await review.getByRole('checkbox', { name: warningName(w, model), exact: true }).check();
  await review.getByRole('button', { name: 'Approve payment.psbt', exact: true }).click();
  await unlockWallet(page, A.walletId, passphraseOf(A.walletId));
  await goToStep(page, 'Sign');
  await page.getByRole('button', { name: 'Sign approved requests (1)' }).click();
  await page.getByRole('button', { name: 'Export signed files (1)' }).click();
  await backToExport(page);
  await expect(requestRow(page, 'payment.psbt')).toContainText('written as payment.signed.psbt');
  expect(readFileSync(join(drive, 'payment.signed.psbt')).toString('hex')).toBe(signed);
  expect(snapshot(drive)).toMatchObject(before); // the PSBT itself untouched
});
