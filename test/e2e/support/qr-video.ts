// Videos for Chromium's fake camera (--use-file-for-fake-video-capture): each QR text becomes one grey-scale
// frame, drawn with the project's own encoder (shared/qr/image.ts: the qr package's matrix, 4-module quiet zone),
// and the frames are written as a Y4M file by ./y4m.ts (no ffmpeg). Chromium plays the file in a loop, which is
// what an animated code on a screen looks like to a camera. Generated at test time into the test output folder.
import { join } from 'node:path';
import { rasterizeQr, renderQrMatrix } from '../../../shared/qr/image';
import { writeY4m } from './y4m';

export interface QrVideoOptions {
  width?: number;
  height?: number;
  /** Video frames a second (default 10, a webcam's usual rate). */
  fps?: number;
}

/**
 * Writes `<dir>/<name>.y4m` showing `texts` one per video frame (an empty list: a blank, QR-free picture) and
 * returns its path.
 */
export function writeQrVideo(dir: string, name: string, texts: readonly string[], opts: QrVideoOptions = {}): string {
  const width = opts.width ?? 640;
  const height = opts.height ?? 480;
  return writeY4m(join(dir, `${name}.y4m`), { width, height, fps: opts.fps ?? 10 }, texts.length === 0 ? [blank(width, height)] : qrFrames(texts, width, height));
}

function* qrFrames(texts: readonly string[], width: number, height: number): Generator<Uint8Array> {
  for (const text of texts) yield toGray(rasterizeQr(renderQrMatrix(text, 'low'), width, height).data);
}

function toGray(rgba: Uint8Array): Uint8Array {
  const gray = new Uint8Array(rgba.length / 4);
  for (let i = 0; i < gray.length; i++) gray[i] = rgba[i * 4]!;
  return gray;
}

/** A light, slightly uneven picture with no code in it (a desk, a wall): what a camera sees most of the time. */
function blank(width: number, height: number): Uint8Array {
  const gray = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) gray[y * width + x] = 180 + ((x >> 5) + (y >> 5)) % 3 * 20;
  return gray;
}
