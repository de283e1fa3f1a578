// Signed receipts in the app, end to end in Chromium through the test bridge (real router, handlers, vault, review,
// signer and drives code): a key file (BitGo's fixture wallets) that holds a receipt key opens with a "Receipt key"
// row, locked; export is refused while it is locked, with words that say to unlock it, and nothing is written;
// unlocked with its passphrase, the row shows the key's thumbprint, and the export writes the signed file and its
// receipt, which `jose` verifies with the public key alone; the session summary is written with its receipt; and
// opening another key file asks first, naming the receipt key among what it would lock.
import { copyFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jwtVerify } from 'jose';
import { RECEIPT_KEY_ENTRY } from '../../electron/keystore/keyfile';
import { createReceiptKey } from '../../electron/receipts/key';
import { wordsFor } from '../../shared/error-codes';
import { openApp } from './support/bridge';
import { fixturePath } from './support/paths';
import { backToExport, goToStep, unlockWallet } from './support/steps';
import { WALLETS, caseBytes, expect, expectedResponse, importFiles, openReview, passphraseOf, requestRow, screenshot, test as base } from './support/workflow';

const A = WALLETS.walletA!;
const USB = 'SIGNING USB';
const RECEIPT_PASS = 'receipt key passphrase for the e2e';
const test = base.extend({
  bridgeOptions: async ({ drives }, use) => {
    await use({ demo: false, drivesRoot: drives.root });
  },
});

test('a locked receipt key refuses the export; unlocked, each file and the summary leave with a receipt that verifies', async ({ page, bridge, drives }) => {
  const receiptKey = await createReceiptKey(RECEIPT_PASS, { memoryKiB: 1024, passes: 1, parallelism: 1 });
  const dir = mkdtempSync(join(tmpdir(), 'e2e-receipt-store-'));
  const keys = JSON.parse(readFileSync(fixturePath('bitgo/keys.json'), 'utf8')) as Record<string, string>;
  writeFileSync(join(dir, 'keys.json'), JSON.stringify({ ...keys, [RECEIPT_KEY_ENTRY]: receiptKey.envelope }));
  copyFileSync(fixturePath('bitgo/keys.registry.json'), join(dir, 'keys.registry.json'));
  drives.put(USB, 'p2wsh.json', caseBytes('p2wsh.request.json'));
  const drive = drives.drive(USB);

  await openApp(page);
  bridge.dialogs.next = join(dir, 'keys.json');
  await page.getByRole('button', { name: 'Open a key file…' }).click();
  await expect(page.getByRole('heading', { name: 'Key store: keys.json' })).toBeVisible();
  const row = page.getByRole('listitem', { name: 'Receipt key' });
  await expect(row).toContainText('Locked');
  await expect(page.getByRole('banner')).toContainText('Receipt key: locked');
  await expect(row).toContainText('Exports are refused while the receipt key is locked');
  await screenshot(page, 'receipt-key-locked');

  await importFiles(page, USB, ['p2wsh.json']);
  await unlockWallet(page, A.walletId, passphraseOf(A.walletId));
  const review = await openReview(page, 'p2wsh.json');
  await review.getByRole('button', { name: 'Approve p2wsh.json', exact: true }).click();
  await page.getByRole('button', { name: 'Sign approved requests (1)' }).click();
  await expect(requestRow(page, 'p2wsh.json')).toContainText('Signed, not exported yet');

  // Locked: refused, in words that say what to do; nothing on the drive.
  await goToStep(page, 'Export / show');
  await page.getByRole('button', { name: 'Export signed files (1)' }).click();
  await expect(page.getByText(wordsFor('receipt_key_locked')!.slice(0, 40)).first()).toBeVisible();
  expect(existsSync(join(drive, 'p2wsh.signed.json'))).toBe(false);
  await screenshot(page, 'export-refused');

  await goToStep(page, 'Unlock');
  await row.getByLabel('Passphrase').fill(RECEIPT_PASS);
  await row.getByRole('button', { name: 'Unlock' }).click();
  await expect(row).toContainText('Unlocked');
  await expect(row).toContainText(receiptKey.publicKey.thumbprint);
  await screenshot(page, 'receipt-key-unlocked');
  // The header says it too, with its countdown, whatever the step.
  const locks = page.getByRole('banner');
  await expect(locks).toContainText(/Receipt key: unlocked, locks in \d+:\d\d/);

  await goToStep(page, 'Export / show');
  await page.getByRole('button', { name: 'Export signed files (1)' }).click();
  await backToExport(page);
  await expect(requestRow(page, 'p2wsh.json')).toContainText('written as p2wsh.signed.json with its signed receipt p2wsh.signed.json.receipt.jwt');
  expect(readFileSync(join(drive, 'p2wsh.signed.json'), 'utf8')).toBe(expectedResponse('p2wsh'));
  const token = readFileSync(join(drive, 'p2wsh.signed.json.receipt.jwt'), 'utf8').trim();
  const { payload } = await jwtVerify(token, receiptKey.publicKey.key, { algorithms: ['EdDSA'] });
  expect(payload).toMatchObject({ kind: 'signed-transaction', fileName: 'p2wsh.signed.json', walletId: A.walletId });

  await goToStep(page, 'Summary');
  const summary = page.getByRole('region', { name: 'Session summary' });
  await summary.getByRole('button', { name: `Export summary to ${USB}` }).click();
  await expect(summary.getByRole('status')).toHaveText(/^Summary written to (session-summary-\S+\.txt) on SIGNING USB, with its signed receipt session-summary-\S+\.txt\.receipt\.jwt\.$/);
  const [summaryFile] = readdirSync(drive).filter((f) => f.startsWith('session-summary-') && f.endsWith('.txt'));
  const summaryToken = readFileSync(join(drive, `${summaryFile}.receipt.jwt`), 'utf8').trim();
  const verified = await jwtVerify(summaryToken, receiptKey.publicKey.key, { algorithms: ['EdDSA'] });
  expect(verified.payload).toMatchObject({ kind: 'session-summary', fileName: summaryFile });
  await screenshot(page, 'summary-with-receipt');

  // Opening another key file would lock the receipt key too: the app asks first, and Cancel keeps it unlocked.
  await goToStep(page, 'Key store');
  await page.getByRole('button', { name: 'Open a key file…' }).click();
  const ask = page.getByRole('alertdialog', { name: 'Lock the unlocked wallets?' });
  await expect(ask).toContainText(`Wallet ${A.walletId} and the receipt key are unlocked. Opening another key file locks them.`);
  await ask.getByRole('button', { name: 'Cancel: keep the wallets unlocked' }).click();
  await goToStep(page, 'Unlock');
  await expect(row).toContainText('Unlocked');

  for (const r of bridge.responses) {
    expect(r).not.toContain(RECEIPT_PASS);
    expect(r).not.toContain('PRIVATE KEY');
    expect(r).not.toContain(dir);
  }
});
