// A bare PSBT by camera (test/e2e/support/qr-e2e.ts): the p2wsh fixture's PSBT alone as animated BBQr, as a
// wallet app shows it. It names no wallet, nothing is unlocked and the demo key store has four wallets, so the scan
// asks which wallet (and network) it is for; main kept the scanned bytes, so choosing imports it without a second
// scan, with the fingerprint those bytes have as a file.
import { reviewFingerprint } from '../../electron/review/fingerprint';
import { A, barePsbt, expect, expectCameraOff, openApp, openReview, requestRow, scan, scanRegion, test } from './support/qr-e2e';
import { waitForScanStatus } from './support/scan-wait';

test.use({ qrVideo: 'bare-psbt' });

test('a scanned bare PSBT asks for its wallet and network, then imports from the kept scan', async ({ page }) => {
  const fingerprint = reviewFingerprint(barePsbt());
  await openApp(page);
  await scan(page);
  await waitForScanStatus(scanRegion(page), /NOT imported|Imported as|choose/i);
  await expectCameraOff(page);
  await expect(scanRegion(page)).toContainText('Choose its wallet and network under “Last import” below; the scan is kept');
  const last = page.getByRole('region', { name: 'Last import' });
  await expect(last).toContainText('QR code 1: NOT imported');
  await last.getByLabel('Wallet for QR code 1').selectOption(A.walletId);
  // The demo key store's wallets are testnet ones: that is the default network offered.
  await expect(last.getByLabel('Network for QR code 1')).toHaveValue('testnet');
  await last.getByRole('button', { name: 'Import QR code 1 for this wallet' }).click();
  await expect(last).toContainText(`QR code 1: imported for wallet ${A.walletId}`);
  await expect(scanRegion(page).getByRole('button', { name: 'Scan QR code' })).toBeVisible();
  await expect(requestRow(page, 'QR code 1')).toContainText(fingerprint.short);
  const review = await openReview(page, 'QR code 1');
  await expect(review).toContainText('network testnet');
  await expect(review.getByText('Change (verified)', { exact: true })).toBeVisible();
  await expect(review.getByRole('alert', { name: 'Signing refused' })).toHaveCount(0);
});
