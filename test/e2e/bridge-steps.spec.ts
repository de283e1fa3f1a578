// One step at a time (issue 19, item 10), by keyboard alone, at 1280x800 and 1024x700: the demo journey (key store,
// unlock, import, review each, sign, export, summary) through the real router, handlers and vault behind the
// Chromium bridge. After each action the app shows the next step: the step bar marks it (aria-current), its heading
// has the focus and sits at the top of the view just under the sticky header. Going back by the bar loses nothing
// (the review shown, the last import). A long review scrolls under the header, which stays in the window. Two BitGo
// fixture requests for wallet A (test/fixtures/bitgo/cases, see PROVENANCE.md) on a temporary drive; a screenshot
// of each step is saved with the test's results.
import type { Locator, Page } from '@playwright/test';
import { openApp } from './support/bridge';
import { headerWallet, stepLink, type StepName } from './support/steps';
import { mutateRequest } from '../support/review-helpers';
import { WALLETS, caseBytes, expect, importFiles, modelOf, passphraseOf, requestRow, screenshot, test, warningName } from './support/workflow';

const A = WALLETS.walletA!;
const USB = 'SIGNING USB';
const FILES = { 'p2wsh.json': 'p2wsh', 'p2sh.json': 'p2sh' } as const;
const SIZES = [
  { width: 1280, height: 800 },
  { width: 1024, height: 700 },
] as const;

/** Presses Tab (or Shift+Tab) until `target` has the focus; fails past `max` presses. */
async function tabTo(page: Page, target: Locator, max: number, key: 'Tab' | 'Shift+Tab' = 'Tab'): Promise<void> {
  for (let n = 1; n <= max; n++) {
    await page.keyboard.press(key);
    if (await target.evaluate((el) => el === document.activeElement)) return;
  }
  throw new Error(`${String(target)} not reached in ${max} presses of ${key}`);
}

const header = (page: Page) => page.locator('header.app-header');
/** The header's line saying what the current step needs to go on. */
const need = (page: Page) => page.getByLabel('What this step needs');

/**
 * The step is current: the bar says so (and no other step), its heading has the focus and lies at the top of the
 * view: below the header (not hidden under it) and within the first 40 % of the window.
 */
async function expectAtStep(page: Page, step: StepName, heading: Locator, shot: string): Promise<void> {
  await expect(stepLink(page, step)).toHaveAttribute('aria-current', 'step');
  await expect(page.getByRole('navigation', { name: 'Steps' }).locator('[aria-current]')).toHaveCount(1);
  await expect(heading).toBeFocused();
  const h = (await heading.boundingBox())!;
  const bar = (await header(page).boundingBox())!;
  const height = page.viewportSize()!.height;
  expect(h.y, `${step} heading below the header`).toBeGreaterThanOrEqual(bar.y + bar.height - 1);
  expect(h.y, `${step} heading at the top of the view`).toBeLessThan(height * 0.4);
  expect(bar.y, 'the header is in the window').toBeGreaterThanOrEqual(0);
  await screenshot(page, shot, 'window');
}

for (const size of SIZES) {
  test(`keyboard only at ${size.width}x${size.height}: each step's heading comes to the top with the focus, the bar follows, back by the bar loses nothing`, async ({ page, drives }) => {
    for (const [name, c] of Object.entries(FILES)) drives.put(USB, name, caseBytes(`${c}.request.json`));
    await page.setViewportSize(size);
    await openApp(page);
    const at = `${size.width}x${size.height}`;

    // The demo's key store is open from the start: the app starts at Unlock. The bar is the first thing Tab reaches.
    await expect(stepLink(page, 'Unlock')).toHaveAttribute('aria-current', 'step');
    await tabTo(page, stepLink(page, 'Key store'), 3);
    await page.keyboard.press('Enter');
    await expectAtStep(page, 'Key store', page.getByRole('heading', { name: 'Open another key store' }), `${at}-1-key-store`);

    // Opening the key store moves on to Unlock.
    await tabTo(page, page.getByRole('button', { name: 'Open the demo key store' }), 3);
    await page.keyboard.press('Enter');
    await expectAtStep(page, 'Unlock', page.getByRole('heading', { name: 'Key store: demo (demo)' }), `${at}-2-unlock`);
    await expect(need(page)).toHaveText('Unlock: 0 of 4 wallets unlocked. Unlock the wallet of each request to sign, then go on to Import.');

    // Unlocking moves on to Import; the header says the wallet is unlocked and counts down to its idle lock.
    const field = page.getByRole('listitem', { name: `Wallet ${A.walletId}` }).getByLabel('Passphrase', { exact: true });
    await tabTo(page, field, 6);
    await page.keyboard.type(passphraseOf(A.walletId));
    await page.keyboard.press('Enter');
    await expectAtStep(page, 'Import', page.getByRole('heading', { name: 'Request files on USB drives' }), `${at}-3-import`);
    await expect(headerWallet(page, A.walletId)).toContainText(/: unlocked, locks in \d+:\d\d/);
    await expect(headerWallet(page, A.walletId).getByRole('timer')).toBeVisible();

    // An import where every file came in clean moves on to Review, the first request open.
    await tabTo(page, page.getByRole('radio', { name: USB, exact: true }), 4);
    await page.keyboard.press('Space');
    const names = (Object.keys(FILES) as (keyof typeof FILES)[]).sort();
    for (const f of names) {
      const box = page.getByRole('checkbox', { name: new RegExp(`^${f.replace('.', '\\.')} \\(`) });
      await expect(box).toBeVisible();
    }
    for (const f of names) {
      await tabTo(page, page.getByRole('checkbox', { name: new RegExp(`^${f.replace('.', '\\.')} \\(`) }), 4);
      await page.keyboard.press('Space');
    }
    await tabTo(page, page.getByRole('button', { name: 'Import selected (2)' }), 4);
    await page.keyboard.press('Enter');

    // Review each: after a decision the next waiting request's review comes to the top; after the last, Sign.
    for (const [i, name] of names.entries()) {
      const review = page.getByRole('region', { name: `Review: ${name}`, exact: true });
      await expectAtStep(page, 'Review', review.getByRole('heading', { name: `Review: ${name}`, exact: true }), `${at}-4-review-${i + 1}`);
      await expect(need(page)).toHaveText(`Review: ${names.length - i} waiting for review, ${i} approved. Approve or reject each, then go on to Sign.`);
      const model = modelOf(caseBytes(`${FILES[name]}.request.json`), name);
      for (const w of model.warnings) {
        await tabTo(page, review.getByRole('checkbox', { name: warningName(w, model), exact: true }), 4);
        await page.keyboard.press('Space');
      }
      await tabTo(page, review.getByRole('button', { name: `Approve ${name}`, exact: true }), 8);
      await page.keyboard.press('Enter');
    }
    await expectAtStep(page, 'Sign', page.getByRole('heading', { name: 'Sign the approved requests' }), `${at}-5-sign`);
    await expect(need(page)).toHaveText('Sign: 2 approved, 0 waiting for review.');
    for (const name of names) await expect(requestRow(page, name)).toContainText('Approved, not signed yet');

    // Signing moves on to Export / show; the export to the summary.
    await tabTo(page, page.getByRole('button', { name: 'Sign approved requests (2)' }), 1);
    await page.keyboard.press('Enter');
    await expectAtStep(page, 'Export / show', page.getByRole('heading', { name: 'Export signed files, or show them as QR codes' }), `${at}-6-export`);
    for (const name of names) await expect(requestRow(page, name)).toContainText('Signed, not exported yet');
    await expect(need(page)).toHaveText('Export / show: 2 signed files to export, 0 signed results to show as QR codes.');
    await tabTo(page, page.getByRole('button', { name: 'Export signed files (2)' }), 1);
    await page.keyboard.press('Enter');
    const summaryHeading = page.getByRole('heading', { name: 'Session summary' });
    await expectAtStep(page, 'Summary', summaryHeading, `${at}-7-summary`);
    await expect(page.getByRole('region', { name: 'Session summary' })).toContainText('2 signed, 0 rejected, 0 failed, 0 not finished');
    await expect(need(page)).toContainText('Summary: 2 signed, 0 rejected, 0 failed, 0 not finished');

    // Back by the bar (Shift+Tab to it, Enter): the last review is still there, and so is the last import.
    await tabTo(page, stepLink(page, 'Review'), 12, 'Shift+Tab');
    await page.keyboard.press('Enter');
    const last = names[names.length - 1]!;
    await expectAtStep(page, 'Review', page.getByRole('heading', { name: `Review: ${last}`, exact: true }), `${at}-8-back-to-review`);
    await expect(page.getByRole('region', { name: 'Last import' })).toContainText(`${names[0]}: imported for wallet ${A.walletId}`);
    await tabTo(page, stepLink(page, 'Import'), 12, 'Shift+Tab');
    await page.keyboard.press('Enter');
    await expectAtStep(page, 'Import', page.getByRole('heading', { name: 'Request files on USB drives' }), `${at}-9-back-to-import`);
    await expect(page.getByRole('region', { name: 'Last import' })).toContainText(`${last}: imported for wallet ${A.walletId}`);
    await expect(page.getByRole('radio', { name: USB, exact: true })).toBeChecked();
    // The rooms off the journey are in the bar too; the current room is marked as the page.
    await tabTo(page, stepLink(page, 'Settings'), 12, 'Shift+Tab');
    await page.keyboard.press('Enter');
    await expect(stepLink(page, 'Settings')).toHaveAttribute('aria-current', 'page');
    await expect(page.getByRole('heading', { name: 'Settings' })).toBeFocused();
    await expect(page.getByLabel('Lock unused wallets after')).toBeVisible();
  });
}

test('a long review scrolls under the header, which stays in the window with the wallet countdown', async ({ page, drives }) => {
  // The 50-recipient payout of bridge-review-screen.spec.ts: p2wsh's payment split into 50 outputs.
  const payout = mutateRequest('p2wsh', (d) => {
    const first = d.tx.outputs[0]!;
    const share = first.value / 50n;
    const outs = Array.from({ length: 50 }, (_, k) => ({ value: k === 0 ? first.value - share * 49n : share, script: Uint8Array.of(0x00, 0x14, ...new Uint8Array(20).fill(1 + (k % 25))) }));
    d.tx.outputs = [...outs, ...d.tx.outputs.slice(1)];
    d.outputs = [...outs.map(() => []), ...d.outputs.slice(1)];
  });
  drives.put(USB, 'payout.json', payout);
  await openApp(page);
  for (const size of SIZES) {
    await page.setViewportSize(size);
    if (size === SIZES[0]) {
      const field = page.getByRole('listitem', { name: `Wallet ${A.walletId}` }).getByLabel('Passphrase', { exact: true });
      await field.fill(passphraseOf(A.walletId));
      await field.press('Enter');
      await importFiles(page, USB, ['payout.json']);
    }
    const review = page.getByRole('region', { name: 'Review: payout.json', exact: true });
    await expect(stepLink(page, 'Review')).toHaveAttribute('aria-current', 'step');
    // Scrolled to the review's last outputs, far down the page: the header is still at the top of the window.
    await review.getByRole('row', { name: 'Output 49', exact: true }).scrollIntoViewIfNeeded();
    expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(size.height);
    const bar = (await header(page).boundingBox())!;
    expect(bar.y).toBe(0);
    expect(bar.y + bar.height).toBeLessThan(size.height * 0.35);
    await expect(stepLink(page, 'Review')).toBeInViewport();
    await expect(headerWallet(page, A.walletId).getByRole('timer')).toBeInViewport();
    // The output rows scroll under the header, not over it: the header is drawn on top.
    const onTop = await page.evaluate(() => {
      const h = document.querySelector('header.app-header')!.getBoundingClientRect();
      const el = document.elementFromPoint(h.left + h.width / 2, h.top + 4);
      return el !== null && el.closest('header.app-header') !== null;
    });
    expect(onTop).toBe(true);
    await screenshot(page, `long-review-scrolled-${size.width}x${size.height}`, 'window');
  }
});
