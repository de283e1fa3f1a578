// Send side of the QR transport: turns a signed PSBT (or a JSON document) into one static QR text or a loop of
// animated frames. The UI renders each text with renderQrMatrix() and shows the frames at ~10 fps.
import { encodeBbqr, type BbqrEncoding } from './bbqr';
import { QrError } from './errors';
import { hasPsbtMagic, parseJsonObject, toBase64 } from './text';
import { encodeUr, urFrameStream } from './ur';
import type { QrPayloadKind } from './assembler';

/**
 * Frame sizes in characters. Every frame is upper-case UR or BBQr text, which QR carries in alphanumeric mode
 * (5.5 bits a character). Measured symbol sizes at ECC level L (the level BBQr recommends for screens): "low"
 * ~57-61 modules (version 10-11), "medium" (default) ~77-81 (version 15-16), "high" ~101 (version 21). Medium moves
 * a 10 KB PSBT in 1.5 s (BBQr Z) to 3 s (UR) at 10 fps, and a 640x480 webcam still sees ~5 px per module.
 */
export const QR_DENSITY_CHARS = { low: 400, medium: 800, high: 1400 } as const;
export type QrDensity = keyof typeof QR_DENSITY_CHARS;

export interface QrEncodeOptions {
  kind: QrPayloadKind;
  /** Default 'medium'. Ignored when maxFragmentChars is given. */
  density?: QrDensity;
  /** Most characters in one frame (overrides density). */
  maxFragmentChars?: number;
}

export interface AnimatedOptions extends QrEncodeOptions {
  format: 'ur' | 'bbqr';
  /** UR: extra fountain frames as a fraction of the plain fragments (default 1). */
  urRedundancy?: number;
  /** BBQr: data encoding (default Z with fallback to base32 when compression does not help). */
  bbqrEncoding?: BbqrEncoding;
}

function frameChars(opts: QrEncodeOptions): number {
  const chars = opts.maxFragmentChars ?? QR_DENSITY_CHARS[opts.density ?? 'medium'];
  if (!Number.isInteger(chars) || chars < 50 || chars > 4296) {
    throw new QrError('qr_encode_invalid', `maxFragmentChars ${chars} is outside 50..4296 (4296 = QR version 40 alphanumeric)`);
  }
  return chars;
}

function checkKind(bytes: Uint8Array, kind: QrPayloadKind): void {
  if (bytes.length === 0) throw new QrError('qr_encode_invalid', 'nothing to encode: the payload is empty');
  if (kind === 'psbt' && !hasPsbtMagic(bytes)) throw new QrError('qr_encode_invalid', 'payload of kind psbt does not start with the BIP174 magic 70736274ff');
  if (kind === 'json' && parseJsonObject(bytes) === undefined) throw new QrError('qr_encode_invalid', 'payload of kind json is not a UTF-8 JSON object');
}

/** Animated frames (UR fountain-coded, or BBQr fixed parts), each at most the chosen density's characters. */
export function encodeAnimated(bytes: Uint8Array, opts: AnimatedOptions): string[] {
  checkKind(bytes, opts.kind);
  const maxChars = frameChars(opts);
  if (opts.format === 'ur') {
    return encodeUr(bytes, { type: opts.kind === 'psbt' ? 'crypto-psbt' : 'bytes', maxChars, redundancy: opts.urRedundancy ?? 1 });
  }
  return encodeBbqr(bytes, { fileType: opts.kind === 'psbt' ? 'P' : 'J', maxChars, encoding: opts.bbqrEncoding ?? 'Z' });
}

/**
 * One static QR text when the payload fits the density: a PSBT as base64 (what Sparrow, Electrum, Core's GUI
 * and BitGo tooling accept), a JSON request as its own text. Undefined when it does not fit.
 */
export function encodeStatic(bytes: Uint8Array, opts: QrEncodeOptions): string | undefined {
  checkKind(bytes, opts.kind);
  const maxChars = frameChars(opts);
  // base64 is byte mode in a QR (8 bits a character) while the alphanumeric budget is 5.5 bits a character.
  const budget = Math.floor((maxChars * 5.5) / 8);
  const text = opts.kind === 'psbt' ? toBase64(bytes) : new TextDecoder().decode(bytes);
  return new TextEncoder().encode(text).length <= budget ? text : undefined;
}

/** An endless source of frames for the send screen: call next() on every display tick. */
export interface AnimatedFrameSource {
  /** Frames a receiver needs at least (UR: plain fragments; BBQr: parts). */
  readonly minimumFrames: number;
  next(): string;
}

/**
 * Like encodeAnimated, but lazily: BBQr loops over its fixed parts (each loop rotated by one); UR sends its plain
 * fragments and then fresh fountain mixes forever, so a receiver that missed frames gets new information instead
 * of a repeat.
 */
export function animatedFrameSource(bytes: Uint8Array, opts: Omit<AnimatedOptions, 'urRedundancy'>): AnimatedFrameSource {
  checkKind(bytes, opts.kind);
  const maxChars = frameChars(opts);
  if (opts.format === 'ur') {
    const stream = urFrameStream(bytes, { type: opts.kind === 'psbt' ? 'crypto-psbt' : 'bytes', maxChars });
    return { minimumFrames: stream.fragments, next: () => stream.next() };
  }
  const frames = encodeBbqr(bytes, { fileType: opts.kind === 'psbt' ? 'P' : 'J', maxChars, encoding: opts.bbqrEncoding ?? 'Z' });
  // Each loop starts one part later: a receiver that drops frames periodically (e.g. every 3rd, from a camera
  // at a rate related to ours) would otherwise miss the same parts in every loop when the period divides the
  // loop length.
  let shown = 0;
  return {
    minimumFrames: frames.length,
    next: () => {
      const loop = Math.floor(shown / frames.length);
      const frame = frames[(shown + loop) % frames.length]!;
      shown++;
      return frame;
    },
  };
}
