// The fake camera's videos (test/e2e/support/y4m.ts, qr-video.ts), written in JavaScript without ffmpeg, read back
// the way Chromium's Y4M reader reads them (media/capture/video/file_video_capture_device.cc, Y4mFileParser): the
// header up to the first "FRAME", its W, H, F and C tags, then fixed-size I420 frames each after exactly
// "FRAME\n". That Chromium plays them is shown by the e2e QR specs (test/e2e/bridge-qr-*.spec.ts), whose videos
// these are.
import { test, expect } from '@playwright/test';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeQrImage } from '../../../shared/qr/image';
import { writeQrVideo } from '../../e2e/support/qr-video';
import { lumaOfGray, writeY4m, y4mFrameBytes } from '../../e2e/support/y4m';

interface ReadY4m {
  width: number;
  height: number;
  fps: number;
  colour: string;
  /** Each frame's Y, U and V planes. */
  frames: { y: Uint8Array; u: Uint8Array; v: Uint8Array }[];
}

/** Reads a Y4M file by the rules of Chromium's reader, failing where its CHECKs would. */
function readY4m(file: Buffer): ReadY4m {
  const headerEnd = file.indexOf('FRAME');
  expect(headerEnd).toBeGreaterThan(0);
  const header = file.subarray(0, headerEnd).toString('latin1');
  expect(header).toMatch(/^YUV4MPEG2 .*\n$/);
  const tags = new Map(header.trim().split(' ').slice(1).map((t) => [t[0]!, t.slice(1)]));
  const colour = tags.get('C') ?? '420';
  expect(['420', '420jpeg', '420mpeg2', '420paldv']).toContain(colour);
  expect(tags.get('I')).not.toBe('m');
  const [num, den] = tags.get('F')!.split(':').map(Number);
  const width = Number(tags.get('W'));
  const height = Number(tags.get('H'));
  const size = y4mFrameBytes({ width, height });
  const cw = Math.ceil(width / 2);
  const ch = Math.ceil(height / 2);
  const frames: ReadY4m['frames'] = [];
  for (let at = headerEnd; at < file.length; at += 6 + size) {
    expect(file.subarray(at, at + 6).toString('latin1')).toBe('FRAME\n');
    const planes = file.subarray(at + 6, at + 6 + size);
    expect(planes.length).toBe(size);
    frames.push({ y: planes.subarray(0, width * height), u: planes.subarray(width * height, width * height + cw * ch), v: planes.subarray(width * height + cw * ch) });
  }
  return { width, height, fps: Math.trunc(num! / den!), colour, frames };
}

/** Studio-range luma back to RGBA grey, as the page sees the camera's picture. */
function rgbaOfLuma(y: Uint8Array): Uint8Array {
  const rgba = new Uint8Array(y.length * 4);
  for (let i = 0; i < y.length; i++) {
    rgba.fill(Math.max(0, Math.min(255, Math.round(((y[i]! - 16) * 255) / 219))), i * 4, i * 4 + 3);
    rgba[i * 4 + 3] = 255;
  }
  return rgba;
}

let dir: string;
test.beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'offline-signer-y4m-'));
});
test.afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('header, frame layout and sizes as the reader expects; grey to studio-range luma, neutral chroma', () => {
  const frames = [Uint8Array.from({ length: 24 }, (_, i) => i * 11), new Uint8Array(24).fill(255)];
  const file = readFileSync(writeY4m(join(dir, 'small.y4m'), { width: 6, height: 4, fps: 15 }, frames));
  expect(file.subarray(0, file.indexOf('FRAME')).toString('latin1')).toBe('YUV4MPEG2 W6 H4 F15:1 Ip A1:1 C420jpeg\n');
  const video = readY4m(file);
  expect([video.width, video.height, video.fps, video.colour, video.frames.length]).toEqual([6, 4, 15, '420jpeg', 2]);
  expect(file.length).toBe('YUV4MPEG2 W6 H4 F15:1 Ip A1:1 C420jpeg\n'.length + 2 * (6 + 6 * 4 + 2 * 3 * 2));
  expect([...video.frames[0]!.y]).toEqual([...frames[0]!].map(lumaOfGray));
  expect([...video.frames[1]!.y]).toEqual(new Array(24).fill(235));
  for (const f of video.frames) expect([...f.u, ...f.v]).toEqual(new Array(12).fill(128));
  expect([lumaOfGray(0), lumaOfGray(128), lumaOfGray(255)]).toEqual([16, 126, 235]);
});

test('odd sizes round the chroma planes up, as I420 does', () => {
  const video = readY4m(readFileSync(writeY4m(join(dir, 'odd.y4m'), { width: 5, height: 3, fps: 10 }, [new Uint8Array(15)])));
  expect([video.frames[0]!.y.length, video.frames[0]!.u.length, video.frames[0]!.v.length]).toEqual([15, 6, 6]);
});

test('refused: a frame of the wrong size, no frame at all, a fractional frame rate, a size below 2x2', () => {
  expect(() => writeY4m(join(dir, 'bad.y4m'), { width: 4, height: 4, fps: 10 }, [new Uint8Array(15)])).toThrow('frame 0 has 15 samples, not 4x4');
  expect(() => writeY4m(join(dir, 'bad.y4m'), { width: 4, height: 4, fps: 10 }, [])).toThrow('at least one frame');
  expect(() => writeY4m(join(dir, 'bad.y4m'), { width: 4, height: 4, fps: 7.5 }, [new Uint8Array(16)])).toThrow('7.5 frames a second');
  expect(() => writeY4m(join(dir, 'bad.y4m'), { width: 1, height: 4, fps: 10 }, [new Uint8Array(4)])).toThrow('1x4 is not a picture size');
});

test('a QR video: one 640x480 frame per text at 10 fps, each frame a code that decodes to its text; blank has none', () => {
  const texts = ['B$ZJ0100FIRSTPART', 'B$ZJ0101SECONDPART', 'ur:bytes/hdcxlkahssqzwfvslofzoxwkrewngotktbmwjkwdcmnefsaaehrlolkskncnktlbaypkrphsmyid'];
  const video = readY4m(readFileSync(writeQrVideo(dir, 'codes', texts)));
  expect([video.width, video.height, video.fps, video.frames.length]).toEqual([640, 480, 10, 3]);
  video.frames.forEach((f, i) => expect(decodeQrImage({ width: 640, height: 480, data: rgbaOfLuma(f.y) })).toBe(texts[i]));
  const blank = readY4m(readFileSync(writeQrVideo(dir, 'blank', [], { width: 320, height: 240, fps: 5 })));
  expect([blank.width, blank.height, blank.fps, blank.frames.length]).toEqual([320, 240, 5, 1]);
  expect(decodeQrImage({ width: 320, height: 240, data: rgbaOfLuma(blank.frames[0]!.y) })).toBeUndefined();
});
