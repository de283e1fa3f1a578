// The operator's first run in demo mode, through the real router, handlers and vault behind the test bridge:
// welcome screen with the demo passphrases, open the demo key store, a wrong passphrase, unlock (keyboard only),
// lock, lock all; a key file chosen through the (stubbed) dialog; the air-gap banner.
import { readFileSync } from 'node:fs';
import { openApp } from './support/bridge';
import { expect, test } from './support/fixtures';
import { fixturePath } from './support/paths';
import { expectWrongPassphraseMessage, goToStep, lockWallet, openDemoKeyStore, submitPassphrase, unlockWallet, walletCard } from './support/steps';

interface FixtureWallet { walletId: string; passphrase: string; fingerprints: { user: string }; xpubs: { user: string } }
const wallets = JSON.parse(readFileSync(fixturePath('bitgo/wallets.json'), 'utf8')) as Record<string, FixtureWallet>;
const A = wallets.walletA!;
const B = wallets.walletB!;

test('demo: welcome banner with passphrases, wrong passphrase, unlock, lock, lock all', async ({ page, bridge }) => {
  await openApp(page);
  const banner = page.getByRole('region', { name: 'DEMO — testnet test keys, never real funds' });
  await expect(banner).toBeVisible();
  await expect(banner.getByRole('row', { name: new RegExp(A.walletId) })).toContainText(A.passphrase);
  await expect(page.getByRole('alert').filter({ hasText: 'not air-gapped' })).toHaveCount(0);

  // The demo key store is open from the start; the button re-opens it.
  await expect(page.getByRole('heading', { name: 'Key store: demo (demo)' })).toBeVisible();
  await openDemoKeyStore(page);
  await expect(walletCard(page, A.walletId).getByText('Locked', { exact: true })).toBeVisible();

  await submitPassphrase(page, A.walletId, `${A.passphrase}x`);
  await expectWrongPassphraseMessage(page, A.walletId);
  expect(bridge.vault.isUnlocked(A.walletId)).toBe(false);

  await unlockWallet(page, A.walletId, A.passphrase);
  // The app moved on to Import; the wallet's card is in the Unlock step.
  await goToStep(page, 'Unlock');
  const card = walletCard(page, A.walletId);
  await expect(card.getByText(A.fingerprints.user, { exact: true })).toBeVisible();
  await expect(card.getByText(A.xpubs.user, { exact: true })).toBeVisible();
  await expect(card.getByRole('alert')).toHaveText('');
  expect(bridge.vault.isUnlocked(A.walletId)).toBe(true);

  await lockWallet(page, A.walletId);
  expect(bridge.vault.isUnlocked(A.walletId)).toBe(false);

  await unlockWallet(page, A.walletId, A.passphrase);
  await unlockWallet(page, B.walletId, B.passphrase);
  await goToStep(page, 'Unlock');
  await page.getByRole('button', { name: 'Lock all wallets' }).click();
  await expect(walletCard(page, A.walletId).getByText('Locked', { exact: true })).toBeVisible();
  await expect(walletCard(page, B.walletId).getByText('Locked', { exact: true })).toBeVisible();
  expect(bridge.vault.status()).toEqual([]);

  // Nothing the page received carries a passphrase other than the demo table in the status answers.
  for (const r of bridge.responses) {
    const value = JSON.parse(r) as { ok: boolean; value?: { demo?: unknown } };
    const scrubbed = value.ok && value.value && typeof value.value === 'object' && 'demo' in value.value ? { ...value.value, demo: null } : value;
    for (const w of Object.values(wallets)) expect(JSON.stringify(scrubbed)).not.toContain(w.passphrase);
    expect(r).not.toMatch(/[xt]prv[1-9A-HJ-NP-Za-km-z]{20,}/);
  }
});

test('passphrase field: masked by default, show/hide toggles, keyboard focus is visible', async ({ page }) => {
  await openApp(page);
  await openDemoKeyStore(page);
  const card = walletCard(page, A.walletId);
  const field = card.getByLabel('Passphrase', { exact: true });
  await expect(field).toHaveAttribute('type', 'password');
  const toggle = card.getByRole('button', { name: 'Show' });
  await toggle.click();
  await expect(field).toHaveAttribute('type', 'text');
  await expect(card.getByRole('button', { name: 'Hide' })).toHaveAttribute('aria-pressed', 'true');
  await card.getByRole('button', { name: 'Hide' }).click();
  await expect(field).toHaveAttribute('type', 'password');
  // Caps Lock hint: Chromium reports the modifier on key events; Playwright cannot toggle the real lock state, so
  // the key event carries it as the OS would.
  const hint = card.getByText('Caps Lock is on.');
  await expect(hint).toHaveCount(0);
  await field.dispatchEvent('keydown', { key: 'A', modifierCapsLock: true });
  await expect(hint).toBeVisible();
  await field.dispatchEvent('keyup', { key: 'a', modifierCapsLock: false });
  await expect(hint).toHaveCount(0);
  // Keyboard: Tab reaches the field and the focus ring is drawn (outline, not colour alone).
  await field.focus();
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Tab');
  await expect(field).toBeFocused();
  const outline = await field.evaluate((el) => getComputedStyle(el).outlineStyle);
  expect(outline).toBe('solid');
});

test.describe('not demo mode', () => {
  test.use({ bridgeOptions: { demo: false } });

  test('no demo banner or demo button; a key file is opened through the main-side dialog', async ({ page, bridge }) => {
    await openApp(page);
    await expect(page.getByText('DEMO — testnet test keys, never real funds')).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Open the demo key store' })).toHaveCount(0);

    bridge.dialogs.next = null; // the operator cancels
    await page.getByRole('button', { name: 'Open a key file…' }).click();
    await expect.poll(() => bridge.dialogs.calls).toBe(1);
    await expect(page.getByRole('heading', { name: /^Key store:/ })).toHaveCount(0);

    bridge.dialogs.next = fixturePath('bitgo/keys.json');
    await page.getByRole('button', { name: 'Open a key file…' }).click();
    await expect(page.getByRole('heading', { name: 'Key store: keys.json' })).toBeVisible();
    await unlockWallet(page, A.walletId, A.passphrase);
    await goToStep(page, 'Unlock');
    await expect(walletCard(page, A.walletId).getByText(A.fingerprints.user, { exact: true })).toBeVisible();

    // Wallet A is unlocked: the app asks before a key file is chosen (no silent locking); Cancel asks nothing of main.
    await goToStep(page, 'Key store');
    await page.getByRole('button', { name: 'Open a key file…' }).click();
    const ask = page.getByRole('alertdialog', { name: 'Lock the unlocked wallets?' });
    await expect(ask).toContainText(`Wallet ${A.walletId} is unlocked. Opening another key file locks it.`);
    await ask.getByRole('button', { name: 'Cancel: keep the wallets unlocked' }).click();
    await expect(ask).toHaveCount(0);
    expect(bridge.dialogs.calls).toBe(2);
    expect(bridge.vault.isUnlocked(A.walletId)).toBe(true);

    bridge.dialogs.next = fixturePath('bitgo/env.json'); // not a key file
    await page.getByRole('button', { name: 'Open a key file…' }).click();
    await ask.getByRole('button', { name: 'Lock and choose a key file…' }).click();
    await expect.poll(() => bridge.dialogs.calls).toBe(3);
    await expect(page.getByRole('alert').filter({ hasText: 'WALLET_' })).toContainText('is not a wallet id');
  });
});

test.describe('network interface up', () => {
  test.use({ bridgeOptions: { demo: true, interfaces: { lo: [{ family: 'IPv4', internal: true }], wlp2s0: [{ family: 'IPv4', internal: false, address: '10.0.0.7' }] } } });

  test('the air-gap warning is a persistent alert that says what to do', async ({ page }) => {
    await openApp(page);
    const alert = page.getByRole('alert').filter({ hasText: 'not air-gapped' });
    await expect(alert).toBeVisible();
    await expect(alert).toContainText('This computer is connected to a network (wlp2s0). Disconnect network cables, disable Wi-Fi and Bluetooth');
    await expect(alert).toContainText('before handling keys');
    await expect(alert).not.toContainText('10.0.0.7');
    await openDemoKeyStore(page);
    await expect(alert).toBeVisible();
  });
});

test.describe('short idle lock', () => {
  test.use({ bridgeOptions: { demo: true, idleMs: 1500 } });

  test('a wallet left unused locks itself in main, and the screen follows', async ({ page, bridge }) => {
    await openApp(page);
    await unlockWallet(page, A.walletId, A.passphrase);
    await goToStep(page, 'Unlock');
    await expect(walletCard(page, A.walletId).getByRole('timer')).toHaveText(/^(Locks in 0:0[0-2] if unused \(at \d.*\)|Locking now…)$/);
    // Within a few seconds, well before the renderer's 15 s poll: main's walletChanged event drove the update.
    await expect(walletCard(page, A.walletId).getByText('Locked', { exact: true })).toBeVisible({ timeout: 8_000 });
    expect(bridge.vault.isUnlocked(A.walletId)).toBe(false);
  });
});
