// What a receipt of a signed transaction says, from what the signer knew when it signed: the request as received,
// its authentication, the approved review and the registry entry in force. Shared by `sign` and the app's export.
import type { ReviewModel } from '../../shared/review';
import type { RegisteredWallet } from '../../shared/registry';
import { storedEntry } from '../registry/registry';
import { sha256Hex } from '../crypto/hash';
import { policyHash, type SummaryReceiptClaims, type TransactionReceiptClaims } from './receipt';

export interface SignedFacts {
  /** The base name the signed file is written as. */
  fileName: string;
  /** The signed file's exact bytes. */
  signed: Uint8Array;
  /** sha256 (hex) of the request file's bytes as received (an authentication envelope included). */
  requestSha256: string;
  /** The request's JWT id, when it carried a verified JWT. */
  requestJti?: string;
  review: Pick<ReviewModel, 'walletId' | 'txid' | 'fingerprint' | 'policy'>;
  /** The wallet's registry entry, when a registry was in force. */
  registered?: RegisteredWallet;
}

export function transactionClaims(f: SignedFacts): TransactionReceiptClaims {
  return {
    kind: 'signed-transaction',
    fileName: f.fileName,
    fileSha256: sha256Hex(f.signed),
    walletId: f.review.walletId,
    requestSha256: f.requestSha256,
    ...(f.requestJti !== undefined ? { requestJti: f.requestJti } : {}),
    unsignedTxid: f.review.txid,
    reviewFingerprint: f.review.fingerprint.sha256,
    policySha256: policyHash(f.review.walletId, f.review.policy.rules, f.registered ? (storedEntry(f.registered) as unknown as Record<string, unknown>) : null),
    policySource: f.review.policy.source,
  };
}

export function summaryClaims(fileName: string, summary: Uint8Array): SummaryReceiptClaims {
  return { kind: 'session-summary', fileName, fileSha256: sha256Hex(summary) };
}
