// The QR transport by camera, animated BBQr (test/e2e/support/qr-e2e.ts): Chromium's fake camera plays a video of
// the p2wsh fixture request's BBQr frames; the request is imported, reviewed with the file's fingerprint, signed, and
// shown back as BBQr codes that decode, off the canvas, to BitGo's response.
import { scanSignShow, test } from './support/qr-e2e';

test.use({ qrVideo: 'bbqr' });

test('an animated BBQr request by camera: imported like the file, signed, shown back as BBQr that decodes to BitGo\'s response', async ({ page, bridge }) => {
  await scanSignShow(page, bridge, 'bbqr');
});
