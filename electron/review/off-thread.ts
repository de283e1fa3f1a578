// What the review thread (electron/workflow/review-worker.ts) does with a parsed request (it parses the bytes with
// intake/request.ts parseSigningRequestParallel), as plain functions that run the same in a test on the calling
// thread: say the few facts main needs before it can choose the review's options (which wallet, which keys); then
// build the review model with those options. The parsed request stays on the thread that parsed it; only the facts and the model leave.
import type { Musig2NonceLookup, Musig2NonceState, NonceView } from '../intake/musig2-fields';
import { barePsbtKeysByScript } from '../intake/bare-psbt';
import type { SigningRequest } from '../intake/request';
import { toHex } from '../util/bytes';
import { xpubTexts } from '../wallet/keys';
import { reviewRequest, type ReviewOptions } from './build';
import type { ReviewModel } from '../../shared/review';

/** A request's facts main chooses the review's options by (session.ts): its wallet and keys as it states them. */
export interface IntakeFacts {
  kind: SigningRequest['kind'];
  /** Express requests: the wallet and its keys as the request names them. */
  walletId?: string;
  xpubs?: readonly [string, string, string];
  derivationSeed?: string;
  /** Bare PSBTs: the three global xpubs ordered [user, backup, bitgo] by which re-derives input 0's script. */
  psbtXpubs?: readonly [string, string, string];
}

/** A parsed request's facts; throws what barePsbtKeysByScript throws for a bare PSBT whose keys do not fit input 0. */
export function factsOf(request: SigningRequest): IntakeFacts {
  if (request.kind === 'psbt') return { kind: 'psbt', psbtXpubs: xpubTexts(barePsbtKeysByScript(request.psbt)) };
  return { kind: request.kind, walletId: request.walletId, xpubs: request.xpubs, ...(request.derivationSeed !== undefined ? { derivationSeed: request.derivationSeed } : {}) };
}

/** Thrown by `lookupIn(undefined)`: the review needs the kept nonces, which the caller has not given yet. */
export class NoncesNeeded extends Error {}

/** Musig2NonceStore.lookup over a wallet's NonceView; without one, throws NoncesNeeded. */
export function lookupIn(walletId: string, view: NonceView | undefined): Musig2NonceLookup {
  return (wallet, txid, input, pubNonce): Musig2NonceState | undefined => {
    if (view === undefined) throw new NoncesNeeded();
    if (wallet !== walletId) return undefined;
    const r = view[txid]?.find((x) => x.input === input && x.pubNonce === toHex(pubNonce));
    if (!r) return undefined;
    if (r.state === 'pending') return { state: 'pending', msg: r.msg };
    return r.state === 'used' ? { state: 'used' } : { state: 'replaced' };
  };
}

/** The review's options that cross to the thread: plain data (the nonce lookup is rebuilt from `nonces`). */
export type ThreadReviewOptions = Omit<ReviewOptions, 'musig2Nonces' | 'DANGER_payGoAttestationKeys'> & { walletId: string };

export function reviewOffThread(request: SigningRequest, opts: ThreadReviewOptions, nonces: NonceView | undefined): ReviewModel {
  return reviewRequest(request, { ...opts, musig2Nonces: lookupIn(opts.walletId, nonces) });
}

