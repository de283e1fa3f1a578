// The BitGo PSBT signing engine: adds the user key's signature to every input of a BitGo 2-of-3 wallet PSBT,
// exactly as BitGo's own signer does (same bytes: deterministic RFC6979 ECDSA without low-R grinding, BIP340
// Schnorr with 32 zero bytes of aux randomness, new key-values inserted in key order and nothing else moved),
// but only after checking, per input, that:
// - the BIP174 signer checks pass (intake/input-checks.ts: UTXO/outpoint, redeem/witness script hashes, taproot
//   commitments, sighash type);
// - the input is this wallet's script at a BitGo path, re-derived from the three xpubs (intake/wallet-inputs.ts,
//   BitGo's own "wallet validation", with BitGo's error when it fails);
// - the key that signs is the request's user key (the vault's signer checks its derivation too).
// Nothing is signed unless every input passes: a request is all or nothing.
import { script as bscript } from 'bitcoinjs-lib';
import { SignerError } from '../../shared/errors';
import type { AmountEvidence, ReviewScriptType } from '../../shared/review';
import { checkStrictInput, checkTransactionForSigning, type CheckedInput } from '../intake/input-checks';
import type { RawEntry, StrictPsbt } from '../intake/psbt-strict';
import { inputFields } from '../intake/psbt-view';
import { insertEntry, partialSigEntry, serializePsbt, tapScriptSigEntry, withAddedInputEntries } from '../intake/psbt-write';
import { validateWalletInputs, type PlannedInput } from '../intake/wallet-inputs';
import type { BatchJob, WalletSigner } from '../keystore/signer';
import { bytesEqual, concatBytes } from '../util/bytes';
import { SIGHASH_ALL } from '../util/consensus';
import { sameNode, type WalletKeys } from '../wallet/keys';
import { hasUserPartialSig, keyPathMessage, Musig2StepError, musig2PartialSigEntry } from './musig2';
import { SighashCache } from './sighash';

export class SigningError extends SignerError {
  constructor(message: string, code: 'signing_key_mismatch' | 'input_utxo_missing') {
    super('SigningError', message, code);
  }
}

export interface SignedInputReport {
  index: number;
  scriptType: ReviewScriptType;
  chain: number;
  derivationIndex: number;
  amount: bigint;
  amountEvidence: AmountEvidence;
  /** The user key had already signed this input (the signature is kept; nothing added). */
  alreadySigned: boolean;
}

/** A signature request's MuSig2 part: the sealed nonces the nonce store gave up, by input (signing/musig2.ts). */
export interface Musig2Signing {
  walletId: string;
  /** The unsigned txid (display hex) the nonces are bound to. */
  txid: string;
  sealed: ReadonlyMap<number, Uint8Array>;
}

export interface EngineResult {
  psbt: Uint8Array;
  inputs: SignedInputReport[];
}

/** A signature the engine needs: what to sign, and how its PSBT entry is made from the signature. */
interface PendingSignature {
  /** Position in the plan list (the input's report). */
  at: number;
  job: BatchJob;
  entry(sig: Uint8Array): RawEntry;
}

interface Prepared {
  reports: SignedInputReport[];
  /** The new entry of each planned input, when it has one already (MuSig2) or once its signature is made. */
  entries: (RawEntry | undefined)[];
  pending: PendingSignature[];
}

/** The signing key's public half: what the engine checks the request's user key against. */
export type SigningKeyPublic = Pick<WalletSigner, 'publicKey' | 'chainCode'>;

/**
 * What signing the PSBT needs, computed without signing, from the signing key's public half (except MuSig2
 * partial signatures, made here with `musig2.signer`).
 */
function prepare(psbt: StrictPsbt, wallet: WalletKeys, signer: SigningKeyPublic, validated: readonly PlannedInput[] | undefined, musig2: (Musig2Signing & { signer: WalletSigner }) | undefined): Prepared {
  checkTransactionForSigning(psbt);
  // Wallet validation first, for every input (BitGo's order: a wrong cosigner set fails on input 0).
  const plans = validated ?? validateWalletInputs(psbt, wallet);
  if (!sameNode(signer, wallet.user)) {
    throw new SigningError("the unlocked key is not this request's user key (pubs[0]); check the wallet id and derivationSeed", 'signing_key_mismatch');
  }
  const checked: CheckedInput[] = plans.map((p) =>
    checkStrictInput(psbt, p.index, {
      // BitGo's p2sh inputs carry only witness_utxo. The script was just re-derived from the wallet's keys, and
      // the amount is reported as unverified: that is the whole of the exception.
      DANGER_allowWitnessUtxoForNonSegwit: p.scriptType === 'p2sh' && p.fields.nonWitnessUtxo === undefined,
    }),
  );

  const cache = new SighashCache(psbt.tx);
  let prevouts: { script: Uint8Array; value: bigint }[] | undefined;
  const entries: (RawEntry | undefined)[] = plans.map(() => undefined);
  const pending: PendingSignature[] = [];
  const reports: SignedInputReport[] = plans.map((p, at) => {
    const c = checked[p.index]!;
    const path = { chain: p.chain, index: p.derivationIndex };
    const publicKey = p.keys.user; // CKDpub of the (checked) same root at the same path
    let already: boolean;
    if (p.musig2) {
      // MuSig2 key path: the user's partial signature, with the nonce kept from the nonce request.
      already = hasUserPartialSig(p);
      if (!already) {
        const sealed = musig2?.sealed.get(p.index);
        if (!musig2 || !sealed) throw new Musig2StepError(`input ${p.index} is a MuSig2 key-path input: it is signed only in a signerSignature request, with the nonce kept from its signerNonce request`);
        prevouts ??= psbt.inputs.map((_, i) => checked[i]?.prevout ?? prevoutOf(psbt, i));
        const { msg, sighashType } = keyPathMessage(p.index, p.fields, cache, prevouts);
        entries[at] = musig2PartialSigEntry(p, musig2.signer, sealed, musig2.walletId, musig2.txid, msg, sighashType);
      }
    } else if (p.leafHash) {
      const xOnly = publicKey.subarray(1);
      const leafHash = p.leafHash;
      already = p.fields.tapScriptSig.some((s) => bytesEqual(s.pubkey, xOnly) && bytesEqual(s.leafHash, leafHash));
      if (!already) {
        prevouts ??= psbt.inputs.map((_, i) => checked[i]?.prevout ?? prevoutOf(psbt, i));
        const digest = cache.taprootScriptPath(p.index, prevouts, leafHash, c.sighashType);
        pending.push({
          at,
          job: { path, digest, expected: publicKey, kind: 'schnorr' },
          entry: (sig) => tapScriptSigEntry(xOnly, leafHash, c.sighashType === 0 ? sig : concatBytes([sig, Uint8Array.of(c.sighashType)])),
        });
      }
    } else {
      already = p.fields.partialSigs.some((s) => bytesEqual(s.pubkey, publicKey));
      if (!already) {
        const digest = p.scriptType === 'p2sh' ? cache.legacy(p.index, p.script) : cache.bip143(p.index, p.script, c.prevout.value);
        pending.push({ at, job: { path, digest, expected: publicKey, kind: 'ecdsa' }, entry: (sig) => partialSigEntry(publicKey, bscript.signature.encode(sig, SIGHASH_ALL)) });
      }
    }
    return {
      index: p.index,
      scriptType: p.scriptType,
      chain: p.chain,
      derivationIndex: p.derivationIndex,
      amount: c.prevout.value,
      amountEvidence: c.segwit || c.taproot ? 'committed' : c.amountEvidence === 'non_witness_utxo' ? 'previous_tx' : 'unverified',
      alreadySigned: already,
    };
  });
  return { reports, entries, pending };
}

/** The signed PSBT: the request's bytes plus each new entry. */
function assemble(psbt: StrictPsbt, entries: readonly (RawEntry | undefined)[], reports: SignedInputReport[]): EngineResult {
  const additions = reports.flatMap((r, at) => (entries[at] ? [{ index: r.index, entry: entries[at] }] : []));
  if (psbt.version === 2) {
    // BIP370 documents also need PSBT_GLOBAL_TX_MODIFIABLE updated; the writer does that (and re-reads).
    const signedPsbt = withAddedInputEntries(psbt, additions.map((a) => ({ index: a.index, entries: [a.entry] })));
    return { psbt: serializePsbt(signedPsbt), inputs: reports };
  }
  // v0: insert each new key-value in key order; everything else keeps its bytes (BitGo's responses are exactly
  // the request plus these entries).
  const inputs = psbt.inputs.slice();
  for (const a of additions) inputs[a.index] = insertEntry(inputs[a.index]!, a.entry, `input ${a.index}`);
  return { psbt: serializePsbt({ ...psbt, inputs }), inputs: reports };
}

/**
 * Signs every input of a BitGo wallet PSBT with the vault's signer for the wallet `wallet` (the request's pubs),
 * from the wallet validation's plans (validated here when not given). Returns the new PSBT bytes and what was
 * established per input.
 */
export function signBitgoPsbt(psbt: StrictPsbt, wallet: WalletKeys, signer: WalletSigner, validated?: readonly PlannedInput[], musig2?: Musig2Signing): EngineResult {
  const { reports, entries, pending } = prepare(psbt, wallet, signer, validated, musig2 && { ...musig2, signer });
  for (const p of pending) {
    const { path, digest, expected, kind } = p.job;
    entries[p.at] = p.entry(kind === 'schnorr' ? signer.signSchnorr(path, digest, expected) : signer.signEcdsa(path, digest, expected));
  }
  return assemble(psbt, entries, reports);
}

/** A PSBT's signatures to make as one batch, and how its signed bytes are assembled from them. */
export interface PreparedBatch {
  /** What to sign, in order (empty when the user key had signed every input already). */
  readonly jobs: readonly BatchJob[];
  /** The signed PSBT from the jobs' 64-byte signatures, in job order; refuses any other count or size. */
  finish(sigs: readonly Uint8Array[]): EngineResult;
}

/**
 * The batch signBitgoPsbt would sign, computed from the signing key's public half alone: every check of the
 * request runs here (wallet validation, the BIP174 signer checks, the user key), and no signature is made, so
 * the jobs can be signed where the key is (the vault's signBatch: parallel/sign-threads.ts) while this runs
 * where the request was approved (signing/sign.ts). Not for MuSig2 key-path inputs (their partial signatures
 * need the key itself): they are refused as signBitgoPsbt refuses them without nonces.
 */
export function prepareBitgoPsbtBatch(psbt: StrictPsbt, wallet: WalletKeys, key: SigningKeyPublic, validated?: readonly PlannedInput[]): PreparedBatch {
  const { reports, entries, pending } = prepare(psbt, wallet, key, validated, undefined);
  return {
    jobs: pending.map((p) => p.job),
    finish(sigs) {
      if (sigs.length !== pending.length || sigs.some((sig) => sig.length !== 64)) {
        throw new Error(`signing engine: ${pending.length} signatures of 64 bytes were expected, ${sigs.length} came`);
      }
      const signed = entries.slice();
      pending.forEach((p, k) => (signed[p.at] = p.entry(sigs[k]!)));
      return assemble(psbt, signed, reports);
    },
  };
}

function prevoutOf(psbt: StrictPsbt, index: number): { script: Uint8Array; value: bigint } {
  const f = inputFields(psbt, index);
  if (f.witnessUtxo) return f.witnessUtxo;
  throw new SigningError(`input ${index}: taproot signing needs the spent output of every input, and input ${index} has none`, 'input_utxo_missing');
}
