// QR send at the two window sizes the operator screens are built for (issue 19, item 14): the normal view's code
// and all its controls inside a 1280x800 and a 1024x700 window at once, and the full-screen code view, opened and
// closed by keyboard, naming the request above the code, saying which frame and part it shows (checked against
// the part each frame's own header names, read off the canvas), with the code as large as the window allows, its
// 4-module quiet zone white and intact, and still decoding to BitGo's response. The request is BitGo's p2wsh
// fixture (test/fixtures/bitgo/cases/p2wsh.request.json, see PROVENANCE.md), imported from a temporary drive,
// approved and signed through the real handlers. Every view is a screenshot attached to the test's report.
import type { Locator, Page } from '@playwright/test';
import { encodeAnimated } from '../../shared/qr/encode';
import { decodeQrImage } from '../../shared/qr/image';
import { openApp } from './support/bridge';
import { grabCanvasFrame, readShownQr, type CanvasFrame } from './support/qr-e2e';
import { unlockWallet } from './support/steps';
import { WALLETS, caseBytes, expect, expectedResponse, importFiles, modelOf, openReview, passphraseOf, requestRow, screenshot, test } from './support/workflow';

const A = WALLETS.walletA!;
const USB = 'SIGNING USB';
const FILE = 'p2wsh.json';
const SIZES = [
  { width: 1280, height: 800 },
  { width: 1024, height: 700 },
] as const;

/** Every box inside the window (the code's own box, each control, the words about the code). */
async function expectInWindow(page: Page, what: Record<string, Locator>): Promise<void> {
  const { width, height } = page.viewportSize()!;
  const out: string[] = [];
  for (const [name, loc] of Object.entries(what)) {
    const b = await loc.boundingBox();
    if (!b) out.push(`${name}: not shown`);
    else if (b.x < -0.5 || b.y < -0.5 || b.x + b.width > width + 0.5 || b.y + b.height > height + 0.5) {
      out.push(`${name}: ${Math.round(b.x)},${Math.round(b.y)} ${Math.round(b.width)}x${Math.round(b.height)} in a ${width}x${height} window`);
    }
  }
  expect(out, 'outside the window').toEqual([]);
}

/**
 * The code's margins in pixels, from the pixels: white rows and columns before the first dark module on each side,
 * and the module size from the top-left finder pattern (its first row is 7 dark modules, ISO/IEC 18004 6.3.3).
 */
function quietZone(shot: CanvasFrame): { module: number; top: number; left: number; right: number; bottom: number } {
  const dark = (x: number, y: number) => shot.rgba[(y * shot.width + x) * 4]! < 128;
  let top = 0;
  while (top < shot.height && !Array.from({ length: shot.width }, (_, x) => dark(x, top)).some(Boolean)) top++;
  let left = 0;
  while (!dark(left, top)) left++;
  let run = 0;
  while (dark(left + run, top)) run++;
  let right = 0;
  while (right < shot.width && !Array.from({ length: shot.height }, (_, y) => dark(shot.width - 1 - right, y)).some(Boolean)) right++;
  let bottom = 0;
  while (bottom < shot.height && !Array.from({ length: shot.width }, (_, x) => dark(x, shot.height - 1 - bottom)).some(Boolean)) bottom++;
  return { module: run / 7, top, left, right, bottom };
}

test('QR send: the code and its controls fit 1280x800 and 1024x700; the full-screen view names the request, says the part, and decodes', async ({ page, drives }) => {
  drives.put(USB, FILE, caseBytes('p2wsh.request.json'));
  const model = modelOf(caseBytes('p2wsh.request.json'), FILE);
  const response = new TextEncoder().encode(expectedResponse('p2wsh'));
  // What main sends for these choices, computed here by the same encoder: BBQr parts at low density.
  const parts = encodeAnimated(response, { format: 'bbqr', kind: 'json', density: 'low' }).length;
  expect(parts, 'the response needs several low-density BBQr parts').toBeGreaterThan(1);

  await page.setViewportSize(SIZES[0]);
  await openApp(page);
  await importFiles(page, USB, [FILE]);
  await unlockWallet(page, A.walletId, passphraseOf(A.walletId));
  const review = await openReview(page, FILE);
  await review.getByRole('button', { name: `Approve ${FILE}`, exact: true }).click();
  await page.getByRole('button', { name: 'Sign approved requests (1)' }).click();
  await expect(requestRow(page, FILE)).toContainText('Signed, not exported yet');

  const show = page.getByRole('region', { name: 'Signed results as QR codes' });
  const opener = show.getByRole('button', { name: 'Show full screen' });
  await expect(opener, 'nothing chosen, nothing to show full screen').toBeDisabled();
  await show.getByLabel('Signed request').selectOption({ label: `${FILE} (wallet ${A.walletId}, fingerprint ${model.fingerprint.short})` });
  await show.getByRole('radio', { name: /^BBQr / }).check();
  await show.getByLabel('Density (characters per code)').selectOption('low');
  await show.getByLabel('Frames a second').selectOption('15');
  await expect(show.getByRole('status')).toContainText(`Animated BBQr: ${response.length.toLocaleString('en-US')} bytes in ${parts} parts`);

  const canvas = show.locator('.qr-show canvas');
  for (const size of SIZES) {
    const name = `${size.width}x${size.height}`;
    await page.setViewportSize(size);
    // The operator brings the section up (its heading at the top): then everything needed is in view together.
    await show.evaluate((s) => s.scrollIntoView({ block: 'start' }));
    await expectInWindow(page, {
      heading: show.getByRole('heading', { name: 'Signed results as QR codes' }),
      'request chooser': show.getByLabel('Signed request'),
      'UR choice': show.getByRole('radio', { name: /^UR / }),
      'BBQr choice': show.getByRole('radio', { name: /^BBQr / }),
      'signed file choice': show.getByRole('radio', { name: /^The signed file/ }),
      'PSBT choice': show.getByRole('radio', { name: /^Only the signed PSBT/ }),
      density: show.getByLabel('Density (characters per code)'),
      'frames a second': show.getByLabel('Frames a second'),
      pause: show.getByRole('button', { name: 'Pause animation' }),
      'full-screen button': opener,
      code: canvas,
      'words about the code': show.locator('.qr-show [role=status]'),
    });
    // The normal view's code is not squeezed to fit: 480 px (whole pixels a module, so a little less).
    const normal = (await canvas.boundingBox())!;
    expect(normal.width).toBeGreaterThan(420);
    await screenshot(page, `send-${name}`, 'window');

    // Open by keyboard: the close button takes the focus, the page behind is inert.
    await opener.focus();
    await page.keyboard.press('Enter');
    const full = page.getByRole('dialog', { name: `Signed result of “${FILE}”` });
    await expect(full).toBeVisible();
    const close = full.getByRole('button', { name: 'Close full screen (Esc)' });
    await expect(close).toBeFocused();
    await expect(full).toContainText(`Wallet ${A.walletId} · review fingerprint ${model.fingerprint.short}`);
    await expect(full.getByRole('status')).toContainText(`Animated BBQr (looping): ${parts} parts, ${response.length.toLocaleString('en-US')} bytes, 15 frames a second.`);
    await expect(full.getByRole('status')).toContainText(new RegExp(`Frame \\d+: part \\d+ of ${parts}`));

    // The part the words name is the part the frame's header holds (BBQr: 8-character header, the index from 0 in
    // its last two base-36 digits). In the smaller window every frame until the transfer is complete (it decodes to
    // BitGo's response); in the larger one, one frame (the machine is shared: the whole read takes seconds).
    const fullCanvas = full.locator('canvas');
    const statusSelector = 'dialog.qr-full .qr-full-frame';
    const check = (shot: CanvasFrame, text: string) => {
      const index = parseInt(text.slice(6, 8), 36);
      expect(shot.status, `frame ${shot.frame}'s words`).toBe(`Frame ${shot.frame}: part ${index + 1} of ${parts}`);
    };
    if (size === SIZES[1]) {
      const { bytes } = await readShownQr(page, fullCanvas, { statusSelector, check });
      expect(new TextDecoder().decode(bytes)).toBe(expectedResponse('p2wsh'));
    } else {
      await expect(fullCanvas).not.toHaveAttribute('data-frame', '0');
      const one = await grabCanvasFrame(fullCanvas, statusSelector);
      const text = decodeQrImage({ width: one.width, height: one.height, data: one.rgba });
      expect(text, 'the full-screen code decodes').toMatch(/^B\$[HZ2]J/);
      check(one, text!);
    }

    // As large as the window allows: the code's box is the window under the header, and the code's side is that
    // box's smaller side less under one module (whole pixels a module). The quiet zone is 4 modules or more, white.
    const box = (await full.locator('.qr-full-code').boundingBox())!;
    const code = (await fullCanvas.boundingBox())!;
    const header = (await full.locator('.qr-full-head').boundingBox())!;
    await expectInWindow(page, { heading: full.getByRole('heading'), status: full.getByRole('status'), close, code: fullCanvas });
    expect(box.y).toBeGreaterThanOrEqual(header.y + header.height);
    expect(box.y + box.height).toBeGreaterThan(size.height - 24);
    expect(box.width).toBeGreaterThan(size.width - 40);
    const shot = await grabCanvasFrame(fullCanvas);
    const modules = Number(await fullCanvas.getAttribute('data-modules')) + 8;
    expect(code.width).toBe(code.height);
    expect(code.width).toBeLessThanOrEqual(Math.min(box.width, box.height));
    expect(code.width).toBeGreaterThan(Math.min(box.width, box.height) - modules);
    expect(code.width, 'full screen is larger than the normal view').toBeGreaterThan(normal.width);
    const q = quietZone(shot);
    expect(q.module, 'whole pixels a module').toBe(Math.round(q.module));
    expect(shot.width).toBe(q.module * modules);
    for (const side of ['top', 'left', 'right', 'bottom'] as const) expect(q[side], `quiet zone, ${side}`).toBeGreaterThanOrEqual(4 * q.module);
    await screenshot(page, `send-full-${name}`, 'window');

    // Closed by keyboard (the button at one size, Escape at the other); the focus is back on the opener.
    await page.keyboard.press(size === SIZES[0] ? 'Enter' : 'Escape');
    await expect(full).toBeHidden();
    await expect(opener).toBeFocused();
  }
});
