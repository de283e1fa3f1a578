// The operator's USB workflow end to end (the happy path), through the real router, handlers, vault, review
// and signer behind the Chromium test bridge. A temporary folder stands in for a USB drive holding three BitGo
// fixture requests for two wallets (test/fixtures/bitgo/cases, see PROVENANCE.md). Demo key store -> import three
// -> unlock both wallets -> review each (what is shown equals the review model built in Node by the same core)
// -> approve two, reject one -> sign -> export: the written files equal BitGo's own responses byte for byte, and
// the session summary (screen and exported file) says what happened to each, with file names and fingerprints.
// Every step is a screenshot in the test's artefacts; the review screen is checked at 1280x800 and 1024x700.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { btcAndSats } from '../../shared/summary';
import { openApp } from './support/bridge';
import { backToExport, goToStep, unlockWallet } from './support/steps';
import {
  WALLETS, caseBytes, expect, expectReviewFits, expectReviewShows, expectedResponse, importFiles, modelOf, openReview, passphraseOf,
  requestRow, screenshot, snapshot, test, warningName,
} from './support/workflow';

const A = WALLETS.walletA!;
const C = WALLETS.walletC!;
const USB = 'SIGNING USB';
/** file on the drive -> fixture case */
const FILES = { 'p2wsh.json': 'p2wsh', 'p2sh.json': 'p2sh', 'payroll/unicode.json': 'p2wsh-unicode-passphrase' } as const;

test('three requests for two wallets: review, approve two, reject one, sign, export; files are BitGo\'s responses', async ({ page, bridge, drives }) => {
  for (const [name, c] of Object.entries(FILES)) drives.put(USB, name, caseBytes(`${c}.request.json`));
  const drive = drives.drive(USB);
  const inputs = snapshot(drive);
  const models = Object.fromEntries(Object.entries(FILES).map(([name, c]) => [name, modelOf(caseBytes(`${c}.request.json`), name)]));

  await page.setViewportSize({ width: 1280, height: 800 });
  await openApp(page);
  await expect(page.getByRole('heading', { name: 'Key store: demo (demo)' })).toBeVisible();
  await screenshot(page, 'key-store');

  await importFiles(page, USB, Object.keys(FILES));
  const last = page.getByRole('region', { name: 'Last import' });
  await expect(last).toContainText(`p2wsh.json: imported for wallet ${A.walletId}`);
  await expect(last).toContainText(`p2sh.json: imported for wallet ${A.walletId}`);
  await expect(last).toContainText(`payroll/unicode.json: imported for wallet ${C.walletId}`);
  // Grouped by wallet: two requests under A, one under C, each with the fingerprint of its review.
  const groupA = page.getByRole('region', { name: `Requests for wallet ${A.walletId}` });
  const groupC = page.getByRole('region', { name: `Requests for wallet ${C.walletId}` });
  await expect(groupA.locator('tbody tr')).toHaveCount(2);
  await expect(groupC.locator('tbody tr')).toHaveCount(1);
  for (const [name, m] of Object.entries(models)) {
    await expect(requestRow(page, name)).toContainText('Waiting for review');
    await expect(requestRow(page, name)).toContainText(m.fingerprint.short);
  }
  await screenshot(page, 'imported');

  await unlockWallet(page, A.walletId, passphraseOf(A.walletId));
  await unlockWallet(page, C.walletId, passphraseOf(C.walletId));
  await screenshot(page, 'unlocked');

  // Review each: outputs (grouped address, amount, badge), fee and fingerprint exactly as the core computes them.
  for (const [name, m] of Object.entries(models)) {
    const review = await openReview(page, name);
    await expect(review).toContainText(`Wallet ${m.walletId}`);
    await expectReviewShows(review, m);
    expect(m.outputs.map((o) => o.kind).sort(), `${name} has a recipient and verified change`).toEqual(['change', 'external']);
    await expect(review.getByText('FAILED verification')).toHaveCount(0);
    await expect(review.getByRole('alert', { name: 'Signing refused' })).toHaveCount(0);
    await screenshot(page, `review-${name.replace(/\W/g, '-')}`);
  }

  // The review screen at the two window sizes the issue names: key text present and nothing sticks out.
  const model = models['p2wsh.json']!;
  await openReview(page, 'p2wsh.json');
  for (const size of [{ width: 1280, height: 800 }, { width: 1024, height: 700 }]) {
    await page.setViewportSize(size);
    const review = page.getByRole('region', { name: 'Review: p2wsh.json', exact: true });
    await expectReviewShows(review, model);
    await expect(review.getByText('Change (verified)', { exact: true })).toBeVisible();
    await expect(review.getByText('Recipient', { exact: true })).toBeVisible();
    await expectReviewFits(page, review);
    await review.getByRole('table', { name: 'Outputs: where the money goes' }).scrollIntoViewIfNeeded();
    await screenshot(page, `review-${size.width}x${size.height}`, 'window');
  }
  await page.setViewportSize({ width: 1280, height: 800 });

  // Approve two by keyboard alone (the review has the focus; Tab reaches Approve, Enter presses it), reject one.
  // A warning (unicode.json's fee is above 5% of what leaves the wallet) is ticked with Space before Approve enables.
  for (const name of ['p2wsh.json', 'payroll/unicode.json']) {
    const review = await openReview(page, name);
    const approve = review.getByRole('button', { name: `Approve ${name}`, exact: true });
    for (const w of models[name]!.warnings) {
      await expect(approve).toBeDisabled();
      await page.keyboard.press('Tab');
      const tick = review.getByRole('checkbox', { name: warningName(w, models[name]!), exact: true });
      await expect(tick).toBeFocused();
      await page.keyboard.press('Space');
      await expect(tick).toBeChecked();
    }
    await page.keyboard.press('Tab');
    await expect(approve).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(requestRow(page, name)).toContainText('Approved, not signed yet');
  }
  const p2sh = await openReview(page, 'p2sh.json');
  await p2sh.getByLabel('Reason for rejecting (optional)').fill('not on the payment list');
  await p2sh.getByRole('button', { name: 'Reject p2sh.json', exact: true }).click();
  await expect(requestRow(page, 'p2sh.json')).toContainText('Rejected');
  await expect(requestRow(page, 'p2sh.json')).toContainText('Reason: not on the payment list');
  await screenshot(page, 'decided');

  await page.getByRole('button', { name: 'Sign approved requests (2)' }).click();
  const progress = page.getByRole('group', { name: 'Signing progress' });
  await expect(progress.getByRole('status')).toHaveText('2 of 2 signed.');
  await expect(progress.locator('progress')).toHaveAttribute('value', '2');
  await expect(requestRow(page, 'p2wsh.json')).toContainText('Signed, not exported yet');
  await expect(requestRow(page, 'payroll/unicode.json')).toContainText('Signed, not exported yet');
  await screenshot(page, 'signed');

  await page.getByRole('button', { name: 'Export signed files (2)' }).click();
  await backToExport(page);
  await expect(requestRow(page, 'p2wsh.json')).toContainText('written as p2wsh.signed.json');
  await expect(requestRow(page, 'payroll/unicode.json')).toContainText('written as payroll/unicode.signed.json');
  await expect(requestRow(page, 'p2sh.json')).toContainText('Rejected');
  await screenshot(page, 'exported');

  // Byte for byte BitGo's responses; the requests untouched; nothing written for the rejected one.
  expect(readFileSync(join(drive, 'p2wsh.signed.json'), 'utf8')).toBe(expectedResponse('p2wsh'));
  expect(readFileSync(join(drive, 'payroll/unicode.signed.json'), 'utf8')).toBe(expectedResponse('p2wsh-unicode-passphrase'));
  const after = snapshot(drive);
  for (const [name, hash] of Object.entries(inputs)) expect(after[name], name).toBe(hash);
  expect(Object.keys(after).sort()).toEqual([...Object.keys(inputs), 'p2wsh.signed.json', 'payroll/unicode.signed.json'].sort());

  // The session summary on screen: outcome, file, output and fingerprint of each request.
  await goToStep(page, 'Summary');
  const summary = page.getByRole('region', { name: 'Session summary' });
  await expect(summary).toContainText('2 signed, 1 rejected, 0 failed, 0 not finished');
  const summaryRow = (file: string) => summary.locator('tbody tr').filter({ has: page.locator('code', { hasText: new RegExp(`^${file.replace(/[./]/g, '\\$&')}$`) }) });
  // Each row: outcome, file (-> output), fingerprint, where the money goes (each non-change output, change, fee), details.
  const money = (name: keyof typeof models) => {
    const m = models[name]!;
    const sends = m.outputs.filter((o) => o.kind !== 'change').map((o) => `pays ${btcAndSats(o.amount)} to ${o.address}`);
    return [...sends, `change back to the wallet ${btcAndSats(m.totals.change)}`, `network fee ${btcAndSats(m.fee)}`].join('');
  };
  await expect(summaryRow('p2wsh.json')).toHaveText(`SIGNEDp2wsh.json→ p2wsh.signed.json${models['p2wsh.json']!.fingerprint.short}${money('p2wsh.json')}`);
  await expect(summaryRow('payroll/unicode.json')).toHaveText(`SIGNEDpayroll/unicode.json→ payroll/unicode.signed.json${models['payroll/unicode.json']!.fingerprint.short}${money('payroll/unicode.json')}`);
  await expect(summaryRow('p2sh.json')).toHaveText(`REJECTEDp2sh.json${models['p2sh.json']!.fingerprint.short}${money('p2sh.json')}not on the payment list`);

  await summary.getByRole('button', { name: `Export summary to ${USB}` }).click();
  await expect(summary.getByRole('status')).toHaveText(/^Summary written to session-summary-\S+\.txt on SIGNING USB\.$/);
  await screenshot(page, 'summary');
  const written = readdirSync(drive).filter((f) => f.startsWith('session-summary-'));
  expect(written).toHaveLength(1);
  const text = readFileSync(join(drive, written[0]!), 'utf8');
  const head = text.slice(0, text.indexOf('Event log:'));
  expect(head).toContain('2 signed, 1 rejected, 0 failed, 0 not finished');
  const block = (outcome: string, file: string, ...lines: string[]) => [`${outcome.padEnd(8)} ${file}`, ...lines.map((l) => `         ${l}`)].join('\n');
  expect(head).toContain(block('SIGNED', 'p2wsh.json', `wallet ${A.walletId}`, `review fingerprint ${models['p2wsh.json']!.fingerprint.short}`, 'written to p2wsh.signed.json'));
  expect(head).toContain(
    block('SIGNED', 'payroll/unicode.json', `wallet ${C.walletId}`, `review fingerprint ${models['payroll/unicode.json']!.fingerprint.short}`, 'written to payroll/unicode.signed.json'),
  );
  expect(head).toContain(block('REJECTED', 'p2sh.json', `wallet ${A.walletId}`, `review fingerprint ${models['p2sh.json']!.fingerprint.short}`, 'not on the payment list'));
  // The amounts and destinations, in the file as on the screen.
  for (const [name, m] of Object.entries(models)) {
    const sends = m.outputs.filter((o) => o.kind !== 'change').map((o) => `pays ${btcAndSats(o.amount)} to ${o.address}`);
    expect(head, name).toContain(['', ...sends, `change back to the wallet ${btcAndSats(m.totals.change)}`, `network fee ${btcAndSats(m.fee)}`].join('\n         '));
  }

  // Nothing the page received carries a path, a passphrase (outside the demo table of the status answer) or a key.
  for (const r of bridge.responses) {
    const value = JSON.parse(r) as { ok?: boolean; value?: { demo?: unknown } };
    const scrubbed = JSON.stringify(value.ok && value.value && typeof value.value === 'object' && 'demo' in value.value ? { ...value.value, demo: null } : value);
    expect(scrubbed).not.toContain(drives.root);
    for (const w of [A, C]) expect(scrubbed).not.toContain(JSON.stringify(passphraseOf(w.walletId)).slice(1, -1));
    expect(scrubbed).not.toMatch(/[xt]prv[1-9A-HJ-NP-Za-km-z]{20,}/);
  }
});
