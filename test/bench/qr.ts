// QR transport: how many frames and seconds a payload takes at the default density and 10 fps, for UR and BBQr,
// with no loss and with every 10th shown frame missed (the receiver keeps scanning the looping animation), and
// how long one camera frame takes to decode at 640x480 and 1280x720 with paulmillr's `qr` (used by the app) vs
// `jsqr` (the long-standing standard; baseline). Images are rasterised symbols: a best case without blur, glare or
// perspective, so the decode figures are a lower bound for a real webcam.
import jsQR from 'jsqr';
import { QrAssembler } from '../../shared/qr/assembler';
import { encodeAnimated, QR_DENSITY_CHARS } from '../../shared/qr/encode';
import { decodeQrImage, rasterizeQr, renderQrMatrix } from '../../shared/qr/image';
import { cameraView } from '../support/qr-camera';
import { psbtOfSize } from '../support/qr-payloads';
import { measure, type BenchRow, type Section } from './harness';

const FPS = 10;

/** Frames shown (looping) until the assembler completes; `missEvery` drops every n-th shown frame. */
function framesUntilDone(frames: string[], missEvery: number): number {
  const a = new QrAssembler();
  for (let shown = 1; shown <= frames.length * 20; shown++) {
    if (missEvery > 0 && shown % missEvery === 0) continue;
    if (a.push(frames[(shown - 1) % frames.length]!).status === 'done') return shown;
  }
  throw new Error('transfer did not complete in 20 loops');
}

export const qrSection: Section = {
  name: `QR transport (default density ${QR_DENSITY_CHARS.medium} chars/frame, ${FPS} fps)`,
  async run(): Promise<BenchRow[]> {
    const rows: BenchRow[] = [];
    for (const [label, size] of [['1 KB', 1024], ['10 KB', 10 * 1024], ['100 KB', 100 * 1024]] as const) {
      const bytes = psbtOfSize(size);
      for (const format of ['ur', 'bbqr'] as const) {
        const frames = encodeAnimated(bytes, { format, kind: 'psbt' });
        const clean = framesUntilDone(frames, 0);
        const lossy = framesUntilDone(frames, 10);
        const encodeMs = await measure(() => encodeAnimated(bytes, { format, kind: 'psbt' }), { runs: 5, budgetMs: 10_000 });
        const row: BenchRow = {
          name: `${label} PSBT, ${format === 'ur' ? 'UR crypto-psbt' : `BBQr ${frames[0]!.slice(2, 3)}`}: encode`,
          ms: encodeMs,
          extra: {
            'frames in loop': frames.length,
            'frames to decode': clean,
            's @10fps': (clean / FPS).toFixed(1),
            'frames, 10% missed': lossy,
            's, 10% missed': (lossy / FPS).toFixed(1),
          },
        };
        if (size === 10 * 1024) row.goal = { text: '10 KB in at most 4 s (no loss)', met: clean / FPS <= 4 };
        rows.push(row);
      }
    }
    // One full-size frame of the default density, as the camera would see it.
    const frame = encodeAnimated(psbtOfSize(10 * 1024), { format: 'ur', kind: 'psbt' })[1]!;
    const matrix = renderQrMatrix(frame, 'low');
    for (const [w, h] of [[640, 480], [1280, 720]] as const) {
      const image = rasterizeQr(matrix, w, h);
      if (decodeQrImage(image) !== frame) throw new Error(`qr did not decode the ${w}x${h} frame`);
      const clamped = new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.byteLength);
      if (jsQR(clamped, w, h)?.data !== frame) throw new Error(`jsqr did not decode the ${w}x${h} frame`);
      const base = `decode ${w}x${h}, ${matrix.length}x${matrix.length} modules: jsqr`;
      rows.push({ name: base, ms: await measure(() => jsQR(clamped, w, h, { inversionAttempts: 'dontInvert' }), { runs: 9 }) });
      const ms = await measure(() => decodeQrImage(image), { runs: 9 });
      rows.push({ name: `decode ${w}x${h}, ${matrix.length}x${matrix.length} modules: qr (used)`, ms, baseline: base, goal: { text: `under one frame at ${FPS} fps (${1000 / FPS} ms)`, met: ms < 1000 / FPS } });
    }
    // Camera-like views (fractional modules, blur, noise, low contrast; test/support/qr-camera.ts), symbol across
    // 60% of the shorter side: which densities each resolution can read, and the decode time per frame.
    const sample = psbtOfSize(10 * 1024);
    for (const [w, h] of [[640, 480], [1280, 720]] as const) {
      for (const density of ['low', 'medium', 'high'] as const) {
        const frames = encodeAnimated(sample, { format: 'bbqr', kind: 'psbt', density }).slice(0, 5);
        const images = frames.map((f, i) => cameraView(renderQrMatrix(f, 'low'), w, h, { seed: i + 1 }));
        const modules = renderQrMatrix(frames[0]!, 'low').length;
        const okQr = images.filter((img, i) => decodeQrImage(img) === frames[i]).length;
        const okJs = images.filter((img, i) => jsQR(new Uint8ClampedArray(img.data.buffer, img.data.byteOffset, img.data.byteLength), w, h)?.data === frames[i]).length;
        let k = 0;
        const ms = await measure(() => decodeQrImage(images[k++ % images.length]!), { runs: 5, budgetMs: 10_000 });
        rows.push({
          name: `camera-like ${w}x${h}, ${density} (${modules} modules, ${((Math.min(w, h) * 0.6) / modules).toFixed(1)} px/module): qr decode`,
          ms,
          extra: { 'qr decoded': `${okQr}/${images.length}`, 'jsqr decoded': `${okJs}/${images.length}` },
          goal: { text: 'every frame decoded', met: okQr === images.length },
        });
      }
    }
    return rows;
  },
};
