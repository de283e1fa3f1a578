// Where the signature is made: the one signing entry. It accepts only an ApprovedRequest (approval/gate.ts), so
// every signature this app or the CLI makes is over bytes the gate re-read, validated and re-reviewed. The key
// stays in the vault: the vault's signer signs digests and wipes what it derived when closed. The digests of a
// batch may be prepared on another thread than the key's (prepareApproved, which also accepts only an
// ApprovedRequest: the app runs the gate and it on the review thread, signing/on-thread.ts); signPrepared then has
// the vault sign them, and the vault's signer still checks each chain's first child against the validated key.
import { SignerError } from '../../shared/errors';
import { isApproved, type ApprovedRequest } from '../approval/gate';
import type { BatchJob, WalletSigner } from '../keystore/signer';
import { parsePsbtStrict } from '../intake/psbt-strict';
import { toBase64, toHex } from '../util/bytes';
import { prepareBitgoPsbtBatch, signBitgoPsbt, type EngineResult, type Musig2Signing, type SignedInputReport, type SigningKeyPublic } from './engine';
import type { SignThreadsOptions } from '../parallel/sign-threads';
import type { LedgerSpends, SigningLedger } from './ledger';
import { addMusig2Nonces, allPrevouts, hasUserPartialSig, keyPathMessage, Musig2StepError, sessionNonces } from './musig2';
import { NonceStoreError, nonceId, type Musig2NonceStore } from './musig2-nonces';
import { SighashCache } from './sighash';
import { serializePsbt } from '../intake/psbt-write';
import type { PlannedInput } from '../intake/wallet-inputs';
import { finalizeAndExtract } from './finalize';
import { prepareLegacyBatch, psbtToLegacyHalfSigned, signLegacyTransaction, type LegacySignResult } from './legacy';

/** The vault, as the signer sees it. */
export interface SignerSource {
  signer(walletId: string, derivationSeed?: string): WalletSigner;
}

export interface SignOutcome {
  walletId: string;
  /** The file content to write: Express's response JSON, or the PSBT in the input's own encoding. */
  output: Uint8Array;
  /** json for Express responses; psbt for bare PSBTs (binary, base64 or hex as the input was). */
  format: 'json' | 'psbt';
  inputs: SignedInputReport[];
  /** A MuSig2 step: which one, and the key-path inputs it gave nonces (signerNonce) or partial signatures for. */
  musig2?: { step: 'signerNonce' | 'signerSignature'; inputs: number[]; nonces?: string[] };
}

export class NotApprovedError extends SignerError {
  constructor() {
    super('SigningError', 'only a request the approval gate let through can be signed; nothing was signed', 'request_not_approved');
  }
}

const json = (walletId: string, txHex: Uint8Array, inputs: SignedInputReport[]): SignOutcome => ({
  walletId,
  output: new TextEncoder().encode(JSON.stringify({ txHex: toHex(txHex) })),
  format: 'json',
  inputs,
});

/**
 * Signs an approved request with its wallet's key. All inputs or none; the signer is closed either way. The
 * signing ledger refuses an outpoint already signed with another amount before any signature, and records this
 * one before the result is returned (signing/ledger.ts). MuSig2 key-path inputs (signing/musig2.ts) take BitGo's
 * two steps: a signerNonce request gets nonces, kept in `nonces` before the response is released, and signs
 * nothing; a signerSignature request takes its kept nonces out of `nonces` (single use) before it signs.
 */
export function signApproved(approved: ApprovedRequest, keys: SignerSource, ledger: SigningLedger, nonces?: Musig2NonceStore): SignOutcome {
  // The type already says so; this catches a cast or a copy.
  if (!isApproved(approved)) throw new NotApprovedError();
  const { walletId, review, request, plans } = approved;
  ledger.check(walletId, review);
  const keyPath = (plans ?? []).filter((p) => p.musig2);
  const step = request.kind === 'express' ? request.signingStep : undefined;
  if (step === 'cosignerNonce') throw new Musig2StepError('signingStep cosignerNonce is BitGo\'s own step (BitGo adds its nonce online); this signer does not perform it', 'musig2_not_supported');
  if (step === 'signerNonce' && request.kind === 'express') {
    // Express: a transaction without key-path inputs answers the nonce step with the PSBT unchanged.
    if (keyPath.length === 0) return { ...json(walletId, serializePsbt(request.psbt), []), musig2: { step, inputs: [] } };
    return nonceStep(approved, keyPath, keys, needStore(nonces));
  }
  let musig2: TakenNonces | undefined;
  if (keyPath.length > 0 && request.kind === 'express') {
    if (step !== 'signerSignature') throw new Musig2StepError('MuSig2 key-path inputs are signed in two steps: a signerNonce request first, then a signerSignature request with BitGo\'s nonce');
    if (request.isLastSignature || request.returnLegacyFormat) throw new Musig2StepError('a transaction with MuSig2 key-path inputs is answered as a PSBT: this signer gives the first signature, BitGo the last');
    musig2 = takeNonces(approved, keyPath, needStore(nonces));
  }
  const outcome = sign(approved, keys, musig2);
  ledger.record(walletId, review);
  // The signature step names the nonces it used (nonceId), for its audit entry: the record a restored nonces file
  // cannot undo (signing/musig2-nonces.ts).
  return musig2 ? { ...outcome, musig2: { step: 'signerSignature', inputs: [...musig2.sealed.keys()], nonces: musig2.used } } : outcome;
}

function needStore(nonces: Musig2NonceStore | undefined): Musig2NonceStore {
  if (!nonces) throw new NonceStoreError('no place to keep MuSig2 nonces was given; nothing was signed', 'musig2_nonce_store_unwritable');
  return nonces;
}

function txidOf(approved: ApprovedRequest): string {
  // The review refuses conflicting lock times, so an approved request has a txid.
  if (approved.review.txid === null) throw new Error('MuSig2: an approved request without a txid');
  return approved.review.txid;
}

/** The nonce step: nonces made, kept (written) first, then the PSBT with the public nonces is released. */
function nonceStep(approved: ApprovedRequest, keyPath: readonly PlannedInput[], keys: SignerSource, nonces: Musig2NonceStore): SignOutcome {
  const { request, walletId } = approved;
  if (request.kind !== 'express') throw new Error('MuSig2 nonce step on a non-Express request');
  const txid = txidOf(approved);
  const signer = keys.signer(walletId, request.derivationSeed);
  try {
    const r = addMusig2Nonces(request.psbt, keyPath, signer, walletId, txid);
    nonces.keep(walletId, txid, r.nonces);
    return { ...json(walletId, r.psbt, []), musig2: { step: 'signerNonce', inputs: keyPath.map((p) => p.index) } };
  } finally {
    signer.close();
  }
}

/** The signature step's sealed nonces, and the ids (nonceId) of those it takes, which its audit entry names. */
type TakenNonces = Musig2Signing & { used: string[] };

/** The signature step's nonces: each key-path input's user nonce in the PSBT, for the message signed now. */
function takeNonces(approved: ApprovedRequest, keyPath: readonly PlannedInput[], nonces: Musig2NonceStore): TakenNonces {
  const { request, walletId } = approved;
  if (request.kind !== 'express') throw new Error('MuSig2 signature step on a non-Express request');
  const txid = txidOf(approved);
  const cache = new SighashCache(request.psbt.tx);
  const prevouts = allPrevouts(request.psbt);
  const uses = keyPath.filter((p) => !hasUserPartialSig(p)).map((p) => ({ input: p.index, pubNonce: sessionNonces(p.index, p.musig2!).user, msg: keyPathMessage(p.index, p.fields, cache, prevouts).msg }));
  return { walletId, txid, sealed: uses.length === 0 ? new Map() : nonces.consume(walletId, txid, uses), used: uses.map((u) => nonceId(u.pubNonce)) };
}

function sign({ request, wallet, walletId, plans }: ApprovedRequest, keys: SignerSource, musig2?: Musig2Signing): SignOutcome {
  const signer = keys.signer(walletId, request.kind === 'psbt' ? undefined : request.derivationSeed);
  try {
    switch (request.kind) {
      case 'express-legacy':
        // BitGo's pre-PSBT format: answered as BitGo's older SDK did (half-signed network transaction).
        return legacyOutcome(walletId, signLegacyTransaction(request.tx, request.unspents, wallet, signer));
      case 'express':
        return psbtOutcome(request, walletId, signBitgoPsbt(request.psbt, wallet, signer, plans, musig2));
      case 'psbt':
        return psbtOutcome(request, walletId, signBitgoPsbt(request.psbt, wallet, signer, plans));
    }
  } finally {
    signer.close();
  }
}

/** The response for a signed legacy transaction: Express's JSON with the half-signed transaction. */
function legacyOutcome(walletId: string, r: LegacySignResult): SignOutcome {
  return json(walletId, r.tx, r.inputs);
}

/** The response for a signed PSBT, as the request asked for it. */
function psbtOutcome(request: Exclude<ApprovedRequest['request'], { kind: 'express-legacy' }>, walletId: string, r: EngineResult): SignOutcome {
  if (request.kind === 'express') {
    // isLastSignature: the finalized network transaction. returnLegacyFormat (BitGo's direct-call option): the
    // same signatures laid out as the legacy half-signed transaction (multisig inputs only).
    if (request.isLastSignature) return json(walletId, finalizeAndExtract(parsePsbtStrict(r.psbt)), r.inputs);
    if (request.returnLegacyFormat) return json(walletId, psbtToLegacyHalfSigned(parsePsbtStrict(r.psbt)), r.inputs);
    return json(walletId, r.psbt, r.inputs);
  }
  const output = request.encoding === 'binary' ? r.psbt : new TextEncoder().encode(request.encoding === 'hex' ? toHex(r.psbt) : toBase64(r.psbt));
  return { walletId, output, format: 'psbt', inputs: r.inputs };
}

/** True for the requests signed on one thread by signApproved: the MuSig2 steps (their nonce store is the caller's). */
export function signsOnOneThread({ request, plans }: ApprovedRequest): boolean {
  return (plans ?? []).some((p) => p.musig2) || (request.kind === 'express' && request.signingStep !== undefined);
}

/**
 * An approved request's signatures to make, computed where it was approved (the calling thread, or the review
 * thread: signing/on-thread.ts), and how its response is made from them.
 */
export interface PreparedSigning {
  /** What the signing ledger checks before any signature and records after (the gate's review's inputs). */
  readonly spends: LedgerSpends;
  readonly jobs: readonly BatchJob[];
  /** The response from the jobs' signatures, in job order. */
  finish(sigs: readonly Uint8Array[]): SignOutcome | Promise<SignOutcome>;
  /** Forgets the prepared request without a response (a failure or a cancel before finish). */
  drop(): void;
}

/**
 * The batch of an approved request (not one signsOnOneThread), from the signing key's public half: the engine's
 * checks, and no signature (signing/engine.ts prepareBitgoPsbtBatch). Only an ApprovedRequest is accepted.
 */
export function prepareApproved(approved: ApprovedRequest, key: SigningKeyPublic): PreparedSigning {
  if (!isApproved(approved)) throw new NotApprovedError();
  if (signsOnOneThread(approved)) throw new Error('prepareApproved: this request is signed on one thread (signApproved)');
  const { walletId, review, request, plans, wallet } = approved;
  const spends = { txid: review.txid, inputs: review.inputs.map(({ txid, vout, amount }) => ({ txid, vout, amount })) };
  if (request.kind === 'express-legacy') {
    // BitGo's pre-PSBT format: answered as BitGo's older SDK did (half-signed network transaction).
    const legacy = prepareLegacyBatch(request.tx, request.unspents, wallet, key);
    return { spends, jobs: legacy.jobs, finish: (sigs) => legacyOutcome(walletId, legacy.finish(sigs)), drop: () => undefined };
  }
  const batch = prepareBitgoPsbtBatch(request.psbt, wallet, key, plans);
  return { spends, jobs: batch.jobs, finish: (sigs) => psbtOutcome(request, walletId, batch.finish(sigs)), drop: () => undefined };
}

/**
 * Signs a prepared batch with the wallet's key in worker threads (the vault's signBatch), so the calling thread
 * keeps its event loop: `prepare` gets the signing key's public half and returns the batch of a request the gate
 * approved (prepareApproved, here or on the thread that approved it), or null when the request must be signed on
 * one thread instead (then nothing is signed here and null is returned). The ledger refuses a conflicting
 * amount before any signature and records the request before its response is returned; `opts` reports progress
 * per chunk and cancels between chunks (`signing_canceled`: nothing is recorded or returned).
 */
export async function signPrepared(
  walletId: string,
  derivationSeed: string | undefined,
  keys: SignerSource,
  ledger: SigningLedger,
  opts: SignThreadsOptions,
  prepare: (key: SigningKeyPublic) => PreparedSigning | null | Promise<PreparedSigning | null>,
): Promise<SignOutcome | null> {
  const signer = keys.signer(walletId, derivationSeed);
  let prepared: PreparedSigning | null = null;
  let outcome: SignOutcome;
  try {
    prepared = await prepare({ publicKey: signer.publicKey, chainCode: signer.chainCode });
    if (prepared === null) return null;
    ledger.check(walletId, prepared.spends);
    outcome = await prepared.finish(prepared.jobs.length > 0 ? await signer.signBatch(prepared.jobs, opts) : []);
  } catch (e) {
    prepared?.drop();
    throw e;
  } finally {
    signer.close();
  }
  ledger.record(walletId, prepared.spends);
  return outcome;
}

/**
 * signApproved with the signatures made in worker threads (signPrepared), with the same checks, ledger and bytes.
 * The MuSig2 steps are signed on this thread, by signApproved.
 */
export async function signApprovedInThreads(approved: ApprovedRequest, keys: SignerSource, ledger: SigningLedger, nonces: Musig2NonceStore | undefined, opts: SignThreadsOptions): Promise<SignOutcome> {
  if (!isApproved(approved)) throw new NotApprovedError();
  if (signsOnOneThread(approved)) return signApproved(approved, keys, ledger, nonces);
  const { walletId, request } = approved;
  const outcome = await signPrepared(walletId, request.kind === 'psbt' ? undefined : request.derivationSeed, keys, ledger, opts, (key) => prepareApproved(approved, key));
  return outcome!;
}
