// Shards and the two-laptop check in the Key ceremony section, end to end in Chromium through the real router,
// handlers and ceremony core behind the test bridge, by keyboard: a ceremony run (self-test, create from dice with
// BitGo's default v2 cost), its computer entropy saved and checked by the second-laptop form (MATCH, then a
// MISMATCH against another xpub); the backup key made into 2-of-3 shards (a mismatched repeat refused first),
// the shard file read back from the drive and verified by the core and by the "Verify shards" form; then holders
// 1 and 3 recombine it under a new passphrase, and the rebuilt key read back from the drive is the backup key;
// holders 2 and 3 reshard it 2-of-2 into a new file of the same key, the old file untouched.
// No IPC response carries the dice, the computer entropy, a password or a private key.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bip32 } from '../../electron/crypto/ecc';
import { parseShardSet, verifyShards } from '../../electron/ceremony/shards';
import { decryptEnvelope } from '../../electron/keystore/envelope';
import { openCeremony, openCeremonyForm } from './support/ceremony';
import { expect, screenshot, test } from './support/workflow';

const USB = 'SHARDS USB';
const DICE = '5216343'.repeat(15);
const PASS = 'correct horse battery staple glue';
const HOLDERS = ['first holder long password', 'second holder long password', 'third holder long password'];
const REBUILT = 'the passphrase of the rebuilt key';
const NEW_HOLDERS = ['new first holder password', 'new second holder password'];
const OTHER = bip32.fromSeed(Buffer.alloc(64, 19)).neutered().toBase58();

test('shards by keyboard: two-laptop check, 2-of-3 shards of the backup key onto the drive, verified, recombined from holders 1 and 3, resharded 2-of-2', async ({ page, bridge, drives }) => {
  test.setTimeout(240_000);
  const drive = drives.drive(USB);
  const section = await openCeremony(page);

  await section.getByRole('button', { name: 'Run the self-test' }).focus();
  await page.keyboard.press('Enter');
  await section.getByRole('button', { name: 'Continue to step 2' }).focus();
  await page.keyboard.press('Enter');
  await expect(section.getByRole('heading', { name: 'Step 2 of 3: new user and backup keys' })).toBeFocused();
  await page.keyboard.press('Tab');
  await page.keyboard.type('Shard Vault');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await page.keyboard.type(DICE);
  await page.keyboard.press('Tab');
  await page.keyboard.type(PASS);
  await page.keyboard.press('Tab');
  await page.keyboard.type(PASS);
  await page.keyboard.press('Enter');
  await expect(section.getByRole('heading', { name: 'Step 3 of 3: the KeyCard' })).toBeFocused({ timeout: 150_000 });
  const facts = section.getByRole('definition');
  const userXpub = (await facts.nth(1).textContent())!.trim();
  const backupXpub = (await facts.nth(2).textContent())!.trim();

  // The first laptop's computer entropy onto the drive; the second laptop's form gives the same keys: MATCH.
  const entropyForm = await openCeremonyForm(page, 'Save the computer entropy for the two-laptop check…', 'Save the computer entropy for the two-laptop check');
  await entropyForm.getByRole('button', { name: 'Save the computer entropy to the drive' }).focus();
  await page.keyboard.press('Enter');
  await expect(entropyForm.getByRole('status')).toContainText('shard-vault.computer-entropy.txt');
  const entropy = readFileSync(join(drive, 'shard-vault.computer-entropy.txt'), 'utf8').trim();
  const check = await openCeremonyForm(page, 'Two-laptop check (the second laptop)…', 'Two-laptop check (the second laptop)');
  const typeCheck = async (user: string, backup: string) => {
    await check.getByRole('heading').focus();
    await page.keyboard.press('Tab');
    await expect(check.getByLabel('The same dice rolls (not shown)')).toBeFocused();
    await page.keyboard.type(DICE);
    await page.keyboard.press('Tab');
    await page.keyboard.type(entropy);
    await page.keyboard.press('Tab'); // Show/Hide
    await page.keyboard.press('Tab');
    await expect(check.getByLabel('User key (xpub) shown on the first laptop')).toBeFocused();
    await page.keyboard.press('Control+A');
    await page.keyboard.type(user);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Control+A');
    await page.keyboard.type(backup);
    await page.keyboard.press('Enter');
  };
  await typeCheck(userXpub, backupXpub);
  const verdict = check.getByRole('status');
  await expect(verdict.locator('.ceremony-verdict')).toHaveText('MATCH');
  await expect(verdict).toContainText(backupXpub);
  await typeCheck(userXpub, OTHER);
  await expect(verdict.locator('.ceremony-verdict')).toHaveText('MISMATCH');
  await expect(verdict).toContainText('Backup key: MISMATCH');
  await expect(verdict).toContainText('User key: MATCH');
  await screenshot(page, 'ceremony-two-laptop-mismatch');

  // Make shards: the backup key, 2-of-3, each holder's password twice; a wrong repeat refused and nothing written.
  const make = await openCeremonyForm(page, 'Make shards of a new key…', 'Make shards of a new key');
  const typeHolders = async (repeats: string[]) => {
    await make.getByRole('heading').focus();
    await page.keyboard.press('Tab');
    await expect(make.getByLabel('The key to split')).toBeFocused(); // the backup key, the default
    await page.keyboard.press('Tab'); // m = 2
    await page.keyboard.press('Tab'); // n = 3
    for (const [i, pw] of HOLDERS.entries()) {
      await page.keyboard.press('Tab');
      await expect(make.getByLabel(`Password of shard ${i + 1}`, { exact: true })).toBeFocused();
      await page.keyboard.type(pw);
      await page.keyboard.press('Tab');
      await page.keyboard.type(repeats[i]!);
    }
    await page.keyboard.press('Enter');
  };
  await typeHolders([HOLDERS[0]!, `${HOLDERS[1]}!`, HOLDERS[2]!]);
  await expect(make.getByRole('alert')).toContainText('shard 2');
  await expect(make.getByLabel('Password of shard 2', { exact: true })).toHaveValue('');
  expect(readdirSync(drive).filter((f) => f.includes('shards'))).toEqual([]);
  await typeHolders(HOLDERS);
  const made = make.getByRole('status');
  await expect(made).toContainText('2-of-3 shards of the backup key', { timeout: 60_000 });
  await expect(made).toContainText(backupXpub);
  await screenshot(page, 'ceremony-make-shards');

  // The file on the drive, read back by the core BitGo's verifyShards mirrors.
  const shardText = readFileSync(join(drive, 'shard-vault.backup.shards.json'), 'utf8');
  const set = parseShardSet(shardText, 'shard-vault.backup.shards.json');
  expect(set).toMatchObject({ xpub: backupXpub, m: 2, n: 3 });
  expect(await verifyShards(set, HOLDERS, backupXpub)).toMatchObject({ combinations: 3 });

  // And by the app's own "Verify shards" form.
  const verify = section.getByRole('form', { name: 'Verify shards' });
  await verify.getByLabel(/^The shard file/).fill(shardText);
  for (const [i, pw] of HOLDERS.entries()) await verify.getByLabel(`Password of shard ${i + 1}`).fill(pw);
  await verify.getByLabel('Password of shard 3').press('Enter');
  await expect(verify.getByRole('status')).toContainText('VERIFIED', { timeout: 60_000 });

  // Recombine from holders 1 and 3 (2 absent) under a new passphrase, v2 at BitGo's cost.
  const recombine = await openCeremonyForm(page, 'Recombine shards…', 'Recombine shards');
  await recombine.getByLabel(/^The shard file/).fill(shardText);
  await recombine.getByLabel(/^The shard file/).focus();
  await page.keyboard.press('Tab');
  await expect(recombine.getByLabel('Password of shard 1')).toBeFocused();
  await page.keyboard.type(HOLDERS[0]!);
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await page.keyboard.type(HOLDERS[2]!);
  await page.keyboard.press('Tab');
  await expect(recombine.getByLabel('The new passphrase for the rebuilt key')).toBeFocused();
  await page.keyboard.type(REBUILT);
  await page.keyboard.press('Tab');
  await page.keyboard.type(REBUILT);
  await page.keyboard.press('Enter');
  const rebuilt = recombine.getByRole('status').filter({ hasText: 'Rebuilt from 2 shards' });
  await expect(rebuilt).toBeVisible({ timeout: 90_000 });
  await expect(rebuilt).toContainText(backupXpub);
  await screenshot(page, 'ceremony-recombine');
  const boxName = readdirSync(drive).find((f) => /\.recombined-\d{8}T\d{6}Z\.json$/.test(f))!;
  const box = readFileSync(join(drive, boxName), 'utf8').trim();
  expect(JSON.parse(box)).toMatchObject({ v: 2, m: 65536, t: 3, p: 4 });
  expect(bip32.fromBase58(await decryptEnvelope(box, REBUILT)).neutered().toBase58()).toBe(backupXpub);

  // Reshard 2-of-3 -> 2-of-2 from holders 2 and 3: new holders' passwords twice each; the same key, a new file.
  const reshard = await openCeremonyForm(page, 'Reshard…', 'Reshard');
  await reshard.getByLabel(/^The shard file/).fill(shardText);
  await reshard.getByLabel('Password of shard 2').fill(HOLDERS[1]!);
  await reshard.getByLabel('Password of shard 3').fill(HOLDERS[2]!);
  await reshard.getByLabel('New shards to make (n)').fill('2');
  await expect(reshard.getByLabel('Password of new shard 3', { exact: true })).toHaveCount(0);
  for (const [i, pw] of NEW_HOLDERS.entries()) {
    await reshard.getByLabel(`Password of new shard ${i + 1}`, { exact: true }).fill(pw);
    await reshard.getByLabel(`Password of new shard ${i + 1} again`).fill(pw);
  }
  await reshard.getByLabel('Password of new shard 2 again').press('Enter');
  await expect(reshard.getByRole('status')).toContainText('New 2-of-2 shards of the same key', { timeout: 60_000 });
  const resharded = readdirSync(drive).find((f) => /\.shards-2-of-2-\d{8}T\d{6}Z\.json$/.test(f))!;
  const nextSet = parseShardSet(readFileSync(join(drive, resharded), 'utf8'), resharded);
  expect(await verifyShards(nextSet, NEW_HOLDERS, backupXpub)).toMatchObject({ m: 2, n: 2, combinations: 1 });
  expect(readFileSync(join(drive, 'shard-vault.backup.shards.json'), 'utf8')).toBe(shardText);

  // Nothing secret came back across IPC.
  const all = bridge.responses.join('\n');
  for (const secret of [PASS, REBUILT, ...HOLDERS, ...NEW_HOLDERS, DICE.slice(0, 30), entropy.replace(/\s+/g, '').slice(0, 16), entropy.slice(0, 17), 'xprv', JSON.parse(box).ct as string]) expect(all).not.toContain(secret);
});
