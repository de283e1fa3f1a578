// A wrong-network request by camera (test/e2e/support/qr-e2e.ts): the p2wsh fixture with one unspent's address
// re-encoded for mainnet (test/support/qr-payloads.ts), as animated BBQr. The same bytes from a file are refused by
// the review first; by QR they are refused the same way, with the same fingerprint and the same STOP.
import { expect, expectCameraOff, importFiles, modelOf, openApp, openReview, requestRow, scan, scanRegion, test, wrongNetworkRequestJson } from './support/qr-e2e';
import { waitForScanStatus } from './support/scan-wait';
import { goToStep } from './support/steps';

test.use({ qrVideo: 'wrong-network' });

test('a wrong-network request by QR is refused like the same request from a file', async ({ page, drives }) => {
  drives.put('SIGNING USB', 'wrong-network.json', wrongNetworkRequestJson());
  const model = modelOf(wrongNetworkRequestJson(), 'wrong-network.json');
  expect(model.refusals.map((r) => r.code)).toContain('network_mismatch');
  await openApp(page);

  // The file first: refused by the review. Rejected, so the same content may be imported again.
  await importFiles(page, 'SIGNING USB', ['wrong-network.json']);
  await goToStep(page, 'Review');
  await expect(requestRow(page, 'wrong-network.json')).toContainText('REFUSED by the review');
  const fromFile = await openReview(page, 'wrong-network.json');
  const stopText = (await fromFile.getByRole('alert', { name: 'Signing refused' }).textContent()) ?? '';
  expect(stopText).toContain('network_mismatch');
  await fromFile.getByRole('button', { name: 'Reject wrong-network.json' }).click();

  await scan(page);
  await waitForScanStatus(scanRegion(page), 'Imported as “QR code 1”');
  await expectCameraOff(page);
  await goToStep(page, 'Review');
  await expect(requestRow(page, 'QR code 1')).toContainText('REFUSED by the review');
  await expect(requestRow(page, 'QR code 1')).toContainText(model.fingerprint.short);
  const fromQr = await openReview(page, 'QR code 1');
  await expect(fromQr.getByRole('alert', { name: 'Signing refused' })).toHaveText(stopText);
  // Refused: no Approve at all, only Reject.
  await expect(fromQr.getByRole('button', { name: 'Approve QR code 1' })).toHaveCount(0);
  await expect(fromQr.getByRole('button', { name: 'Reject QR code 1' })).toBeVisible();
});
