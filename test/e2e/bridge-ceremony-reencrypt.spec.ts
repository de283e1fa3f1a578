// "Change a key's passphrase" in the Key ceremony section end to end in Chromium, through the real router, handlers
// and ceremony core behind the test bridge, by keyboard: a v1 (SJCL) KeyCard box pasted, its passphrase, a new one
// typed twice (a mismatch refused first), v2 with BitGo's default Argon2id cost. The drive then holds one new file;
// read back, it opens with the new passphrase (and not the old) to the same xpub, and no IPC response carried a
// passphrase or a private key.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bip32 } from '../../electron/crypto/ecc';
import { decryptEnvelope, encryptEnvelopeV1 } from '../../electron/keystore/envelope';
import { openCeremony } from './support/ceremony';
import { expect, screenshot, test } from './support/workflow';

const USB = 'REENCRYPT USB';
const OLD = 'correct horse battery staple glue';
const NEW = 'a brand new passphrase for box B';

test('re-encrypt a KeyCard box by keyboard: v1 to v2 under a new passphrase, a new file on the drive, read back', async ({ page, bridge, drives }) => {
  test.setTimeout(120_000);
  const drive = drives.drive(USB);
  const node = bip32.fromSeed(Buffer.alloc(64, 31));
  const xpub = node.neutered().toBase58();
  const box = encryptEnvelopeV1(node.toBase58(), OLD);
  const form = (await openCeremony(page)).getByRole('form', { name: "Change a key's passphrase" });

  // Pasted into the box field, then the passphrases by keyboard, in tab order; the second new one differs.
  await form.getByLabel(/^The box to re-encrypt/).fill(box);
  await form.getByLabel(/^The box to re-encrypt/).focus();
  await page.keyboard.press('Tab');
  await expect(form.getByLabel('Its current passphrase')).toBeFocused();
  await page.keyboard.type(OLD);
  await page.keyboard.press('Tab');
  await expect(form.getByLabel('The new passphrase', { exact: true })).toBeFocused();
  await page.keyboard.type(NEW);
  await expect(form.getByText(/^Strength: /)).toBeVisible();
  await page.keyboard.press('Tab');
  await expect(form.getByLabel('The new passphrase again')).toBeFocused();
  await page.keyboard.type(`${NEW}!`);
  await page.keyboard.press('Enter');
  await expect(form.getByRole('alert')).toContainText('the two passphrases typed differ');
  expect(readdirSync(drive)).toEqual([]);
  // The fields were emptied: typed again, right this time.
  await form.getByLabel('Its current passphrase').focus();
  await page.keyboard.type(OLD);
  await page.keyboard.press('Tab');
  await page.keyboard.type(NEW);
  await page.keyboard.press('Tab');
  await page.keyboard.type(NEW);
  await page.keyboard.press('Enter');
  const done = form.getByRole('status').filter({ hasText: `saved to drive “${USB}”` });
  await expect(done).toBeVisible({ timeout: 90_000 });
  await expect(done).toContainText('Re-encrypted as v2');
  await expect(done).toContainText(xpub);
  await screenshot(page, 'ceremony-reencrypt');

  // One new file; it opens with the new passphrase to the same key, and not with the old.
  const files = readdirSync(drive);
  expect(files).toHaveLength(1);
  expect(files[0]).toMatch(new RegExp(`^key-${Buffer.from(node.fingerprint).toString('hex')}\\.reencrypted-\\d{8}T\\d{6}Z\\.json$`));
  const written = readFileSync(join(drive, files[0]!), 'utf8').trim();
  expect(JSON.parse(written)).toMatchObject({ v: 2, m: 65536, t: 3, p: 4 });
  expect(bip32.fromBase58(await decryptEnvelope(written, NEW)).neutered().toBase58()).toBe(xpub);
  await expect(decryptEnvelope(written, OLD)).rejects.toMatchObject({ code: 'wallet_passphrase_incorrect' });

  // Nothing secret came back across IPC.
  const all = bridge.responses.join('\n');
  for (const secret of [OLD, NEW, 'xprv', JSON.parse(written).ct as string]) expect(all).not.toContain(secret);
});
