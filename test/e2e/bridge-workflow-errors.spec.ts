// The USB workflow's error paths as the operator sees them (the Node tests in test/unit/workflow/session.spec.ts
// cover the logic): wrong passphrase, and another at once (main's wait), a wallet locked before signing, a refused
// (fake change) request, a warning to tick, a drive removed before export, an output file that already exists, a
// malformed request file, a file name with invisible characters, a summary export with no drive chosen. Each test
// asserts the words on the screen and that nothing is lost: the request files are untouched and no partial or
// stray output appears on the drive. Real files in a temporary folder stand in for the USB drive.
import { readdirSync, renameSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { openApp } from './support/bridge';
import { backToExport, expectWrongPassphraseMessage, goToStep, lockWallet, submitPassphrase, unlockWallet, walletCard } from './support/steps';
import {
  WALLETS, caseBytes, expect, expectReviewShows, expectedResponse, importFiles, modelOf, openReview, passphraseOf, requestRow, screenshot,
  snapshot, test, type TempDrives, warningName,
} from './support/workflow';
import { mutateRequest } from '../support/review-helpers';

const A = WALLETS.walletA!;
const USB = 'SIGNING USB';

/** Imports p2wsh.json, approves it as reviewed (it has no warnings) and returns the drive folder. */
async function importAndApprove(page: import('@playwright/test').Page, file = 'p2wsh.json'): Promise<void> {
  await importFiles(page, USB, [file]);
  const review = await openReview(page, file);
  await review.getByRole('button', { name: `Approve ${file}`, exact: true }).click();
  await expect(requestRow(page, file)).toContainText('Approved, not signed yet');
}

const signButton = (page: import('@playwright/test').Page, n: number) => page.getByRole('button', { name: `Sign approved requests (${n})` });
const results = (page: import('@playwright/test').Page, title: 'Signing results' | 'Export results') => page.getByLabel(title, { exact: true });

test('wrong passphrase: said in words, the wallet stays locked, nothing is signed or written', async ({ page, bridge, drives }) => {
  drives.put(USB, 'p2wsh.json', caseBytes('p2wsh.request.json'));
  const before = snapshot(drives.drive(USB));
  await openApp(page);
  await importAndApprove(page);
  await submitPassphrase(page, A.walletId, `${passphraseOf(A.walletId)}x`);
  await expectWrongPassphraseMessage(page, A.walletId);
  await expect(walletCard(page, A.walletId).getByLabel('Passphrase', { exact: true })).toBeFocused();
  await screenshot(page, 'wrong-passphrase');
  expect(bridge.vault.isUnlocked(A.walletId)).toBe(false);
  // The request waits, approved; Sign is not offered while its wallet is locked, and the screen says which one.
  await goToStep(page, 'Sign');
  await expect(signButton(page, 1)).toBeDisabled();
  await expect(signButton(page, 1)).toHaveAccessibleDescription(`Unlock wallet ${A.walletId} in step 2, Unlock, to sign: it is locked.`);
  await expect(requestRow(page, 'p2wsh.json')).toContainText('Approved, not signed yet');
  expect(snapshot(drives.drive(USB))).toEqual(before);
  // The right passphrase (after the growing delay) unlocks it and the same approval signs.
  await unlockWallet(page, A.walletId, passphraseOf(A.walletId));
  await goToStep(page, 'Sign');
  await signButton(page, 1).click();
  await expect(requestRow(page, 'p2wsh.json')).toContainText('Signed, not exported yet');
});

test('wallet locked before signing: Sign is not offered and the list says which wallet is locked; locked as Sign is pressed, it says 0 of 1 signed', async ({ page, bridge, drives }) => {
  drives.put(USB, 'p2wsh.json', caseBytes('p2wsh.request.json'));
  const before = snapshot(drives.drive(USB));
  await openApp(page);
  await unlockWallet(page, A.walletId, passphraseOf(A.walletId));
  await importAndApprove(page);
  const group = page.getByRole('region', { name: `Requests for wallet ${A.walletId}` });
  await expect(group.getByRole('heading')).toContainText('(unlocked)');
  await lockWallet(page, A.walletId);
  await goToStep(page, 'Sign');
  await expect(group.getByRole('heading')).toContainText('(locked: unlock it in step 2, Unlock, to sign)');
  await expect(signButton(page, 1)).toBeDisabled();
  await expect(page.getByText(`Unlock wallet ${A.walletId} in step 2, Unlock, to sign: it is locked.`)).toBeVisible();
  await screenshot(page, 'locked-before-signing');

  // The wallet locks itself (idle, sleep) between the click and main's signing: never "finished: 1 of 1 done".
  await unlockWallet(page, A.walletId, passphraseOf(A.walletId));
  await goToStep(page, 'Sign');
  bridge.beforeCall = (channel) => {
    if (channel === 'signer:requests:sign') bridge.vault.lock(A.walletId);
  };
  await signButton(page, 1).click();
  const progress = page.getByRole('group', { name: 'Signing progress' });
  await expect(progress.getByRole('status')).toHaveText(`0 of 1 signed: wallet ${A.walletId} locked. See the results below.`);
  await expect(results(page, 'Signing results')).toContainText(`wallet ${A.walletId} is locked`);
  await expect(results(page, 'Signing results')).toContainText('Wallets are unlocked in step 2, Unlock.');
  await expect(requestRow(page, 'p2wsh.json')).toContainText('Approved, not signed yet');
  await screenshot(page, 'locked-as-sign-pressed');
  // Nothing signed: the app stays at Sign; Export / show has nothing to export.
  await goToStep(page, 'Export / show');
  await expect(page.getByRole('button', { name: 'Export signed files (0)' })).toBeDisabled();
  expect(snapshot(drives.drive(USB))).toEqual(before);
  bridge.beforeCall = undefined;
  await unlockWallet(page, A.walletId, passphraseOf(A.walletId));
  await goToStep(page, 'Sign');
  await signButton(page, 1).click();
  await expect(progress.getByRole('status')).toHaveText('1 of 1 signed.');
  await expect(requestRow(page, 'p2wsh.json')).toContainText('Signed, not exported yet');
});

test('a refused request (fake change) is a STOP that cannot be approved; it can be rejected', async ({ page, drives }) => {
  // The change output's script replaced by one the wallet's keys do not derive, its wallet derivation kept.
  const fraud = mutateRequest('p2wsh', (d) => {
    const o = d.outputs.findIndex((m) => m.some((e) => e.keyType === 0x02));
    d.tx.outputs[o]!.script = Uint8Array.of(0x00, 0x20, ...new Uint8Array(32).fill(0x42));
  });
  drives.put(USB, 'fraud.json', fraud);
  const before = snapshot(drives.drive(USB));
  const model = modelOf(new TextEncoder().encode(fraud), 'fraud.json');
  expect(model.refusals.map((r) => r.code)).toContain('change_not_wallet');
  await openApp(page);
  await unlockWallet(page, A.walletId, passphraseOf(A.walletId));
  await importFiles(page, USB, ['fraud.json']);
  // Refused at import: the app stays at Import with the import's words; the list is under Review.
  await goToStep(page, 'Review');
  await expect(requestRow(page, 'fraud.json')).toContainText('REFUSED by the review');
  const review = await openReview(page, 'fraud.json');
  const stop = review.getByRole('alert', { name: 'Signing refused' });
  await expect(stop.getByRole('heading')).toHaveText('STOP: this request will not be signed');
  await expectReviewShows(review, model);
  await expect(review.getByText('FAILED verification', { exact: true })).toBeVisible();
  // Refused: no Approve at all, no warning to tick; Reject stays.
  await expect(review.getByRole('button', { name: 'Approve fraud.json' })).toHaveCount(0);
  await expect(review.getByRole('checkbox')).toHaveCount(0);
  await expect(review.getByLabel('At a glance')).toHaveText(/^REFUSED: Output \d+: An output claims to be change but is not the wallet’s/);
  await screenshot(page, 'refused-stop');
  await goToStep(page, 'Sign');
  await expect(signButton(page, 0)).toBeDisabled();
  await goToStep(page, 'Review');
  await review.getByRole('button', { name: 'Reject fraud.json' }).click();
  await expect(requestRow(page, 'fraud.json')).toContainText('Rejected');
  await goToStep(page, 'Summary');
  await expect(page.getByRole('region', { name: 'Session summary' })).toContainText('0 signed, 1 rejected, 0 failed, 0 not finished');
  expect(snapshot(drives.drive(USB))).toEqual(before);
});

test('warnings: Approve stays disabled until every warning is ticked', async ({ page, drives }) => {
  drives.put(USB, 'timelock.json', caseBytes('p2sh-sequence-locktime.request.json'));
  const model = modelOf(caseBytes('p2sh-sequence-locktime.request.json'), 'timelock.json');
  expect(model.warnings.length).toBeGreaterThan(1);
  await openApp(page);
  await unlockWallet(page, A.walletId, passphraseOf(A.walletId));
  await importFiles(page, USB, ['timelock.json']);
  const review = await openReview(page, 'timelock.json');
  await expectReviewShows(review, model);
  const approve = review.getByRole('button', { name: 'Approve timelock.json' });
  await expect(review.getByText('Acknowledge every warning to approve.')).toBeVisible();
  for (const [i, w] of model.warnings.entries()) {
    await expect(approve).toBeDisabled();
    await review.getByRole('checkbox', { name: warningName(w, model), exact: true }).check();
    if (i === 0) await screenshot(page, 'warning-one-ticked');
  }
  await expect(approve).toBeEnabled();
  await expect(review.getByText('Acknowledge every warning to approve.')).toHaveCount(0);
  // Unticking one disables it again.
  await review.getByRole('checkbox', { name: warningName(model.warnings[0]!, model), exact: true }).uncheck();
  await expect(approve).toBeDisabled();
  await review.getByRole('checkbox', { name: warningName(model.warnings[0]!, model), exact: true }).check();
  await approve.click();
  await expect(requestRow(page, 'timelock.json')).toContainText('Approved, not signed yet');
  await signButton(page, 1).click();
  await page.getByRole('button', { name: 'Export signed files (1)' }).click();
  await backToExport(page);
  await expect(requestRow(page, 'timelock.json')).toContainText('written as timelock.signed.json');
  expect(readFileSync(join(drives.drive(USB), 'timelock.signed.json'), 'utf8')).toBe(expectedResponse('p2sh-sequence-locktime'));
});

/** p2wsh.json (plus `extra` files) on the drive, imported, approved and signed; the drive's files as they were. */
async function signedOnDrive(page: Page, drives: TempDrives, extra: Record<string, string> = {}) {
  drives.put(USB, 'p2wsh.json', caseBytes('p2wsh.request.json'));
  for (const [name, content] of Object.entries(extra)) drives.put(USB, name, content);
  const drive = drives.drive(USB);
  const before = snapshot(drive);
  await openApp(page);
  await unlockWallet(page, A.walletId, passphraseOf(A.walletId));
  await importAndApprove(page);
  await signButton(page, 1).click();
  await expect(requestRow(page, 'p2wsh.json')).toContainText('Signed, not exported yet');
  return { drive, before };
}

test('drive removed before export: said in words, the signed result is kept and written once the drive is back', async ({ page, drives }) => {
  const { drive, before } = await signedOnDrive(page, drives);
  renameSync(drive, `${drive}-unplugged`); // the drive goes away
  await page.getByRole('button', { name: 'Export signed files (1)' }).click();
  await expect(results(page, 'Export results')).toContainText(`drive "${USB}" is no longer connected: plug it in again to write p2wsh.json's signed file.`);
  await expect(requestRow(page, 'p2wsh.json')).toContainText('Signed, not exported yet');
  await screenshot(page, 'drive-removed');
  expect(snapshot(`${drive}-unplugged`)).toEqual(before); // nothing partial was left anywhere
  renameSync(`${drive}-unplugged`, drive); // plugged in again
  await page.getByRole('button', { name: 'Export signed files (1)' }).click();
  await backToExport(page);
  await expect(requestRow(page, 'p2wsh.json')).toContainText('written as p2wsh.signed.json');
  expect(readFileSync(join(drive, 'p2wsh.signed.json'), 'utf8')).toBe(expectedResponse('p2wsh'));
});

test('an output file that already exists is left untouched, with a clear message; the signed result is kept', async ({ page, drives }) => {
  const { drive, before } = await signedOnDrive(page, drives, { 'p2wsh.signed.json': 'the operator\'s own file' });
  await page.getByRole('button', { name: 'Export signed files (1)' }).click();
  const exported = results(page, 'Export results');
  await expect(exported).toContainText(`p2wsh.signed.json on drive "${USB}" already exists; it was left untouched`);
  await expect(exported).toContainText('Nothing was overwritten and the signed result is kept: move or rename that file on the drive, then press "Export signed files" again.');
  await expect(requestRow(page, 'p2wsh.json')).toContainText('Signed, not exported yet');
  await screenshot(page, 'output-exists');
  expect(snapshot(drive)).toEqual(before); // the existing file is byte for byte the same, no temporary file left
  renameSync(join(drive, 'p2wsh.signed.json'), join(drive, 'kept.json'));
  await page.getByRole('button', { name: 'Export signed files (1)' }).click();
  await backToExport(page);
  await expect(requestRow(page, 'p2wsh.json')).toContainText('written as p2wsh.signed.json');
  expect(readFileSync(join(drive, 'p2wsh.signed.json'), 'utf8')).toBe(expectedResponse('p2wsh'));
  expect(readFileSync(join(drive, 'kept.json'), 'utf8')).toBe('the operator\'s own file');
});

test('a file name with a direction override or a newline is shown with visible marks, on screen and in the summary', async ({ page, drives }) => {
  // U+202E (right-to-left override) would make "p2wsh‮nosj.json" read differently from what it is.
  const name = 'p2wsh\u202Enosj.json';
  const shown = 'p2wsh⟨U+202E⟩nosj.json';
  drives.put(USB, name, caseBytes('p2wsh.request.json'));
  await openApp(page);
  await importFiles(page, USB, [shown]);
  await expect(page.getByRole('region', { name: 'Last import' })).toContainText(`${shown}: imported for wallet`);
  await expect(requestRow(page, shown)).toContainText('Waiting for review');
  const review = await openReview(page, shown);
  await expect(review.getByRole('button', { name: `Approve ${shown}`, exact: true })).toBeVisible();
  await expect(page.locator('body')).not.toContainText('\u202E');
  await goToStep(page, 'Summary');
  await page.getByRole('button', { name: `Export summary to ${USB}` }).click();
  await expect(page.getByText(/^Summary written to session-summary-/)).toBeVisible();
  const summary = readFileSync(join(drives.drive(USB), readdirSync(drives.drive(USB)).find((f) => f.startsWith('session-summary-'))!), 'utf8');
  expect(summary).toContain(`PENDING  ${shown}`);
  expect(summary).not.toContain('\u202E');
});

test('a malformed request file gets its own clear message; the other files are still imported', async ({ page, drives }) => {
  drives.put(USB, 'broken.json', '{"txPrebuild": {"txHex": "70736274ff');
  drives.put(USB, 'empty.psbt', '');
  drives.put(USB, 'p2wsh.json', caseBytes('p2wsh.request.json'));
  const before = snapshot(drives.drive(USB));
  await openApp(page);
  await importFiles(page, USB, ['broken.json', 'empty.psbt', 'p2wsh.json']);
  const last = page.getByRole('region', { name: 'Last import' });
  const item = (file: string) => last.getByRole('listitem').filter({ hasText: new RegExp(`^${file.replace('.', '\\.')}:`) });
  await expect(item('broken.json')).toHaveText(/^broken\.json: NOT imported \(review fingerprint [0-9a-f]{4}(-[0-9a-f]{4}){3}\): broken\.json is not a signing request this app can read: it is not valid JSON \(the file may be damaged or cut short\)\. Ask for the request again\.$/);
  await expect(item('empty.psbt')).toContainText(/^empty\.psbt: NOT imported \(review fingerprint [0-9a-f-]{19}\): /);
  await expect(item('empty.psbt')).not.toContainText('_');
  await expect(item('p2wsh.json')).toHaveText(`p2wsh.json: imported for wallet ${A.walletId}, review fingerprint ${modelOf(caseBytes('p2wsh.request.json'), 'p2wsh.json').fingerprint.short}`);
  await goToStep(page, 'Review');
  await expect(page.getByRole('region', { name: `Requests for wallet ${A.walletId}` }).locator('tbody tr')).toHaveCount(1);
  await screenshot(page, 'malformed-file');
  expect(snapshot(drives.drive(USB))).toEqual(before);
});

test('after a wrong passphrase main\'s wait is counted down and Unlock is disabled until it ends; then the right one unlocks', async ({ page, bridge }) => {
  await openApp(page);
  const card = walletCard(page, A.walletId);
  const field = card.getByLabel('Passphrase', { exact: true });
  await submitPassphrase(page, A.walletId, `${passphraseOf(A.walletId)}x`);
  await expectWrongPassphraseMessage(page, A.walletId);
  await expect(field).toBeFocused();
  // Main's wait (1 s after the first wrong one), read from the wallet's view: a countdown, and no Unlock to press.
  await field.fill(passphraseOf(A.walletId));
  const unlock = card.getByRole('button', { name: 'Unlock', exact: true });
  await expect(card.getByRole('timer')).toHaveText('Wait 1 s before trying again (after a wrong passphrase).');
  await expect(unlock).toBeDisabled();
  await field.press('Enter'); // refused by the form while the wait runs: nothing reaches main
  expect(bridge.vault.isUnlocked(A.walletId)).toBe(false);
  // The wait ends: the countdown goes, Unlock comes back, and the right passphrase unlocks at the first try.
  await expect(card.getByRole('timer')).toHaveCount(0);
  await expect(unlock).toBeEnabled();
  await unlock.click();
  // Unlocked, the app moves on to Import; the card is in the Unlock step.
  await expect(page.getByRole('heading', { name: 'Request files on USB drives' })).toBeFocused();
  await goToStep(page, 'Unlock');
  await expect(card.getByText('Unlocked', { exact: true })).toBeVisible();
  expect(bridge.vault.isUnlocked(A.walletId)).toBe(true);
});

test('summary export is disabled until a USB drive is chosen (the demo\'s built-in requests are not one); once written, the error line is empty', async ({ page, drives }) => {
  drives.put(USB, 'p2wsh.json', caseBytes('p2wsh.request.json'));
  await openApp(page);
  await goToStep(page, 'Summary');
  const summary = page.getByRole('region', { name: 'Session summary' });
  const disabled = summary.getByRole('button', { name: 'Export summary to the USB drive' });
  await expect(disabled).toBeDisabled();
  await expect(disabled).toHaveAccessibleDescription('To export the summary, choose a USB drive under “Request files on USB drives”.');
  await goToStep(page, 'Import');
  await page.getByRole('radio', { name: 'DEMO requests (built in, not a USB drive)', exact: true }).check();
  await goToStep(page, 'Summary');
  await expect(disabled).toBeDisabled();
  await expect(summary.getByRole('status')).toHaveText('');
  await goToStep(page, 'Import');
  await page.getByRole('radio', { name: USB, exact: true }).check();
  await goToStep(page, 'Summary');
  await summary.getByRole('button', { name: `Export summary to ${USB}` }).click();
  await expect(summary.getByRole('status')).toHaveText(/^Summary written to session-summary-\S+\.txt on SIGNING USB\.$/);
  await expect(summary.getByRole('alert')).toHaveText('');
});
