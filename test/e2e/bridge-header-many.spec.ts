// The persistent header with a custody-sized key store (renderer/header-wallets.ts): with more than four wallets it
// names the unlocked ones, with their countdowns, and counts the locked in one line, so the step under it stays in
// view; every wallet is still on the Unlock step. A key file of BitGo's fixture wallets plus four more entries
// (walletA's encrypted key under four more ids: only the header's words are checked for them).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openApp } from './support/bridge';
import { fixturePath } from './support/paths';
import { headerWallet, unlockWallet } from './support/steps';
import { WALLETS, expect, passphraseOf, screenshot, test as base } from './support/workflow';

const A = WALLETS.walletA!;
const test = base.extend({
  bridgeOptions: async ({ drives }, use) => {
    await use({ demo: false, drivesRoot: drives.root });
  },
});

test('more than four wallets: the header names the unlocked one with its countdown and counts the locked', async ({ page, bridge }) => {
  const keys = JSON.parse(readFileSync(fixturePath('bitgo/keys.json'), 'utf8')) as Record<string, string>;
  const extra = Object.fromEntries([1, 2, 3, 4].map((i) => [`${'e'.repeat(31)}${i}`, keys[A.walletId]!]));
  const all = { ...keys, ...extra };
  const dir = mkdtempSync(join(tmpdir(), 'e2e-many-wallets-'));
  writeFileSync(join(dir, 'keys.json'), JSON.stringify(all));
  const count = Object.keys(all).length;
  expect(count).toBeGreaterThan(4);

  await openApp(page);
  bridge.dialogs.next = join(dir, 'keys.json');
  await page.getByRole('button', { name: 'Open a key file…' }).click();
  const locks = page.getByRole('list', { name: 'Wallet locks' });
  await expect(locks.getByRole('listitem')).toHaveCount(1);
  await expect(locks).toHaveText(`All ${count} wallets: locked`);

  await unlockWallet(page, A.walletId, passphraseOf(A.walletId));
  await expect(locks.getByRole('listitem')).toHaveCount(2);
  await expect(headerWallet(page, A.walletId)).toContainText(/unlocked, locks in \d+:\d\d/);
  await expect(locks.getByRole('listitem').nth(1)).toHaveText(`${count - 1} other wallets: locked`);
  // The header stays a few lines: the step's heading is in the upper part of the window.
  const header = await page.getByRole('banner').boundingBox();
  expect(header!.height).toBeLessThan(260);
  await screenshot(page, 'header-many-wallets');
});
