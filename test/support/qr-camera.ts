// A camera-like view of a QR symbol for tests and the bench: rasterizeQr() draws a perfect symbol with whole pixels
// per module; webcams deliver fractional module sizes, soft edges, sensor noise and a washed-out contrast. This
// draws the matrix at a fractional scale, box-blurs it and adds deterministic noise (xorshift), so decoder checks
// do not rest on the best case only. Pure and seeded: the same arguments give the same image.
import type { RgbaImage } from '../../shared/qr/image';

export interface CameraOptions {
  /** Symbol width as a fraction of the image's shorter side (default 0.6). */
  fill?: number;
  /** Dark and light levels (default 50 and 200 of 255). */
  dark?: number;
  light?: number;
  /** Noise amplitude, +- levels (default 25). */
  noise?: number;
  seed?: number;
}

export function cameraView(matrix: boolean[][], width: number, height: number, opts: CameraOptions = {}): RgbaImage {
  const n = matrix.length;
  const side = Math.min(width, height) * (opts.fill ?? 0.6);
  const module = side / n; // fractional on purpose
  const x0 = (width - side) / 2 + 0.37;
  const y0 = (height - side) / 2 + 0.61;
  const dark = opts.dark ?? 50;
  const light = opts.light ?? 200;
  const gray = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const c = Math.floor((x + 0.5 - x0) / module);
      const r = Math.floor((y + 0.5 - y0) / module);
      gray[y * width + x] = r >= 0 && r < n && c >= 0 && c < n && matrix[r]![c] ? dark : light;
    }
  }
  // 3x3 box blur: soft module edges as from a slightly defocused lens.
  const blurred = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let sum = 0;
      let count = 0;
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const yy = y + dy;
          const xx = x + dx;
          if (yy < 0 || yy >= height || xx < 0 || xx >= width) continue;
          sum += gray[yy * width + xx]!;
          count++;
        }
      }
      blurred[y * width + x] = sum / count;
    }
  }
  let s = (opts.seed ?? 1) >>> 0 || 1;
  const amplitude = opts.noise ?? 25;
  const data = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    const v = Math.max(0, Math.min(255, Math.round(blurred[i]! + ((s / 0xffffffff) * 2 - 1) * amplitude)));
    data[i * 4] = v;
    data[i * 4 + 1] = v;
    data[i * 4 + 2] = v;
    data[i * 4 + 3] = 255;
  }
  return { width, height, data };
}
