// BitGo's legacy (pre-PSBT) signing request: `txPrebuild.txHex` is an unsigned network-format transaction and
// `txPrebuild.txInfo.unspents[i]` describes the output spent by input i (BitGo's older SDK pairs them by index:
// `{ id: "<txid>:<vout>", value, chain, index, redeemScript?, witnessScript?, address? }`).
//
// This module only decodes and shape-checks; it decides nothing about the wallet. Every claim in the unspents
// (chain/index, scripts, address, amount) is re-checked against the transaction and the wallet's xpubs by
// ../signing/legacy before anything is signed. Amounts are claims: segwit v0 (BIP143) and taproot (BIP341)
// signatures commit to them, a p2sh signature does not (the review must show p2sh amounts as unverified).
import { SignerError } from '../../shared/errors';
import { fromHexStrict } from './psbt-bytes';
import { parseTx, type ParsedTx } from './psbt-tx';
import { scriptTypeForChain, type ScriptType } from '../bitgo/wallet';

export class LegacyRequestError extends SignerError {
  constructor(message: string, code: string) {
    super('LegacyRequestError', message, code);
  }
}

/** One entry of `txInfo.unspents`, decoded. */
export interface LegacyUnspent {
  /** The claimed outpoint as BitGo writes it: "<txid hex, display order>:<vout>". */
  id: string;
  /** The txid of `id` in serialization (internal, little-endian) order, as it sits in a transaction input. */
  prevTxid: Uint8Array;
  vout: number;
  /** Satoshis, as claimed by the request. */
  value: bigint;
  chain: number;
  index: number;
  scriptType: ScriptType;
  redeemScript?: Uint8Array;
  witnessScript?: Uint8Array;
  address?: string;
}

export interface LegacyRequest {
  walletId: string;
  /** The unsigned transaction (old serialization, every scriptSig empty). */
  tx: ParsedTx;
  unspents: LegacyUnspent[];
  /** The request's `pubs`, unparsed (../bitgo/wallet parseXpubTriple checks them, with BitGo's errors). */
  pubs: unknown;
  derivationSeed?: string;
}

// Bitcoin's MAX_MONEY (consensus, amount.h): no output, hence no spent amount, can exceed it.
const MAX_MONEY = 21_000_000n * 100_000_000n;
const TXID = /^[0-9a-fA-F]{64}$/;
const WALLET_ID = /^[A-Za-z0-9]{1,128}$/;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function unspentError(i: number, field: string, why: string): LegacyRequestError {
  return new LegacyRequestError(`txPrebuild.txInfo.unspents[${i}].${field} ${why}`, 'legacy_unspent_invalid');
}

/** An amount as JSON gives it: a non-negative safe integer, or a decimal string (never through floating point). */
function parseValue(v: unknown, i: number): bigint {
  let n: bigint;
  if (typeof v === 'number') {
    if (!Number.isSafeInteger(v)) throw unspentError(i, 'value', `must be a whole number of satoshis, got ${String(v).slice(0, 30)}`);
    n = BigInt(v);
  } else if (typeof v === 'string' && /^[0-9]{1,20}$/.test(v)) {
    n = BigInt(v);
  } else {
    throw unspentError(i, 'value', v === undefined ? 'is missing' : `must be a whole number of satoshis, got ${typeof v}`);
  }
  if (n <= 0n || n > MAX_MONEY) throw unspentError(i, 'value', `must be between 1 and 21e14 satoshis (MAX_MONEY), got ${n}`);
  return n;
}

function parseScript(v: unknown, i: number, field: string): Uint8Array | undefined {
  if (v === undefined) return undefined;
  const bytes = typeof v === 'string' && v.length <= 20_000 ? fromHexStrict(v) : undefined;
  if (!bytes || bytes.length === 0) throw unspentError(i, field, 'must be a non-empty hex script');
  return bytes;
}

function parseUnspent(u: unknown, i: number): LegacyUnspent {
  if (!isObject(u)) throw new LegacyRequestError(`txPrebuild.txInfo.unspents[${i}] must be an object`, 'legacy_unspent_invalid');
  const id = u.id;
  if (typeof id !== 'string') throw unspentError(i, 'id', 'must be a string "<txid>:<vout>"');
  const m = /^([0-9a-fA-F]{64}):([0-9]{1,10})$/.exec(id);
  if (!m || !TXID.test(m[1]!)) throw unspentError(i, 'id', `must be "<64 hex txid>:<vout>", got ${JSON.stringify(id.slice(0, 80))}`);
  const vout = Number(m[2]);
  if (vout > 0xffffffff) throw unspentError(i, 'id', `has output index ${vout}, above 2^32-1`);
  // Display order is the reverse of the serialization order (txids are shown as big-endian numbers).
  const prevTxid = fromHexStrict(m[1]!)!.reverse();
  const chain = u.chain;
  const index = u.index;
  if (typeof chain !== 'number' || !Number.isInteger(chain)) throw unspentError(i, 'chain', 'must be an integer');
  const scriptType = scriptTypeForChain(chain);
  if (scriptType === undefined) throw unspentError(i, 'chain', `${chain} is not a BitGo wallet chain`);
  // BIP32 unhardened index: 0 <= index < 2^31.
  if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= 0x80000000) {
    throw unspentError(i, 'index', `must be an unhardened BIP32 index (0 to 2^31-1), got ${String(index).slice(0, 30)}`);
  }
  const address = u.address;
  if (address !== undefined && (typeof address !== 'string' || address.length > 100)) throw unspentError(i, 'address', 'must be an address string');
  const redeemScript = parseScript(u.redeemScript, i, 'redeemScript');
  const witnessScript = parseScript(u.witnessScript, i, 'witnessScript');
  return {
    id: `${m[1]!.toLowerCase()}:${vout}`,
    prevTxid,
    vout,
    value: parseValue(u.value, i),
    chain,
    index,
    scriptType,
    ...(redeemScript ? { redeemScript } : {}),
    ...(witnessScript ? { witnessScript } : {}),
    ...(address !== undefined ? { address } : {}),
  };
}

/** The unspents list of `txPrebuild.txInfo`, decoded (pairing with the inputs is checked by the signer). */
export function parseLegacyUnspents(txInfo: unknown): LegacyUnspent[] {
  if (!isObject(txInfo)) {
    throw new LegacyRequestError('txPrebuild.txInfo is missing: a legacy (non-PSBT) transaction needs txInfo.unspents to say what each input spends', 'legacy_unspents_missing');
  }
  const list = txInfo.unspents;
  if (!Array.isArray(list) || list.length === 0) {
    throw new LegacyRequestError('txPrebuild.txInfo.unspents is missing or empty: a legacy (non-PSBT) transaction needs one unspent per input', 'legacy_unspents_missing');
  }
  return list.map(parseUnspent);
}

/**
 * The unsigned legacy transaction: old serialization (no BIP144 witness), every scriptSig empty, no outpoint
 * spent twice (consensus: CheckTransaction "bad-txns-inputs-duplicate").
 */
export function parseLegacyTx(txHex: string): ParsedTx {
  const bytes = fromHexStrict(txHex.trim());
  if (!bytes) throw new LegacyRequestError('txPrebuild.txHex is not valid hex', 'legacy_tx_invalid');
  let tx: ParsedTx;
  try {
    tx = parseTx(bytes, 'txPrebuild.txHex', false);
  } catch (e) {
    const why = e instanceof Error ? e.message : 'unreadable';
    throw new LegacyRequestError(`txPrebuild.txHex is not an unsigned network transaction: ${why}`, 'legacy_tx_invalid');
  }
  if (tx.inputs.length === 0) throw new LegacyRequestError('txPrebuild.txHex has no inputs', 'legacy_tx_invalid');
  if (tx.outputs.length === 0) throw new LegacyRequestError('txPrebuild.txHex has no outputs', 'legacy_tx_invalid');
  const seen = new Set<string>();
  tx.inputs.forEach((inp, i) => {
    if (inp.scriptSig.length > 0) {
      throw new LegacyRequestError(`txPrebuild.txHex input ${i} already has a scriptSig (${inp.scriptSig.length} bytes): only unsigned legacy transactions are signed`, 'legacy_tx_not_unsigned');
    }
    const key = `${Buffer.from(inp.prevTxid).toString('hex')}:${inp.prevIndex}`;
    if (seen.has(key)) throw new LegacyRequestError(`txPrebuild.txHex input ${i} spends the same output as an earlier input`, 'legacy_tx_invalid');
    seen.add(key);
  });
  return tx;
}

/** Decodes an Express body whose `txPrebuild.txHex` is a network transaction (not a PSBT). */
export function parseLegacyRequest(body: unknown): LegacyRequest {
  if (!isObject(body)) throw new LegacyRequestError('a signing request must be a JSON object', 'legacy_request_invalid');
  const prebuild = body.txPrebuild;
  if (!isObject(prebuild)) throw new LegacyRequestError('txPrebuild is missing or not an object', 'legacy_request_invalid');
  const walletId = prebuild.walletId;
  if (typeof walletId !== 'string' || !WALLET_ID.test(walletId)) throw new LegacyRequestError('txPrebuild.walletId is missing or not a wallet id', 'legacy_request_invalid');
  if (typeof prebuild.txHex !== 'string') throw new LegacyRequestError('txPrebuild.txHex is missing: the legacy format carries the transaction as hex', 'legacy_request_invalid');
  const derivationSeed = body.derivationSeed;
  if (derivationSeed !== undefined && typeof derivationSeed !== 'string') throw new LegacyRequestError('derivationSeed must be a string', 'legacy_request_invalid');
  // A legacy request this signer answers is always the first signature (the input must be unsigned), so there is
  // nothing it could finalize: refuse rather than ignore a request to produce a fully signed transaction.
  if (body.isLastSignature === true) {
    throw new LegacyRequestError('isLastSignature is set, but a legacy (non-PSBT) transaction is signed here only as the first of two signatures', 'legacy_last_signature_unsupported');
  }
  const tx = parseLegacyTx(prebuild.txHex);
  const unspents = parseLegacyUnspents(prebuild.txInfo);
  return { walletId, tx, unspents, pubs: body.pubs, ...(derivationSeed !== undefined ? { derivationSeed } : {}) };
}
