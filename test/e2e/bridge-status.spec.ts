// True status (issue 19, items 1-4, 12, 13, 15) as the operator sees it, through the real router, handlers, vault
// and session behind the Chromium test bridge: the demo's built-in requests, a result shown as QR codes, signing
// with a locked wallet, refused and foreign requests, no silent locking, the passphrase wait, and the summary.
// Real files in a temporary folder stand in for the USB drive; requests are BitGo's fixtures (test/fixtures/bitgo).
import { rmSync } from 'node:fs';
import { openApp } from './support/bridge';
import { fixturePath } from './support/paths';
import { goToStep, unlockWallet } from './support/steps';
import { WALLETS, caseBytes, expect, importFiles, modelOf, openReview, passphraseOf, requestRow, screenshot, test } from './support/workflow';
import { reviewFingerprint } from '../../electron/review/fingerprint';
import { mutateRequest } from '../support/review-helpers';

const A = WALLETS.walletA!;
const DEMO_DRIVE = 'DEMO requests (built in, not a USB drive)';

test('demo mode with no USB drive: the built-in demo requests are offered, named as such, and reach a review', async ({ page }) => {
  await openApp(page);
  await goToStep(page, 'Import');
  const drives = page.getByRole('region', { name: 'Request files on USB drives' });
  await expect(drives).toContainText('No USB drive found. Plug one in, then press “Refresh drives”. In demo mode the demo’s own requests are offered below.');
  await importFiles(page, DEMO_DRIVE, ['p2wsh.request.json']);
  await goToStep(page, 'Import');
  await expect(drives).toContainText('These are the demo’s bundled requests, not files on a USB drive');
  await goToStep(page, 'Review');
  await expect(requestRow(page, 'p2wsh.request.json')).toContainText(`on ${DEMO_DRIVE}`);
  const review = await openReview(page, 'p2wsh.request.json');
  await expect(review).toContainText(`Wallet ${A.walletId}`);
  await expect(review.getByRole('button', { name: 'Approve p2wsh.request.json', exact: true })).toBeEnabled();
  await screenshot(page, 'demo-drive-review');
});

test('a request with no drive, signed and shown as QR codes, is "shown" in the list and counted as signed in the summary', async ({ page }) => {
  await openApp(page);
  await unlockWallet(page, A.walletId, passphraseOf(A.walletId));
  await importFiles(page, DEMO_DRIVE, ['p2wsh.request.json']);
  const review = await openReview(page, 'p2wsh.request.json');
  await review.getByRole('button', { name: 'Approve p2wsh.request.json', exact: true }).click();
  await page.getByRole('button', { name: 'Sign approved requests (1)' }).click();
  const row = requestRow(page, 'p2wsh.request.json');
  // Never "Signed, not exported yet": it has no drive to be exported to.
  await expect(row).toContainText('Signed, not shown as QR code yet');
  await expect(row).not.toContainText('not exported');
  await expect(page.getByRole('button', { name: 'Export signed files (0)' })).toBeDisabled();
  const summary = page.getByRole('region', { name: 'Session summary' });
  await goToStep(page, 'Summary');
  await expect(summary).toContainText('0 signed, 1 signed but not exported, 0 rejected, 0 failed, 0 not finished');
  await screenshot(page, 'signed-not-shown');

  await goToStep(page, 'Export / show');
  await page.getByLabel('Signed request', { exact: true }).selectOption({ index: 1 });
  await expect(page.getByRole('img', { name: 'QR code showing the signed result of p2wsh.request.json' })).toBeVisible();
  await expect(row).toContainText('Signed and shown as QR code');
  await goToStep(page, 'Summary');
  await expect(summary).toContainText('1 signed (1 shown as QR codes), 0 rejected, 0 failed, 0 not finished');
  await expect(summary.getByRole('row', { name: 'Summary of p2wsh.request.json' }).getByRole('cell').first()).toHaveText('SIGNED, SHOWN AS QR');
  await screenshot(page, 'shown');
});

test('refused and foreign requests say so at import and in the summary: REFUSED, the reason in words, the fingerprint', async ({ page, drives }) => {
  // Fake change (test/e2e/bridge-workflow-errors.spec.ts builds the same): the change output's script replaced.
  const fraud = mutateRequest('p2wsh', (d) => {
    const o = d.outputs.findIndex((m) => m.some((e) => e.keyType === 0x02));
    d.tx.outputs[o]!.script = Uint8Array.of(0x00, 0x20, ...new Uint8Array(32).fill(0x42));
  });
  // Another key store's request: the same body naming a wallet this key store does not hold.
  const body = JSON.parse(caseBytes('p2wsh.request.json').toString('utf8')) as { txPrebuild: { walletId: string } };
  body.txPrebuild.walletId = 'ffffffffffffffffffffffffffffffff';
  const foreign = JSON.stringify(body);
  drives.put('SIGNING USB', 'fraud.json', fraud);
  drives.put('SIGNING USB', 'foreign.json', foreign);
  const model = modelOf(new TextEncoder().encode(fraud), 'fraud.json');
  const foreignFp = reviewFingerprint(foreign).short;
  await openApp(page);
  await importFiles(page, 'SIGNING USB', ['foreign.json', 'fraud.json']);
  const last = page.getByRole('region', { name: 'Last import' });
  await expect(last).toContainText(
    `foreign.json: REFUSED, NOT imported (review fingerprint ${foreignFp}): foreign.json is a request for wallet ffffffffffffffffffffffffffffffff, which is not in the open key store: this app holds no key for it, so it was not imported`,
  );
  await expect(last).toContainText(`fraud.json: imported for wallet ${A.walletId}, review fingerprint ${model.fingerprint.short}, but REFUSED by the review: ${model.refusals[0]!.message}`);
  await expect(last).toContainText('It will never be signed; reject it.');
  await goToStep(page, 'Review');
  await expect(page.getByRole('region', { name: 'Requests for wallet ffffffffffffffffffffffffffffffff' })).toHaveCount(0);
  await expect(requestRow(page, 'fraud.json')).toContainText('REFUSED by the review');

  await goToStep(page, 'Summary');
  const summary = page.getByRole('region', { name: 'Session summary' });
  await expect(summary).toContainText('0 signed, 0 rejected, 2 refused, 0 failed, 0 not finished');
  const fraudRow = summary.getByRole('row', { name: 'Summary of fraud.json' });
  await expect(fraudRow.getByRole('cell').first()).toHaveText('REFUSED');
  await expect(fraudRow).toContainText(model.fingerprint.short);
  await expect(fraudRow).toContainText(`refused by the review: ${model.refusals[0]!.message}`);
  const foreignRow = summary.getByRole('row', { name: 'Summary of foreign.json' });
  await expect(foreignRow.getByRole('cell').first()).toHaveText('REFUSED');
  await expect(foreignRow).toContainText(foreignFp);
  await expect(foreignRow).toContainText('not imported: foreign.json is a request for wallet ffffffffffffffffffffffffffffffff, which is not in the open key store');
  await screenshot(page, 'refused-and-foreign');
});

test('no stale messages: after export the signing results are gone; a failed import clears the last one', async ({ page, drives }) => {
  drives.put('SIGNING USB', 'p2wsh.json', caseBytes('p2wsh.request.json'));
  drives.put('SIGNING USB', 'p2sh.json', caseBytes('p2sh.request.json'));
  await openApp(page);
  await unlockWallet(page, A.walletId, passphraseOf(A.walletId));
  await importFiles(page, 'SIGNING USB', ['p2wsh.json']);
  const review = await openReview(page, 'p2wsh.json');
  await review.getByRole('button', { name: 'Approve p2wsh.json', exact: true }).click();
  await page.getByRole('button', { name: 'Sign approved requests (1)' }).click();
  await expect(page.getByLabel('Signing results', { exact: true })).toContainText('p2wsh.json: Signed, not exported yet');
  await page.getByRole('button', { name: 'Export signed files (1)' }).click();
  // Everything exported: the app moves on to the summary; the export's results are back under Export / show.
  await expect(page.getByRole('heading', { name: 'Session summary' })).toBeFocused();
  await goToStep(page, 'Export / show');
  await expect(page.getByLabel('Export results', { exact: true })).toContainText('p2wsh.json: Signed and exported');
  await expect(page.getByLabel('Signing results', { exact: true })).toHaveCount(0);
  await expect(page.getByText('Signed, not exported yet')).toHaveCount(0);

  // The drive goes away before the next import: the import fails as a whole and the old "Last import" goes with it.
  await goToStep(page, 'Import');
  await page.getByRole('checkbox', { name: /^p2sh\.json \(/ }).check();
  rmSync(drives.drive('SIGNING USB'), { recursive: true, force: true });
  await page.getByRole('button', { name: 'Import selected (1)' }).click();
  await expect(page.getByRole('region', { name: 'Request files on USB drives' }).getByRole('alert')).toContainText('no longer connected');
  await expect(page.getByRole('region', { name: 'Last import' })).toHaveCount(0);
});

test('no silent locking: opening the demo key store with a wallet unlocked asks first (keyboard only); Cancel keeps it unlocked', async ({ page, bridge }) => {
  await openApp(page);
  await unlockWallet(page, A.walletId, passphraseOf(A.walletId));
  await goToStep(page, 'Key store');
  const openButton = page.getByRole('button', { name: 'Open the demo key store' });
  await openButton.focus();
  await page.keyboard.press('Enter');
  const ask = page.getByRole('alertdialog', { name: 'Lock the unlocked wallets?' });
  await expect(ask).toContainText(`Wallet ${A.walletId} is unlocked. Opening the demo key store again locks it.`);
  await expect(ask.getByRole('button', { name: 'Lock and open the demo key store' })).toBeFocused();
  expect(bridge.vault.isUnlocked(A.walletId)).toBe(true);
  await page.keyboard.press('Tab');
  await expect(ask.getByRole('button', { name: 'Cancel: keep the wallets unlocked' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(ask).toHaveCount(0);
  expect(bridge.vault.isUnlocked(A.walletId)).toBe(true);
  await openButton.focus();
  await page.keyboard.press('Enter');
  await expect(ask.getByRole('button', { name: 'Lock and open the demo key store' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(ask).toHaveCount(0);
  await expect.poll(() => bridge.vault.isUnlocked(A.walletId)).toBe(false);
});

test.describe('not demo mode', () => {
  test.use({ bridgeOptions: { demo: false } });
  test('no built-in demo drive is offered', async ({ page, bridge }) => {
    await openApp(page);
    bridge.dialogs.next = fixturePath('bitgo/keys.json');
    await page.getByRole('button', { name: 'Open a key file…' }).click();
    await expect(page.getByRole('heading', { name: 'Key store: keys.json' })).toBeVisible();
    await goToStep(page, 'Import');
    await expect(page.getByText('No USB drive found. Plug one in, then press “Refresh drives”.', { exact: true })).toBeVisible();
    await expect(page.getByRole('radio', { name: DEMO_DRIVE })).toHaveCount(0);
  });
});
