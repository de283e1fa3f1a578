// The QR decoder, off the renderer's main thread (a dedicated Web Worker that Vite bundles as its own file, loaded
// under the CSP's worker-src 'self'). The scan screen transfers one camera frame at a time as an ImageBitmap; this
// reads its pixels and answers with the QR text found, or null. It never sees IPC: the page sends the text on.
import { decodeQrImage } from '../shared/qr/image';

export interface QrWorkerRequest {
  id: number;
  frame: ImageBitmap;
}

export interface QrWorkerAnswer {
  id: number;
  text: string | null;
  /** Decode time in ms (shown as a hint when frames are slow to read). */
  ms: number;
}

// The DOM lib types `self` as Window; in a dedicated worker it is the worker scope (postMessage to the page).
const scope = self as unknown as { onmessage: ((e: MessageEvent<QrWorkerRequest>) => void) | null; postMessage(m: QrWorkerAnswer): void };

let canvas: OffscreenCanvas | null = null;
let ctx: OffscreenCanvasRenderingContext2D | null = null;

scope.onmessage = (e) => {
  const { id, frame } = e.data;
  const start = performance.now();
  let text: string | null = null;
  try {
    if (!canvas || canvas.width !== frame.width || canvas.height !== frame.height) {
      canvas = new OffscreenCanvas(frame.width, frame.height);
      ctx = canvas.getContext('2d', { willReadFrequently: true });
    }
    if (ctx) {
      ctx.drawImage(frame, 0, 0);
      const image = ctx.getImageData(0, 0, frame.width, frame.height);
      text = decodeQrImage({ width: image.width, height: image.height, data: new Uint8Array(image.data.buffer) }) ?? null;
    }
  } finally {
    frame.close();
  }
  scope.postMessage({ id, text, ms: performance.now() - start });
};
