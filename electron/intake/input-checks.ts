// BIP174 "Data Signers Check For", run by the review on every input and by the engine again before it signs.
//
// BIP174 (Signer): "If a non-witness UTXO is provided, its hash must match the hash specified in the prevout.
// If a witness UTXO is provided, no non-witness signature may be created. If a redeemScript is provided, the
// scriptPubKey must be for that redeemScript. If a witnessScript is provided, the scriptPubKey or the redeemScript
// must be for that witnessScript. If a sighash type is provided, the signer must check that the sighash is
// acceptable. If unacceptable, they must fail."
//
// `checkForSigning(psbt, indexes)` runs the transaction rules once and every listed input; `checkInputForSigning`
// one input. A failure is a TransactionCheckError / InputCheckError with a stable code naming the input index, and
// nothing may then be signed. The per-input check works on plain bytes, so it accepts the strict reader's fields
// (`inputFields`) and bitcoinjs-lib's `psbt.data.inputs[i]` alike (same field names). For taproot the BIP341 commitments (leaf script + control block, internal key + merkle root) stand in for the
// redeem/witness script hash checks.
import { MAX_MONEY_SATS as MAX_MONEY } from '../../shared/amount';
import { SignerError, type ErrorCode } from '../../shared/errors';
import { hash160, sha256 } from '../crypto/hash';
import { SIGHASH_ALL, SIGHASH_DEFAULT } from '../util/consensus';
import { bytesEqual, toHex } from '../util/bytes';
import { tapBranch, tapLeafHash, tapTweak } from '../wallet/taproot';
import type { StrictPsbt } from './psbt-strict';
import { parseTx, txidHex, txidOf, type ParsedTx } from './psbt-tx';
import { inputFields } from './psbt-view';

/** A signer check failed for one input; `code` is stable, the message names the input and the field. */
export class InputCheckError extends SignerError {
  declare readonly code: ErrorCode;
  readonly inputIndex: number;

  constructor(inputIndex: number, code: ErrorCode, message: string) {
    super('InputCheckError', `input ${inputIndex}: ${message}`, code);
    this.inputIndex = inputIndex;
  }
}

/** The fields of one PSBT input the checks read. Field names match bitcoinjs-lib's PsbtInput. */
export interface SignerInputView {
  index: number;
  /** The outpoint's txid in serialization (internal) byte order, as in the unsigned tx / PSBT_IN_PREVIOUS_TXID. */
  prevTxid: Uint8Array;
  prevIndex: number;
  nonWitnessUtxo?: Uint8Array | undefined;
  witnessUtxo?: { script: Uint8Array; value: bigint | number } | undefined;
  redeemScript?: Uint8Array | undefined;
  witnessScript?: Uint8Array | undefined;
  sighashType?: number | undefined;
  finalScriptSig?: Uint8Array | undefined;
  finalScriptWitness?: Uint8Array | undefined;
  /** BIP371 PSBT_IN_TAP_INTERNAL_KEY (32-byte x-only). */
  tapInternalKey?: Uint8Array | undefined;
  /** BIP371 PSBT_IN_TAP_MERKLE_ROOT. */
  tapMerkleRoot?: Uint8Array | undefined;
  /** BIP371 PSBT_IN_TAP_LEAF_SCRIPT entries. */
  tapLeafScript?: readonly { controlBlock: Uint8Array; script: Uint8Array; leafVersion: number }[] | undefined;
}

export interface InputCheckOptions {
  /**
   * DANGER: sign a non-segwit input whose spent output is known only from PSBT_IN_WITNESS_UTXO. BIP174 forbids it
   * ("If a witness UTXO is provided, no non-witness signature may be created"): a legacy signature does not commit
   * to the amount, so a forged witness_utxo can hide the real fee. BitGo's own p2sh inputs come this way; an
   * engine that sets this must verify the script independently and show the amount as unverified.
   */
  DANGER_allowWitnessUtxoForNonSegwit?: boolean;
  /**
   * Refuse segwit v0 inputs without PSBT_IN_NON_WITNESS_UTXO. BIP174: "The Signer may choose to fail to sign a
   * segwit input if a non-witness UTXO is not provided" (the BIP143 fee-attack defence, as in Coldcard). Off by default because BitGo segwit PSBTs usually carry only witness_utxo.
   */
  requireNonWitnessUtxoForSegwitV0?: boolean;
}

export type SpendType =
  | 'p2pkh'
  | 'p2sh'
  | 'p2sh-p2wpkh'
  | 'p2sh-p2wsh'
  | 'p2wpkh'
  | 'p2wsh'
  | 'p2tr'
  | 'bare';

export interface CheckedInput {
  index: number;
  spendType: SpendType;
  /** true for witness v0 and taproot spends (BIP143 / BIP341 sighash). */
  segwit: boolean;
  taproot: boolean;
  /** The output being spent, from the txid-verified previous tx when present, else from witness_utxo. */
  prevout: { script: Uint8Array; value: bigint };
  /**
   * How the amount is known: from the full previous transaction (verified against the outpoint), or only from
   * witness_utxo (unverified: trustworthy for taproot, whose sighash commits to every spent amount; for segwit v0
   * only per input, the BIP143 fee attack; not at all for legacy inputs).
   */
  amountEvidence: 'non_witness_utxo' | 'witness_utxo_only';
  /** The sighash type the signature must use: SIGHASH_ALL (1) for ECDSA; DEFAULT (0) or ALL (1) for taproot. */
  sighashType: number;
}

// ---- script templates (BIP16 P2SH, BIP141 witness programs, BIP341 taproot) ----

const isP2sh = (s: Uint8Array): boolean => s.length === 23 && s[0] === 0xa9 && s[1] === 0x14 && s[22] === 0x87;
const isP2wpkh = (s: Uint8Array): boolean => s.length === 22 && s[0] === 0x00 && s[1] === 0x14;
const isP2wsh = (s: Uint8Array): boolean => s.length === 34 && s[0] === 0x00 && s[1] === 0x20;
const isP2tr = (s: Uint8Array): boolean => s.length === 34 && s[0] === 0x51 && s[1] === 0x20;
const isP2pkh = (s: Uint8Array): boolean =>
  s.length === 25 && s[0] === 0x76 && s[1] === 0xa9 && s[2] === 0x14 && s[23] === 0x88 && s[24] === 0xac;

/** BIP141: a witness program is OP_0 or OP_1..OP_16 followed by one push of 2 to 40 bytes. */
function isWitnessProgram(s: Uint8Array): boolean {
  const op = s[0];
  if (op === undefined || s.length < 4 || s.length > 42) return false;
  if (op !== 0x00 && (op < 0x51 || op > 0x60)) return false;
  return s[1] === s.length - 2;
}

function toBigint(v: bigint | number, index: number): bigint {
  if (typeof v === 'bigint') return v;
  if (!Number.isSafeInteger(v)) throw new InputCheckError(index, 'input_amount_invalid', `witness_utxo amount ${v} is not an integer number of satoshis`);
  return BigInt(v);
}

/**
 * Runs the BIP174 signer checks for one input and returns what was established about it. Throws InputCheckError:
 * - `input_finalized`: the input already has a final scriptSig/witness (BIP174: a finalized input is not signed).
 * - `input_utxo_missing`: neither PSBT_IN_NON_WITNESS_UTXO nor PSBT_IN_WITNESS_UTXO.
 * - `input_non_witness_utxo_invalid` / `input_non_witness_utxo_mismatch` / `input_prevout_missing`: the previous
 *   transaction does not parse, is not the one the outpoint names, or lacks the spent output.
 * - `input_utxo_inconsistent`: witness_utxo disagrees with the verified previous transaction (BIP143 fee attack).
 * - `input_redeem_script_missing` / `input_redeem_script_mismatch`, `input_witness_script_missing` /
 *   `input_witness_script_mismatch`: scripts that do not hash to what is spent.
 * - `input_witness_utxo_for_non_segwit`: non-segwit spend known only from witness_utxo.
 * - `input_non_witness_utxo_required`: segwit v0 without the previous tx, when the option asks for it.
 * - `input_script_unsupported`: an output type this signer does not sign (unknown witness version, P2SH-wrapped
 *   taproot).
 * - `input_sighash_unsupported`: PSBT_IN_SIGHASH_TYPE other than ALL (ECDSA) or DEFAULT/ALL (taproot).
 * - `input_tap_leaf_mismatch` / `input_tap_key_mismatch`: a taproot leaf script with its control block, or the
 *   internal key with the merkle root, does not commit to the spent output key (BIP341).
 */
export function checkInputForSigning(input: SignerInputView, options: InputCheckOptions = {}): CheckedInput {
  const i = input.index;
  if (!Number.isSafeInteger(i) || i < 0) throw new InputCheckError(-1, 'input_index_invalid', `input index ${String(i)} is not a non-negative integer`);
  if ((input.finalScriptSig && input.finalScriptSig.length > 0) || (input.finalScriptWitness && input.finalScriptWitness.length > 0)) {
    throw new InputCheckError(i, 'input_finalized', 'the input is already finalized (final scriptSig or witness present); it must not be signed again');
  }

  // ---- the spent output ----
  let prevout: { script: Uint8Array; value: bigint } | undefined;
  let amountEvidence: CheckedInput['amountEvidence'] = 'witness_utxo_only';
  if (input.nonWitnessUtxo) {
    let prev: ParsedTx;
    try {
      prev = parseTx(input.nonWitnessUtxo, `input ${i} non_witness_utxo`, true);
    } catch (e) {
      throw new InputCheckError(i, 'input_non_witness_utxo_invalid', `non_witness_utxo is not a valid transaction (${e instanceof Error ? e.message : 'unreadable'})`);
    }
    // BIP174: "If a non-witness UTXO is provided, its hash must match the hash specified in the prevout."
    const txid = txidOf(prev);
    if (!bytesEqual(txid, input.prevTxid)) {
      throw new InputCheckError(i, 'input_non_witness_utxo_mismatch', `non_witness_utxo is transaction ${txidHex(txid)}, but the input spends ${txidHex(input.prevTxid)}`);
    }
    const out = prev.outputs[input.prevIndex];
    if (!out) {
      throw new InputCheckError(i, 'input_prevout_missing', `the input spends output ${input.prevIndex} of ${txidHex(txid)}, which has only ${prev.outputs.length} outputs`);
    }
    prevout = { script: out.script, value: out.value };
    amountEvidence = 'non_witness_utxo';
  }
  if (input.witnessUtxo) {
    const w = { script: input.witnessUtxo.script, value: toBigint(input.witnessUtxo.value, i) };
    if (prevout) {
      // Both given: they must describe the same output, or one of them lies about the amount (BIP143 fee
      // attack; Electrum's test_invalid_psbt__input_with_both_witness_utxo_and_nonwitness_utxo_that_do_not_match).
      if (w.value !== prevout.value) {
        throw new InputCheckError(i, 'input_utxo_inconsistent', `witness_utxo amount ${w.value} sat differs from the previous transaction's output amount ${prevout.value} sat`);
      }
      if (!bytesEqual(w.script, prevout.script)) {
        throw new InputCheckError(i, 'input_utxo_inconsistent', `witness_utxo scriptPubKey ${toHex(w.script)} differs from the previous transaction's output script ${toHex(prevout.script)}`);
      }
    } else {
      prevout = w;
    }
  }
  if (!prevout) throw new InputCheckError(i, 'input_utxo_missing', 'neither non_witness_utxo nor witness_utxo is present, so the spent output is unknown');
  // Bitcoin Core CheckTransaction / MoneyRange: no amount is negative or above 21 million BTC. The amount is read
  // as unsigned 64-bit, so a negative int64 shows up here as a huge value.
  if (prevout.value > MAX_MONEY) {
    throw new InputCheckError(i, 'input_amount_invalid', `the spent output's amount ${BigInt.asIntN(64, prevout.value)} sat is outside 0..${MAX_MONEY}`);
  }

  // ---- scripts ----
  const spk = prevout.script;
  let program = spk;
  let wrapped = false;
  if (isP2sh(spk)) {
    // BIP174: "If a redeemScript is provided, the scriptPubKey must be for that redeemScript." (BIP16: HASH160.)
    if (!input.redeemScript) throw new InputCheckError(i, 'input_redeem_script_missing', 'the spent output is P2SH but no redeemScript is given');
    const h = hash160(input.redeemScript);
    if (!bytesEqual(h, spk.subarray(2, 22))) {
      throw new InputCheckError(i, 'input_redeem_script_mismatch', `redeemScript hashes to ${toHex(h)}, but the spent P2SH output commits to ${toHex(spk.subarray(2, 22))}`);
    }
    program = input.redeemScript;
    wrapped = true;
  } else if (input.redeemScript) {
    throw new InputCheckError(i, 'input_redeem_script_mismatch', 'a redeemScript is given but the spent output is not P2SH');
  }

  let spendType: SpendType;
  if (isP2wsh(program)) {
    // BIP174: "If a witnessScript is provided, the scriptPubKey or the redeemScript must be for that
    // witnessScript." (BIP141 P2WSH: SHA256 of the witness script.)
    if (!input.witnessScript) throw new InputCheckError(i, 'input_witness_script_missing', `the spent output is ${wrapped ? 'P2SH-P2WSH' : 'P2WSH'} but no witnessScript is given`);
    const h = sha256(input.witnessScript);
    if (!bytesEqual(h, program.subarray(2))) {
      throw new InputCheckError(i, 'input_witness_script_mismatch', `witnessScript hashes to ${toHex(h)}, but the ${wrapped ? 'redeemScript' : 'spent output'} commits to ${toHex(program.subarray(2))}`);
    }
    spendType = wrapped ? 'p2sh-p2wsh' : 'p2wsh';
  } else {
    if (input.witnessScript) {
      throw new InputCheckError(i, 'input_witness_script_mismatch', `a witnessScript is given but the ${wrapped ? 'redeemScript' : 'spent output'} is not a P2WSH program`);
    }
    if (isP2wpkh(program)) spendType = wrapped ? 'p2sh-p2wpkh' : 'p2wpkh';
    else if (isP2tr(program) && !wrapped) spendType = 'p2tr';
    else if (isWitnessProgram(program)) {
      // BIP341: P2SH-wrapped witness v1 is not taproot; other versions are reserved for future soft forks.
      throw new InputCheckError(i, 'input_script_unsupported', `the ${wrapped ? 'redeemScript' : 'spent output'} is a witness program this signer does not sign (version byte 0x${toHex(program.subarray(0, 1))}${wrapped ? ', P2SH-wrapped' : ''})`);
    } else if (wrapped) spendType = 'p2sh';
    else spendType = isP2pkh(spk) ? 'p2pkh' : 'bare';
  }
  const taproot = spendType === 'p2tr';
  const segwit = spendType !== 'p2sh' && spendType !== 'p2pkh' && spendType !== 'bare';

  // BIP174: "If a witness UTXO is provided, no non-witness signature may be created." Read with its purpose: a
  // legacy signature does not commit to the amount, so the amount must come from the txid-verified previous
  // transaction. When both are present they were just shown to agree, and the amount is verified.
  if (!segwit && amountEvidence === 'witness_utxo_only' && !options.DANGER_allowWitnessUtxoForNonSegwit) {
    throw new InputCheckError(i, 'input_witness_utxo_for_non_segwit', `the spent output is ${spendType.toUpperCase()} (not segwit) and is given only as witness_utxo; a non-witness signature needs the full previous transaction (non_witness_utxo)`);
  }
  if (segwit && !taproot && amountEvidence === 'witness_utxo_only' && options.requireNonWitnessUtxoForSegwitV0) {
    throw new InputCheckError(i, 'input_non_witness_utxo_required', 'segwit v0 input without non_witness_utxo: its amount cannot be verified (BIP143 fee attack)');
  }

  if (taproot) checkTaprootCommitments(i, input, spk.subarray(2));

  // ---- sighash ----
  // BIP174: "If a sighash type is provided, the signer must check that the sighash is acceptable." This project
  // signs whole transactions only: SIGHASH_ALL for ECDSA; SIGHASH_DEFAULT or SIGHASH_ALL for BIP341 (both commit
  // to every input and output; DEFAULT gives a 64-byte signature).
  const requested = input.sighashType;
  let sighashType: number;
  if (taproot) {
    if (requested !== undefined && requested !== SIGHASH_DEFAULT && requested !== SIGHASH_ALL) {
      throw new InputCheckError(i, 'input_sighash_unsupported', `sighash type 0x${requested.toString(16)} is not accepted for a taproot input (only DEFAULT 0x00 or ALL 0x01)`);
    }
    sighashType = requested ?? SIGHASH_DEFAULT;
  } else {
    if (requested !== undefined && requested !== SIGHASH_ALL) {
      throw new InputCheckError(i, 'input_sighash_unsupported', `sighash type 0x${(requested >>> 0).toString(16)} is not accepted (only SIGHASH_ALL 0x01)`);
    }
    sighashType = SIGHASH_ALL;
  }

  return { index: i, spendType, segwit, taproot, prevout, amountEvidence, sighashType };
}

/** The checks for input `index` of a strictly parsed PSBT. */
export function checkStrictInput(psbt: StrictPsbt, index: number, options: InputCheckOptions = {}): CheckedInput {
  if (!Number.isSafeInteger(index) || index < 0 || index >= psbt.inputs.length) {
    throw new InputCheckError(index, 'input_index_out_of_range', `no such input: the PSBT has ${psbt.inputs.length} inputs`);
  }
  return checkInputForSigning(inputFields(psbt, index), options);
}

// ---- BIP341 commitments: the taproot analogue of "the redeemScript must hash to the scriptPubKey" ----

/**
 * The leaf script and control block a PSBT offers for signing must be for the output being spent, as BIP341
 * script-path validation would check: walk the control block from the leaf hash to the merkle root, tweak the internal key,
 * and compare with the spent output key (and the parity bit). A key-path claim (internal key, with the merkle root
 * when given) must produce the output key too. Without this a PSBT could show one script and spend another.
 */
function checkTaprootCommitments(i: number, input: SignerInputView, outputKey: Uint8Array): void {
  for (const [n, leaf] of (input.tapLeafScript ?? []).entries()) {
    const cb = leaf.controlBlock;
    const cbVersion = (cb[0] ?? 0) & 0xfe;
    if (cbVersion !== leaf.leafVersion) {
      throw new InputCheckError(i, 'input_tap_leaf_mismatch', `tap leaf script ${n}: leaf version 0x${leaf.leafVersion.toString(16)} differs from its control block's 0x${cbVersion.toString(16)}`);
    }
    let k = tapLeafHash(leaf.script, leaf.leafVersion);
    for (let o = 33; o + 32 <= cb.length; o += 32) k = tapBranch(k, cb.subarray(o, o + 32));
    const q = tapTweak(cb.subarray(1, 33), k);
    if (!q || !bytesEqual(q.outputKey, outputKey) || q.parity !== ((cb[0] ?? 0) & 1)) {
      throw new InputCheckError(i, 'input_tap_leaf_mismatch', `tap leaf script ${n} with its control block does not commit to the spent output key ${toHex(outputKey)}`);
    }
    if (input.tapInternalKey && !bytesEqual(input.tapInternalKey, cb.subarray(1, 33))) {
      throw new InputCheckError(i, 'input_tap_key_mismatch', `tap leaf script ${n}: its control block's internal key differs from PSBT_IN_TAP_INTERNAL_KEY`);
    }
    if (input.tapMerkleRoot && !bytesEqual(input.tapMerkleRoot, k)) {
      throw new InputCheckError(i, 'input_tap_key_mismatch', `tap leaf script ${n}: its merkle path ends in a root other than PSBT_IN_TAP_MERKLE_ROOT`);
    }
  }
  if (input.tapInternalKey) {
    const q = tapTweak(input.tapInternalKey, input.tapMerkleRoot);
    if (!q || !bytesEqual(q.outputKey, outputKey)) {
      throw new InputCheckError(i, 'input_tap_key_mismatch', `PSBT_IN_TAP_INTERNAL_KEY${input.tapMerkleRoot ? ' with PSBT_IN_TAP_MERKLE_ROOT' : ''} does not tweak to the spent output key ${toHex(outputKey)}`);
    }
  }
}

// ---- whole-transaction sanity before any input is signed ----

/** The transaction as a whole cannot be signed; `code` is stable, the message names the input/output. */
export class TransactionCheckError extends SignerError {
  declare readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super('TransactionCheckError', message, code);
  }
}

/**
 * Bitcoin Core's context-free transaction rules (CheckTransaction) that a signer can check from the PSBT alone,
 * run once before signing any input: a transaction that breaks them can never confirm, and duplicate inputs or
 * out-of-range amounts would also corrupt the fee shown for review (Coldcard: "Duplicate input", "negative output
 * value"). Codes: `tx_no_inputs`, `tx_no_outputs`, `tx_duplicate_input`, `tx_output_amount_invalid`,
 * `tx_output_total_invalid`.
 */
export function checkTransactionForSigning(psbt: StrictPsbt): void {
  const { inputs, outputs } = psbt.tx;
  // CheckTransaction: "bad-txns-vin-empty" / "bad-txns-vout-empty".
  if (inputs.length === 0) throw new TransactionCheckError('tx_no_inputs', 'the transaction has no inputs');
  if (outputs.length === 0) throw new TransactionCheckError('tx_no_outputs', 'the transaction has no outputs; everything would go to fees');
  // CheckTransaction: "bad-txns-inputs-duplicate".
  const seen = new Map<string, number>();
  inputs.forEach((inp, i) => {
    const id = `${toHex(inp.prevTxid)}:${inp.prevIndex}`;
    const first = seen.get(id);
    if (first !== undefined) {
      throw new TransactionCheckError('tx_duplicate_input', `inputs ${first} and ${i} spend the same output ${txidHex(inp.prevTxid)}:${inp.prevIndex}`);
    }
    seen.set(id, i);
  });
  // CheckTransaction: "bad-txns-vout-negative", "bad-txns-vout-toolarge", "bad-txns-txouttotal-toolarge".
  let total = 0n;
  outputs.forEach((o, i) => {
    if (o.value > MAX_MONEY) {
      throw new TransactionCheckError('tx_output_amount_invalid', `output ${i}: amount ${BigInt.asIntN(64, o.value)} sat is outside 0..${MAX_MONEY}`);
    }
    total += o.value;
  });
  if (total > MAX_MONEY) throw new TransactionCheckError('tx_output_total_invalid', `outputs total ${total} sat, above ${MAX_MONEY}`);
}

/**
 * Everything this module checks before signing, in one call: the transaction rules once, then the BIP174 signer
 * checks for each input in `inputIndexes` (all inputs when omitted). Returns what was established per input, in
 * the order asked. Throws the first TransactionCheckError or InputCheckError.
 */
export function checkForSigning(psbt: StrictPsbt, inputIndexes?: readonly number[], options: InputCheckOptions = {}): CheckedInput[] {
  checkTransactionForSigning(psbt);
  const indexes = inputIndexes ?? psbt.inputs.map((_, i) => i);
  return indexes.map((i) => checkStrictInput(psbt, i, options));
}
