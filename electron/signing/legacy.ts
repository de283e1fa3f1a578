// BitGo's legacy (pre-PSBT) half-signed transaction: the user key's signature placed in a network-format
// transaction, with empty placeholder slots for the two signatures still missing, exactly as BitGo's older SDK
// (utxo-lib `TransactionBuilder` half-signing) wrote it. Worked out byte by byte from test/fixtures/bitgo/legacy:
//
// - p2sh (chains 0/1):       scriptSig = OP_0 <slot user> <slot backup> <slot bitgo> <redeemScript>, no witness.
//                            The leading OP_0 is the dummy element OP_CHECKMULTISIG pops (BIP147 NULLDUMMY);
//                            a slot is the DER signature + sighash byte, or OP_0 (empty push) when missing.
// - p2shP2wsh (10/11):       scriptSig = <redeemScript> (the 34-byte witness program, one push);
//                            witness   = [ "", <slot user>, <slot backup>, <slot bitgo>, <witnessScript> ].
// - p2wsh (20/21):           empty scriptSig; the same five-item witness.
// - p2trLegacy (30/31):      empty scriptSig; BIP341 script-path witness for the user+bitgo leaf
//                            `<user> OP_CHECKSIGVERIFY <bitgo> OP_CHECKSIG`:
//                            [ <slot bitgo>, <slot user>, <leaf script>, <control block> ]
//                            (the stack top is consumed first, by the first key of the leaf); Schnorr slots are
//                            64 bytes (SIGHASH_DEFAULT, BIP341 "no sighash byte") or empty.
// Any witness item present makes the transaction use the BIP144 extended serialization; p2sh inputs then carry an
// empty witness. A transaction of p2sh inputs only keeps the old serialization.
//
// Signatures: RFC6979 deterministic ECDSA without extra entropy (no low-R grinding) over the legacy SignatureHash
// (p2sh) or the BIP143 digest (segwit v0), SIGHASH_ALL; BIP340 Schnorr with 32 zero bytes of aux randomness over
// the BIP341/342 script-path digest, SIGHASH_DEFAULT. The digests come from ./sighash (shared with the PSBT engine).
//
// Before anything is signed, every input is checked (all or nothing) by intake/legacy.ts verifyLegacyInputs:
// unspents[i] must describe the outpoint input i spends (id "txid:vout"), its chain/index must re-derive from the
// wallet's three xpubs to the scripts and address it claims. Amounts remain claims: BIP143 and BIP341 signatures commit to them (a wrong
// amount makes the signature invalid, it cannot be spent), a p2sh signature does not (reported 'unverified').
import { script as bscript } from 'bitcoinjs-lib';
import { SignerError } from '../../shared/errors';
import { verifyLegacyInputs, type LegacyUnspent } from '../intake/legacy';
import type { StrictPsbt, TxView } from '../intake/psbt-strict';
import type { ParsedTx } from '../intake/psbt-tx';
import { inputFields } from '../intake/psbt-view';
import type { BatchJob, WalletSigner } from '../keystore/signer';
import { bytesEqual, compactSizeBytes, concatBytes, u32leBytes, u64leBytes } from '../util/bytes';
import { SIGHASH_ALL, SIGHASH_DEFAULT } from '../util/consensus';
import { sameNode, type WalletKeys } from '../wallet/keys';
import type { SignedInputReport, SigningKeyPublic } from './engine';
import { SighashCache } from './sighash';

export type LegacySigningCode = 'legacy_script_type_unsupported' | 'legacy_script_missing' | 'legacy_script_too_large' | 'legacy_format_unsupported_input' | 'legacy_signature_foreign_key' | 'signing_key_mismatch' | 'locktime_conflict';

export class LegacySigningError extends SignerError {
  constructor(message: string, code: LegacySigningCode) {
    super('LegacySigningError', message, code);
  }
}

const inputError = (i: number, why: string, code: LegacySigningCode) => new LegacySigningError(`input ${i}: ${why}`, code);

// ---------------------------------------------------------------------------------------------------------------
// Serialization

const OP_0 = 0x00;
const OP_PUSHDATA1 = 0x4c;
const OP_PUSHDATA2 = 0x4d;

/** Minimal push of `data` (BIP62 rule 3), as BitGo's SDK wrote every scriptSig element; empty = OP_0. */
function push(data: Uint8Array): Uint8Array {
  const n = data.length;
  if (n === 0) return Uint8Array.of(OP_0);
  if (n < OP_PUSHDATA1) return concatBytes([Uint8Array.of(n), data]);
  if (n <= 0xff) return concatBytes([Uint8Array.of(OP_PUSHDATA1, n), data]);
  if (n <= 520) return concatBytes([Uint8Array.of(OP_PUSHDATA2, n & 0xff, n >> 8), data]);
  throw new LegacySigningError(`a script element of ${n} bytes exceeds the 520-byte push limit`, 'legacy_script_too_large');
}

const EMPTY = new Uint8Array(0);

export interface HalfSignedInput {
  scriptSig: Uint8Array;
  witness: Uint8Array[];
}

/**
 * The scriptSig and witness of a wallet input with the given signature slots (empty slot = missing signature).
 * `slots` is in script key order: [user, backup, bitgo] for multisig, [first, second] leaf key for taproot.
 */
export function halfSignedInput(
  scriptType: 'p2sh' | 'p2shP2wsh' | 'p2wsh' | 'p2trLegacy',
  slots: readonly Uint8Array[],
  scripts: { redeemScript?: Uint8Array; witnessScript?: Uint8Array; leafScript?: Uint8Array; controlBlock?: Uint8Array },
): HalfSignedInput {
  const need = (b: Uint8Array | undefined, what: string): Uint8Array => {
    if (!b) throw new LegacySigningError(`a ${scriptType} input needs its ${what}`, 'legacy_script_missing');
    return b;
  };
  switch (scriptType) {
    case 'p2sh':
      return { scriptSig: concatBytes([Uint8Array.of(OP_0), ...slots.map(push), push(need(scripts.redeemScript, 'redeemScript'))]), witness: [] };
    case 'p2shP2wsh':
      return { scriptSig: push(need(scripts.redeemScript, 'redeemScript')), witness: [EMPTY, ...slots, need(scripts.witnessScript, 'witnessScript')] };
    case 'p2wsh':
      return { scriptSig: EMPTY, witness: [EMPTY, ...slots, need(scripts.witnessScript, 'witnessScript')] };
    case 'p2trLegacy':
      // Witness stack bottom to top: the second key's signature, then the first key's (checked first).
      return { scriptSig: EMPTY, witness: [...slots].reverse().concat([need(scripts.leafScript, 'leaf script'), need(scripts.controlBlock, 'control block')]) };
  }
}

function varBytes(b: Uint8Array): Uint8Array {
  return concatBytes([compactSizeBytes(b.length), b]);
}

/** Network serialization; BIP144 extended format when any input has witness items. */
export function serializeHalfSigned(tx: TxView & { locktime: number }, inputs: readonly HalfSignedInput[]): Uint8Array {
  const segwit = inputs.some((x) => x.witness.length > 0);
  const parts: Uint8Array[] = [u32leBytes(tx.version >>> 0)];
  if (segwit) parts.push(Uint8Array.of(0x00, 0x01)); // BIP144 marker, flag
  parts.push(compactSizeBytes(tx.inputs.length));
  tx.inputs.forEach((inp, i) => {
    parts.push(inp.prevTxid, u32leBytes(inp.prevIndex), varBytes(inputs[i]!.scriptSig), u32leBytes(inp.sequence));
  });
  parts.push(compactSizeBytes(tx.outputs.length));
  for (const o of tx.outputs) parts.push(u64leBytes(o.value), varBytes(o.script));
  if (segwit) for (const x of inputs) parts.push(compactSizeBytes(x.witness.length), ...x.witness.map(varBytes));
  parts.push(u32leBytes(tx.locktime));
  return concatBytes(parts);
}

// ---------------------------------------------------------------------------------------------------------------
// Signing

export interface LegacySignResult {
  /** The half-signed network transaction. */
  tx: Uint8Array;
  inputs: SignedInputReport[];
}

/** A legacy transaction's signatures to make as one batch, and how the half-signed transaction is made from them. */
export interface LegacyBatch {
  /** One job per input, in input order. */
  readonly jobs: readonly BatchJob[];
  /** The half-signed transaction from the jobs' 64-byte signatures, in job order; refuses any other count or size. */
  finish(sigs: readonly Uint8Array[]): LegacySignResult;
}

/**
 * The batch of an unsigned legacy transaction for the wallet `wallet` (the request's pubs), from the signing key's
 * public half alone: every input is verified first (all or nothing) and its digest computed; nothing is signed, so
 * the jobs can be signed where the key is (the vault's signBatch, in worker threads) while this runs where the
 * request was approved (signing/sign.ts prepareApproved, on the app's review thread).
 */
export function prepareLegacyBatch(tx: ParsedTx, unspents: readonly LegacyUnspent[], wallet: WalletKeys, key: SigningKeyPublic): LegacyBatch {
  if (!sameNode(key, wallet.user)) {
    throw new LegacySigningError("the unlocked key is not this request's user key (pubs[0]); check the wallet id and derivationSeed", 'signing_key_mismatch');
  }
  const plans = verifyLegacyInputs(tx, unspents, wallet);
  const cache = new SighashCache(tx);
  // BIP341 commits to the spent output (amount and scriptPubKey) of every input: the re-derived scripts and the
  // claimed amounts.
  const prevouts = plans.map((p) => ({ script: p.output.scriptPubKey, value: p.unspent.value }));
  const jobs = plans.map((p): BatchJob => {
    const o = p.output;
    const path = { chain: p.unspent.chain, index: p.unspent.index };
    const type = o.scriptType;
    if (type === 'p2trLegacy') return { path, digest: cache.taprootScriptPath(p.index, prevouts, p.leaf!.leafHash, SIGHASH_DEFAULT), expected: o.pubkeys.user, kind: 'schnorr' };
    if (type === 'p2sh' || type === 'p2shP2wsh' || type === 'p2wsh') {
      const scriptCode = type === 'p2sh' ? o.redeemScript! : o.witnessScript!;
      const digest = type === 'p2sh' ? cache.legacy(p.index, scriptCode) : cache.bip143(p.index, scriptCode, p.unspent.value);
      return { path, digest, expected: o.pubkeys.user, kind: 'ecdsa' };
    }
    throw inputError(p.index, `${type} cannot be signed in the legacy format`, 'legacy_script_type_unsupported');
  });
  const reports = plans.map((p) => ({
    index: p.index,
    scriptType: p.output.scriptType,
    chain: p.unspent.chain,
    derivationIndex: p.unspent.index,
    amount: p.unspent.value,
    amountEvidence: p.output.scriptType === 'p2sh' ? ('unverified' as const) : ('committed' as const),
    alreadySigned: false,
  }));
  return {
    jobs,
    finish(sigs) {
      if (sigs.length !== jobs.length || sigs.some((sig) => sig.length !== 64)) {
        throw new Error(`legacy signing: ${jobs.length} signatures of 64 bytes were expected, ${sigs.length} came`);
      }
      const out = plans.map((p, k): HalfSignedInput => {
        const o = p.output;
        if (o.scriptType === 'p2trLegacy') return halfSignedInput('p2trLegacy', [sigs[k]!, EMPTY], { leafScript: p.leaf!.script, controlBlock: p.leaf!.controlBlock });
        return halfSignedInput(o.scriptType as 'p2sh' | 'p2shP2wsh' | 'p2wsh', [bscript.signature.encode(sigs[k]!, SIGHASH_ALL), EMPTY, EMPTY], o);
      });
      return { tx: serializeHalfSigned(tx, out), inputs: reports };
    },
  };
}

/**
 * Signs an unsigned legacy transaction with the vault's signer for the wallet `wallet` (the request's pubs), on
 * this thread. Verifies every input first; signs all inputs or none.
 */
export function signLegacyTransaction(tx: ParsedTx, unspents: readonly LegacyUnspent[], wallet: WalletKeys, signer: WalletSigner): LegacySignResult {
  const batch = prepareLegacyBatch(tx, unspents, wallet, signer);
  return batch.finish(batch.jobs.map((j) => (j.kind === 'schnorr' ? signer.signSchnorr(j.path, j.digest, j.expected) : signer.signEcdsa(j.path, j.digest, j.expected))));
}

// ---------------------------------------------------------------------------------------------------------------
// returnLegacyFormat: a signed PSBT rewritten as the legacy half-signed transaction

const MULTISIG_2_OF_3 = (s: Uint8Array) =>
  s.length === 105 && s[0] === 0x52 && s[1] === 33 && s[35] === 33 && s[69] === 33 && s[103] === 0x53 && s[104] === 0xae;

/**
 * For Express's `returnLegacyFormat: true`: the PSBT after signing (by ./engine) rewritten as BitGo's legacy
 * half-signed transaction. Each partial signature goes into the slot of its key in the multisig script; the
 * others stay empty. Like BitGo, only multisig inputs (p2sh, p2shP2wsh, p2wsh) have a legacy form; taproot
 * inputs are refused (`legacy_format_unsupported_input`). The PSBT's signatures are taken as they are: call this
 * only on the engine's output, which verified every input before signing.
 */
export function psbtToLegacyHalfSigned(psbt: StrictPsbt): Uint8Array {
  if (psbt.tx.locktime === undefined) throw new LegacySigningError('the PSBT inputs require conflicting lock times (BIP370)', 'locktime_conflict');
  const inputs = psbt.inputs.map((_, i): HalfSignedInput => {
    const f = inputFields(psbt, i);
    if (f.tapLeafScript.length > 0 || f.tapInternalKey || f.tapScriptSig.length > 0 || f.tapKeySig) {
      throw inputError(i, 'taproot inputs have no legacy half-signed form (BitGo returns legacy format for multisig inputs only); ask for a PSBT response', 'legacy_format_unsupported_input');
    }
    if (f.finalScriptSig || f.finalScriptWitness) {
      // A finalized input has dropped its partial signatures and scripts (BIP174 finalizer): no slots to lay out.
      throw inputError(i, 'is already finalized; a half-signed legacy form exists only for partially signed inputs', 'legacy_format_unsupported_input');
    }
    const ms = f.witnessScript ?? f.redeemScript;
    if (!ms || !MULTISIG_2_OF_3(ms)) throw inputError(i, 'is not a BitGo 2-of-3 multisig input (no 2-of-3 redeem or witness script)', 'legacy_format_unsupported_input');
    const keys = [ms.subarray(2, 35), ms.subarray(36, 69), ms.subarray(70, 103)];
    for (const s of f.partialSigs) {
      if (!keys.some((k) => bytesEqual(k, s.pubkey))) throw inputError(i, 'has a partial signature by a key that is not in its script', 'legacy_signature_foreign_key');
    }
    const slots = keys.map((k) => f.partialSigs.find((s) => bytesEqual(s.pubkey, k))?.signature ?? EMPTY);
    const type = f.witnessScript ? (f.redeemScript ? 'p2shP2wsh' : 'p2wsh') : 'p2sh';
    return halfSignedInput(type, slots, { ...(f.redeemScript ? { redeemScript: f.redeemScript } : {}), ...(f.witnessScript ? { witnessScript: f.witnessScript } : {}) });
  });
  return serializeHalfSigned({ ...psbt.tx, locktime: psbt.tx.locktime }, inputs);
}
