// YUV4MPEG2 ("Y4M") video files, written here byte by byte: the uncompressed format Chromium's fake camera plays
// (--use-file-for-fake-video-capture=<file>.y4m). What its reader (media/capture/video/file_video_capture_device.cc,
// Y4mFileParser) needs, and so what this writes:
// - a header line "YUV4MPEG2 W<width> H<height> F<num>:<den> Ip A1:1 C420jpeg\n". The reader takes the size and the
//   frame rate from it, and stops (CHECK) on any colour format but 4:2:0 (C420, C420jpeg, C420mpeg2, C420paldv)
//   and on mixed interlacing; the header ends where the first "FRAME" starts.
// - each frame as "FRAME\n" and then its three planes, 8 bits a sample: Y (width x height), then U and V (each
//   ceil(width/2) x ceil(height/2)), the I420 layout. The reader reads one frame's bytes and then skips exactly six
//   ("FRAME\n"), so a frame header never carries parameters; at the end of the file it starts again at frame 0.
// Pictures here are grey: the grey level becomes studio-range luma (16..235, ITU-R BT.601, as ffmpeg's yuv420p
// conversion wrote these videos before) and both chroma planes are the neutral 128.
import { closeSync, openSync, writeSync } from 'node:fs';

export interface Y4mFormat {
  width: number;
  height: number;
  /** Frames a second (an integer: the reader divides the header's F<num>:<den> as integers). */
  fps: number;
}

export function y4mHeader({ width, height, fps }: Y4mFormat): string {
  return `YUV4MPEG2 W${width} H${height} F${fps}:1 Ip A1:1 C420jpeg\n`;
}

export const Y4M_FRAME_HEADER = 'FRAME\n';

/** The size of one frame's planes (I420): what the reader reads between two frame headers. */
export function y4mFrameBytes({ width, height }: Pick<Y4mFormat, 'width' | 'height'>): number {
  return width * height + 2 * Math.ceil(width / 2) * Math.ceil(height / 2);
}

/** Grey 0..255 to studio-range luma 16..235 (BT.601): black 16, white 235. */
export function lumaOfGray(gray: number): number {
  return 16 + Math.round((gray * 219) / 255);
}

/**
 * Writes a Y4M file at `path` with one frame per grey picture (width x height bytes, row by row) and returns the
 * path. Frames are written one at a time, so a long video never sits in memory whole.
 */
export function writeY4m(path: string, format: Y4mFormat, frames: Iterable<Uint8Array>): string {
  const { width, height, fps } = format;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 2 || height < 2) throw new Error(`y4m: ${width}x${height} is not a picture size`);
  if (!Number.isInteger(fps) || fps < 1) throw new Error(`y4m: ${fps} frames a second is not a whole positive number`);
  const lumaTable = Uint8Array.from({ length: 256 }, (_, g) => lumaOfGray(g));
  const frame = new Uint8Array(y4mFrameBytes(format)).fill(128);
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, y4mHeader(format));
    let count = 0;
    for (const gray of frames) {
      if (gray.length !== width * height) throw new Error(`y4m: frame ${count} has ${gray.length} samples, not ${width}x${height}`);
      for (let i = 0; i < gray.length; i++) frame[i] = lumaTable[gray[i]!]!;
      writeSync(fd, Y4M_FRAME_HEADER);
      writeSync(fd, frame);
      count++;
    }
    if (count === 0) throw new Error('y4m: a video needs at least one frame');
  } finally {
    closeSync(fd);
  }
  return path;
}
