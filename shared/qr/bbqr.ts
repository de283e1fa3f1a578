// BBQr ("Better Bitcoin QR", Coinkite, public domain; spec: github.com/coinkite/BBQr BBQr.md).
// Every frame is `B$` + encoding (H hex, 2 base32, Z raw-deflate wbits=10 then base32) + file type (P PSBT,
// J JSON, ...) + total parts (2 base-36 digits) + this part's index (2 base-36 digits, from 0) + data. All text is
// in the QR alphanumeric set (capitals, digits), so QR codes carry it in the denser alphanumeric mode.
import { Inflate } from 'fflate';
import { deflateRawWindow1k } from './deflate';
import { QrError } from './errors';
import { fromBase32, fromHex, toBase32, toHexUpper } from './text';

export type BbqrEncoding = 'H' | '2' | 'Z';
/** The file types this app sends and accepts: P = PSBT, J = JSON (a signing request). */
export type BbqrFileType = 'P' | 'J';

export const BBQR_HEADER_CHARS = 8;
/** Two base-36 digits: "ZZ" = 1295 parts at most (spec, "Notes"). */
export const BBQR_MAX_PARTS = 36 * 36 - 1;
const ALL_FILE_TYPES = 'PTJCUBX';

export interface BbqrPart<T extends string = BbqrFileType> {
  encoding: BbqrEncoding;
  fileType: T;
  total: number;
  index: number;
  /** The encoded data characters after the header (not yet decoded). */
  data: string;
}

function base36Pair(n: number): string {
  return n.toString(36).toUpperCase().padStart(2, '0');
}

export function isBbqrText(text: string): boolean {
  return text.startsWith('B$');
}

/** Parses and checks one frame's header (P and J only); the data characters are checked when decoded. */
export function parseBbqrPart(text: string): BbqrPart {
  return parseBbqrPartOfType(text, ['P', 'J']);
}

/** As parseBbqrPart, accepting the given spec file types (tests read Coldcard's type-U reference scan). */
export function parseBbqrPartOfType<T extends string>(text: string, accepted: readonly T[]): BbqrPart<T> {
  if (!isBbqrText(text)) throw new QrError('qr_part_corrupt', 'BBQr frame does not start with "B$"');
  if (text.length < BBQR_HEADER_CHARS) throw new QrError('qr_part_corrupt', `BBQr frame is ${text.length} characters, shorter than its 8-character header`);
  const encoding = text[2]!;
  const fileType = text[3]!;
  if (encoding !== 'H' && encoding !== '2' && encoding !== 'Z') throw new QrError('qr_part_corrupt', `BBQr header: encoding "${encoding}" is not H, 2 or Z`);
  if (!ALL_FILE_TYPES.includes(fileType)) throw new QrError('qr_part_corrupt', `BBQr header: file type "${fileType}" is not defined by the spec`);
  if (!(accepted as readonly string[]).includes(fileType)) throw new QrError('qr_type_unsupported', `BBQr file type "${fileType}" is not accepted here (only ${accepted.join(', ')})`);
  const total = parseBase36(text.slice(4, 6), 'total parts');
  const index = parseBase36(text.slice(6, 8), 'part index');
  if (total < 1) throw new QrError('qr_part_corrupt', 'BBQr header: total parts is 0');
  if (index >= total) throw new QrError('qr_part_corrupt', `BBQr header: part index ${index} is not below total ${total}`);
  return { encoding, fileType: fileType as T, total, index, data: text.slice(BBQR_HEADER_CHARS) };
}

function parseBase36(pair: string, field: string): number {
  // The spec mandates capitals; lower case is refused rather than guessed.
  if (!/^[0-9A-Z]{2}$/.test(pair)) throw new QrError('qr_part_corrupt', `BBQr header: ${field} "${pair}" is not two base-36 digits`);
  return parseInt(pair, 36);
}

/** Decodes one part's data characters to bytes (still compressed for Z). */
export function decodeBbqrData(part: BbqrPart<string>): Uint8Array {
  const where = `BBQr part ${part.index} of ${part.total}`;
  return part.encoding === 'H' ? fromHex(part.data, where) : fromBase32(part.data, where);
}

/**
 * Inflates a Z payload, refusing output beyond `maxBytes` while streaming (a small compressed transfer must not
 * be able to exhaust memory: DEFLATE expands up to ~1032x).
 */
export function inflateBbqr(compressed: Uint8Array, maxBytes: number): Uint8Array {
  const chunks: Uint8Array[] = [];
  let size = 0;
  let ended = false;
  const inflater = new Inflate((chunk, final) => {
    size += chunk.length;
    if (size > maxBytes) throw new QrError('qr_transfer_too_large', `BBQr Z payload inflates beyond the ${maxBytes}-byte limit`);
    chunks.push(chunk);
    if (final) ended = true;
  });
  try {
    const step = 16 * 1024;
    for (let i = 0; i < compressed.length; i += step) {
      inflater.push(compressed.subarray(i, i + step), i + step >= compressed.length);
    }
    if (compressed.length === 0) inflater.push(new Uint8Array(0), true);
  } catch (e) {
    if (e instanceof QrError) throw e;
    throw new QrError('qr_part_corrupt', 'BBQr Z payload is not a valid raw DEFLATE stream');
  }
  if (!ended) throw new QrError('qr_part_corrupt', 'BBQr Z payload ends before its final DEFLATE block');
  const out = new Uint8Array(size);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}

/**
 * The file once every part is held: each part's data decoded in index order, concatenated, then inflated for Z.
 * `parts` maps index -> data characters and must hold 0..total-1.
 */
export function joinBbqrData(encoding: BbqrEncoding, total: number, parts: ReadonlyMap<number, string>, maxBytes: number): Uint8Array {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (let index = 0; index < total; index++) {
    const data = parts.get(index);
    if (data === undefined) throw new QrError('qr_part_corrupt', `BBQr part ${index} of ${total} is missing`);
    const chunk = decodeBbqrData({ encoding, fileType: '', total, index, data });
    chunks.push(chunk);
    size += chunk.length;
    if (size > maxBytes) throw new QrError('qr_transfer_too_large', `BBQr transfer of ${total} parts holds more than the ${maxBytes} bytes accepted`);
  }
  const joined = new Uint8Array(size);
  let o = 0;
  for (const c of chunks) {
    joined.set(c, o);
    o += c.length;
  }
  return encoding === 'Z' ? inflateBbqr(joined, maxBytes) : joined;
}

export interface BbqrEncodeOptions {
  fileType: BbqrFileType;
  /** Most characters in one frame, header included. */
  maxChars: number;
  /** Default Z, falling back to 2 when compression does not shrink the data (spec, "Advanced Encodings"). */
  encoding?: BbqrEncoding;
}

/**
 * Splits `bytes` into BBQr frames of (nearly) equal length. The spec requires equal parts except the last, each
 * holding whole bytes; we also spread the data evenly so the last frame is not a hard-to-scan runt.
 */
export function encodeBbqr(bytes: Uint8Array, opts: BbqrEncodeOptions): string[] {
  if (bytes.length === 0) throw new QrError('qr_encode_invalid', 'nothing to encode: the payload is empty');
  let encoding: BbqrEncoding = opts.encoding ?? 'Z';
  let text: string;
  if (encoding === 'Z') {
    const z = deflateRawWindow1k(bytes);
    if (z.length < bytes.length) text = toBase32(z);
    else {
      encoding = '2';
      text = toBase32(bytes);
    }
  } else text = encoding === 'H' ? toHexUpper(bytes) : toBase32(bytes);
  // A part boundary must fall on a whole byte: 2 hex digits or 8 base32 characters (5 bytes).
  const align = encoding === 'H' ? 2 : 8;
  const room = Math.floor((opts.maxChars - BBQR_HEADER_CHARS) / align) * align;
  if (room < align) throw new QrError('qr_encode_invalid', `maxChars ${opts.maxChars} leaves no room for data after the 8-character BBQr header`);
  const needed = Math.ceil(text.length / room);
  if (needed > BBQR_MAX_PARTS) throw new QrError('qr_encode_invalid', `payload needs ${needed} BBQr parts, more than the ${BBQR_MAX_PARTS} the header can count; use a higher density`);
  const per = Math.ceil(text.length / needed / align) * align;
  const count = Math.ceil(text.length / per); // rounding `per` up may leave one part fewer; never an empty one
  const frames: string[] = [];
  for (let i = 0; i < count; i++) {
    frames.push(`B$${encoding}${opts.fileType}${base36Pair(count)}${base36Pair(i)}${text.slice(i * per, (i + 1) * per)}`);
  }
  return frames;
}
