// QR symbols as module matrices and camera-like images, with paulmillr's `qr` (pure JS, audited, encode and
// decode in one package with no dependencies). renderQrMatrix() feeds the UI's canvas; rasterizeQr() and
// decodeQrImage() let tests and the benchmark round-trip text -> image -> text without a camera, and
// decodeQrImage() is what the renderer's frame loop calls on each video frame.
import encodeQR from 'qr';
import decodeQR from 'qr/decode.js';
import { QrError } from './errors';

export type QrEcc = 'low' | 'medium' | 'quartile' | 'high';

/** Module matrix, row-major, true = dark. Border (quiet zone) not included. */
export function renderQrMatrix(text: string, ecc: QrEcc = 'low'): boolean[][] {
  let framed: boolean[][];
  try {
    // The library's smallest border is 1 module; strip it so callers choose their own quiet zone.
    framed = encodeQR(text, 'raw', { ecc, border: 1 });
  } catch {
    throw new QrError('qr_encode_invalid', `a ${text.length}-character text does not fit one QR code at ECC level ${ecc}`);
  }
  return framed.slice(1, -1).map((row) => row.slice(1, -1));
}

export interface RgbaImage {
  width: number;
  height: number;
  data: Uint8Array;
}

/**
 * Draws the matrix centred in a white width x height RGBA image, as big as fits with a 4-module quiet zone
 * (ISO/IEC 18004 requires 4), using whole pixels per module.
 */
export function rasterizeQr(matrix: boolean[][], width: number, height: number): RgbaImage {
  const n = matrix.length;
  const scale = Math.floor(Math.min(width, height) / (n + 8));
  if (scale < 1) throw new QrError('qr_encode_invalid', `a ${n}x${n}-module QR code does not fit a ${width}x${height} image`);
  const data = new Uint8Array(width * height * 4).fill(255);
  const x0 = Math.floor((width - n * scale) / 2);
  const y0 = Math.floor((height - n * scale) / 2);
  for (let r = 0; r < n; r++) {
    const row = matrix[r]!;
    for (let c = 0; c < n; c++) {
      if (!row[c]) continue;
      for (let y = y0 + r * scale; y < y0 + (r + 1) * scale; y++) {
        const base = (y * width + x0 + c * scale) * 4;
        for (let k = 0; k < scale * 4; k += 4) {
          data[base + k] = 0;
          data[base + k + 1] = 0;
          data[base + k + 2] = 0;
        }
      }
    }
  }
  return { width, height, data };
}

/** The text of the QR code in an RGBA image, or undefined when none is found (a normal camera frame). */
export function decodeQrImage(image: RgbaImage): string | undefined {
  try {
    return decodeQR({ width: image.width, height: image.height, data: image.data });
  } catch {
    return undefined;
  }
}
