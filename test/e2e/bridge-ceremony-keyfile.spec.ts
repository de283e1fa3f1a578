// "Change a key file entry's passphrase" in the Key ceremony section end to end in Chromium, through the real router,
// handlers and ceremony core behind the test bridge, by keyboard: a wallet of the open (demo) key store whose entry
// is v1, a mismatched repeat of the new passphrase refused first, then the new one typed twice, v2 at BitGo's default cost. The
// drive then holds one new key file, mode 0600, that the key file reader `sign --keys` uses reads as that wallet
// alone; it opens with the new passphrase (not the old) to the wallet's key; no IPC response carried a passphrase,
// a private key or the new ciphertext.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { bip32 } from '../../electron/crypto/ecc';
import { demoInfo, demoKeyFile } from '../../electron/demo/index';
import { decryptEnvelope } from '../../electron/keystore/envelope';
import { findWallet, readKeyFile } from '../../electron/keystore/keyfile';
import { openCeremony, openCeremonyForm } from './support/ceremony';
import { expect, screenshot, test } from './support/workflow';

const USB = 'KEYFILE USB';
const NEW = 'a new passphrase for demo wallet B';

test('re-encrypt a key file entry by keyboard: v1 to v2 into a new key file on the drive, read back', async ({ page, bridge, drives }) => {
  test.setTimeout(120_000);
  const drive = drives.drive(USB);
  const wallet = demoInfo().passphrases.find((p) => p.label === 'Demo wallet B')!;
  const old = findWallet(demoKeyFile(), wallet.walletId).envelope;
  expect(old.v).toBe(1);
  const xpub = bip32.fromBase58(await decryptEnvelope(old, wallet.passphrase)).neutered().toBase58();
  await openCeremony(page);
  const form = await openCeremonyForm(page, "Change a key file entry's passphrase…", "Change a key file entry's passphrase");

  // The wallet chosen by keyboard, then the passphrases in tab order. The wallet list comes from main and the select
  // is disabled (so out of the tab order) until it arrives: wait for it, not for time.
  await expect(form.getByLabel('Wallet')).toBeEnabled();
  await page.keyboard.press('Tab');
  await expect(form.getByLabel('Wallet')).toBeFocused();
  await form.getByLabel('Wallet').selectOption(wallet.walletId);
  await expect(form.getByLabel('Wallet')).toHaveValue(wallet.walletId);
  const typeAll = async (current: string, repeat: string) => {
    await form.getByLabel('Wallet').focus();
    await page.keyboard.press('Tab');
    await expect(form.getByLabel('Its current passphrase')).toBeFocused();
    await page.keyboard.type(current);
    await page.keyboard.press('Tab');
    await page.keyboard.type(NEW);
    await page.keyboard.press('Tab');
    await expect(form.getByLabel('The new passphrase again')).toBeFocused();
    await page.keyboard.type(repeat);
    await page.keyboard.press('Enter');
  };
  // A wrong repeat first (a wrong current passphrase is the unlock throttle's business: desk-keys.spec.ts).
  await typeAll(wallet.passphrase, `${NEW}!`);
  await expect(form.getByRole('alert')).toContainText('the two passphrases typed differ');
  await expect(form.getByLabel('Its current passphrase')).toHaveValue('');
  expect(readdirSync(drive)).toEqual([]);

  await typeAll(wallet.passphrase, NEW);
  const done = form.getByRole('status').filter({ hasText: `saved to drive “${USB}” as a new key file` });
  await expect(done).toBeVisible({ timeout: 90_000 });
  await expect(done).toContainText(`Wallet ${wallet.walletId} re-encrypted as v2`);
  await expect(done).toContainText(xpub);
  await screenshot(page, 'ceremony-keyfile-reencrypt');

  const files = readdirSync(drive);
  expect(files).toHaveLength(1);
  expect(files[0]).toMatch(new RegExp(`^keys-${wallet.walletId}\\.reencrypted-\\d{8}T\\d{6}Z\\.json$`));
  const path = join(drive, files[0]!);
  expect(statSync(path).mode & 0o777).toBe(0o600);
  const kf = readKeyFile(path);
  expect(kf.wallets.map((w) => w.walletId)).toEqual([wallet.walletId]);
  const entry = findWallet(kf, wallet.walletId).envelope;
  expect(entry).toMatchObject({ v: 2, m: 65536, t: 3, p: 4 });
  expect(bip32.fromBase58(await decryptEnvelope(entry, NEW)).neutered().toBase58()).toBe(xpub);
  await expect(decryptEnvelope(entry, wallet.passphrase)).rejects.toMatchObject({ code: 'wallet_passphrase_incorrect' });

  // The demo's status answer lists the demo passphrases on purpose (the demo screen shows them): every other
  // response is scanned.
  const all = bridge.responses.filter((r) => !r.includes('"passphrases":[')).join('\n');
  expect(all).toContain(files[0]);
  for (const secret of [wallet.passphrase, NEW, 'xprv', Buffer.from(entry.ct).toString('base64').slice(0, 40)]) expect(all).not.toContain(secret);
});
