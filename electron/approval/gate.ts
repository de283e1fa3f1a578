// Where the operator's approval is checked: the one producer of an ApprovedRequest, the only thing the signer
// (signing/sign.ts) accepts. It re-reads the exact bytes about to be signed, checks they are the bytes the
// operator approved, runs BitGo's own wallet validation, rebuilds the review with the unlocked key, and lets the
// request through only when nothing refuses and every warning is acknowledged.
//
// ----- SECURITY: do not change without review ---------------------------------------------------------------
// "Sign only the exact bytes that were reviewed and approved" rests on three things here: (1) the request the
// signer gets is parsed by this module from the bytes whose fingerprint it checked, never handed in by a caller;
// (2) an ApprovedRequest cannot be built anywhere else: its brand is a symbol this module does not export, so the
// type checker refuses any other value (test/types/), and `isApproved` refuses a forged or copied object at run
// time; (3) the review it checks is built with the key that will sign, so a request for another wallet is refused.
// ------------------------------------------------------------------------------------------------------------
import type { ReviewModel } from '../../shared/review';
import { barePsbtKeysForUser } from '../intake/bare-psbt';
import { parseSigningRequest, type SigningRequest } from '../intake/request';
import { validateWalletInputs, type PlannedInput } from '../intake/wallet-inputs';
import { reviewRequest, ReviewError, type NetworkName, type ReviewOptions } from '../review/build';
import { reviewFingerprint } from '../review/fingerprint';
import type { Policy } from '../review/policy';
import { parseXpubTriple, sameKeys, xpubTexts, type WalletKeys } from '../wallet/keys';
import { assertSignable, ReviewRefusedError, warningKey, type SignableOptions } from './warnings';

declare const APPROVED: unique symbol;

/** A request the gate let through: parsed from the approved bytes, validated, reviewed with the signing key. */
export interface ApprovedRequest {
  readonly [APPROVED]: true;
  readonly request: SigningRequest;
  readonly walletId: string;
  /** The three keys every input was validated against. */
  readonly wallet: WalletKeys;
  /** BitGo's wallet validation of each input (PSBT requests): what the engine signs. */
  readonly plans: readonly PlannedInput[] | undefined;
  readonly review: ReviewModel;
  /** sha256 (hex) of the exact bytes approved. */
  readonly fingerprint: string;
  /** The warning keys acknowledged (every warning's when the caller acknowledged 'all'). */
  readonly acknowledged: readonly string[];
}

/** The key that will sign, as the vault knows it: only its public half is read here. */
export interface SigningKeyInfo {
  /** The xpub of the wallet's signing key after any derivationSeed (throws `wallet_locked` when locked). */
  signingXpub(walletId: string, derivationSeed?: string): string;
}

export interface ApprovalOptions extends SignableOptions {
  /** The operator's name for the request (file base name, "QR code 1"): used in messages. */
  name: string;
  /** The fingerprint (sha256 hex) the operator approved on screen. The CLI approves what it reviews now: omit. */
  approvedFingerprint?: string;
  /** Bare PSBTs: the wallet to sign with (requests name their own). */
  walletId?: string;
  /**
   * The wallet's keys on record (the registry's, or a bare PSBT's as the import found them): a request's `pubs`
   * must be these, and a bare PSBT is signed with them.
   */
  xpubs?: readonly string[];
  network?: NetworkName;
  policy?: Policy;
  /** The registered wallet, shown in the review and refused when its entry is not usable. */
  registered?: ReviewOptions['registered'];
  /** The kept MuSig2 nonces: a signature request whose nonce is unknown, used or stale is refused here. */
  musig2Nonces?: ReviewOptions['musig2Nonces'];
}

const approvals = new WeakSet<object>();

/**
 * The gate. Throws the coded error that stops signing: `review_bytes_changed`, the parse error, BitGo's wallet
 * validation error, `wallet_locked`, the first refusal's code, or `review_warnings_*`.
 */
export function approve(bytes: Uint8Array, keys: SigningKeyInfo, opts: ApprovalOptions): ApprovedRequest {
  const fingerprint = reviewFingerprint(bytes);
  if (opts.approvedFingerprint !== undefined && fingerprint.sha256 !== opts.approvedFingerprint) {
    throw new ReviewRefusedError(`${opts.name} changed after it was reviewed (review ${fingerprint.short} is not the one approved); review it again`, 'review_bytes_changed', []);
  }
  const request = parseSigningRequest(bytes, opts.name);
  let walletId: string;
  let wallet: WalletKeys;
  let signerXpub: string;
  if (request.kind === 'psbt') {
    if (opts.walletId === undefined) throw new ReviewError(`${opts.name} is a bare PSBT: it does not name its wallet; choose the wallet to sign with (--wallet <id>)`, 'wallet_not_chosen');
    walletId = opts.walletId;
    signerXpub = keys.signingXpub(walletId);
    // The wallet's keys on record when there are any; else the PSBT's own global xpubs, ordered by the unlocked key.
    wallet = opts.xpubs ? parseXpubTriple(opts.xpubs) : barePsbtKeysForUser(request.psbt, parseXpubTriple([signerXpub, signerXpub, signerXpub]).user);
  } else {
    ({ walletId, wallet } = request);
    signerXpub = keys.signingXpub(walletId, request.derivationSeed);
  }
  // Keys on record (a registered wallet) that are not the request's: not this wallet's request, whatever else
  // it says. Before BitGo's validation, whose error would only say an input is not the (request's) wallet's.
  if (request.kind !== 'psbt' && opts.xpubs !== undefined && !sameKeys(wallet, parseXpubTriple(opts.xpubs))) {
    const message = `${opts.name}: the request's pubs are not the xpubs on record for wallet ${walletId}; it is not this wallet's request`;
    throw new ReviewRefusedError(message, 'wallet_keys_mismatch', [{ code: 'wallet_keys_mismatch', message }]);
  }
  // BitGo's own wallet validation first, so Express's errors keep their names, codes and messages.
  const plans = request.kind === 'express-legacy' ? undefined : validateWalletInputs(request.psbt, wallet);
  const review = reviewRequest(request, {
    name: opts.name,
    signerXpub,
    ...(request.kind === 'psbt' ? { walletId } : {}),
    ...(opts.xpubs !== undefined || request.kind === 'psbt' ? { xpubs: opts.xpubs ?? xpubTexts(wallet) } : {}),
    ...(opts.network !== undefined ? { network: opts.network } : {}),
    ...(opts.policy !== undefined ? { policy: opts.policy } : {}),
    ...(opts.registered !== undefined ? { registered: opts.registered } : {}),
    ...(opts.musig2Nonces !== undefined ? { musig2Nonces: opts.musig2Nonces } : {}),
  });
  assertSignable(review, opts);
  const approved = Object.freeze({
    request,
    walletId,
    wallet,
    plans,
    review,
    fingerprint: fingerprint.sha256,
    acknowledged: Object.freeze(opts.acknowledged === 'all' ? review.warnings.map(warningKey) : [...opts.acknowledged]),
  }) as unknown as ApprovedRequest;
  approvals.add(approved);
  return approved;
}

/** True only for an object this gate returned (not a copy, not a cast). */
export function isApproved(value: unknown): value is ApprovedRequest {
  return typeof value === 'object' && value !== null && approvals.has(value);
}
