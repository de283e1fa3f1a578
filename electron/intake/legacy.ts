// BitGo's legacy (pre-PSBT) signing request: `txPrebuild.txHex` is an unsigned network-format transaction and
// `txPrebuild.txInfo.unspents[i]` describes the output spent by input i (BitGo's older SDK pairs them by index:
// `{ id: "<txid>:<vout>", value, chain, index, redeemScript?, witnessScript?, address? }`).
//
// Decoding checks the shapes (shared/schema.ts: every string bounded, errors name the field and never echo it);
// `verifyLegacyInputs` then re-derives every claim (chain/index, scripts, address) from the wallet's three xpubs.
// Amounts stay claims: segwit v0 (BIP143) and taproot (BIP341) signatures commit to them, a p2sh signature does
// not (the review shows p2sh amounts as unverified).
import { address as btcAddress, networks } from 'bitcoinjs-lib';
import { MAX_MONEY_SATS } from '../../shared/amount';
import { SignerError } from '../../shared/errors';
import * as s from '../../shared/schema';
import { bytesEqual, fromHexStrict, toHex } from '../util/bytes';
import { HARDENED, scriptTypeForChain, type ScriptType } from '../wallet/chains';
import type { WalletKeys } from '../wallet/keys';
import { walletOutputScript, type WalletOutputScript } from '../wallet/scripts';
import type { TapLeafInfo } from '../wallet/taproot';
import { SATS_OR_DECIMAL } from './express';
import { parseTx, txidHex, type ParsedTx } from './psbt-tx';

export type LegacyRequestCode =
  | 'legacy_unspents_missing'
  | 'legacy_unspent_invalid'
  | 'legacy_tx_invalid'
  | 'legacy_tx_not_unsigned'
  | 'legacy_last_signature_unsupported'
  | 'legacy_unspents_count_mismatch'
  | 'legacy_unspent_id_mismatch'
  | 'legacy_unspent_script_missing'
  | 'legacy_unspent_script_mismatch'
  | 'legacy_script_type_unsupported';

export class LegacyRequestError extends SignerError {
  declare readonly code: LegacyRequestCode;
  constructor(message: string, code: LegacyRequestCode) {
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

const HEX_SCRIPT: s.StringOpts = { min: 2, max: 20_000, pattern: /^(?:[0-9a-fA-F]{2})+$/, patternName: 'a non-empty hex script' };

// BitGo's unspent records carry more (valueString, blockHeight, date, wallet, isSegwit, ...): kept, not read here.
const UNSPENT = s.object(
  {
    id: s.string({ max: 75, pattern: /^[0-9a-fA-F]{64}:[0-9]{1,10}$/, patternName: '"<64 hex txid>:<vout>"' }),
    value: SATS_OR_DECIMAL,
    chain: s.number({ min: 0, max: 1000, integer: true }),
    // BIP32 unhardened index: 0 <= index < 2^31.
    index: s.number({ min: 0, max: HARDENED - 1, integer: true }),
    address: s.optional(s.string({ max: 100 })),
    redeemScript: s.optional(s.string(HEX_SCRIPT)),
    witnessScript: s.optional(s.string(HEX_SCRIPT)),
  },
  { unknownFields: 'keep' },
);

const UNSPENTS = s.array(UNSPENT, { max: 100_000, min: 1 });

function unspentInvalid(path: string, why: string): LegacyRequestError {
  return new LegacyRequestError(`txPrebuild.txInfo.${path}: ${why}`, 'legacy_unspent_invalid');
}

/** The unspents list of `txPrebuild.txInfo`, decoded (pairing with the inputs is checked by verifyLegacyInputs). */
export function parseLegacyUnspents(txInfo: unknown): LegacyUnspent[] {
  const list = typeof txInfo === 'object' && txInfo !== null && !Array.isArray(txInfo) ? (txInfo as Record<string, unknown>).unspents : undefined;
  if (!Array.isArray(list) || list.length === 0) {
    throw new LegacyRequestError('txPrebuild.txInfo.unspents is missing or empty: a legacy (non-PSBT) transaction needs one unspent per input', 'legacy_unspents_missing');
  }
  const raw = s.parseWith(UNSPENTS, list, (e) => unspentInvalid(e.path, e.reason), 'unspents');
  return raw.map((u, i) => {
    const [txid, voutText] = u.id.split(':') as [string, string];
    const vout = Number(voutText);
    if (vout > 0xffffffff) throw unspentInvalid(`unspents[${i}].id`, `output index ${vout} is above 2^32-1`);
    const value = BigInt(u.value);
    if (value <= 0n || value > MAX_MONEY_SATS) throw unspentInvalid(`unspents[${i}].value`, `must be between 1 and 21e14 satoshis (MAX_MONEY), got ${value}`);
    const scriptType = scriptTypeForChain(u.chain);
    if (scriptType === undefined) throw unspentInvalid(`unspents[${i}].chain`, `${u.chain} is not a BitGo wallet chain`);
    return {
      id: `${txid.toLowerCase()}:${vout}`,
      // Display order is the reverse of the serialization order (txids are shown as big-endian numbers).
      prevTxid: fromHexStrict(txid)!.reverse(),
      vout,
      value,
      chain: u.chain,
      index: u.index,
      scriptType,
      ...(u.redeemScript !== undefined ? { redeemScript: fromHexStrict(u.redeemScript)! } : {}),
      ...(u.witnessScript !== undefined ? { witnessScript: fromHexStrict(u.witnessScript)! } : {}),
      ...(u.address !== undefined ? { address: u.address } : {}),
    };
  });
}

/**
 * The unsigned legacy transaction: old serialization (no BIP144 witness), every scriptSig empty, no outpoint
 * spent twice (consensus: CheckTransaction "bad-txns-inputs-duplicate").
 */
export function parseLegacyTx(txHex: string | Uint8Array): ParsedTx {
  const bytes = typeof txHex === 'string' ? fromHexStrict(txHex.trim()) : txHex;
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
    const key = `${toHex(inp.prevTxid)}:${inp.prevIndex}`;
    if (seen.has(key)) throw new LegacyRequestError(`txPrebuild.txHex input ${i} spends the same output as an earlier input`, 'legacy_tx_invalid');
    seen.add(key);
  });
  return tx;
}

/** What was established about input i before signing. */
export interface LegacyInputPlan {
  index: number;
  unspent: LegacyUnspent;
  /** The wallet output re-derived at the unspent's chain/index. */
  output: WalletOutputScript;
  /** p2trLegacy: the user+bitgo leaf the user signs. */
  leaf?: TapLeafInfo;
}

function addressScript(addr: string): Uint8Array | undefined {
  for (const network of [networks.bitcoin, networks.testnet, networks.regtest]) {
    try {
      return btcAddress.toOutputScript(addr, network);
    } catch {
      // try the next network
    }
  }
  return undefined;
}

const inputError = (i: number, why: string, code: LegacyRequestCode) => new LegacyRequestError(`input ${i}: ${why}`, code);

/**
 * Pairs input i with unspents[i] and re-derives what it spends from the wallet's keys. Throws a coded
 * LegacyRequestError naming the first input that is wrong and what is wrong with it.
 */
export function verifyLegacyInputs(tx: ParsedTx, unspents: readonly LegacyUnspent[], wallet: WalletKeys): LegacyInputPlan[] {
  if (unspents.length !== tx.inputs.length) {
    throw new LegacyRequestError(
      `txInfo.unspents lists ${unspents.length} outputs but the transaction has ${tx.inputs.length} inputs; BitGo's legacy format pairs them one to one, in order`,
      unspents.length < tx.inputs.length ? 'legacy_unspents_missing' : 'legacy_unspents_count_mismatch',
    );
  }
  return tx.inputs.map((inp, i) => {
    const u = unspents[i]!;
    const spends = `${txidHex(inp.prevTxid)}:${inp.prevIndex}`;
    if (!bytesEqual(u.prevTxid, inp.prevTxid) || u.vout !== inp.prevIndex) {
      throw inputError(i, `spends ${spends} but txInfo.unspents[${i}] describes ${u.id}`, 'legacy_unspent_id_mismatch');
    }
    if (u.scriptType === 'p2trMusig2') {
      // BitGo's legacy format predates MuSig2 (chains 40/41 exist only in PSBTs).
      throw inputError(i, `chain ${u.chain} (taproot MuSig2) cannot be signed in the legacy format; ask for a PSBT request`, 'legacy_script_type_unsupported');
    }
    // Something must bind chain/index to the output being spent, or a wrong claim would only surface as an
    // invalid signature: the address, or a script that fixes the scriptPubKey (p2sh redeemScript, p2shP2wsh
    // witness program, p2wsh witnessScript). A taproot output is fixed only by its address.
    const bound = u.address !== undefined || (u.scriptType !== 'p2trLegacy' && (u.redeemScript !== undefined || u.witnessScript !== undefined));
    if (!bound) {
      throw inputError(i, `txInfo.unspents[${i}] claims chain ${u.chain} index ${u.index} but neither its address nor a script it could be checked against`, 'legacy_unspent_script_missing');
    }
    const output = walletOutputScript(wallet, u.chain, u.index);
    for (const field of ['redeemScript', 'witnessScript'] as const) {
      const claimed = u[field];
      const derived = output[field];
      if (claimed !== undefined && (!derived || !bytesEqual(claimed, derived))) {
        throw inputError(i, `txInfo.unspents[${i}].${field} is not this wallet's ${output.scriptType} ${field} at chain ${u.chain} index ${u.index} (${output.path})`, 'legacy_unspent_script_mismatch');
      }
    }
    if (u.address !== undefined) {
      const script = addressScript(u.address);
      if (!script || !bytesEqual(script, output.scriptPubKey)) {
        throw inputError(i, `txInfo.unspents[${i}].address is not this wallet's address at chain ${u.chain} index ${u.index} (${output.path})`, 'legacy_unspent_script_mismatch');
      }
    }
    let leaf: TapLeafInfo | undefined;
    if (output.taproot) {
      leaf = output.taproot.leaves.find((l) => l.pair[0] === 'user' && l.pair[1] === 'bitgo');
      if (!leaf) throw inputError(i, 'the wallet tree has no user+bitgo leaf', 'legacy_script_type_unsupported');
    }
    return { index: i, unspent: u, output, ...(leaf ? { leaf } : {}) };
  });
}
