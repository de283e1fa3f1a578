// What arrives to be signed, and the one function that signs it. Three forms:
// - an Express external-signer request body (JSON): { txPrebuild: { txHex | txBase64, walletId, txInfo?, ... },
//   pubs, derivationSeed?, signingStep?, isLastSignature?, returnLegacyFormat? } whose transaction is a PSBT;
// - the same body whose txHex is a network-format transaction (BitGo's legacy pre-PSBT format);
// - a bare PSBT file (binary, base64 text or hex text), the wallet named by the operator.
import type { BIP32Interface } from 'bip32';
import { SignerError } from '../../shared/errors';
import { decodePsbtText, globalXpubs, parsePsbtStrict, type PsbtEncoding, type StrictPsbt } from '../intake/psbt-strict';
import { bytesEqual, fromBase64Strict, fromHexStrict, toBase64, toHex } from '../intake/psbt-bytes';
import { bip32 } from '../crypto/ecc';
import { wipeNode } from '../keystore/vault';
import { parseXpubTriple, type WalletKeys } from '../bitgo/wallet';
import { prederiveWalletKeys } from '../bitgo/prederive';
import { signBitgoPsbt, validateWalletInputs, type SignedInputReport } from './engine';
import { finalizeAndExtract } from './finalize';
import { psbtToLegacyHalfSigned, signLegacyExpressBody } from './legacy';

export class RequestError extends SignerError {
  constructor(message: string, code: string) {
    super('RequestError', message, code);
  }
}

export interface ExpressPsbtRequest {
  kind: 'express';
  walletId: string;
  psbt: StrictPsbt;
  pubs: unknown;
  derivationSeed?: string;
  isLastSignature: boolean;
  returnLegacyFormat: boolean;
}

export interface ExpressLegacyRequest {
  kind: 'express-legacy';
  walletId: string;
  txHex: string;
  body: Record<string, unknown>;
}

export interface BarePsbt {
  kind: 'psbt';
  psbt: StrictPsbt;
  encoding: PsbtEncoding;
}

export type SigningInput = ExpressPsbtRequest | ExpressLegacyRequest | BarePsbt;

const WALLET_ID = /^[A-Za-z0-9]{1,128}$/;
const MAX_REQUEST_CHARS = 64 * 1024 * 1024;

function field(obj: Record<string, unknown>, name: string, where: string, type: 'string' | 'boolean' | 'object', required: boolean): unknown {
  const v = obj[name];
  if (v === undefined) {
    if (required) throw new RequestError(`${where}: ${name} is missing`, 'request_field_missing');
    return undefined;
  }
  const ok = type === 'object' ? typeof v === 'object' && v !== null && !Array.isArray(v) : typeof v === type;
  if (!ok) throw new RequestError(`${where}: ${name} must be ${type === 'object' ? 'an object' : `a ${type}`}`, 'request_field_invalid');
  return v;
}

function isPsbtMagic(bytes: Uint8Array): boolean {
  return bytes.length >= 5 && bytes[0] === 0x70 && bytes[1] === 0x73 && bytes[2] === 0x62 && bytes[3] === 0x74 && bytes[4] === 0xff;
}

/** Parses a file's content (or QR payload) into a signing input. `name` names it in errors. */
export function parseSigningInput(data: Uint8Array | string, name = 'input'): SigningInput {
  const text = typeof data === 'string' ? data : undefined;
  const bytes = typeof data === 'string' ? undefined : data;
  const asText = text ?? (bytes && !isPsbtMagic(bytes) ? new TextDecoder('utf-8', { fatal: false }).decode(bytes) : undefined);
  if (asText !== undefined && asText.replace(/^\uFEFF/, '').trimStart().startsWith('{')) return parseExpressBody(asText.replace(/^\uFEFF/, ''), name);
  const decoded = decodePsbtText(data);
  return { kind: 'psbt', psbt: parsePsbtStrict(decoded.bytes), encoding: decoded.encoding };
}

function parseExpressBody(text: string, name: string): SigningInput {
  if (text.length > MAX_REQUEST_CHARS) throw new RequestError(`${name}: the request is larger than ${MAX_REQUEST_CHARS} characters`, 'request_too_large');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (e) {
    throw new RequestError(`${name} is not valid JSON (${e instanceof Error ? e.message.slice(0, 120) : 'parse error'})`, 'request_malformed_json');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new RequestError(`${name}: a signing request must be a JSON object`, 'request_not_object');
  const b = body as Record<string, unknown>;
  const prebuild = field(b, 'txPrebuild', name, 'object', true) as Record<string, unknown>;
  const where = `${name}: txPrebuild`;
  const walletId = field(prebuild, 'walletId', where, 'string', true) as string;
  if (!WALLET_ID.test(walletId)) throw new RequestError(`${where}.walletId is not a wallet id`, 'request_field_invalid');
  const txHex = field(prebuild, 'txHex', where, 'string', false) as string | undefined;
  const txBase64 = field(prebuild, 'txBase64', where, 'string', false) as string | undefined;
  if ((txHex === undefined) === (txBase64 === undefined)) {
    throw new RequestError(`${where} must carry exactly one of txHex and txBase64`, txHex === undefined ? 'request_field_missing' : 'request_field_invalid');
  }
  const derivationSeed = field(b, 'derivationSeed', name, 'string', false) as string | undefined;
  const isLastSignature = (field(b, 'isLastSignature', name, 'boolean', false) as boolean | undefined) ?? false;
  const returnLegacyFormat = (field(b, 'returnLegacyFormat', name, 'boolean', false) as boolean | undefined) ?? false;
  if (b.signingStep !== undefined) {
    throw new RequestError(
      `${name}: MuSig2 signing steps (signingStep ${JSON.stringify(b.signingStep).slice(0, 40)}) are not supported yet; nothing was signed`,
      'musig2_not_supported',
    );
  }
  let psbtBytes: Uint8Array | undefined;
  if (txBase64 !== undefined) {
    psbtBytes = fromBase64Strict(txBase64.trim());
    if (!psbtBytes) throw new RequestError(`${where}.txBase64 is not valid base64`, 'request_field_invalid');
  } else {
    const raw = fromHexStrict(txHex!.trim());
    if (!raw) throw new RequestError(`${where}.txHex is not valid hex`, 'request_field_invalid');
    if (!isPsbtMagic(raw)) return { kind: 'express-legacy', walletId, txHex: txHex!.trim(), body: b };
    psbtBytes = raw;
  }
  // Derive this wallet's keys first, so the strict parse's curve check of each of them is a lookup (bitgo/prederive.ts).
  prederiveWalletKeys(psbtBytes, b.pubs);
  return {
    kind: 'express',
    walletId,
    psbt: parsePsbtStrict(psbtBytes),
    pubs: b.pubs,
    ...(derivationSeed !== undefined ? { derivationSeed } : {}),
    isLastSignature,
    returnLegacyFormat,
  };
}

/** What signs: the key store's vault or anything with the same method. */
export interface KeyProvider {
  signingKey(walletId: string, derivationSeed?: string): BIP32Interface;
}

export interface SignOutcome {
  walletId: string;
  /** The file content to write: Express's response JSON, or the PSBT in the input's own encoding. */
  output: Uint8Array;
  /** json for Express responses; psbt for bare PSBTs (binary, base64 or hex as the input was). */
  format: 'json' | 'psbt';
  inputs: SignedInputReport[];
}

/**
 * The three wallet keys of a bare PSBT, from its global xpubs: the user key is the one the unlocked key matches;
 * backup and bitgo are told apart by which order re-derives input 0's script (BitGo lists them in wallet order
 * inside every script, but orders the global xpubs differently).
 */
export function walletKeysFromPsbt(psbt: StrictPsbt, user: BIP32Interface, tryKeys: (keys: WalletKeys) => boolean): WalletKeys {
  const xpubs = globalXpubs(psbt).map((g) => bip32.fromPublicKey(g.xpub.subarray(45, 78), g.xpub.subarray(13, 45)));
  if (xpubs.length !== 3) {
    throw new RequestError(`this PSBT lists ${xpubs.length} global xpubs; a BitGo wallet PSBT lists its three keys (user, backup, bitgo)`, 'psbt_wallet_keys_missing');
  }
  const userIdx = xpubs.findIndex((x) => bytesEqual(x.publicKey, user.publicKey) && bytesEqual(x.chainCode, user.chainCode));
  if (userIdx < 0) throw new RequestError("none of this PSBT's global xpubs is the unlocked wallet's key: it is not this wallet's transaction", 'psbt_not_this_wallet');
  const others = xpubs.filter((_, i) => i !== userIdx);
  const userNeutered = user.neutered();
  const orders: WalletKeys[] = [
    { user: userNeutered, backup: others[0]!, bitgo: others[1]! },
    { user: userNeutered, backup: others[1]!, bitgo: others[0]! },
  ];
  const match = orders.find(tryKeys);
  if (!match) throw new RequestError("input 0 is not a script of this PSBT's wallet keys", 'psbt_not_this_wallet');
  return match;
}

/** walletKeysFromPsbt, choosing the backup/bitgo order by BitGo's wallet validation of input 0. */
export function barePsbtWalletKeys(psbt: StrictPsbt, signer: BIP32Interface): WalletKeys {
  return walletKeysFromPsbt(psbt, signer, (k) => {
    try {
      validateWalletInputs(psbt, k, [0]);
      return true;
    } catch {
      return false;
    }
  });
}

export function sameNode(a: BIP32Interface, b: BIP32Interface): boolean {
  return bytesEqual(a.publicKey, b.publicKey) && bytesEqual(a.chainCode, b.chainCode);
}

/**
 * A bare PSBT's wallet keys without an unlocked key: of the six orders of its three global xpubs, the one that
 * re-derives input 0's script by BitGo's wallet validation (scripts list the keys in wallet order). Refused when
 * no order, or more than one, does.
 */
export function barePsbtKeysByScript(psbt: StrictPsbt): WalletKeys {
  const xpubs = globalXpubs(psbt).map((g) => bip32.fromPublicKey(g.xpub.subarray(45, 78), g.xpub.subarray(13, 45)));
  if (xpubs.length !== 3) {
    throw new RequestError(`this PSBT lists ${xpubs.length} global xpubs; a BitGo wallet PSBT lists its three keys (user, backup, bitgo)`, 'psbt_wallet_keys_missing');
  }
  const orders = [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]].map(([u, b, g]) => ({ user: xpubs[u!]!, backup: xpubs[b!]!, bitgo: xpubs[g!]! }));
  const fits = orders.filter((k) => {
    try {
      validateWalletInputs(psbt, k, [0]);
      return true;
    } catch {
      return false;
    }
  });
  if (fits.length !== 1) {
    throw new RequestError(
      fits.length === 0 ? "input 0 is not a script of this PSBT's three global xpubs: it is not a BitGo wallet PSBT" : "this PSBT's global xpubs do not tell the user key apart; choose the wallet and unlock it",
      fits.length === 0 ? 'psbt_not_this_wallet' : 'psbt_wallet_keys_ambiguous',
    );
  }
  return fits[0]!;
}

export interface SignOptions {
  /** For bare PSBTs: the wallet to sign with (the request names its own). */
  walletId?: string;
}

export function signingWalletId(input: SigningInput, opts: SignOptions = {}): string {
  if (input.kind !== 'psbt') return input.walletId;
  if (!opts.walletId) throw new RequestError('a bare PSBT does not name its wallet: choose the wallet to sign with (--wallet <id>)', 'wallet_not_chosen');
  return opts.walletId;
}

/** Signs one input with the key provider's key for its wallet. */
export function signInput(input: SigningInput, keys: KeyProvider, opts: SignOptions = {}): SignOutcome {
  if (input.kind === 'express-legacy') {
    // BitGo's pre-PSBT format (network txHex + txInfo.unspents): ./legacy re-derives every unspent's script from
    // the three xpubs, checks it against the transaction, and answers as BitGo's older SDK did.
    const r = signLegacyExpressBody(input.body, keys);
    return { walletId: r.walletId, output: new TextEncoder().encode(JSON.stringify({ txHex: r.txHex })), format: 'json', inputs: r.inputs };
  }
  const walletId = signingWalletId(input, opts);
  if (input.kind === 'express') {
    const signer = keys.signingKey(walletId, input.derivationSeed);
    const wallet = parseXpubTriple(input.pubs);
    let result: ReturnType<typeof signBitgoPsbt>;
    try {
      result = signBitgoPsbt(input.psbt, wallet, signer);
    } finally {
      // A derivationSeed child is a fresh copy made for this request (the vault's own key is not): wipe it.
      if (input.derivationSeed !== undefined) wipeNode(signer);
    }
    // isLastSignature: the finalized network transaction. returnLegacyFormat (BitGo's direct-call option): the same
    // signatures laid out as the legacy half-signed transaction (multisig inputs only; ./legacy refuses taproot).
    const txHex = input.isLastSignature
      ? toHex(finalizeAndExtract(parsePsbtStrict(result.psbt)))
      : input.returnLegacyFormat
        ? toHex(psbtToLegacyHalfSigned(parsePsbtStrict(result.psbt)))
        : toHex(result.psbt);
    return { walletId, output: new TextEncoder().encode(JSON.stringify({ txHex })), format: 'json', inputs: result.inputs };
  }
  const signer = keys.signingKey(walletId);
  const wallet = barePsbtWalletKeys(input.psbt, signer);
  const result = signBitgoPsbt(input.psbt, wallet, signer);
  const out = input.encoding === 'binary' ? result.psbt : new TextEncoder().encode(input.encoding === 'hex' ? toHex(result.psbt) : toBase64(result.psbt));
  return { walletId, output: out, format: 'psbt', inputs: result.inputs };
}
