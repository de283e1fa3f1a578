// Signing one approved request of the session (session.ts #signOne decides whether it may be signed at all, and
// records the outcome): the approval gate again on the exact approved bytes, then the signatures.
//
// Where each part runs, so main's event loop keeps serving the window while a large request signs (issue 13 item
// 11): the gate and the engine's checks on the review thread (review-thread.ts prepareOnThread, running
// signing/on-thread.ts), where the import's review already derived this wallet's keys; the signatures on the curve
// threads, from the vault (signing/sign.ts signPrepared); BitGo's legacy format too, since 2026-12-07. The MuSig2
// steps (whose nonce store is main's) are approved and signed on main, as before.
import { approve } from '../approval/gate';
import { prederiveRequestKeys } from '../intake/request';
import type { Vault } from '../keystore/vault';
import type { SignThreadsOptions } from '../parallel/sign-threads';
import type { SigningLedger } from '../signing/ledger';
import type { Musig2NonceStore } from '../signing/musig2-nonces';
import type { ThreadApprovalOptions } from '../signing/on-thread';
import { signApprovedInThreads, signPrepared, type PreparedSigning, type SignOutcome } from '../signing/sign';
import type { AuditLog } from './audit';
import { prepareOnThread } from './review-thread';
import type { RequestRecord } from './session-parts';

export interface SignDeps {
  vault: Vault;
  audit: AuditLog;
  ledger: SigningLedger;
  nonces: Musig2NonceStore;
}

/**
 * The gate's verdict on `r.bytes` with `gate` (the registry's options as they are now, the approved fingerprint
 * and acknowledged warnings), then the signed response. Throws the gate's, the ledger's or the signer's coded error.
 */
export async function signApprovedRecord(r: RequestRecord, gate: ThreadApprovalOptions, deps: SignDeps, opts: SignThreadsOptions): Promise<SignOutcome> {
  const { vault } = deps;
  const seed = r.derivationSeed;
  const signing = { walletId: r.walletId, ...(seed !== undefined ? { derivationSeed: seed } : {}) };
  const outcome = await signPrepared(r.walletId, seed, vault, deps.ledger, opts, async (key) => {
    const prepared = await prepareOnThread(r.bytes, gate, { ...signing, xpub: vault.signingXpub(r.walletId, seed), key });
    if (prepared) mustBeAbleToRecord(deps.audit, prepared);
    return prepared;
  });
  if (outcome) return outcome;
  // The import's review derived this wallet's keys on the review thread, whose memos main does not share: they are
  // derived again first on the curve threads (intake/prederive.ts), so the gate's review on main finds them. (A
  // wallet that locks meanwhile is refused by the gate: the vault's key is gone.)
  await prederiveRequestKeys(r.bytes);
  const approved = approve(r.bytes, vault, { ...gate, musig2Nonces: (walletId, txid, input, pubNonce) => deps.nonces.lookup(walletId, txid, input, pubNonce) });
  mustBeAbleToRecord(deps.audit);
  return signApprovedInThreads(approved, vault, deps.ledger, deps.nonces, opts);
}

/**
 * Coldcard's must-log rule: nothing is signed while the audit log cannot be written (audit_unwritable), and a
 * signed result is released only once its entry is on disk (session.ts mustRecord throws otherwise, and the result
 * is dropped; the ledger has already counted it as signed, which only ever refuses more).
 */
function mustBeAbleToRecord(audit: AuditLog, prepared?: PreparedSigning): void {
  try {
    audit.assertWritable();
  } catch (e) {
    prepared?.drop();
    throw e;
  }
}
