// What a receipt of a signed transaction says, from what the signer knew when it signed: the request as received,
// its authentication, the approved review and the registry entry in force. Shared by `sign` and the app's export.
import type { ReviewModel } from '../../shared/review';
import type { RegisteredWallet } from '../../shared/registry';
import { storedEntry } from '../registry/registry';
import { sha256Hex } from '../crypto/hash';
import { policyHash, type SummaryReceiptClaims, type TransactionReceiptClaims } from './receipt';

/** An audit log entry: its seq and the sha256 of its line (output/audit-chain.ts AuditHead has this shape). */
export interface AuditHead {
  seq: number;
  hash: string;
}

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
  /** The audit log's last entry, once this signature's entry is on disk (undefined: no persistent log). */
  audit?: AuditHead;
}

/** The receipt's anchor in the audit log (README "Signed receipts"): the entry it vouches for, and all before it. */
const anchorClaims = (audit: AuditHead | undefined) => (audit && audit.seq > 0 ? { auditSeq: audit.seq, auditSha256: audit.hash } : {});

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
    ...anchorClaims(f.audit),
  };
}

export function summaryClaims(fileName: string, summary: Uint8Array, audit?: AuditHead): SummaryReceiptClaims {
  return { kind: 'session-summary', fileName, fileSha256: sha256Hex(summary), ...anchorClaims(audit) };
}
