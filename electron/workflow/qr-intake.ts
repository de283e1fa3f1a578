// Where a request enters by camera, and where a signed result leaves as QR codes.
//
// Receive: the renderer's scanner decodes each video frame to text (in a Web Worker) and sends the text here, one
// frame per call. The assembler (shared/qr/assembler.ts) runs in main, not in the renderer, for two reasons:
// bc-ur 1.x needs Node's global Buffer, which the sandboxed renderer does not have and would only get from a
// polyfill dependency; and the caps on a transfer (bytes, parts) are enforced in the process that creates the
// request, so a modified renderer cannot skip them. A completed payload goes to RequestSession.importScanned,
// i.e. the file import's own parse, duplicate rule, review and audit: a request is the same request however it
// arrived, with the same fingerprint.
//
// Send: the signed result (the bytes export writes) becomes a static QR text when it fits, or an endless frame
// source (UR fountain parts, or BBQr parts rotating each loop) that the send screen pulls a batch at a time.
// UR encoding needs the same Buffer, hence here as well. Signed results are not secret; keys never come near.
import { MAX_QR_TRANSFER_BYTES, MAX_QR_TRANSFER_PARTS, type ImportFileResult, type QrScanResult, type QrShowResult } from '../../shared/contract';
import { SignerError, type ErrorData } from '../../shared/errors';
import { QrAssembler, type QrPayload, type QrPushResult } from '../../shared/qr/assembler';
import { animatedFrameSource, encodeStatic, type AnimatedFrameSource, type QrDensity } from '../../shared/qr/encode';
import { QrError } from '../../shared/qr/errors';
import { hasPsbtMagic, fromHex } from '../../shared/qr/text';
import type { NetworkName } from '../review/build';
import type { RequestSession } from './session';
import { WorkflowError } from './workflow-error';

/** How the payload arrived, in the operator's words (shown as the request's "drive"). */
const SOURCE_WORDS: Record<QrPayload['format'], string> = {
  'static-base64': 'camera, single QR code',
  'static-hex': 'camera, single QR code',
  'static-json': 'camera, single QR code',
  ur: 'camera, animated UR',
  bbqr: 'camera, animated BBQr',
};

/** A frame error as data; anything that is not one of ours says only that the frame could not be read. */
function frameError(e: unknown): ErrorData {
  if (e instanceof SignerError) return e.toData();
  return { error: 'a QR code frame could not be read', name: 'QrTransportError', code: 'qr_part_corrupt' };
}

export class QrIntake {
  readonly #session: RequestSession;
  readonly #assembler = new QrAssembler({ maxBytes: MAX_QR_TRANSFER_BYTES, maxParts: MAX_QR_TRANSFER_PARTS });
  #scans = 0;
  /**
   * The last scan that waits for the operator: a bare PSBT whose wallet could not be told, or a request for a
   * wallet not registered yet. Kept (public bytes, one at a time) so the operator can choose the wallet, or
   * confirm its keys, and import it without scanning again, as a file is imported again.
   */
  #awaitingWallet: { bytes: Uint8Array; name: string; source: string } | undefined;

  constructor(session: RequestSession) {
    this.#session = session;
  }

  async push(text: string): Promise<QrScanResult> {
    let r: QrPushResult;
    try {
      r = this.#assembler.push(text);
    } catch (e) {
      // One misread or hostile frame never ends a scan: the assembler's state is unchanged (or, for a transfer
      // that can no longer complete, dropped so the next frame starts afresh).
      return { status: 'unreadable', error: frameError(e) };
    }
    const restarted = r.status !== 'foreign' && r.restarted !== undefined ? { restarted: r.restarted } : {};
    if (r.status === 'foreign') return { status: 'foreign', message: r.message };
    if (r.status === 'progress') {
      return { status: 'progress', format: r.format, received: r.received, total: r.total, remaining: r.estimatedRemaining ?? Math.max(0, r.total - r.received), ...restarted };
    }
    const name = `QR code ${++this.#scans}`;
    const source = SOURCE_WORDS[r.payload.format];
    const result = await this.#session.importScanned(r.payload.bytes, name, source);
    this.#awaitingWallet = !result.ok && (result.chooseWallet !== undefined || result.register !== undefined) ? { bytes: r.payload.bytes, name, source } : undefined;
    return { status: 'complete', format: r.payload.format, result, ...restarted };
  }

  /**
   * Imports the waiting scan for the operator's choice of wallet, or again once its wallet is registered (same
   * checks as a file's). It keeps waiting until it imports or the scan is reset.
   */
  async chooseWallet(walletId: string, network?: NetworkName): Promise<ImportFileResult> {
    const waiting = this.#awaitingWallet;
    if (!waiting) throw new WorkflowError('no scanned PSBT is waiting for a wallet choice; scan it again', 'qr_nothing_waiting');
    const result = await this.#session.importScanned(waiting.bytes, waiting.name, waiting.source, walletId, network);
    if (result.ok) this.#awaitingWallet = undefined;
    return result;
  }

  reset(): { reset: true } {
    this.#assembler.reset();
    this.#awaitingWallet = undefined;
    return { reset: true };
  }
}

export interface QrShowOptions {
  format: 'ur' | 'bbqr';
  density: QrDensity;
  content: 'response' | 'psbt';
  count: number;
}

/** The signed PSBT inside an Express response ({"txHex": "<PSBT hex>"}); legacy (non-PSBT) results have none. */
function signedPsbt(output: Uint8Array, format: 'json' | 'psbt', file: string): Uint8Array {
  if (format === 'psbt') return output;
  let bytes: Uint8Array | undefined;
  try {
    const { txHex } = JSON.parse(new TextDecoder().decode(output)) as { txHex?: unknown };
    if (typeof txHex === 'string') bytes = fromHex(txHex, `${file} signed result`);
  } catch {
    bytes = undefined; // our own export output; a legacy body or odd hex simply has no PSBT to show
  }
  if (!bytes || !hasPsbtMagic(bytes)) {
    throw new QrError('qr_encode_invalid', `${file}: the signed result is not a PSBT (legacy format); show the whole response instead`);
  }
  return bytes;
}

export class QrDisplay {
  readonly #session: RequestSession;
  /** The one animation on screen: asking for another request, format, density or content starts a new one. */
  #current: { key: string; source: AnimatedFrameSource } | undefined;

  constructor(session: RequestSession) {
    this.#session = session;
  }

  frames(requestId: string, opts: QrShowOptions): QrShowResult {
    const signed = this.#session.signedOutput(requestId);
    const bytes = opts.content === 'psbt' ? signedPsbt(signed.output, signed.format, signed.file) : signed.output;
    const kind = opts.content === 'psbt' || signed.format === 'psbt' ? 'psbt' : 'json';
    const base = { requestId, file: signed.file, kind, bytes: bytes.length } as const;
    const text = encodeStatic(bytes, { kind, density: opts.density });
    if (text !== undefined) return this.#shown({ ...base, mode: 'static', text });
    const key = `${requestId}/${opts.format}/${opts.density}/${opts.content}`;
    if (this.#current?.key !== key) this.#current = { key, source: animatedFrameSource(bytes, { format: opts.format, kind, density: opts.density }) };
    const { source } = this.#current;
    return this.#shown({ ...base, mode: 'animated', format: opts.format, minimumFrames: source.minimumFrames, frames: Array.from({ length: opts.count }, () => source.next()) });
  }

  /** Frames made are frames put on screen: the request is then "shown" (session.ts markShown). */
  #shown(result: QrShowResult): QrShowResult {
    this.#session.markShown(result.requestId);
    return result;
  }
}
