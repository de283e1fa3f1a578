// The KeyCard: the paper backup of a BitGo wallet, in the layout BitGo's own KeyCard has (BitGoJS
// modules/key-card: generateQrData.ts for the boxes, drawKeycard.ts for the page), so that BitGo's recovery tools
// and its KeyCard reader (parseKeycard.ts: sections found by their "A:".."D:" titles, the data read from the lines
// after "Data:", the reading stopping at "BitGo KeyCard FAQ") read ours too.
//
//   A: User Key               the user key's envelope (encrypted with the wallet password)
//   B: Backup Key             the backup key's envelope
//   C: BitGo Public Key       BitGo's xpub (known only once BitGo made the wallet: the second phase)
//   D: Encrypted wallet Password  the wallet password encrypted with BitGo's passcode encryption code (optional)
//
// Each box: its data as QR code(s) on the left, split into parts of at most 1,500 characters as BitGo splits them
// (QRBinaryMaxLength; each part's QR carries the part's characters only, as BitGo's default does), ECC level L,
// stacked top to bottom in order,
// and the data in full as text on the right (Courier, broken into lines at character boundaries with nothing
// added, so the lines joined are the data). A and B on the first page, C and D on the second (BitGo breaks the
// page before the third box), then a page of notes under BitGo's FAQ title, which is where BitGo's reader stops.
// QR codes are drawn as vector squares (the project's encoder, shared/qr), so they print sharp at any size.
import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import { renderQrMatrix } from '../../shared/qr/image';
import { CeremonyError } from './errors';

export const QR_PART_MAX_CHARS = 1500;
const PAGE = { width: 612, height: 792 } as const; // US Letter in points, as BitGo's
const MARGIN = 30;
const QR_SIZE = 130;
const TEXT_LEFT = MARGIN + QR_SIZE + 15;
const TEXT_WIDTH = PAGE.width - TEXT_LEFT - MARGIN;
const DATA_FONT_SIZE = 9;
const DATA_LINE = 10;

export interface KeyCardBox {
  id: 'A' | 'B' | 'C' | 'D';
  title: string;
  description: string;
  data: string;
}

export interface KeyCardInput {
  walletLabel: string;
  userEncryptedPrv: string;
  backupEncryptedPrv: string;
  bitgoXpub?: string;
  encryptedWalletPassword?: string;
  createdAt: Date;
}

/** The boxes, in BitGo's order and with BitGo's titles (the titles are what readers look for). */
export function keyCardBoxes(input: KeyCardInput): KeyCardBox[] {
  const boxes: KeyCardBox[] = [
    { id: 'A', title: 'A: User Key', description: 'Your private key, encrypted with your wallet password.', data: input.userEncryptedPrv },
    { id: 'B', title: 'B: Backup Key', description: 'Your backup private key, encrypted with your wallet password.', data: input.backupEncryptedPrv },
  ];
  if (input.bitgoXpub !== undefined) boxes.push({ id: 'C', title: 'C: BitGo Public Key', description: 'The public part of the key BitGo co-signs your transactions with.', data: input.bitgoXpub });
  if (input.encryptedWalletPassword !== undefined) {
    boxes.push({ id: 'D', title: 'D: Encrypted wallet Password', description: 'Your wallet password, encrypted with a code held by BitGo.', data: input.encryptedWalletPassword });
  }
  for (const b of boxes) {
    if (b.data.length === 0 || /\s/.test(b.data)) throw new CeremonyError(`box ${b.id} is empty or holds white space, which a KeyCard cannot carry unchanged`, 'keycard_invalid');
  }
  return boxes;
}

/** BitGo's split (key-card utils.ts splitKeys): consecutive pieces of at most `max` characters. */
export function splitQrParts(data: string, max = QR_PART_MAX_CHARS): string[] {
  const parts: string[] = [];
  for (let i = 0; i < data.length; i += max) parts.push(data.slice(i, i + max));
  return parts.length === 0 ? [''] : parts;
}

/** Breaks `data` into lines no wider than `width` at `size` points, at character boundaries, adding nothing. */
function dataLines(data: string, font: PDFFont, size: number, width: number): string[] {
  const perLine = Math.max(1, Math.floor(width / font.widthOfTextAtSize('0', size))); // Courier: every glyph the same width
  const lines: string[] = [];
  for (let i = 0; i < data.length; i += perLine) lines.push(data.slice(i, i + perLine));
  return lines;
}

/**
 * Dark modules as one filled path (runs of a row merged into one rectangle each); the 4-module quiet zone is left
 * white around them. One path, not one rectangle per run: separate rectangles leave anti-aliased seams between
 * rows at some rendering resolutions, which QR readers then take for light modules.
 */
function drawQr(page: PDFPage, text: string, x: number, yTop: number, size: number): void {
  const matrix = renderQrMatrix(text, 'low');
  const n = matrix.length + 8;
  const m = size / n;
  const path: string[] = [];
  matrix.forEach((row, r) => {
    for (let c = 0; c < row.length; ) {
      if (!row[c]) {
        c++;
        continue;
      }
      let end = c;
      while (end < row.length && row[end]) end++;
      // SVG coordinates: y grows downwards from (x, yTop); pdf-lib flips them onto the page.
      path.push(`M${((c + 4) * m).toFixed(3)} ${((r + 4) * m).toFixed(3)}h${((end - c) * m).toFixed(3)}v${m.toFixed(3)}h${(-(end - c) * m).toFixed(3)}Z`);
      c = end;
    }
  });
  page.drawSvgPath(path.join(''), { x, y: yTop, color: rgb(0, 0, 0) });
}

const NOTES: { q: string; a: string[] }[] = [
  { q: 'What is this card?', a: ['It holds what is needed to recover this wallet without BitGo: the two private keys you hold, each', 'encrypted with your wallet password, and BitGo\'s public key. It was made offline by Offline Signer.'] },
  { q: 'How should I keep it?', a: ['Print it, check that boxes A and B open with your wallet password (Offline Signer: ceremony audit),', 'and keep it somewhere safe from fire and water, apart from the password. Do not store it online.'] },
  { q: 'What if I forget the wallet password?', a: ['Without it, boxes A and B cannot be opened. Box D, when present, holds the password encrypted with', 'a code BitGo keeps, so BitGo can help you recover it.'] },
];

export async function drawKeyCard(input: KeyCardInput): Promise<Uint8Array> {
  const boxes = keyCardBoxes(input);
  const doc = await PDFDocument.create();
  doc.setTitle(`KeyCard: ${input.walletLabel}`);
  doc.setProducer('Offline Signer');
  doc.setCreator('Offline Signer key ceremony');
  doc.setCreationDate(input.createdAt);
  doc.setModificationDate(input.createdAt);
  const helvetica = await doc.embedFont(StandardFonts.Helvetica);
  const courier = await doc.embedFont(StandardFonts.Courier);
  const black = rgb(0, 0, 0);
  const gray = rgb(0.3, 0.3, 0.3);
  // Standard fonts carry WinAnsi only: a label with other characters is shown with them replaced, never refused.
  const safe = (text: string) => text.replace(/[^\x20-\x7e]/g, '?');

  let page = doc.addPage([PAGE.width, PAGE.height]);
  let y = PAGE.height - 55;
  page.drawText('KeyCard', { x: PAGE.width - MARGIN - helvetica.widthOfTextAtSize('KeyCard', 24), y, size: 24, font: helvetica, color: black });
  y -= 30;
  page.drawText(`Created on ${input.createdAt.toDateString()} for wallet named:`, { x: MARGIN, y, size: 12, font: helvetica, color: gray });
  y -= 25;
  page.drawText(safe(input.walletLabel), { x: MARGIN, y, size: 15, font: helvetica, color: black });
  y -= 20;
  page.drawRectangle({ x: MARGIN, y: y - 32, width: PAGE.width - 2 * MARGIN, height: 32, color: rgb(1, 0.9, 0.9) });
  page.drawText('Print this document, or keep it offline and safe. Notes on the last page.', { x: MARGIN + 75, y: y - 20, size: 12, font: helvetica, color: rgb(0.89, 0.12, 0.12) });
  y -= 32 + 35;

  for (const [index, box] of boxes.entries()) {
    if (index === 2) {
      page = doc.addPage([PAGE.width, PAGE.height]);
      y = PAGE.height - 30;
    }
    const parts = splitQrParts(box.data);
    const lines = dataLines(box.data, courier, DATA_FONT_SIZE, TEXT_WIDTH);
    const textHeight = 10 + 15 + 30 + 15 + lines.length * DATA_LINE;
    const qrHeight = parts.length * (QR_SIZE + 20);
    if (y - Math.min(Math.max(textHeight, qrHeight), PAGE.height - 60) < 30) {
      page = doc.addPage([PAGE.width, PAGE.height]);
      y = PAGE.height - 30;
    }
    const top = y;
    // Left column: the QR code(s), top to bottom, a new page when the column is full. Parts carry no "Part n" text
    // beside them (BitGo's do): a text reader reads the page line by line, and a label between two lines of data
    // would become part of the data. The note above the data says how many parts there are and their order.
    let qy = top;
    let qrPage = page;
    for (const part of parts) {
      if (qy - QR_SIZE < 30) {
        qrPage = doc.addPage([PAGE.width, PAGE.height]);
        qy = PAGE.height - 30;
      }
      drawQr(qrPage, part, MARGIN, qy, QR_SIZE);
      qy -= QR_SIZE + (parts.length > 1 ? 20 : 0);
    }
    // Right column: title, description, "Data:", the data lines.
    let ty = top - 10;
    page.drawText(box.title, { x: TEXT_LEFT, y: ty, size: 15, font: helvetica, color: black });
    ty -= 15;
    page.drawText(box.description, { x: TEXT_LEFT, y: ty, size: 10, font: helvetica, color: gray });
    if (parts.length > 1) {
      ty -= 15;
      page.drawText(`Note: the QR code is in ${parts.length} parts, top to bottom; join them in that order for the full data.`, { x: TEXT_LEFT, y: ty, size: 9, font: helvetica, color: gray });
    }
    ty -= 30;
    page.drawText('Data:', { x: TEXT_LEFT, y: ty, size: 10, font: helvetica, color: gray });
    ty -= 15;
    for (const line of lines) {
      if (ty < 30) {
        page = doc.addPage([PAGE.width, PAGE.height]);
        ty = PAGE.height - 30;
      }
      page.drawText(line, { x: TEXT_LEFT, y: ty, size: DATA_FONT_SIZE, font: courier, color: black });
      ty -= DATA_LINE;
    }
    // The QR column may have moved to later pages; continue below whichever column ended lower on the last page.
    if (qrPage !== page) page = qrPage;
    y = Math.min(ty + DATA_LINE, qrPage === page ? qy : ty) - 25;
  }

  page = doc.addPage([PAGE.width, PAGE.height]);
  y = PAGE.height - 55;
  // BitGo's title for this page: its KeyCard reader stops reading box data here.
  page.drawText('BitGo KeyCard FAQ', { x: MARGIN, y, size: 24, font: helvetica, color: black });
  y -= 30;
  for (const { q, a } of NOTES) {
    page.drawText(q, { x: MARGIN, y, size: 15, font: helvetica, color: black });
    y -= 20;
    for (const line of a) {
      page.drawText(line, { x: MARGIN, y, size: 11, font: helvetica, color: gray });
      y -= 15;
    }
    y -= 22;
  }
  return doc.save({ useObjectStreams: false });
}
