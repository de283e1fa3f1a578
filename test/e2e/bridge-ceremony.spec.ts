// The "Key ceremony" section end to end in Chromium, through the real router, handlers and ceremony core behind the
// test bridge, by keyboard: self-test -> new keys from dice and a passphrase typed twice (BitGo's v2 envelope, its
// default Argon2id cost) -> the KeyCard onto a USB drive with BitGo's xpub. The drive then holds the KeyCard, the
// ceremony file and the public export; the KeyCard read back by PDF.js has boxes A, B, C with exactly the ceremony
// file's envelopes and BitGo's xpub, its QR codes decode to the same, box A opens with the passphrase to the user
// xpub the screen showed; an audit says MATCH and MISMATCH; the public export with BitGo's key carries
// keySignatures the registry verifies and its on-screen QR code decodes to the file; the wallet then goes into the
// wallet registry (its id typed to confirm); and no IPC response carried the dice, the passphrase, a private key or a ciphertext.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bip32 } from '../../electron/crypto/ecc';
import { decryptEnvelope } from '../../electron/keystore/envelope';
import { findWallet, readKeyFile } from '../../electron/keystore/keyfile';
import { keySignatureValid } from '../../electron/registry/registry';
import { decodeQrImage } from '../../shared/qr/image';
import { hasPdftoppm, keyCardSections, leftColumnPieces, pdfLines, pdfTextNodes, renderPages } from '../support/pdf-readback';
import { openCeremony } from './support/ceremony';
import { goToStep } from './support/steps';
import { expect, screenshot, test } from './support/workflow';

const USB = 'KEYCARD USB';
const DICE = '6243516'.repeat(15);
const PASS = 'correct horse battery staple glue';
const WALLET_ID = '5b34252f1bf349930e34020a00000000';
const BITGO = bip32.fromSeed(Buffer.alloc(64, 11)).neutered().toBase58();

test('key ceremony by keyboard: self-test, create from dice, KeyCard with BitGo\'s key onto a drive, read back', async ({ page, bridge, drives }) => {
  test.setTimeout(180_000);
  const drive = drives.drive(USB);
  const section = await openCeremony(page);

  // Step 1: the self-test, by keyboard.
  await section.getByRole('button', { name: 'Run the self-test' }).focus();
  await page.keyboard.press('Enter');
  await expect(section.getByRole('status').filter({ hasText: 'Self-test passed.' })).toBeVisible();
  await section.getByRole('button', { name: 'Continue to step 2' }).focus();
  await page.keyboard.press('Enter');

  // Step 2: its heading has the focus; the fields in tab order; Enter submits.
  await expect(section.getByRole('heading', { name: 'Step 2 of 3: new user and backup keys' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(section.getByLabel('Wallet name')).toBeFocused();
  await page.keyboard.type('Treasury Cold');
  await page.keyboard.press('Tab'); // coin: btc, the default
  await page.keyboard.press('Tab');
  await expect(section.getByLabel(/^Dice rolls/)).toBeFocused();
  await page.keyboard.type(DICE);
  await expect(section.getByText('105 of 99 rolls')).toBeVisible();
  await page.keyboard.press('Tab');
  await page.keyboard.type(PASS);
  await expect(section.getByText(/^Strength: /)).toBeVisible();
  await page.keyboard.press('Tab');
  await page.keyboard.type(PASS);
  await screenshot(page, 'ceremony-create');
  await page.keyboard.press('Enter');

  // Step 3: the new keys and the dice hash the operator can recompute.
  await expect(section.getByRole('heading', { name: 'Step 3 of 3: the KeyCard' })).toBeFocused({ timeout: 150_000 });
  const facts = section.getByRole('definition');
  const userXpub = (await facts.nth(1).textContent())!.trim();
  const backupXpub = (await facts.nth(2).textContent())!.trim();
  expect(userXpub).toMatch(/^xpub[1-9A-HJ-NP-Za-km-z]{100,}$/);
  expect(backupXpub).toMatch(/^xpub/);
  await expect(facts.nth(3)).toContainText(createHash('sha256').update(DICE).digest('hex'));

  await section.getByLabel(/^BitGo's xpub/).fill(BITGO);
  await section.getByLabel(/^BitGo's xpub/).press('Enter');
  const saved = section.getByRole('status').filter({ hasText: `Saved to drive “${USB}”` });
  await expect(saved).toBeVisible({ timeout: 30_000 });
  await expect(saved).toContainText('boxes A, B, C');
  await screenshot(page, 'ceremony-keycard');

  // The drive: the KeyCard, the ceremony file and the public export.
  expect(readdirSync(drive).sort()).toEqual(['treasury-cold.ceremony.json', 'treasury-cold.keycard-with-bitgo.pdf', 'treasury-cold.public.json']);
  const record = JSON.parse(readFileSync(join(drive, 'treasury-cold.ceremony.json'), 'utf8')) as { keys: { user: { xpub: string; encryptedPrv: string }; backup: { xpub: string; encryptedPrv: string } } };
  expect(record.keys.user.xpub).toBe(userXpub);
  expect(record.keys.backup.xpub).toBe(backupXpub);
  expect(JSON.parse(record.keys.user.encryptedPrv)).toMatchObject({ v: 2, m: 65536, t: 3, p: 4 });
  const pdf = new Uint8Array(readFileSync(join(drive, 'treasury-cold.keycard-with-bitgo.pdf')));
  const sections = keyCardSections(pdfLines(await pdfTextNodes(pdf)));
  expect([...sections.keys()]).toEqual(['A: User Key', 'B: Backup Key', 'C: BitGo Public Key']);
  expect(sections.get('A: User Key')).toBe(record.keys.user.encryptedPrv);
  expect(sections.get('B: Backup Key')).toBe(record.keys.backup.encryptedPrv);
  expect(sections.get('C: BitGo Public Key')).toBe(BITGO);
  const xprv = await decryptEnvelope(sections.get('A: User Key')!, PASS);
  expect(bip32.fromBase58(xprv).neutered().toBase58()).toBe(userXpub);
  if (hasPdftoppm()) {
    const pt = (v: number) => Math.round((v * 300) / 72);
    const qr = renderPages(pdf, 300).flatMap((p) => leftColumnPieces(p, pt(25), pt(165), pt(10)).map((piece) => decodeQrImage({ width: piece.width, height: piece.height, data: new Uint8Array(piece.data.buffer) })));
    expect(qr.filter((t) => t !== undefined)).toEqual([record.keys.user.encryptedPrv, record.keys.backup.encryptedPrv, BITGO]);
  }

  // Audit (item 4): box B pasted with its passphrase, against the published backup xpub, then against another key.
  const auditForm = section.getByRole('form', { name: 'Audit a key' });
  await auditForm.getByLabel(/^Box A or B/).fill(record.keys.backup.encryptedPrv);
  await auditForm.getByLabel('The published xpub').fill(backupXpub);
  await auditForm.getByLabel('Its passphrase').fill(PASS);
  await auditForm.getByLabel('Its passphrase').press('Enter');
  await expect(auditForm.getByRole('status')).toContainText('MATCH', { timeout: 30_000 });
  await expect(auditForm.getByRole('status')).not.toContainText('MISMATCH');
  await auditForm.getByLabel('The published xpub').fill(BITGO);
  await auditForm.getByLabel('Its passphrase').fill(PASS);
  await auditForm.getByLabel('Its passphrase').press('Enter');
  await expect(auditForm.getByRole('status')).toContainText('MISMATCH', { timeout: 30_000 });
  await expect(auditForm.getByRole('status')).toContainText(backupXpub);
  await screenshot(page, 'ceremony-audit-mismatch');

  // Public export (item 7). Phase 1's public.json is already on the drive (the KeyCard wrote it): refused, named.
  const exportForm = section.getByRole('form', { name: 'The public export for the online side' });
  await exportForm.getByRole('button', { name: 'Save the public export and show its QR code' }).focus();
  await page.keyboard.press('Enter');
  await expect(exportForm.getByRole('alert')).toContainText('treasury-cold.public.json');
  // Phase 2 by keyboard: BitGo's xpub, the wallet id, the wallet passphrase; Enter submits.
  await exportForm.getByLabel(/^BitGo's key \(its xpub\) for the export/).focus();
  await page.keyboard.type(BITGO);
  await page.keyboard.press('Tab');
  await expect(exportForm.getByLabel(/^BitGo's wallet id/)).toBeFocused();
  await page.keyboard.type(WALLET_ID);
  await page.keyboard.press('Tab');
  await expect(exportForm.getByLabel(/^The wallet passphrase/)).toBeFocused();
  await page.keyboard.type(PASS);
  await page.keyboard.press('Enter');
  const exported = exportForm.getByRole('status').filter({ hasText: 'treasury-cold.public-with-bitgo.json' });
  await expect(exported).toBeVisible({ timeout: 60_000 });
  await expect(exported).toContainText('with keySignatures');
  await screenshot(page, 'ceremony-export');
  const exp = JSON.parse(readFileSync(join(drive, 'treasury-cold.public-with-bitgo.json'), 'utf8')) as { walletId: string; xpubs: { user: string; backup: string; bitgo: string }; keySignatures: { backupPub: string; bitgoPub: string } };
  expect(exp.walletId).toBe(WALLET_ID);
  expect(exp.xpubs).toEqual({ user: userXpub, backup: backupXpub, bitgo: BITGO });
  const userKey = bip32.fromBase58(userXpub);
  expect(keySignatureValid(userKey, backupXpub, exp.keySignatures.backupPub)).toBe(true);
  expect(keySignatureValid(userKey, BITGO, exp.keySignatures.bitgoPub)).toBe(true);
  // The QR code on screen carries the same export.
  const qrCanvas = exportForm.getByRole('img', { name: 'QR code of the public export treasury-cold.public-with-bitgo.json' });
  await expect(qrCanvas).toBeVisible();
  const pixels = await qrCanvas.evaluate((c: HTMLCanvasElement) => {
    const img = c.getContext('2d')!.getImageData(0, 0, c.width, c.height);
    return { width: img.width, height: img.height, data: Array.from(img.data) };
  });
  const qrText = decodeQrImage({ width: pixels.width, height: pixels.height, data: new Uint8Array(pixels.data) });
  expect(JSON.parse(qrText!)).toEqual(exp);

  // The new wallet into the wallet registry (item 7): its form's heading takes the focus; the wallet id typed to confirm.
  const register = section.getByRole('form', { name: 'Enter the new wallet into the wallet registry' });
  await expect(register.getByRole('heading')).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(register.getByLabel('Type the wallet id to confirm')).toBeFocused();
  await page.keyboard.type(WALLET_ID.replace(/0$/, '1'));
  await page.keyboard.press('Enter');
  await expect(register.getByRole('alert')).not.toBeEmpty();
  await register.getByLabel('Type the wallet id to confirm').fill(WALLET_ID);
  await page.keyboard.press('Enter');
  await expect(register.getByRole('status')).toContainText(`Wallet ${WALLET_ID} (“Treasury Cold”, btc) is in the wallet registry`);
  const registered = bridge.responses.filter((r) => r.includes('"how":"ceremony"'));
  expect(registered.length).toBeGreaterThan(0);
  expect(registered.at(-1)).toContain(exp.keySignatures.bitgoPub);
  // The new wallet's key file (item 2), onto the drive: Express's format, the user key as the ceremony encrypted it.
  const keyFileForm = section.getByRole('form', { name: `Save the key file for wallet ${WALLET_ID}` });
  await keyFileForm.getByRole('button', { name: 'Save the key file to the drive' }).click();
  await expect(keyFileForm.getByRole('status')).toContainText('treasury-cold.keys.json');
  const keyFile = readKeyFile(join(drive, 'treasury-cold.keys.json'));
  expect(keyFile.wallets.map((w) => w.walletId)).toEqual([WALLET_ID]);
  expect(bip32.fromBase58(await decryptEnvelope(findWallet(keyFile, WALLET_ID).envelope, PASS)).neutered().toBase58()).toBe(userXpub);
  await screenshot(page, 'ceremony-key-file');

  // The Wallets screen reads the registry again and lists it.
  await goToStep(page, 'Wallets registry');
  await expect(page.getByRole('region', { name: 'Wallets' })).toContainText(WALLET_ID);

  // Nothing secret came back across IPC.
  const all = bridge.responses.join('\n');
  for (const secret of [PASS, DICE.slice(0, 30), 'xprv', record.keys.user.encryptedPrv.slice(20, 60)]) expect(all).not.toContain(secret);
});
