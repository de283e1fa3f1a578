// Shared pieces of the QR bridge specs (bridge-qr-*.spec.ts): the QR transport end to end in Chromium with the
// fake camera. Chromium is launched with
// --use-fake-device-for-media-stream --use-fake-ui-for-media-stream --use-file-for-fake-video-capture=<y4m>, the
// video made at test time from a BitGo fixture request (test/fixtures/bitgo/cases/p2wsh.request.json) by the
// project's own encoders (test/e2e/support/qr-video.ts, written as Y4M in JavaScript). The page's real scanner
// reads it: camera -> worker decoder -> main's assembler -> the file import's code. The send side is read back off
// the canvas and decoded in the test with the project's decoder and assembler.
//
// The video is a launch argument, so each video gets its own browser: `qrVideo` is a worker option that each spec
// file sets at its top (Playwright allows a worker option only there: one video per file), and the worker-scoped
// launchOptions fixture writes the video before the browser starts (the e2e project's switches,
// CHROMIUM_SWITCHES from electron/security.ts, are kept and the camera switches appended).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { encodeAnimated } from '../../../shared/qr/encode';
import { QrAssembler } from '../../../shared/qr/assembler';
import { decodeQrImage } from '../../../shared/qr/image';
import { fixtureRequestJson, wrongNetworkRequestJson } from '../../support/qr-payloads';
import { writeQrVideo } from './qr-video';
import { waitForScanStatus } from './scan-wait';
import { openApp, type Bridge } from './bridge';
import { expectStep, goToStep, unlockWallet } from './steps';
import { expect, expectedResponse, expectReviewFits, expectReviewShows, importFiles, modelOf, openReview, passphraseOf, requestRow, screenshot, test as base, WALLETS } from './workflow';

export type VideoName = 'ur' | 'bbqr' | 'blank' | 'wrong-network' | 'bare-psbt';

export const request = fixtureRequestJson();
const VIDEOS: Record<VideoName, () => string[]> = {
  // Medium density (the send screen's default): ~20 UR fragments plus as many fountain mixes; 8 BBQr Z parts.
  ur: () => encodeAnimated(request, { format: 'ur', kind: 'json', density: 'medium' }),
  bbqr: () => encodeAnimated(request, { format: 'bbqr', kind: 'json', density: 'medium' }),
  blank: () => [],
  'wrong-network': () => encodeAnimated(wrongNetworkRequestJson(), { format: 'bbqr', kind: 'json', density: 'medium' }),
  // The same request's PSBT alone (what Sparrow or a Coldcard would show): no wallet id, no network.
  'bare-psbt': () => encodeAnimated(barePsbt(), { format: 'bbqr', kind: 'psbt', density: 'medium' }),
};

/** The p2wsh fixture request's PSBT, without the request around it. */
export function barePsbt(): Uint8Array {
  return Buffer.from((JSON.parse(Buffer.from(request).toString('utf8')) as { txPrebuild: { txHex: string } }).txPrebuild.txHex, 'hex');
}

export const test = base.extend<object, { qrVideo: VideoName }>({
  qrVideo: ['blank', { scope: 'worker', option: true }],
  launchOptions: [
    async ({ launchOptions, qrVideo }, use, workerInfo) => {
      const dir = join(workerInfo.project.outputDir, 'qr-videos');
      mkdirSync(dir, { recursive: true });
      const video = writeQrVideo(dir, `${qrVideo}-${workerInfo.workerIndex}`, VIDEOS[qrVideo]());
      await use({ ...launchOptions, args: [...(launchOptions.args ?? []), '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${video}`] });
    },
    { scope: 'worker' },
  ],
});

export const A = WALLETS.walletA!;
/** The scan's section, found whatever the step (waitForScanStatus reads it after the app has moved on). */
export const scanRegion = (page: Page) => page.locator('section[aria-labelledby="qr-scan-title"]');

/** From the Import step, starts the camera by keyboard, and waits for the camera to be on. */
export async function scan(page: Page): Promise<void> {
  await goToStep(page, 'Import');
  await expect(page.getByRole('region', { name: 'Request from QR codes (camera)' })).toBeVisible();
  const region = scanRegion(page);
  await region.getByRole('button', { name: 'Scan QR code' }).focus();
  await page.keyboard.press('Enter');
  await expect(region.getByRole('button', { name: 'Stop camera' })).toBeVisible();
}

/** A scan that imported a clean request moves the app on to Review; back to Import, where the scan's words are. */
export async function backToScan(page: Page): Promise<void> {
  await expectStep(page, 'Review');
  await goToStep(page, 'Import');
}

/** The camera's tracks all ended (the screen stopped them), read from the preview element itself. */
export async function expectCameraOff(page: Page): Promise<void> {
  await expect(scanRegion(page).getByRole('button', { name: 'Scan QR code' })).toBeVisible();
  expect(await page.locator('video[aria-label="Camera preview"]').evaluate((v: HTMLVideoElement) => v.srcObject === null)).toBe(true);
}

export interface CanvasFrame {
  /** The canvas's data-frame: the frame number the page says it drew. */
  frame: string;
  width: number;
  height: number;
  rgba: Uint8Array;
  /** The text of the element `statusSelector` names (empty without one). */
  status: string;
}

/**
 * One evaluate reads a QR canvas's frame number, its pixels and (optionally) a status element's text together:
 * the page cannot draw in between. The codes are black on white, so the red channel alone crosses the bridge.
 */
export async function grabCanvasFrame(canvas: Locator, statusSelector?: string): Promise<CanvasFrame> {
  const shot = await canvas.evaluate((c: HTMLCanvasElement, sel) => {
    const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let red = '';
    for (let i = 0; i < data.length; i += 4) red += String.fromCharCode(data[i]!);
    return { frame: c.dataset.frame ?? '', width: c.width, height: c.height, red: btoa(red), status: sel ? (document.querySelector(sel)?.textContent ?? '') : '' };
  }, statusSelector);
  const red = Buffer.from(shot.red, 'base64');
  const rgba = new Uint8Array(red.length * 4);
  for (let i = 0; i < red.length; i++) {
    rgba.fill(red[i]!, i * 4, i * 4 + 3);
    rgba[i * 4 + 3] = 255;
  }
  return { frame: shot.frame, width: shot.width, height: shot.height, rgba, status: shot.status };
}

/**
 * Reads a send-screen canvas (the normal view's unless another is given) frame by frame and feeds the decoded
 * texts to the project's assembler. `onFrame` sees each frame with its decoded text (e.g. to check what the
 * page said about it).
 */
export async function readShownQr(
  page: Page,
  canvas: Locator = page.locator('.qr-show canvas'),
  onFrame?: { statusSelector: string; check: (shot: CanvasFrame, text: string) => void },
): Promise<{ bytes: Uint8Array; frames: number }> {
  const assembler = new QrAssembler();
  let last = '';
  for (let frames = 0; frames < 200; frames++) {
    await expect(canvas).not.toHaveAttribute('data-frame', last === '' ? '0' : last);
    const shot = await grabCanvasFrame(canvas, onFrame?.statusSelector);
    last = shot.frame;
    const text = decodeQrImage({ width: shot.width, height: shot.height, data: shot.rgba });
    expect(text, `canvas frame ${shot.frame} holds a readable QR code`).toBeDefined();
    onFrame?.check(shot, text!);
    const r = assembler.push(text!);
    if (r.status === 'done') return { bytes: r.payload.bytes, frames: frames + 1 };
  }
  throw new Error('the shown QR codes did not complete a transfer in 200 frames');
}

export async function approveAndSign(page: Page, file: string): Promise<void> {
  await unlockWallet(page, A.walletId, passphraseOf(A.walletId));
  const review = await openReview(page, file);
  await review.getByRole('button', { name: `Approve ${file}` }).click();
  await expect(requestRow(page, file)).toContainText('Approved, not signed yet');
  await page.getByRole('button', { name: 'Sign approved requests (1)' }).click();
  // No drive to write to: never "not exported"; the export button does not count it.
  await expect(requestRow(page, file)).toContainText('Signed, not shown as QR code yet');
  await expect(page.getByRole('button', { name: 'Export signed files (0)' })).toBeDisabled();
}

/**
 * The whole round trip by camera for one animated format: scan -> imported (same fingerprint and review as the
 * file, computed in Node by the core) -> approve -> sign -> shown back in the same format -> read off the canvas
 * -> exactly BitGo's response.
 */
export async function scanSignShow(page: Page, bridge: Bridge, format: 'ur' | 'bbqr'): Promise<void> {
  const words = format === 'ur' ? 'UR' : 'BBQr';
  await openApp(page);
  await scan(page);
  const { seen } = await waitForScanStatus(scanRegion(page), `Imported as “QR code 1” for wallet ${A.walletId}. The camera is off.`);
  // An animated UR needs many frames: the screen counted them on the way.
  if (format === 'ur') expect(seen.some((t) => /Parts received: \d+ of \d+ \(animated UR\)/.test(t))).toBe(true);
  await backToScan(page);
  await expectCameraOff(page);
  await expect(page.getByRole('region', { name: 'Last import' })).toContainText(`QR code 1: imported for wallet ${A.walletId}`);
  await goToStep(page, 'Review');
  await expect(page.getByRole('region', { name: `Requests for wallet ${A.walletId}` })).toContainText(`on camera, animated ${words}`);

  const model = modelOf(request, 'p2wsh.json');
  await expect(requestRow(page, 'QR code 1')).toContainText(model.fingerprint.short);
  const review = await openReview(page, 'QR code 1');
  await expectReviewShows(review, model);
  await expect(review.getByText('Change (verified)', { exact: true })).toBeVisible();
  await screenshot(page, `${format}-scanned-review`);

  await approveAndSign(page, 'QR code 1');

  // Send: the same format as scanned, low density, the fastest rate; read back through the canvas.
  const show = page.getByRole('region', { name: 'Signed results as QR codes' });
  await show.getByLabel('Signed request').selectOption({ label: `QR code 1 (wallet ${A.walletId}, fingerprint ${model.fingerprint.short})` });
  await show.getByRole('radio', { name: new RegExp(`^${words} `) }).check();
  await show.getByLabel('Density (characters per code)').selectOption('low');
  await show.getByLabel('Frames a second').selectOption('15');
  await expect(show.getByRole('status')).toContainText(`Animated ${words}: ${expectedResponse('p2wsh').length.toLocaleString('en-US')} bytes`);
  await show.scrollIntoViewIfNeeded();
  await screenshot(page, `${format}-show`, 'window');
  await expectReviewFits(page, show); // a long request name in the chooser must not widen the page
  const { bytes } = await readShownQr(page);
  expect(new TextDecoder().decode(bytes)).toBe(expectedResponse('p2wsh'));
  // Shown: the list and the summary say it was delivered (issue 19 item 2).
  await expect(requestRow(page, 'QR code 1')).toContainText('Signed and shown as QR code');
  await goToStep(page, 'Summary');
  await expect(page.getByRole('region', { name: 'Session summary' })).toContainText('1 signed (1 shown as QR codes), 0 rejected, 0 failed, 0 not finished');

  // What crossed IPC: frame texts in, codes and views out; never the passphrase or a private key.
  expect(bridge.calls.some((c) => c.channel === 'signer:qr:scan-frame')).toBe(true);
  const qrResponses = bridge.responses.filter((r) => /"status":"(progress|complete|foreign|unreadable)"|"mode":"(static|animated)"/.test(r));
  expect(qrResponses.length).toBeGreaterThan(2);
  for (const r of bridge.responses) {
    expect(r).not.toMatch(/[xt]prv[1-9A-HJ-NP-Za-km-z]{20,}/);
    // The demo status publishes the demo passphrases on purpose (the welcome screen shows them); nothing else may.
    if (!r.includes('"passphrases":[')) expect(r).not.toContain(passphraseOf(A.walletId));
  }
}

export { expect, importFiles, modelOf, openApp, openReview, requestRow, wrongNetworkRequestJson };
