// BitGo's two MuSig2 steps on the screen (issue 18): the nonce request is reviewed with its step and key-path
// inputs shown, approved, "signed" (nonces only) and exported; BitGo's signature request (BitGo's nonce added by
// test/support/musig2.ts) comes back on the drive, shows step 2 of 2, and is signed with the kept nonces. The kept
// nonces live in the app's data folder (beside the bridge's signing ledger).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MUSIG2_SUBTYPE } from '../../electron/intake/musig2-fields';
import { parsePsbtStrict } from '../../electron/intake/psbt-strict';
import { musig2StepWords } from '../../shared/review';
import { cosignerNonces, isBitgoMusig2 } from '../support/musig2';
import { openApp } from './support/bridge';
import { backToExport, goToStep, unlockWallet } from './support/steps';
import { WALLETS, caseBytes, expect, importFiles, modelOf, openReview, passphraseOf, requestRow, screenshot, test, warningName } from './support/workflow';
import type { Locator } from '@playwright/test';
import type { ReviewModel } from '../../shared/review';

const USB = 'SIGNING USB';
const A = WALLETS.walletA!;

async function approveAll(review: Locator, file: string, model: ReviewModel): Promise<void> {
  for (const w of model.warnings) await review.getByRole('checkbox', { name: warningName(w, model), exact: true }).check();
  await review.getByRole('button', { name: `Approve ${file}`, exact: true }).click();
}

test('MuSig2: the nonce request, then BitGo’s signature request, each reviewed with its step, signed and exported', async ({ page, drives }) => {
  const drive = drives.drive(USB);
  const nonceRequest = caseBytes('p2trMusig2.1-signerNonce.request.json');
  drives.put(USB, 'nonce.json', nonceRequest);
  const m1 = modelOf(nonceRequest, 'nonce.json');
  expect(m1.musig2).toEqual({ step: 'signerNonce', inputs: [0, 1] });

  await openApp(page);
  await unlockWallet(page, A.walletId, passphraseOf(A.walletId));
  await importFiles(page, USB, ['nonce.json']);
  const review1 = await openReview(page, 'nonce.json');
  await expect(review1.getByLabel('MuSig2 step')).toHaveText(musig2StepWords(m1.musig2!));
  await expect(review1.getByRole('alert', { name: 'Signing refused' })).toHaveCount(0);
  await screenshot(page, 'musig2-nonce-review');
  await approveAll(review1, 'nonce.json', m1);
  await page.getByRole('button', { name: 'Sign approved requests (1)' }).click();
  await expect(requestRow(page, 'nonce.json')).toContainText('Signed, not exported yet');
  await page.getByRole('button', { name: 'Export signed files (1)' }).click();
  await backToExport(page);
  await expect(requestRow(page, 'nonce.json')).toContainText('written as nonce.signed.json');
  const step1Hex = (JSON.parse(readFileSync(join(drive, 'nonce.signed.json'), 'utf8')) as { txHex: string }).txHex;

  // BitGo adds its nonce online and sends the signature request back on the drive.
  const body = JSON.parse(caseBytes('p2trMusig2.3-signerSignature.request.json').toString('utf8')) as { txPrebuild: { txHex: string } };
  body.txPrebuild.txHex = cosignerNonces(step1Hex).psbtHex;
  const sigRequest = Buffer.from(JSON.stringify(body));
  drives.put(USB, 'signature.json', sigRequest);
  const m3 = modelOf(sigRequest, 'signature.json');
  expect(m3.musig2).toEqual({ step: 'signerSignature', inputs: [0, 1] });

  // The import step's own button (the key ceremony's drive pickers have theirs).
  await goToStep(page, 'Import');
  await page.getByRole('region', { name: 'Request files on USB drives' }).getByRole('button', { name: 'Refresh drives' }).click();
  await importFiles(page, USB, ['signature.json']);
  const review3 = await openReview(page, 'signature.json');
  await expect(review3.getByLabel('MuSig2 step')).toHaveText(musig2StepWords(m3.musig2!));
  await expect(review3.getByRole('alert', { name: 'Signing refused' })).toHaveCount(0);
  await screenshot(page, 'musig2-signature-review');
  await approveAll(review3, 'signature.json', m3);
  await page.getByRole('button', { name: 'Sign approved requests (1)' }).click();
  await expect(requestRow(page, 'signature.json')).toContainText('Signed, not exported yet');
  await page.getByRole('button', { name: 'Export signed files (1)' }).click();
  await backToExport(page);
  await expect(requestRow(page, 'signature.json')).toContainText('written as signature.signed.json');
  const signed = parsePsbtStrict(new Uint8Array(Buffer.from((JSON.parse(readFileSync(join(drive, 'signature.signed.json'), 'utf8')) as { txHex: string }).txHex, 'hex')));
  expect(signed.inputs.map((m) => m.filter((e) => isBitgoMusig2(e, MUSIG2_SUBTYPE.partialSig)).length)).toEqual([1, 1]);
});
