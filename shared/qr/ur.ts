// Uniform Resources (Blockchain Commons BCR-2020-005 "UR", BCR-2020-012 "Bytewords", BCR-2024-001 multipart UR)
// through the reference port @ngraveio/bc-ur. A multipart UR is `ur:<type>/<seqNum>-<seqLen>/<bytewords>` where the
// bytewords (minimal style: 2 letters a byte, CRC32 appended) hold the CBOR array
// [seqNum, seqLen, messageLen, checksum(CRC32 of the whole message), fragment]. Parts beyond seqLen mix several
// fragments (fountain code), so a receiver can finish from any large-enough set of parts.
//
// PSBTs travel as `crypto-psbt` (BCR-2020-006, the type Sparrow, Keystone, Passport... use) or the newer `psbt`
// (accepted on receive); both carry a CBOR byte string. JSON requests travel as `bytes` (CBOR byte string).
//
// bc-ur 1.x is written against Node's Buffer and uses the global `Buffer`: the app assembles and encodes UR in the
// main process (electron/workflow/qr-intake.ts), not in the renderer; without a Buffer we fail with a clear error.
import { UR, URDecoder, UREncoder } from '@ngraveio/bc-ur';
import * as byteWordsModule from '@ngraveio/bc-ur/dist/bytewords.js';
import { QrError } from './errors';
import { fromHex } from './text';

export type UrPayloadType = 'crypto-psbt' | 'psbt' | 'bytes';
export const UR_TYPES: readonly UrPayloadType[] = ['crypto-psbt', 'psbt', 'bytes'];

// A CommonJS module imported from ESM: Node hands over module.exports (whose `default` is the object), bundlers
// may already unwrap it. Take whichever has `decode`.
type Bytewords = { decode(text: string, style?: string): string };
const bytewordsNs = byteWordsModule as unknown as { default?: Bytewords & { default?: Bytewords } };
const bytewords: Bytewords = bytewordsNs.default?.default ?? (bytewordsNs.default as Bytewords);

type BufferLike = Uint8Array & { toString(enc: 'hex'): string };
interface BufferCtor { from(data: Uint8Array): BufferLike }

/** bc-ur reads the global Buffer everywhere; without one every call would fail with a misleading error. */
function requireBufferGlobal(): BufferCtor {
  const ctor = (globalThis as { Buffer?: BufferCtor }).Buffer;
  if (!ctor) throw new QrError('qr_format_unavailable', 'UR codes need a global Buffer (bc-ur 1.x) in this process; scan or show them through the main process');
  return ctor;
}

function nodeStyleBuffer(bytes: Uint8Array): BufferLike {
  return requireBufferGlobal().from(bytes);
}

// --- CBOR (RFC 8949), the few items UR uses: unsigned integers, byte strings, one array -------------------------

function cborHead(major: number, n: number): number[] {
  if (n < 24) return [(major << 5) | n];
  if (n < 0x100) return [(major << 5) | 24, n];
  if (n < 0x10000) return [(major << 5) | 25, n >> 8, n & 0xff];
  return [(major << 5) | 26, (n >>> 24) & 0xff, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];
}

/** CBOR byte string (major type 2) holding `bytes`. */
export function cborBytes(bytes: Uint8Array): Uint8Array {
  const head = cborHead(2, bytes.length);
  const out = new Uint8Array(head.length + bytes.length);
  out.set(head);
  out.set(bytes, head.length);
  return out;
}

class CborReader {
  pos = 0;
  constructor(private readonly b: Uint8Array, private readonly where: string) {}
  fail(why: string): never {
    throw new QrError('qr_part_corrupt', `${this.where}: CBOR ${why} at byte ${this.pos}`);
  }
  head(major: number): number {
    const first = this.b[this.pos++];
    if (first === undefined) this.fail('ends early');
    if (first >> 5 !== major) this.fail(`major type ${first >> 5} where ${major} was expected`);
    const info = first & 31;
    if (info < 24) return info;
    const len = info === 24 ? 1 : info === 25 ? 2 : info === 26 ? 4 : 0;
    if (len === 0) this.fail(`length form ${info} (only 1, 2 or 4 byte lengths are used)`);
    if (this.pos + len > this.b.length) this.fail('ends early');
    let n = 0;
    for (let i = 0; i < len; i++) n = n * 256 + this.b[this.pos++]!;
    return n;
  }
  bytes(): Uint8Array {
    const n = this.head(2);
    if (this.pos + n > this.b.length) this.fail(`byte string of ${n} bytes runs past the end`);
    const out = this.b.slice(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  end(): void {
    if (this.pos !== this.b.length) this.fail(`has ${this.b.length - this.pos} trailing bytes`);
  }
}

/** Unwraps the CBOR byte string every accepted UR type carries; nothing may follow it. */
export function uncborBytes(cbor: Uint8Array, where: string): Uint8Array {
  const r = new CborReader(cbor, where);
  const out = r.bytes();
  r.end();
  return out;
}

// --- parsing one scanned UR frame ------------------------------------------------------------------------------

export interface UrFrame {
  type: UrPayloadType;
  /** Present for multipart frames. */
  part?: { seqNum: number; seqLen: number; messageLen: number; checksum: number; fragmentLen: number };
  /** Single-part frames: the CBOR body. */
  cbor?: Uint8Array;
}

export function isUrText(text: string): boolean {
  return text.slice(0, 3).toLowerCase() === 'ur:';
}

/**
 * Parses a frame and checks its Bytewords CRC32 and the part's CBOR header, so a corrupt frame never reaches the
 * fountain decoder and a frame from another transfer can be recognised by (type, seqLen, messageLen, checksum).
 */
export function parseUrFrame(text: string): UrFrame {
  requireBufferGlobal();
  // QR alphanumeric mode only has capitals, so senders upper-case URs (BCR-2020-005 "Uppercase"); UR is
  // case-insensitive.
  const lower = text.toLowerCase();
  const components = lower.slice(3).split('/');
  const type = components[0] ?? '';
  if (!/^[a-z0-9-]+$/.test(type)) throw new QrError('qr_part_corrupt', 'UR frame: type is missing or has characters outside a-z, 0-9, -');
  if (!(UR_TYPES as readonly string[]).includes(type)) {
    const shown = type.length > 32 ? `${type.slice(0, 32)}...` : type;
    throw new QrError('qr_type_unsupported', `UR type "${shown}" is not accepted here (only crypto-psbt, psbt and bytes)`);
  }
  const urType = type as UrPayloadType;
  if (components.length === 2) {
    return { type: urType, cbor: decodeBytewords(components[1]!, `ur:${type} single-part frame`) };
  }
  if (components.length !== 3) throw new QrError('qr_part_corrupt', `UR frame has ${components.length - 1} path components (1 or 2 expected)`);
  const seq = /^([1-9][0-9]{0,9})-([1-9][0-9]{0,9})$/.exec(components[1]!);
  if (!seq) throw new QrError('qr_part_corrupt', 'UR frame: sequence component is not "<seqNum>-<seqLen>"');
  const where = `ur:${type} part ${seq[1]}-${seq[2]}`;
  const r = new CborReader(decodeBytewords(components[2]!, where), where);
  if (r.head(4) !== 5) r.fail('part is not an array of 5 items');
  const seqNum = r.head(0);
  const seqLen = r.head(0);
  const messageLen = r.head(0);
  const checksum = r.head(0);
  const fragmentLen = r.bytes().length;
  r.end();
  if (String(seqNum) !== seq[1] || String(seqLen) !== seq[2]) throw new QrError('qr_part_corrupt', `${where}: sequence in the text and in the CBOR body differ`);
  if (fragmentLen === 0 || seqLen * fragmentLen < messageLen || (seqLen - 1) * fragmentLen >= messageLen) {
    throw new QrError('qr_part_corrupt', `${where}: ${seqLen} fragments of ${fragmentLen} bytes cannot hold a ${messageLen}-byte message`);
  }
  return { type: urType, part: { seqNum, seqLen, messageLen, checksum, fragmentLen } };
}

function decodeBytewords(text: string, where: string): Uint8Array {
  if (!/^[a-z]*$/.test(text) || text.length % 2 !== 0) throw new QrError('qr_part_corrupt', `${where}: body is not minimal Bytewords`);
  let hex: string;
  try {
    hex = bytewords.decode(text, 'minimal');
  } catch {
    throw new QrError('qr_part_corrupt', `${where}: Bytewords body has an unknown word or a wrong CRC32`);
  }
  return fromHex(hex, where);
}

// --- fountain decoding -----------------------------------------------------------------------------------------

/**
 * Distinct parts a transfer may take before it is abandoned: every mixed part the fountain decoder cannot use
 * yet is kept, so without a bound a hostile (or broken) sender could grow memory without end. Ten times the
 * fragment count is far above what loss needs (the bench: ~1.3x at 10% missed frames).
 */
export function urPartBudget(seqLen: number): number {
  return 10 * seqLen + 50;
}

/** One UR transfer being received. Feed only frames whose parseUrFrame() identity matches. */
export class UrReceiver {
  private readonly decoder = new URDecoder();
  private readonly seen = new Set<number>();

  constructor(
    private readonly seqLen: number,
    private readonly budget = urPartBudget(seqLen),
  ) {}

  /** Returns the message (the UR's CBOR) once complete; a part already seen is skipped. */
  receive(text: string, seqNum: number): Uint8Array | undefined {
    if (this.seen.has(seqNum)) return undefined;
    if (this.seen.size >= this.budget) {
      throw new QrError('qr_transfer_too_large', `UR transfer of ${this.seqLen} fragments did not complete within ${this.budget} distinct parts`);
    }
    try {
      this.decoder.receivePart(text.toLowerCase());
    } catch {
      throw new QrError('qr_part_corrupt', 'UR frame was refused by the fountain decoder');
    }
    this.seen.add(seqNum);
    if (this.decoder.isError()) throw new QrError('qr_part_corrupt', 'UR transfer failed its CRC32 message checksum');
    if (this.decoder.isSuccess()) return new Uint8Array(this.decoder.resultUR().cbor);
    return undefined;
  }

  /** True once the message failed its checksum: no further part can fix it. */
  failed(): boolean {
    return this.decoder.isError();
  }

  /** Fragments already recovered, and how many the message has. */
  progress(): { received: number; total: number } {
    return { received: this.decoder.receivedPartIndexes().length, total: this.decoder.expectedPartCount() };
  }
}

// --- encoding --------------------------------------------------------------------------------------------------

export interface UrEncodeOptions {
  type: UrPayloadType;
  /** Most characters in one frame. */
  maxChars: number;
  /** Extra fountain parts beyond the plain fragments, as a fraction of their count (default 1: twice as many). */
  redundancy?: number;
}

/** An endless UR frame stream: the plain fragments first, then ever new fountain mixes. */
export interface UrFrameStream {
  /** Plain fragments in the message (1 for a single-part UR). */
  readonly fragments: number;
  next(): string;
}

// Worst-case frame overhead: "ur:<type>/" + "<seqNum>-<seqLen>/" (two uint32: 10 digits each) + 2 Bytewords
// letters per byte of the part's CBOR head (array 1 + four uint32 of 5 bytes + byte-string head 3 = 24 bytes) and
// the Bytewords CRC32 (4 bytes).
const SEQ_CHARS = 22;
const PART_OVERHEAD_BYTES = 28;

/**
 * Frames of an animated UR, upper-cased for QR alphanumeric mode, generated one at a time (the UI asks for the
 * next frame each tick: mixes cost a few ms each for a 100 KB payload, too much to precompute hundreds at once).
 * A payload that fits one frame is a single-part UR, repeated.
 */
export function urFrameStream(payload: Uint8Array, opts: Omit<UrEncodeOptions, 'redundancy'>): UrFrameStream {
  if (payload.length === 0) throw new QrError('qr_encode_invalid', 'nothing to encode: the payload is empty');
  const ur = new UR(nodeStyleBuffer(cborBytes(payload)) as never, opts.type);
  const single = UREncoder.encodeSinglePart(ur).toUpperCase();
  if (single.length <= opts.maxChars) return { fragments: 1, next: () => single };
  const fragment = Math.floor((opts.maxChars - `ur:${opts.type}/`.length - SEQ_CHARS) / 2) - PART_OVERHEAD_BYTES;
  if (fragment < 10) throw new QrError('qr_encode_invalid', `maxChars ${opts.maxChars} is too small for a UR frame`);
  const encoder = new UREncoder(ur, fragment, 0, Math.min(10, fragment));
  return { fragments: encoder.fragmentsLength, next: () => encoder.nextPart().toUpperCase() };
}

/**
 * A fixed list of UR frames: the plain fragments then `redundancy` x as many fountain mixes, which stand in for
 * any lost ones when the list loops.
 */
export function encodeUr(payload: Uint8Array, opts: UrEncodeOptions): string[] {
  const stream = urFrameStream(payload, opts);
  if (stream.fragments === 1) return [stream.next()];
  const count = stream.fragments + Math.ceil(stream.fragments * (opts.redundancy ?? 1));
  return Array.from({ length: count }, () => stream.next());
}
