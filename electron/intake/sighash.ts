// Signature hashes for the spends this signer makes, computed from the strictly parsed transaction:
// - legacy (pre-segwit) SIGHASH_ALL for BitGo's p2sh inputs (Bitcoin Core SignatureHash, SIGVERSION_BASE);
// - BIP143 SIGHASH_ALL for p2wsh and p2sh-p2wsh;
// - BIP341 SIGHASH_DEFAULT / SIGHASH_ALL for taproot script-path spends (ext_flag 1, BIP342 tapscript) and for
//   key-path spends (ext_flag 0: the message a MuSig2 key-path signature signs).
//
// The transaction-wide parts (BIP143 hashPrevouts/hashSequence/hashOutputs, BIP341 sha_prevouts/sha_amounts/
// sha_scriptpubkeys/sha_sequences/sha_outputs) are computed once per transaction, so signing n inputs costs O(n)
// hashing, not O(n^2) as recomputing them per input would (bitcoinjs-lib's Transaction.hashForWitnessV0/V1 do
// that: fine for a few inputs, quadratic for BitGo's 500+ input consolidations). Only the legacy sighash is
// inherently O(n) per input (the whole transaction is serialized each time), as in Bitcoin Core.
import { SignerError } from '../../shared/errors';
import { hash256, sha256, taggedHash } from '../crypto/hash';
import type { TxView } from './psbt-strict';
import { compactSizeBytes, concatBytes, u32leBytes, u64leBytes } from '../util/bytes';
import { SIGHASH_ALL, SIGHASH_DEFAULT } from '../util/consensus';

/** A transaction this signer cannot make a signature hash for. */
export class SighashError extends SignerError {
  constructor(message: string, code: 'locktime_conflict' | 'input_sighash_unsupported' | 'input_utxo_missing') {
    super('SighashError', message, code);
  }
}

function varBytes(b: Uint8Array): Uint8Array {
  return concatBytes([compactSizeBytes(b.length), b]);
}

function outpoint(inp: TxView['inputs'][number]): Uint8Array {
  return concatBytes([inp.prevTxid, u32leBytes(inp.prevIndex)]);
}

function serializeOutputs(tx: TxView): Uint8Array {
  return concatBytes(tx.outputs.flatMap((o) => [u64leBytes(o.value), varBytes(o.script)]));
}

function locktimeOf(tx: TxView): number {
  if (tx.locktime === undefined) {
    throw new SighashError('the inputs of this PSBT v2 require conflicting lock times (BIP370); no signature can be made', 'locktime_conflict');
  }
  return tx.locktime;
}

export class SighashCache {
  readonly #tx: TxView;
  #bip143?: { hashPrevouts: Uint8Array; hashSequence: Uint8Array; hashOutputs: Uint8Array };
  #bip341?: { shaPrevouts: Uint8Array; shaAmounts: Uint8Array; shaScriptPubkeys: Uint8Array; shaSequences: Uint8Array; shaOutputs: Uint8Array };

  constructor(tx: TxView) {
    this.#tx = tx;
  }

  /**
   * Bitcoin Core SignatureHash for SIGVERSION_BASE with SIGHASH_ALL: the transaction with every input script
   * emptied except this input's, which is the scriptCode (the redeem script for p2sh; BitGo's multisig scripts
   * have no OP_CODESEPARATOR), followed by the 4-byte hash type, double SHA-256.
   */
  legacy(index: number, scriptCode: Uint8Array) {
    const tx = this.#tx;
    const parts: Uint8Array[] = [u32leBytes(tx.version), compactSizeBytes(tx.inputs.length)];
    tx.inputs.forEach((inp, i) => {
      parts.push(outpoint(inp), i === index ? varBytes(scriptCode) : Uint8Array.of(0), u32leBytes(inp.sequence));
    });
    parts.push(compactSizeBytes(tx.outputs.length), serializeOutputs(tx), u32leBytes(locktimeOf(tx)), u32leBytes(SIGHASH_ALL));
    return hash256(concatBytes(parts));
  }

  /** BIP143 signature hash with SIGHASH_ALL (the only type BitGo and this signer use for ECDSA). */
  bip143(index: number, scriptCode: Uint8Array, amount: bigint) {
    const tx = this.#tx;
    const c = (this.#bip143 ??= {
      hashPrevouts: hash256(concatBytes(tx.inputs.map(outpoint))),
      hashSequence: hash256(concatBytes(tx.inputs.map((i) => u32leBytes(i.sequence)))),
      hashOutputs: hash256(serializeOutputs(tx)),
    });
    const inp = tx.inputs[index]!;
    return hash256(
      concatBytes([
        u32leBytes(tx.version),
        c.hashPrevouts,
        c.hashSequence,
        outpoint(inp),
        varBytes(scriptCode),
        u64leBytes(amount),
        u32leBytes(inp.sequence),
        c.hashOutputs,
        u32leBytes(locktimeOf(tx)),
        u32leBytes(SIGHASH_ALL),
      ]),
    );
  }

  /**
   * BIP341 SigMsg for a key-path spend (ext_flag = 0, no annex), hashed as TapSighash(0x00 || SigMsg): the message
   * BitGo's MuSig2 key path signs (utxo-lib UtxoPsbt getTaprootHashForSig without a leaf hash).
   */
  taprootKeyPath(index: number, prevouts: readonly { script: Uint8Array; value: bigint }[], hashType: number) {
    return this.#taproot(index, prevouts, hashType, undefined);
  }

  /**
   * BIP341 SigMsg for a script-path spend (ext_flag = 1, no annex) with BIP342's extension, hashed as
   * TapSighash(0x00 || SigMsg). `prevouts` are the spent outputs of ALL inputs: BIP341 commits to every amount and
   * scriptPubKey, which is what makes taproot amounts trustworthy without the previous transactions.
   */
  taprootScriptPath(index: number, prevouts: readonly { script: Uint8Array; value: bigint }[], leafHash: Uint8Array, hashType: number) {
    return this.#taproot(index, prevouts, hashType, leafHash);
  }

  #taproot(index: number, prevouts: readonly { script: Uint8Array; value: bigint }[], hashType: number, leafHash: Uint8Array | undefined) {
    if (hashType !== SIGHASH_DEFAULT && hashType !== SIGHASH_ALL) {
      throw new SighashError(`input ${index}: taproot sighash type ${hashType} is not signed by this signer`, 'input_sighash_unsupported');
    }
    const tx = this.#tx;
    if (prevouts.length !== tx.inputs.length) throw new SighashError('taproot signing needs the spent output of every input', 'input_utxo_missing');
    const c = (this.#bip341 ??= {
      shaPrevouts: sha256(concatBytes(tx.inputs.map(outpoint))),
      shaAmounts: sha256(concatBytes(prevouts.map((p) => u64leBytes(p.value)))),
      shaScriptPubkeys: sha256(concatBytes(prevouts.map((p) => varBytes(p.script)))),
      shaSequences: sha256(concatBytes(tx.inputs.map((i) => u32leBytes(i.sequence)))),
      shaOutputs: sha256(serializeOutputs(tx)),
    });
    const msg = concatBytes([
      Uint8Array.of(0x00), // epoch
      Uint8Array.of(hashType),
      u32leBytes(tx.version),
      u32leBytes(locktimeOf(tx)),
      c.shaPrevouts,
      c.shaAmounts,
      c.shaScriptPubkeys,
      c.shaSequences,
      c.shaOutputs,
      // spend_type = ext_flag * 2 + annex_present: 2 for a script path (ext_flag 1), 0 for the key path.
      Uint8Array.of(leafHash ? 2 : 0),
      u32leBytes(index),
      // BIP342 extension (script path only): tapleaf_hash || key_version 0x00 || codesep_pos 0xffffffff (none run).
      ...(leafHash ? [leafHash, Uint8Array.of(0x00), u32leBytes(0xffffffff)] : []),
    ]);
    return taggedHash('TapSighash', msg);
  }
}
