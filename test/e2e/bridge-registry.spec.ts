// The wallet registry's screens through the real router, handlers and registration behind the Chromium test bridge
// (the demo key store and its shipped registry, kept for the session): the Wallets screen lists each wallet with its
// label, coin in words, the three keys' key fingerprints (BitGo fixture wallets, test/fixtures/bitgo/wallets.json),
// how it was added and the registry's sha256; removing one needs its wallet id typed; adding one checks the keys
// back in groups of four and main refuses a user key that is not the key store's. First use: a request for an
// unregistered wallet is not imported, its keys are shown, and the operator registers it with the keyboard only,
// typing the last four characters of each key (a wrong one refused); the request then imports and its review says
// the registered label and coin.
import type { Locator, Page } from '@playwright/test';
import { openApp } from './support/bridge';
import { goToStep, unlockWallet } from './support/steps';
import { WALLETS, caseBytes, expect, importFiles, openReview, passphraseOf, test } from './support/workflow';
import { registryView } from '../../electron/registry/registry';
import { demoRegistry } from '../../electron/demo';

// wallets.json also carries each key's BIP32 fingerprint (the support type leaves it out).
const A = WALLETS.walletA! as (typeof WALLETS)[string] & { fingerprints: { user: string; backup: string; bitgo: string } };
const B = WALLETS.walletB!;
const A_LABEL = 'Wallet A (treasury, testnet)';
const TBTC = 'tbtc: Bitcoin testnet (testnet3, no value)';

const walletsScreen = (page: Page): Locator => page.getByRole('region', { name: 'Wallets', exact: true });
const entry = (page: Page, walletId: string): Locator => walletsScreen(page).getByRole('listitem', { name: `Registry entry ${walletId}` });

async function removeFromRegistry(page: Page, walletId: string): Promise<void> {
  await goToStep(page, 'Wallets registry');
  await entry(page, walletId).getByRole('button', { name: `Remove ${walletId}…` }).click();
  const form = page.getByRole('form', { name: `Remove wallet ${walletId}` });
  await form.getByLabel('Wallet id to remove').fill(walletId);
  await form.getByRole('button', { name: 'Remove this wallet' }).click();
  await expect(entry(page, walletId)).toHaveCount(0);
}

test('Wallets screen: lists the registry, removes a wallet only with its id typed, adds one after the keys are checked', async ({ page }) => {
  await openApp(page);
  await goToStep(page, 'Wallets registry');
  const shipped = registryView(demoRegistry());
  const screen = walletsScreen(page);
  await expect(screen).toContainText(`sha256 ${shipped.sha256}`);
  await expect(screen.getByRole('listitem', { name: /^Registry entry / })).toHaveCount(4);
  const a = entry(page, A.walletId);
  await expect(a.getByRole('heading', { level: 3 })).toHaveText(`${A_LABEL} ${A.walletId}`);
  await expect(a).toContainText(TBTC);
  for (const role of ['user', 'backup', 'bitgo'] as const) await expect(a).toContainText(`Key fingerprint ${A.fingerprints[role]}${A.xpubs[role]}`);
  await expect(a).toContainText('2026-12-06T00:00:00.000Z shipped with the demo key store');

  // Remove: the wrong id removes nothing and says so; the right one removes it and the sha256 changes.
  await a.getByRole('button', { name: `Remove ${A.walletId}…` }).click();
  const form = page.getByRole('form', { name: `Remove wallet ${A.walletId}` });
  await form.getByLabel('Wallet id to remove').fill(B.walletId);
  await form.getByRole('button', { name: 'Remove this wallet' }).click();
  await expect(form.getByRole('alert')).toHaveText(`to remove wallet ${A.walletId} from the registry, type its wallet id exactly; nothing was removed`);
  await expect(entry(page, A.walletId)).toHaveCount(1);
  await form.getByLabel('Wallet id to remove').fill(A.walletId);
  await form.getByRole('button', { name: 'Remove this wallet' }).click();
  await expect(entry(page, A.walletId)).toHaveCount(0);
  await expect(screen.getByRole('listitem', { name: /^Registry entry / })).toHaveCount(3);
  await expect(screen).not.toContainText(shipped.sha256);

  // Add: the form, then the keys shown back in groups of four, then main's checks.
  const add = screen.getByRole('form', { name: 'Add a wallet' });
  const addError = screen.getByRole('region', { name: 'Add a wallet' }).getByRole('alert');
  await add.getByLabel('Wallet (in the key store)').selectOption(A.walletId);
  await add.getByLabel('Label').fill('Treasury again');
  await add.getByLabel('Coin').selectOption('tbtc');
  await add.getByRole('button', { name: 'Check the keys…' }).click();
  await expect(addError).toHaveText('Type or paste: User key (this key store’s key), Backup key, BitGo key.');
  // A wrong user key (wallet B's): shown back, then refused by main because it is not the key store's key.
  await add.getByLabel('User key (this key store’s key): extended public key').fill(B.xpubs.user);
  await add.getByLabel('Backup key: extended public key').fill(A.xpubs.backup);
  // Pasted with line breaks and spaces, as from a PDF: the whitespace goes.
  await add.getByLabel('BitGo key: extended public key').fill(`${A.xpubs.bitgo.slice(0, 50)}\n ${A.xpubs.bitgo.slice(50)}`);
  await add.getByRole('button', { name: 'Check the keys…' }).click();
  const confirm = screen.getByRole('group', { name: 'Confirm the wallet to add' });
  await expect(confirm).toContainText(`Wallet ${A.walletId}, “Treasury again”, ${TBTC}`);
  await expect(confirm.getByLabel(A.xpubs.bitgo)).toHaveText(A.xpubs.bitgo.match(/.{1,4}/g)!.join(''));
  expect(await confirm.getByLabel(A.xpubs.bitgo).locator('span').count()).toBe(Math.ceil(A.xpubs.bitgo.length / 4));
  // Locked: the user key cannot be checked, nothing is registered.
  await confirm.getByRole('button', { name: 'Register this wallet' }).click();
  await expect(addError).toHaveText(`Unlock wallet ${A.walletId} in step 2, Unlock, first: its user key is checked against the key store.`);
  await unlockWallet(page, A.walletId, passphraseOf(A.walletId));
  await goToStep(page, 'Wallets registry');
  await confirm.getByRole('button', { name: 'Register this wallet' }).click();
  await expect(addError).toHaveText(`wallet ${A.walletId}: the user key shown is not the key store's key for this wallet; nothing was registered`);
  await expect(entry(page, A.walletId)).toHaveCount(0);

  await confirm.getByRole('button', { name: 'Back to the form' }).click();
  await add.getByLabel('User key (this key store’s key): extended public key').fill(A.xpubs.user);
  await add.getByRole('button', { name: 'Check the keys…' }).click();
  await confirm.getByRole('button', { name: 'Register this wallet' }).click();
  const again = entry(page, A.walletId);
  await expect(again.getByRole('heading', { level: 3 })).toHaveText(`Treasury again ${A.walletId}`);
  await expect(again).toContainText(TBTC);
  await expect(again).toContainText('typed from a BitGo KeyCard');
  for (const role of ['user', 'backup', 'bitgo'] as const) await expect(again).toContainText(`Key fingerprint ${A.fingerprints[role]}`);

  // Opening the demo key store again brings its shipped registry back (a demo session's changes live in memory),
  // and the screen reads it again. Wallet A is unlocked, so the app asks before it locks it.
  await goToStep(page, 'Key store');
  await page.getByRole('button', { name: 'Open the demo key store' }).click();
  await page.getByRole('alertdialog', { name: 'Lock the unlocked wallets?' }).getByRole('button', { name: 'Lock and open the demo key store' }).click();
  await expect(page.getByRole('heading', { name: 'Key store: demo (demo)' })).toBeFocused();
  await goToStep(page, 'Wallets registry');
  await expect(screen).toContainText(`sha256 ${shipped.sha256}`);
  await expect(entry(page, A.walletId).getByRole('heading', { level: 3 })).toHaveText(`${A_LABEL} ${A.walletId}`);
});

test('first use, keyboard only: the keys shown in groups, a wrong last four refused, then registered and reviewed', async ({ page, drives }) => {
  drives.put('USB', 'p2wsh.json', caseBytes('p2wsh.request.json'));
  await openApp(page);
  await removeFromRegistry(page, A.walletId);
  await unlockWallet(page, A.walletId, passphraseOf(A.walletId));
  await importFiles(page, 'USB', ['p2wsh.json']);

  const last = page.getByRole('region', { name: 'Last import' });
  await expect(last).toContainText('p2wsh.json: NOT imported');
  const form = last.getByRole('form', { name: `Register wallet ${A.walletId}` });
  for (const role of ['user', 'backup', 'bitgo'] as const) {
    await expect(form.getByLabel(A.xpubs[role])).toBeVisible();
    await expect(form).toContainText(`Key fingerprint ${A.fingerprints[role]}`);
  }
  await expect(form.getByRole('term')).toHaveText(['User key (this key store’s key)', 'Backup key', 'BitGo key']);

  // From here on the keyboard only: the label field has the focus; Tab goes through coin and the three keys.
  const label = form.getByLabel('Label');
  await expect(label).toBeFocused();
  await page.keyboard.type('Treasury (first use)');
  await page.keyboard.press('Tab');
  await expect(form.getByLabel('Coin')).toBeFocused();
  await page.keyboard.type('tbtc:');
  await expect(form.getByLabel('Coin')).toHaveValue('tbtc');
  const wrongBackup = A.xpubs.backup.slice(-4, -1) + (A.xpubs.backup.endsWith('a') ? 'b' : 'a');
  for (const typed of [A.xpubs.user.slice(-4), wrongBackup, A.xpubs.bitgo.slice(-4)]) {
    await page.keyboard.press('Tab');
    await page.keyboard.type(typed);
  }
  await expect(form.getByLabel('Backup key: last four characters')).toHaveValue(wrongBackup);
  await page.keyboard.press('Enter');
  await expect(form.getByRole('alert')).toContainText('the last four characters typed for the backup key do not match the key shown');
  await expect(last).toContainText('p2wsh.json: NOT imported');

  // Back to the backup field, retype it, Enter: registered, and the request is imported again.
  await page.keyboard.press('Shift+Tab');
  await expect(form.getByLabel('Backup key: last four characters')).toBeFocused();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type(A.xpubs.backup.slice(-4));
  await page.keyboard.press('Enter');
  await expect(last).toContainText(`p2wsh.json: imported for wallet ${A.walletId}`);
  await expect(last.getByRole('form')).toHaveCount(0);
  await goToStep(page, 'Wallets registry');
  const registered = entry(page, A.walletId);
  await expect(registered.getByRole('heading', { level: 3 })).toHaveText(`Treasury (first use) ${A.walletId}`);
  await expect(registered).toContainText('at first use, each key confirmed by its last four characters');

  const review = await openReview(page, 'p2wsh.json');
  await expect(review.getByLabel('Registered wallet')).toHaveText(`Registered as Treasury (first use) · coin ${TBTC}`);
});
