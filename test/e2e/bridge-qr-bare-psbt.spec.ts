// A bare PSBT by camera (test/e2e/support/qr-e2e.ts): the p2wsh fixture's PSBT alone as animated BBQr, as a
// wallet app shows it. It names no wallet and nothing is unlocked, but its three keys are wallet A's registered
// keys, so the registry says whose it is and its network (wallet A is registered as tbtc): it imports with no
// question, with the fingerprint those bytes have as a file.
import { reviewFingerprint } from '../../electron/review/fingerprint';
import { A, backToScan, barePsbt, expect, expectCameraOff, openApp, openReview, requestRow, scan, scanRegion, test } from './support/qr-e2e';
import { waitForScanStatus } from './support/scan-wait';
import { goToStep } from './support/steps';

test.use({ qrVideo: 'bare-psbt' });

test('a scanned bare PSBT imports for the registered wallet with its keys, on that wallet\'s coin', async ({ page }) => {
  const fingerprint = reviewFingerprint(barePsbt());
  await openApp(page);
  await scan(page);
  await waitForScanStatus(scanRegion(page), /NOT imported|Imported as|choose/i);
  await backToScan(page);
  await expectCameraOff(page);
  await expect(scanRegion(page)).toContainText(`Imported as “QR code 1” for wallet ${A.walletId}`);
  const last = page.getByRole('region', { name: 'Last import' });
  await expect(last).toContainText(`QR code 1: imported for wallet ${A.walletId}`);
  await expect(scanRegion(page).getByRole('button', { name: 'Scan QR code' })).toBeVisible();
  await goToStep(page, 'Review');
  await expect(requestRow(page, 'QR code 1')).toContainText(fingerprint.short);
  const review = await openReview(page, 'QR code 1');
  await expect(review).toContainText('network testnet');
  await expect(review.getByText('Change (verified)', { exact: true })).toBeVisible();
  await expect(review.getByRole('alert', { name: 'Signing refused' })).toHaveCount(0);
});
