// The scanner with a camera that shows no QR code (test/e2e/support/qr-e2e.ts): it says so, sends nothing to main,
// imports nothing, and stops the camera when asked.
import { expect, expectCameraOff, openApp, scan, scanRegion, test } from './support/qr-e2e';
import { waitForScanStatus } from './support/scan-wait';
import { goToStep } from './support/steps';

test.use({ qrVideo: 'blank' });

test('a camera that shows no code finds nothing, says so, imports nothing, and stops when asked', async ({ page, bridge }) => {
  await openApp(page);
  await scan(page);
  await waitForScanStatus(scanRegion(page), 'No QR code found yet in 30 camera frames.');
  await expect(scanRegion(page).getByRole('alert')).toHaveText('');
  await goToStep(page, 'Review');
  await expect(page.getByText('No requests imported yet.')).toBeVisible();
  await goToStep(page, 'Import');
  expect(bridge.calls.filter((c) => c.channel === 'signer:qr:scan-frame')).toEqual([]);
  await scanRegion(page).getByRole('button', { name: 'Stop camera' }).click();
  await expect(scanRegion(page).getByRole('status')).toHaveText('Camera off.');
  await expectCameraOff(page);
});
