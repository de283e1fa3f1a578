// Reading a KeyCard PDF back with tools that are not the ones that wrote it: Mozilla's PDF.js (pdfjs-dist, the
// reader BitGo's own KeyCard parser uses) for the text, and poppler's pdftoppm (Debian's poppler-utils) to render
// the pages to pixels for the QR decoders. The section rule is BitGo's reader's (BitGoJS modules/key-card
// parseKeycard.ts): a line "A:".."D:" starts a box, the lines after "Data:" are its data joined, "BitGo KeyCard FAQ"
// ends the reading. Written here for the tests; nothing is copied.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const hasPdftoppm = (): boolean => ['/usr/bin/pdftoppm', '/usr/local/bin/pdftoppm'].some((p) => existsSync(p));

interface TextNode {
  page: number;
  x: number;
  y: number;
  width: number;
  text: string;
}

/** Every text item with its page and position, through PDF.js. */
export async function pdfTextNodes(pdf: Uint8Array): Promise<TextNode[]> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const doc = await pdfjs.getDocument({ data: Uint8Array.from(pdf), useSystemFonts: false, isEvalSupported: false }).promise;
  const nodes: TextNode[] = [];
  for (let p = 1; p <= doc.numPages; p++) {
    const content = await (await doc.getPage(p)).getTextContent();
    for (const item of content.items) {
      if (!('str' in item) || item.str.trim() === '') continue;
      nodes.push({ page: p, x: item.transform[4] as number, y: item.transform[5] as number, width: item.width, text: item.str });
    }
  }
  await doc.destroy();
  return nodes;
}

/** Visual lines: top to bottom per page, items on the same baseline (within 2 pt) joined left to right. */
export function pdfLines(nodes: TextNode[]): string[] {
  const sorted = [...nodes].sort((a, b) => a.page - b.page || (Math.abs(a.y - b.y) > 2 ? b.y - a.y : a.x - b.x));
  const lines: string[] = [];
  let current: TextNode[] = [];
  for (const n of sorted) {
    const last = current[current.length - 1];
    if (last && (last.page !== n.page || Math.abs(last.y - n.y) > 2)) {
      lines.push(current.map((c) => c.text).join(' '));
      current = [];
    }
    current.push(n);
  }
  if (current.length) lines.push(current.map((c) => c.text).join(' '));
  return lines;
}

/** The boxes as BitGo's KeyCard reader finds them: title line -> the data lines after "Data:", joined. */
export function keyCardSections(lines: string[]): Map<string, string> {
  const out = new Map<string, string>();
  let title: string | undefined;
  let capturing = false;
  for (const line of lines) {
    if (/^BitGo\s+KeyCard\s+FAQ$/i.test(line)) break;
    if (/^[A-D]\s*[:.)-]\s*.+$/.test(line)) {
      title = line.trim();
      capturing = false;
      out.set(title, '');
      continue;
    }
    if (title === undefined) continue;
    if (!capturing) {
      const m = /^data\s*:\s*(.*)$/i.exec(line);
      if (m) {
        capturing = true;
        out.set(title, m[1] ?? '');
      }
    } else out.set(title, out.get(title)! + line);
  }
  return out;
}

export interface GrayImage {
  width: number;
  height: number;
  data: Uint8Array;
}

/** Renders every page to 8-bit gray pixels with pdftoppm at `dpi`. */
export function renderPages(pdf: Uint8Array, dpi: number): GrayImage[] {
  const dir = mkdtempSync(join(tmpdir(), 'keycard-render-'));
  writeFileSync(join(dir, 'card.pdf'), pdf);
  const r = spawnSync('pdftoppm', ['-r', String(dpi), '-gray', join(dir, 'card.pdf'), join(dir, 'page')], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`pdftoppm failed: ${r.stderr}`);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.pgm'))
    .sort()
    .map((f) => parsePgm(readFileSync(join(dir, f))));
}

function parsePgm(buf: Buffer): GrayImage {
  // P5 <w> <h> <max>\n<bytes>; pdftoppm writes no comments.
  let pos = 0;
  const token = () => {
    while (/\s/.test(String.fromCharCode(buf[pos]!))) pos++;
    const start = pos;
    while (!/\s/.test(String.fromCharCode(buf[pos]!))) pos++;
    return buf.subarray(start, pos).toString('ascii');
  };
  if (token() !== 'P5') throw new Error('not a binary PGM');
  const width = Number(token());
  const height = Number(token());
  if (Number(token()) !== 255) throw new Error('PGM max is not 255');
  pos++;
  return { width, height, data: new Uint8Array(buf.subarray(pos, pos + width * height)) };
}

/**
 * The images of the left column's QR codes on a page: the column is cut at white bands at least `gap` pixels high,
 * each piece (with a white margin) becomes an RGBA image for the decoders.
 */
export function leftColumnPieces(page: GrayImage, x0: number, x1: number, gap: number): { width: number; height: number; data: Uint8ClampedArray }[] {
  const rowDark = (y: number) => {
    for (let x = x0; x < x1; x++) if (page.data[y * page.width + x]! < 128) return true;
    return false;
  };
  const pieces: [number, number][] = [];
  let start = -1;
  let white = 0;
  for (let y = 0; y < page.height; y++) {
    if (rowDark(y)) {
      if (start < 0) start = y;
      white = 0;
    } else if (start >= 0 && ++white >= gap) {
      pieces.push([start, y - white]);
      start = -1;
    }
  }
  if (start >= 0) pieces.push([start, page.height - 1]);
  const pad = 40;
  return pieces
    .filter(([a, b]) => b - a > 100)
    .map(([a, b]) => {
      const w = x1 - x0 + 2 * pad;
      const h = b - a + 1 + 2 * pad;
      const data = new Uint8ClampedArray(w * h * 4).fill(255);
      for (let y = a; y <= b; y++) {
        for (let x = x0; x < x1; x++) {
          const v = page.data[y * page.width + x]!;
          const o = ((y - a + pad) * w + (x - x0 + pad)) * 4;
          data[o] = data[o + 1] = data[o + 2] = v;
        }
      }
      return { width: w, height: h, data };
    });
}
