// Receive side of the QR transport: the camera loop decodes each video frame to text and pushes it here, one at a
// time. Recognises a single-frame PSBT (base64 or hex) or JSON request, animated UR and animated BBQr, in any
// order, with duplicates, and survives a code from another transfer appearing mid-scan by restarting on it.
//
// What push() does with each text:
// - a frame of the transfer in progress: stored (duplicates ignored) -> 'progress' or 'done';
// - a frame of another transfer (other format, other UR checksum/length, other BBQr header, or a BBQr part
//   that contradicts one already held): the old transfer is dropped and the new one starts -> 'progress' with
//   `restarted` set (or 'done' if that frame completes it);
// - text that is none of the accepted formats (a URL, an address, a seed QR...) -> 'foreign', state unchanged;
// - a frame of a known format that is corrupt, unsupported or over a cap -> throws QrError (coded), state
//   unchanged, so one misread frame never ends a scan.
import { BBQR_MAX_PARTS, decodeBbqrData, isBbqrText, joinBbqrData, parseBbqrPart, type BbqrPart } from './bbqr';
import { QrError } from './errors';
import { fromBase64, fromHex, hasPsbtMagic, parseJsonObject } from './text';
import { isUrText, parseUrFrame, uncborBytes, UrReceiver, type UrPayloadType } from './ur';

export type QrPayloadKind = 'psbt' | 'json';

export interface QrPayload {
  kind: QrPayloadKind;
  bytes: Uint8Array;
  /** How it arrived, for the audit log and the review screen. */
  format: 'static-base64' | 'static-hex' | 'static-json' | 'ur' | 'bbqr';
}

export type QrPushResult =
  | {
      status: 'progress';
      format: 'ur' | 'bbqr';
      /** Distinct parts held (BBQr) or fragments recovered (UR). */
      received: number;
      /** Parts in the transfer (BBQr) or plain fragments in the message (UR). */
      total: number;
      /** Parts still needed: exact for BBQr, at least this many for UR (fountain parts may each add less). */
      estimatedRemaining?: number;
      /** Set when this frame began a new transfer and dropped a partial one (say so to the operator). */
      restarted?: string;
    }
  | { status: 'done'; payload: QrPayload; restarted?: string }
  | { status: 'foreign'; message: string };

export interface QrAssemblerLimits {
  /** Largest payload accepted, in bytes, before and after decompression (default 4 MiB). */
  maxBytes?: number;
  /** Most parts (BBQr) or fragments (UR) a transfer may announce (default 1295, the BBQr maximum). */
  maxParts?: number;
}

export const QR_DEFAULT_MAX_BYTES = 4 * 1024 * 1024;

type Transfer =
  | { format: 'ur'; id: string; type: UrPayloadType; receiver: UrReceiver }
  | { format: 'bbqr'; id: string; header: BbqrPart; parts: Map<number, string> };

export class QrAssembler {
  private readonly maxBytes: number;
  private readonly maxParts: number;
  private current: Transfer | undefined;

  constructor(limits: QrAssemblerLimits = {}) {
    this.maxBytes = limits.maxBytes ?? QR_DEFAULT_MAX_BYTES;
    this.maxParts = limits.maxParts ?? BBQR_MAX_PARTS;
  }

  /** Drops any partial transfer (operator pressed cancel, or a payload was delivered). */
  reset(): void {
    this.current = undefined;
  }

  push(raw: string): QrPushResult {
    // Scanners may keep a trailing newline; nothing else is trimmed (all formats are whitespace-free).
    const text = raw.replace(/^\uFEFF/, '').trim();
    if (isUrText(text)) return this.pushUr(text);
    if (isBbqrText(text)) return this.pushBbqr(text);
    const single = this.staticPayload(text);
    if (single === undefined) return { status: 'foreign', message: describeForeign(text) };
    return this.finish(single, this.dropForNew('a single-frame code'));
  }

  // ---- single-frame codes -----------------------------------------------------------------------------------

  private staticPayload(text: string): QrPayload | undefined {
    // base64 of the BIP174 magic "psbt\xff" starts "cHNidP8"; hex starts "70736274ff".
    if (text.startsWith('cHNidP8')) {
      this.checkSize(Math.floor((text.length * 3) / 4), 'single-frame base64 PSBT');
      return this.psbt(fromBase64(text, 'single-frame base64 PSBT'), 'static-base64');
    }
    if (/^70736274ff/i.test(text)) {
      this.checkSize(text.length / 2, 'single-frame hex PSBT');
      return this.psbt(fromHex(text, 'single-frame hex PSBT'), 'static-hex');
    }
    if (text.startsWith('{')) {
      const bytes = new TextEncoder().encode(text);
      this.checkSize(bytes.length, 'single-frame JSON request');
      if (parseJsonObject(bytes) === undefined) throw new QrError('qr_payload_invalid', 'single-frame code starts like JSON but is not a JSON object');
      return { kind: 'json', bytes, format: 'static-json' };
    }
    return undefined;
  }

  // ---- UR ------------------------------------------------------------------------------------------------------

  private pushUr(text: string): QrPushResult {
    const frame = parseUrFrame(text);
    if (frame.cbor) {
      this.checkSize(frame.cbor.length, `ur:${frame.type} single-part frame`);
      const payload = this.urPayload(frame.type, frame.cbor);
      return this.finish(payload, this.dropForNew(`a single-part ur:${frame.type}`));
    }
    const part = frame.part!;
    if (part.seqLen > this.maxParts) throw new QrError('qr_transfer_too_large', `ur:${frame.type} announces ${part.seqLen} fragments, more than the ${this.maxParts} accepted`);
    this.checkSize(part.messageLen, `ur:${frame.type} transfer`);
    const id = `${frame.type}/${part.seqLen}/${part.messageLen}/${part.checksum}`;
    let restarted: string | undefined;
    if (this.current?.format !== 'ur' || this.current.id !== id) {
      restarted = this.dropForNew(`another ur:${frame.type} transfer`);
      this.current = { format: 'ur', id, type: frame.type, receiver: new UrReceiver(part.seqLen) };
    }
    const transfer = this.current;
    let cbor: Uint8Array | undefined;
    try {
      cbor = transfer.receiver.receive(text, part.seqNum);
    } catch (e) {
      // A transfer over its part budget or failing its message checksum cannot recover: drop it so the next
      // frame starts clean. A single refused frame leaves the transfer as it was.
      if (e instanceof QrError && (e.code === 'qr_transfer_too_large' || transfer.receiver.failed())) this.current = undefined;
      throw e;
    }
    if (cbor) return this.finish(this.completed(() => this.urPayload(transfer.type, cbor)), restarted);
    const { received, total } = transfer.receiver.progress();
    return withRestart({ status: 'progress', format: 'ur', received, total, estimatedRemaining: Math.max(1, total - received) }, restarted);
  }

  private urPayload(type: UrPayloadType, cbor: Uint8Array): QrPayload {
    const bytes = uncborBytes(cbor, `ur:${type} message`);
    if (type === 'bytes') {
      // ur:bytes is untyped: accept a PSBT by its magic, else it must be a JSON request.
      if (hasPsbtMagic(bytes)) return { kind: 'psbt', bytes, format: 'ur' };
      if (parseJsonObject(bytes) === undefined) throw new QrError('qr_payload_invalid', 'ur:bytes payload is neither a PSBT nor a JSON object');
      return { kind: 'json', bytes, format: 'ur' };
    }
    return this.psbt(bytes, 'ur');
  }

  // ---- BBQr ----------------------------------------------------------------------------------------------------

  private pushBbqr(text: string): QrPushResult {
    const part = parseBbqrPart(text);
    if (part.total > this.maxParts) throw new QrError('qr_transfer_too_large', `BBQr transfer announces ${part.total} parts, more than the ${this.maxParts} accepted`);
    // Decoding the data now rejects a corrupt part before it can displace good ones.
    const data = decodeBbqrData(part);
    // Every part but the last has the same length, so one part bounds the whole transfer (before inflation).
    if (part.index < part.total - 1) this.checkSize(data.length * (part.total - 1), `BBQr transfer of ${part.total} parts`);
    else this.checkSize(data.length, `BBQr part ${part.index}`);
    const id = `${part.encoding}${part.fileType}${part.total}`;
    let restarted: string | undefined;
    const held = this.current?.format === 'bbqr' && this.current.id === id ? this.current : undefined;
    if (!held || contradicts(held.parts, part)) {
      restarted = this.dropForNew(`another BBQr transfer (${part.total} parts)`);
      this.current = { format: 'bbqr', id, header: part, parts: new Map() };
    }
    const transfer = this.current as Extract<Transfer, { format: 'bbqr' }>;
    transfer.parts.set(part.index, part.data);
    if (transfer.parts.size < part.total) {
      return withRestart({ status: 'progress', format: 'bbqr', received: transfer.parts.size, total: part.total, estimatedRemaining: part.total - transfer.parts.size }, restarted);
    }
    return this.finish(this.completed(() => this.bbqrPayload(transfer)), restarted);
  }

  private bbqrPayload(transfer: Extract<Transfer, { format: 'bbqr' }>): QrPayload {
    const { header } = transfer;
    const bytes = joinBbqrData(header.encoding, header.total, transfer.parts, this.maxBytes);
    if (header.fileType === 'P') return this.psbt(bytes, 'bbqr');
    if (parseJsonObject(bytes) === undefined) throw new QrError('qr_payload_invalid', 'BBQr type J payload is not a JSON object');
    return { kind: 'json', bytes, format: 'bbqr' };
  }

  // ---- helpers -------------------------------------------------------------------------------------------------

  private psbt(bytes: Uint8Array, format: QrPayload['format']): QrPayload {
    // BIP174: "The magic bytes ... 0x70736274 ... followed by a separator of 0xFF".
    if (!hasPsbtMagic(bytes)) throw new QrError('qr_payload_invalid', `${format} payload announced as a PSBT does not start with the BIP174 magic 70736274ff`);
    return { kind: 'psbt', bytes, format };
  }

  private checkSize(bytes: number, what: string): void {
    if (bytes > this.maxBytes) throw new QrError('qr_transfer_too_large', `${what} holds about ${Math.ceil(bytes)} bytes, more than the ${this.maxBytes} accepted`);
  }

  /** Drops a partial transfer for a new one and says so; undefined when nothing was in progress. */
  private dropForNew(what: string): string | undefined {
    const old = this.current;
    this.current = undefined;
    if (!old) return undefined;
    const had = old.format === 'bbqr' ? `${old.parts.size} of ${old.header.total} BBQr parts` : `${old.receiver.progress().received} of ${old.receiver.progress().total} UR fragments`;
    return `started ${what}; dropped a partial transfer (${had})`;
  }

  /** Builds the payload of a complete transfer; one that is invalid is dropped so the next frame starts afresh. */
  private completed(build: () => QrPayload): QrPayload {
    try {
      return build();
    } catch (e) {
      this.current = undefined;
      throw e;
    }
  }

  private finish(payload: QrPayload, restarted: string | undefined): QrPushResult {
    this.current = undefined;
    return restarted === undefined ? { status: 'done', payload } : { status: 'done', payload, restarted };
  }
}

/** A BBQr part contradicts a held transfer when its slot holds other data or its length breaks the equal-parts rule. */
function contradicts(parts: Map<number, string>, part: BbqrPart): boolean {
  const same = parts.get(part.index);
  if (same !== undefined) return same !== part.data;
  for (const [index, data] of parts) {
    const bothFull = index < part.total - 1 && part.index < part.total - 1;
    if (bothFull && data.length !== part.data.length) return true;
    // The last part may be shorter, never longer.
    if (index === part.total - 1 && data.length > part.data.length) return true;
    if (part.index === part.total - 1 && part.data.length > data.length) return true;
  }
  return false;
}

function withRestart<T extends object>(result: T, restarted: string | undefined): T {
  return restarted === undefined ? result : { ...result, restarted };
}

function describeForeign(text: string): string {
  // Describe the shape only; never echo the content (it could be a seed or a private key QR).
  if (text.length === 0) return 'empty QR code';
  if (/^bitcoin:/i.test(text)) return 'a bitcoin: payment URI, not a signing request';
  if (/^https?:/i.test(text)) return 'a web address, not a signing request';
  if (/^(xprv|tprv|yprv|zprv)/.test(text)) return 'a private key (xprv): not accepted here; keep it off cameras';
  return `not a PSBT, UR or BBQr code (${text.length} characters)`;
}
