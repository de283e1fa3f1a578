// The request session's module-level pieces (electron/workflow/session.ts): a request's record, the session's
// dependencies, the drive-less paths, the import results and the request view the renderer gets, and the small
// helpers for import errors and the audit's authentication facts.
import type { ImportFileResult, RequestStatus, RequestView } from '../../shared/contract';
import { SignerError, toErrorData, type ErrorData } from '../../shared/errors';
import type { ReviewModel } from '../../shared/review';
import type { RequestAuth } from '../auth/authenticate';
import type { DriveEnv } from '../files/drives';
import type { Vault } from '../keystore/vault';
import { posix } from 'node:path';
import { transactionClaims, type AuditHead } from '../receipts/claims';
import type { ReceiptSigner } from '../receipts/key';
import { signReceipt } from '../receipts/receipt';
import { WalletNotRegisteredError } from '../registry/enforce';
import { reviewFingerprint } from '../review/fingerprint';
import type { RegistryEntry } from '../registry/registry';
import type { AuditLog } from './audit';
import type { ReceiptDesk } from './receipt-desk';
import type { WalletRegistration } from './registration';
import type { SpareThreads } from '../parallel/spare-threads';

export interface RequestRecord {
  requestId: string;
  file: string;
  driveLabel: string;
  /** The drive's mount path at import time: exports go back to the same drive, next to the request. */
  drivePath: string;
  bytes: Uint8Array;
  /** sha256 of the file's bytes (the audit's hash; the review fingerprint is domain-separated). */
  sha256: string;
  walletId: string;
  /** The request's derivationSeed as the import read it (Express requests that have one). */
  derivationSeed?: string;
  review: ReviewModel;
  status: RequestStatus;
  acknowledged: string[];
  approvedFingerprint?: string;
  signed?: { output: Uint8Array; format: 'json' | 'psbt' };
  output?: string;
  /** The signed receipt written beside `output`. */
  receipt?: string;
  error?: ErrorData;
  rejectReason?: string;
  /** Who authenticated the request (electron/auth), or scheme "none". */
  auth: RequestAuth;
}

export interface SessionDeps {
  vault: Vault;
  audit: AuditLog;
  driveEnv: DriveEnv;
  /** The signing ledger's file, in the app's data folder (signing/ledger.ts). */
  ledgerPath: string;
  /**
   * The kept MuSig2 nonces' file (signing/musig2-nonces.ts): between BitGo's signerNonce and signerSignature
   * requests, across restarts. Default: musig2-nonces.json beside the ledger, in the app's data folder.
   */
  noncesPath?: string;
  /** The wallet ids of the open key store (a bare PSBT's wallet is one of them). */
  keyStoreWallets?: () => string[];
  /** The open key store's wallet registry: every request's wallet must be in it (workflow/registration.ts). */
  registration: WalletRegistration;
  /**
   * The store of used JWT ids and HMAC tags (auth/replay.ts), across restarts. Default: used-request-tokens.json
   * beside the ledger, in the app's data folder.
   */
  replayPath?: string;
  /** A wallet's shared HMAC secret (from the operator's secrets file; never the registry, never the renderer). */
  hmacSecret?: (walletId: string) => Uint8Array | undefined;
  /**
   * Demo mode only: the bundled demo requests, offered as one more "drive" named so that nobody takes it for a USB
   * drive. It is read-only: nothing is ever written to it (signed results are shown as QR codes instead).
   */
  builtInRequests?: { label: string; files: Readonly<Record<string, Uint8Array>> };
  /** The open key store's receipt key: exports write a signed receipt beside each file (workflow/receipt-desk.ts). */
  receipts?: Pick<ReceiptDesk, 'forExport'>;
  /**
   * Signing threads started ahead (parallel/spare-threads.ts): a request's signatures start at once instead of
   * after the threads' start. Each is used by one request and ended, as a thread started for it would be.
   */
  signingSpares?: SpareThreads;
  /** Told when a request's state changes without the renderer asking (its result was shown as QR codes). */
  changed?: (request: RequestView) => void;
  now?: () => Date;
}

/** A scanned request's "drive path": never a real path (export refuses it before touching the file system). */
export const SCANNED_PATH = '';
/** The built-in demo requests' "drive path": never a real path either (a NUL cannot be in one). */
export const BUILT_IN_PATH = '\u0000built-in demo requests';
/** Requests with no drive to write to: their signed results leave as QR codes. */
export const noDrive = (r: { drivePath: string }) => r.drivePath === SCANNED_PATH || r.drivePath === BUILT_IN_PATH;

/** Import failures that mean "another wallet's request": refused, and listed so in the session summary. */
export const FOREIGN_CODES: ReadonlySet<string> = new Set(['wallet_not_in_key_store', 'wallet_keys_mismatch', 'network_mismatch']);

/** Keeps the file-reading errors of files/drives.ts (their codes and names), with the operator's file name. */
export function asData(e: unknown, file: string): ErrorData {
  const data = toErrorData(e);
  // A bug (not a SignerError) may carry a path or parser detail in its message: say what failed, not that text.
  if (!(e instanceof SignerError)) return { error: `${file}: could not be read as a signing request`, name: 'WorkflowError', code: 'internal_error' };
  return data;
}

/** The wallet an import failed for because it is not registered: its result carries the keys to confirm. */
export const walletOf = (e: unknown): string | undefined => (e instanceof WalletNotRegisteredError ? e.walletId : undefined);

/** A signed request's receipt (README "Signed receipts"), for the file it is exported as. */
export function requestReceipt(signer: ReceiptSigner, r: RequestRecord, outName: string, registered: RegistryEntry | undefined, audit: AuditHead | undefined, now: Date): string {
  return signReceipt(
    signer,
    transactionClaims({
      fileName: posix.basename(outName),
      signed: r.signed!.output,
      requestSha256: r.sha256,
      ...(r.auth.scheme === 'jwt' ? { requestJti: r.auth.jti } : {}),
      review: r.review,
      ...(registered ? { registered } : {}),
      ...(audit ? { audit } : {}),
    }),
    now,
  );
}

/** What an import came to: the fingerprint the list shows, and the review's refusals in words when it refuses. */
export function importedResult(r: RequestRecord): ImportFileResult {
  const refused = r.review.refusals.map((x) => x.message);
  return { file: r.file, ok: true, requestId: r.requestId, walletId: r.walletId, fingerprint: r.review.fingerprint.short, ...(refused.length > 0 ? { refused } : {}) };
}

/** A failed import, audited; a bare PSBT that needs a wallet names the key store's wallets to choose from. */
export function importFailedResult(deps: SessionDeps, file: string, error: ErrorData, walletId?: string, bytes?: Uint8Array): ImportFileResult {
  // Another wallet's request (foreign) is refused, said so in the summary with its fingerprint; a file that could
  // not be read at all is only in the event log.
  const refused = FOREIGN_CODES.has(error.code ?? '');
  const fingerprint = bytes !== undefined ? reviewFingerprint(bytes).short : undefined;
  deps.audit.record({ type: 'request-import-failed', file, code: error.code ?? error.name, message: error.error, ...(fingerprint ? { fingerprint } : {}), ...(refused ? { refused: true as const } : {}) });
  const chooseWallet = error.code === 'wallet_not_chosen' ? (deps.keyStoreWallets?.() ?? []) : undefined;
  const register = error.code === 'wallet_not_registered' && walletId !== undefined ? deps.registration.pending(walletId) : undefined;
  return { file, ok: false, error, ...(fingerprint ? { fingerprint } : {}), ...(chooseWallet ? { chooseWallet } : {}), ...(register ? { register } : {}) };
}

/** What the renderer sees of a request: ids, names and states, never a path or a secret. */
export function requestView(r: RequestRecord): RequestView {
  return {
    requestId: r.requestId,
    file: r.file,
    drive: r.driveLabel,
    walletId: r.walletId,
    status: r.status,
    fingerprint: r.review.fingerprint.short,
    refused: r.review.refusals.length > 0,
    ...(r.output !== undefined ? { output: r.output } : {}),
    ...(r.receipt !== undefined ? { receipt: r.receipt } : {}),
    ...(r.error !== undefined ? { error: r.error } : {}),
    ...(r.rejectReason !== undefined ? { rejectReason: r.rejectReason } : {}),
    ...(r.drivePath === SCANNED_PATH ? { via: 'qr' as const } : r.drivePath === BUILT_IN_PATH ? { via: 'built-in' as const } : {}),
  };
}
