// Where a signing request enters: the file's (or the QR transfer's) bytes become one typed SigningRequest. The
// review, the approval gate and the signer all consume this type; nothing else reads a request body. Three forms:
// - an Express external-signer body whose transaction is a PSBT ("express");
// - the same body whose txHex is a network transaction with txInfo.unspents (BitGo's legacy format);
// - a bare PSBT file (binary, base64 text or hex text) whose wallet the operator names ("psbt").
import { fromBase64Strict, fromHexStrict } from '../util/bytes';
import { parseXpubTriple, type WalletKeys } from '../wallet/keys';
import { parseExpressBody, readMetadata, RequestError, type ExpressBody, type RequestMetadata } from './express';
import { parseLegacyTx, parseLegacyUnspents, LegacyRequestError, type LegacyUnspent } from './legacy';
import { prederiveWalletKeys, prederiveWalletKeysParallel } from './prederive';
import { curvePool, type CurvePool } from '../parallel/pool';
import { decodePsbtText, parsePsbtStrict, PSBT_MAGIC, type PsbtEncoding, type StrictPsbt } from './psbt-strict';
import type { ParsedTx } from './psbt-tx';

export type SigningStep = NonNullable<ExpressBody['signingStep']>;

interface RequestBase {
  /** How the operator knows it: the file's base name, or "QR code 2". Used in messages. */
  name: string;
  /** The exact bytes received: what the review fingerprints and the gate re-reads. */
  bytes: Uint8Array;
}

/** What an Express body names besides its transaction. */
interface ExpressFields {
  walletId: string;
  /** `pubs`, parsed: the wallet's three keys [user, backup, bitgo] as the request states them. */
  wallet: WalletKeys;
  xpubs: readonly [string, string, string];
  derivationSeed?: string;
  metadata: RequestMetadata;
}

export interface ExpressPsbtRequest extends RequestBase, ExpressFields {
  kind: 'express';
  psbt: StrictPsbt;
  /** A MuSig2 round (BitGo Express's two-call key-path signing); reviewed, not signed here yet. */
  signingStep?: SigningStep;
  /** Answer with the finalized network transaction. */
  isLastSignature: boolean;
  /** Answer with BitGo's legacy half-signed transaction. */
  returnLegacyFormat: boolean;
}

export interface ExpressLegacyRequest extends RequestBase, ExpressFields {
  kind: 'express-legacy';
  tx: ParsedTx;
  unspents: LegacyUnspent[];
}

export interface BarePsbtRequest extends RequestBase {
  kind: 'psbt';
  psbt: StrictPsbt;
  /** The file's own encoding; the signed PSBT is written back in it. */
  encoding: PsbtEncoding;
}

export type SigningRequest = ExpressPsbtRequest | ExpressLegacyRequest | BarePsbtRequest;

function startsWithMagic(bytes: Uint8Array): boolean {
  return bytes.length >= PSBT_MAGIC.length && PSBT_MAGIC.every((b, i) => bytes[i] === b);
}

/** Parses a file's content (or a QR transfer's payload) into a signing request. `name` names it in errors. */
export function parseSigningRequest(data: Uint8Array | string, name = 'input'): SigningRequest {
  const { bytes, text } = expressText(data);
  if (text !== undefined) return finishExpress(readExpress(text, bytes, name));
  return parseBarePsbt(data, bytes, name);
}

/** As many paths as the memo of derived keys holds (wallet/keys.ts: 96,000 keys, three a path). */
const PARALLEL_PREDERIVE_PATHS = 32_000;

/**
 * The same parse, with this wallet's keys derived ahead of it on every core (parallel/pool.ts through
 * prederive.ts); the result is the same request. For callers that may wait: the app's import and the CLI.
 */
export async function parseSigningRequestParallel(data: Uint8Array | string, name = 'input', pool: CurvePool = curvePool()): Promise<SigningRequest> {
  const { bytes, text } = expressText(data);
  if (text === undefined) return parseBarePsbt(data, bytes, name);
  const parts = readExpress(text, bytes, name);
  if ('psbtBytes' in parts) await prederiveWalletKeysParallel(parts.psbtBytes, parts.body.pubs, pool, PARALLEL_PREDERIVE_PATHS);
  return finishExpress(parts);
}

/**
 * Only the keys derived ahead (prederive.ts, on every core), the parse not kept: for a caller about to parse the
 * same bytes on a thread whose memos may be cold (the review thread, electron/workflow/review-worker.ts, before the
 * approval gate; the gate on main for the requests main signs itself). Changes no answer;
 * never throws; returns how many paths were derived.
 */
export async function prederiveRequestKeys(data: Uint8Array, pool: CurvePool = curvePool(), maxPaths = PARALLEL_PREDERIVE_PATHS): Promise<number> {
  try {
    const { bytes, text } = expressText(data);
    if (text === undefined) return 0;
    const parts = readExpress(text, bytes, 'input');
    return 'psbtBytes' in parts ? await prederiveWalletKeysParallel(parts.psbtBytes, parts.body.pubs, pool, maxPaths) : 0;
  } catch {
    return 0; // the gate's own parse says what is wrong
  }
}

function expressText(data: Uint8Array | string): { bytes: Uint8Array; text?: string } {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  if (!startsWithMagic(bytes)) {
    const text = (typeof data === 'string' ? data : new TextDecoder('utf-8', { fatal: false }).decode(bytes)).replace(/^\uFEFF/, '');
    if (text.trimStart().startsWith('{')) return { bytes, text };
  }
  return { bytes };
}

function parseBarePsbt(data: Uint8Array | string, bytes: Uint8Array, name: string): SigningRequest {
  const decoded = decodePsbtText(data);
  return { kind: 'psbt', name, bytes, psbt: parsePsbtStrict(decoded.bytes), encoding: decoded.encoding };
}

/** `pubs` with BitGo's checks and errors; once they pass they are three xpub strings. */
function requestKeys(pubs: unknown): { wallet: WalletKeys; xpubs: readonly [string, string, string] } {
  const wallet = parseXpubTriple(pubs);
  return { wallet, xpubs: pubs as [string, string, string] };
}

/** An Express body read and checked, its PSBT bytes not parsed yet (or the whole legacy request). */
type ExpressParts = { request: SigningRequest } | { body: ExpressBody; psbtBytes: Uint8Array; common: RequestBase & Omit<ExpressFields, 'wallet' | 'xpubs'> };

function readExpress(text: string, bytes: Uint8Array, name: string): ExpressParts {
  const body = parseExpressBody(text, name);
  const pre = body.txPrebuild;
  const where = `${name}: txPrebuild`;
  let psbtBytes: Uint8Array | undefined;
  if (pre.txBase64 !== undefined) {
    psbtBytes = fromBase64Strict(pre.txBase64.trim());
    if (!psbtBytes) throw new RequestError(`${where}.txBase64 is not valid base64`, 'request_field_invalid');
  } else {
    psbtBytes = fromHexStrict(pre.txHex!.trim());
    if (!psbtBytes) throw new RequestError(`${where}.txHex is not valid hex`, 'request_field_invalid');
  }
  const common = { name, bytes, walletId: pre.walletId, metadata: readMetadata(body), ...(body.derivationSeed !== undefined ? { derivationSeed: body.derivationSeed } : {}) };
  if (!startsWithMagic(psbtBytes)) {
    // A network transaction: BitGo's legacy format, paired with txInfo.unspents. This signer gives the first of two
    // signatures there, so it has nothing to finalize: refuse rather than ignore the request for a final one.
    if (body.isLastSignature === true) {
      throw new LegacyRequestError('isLastSignature is set, but a legacy (non-PSBT) transaction is signed here only as the first of two signatures', 'legacy_last_signature_unsupported');
    }
    const tx = parseLegacyTx(psbtBytes);
    const unspents = parseLegacyUnspents(pre.txInfo);
    return { request: { kind: 'express-legacy', ...common, tx, unspents, ...requestKeys(body.pubs) } };
  }
  return { body, psbtBytes, common };
}

function finishExpress(parts: ExpressParts): SigningRequest {
  if ('request' in parts) return parts.request;
  const { body, psbtBytes, common } = parts;
  // Derive this wallet's keys first, so the strict parse's curve check of each of them is a lookup (prederive.ts).
  prederiveWalletKeys(psbtBytes, body.pubs);
  const psbt = parsePsbtStrict(psbtBytes);
  return {
    kind: 'express',
    ...common,
    psbt,
    ...requestKeys(body.pubs),
    ...(body.signingStep !== undefined ? { signingStep: body.signingStep } : {}),
    isLastSignature: body.isLastSignature ?? false,
    returnLegacyFormat: body.returnLegacyFormat ?? false,
  };
}
