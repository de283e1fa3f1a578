// Batch signing with its progress bar and Cancel, and the idle auto-lock countdown, through the real session,
// vault and signer behind the Chromium bridge. Main emits signProgress events ("n of N") and yields between
// requests, so Cancel stops the batch after the request being signed; the ones not reached stay approved.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openApp } from './support/bridge';
import { backToExport, goToStep, unlockWallet, walletCard } from './support/steps';
import {
  WALLETS, caseBytes, expect, expectedResponse, importFiles, modelOf, openReview, passphraseOf, requestRow, screenshot, test, warningName,
} from './support/workflow';

const A = WALLETS.walletA!;
const USB = 'SIGNING USB';

test('batch signing: "n of N" progress, Cancel stops within the current request, the rest stay approved and sign later', async ({ page, drives }) => {
  // Two 500-input requests first (the second is the same request with a trailing newline, so another file): each
  // takes a few hundred ms to sign (review gate + 500 signatures), time enough for the operator's Cancel to land.
  const files = { 'big.json': 'large-p2wsh-500', 'big-again.json': 'large-p2wsh-500', 'p2wsh.json': 'p2wsh', 'hundred.json': 'large-p2wsh-100' } as const;
  for (const [name, c] of Object.entries(files)) drives.put(USB, name, Buffer.concat([caseBytes(`${c}.request.json`), Buffer.from(name === 'big-again.json' ? '\n' : '')]));
  const N = Object.keys(files).length;
  await openApp(page);
  await unlockWallet(page, A.walletId, passphraseOf(A.walletId));
  await importFiles(page, USB, Object.keys(files));
  for (const [name, c] of Object.entries(files)) {
    const review = await openReview(page, name);
    const model = modelOf(caseBytes(`${c}.request.json`), name);
    for (const w of model.warnings) await review.getByRole('checkbox', { name: warningName(w, model), exact: true }).check();
    await review.getByRole('button', { name: `Approve ${name}`, exact: true }).click();
    await expect(requestRow(page, name)).toContainText('Approved, not signed yet');
  }

  // In the bridge, "main" (the session signing) and the Playwright driver share this Node thread: while a request is
  // being signed, no Playwright action can run, so a locator click would only land after the batch. The page itself
  // therefore records every text the progress line shows and presses Cancel the moment it appears, as a quick
  // operator would; that click travels to main as a real IPC call and waits there like one (real Electron queues it).
  await page.evaluate(() => {
    const w = window as unknown as { __progressSeen: string[]; __cancelPressed: boolean };
    w.__progressSeen = [];
    w.__cancelPressed = false;
    new MutationObserver(() => {
      const t = document.querySelector('.sign-progress [role="status"]')?.textContent ?? '';
      if (t !== '' && w.__progressSeen[w.__progressSeen.length - 1] !== t) w.__progressSeen.push(t);
      const cancel = [...document.querySelectorAll('.sign-progress button')].find((b) => b.textContent === 'Cancel signing');
      if (cancel instanceof HTMLButtonElement && !w.__cancelPressed) {
        w.__cancelPressed = true;
        cancel.click();
      }
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  await page.getByRole('button', { name: `Sign approved requests (${N})` }).click();
  const progress = page.getByRole('group', { name: 'Signing progress' });
  // Cancel stops within the request in hand (its signatures are made in worker threads, chunk by chunk): that one
  // and the ones not reached stay approved; those signed before it are signed.
  await expect(progress.getByRole('status')).toHaveText(/^Signing canceled: [0-3] of 4 signed\. The [1-4] others are still approved\.$/);
  const done = Number(/canceled: (\d)/.exec((await progress.getByRole('status').textContent()) ?? '')![1]);
  const seen = await page.evaluate(() => (window as unknown as { __progressSeen: string[] }).__progressSeen);
  // "1 of 4" first, then each request in turn (the last one announced may be the one Cancel kept from starting).
  const steps = Object.keys(files).map((f, i) => `Signing ${i + 1} of ${N}: ${f}`);
  expect(seen.slice(0, -1)).toEqual(steps.slice(0, seen.length - 1));
  expect(seen.length - 1).toBeGreaterThanOrEqual(done);
  expect(seen[seen.length - 1]).toMatch(/^Signing canceled/);
  await expect(progress.getByRole('button', { name: /Cancel/ })).toHaveCount(0);
  await expect(progress.locator('progress')).toHaveAttribute('value', String(done));
  await screenshot(page, 'signing-canceled');
  const names = Object.keys(files);
  for (const [i, name] of names.entries()) await expect(requestRow(page, name)).toContainText(i < done ? 'Signed, not exported yet' : 'Approved, not signed yet');
  await expect(page.getByLabel('Signing results', { exact: true })).toContainText(`${names[N - 1]}: not signed because signing was canceled; it is still approved`);

  // Sign again: exactly the ones not reached, to the end, "n of N" on the way.
  await page.getByRole('button', { name: `Sign approved requests (${N - done})` }).click();
  await expect(progress.getByRole('status')).toHaveText(`${N - done} of ${N - done} signed.`);
  await expect(progress.locator('progress')).toHaveAttribute('max', String(N - done));
  await page.getByRole('button', { name: `Export signed files (${N})` }).click();
  await backToExport(page);
  for (const [name, c] of Object.entries(files)) {
    await expect(requestRow(page, name)).toContainText(`written as ${name.replace('.json', '.signed.json')}`);
    expect(readFileSync(join(drives.drive(USB), name.replace('.json', '.signed.json')), 'utf8'), name).toBe(expectedResponse(c));
  }
});

test.describe('short idle lock', () => {
  test.use({ idleMs: 6000 });

  test('an unlocked wallet shows "Locks in m:ss", counting down each second, then locks', async ({ page, bridge }) => {
    await openApp(page);
    await unlockWallet(page, A.walletId, passphraseOf(A.walletId));
    await goToStep(page, 'Unlock');
    const card = walletCard(page, A.walletId);
    const timer = card.getByRole('timer');
    await expect(timer).toHaveText(/^Locks in 0:0[3-6] if unused \(at \d{1,2}:\d{2}.*\)$/);
    await screenshot(page, 'countdown');
    const first = Number(/0:0(\d)/.exec((await timer.textContent()) ?? '')![1]);
    // It moves on its own (no reload): a lower second within the next seconds, then main locks the wallet.
    await expect(timer).toHaveText(new RegExp(`^Locks in 0:0[0-${first - 1}] if unused`));
    await expect(card.getByText('Locked', { exact: true })).toBeVisible({ timeout: 10_000 });
    await expect(card.getByRole('timer')).toHaveCount(0);
    expect(bridge.vault.isUnlocked(A.walletId)).toBe(false);
  });
});
