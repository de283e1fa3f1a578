// The operator's USB workflow end to end, through the real router, handlers, vault, review and signer behind
// the Chromium test bridge: a temporary folder stands in for a USB drive holding two BitGo fixture requests
// (test/fixtures/bitgo/cases, see PROVENANCE.md). Demo key store -> import two requests -> unlock -> review
// (fingerprint, verified change badge) -> approve -> sign -> export; the file written on the "drive" must equal
// BitGo's own response byte for byte.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BRIDGE_DRIVE_USER, openApp } from './support/bridge';
import { expect, test } from './support/fixtures';
import { fixturePath } from './support/paths';
import { unlockWallet } from './support/steps';

interface FixtureWallet { walletId: string; passphrase: string }
const wallets = JSON.parse(readFileSync(fixturePath('bitgo/wallets.json'), 'utf8')) as Record<string, FixtureWallet>;
const env = JSON.parse(readFileSync(fixturePath('bitgo/env.json'), 'utf8')) as Record<string, string>;
const A = wallets.walletA!;
const C = wallets.walletC!;
const passphrase = (walletId: string) => env[`WALLET_${walletId}_PASSPHRASE`]!;
const expectedOutput = (name: string) =>
  JSON.stringify({ txHex: (JSON.parse(readFileSync(fixturePath(`bitgo/cases/${name}.response.json`), 'utf8')) as { txHex: string }).txHex });

const drivesRoot = mkdtempSync(join(tmpdir(), 'e2e-drives-'));
const drive = join(drivesRoot, 'media', BRIDGE_DRIVE_USER, 'SIGNING USB');
mkdirSync(drive, { recursive: true });
writeFileSync(join(drive, 'p2wsh.json'), readFileSync(fixturePath('bitgo/cases/p2wsh.request.json')));
writeFileSync(join(drive, 'unicode.json'), readFileSync(fixturePath('bitgo/cases/p2wsh-unicode-passphrase.request.json')));

test.use({ bridgeOptions: { demo: true, drivesRoot } });

test('USB workflow: import two requests, review, approve, sign, export; the written file is BitGo\'s response', async ({ page, bridge }) => {
  await openApp(page);

  // Drive and files, by keyboard-operable controls named in words.
  await page.getByRole('radio', { name: 'SIGNING USB' }).check();
  await page.getByRole('checkbox', { name: /p2wsh\.json/ }).check();
  await page.getByRole('checkbox', { name: /unicode\.json/ }).check();
  await page.getByRole('button', { name: 'Import selected (2)' }).click();
  await expect(page.getByRole('region', { name: 'Last import' })).toContainText(`p2wsh.json: imported for wallet ${A.walletId}`);
  await expect(page.getByRole('region', { name: 'Last import' })).toContainText(`unicode.json: imported for wallet ${C.walletId}`);
  await expect(page.getByRole('region', { name: `Requests for wallet ${A.walletId}` })).toContainText('Waiting for review');

  await unlockWallet(page, A.walletId, passphrase(A.walletId));

  // Review: the large fingerprint, the change output verified, the recipient, the full address grouped by 4.
  await page.getByRole('button', { name: 'Review p2wsh.json' }).click();
  const review = page.getByRole('region', { name: 'Review: p2wsh.json' });
  await expect(review).toBeVisible();
  const short = (await review.getByLabel('Review fingerprint').locator('.fingerprint-value').textContent()) ?? '';
  expect(short).toMatch(/^[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}$/);
  await expect(page.getByRole('row', { name: /Request p2wsh\.json/ })).toContainText(short);
  await expect(review.getByText('Change (verified)', { exact: true })).toBeVisible();
  await expect(review.getByText('Recipient', { exact: true })).toBeVisible();
  await expect(review.getByText('FAILED verification')).toHaveCount(0);
  await expect(review.locator('code.address').first()).toHaveText(/^tb1q \S{4}( \S{1,4})+$/);
  await page.screenshot({ path: test.info().outputPath('review.png'), fullPage: true });

  await review.getByRole('button', { name: 'Approve p2wsh.json' }).click();
  await expect(page.getByRole('row', { name: /Request p2wsh\.json/ })).toContainText('Approved, not signed yet');

  await page.getByRole('button', { name: 'Sign approved requests (1)' }).click();
  await expect(page.getByRole('row', { name: /Request p2wsh\.json/ })).toContainText('Signed, not exported yet');
  await page.getByRole('button', { name: 'Export signed files (1)' }).click();
  await expect(page.getByRole('row', { name: /Request p2wsh\.json/ })).toContainText('Signed and exported');
  await expect(page.getByRole('row', { name: /Request p2wsh\.json/ })).toContainText('written as p2wsh.signed.json');

  expect(readFileSync(join(drive, 'p2wsh.signed.json'), 'utf8')).toBe(expectedOutput('p2wsh'));

  // The summary says what happened; nothing the page received carries a path, a passphrase or a private key.
  const summary = page.getByRole('region', { name: 'Session summary' });
  await expect(summary).toContainText('1 signed, 0 rejected, 0 failed, 1 not finished');
  await summary.getByRole('button', { name: 'Export summary to SIGNING USB' }).click();
  await expect(summary.getByRole('status')).toContainText(/Summary written to session-summary-\S+\.txt on SIGNING USB\./);
  const written = readdirSync(drive).filter((f) => f.startsWith('session-summary-'));
  expect(written).toHaveLength(1);
  expect(readFileSync(join(drive, written[0]!), 'utf8')).toContain('written to p2wsh.signed.json');
  for (const r of bridge.responses) {
    expect(r).not.toContain(drivesRoot);
    expect(r).not.toMatch(/[xt]prv[1-9A-HJ-NP-Za-km-z]{20,}/);
  }
});
