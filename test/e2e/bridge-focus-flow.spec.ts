// Focus follows the work (issue 19, item 11), by keyboard alone: after unlock the focus is on the import step,
// after a decision on the next request's review, after the last decision on Sign, after signing on Export. Each
// step counts the Tab presses it needs from where the app left the focus, and the counts stay small. Two BitGo
// fixture requests for one wallet (test/fixtures/bitgo/cases, see PROVENANCE.md) on a temporary drive.
import type { Locator, Page } from '@playwright/test';
import { openApp } from './support/bridge';
import { expectStep, goToStep, headerWallet, walletCard } from './support/steps';
import { WALLETS, caseBytes, expect, importFiles, modelOf, openReview, passphraseOf, requestRow, screenshot, test, warningName } from './support/workflow';

const A = WALLETS.walletA!;
const USB = 'SIGNING USB';
const FILES = { 'p2wsh.json': 'p2wsh', 'p2sh.json': 'p2sh' } as const;

/** Presses Tab until `target` has the focus; returns how many presses it took (fails past `max`). */
async function tabTo(page: Page, target: Locator, max: number): Promise<number> {
  for (let n = 1; n <= max; n++) {
    await page.keyboard.press('Tab');
    if (await target.evaluate((el) => el === document.activeElement)) return n;
  }
  throw new Error(`${String(target)} not reached in ${max} Tab presses`);
}

test('keyboard only: unlock -> import step, decision -> next review, last decision -> Sign, signing -> Export', async ({ page, drives }) => {
  for (const [name, c] of Object.entries(FILES)) drives.put(USB, name, caseBytes(`${c}.request.json`));
  await page.setViewportSize({ width: 1280, height: 800 });
  await openApp(page);

  // Unlock: the passphrase typed and Enter; the focus goes to the import step's heading, not "Lock this wallet".
  const field = walletCard(page, A.walletId).getByLabel('Passphrase', { exact: true });
  await field.focus();
  await page.keyboard.type(passphraseOf(A.walletId));
  await page.keyboard.press('Enter');
  await expect(headerWallet(page, A.walletId)).toContainText(': unlocked');
  await expect(page.getByRole('heading', { name: 'Request files on USB drives' })).toBeFocused();
  await screenshot(page, 'unlocked-focus-on-import', 'window');

  // Import: from there, a few Tabs reach the drive, its files and the Import button.
  expect(await tabTo(page, page.getByRole('radio', { name: USB, exact: true }), 4)).toBeLessThanOrEqual(4);
  await page.keyboard.press('Space');
  // The drive's files are listed by main after the choice: wait for them before tabbing on (never a fixed time).
  for (const f of Object.keys(FILES)) await expect(page.getByRole('checkbox', { name: new RegExp(`^${f.replace('.', '\\.')} \\(`) })).toBeVisible();
  for (const f of Object.keys(FILES).sort()) {
    await tabTo(page, page.getByRole('checkbox', { name: new RegExp(`^${f.replace('.', '\\.')} \\(`) }), 4);
    await page.keyboard.press('Space');
  }
  await tabTo(page, page.getByRole('button', { name: 'Import selected (2)' }), 4);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('region', { name: 'Last import' })).toBeVisible();

  // The first review, opened from its button; its heading takes the focus.
  const first = Object.keys(FILES)[0]!;
  await page.getByRole('button', { name: `Review ${first}`, exact: true }).focus();
  await page.keyboard.press('Enter');
  for (const [i, name] of Object.keys(FILES).entries()) {
    const review = page.getByRole('region', { name: `Review: ${name}`, exact: true });
    await expect(review.getByRole('heading', { name: `Review: ${name}`, exact: true })).toBeFocused();
    await screenshot(page, `review-${i + 1}-focused`, 'window');
    const model = modelOf(caseBytes(`${FILES[name as keyof typeof FILES]}.request.json`), name);
    for (const w of model.warnings) {
      await tabTo(page, review.getByRole('checkbox', { name: warningName(w, model), exact: true }), 3);
      await page.keyboard.press('Space');
    }
    expect(await tabTo(page, review.getByRole('button', { name: `Approve ${name}`, exact: true }), 6)).toBeLessThanOrEqual(6);
    await page.keyboard.press('Enter');
    await expect(requestRow(page, name)).toContainText('Approved, not signed yet');
  }

  // No request left to review: the focus is on the Sign step, its button the next Tab; Enter signs; the focus is
  // then on the Export step, its button the next Tab.
  const sign = page.getByRole('button', { name: 'Sign approved requests (2)' });
  await expect(page.getByRole('heading', { name: 'Sign the approved requests' })).toBeFocused();
  expect(await tabTo(page, sign, 1)).toBe(1);
  await page.keyboard.press('Enter');
  for (const name of Object.keys(FILES)) await expect(requestRow(page, name)).toContainText('Signed, not exported yet');
  const exportButton = page.getByRole('button', { name: 'Export signed files (2)' });
  await expect(page.getByRole('heading', { name: 'Export signed files, or show them as QR codes' })).toBeFocused();
  expect(await tabTo(page, exportButton, 1)).toBe(1);
  await screenshot(page, 'signed-focus-on-export', 'window');
  await page.keyboard.press('Enter');
  // Everything exported: the app moves on to the summary; the list of requests is back under Export / show.
  await expectStep(page, 'Summary');
  await goToStep(page, 'Export / show');
  for (const name of Object.keys(FILES)) await expect(requestRow(page, name)).toContainText(`written as ${name.replace('.json', '.signed.json')}`);
});

test('a review opened again on the Review step: a slow answer does not take the focus back after the operator tabbed on', async ({ page, bridge, drives }) => {
  for (const [name, c] of Object.entries(FILES)) drives.put(USB, name, caseBytes(`${c}.request.json`));
  await openApp(page);
  await importFiles(page, USB, Object.keys(FILES));
  await openReview(page, 'p2wsh.json');
  // The list's answer held back, as on a busy machine, while the operator opens the review again and tabs on.
  let release: () => void = () => undefined;
  const held = new Promise<void>((r) => (release = r));
  let holding = false;
  bridge.holdCall = (channel) => (channel === 'signer:requests:list' && !holding ? ((holding = true), held) : undefined);
  await page.getByRole('button', { name: 'Review p2wsh.json', exact: true }).click();
  const heading = page.getByRole('region', { name: 'Review: p2wsh.json', exact: true }).getByRole('heading', { name: 'Review: p2wsh.json', exact: true });
  await expect(heading).toBeFocused();
  await expect.poll(() => holding).toBe(true);
  await page.keyboard.press('Tab');
  await expect(heading).not.toBeFocused();
  const tabbed = await page.evaluate(() => document.activeElement?.outerHTML ?? '');
  const answered = bridge.responses.length;
  bridge.holdCall = undefined;
  release();
  // The held answer and the ones after it (summary, review) arrive and are drawn; the focus stays where it was put.
  await expect.poll(() => bridge.responses.length).toBeGreaterThanOrEqual(answered + 3);
  await expect(page.getByRole('region', { name: 'Review: p2wsh.json', exact: true })).toBeVisible();
  expect(await page.evaluate(() => document.activeElement?.outerHTML ?? '')).toBe(tabbed);
});
