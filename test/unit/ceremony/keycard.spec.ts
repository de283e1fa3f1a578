// The KeyCard read back (electron/ceremony/keycard.ts): PDF.js finds every box by BitGo's titles and its data by
// BitGo's reader's rule (the lines after "Data:" joined), and every QR code, rendered to pixels by poppler and read
// by two decoders (the project's `qr` and jsqr), carries exactly the box's data, split into BitGo's 1,500-character
// parts when it is longer.
import { createHash } from 'node:crypto';
import { test, expect } from '@playwright/test';
import jsQR from 'jsqr';
import { createKeys } from '../../../electron/ceremony/create';
import { diceEntropy } from '../../../electron/ceremony/entropy';
import { drawKeyCard, splitQrParts } from '../../../electron/ceremony/keycard';
import { bip32 } from '../../../electron/crypto/ecc';
import { decodeQrImage } from '../../../shared/qr/image';
import { hasPdftoppm, keyCardSections, leftColumnPieces, pdfLines, pdfTextNodes, renderPages } from '../../support/pdf-readback';

const BITGO = bip32.fromSeed(Buffer.alloc(64, 3)).neutered().toBase58();
function decodeAll(pdf: Uint8Array, dpi: number): { ours: string[]; jsqr: string[] } {
  const pt = (v: number) => Math.round((v * dpi) / 72);
  const ours: string[] = [];
  const other: string[] = [];
  for (const page of renderPages(pdf, dpi)) {
    // The QR column: x 30..160 pt (drawn 130 pt wide); pieces separated by 10 pt of white.
    for (const piece of leftColumnPieces(page, pt(25), pt(165), pt(10))) {
      const a = decodeQrImage({ width: piece.width, height: piece.height, data: new Uint8Array(piece.data.buffer) });
      const b = jsQR(piece.data, piece.width, piece.height);
      if (a !== undefined) ours.push(a);
      if (b) other.push(b.data);
    }
  }
  return { ours, jsqr: other };
}

test('a KeyCard with boxes A, B, C and D reads back: text by BitGo\'s rule, QR codes by two decoders', async () => {
  test.skip(!hasPdftoppm(), 'pdftoppm (Debian poppler-utils) is not installed; .ci/run installs it');
  test.setTimeout(120_000);
  const { record } = await createKeys({ label: 'Treasury Cold', coin: 'btc', operator: diceEntropy('3615243'.repeat(15)), passphrase: 'correct horse battery staple glue', envelope: { version: 1 } });
  const input = {
    walletLabel: record.label,
    userEncryptedPrv: record.keys.user.encryptedPrv,
    backupEncryptedPrv: record.keys.backup.encryptedPrv,
    bitgoXpub: BITGO,
    encryptedWalletPassword: '{"v":2,"m":65536,"t":3,"p":4,"salt":"AAAAAAAAAAAAAAAAAAAAAA==","iv":"AAAAAAAAAAAAAAAA","ct":"AAAAAAAAAAAAAAAAAAAAAA=="}',
    createdAt: new Date('2026-12-06T03:00:00Z'),
  };
  const pdf = await drawKeyCard(input);
  expect(Buffer.from(pdf.subarray(0, 5)).toString()).toBe('%PDF-');
  const lines = pdfLines(await pdfTextNodes(pdf));
  expect(lines).toContain('KeyCard');
  expect(lines).toContain('Treasury Cold');
  const sections = keyCardSections(lines);
  expect([...sections.keys()]).toEqual(['A: User Key', 'B: Backup Key', 'C: BitGo Public Key', 'D: Encrypted wallet Password']);
  expect(sections.get('A: User Key')).toBe(input.userEncryptedPrv);
  expect(sections.get('B: Backup Key')).toBe(input.backupEncryptedPrv);
  expect(sections.get('C: BitGo Public Key')).toBe(BITGO);
  expect(sections.get('D: Encrypted wallet Password')).toBe(input.encryptedWalletPassword);
  const { ours, jsqr } = decodeAll(pdf, 300);
  const want = [input.userEncryptedPrv, input.backupEncryptedPrv, BITGO, input.encryptedWalletPassword];
  expect(ours).toEqual(want);
  expect(jsqr).toEqual(want);
});

test('data longer than 1,500 characters is split into QR parts as BitGo splits it, each part read back in order', async () => {
  test.skip(!hasPdftoppm(), 'pdftoppm (Debian poppler-utils) is not installed; .ci/run installs it');
  test.setTimeout(120_000);
  // 3,375 characters of varied data (a ciphertext's look: one short pattern repeated 560 times makes a code that
  // jsqr cannot read at any resolution, a trait of that data, not of the card): parts of 1500, 1500, 375.
  const ct = Buffer.concat(Array.from({ length: 79 }, (_, i) => createHash('sha256').update(`keycard ${i}`).digest())).toString('base64').slice(0, 3360);
  const long = `{"v":1,"ct":"${ct}"}`;
  expect(splitQrParts(long).map((p) => p.length)).toEqual([1500, 1500, 375]);
  const pdf = await drawKeyCard({ walletLabel: 'Big', userEncryptedPrv: long, backupEncryptedPrv: '{"v":1}', createdAt: new Date('2026-12-06T03:00:00Z') });
  const sections = keyCardSections(pdfLines(await pdfTextNodes(pdf)));
  expect(sections.get('A: User Key')).toBe(long);
  expect(sections.get('B: Backup Key')).toBe('{"v":1}');
  expect(sections.has('C: BitGo Public Key')).toBe(false);
  // A 1,500-character part is a version-30 code, 145 modules in BitGo's 130 points: 0.32 mm a module, read here
  // from a 600 dpi rendering (a print) by both decoders; at 300 dpi (3.7 pixels a module) they miss some.
  const { ours, jsqr } = decodeAll(pdf, 600);
  expect(ours).toEqual([...splitQrParts(long), '{"v":1}']);
  expect(jsqr).toEqual(ours);
  expect(ours.slice(0, 3).join('')).toBe(long);
});

test('a box that cannot be carried unchanged is refused', async () => {
  await expect(drawKeyCard({ walletLabel: 'x', userEncryptedPrv: 'a b', backupEncryptedPrv: 'c', createdAt: new Date() })).rejects.toMatchObject({ code: 'keycard_invalid' });
  await expect(drawKeyCard({ walletLabel: 'x', userEncryptedPrv: '', backupEncryptedPrv: 'c', createdAt: new Date() })).rejects.toMatchObject({ code: 'keycard_invalid' });
});
