// The approval gate and the engine's preparation for a request signed from another thread than the one that holds
// the key: the app runs this on the review thread (workflow/review-worker.ts), where the import's review already
// derived the wallet's keys, so main's event loop keeps turning while a large request is re-read and re-reviewed.
// Only the digests to sign and the ledger's facts leave; the vault on main signs the digests on its curve threads
// (signing/sign.ts signPrepared), and the signatures come back to finish the response where it was approved.
//
// ----- SECURITY: do not change without review ---------------------------------------------------------------
// Nothing here holds a private key: the thread gets the signing key's public half from the vault. The digests come
// only from prepareApproved on an ApprovedRequest this thread's gate returned for the exact approved bytes; the
// vault's signer still checks each chain's first child against the key the gate validated.
// ------------------------------------------------------------------------------------------------------------
import { approve, type ApprovalOptions, type ApprovedRequest, type SigningKeyInfo } from '../approval/gate';
import type { Musig2NonceLookup } from '../intake/musig2-fields';
import type { SigningKeyPublic } from './engine';
import { prepareApproved, signsOnOneThread, type PreparedSigning } from './sign';

/** Thrown by the nonce lookup given to the gate here: a MuSig2 step's review needs main's kept nonces. */
class NoncesOnMain extends Error {}

const noncesOnMain: Musig2NonceLookup = () => {
  throw new NoncesOnMain();
};

/** The gate's options that cross to the thread: plain data (no policy object, no nonce lookup). */
export type ThreadApprovalOptions = Omit<ApprovalOptions, 'musig2Nonces' | 'policy'>;

/** The key that will sign, as main's vault gave it for this request: the gate and the engine read only this. */
export interface ThreadSigningKey {
  walletId: string;
  derivationSeed?: string;
  /** The vault's signingXpub(walletId, derivationSeed). */
  xpub: string;
  /** The vault signer's public half for the same wallet and seed. */
  key: SigningKeyPublic;
}

/**
 * The approval gate and the engine's preparation on this thread: `approve` on the exact bytes (fingerprint,
 * BitGo's wallet validation, the review with the signing key, every warning acknowledged), then the batch of
 * signatures to make (signing/sign.ts prepareApproved). Null when the request is signed on one thread on main
 * instead: a MuSig2 step (its review needs the wallet's kept nonces, which stay on main).
 */
export function approveAndPrepare(bytes: Uint8Array, opts: ThreadApprovalOptions, signing: ThreadSigningKey): PreparedSigning | null {
  const keys: SigningKeyInfo = {
    signingXpub(walletId, derivationSeed) {
      // The approved bytes are the imported ones, so they name the wallet and seed main read at import.
      if (walletId !== signing.walletId || derivationSeed !== signing.derivationSeed) throw new Error('the request names another signing key than main gave the thread');
      return signing.xpub;
    },
  };
  let approved: ApprovedRequest;
  try {
    approved = approve(bytes, keys, { ...opts, musig2Nonces: noncesOnMain });
  } catch (e) {
    if (e instanceof NoncesOnMain) return null;
    throw e;
  }
  return signsOnOneThread(approved) ? null : prepareApproved(approved, signing.key);
}
