// Videos for Chromium's fake camera (--use-file-for-fake-video-capture): each QR text becomes one grey-scale
// frame, drawn with the project's own encoder (shared/qr/image.ts: the qr package's matrix, 4-module quiet zone),
// written as PGM images and turned into a Y4M video by Debian's ffmpeg. Chromium plays the file in a loop, which
// is what an animated code on a screen looks like to a camera. Generated at test time into the test output folder.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { rasterizeQr, renderQrMatrix } from '../../../shared/qr/image';

export const FFMPEG = '/usr/bin/ffmpeg';

export interface QrVideoOptions {
  width?: number;
  height?: number;
  /** Video frames a second (default 10, a webcam's usual rate). */
  fps?: number;
}

function pgm(width: number, height: number, gray: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from(`P5\n${width} ${height}\n255\n`, 'ascii'), gray]);
}

/**
 * Writes `<dir>/<name>.y4m` showing `texts` one per video frame (an empty list: a blank, QR-free picture) and
 * returns its path.
 */
export function writeQrVideo(dir: string, name: string, texts: readonly string[], opts: QrVideoOptions = {}): string {
  if (!existsSync(FFMPEG)) throw new Error(`${FFMPEG} is missing: apt-get install -y ffmpeg (.ci/run does this)`);
  const width = opts.width ?? 640;
  const height = opts.height ?? 480;
  const frames = join(dir, `${name}-frames`);
  rmSync(frames, { recursive: true, force: true });
  mkdirSync(frames, { recursive: true });
  const images: Uint8Array[] = texts.length === 0 ? [blank(width, height)] : texts.map((t) => toGray(rasterizeQr(renderQrMatrix(t, 'low'), width, height).data));
  images.forEach((gray, i) => writeFileSync(join(frames, `f${String(i).padStart(5, '0')}.pgm`), pgm(width, height, gray)));
  const out = join(dir, `${name}.y4m`);
  execFileSync(FFMPEG, ['-y', '-loglevel', 'error', '-framerate', String(opts.fps ?? 10), '-i', join(frames, 'f%05d.pgm'), '-pix_fmt', 'yuv420p', '-f', 'yuv4mpegpipe', out]);
  rmSync(frames, { recursive: true, force: true });
  return out;
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
