// The one IPC contract between the renderer and the main process.
//
// Nothing else lists channels: the preload builds `window.signer` from this object, the main router registers
// exactly these channels, and the Chromium test bridge builds its `window.signer` from it too. Each entry has a
// channel name ('signer:<area>:<verb>'), an input schema (checked in main before any handler sees the payload)
// and an output type (phantom: it exists for the type checker only).
//
// Payloads and results are JSON values plus Uint8Array only (Map and ArrayBuffer do not survive the bridges).
// Results never carry secrets: no xprv, no passphrase, no ciphertext, no file paths beyond a file name.
import type { ErrorData } from './errors';
import { COIN, KEY_SIGNATURE, WALLET_LABEL, XPUB_TEXT, type RegistryView } from './registry';
import type { RequestAuthView } from './review';
import { MAX_REVIEW_OFFSET, MAX_REVIEW_PAGE_ROWS, REVIEW_PART, type ReviewPageOf, type ReviewPart, type ReviewSummary } from './review-page';
import * as s from './schema';
import { WALLET_ID } from './wallet-id';

/** Channel prefix: the preload and the router refuse anything else. */
export const CHANNEL_PREFIX = 'signer:';

/** BitGo wallet ids are hex object ids; the key file parser accepts letters and digits (keystore/keyfile.ts). */
export { WALLET_ID };
/** Passphrases are typed by a person; 1024 characters is far beyond any real one and bounds the KDF input. */
export const MAX_PASSPHRASE_LENGTH = 1024;
/** Idle auto-lock: 0 turns it off; at most a day (the vault's MAX_IDLE_MS). */
export const MAX_IDLE_LOCK_MINUTES = 24 * 60;

// ---- output types -------------------------------------------------------------------------------------------

export interface AirGapReport {
  /** True when no non-loopback network interface is up. */
  ok: boolean;
  /** Interfaces that are up and not loopback: name and address family only (no addresses). */
  interfaces: { name: string; family: string }[];
  /** What the operator should do, in the operator's words; empty when ok. */
  advice: string;
}

export interface DemoPassphrase {
  walletId: string;
  passphrase: string;
  label: string;
}

export interface DemoInfo {
  network: 'testnet';
  /** The demo wallets' passphrases are public test fixtures, shown on the welcome screen on purpose. */
  passphrases: DemoPassphrase[];
  /** Names of the bundled demo signing requests (for later screens). */
  requests: string[];
}

export interface WalletView {
  walletId: string;
  /** Key envelope: 1 = SJCL (BitGo's format), 2 = Argon2id + AES-GCM. */
  envelopeVersion: 1 | 2;
  unlocked: boolean;
  /** Root xpub and its BIP32 fingerprint, present only while unlocked. */
  xpub?: string;
  fingerprint?: string;
  /** Epoch ms at which the wallet locks itself if unused; absent when locked or auto-lock is off. */
  locksAt?: number;
  /**
   * Locked after wrong passphrases: milliseconds (at most 60 000) before main lets the next attempt in. Main enforces
   * the wait (workflow/throttle.ts); the unlock screen counts it down and keeps Unlock disabled until it ends.
   */
  unlockRetryInMs?: number;
}

export interface KeyStoreView {
  /** 'demo' or the key file's name (never its full path). */
  label: string;
  demo: boolean;
  wallets: WalletView[];
  /** The signer's receipt key (README "Signed receipts"), when the key file holds one. */
  receiptKey?: ReceiptKeyView;
}

/** The receipt key's state: never the key; its RFC 7638 thumbprint once unlocked (it is stored encrypted). */
export interface ReceiptKeyView {
  unlocked: boolean;
  thumbprint?: string;
  /** Epoch ms at which it locks itself if unused (the wallets' idle time); absent when locked or auto-lock is off. */
  locksAt?: number;
  /** As WalletView's: the wait main enforces after wrong passphrases. */
  unlockRetryInMs?: number;
}

export interface IdleLockSettings {
  /** 0 = auto-lock off. */
  minutes: number;
}

export interface AppStatus {
  version: string;
  demo: DemoInfo | null;
  airGap: AirGapReport;
  keyStore: KeyStoreView | null;
  idleLock: IdleLockSettings;
}

export type OpenKeyStoreResult = { canceled: true } | { canceled: false; keyStore: KeyStoreView };

// ---- the key ceremony (electron/workflow/ceremony-desk.ts): dice and passphrases go in, public data comes out ---

/** Dice rolls as typed (digits 1-6, spaces ignored); 1,000 characters is ten times the 99 needed. */
export const MAX_DICE_CHARS = 1000;

export interface CeremonySelfTestView {
  ok: boolean;
  checks: { name: string; ok: boolean; detail: string }[];
}

export interface CeremonyView {
  label: string;
  coin: 'btc' | 'tbtc' | 'tbtc4';
  xpubs: { user: string; backup: string };
  /** The rolls' count, the bits they carry and their SHA-256 (to recompute: printf %s <rolls> | sha256sum). */
  dice: { rolls: number; bits: number; sha256: string };
  envelope: 1 | 2;
  /** File names written to drives so far (KeyCards, the ceremony file, the public export). */
  saved: string[];
}

export interface KeyCardSaved {
  /** The drive's label. */
  drive: string;
  files: { name: string; sha256: string }[];
  boxes: ('A' | 'B' | 'C')[];
}

/** A key audit's answer: the decrypted key's xpub and fingerprint are public; MATCH or MISMATCH is said large. */
export interface CeremonyAuditView {
  match: boolean;
  xpub: string;
  fingerprint: string;
  publishedFingerprint: string;
}

/** The public export for the online side (issue 15 item 7): public data only, so its text crosses IPC for the QR. */
export interface CeremonyExportView {
  /** The drive's label. */
  drive: string;
  file: { name: string; sha256: string };
  /** The file's text: the xpubs and, with BitGo's key, the user key's keySignatures. The QR code shows it. */
  text: string;
  keySignatures: boolean;
}

/** A key re-encrypted into a new file on a drive (issue 15 item 5): its name and the key's public identity. */
export interface CeremonyReencryptView {
  drive: string;
  file: { name: string; sha256: string };
  xpub: string;
  fingerprint: string;
  envelope: 1 | 2;
  /** A key file entry re-encrypted: its wallet (the new file is a key file holding that wallet only). */
  walletId?: string;
}

/** A shard set written to a drive (made from the ceremony just run, or resharded): its public facts. */
export interface CeremonyShardsView {
  drive: string;
  file: { name: string; sha256: string };
  xpub: string;
  m: number;
  n: number;
  /** Made from the ceremony just run: which of its keys. */
  role?: 'user' | 'backup';
}

/** A key rebuilt from m holders' shards and written, encrypted under a new passphrase, to a drive. */
export interface CeremonyRecombineView {
  drive: string;
  file: { name: string; sha256: string };
  xpub: string;
  fingerprint: string;
  shardsUsed: number;
  envelope: 1 | 2;
}

/** The two-laptop check on the second laptop: the xpubs the same inputs give here, against those typed. */
export interface CeremonyCheckView {
  xpubs: { user: string; backup: string };
  user: boolean;
  backup: boolean;
  match: boolean;
  /** The dice's count and SHA-256, to compare with the first laptop's screen. */
  dice: { rolls: number; sha256: string };
}

/** BitGo's verifyShards passed (issue 15 item 6): the set's public facts. Any failure is an error with its code. */
export interface CeremonyShardsVerifyView {
  xpub: string;
  m: number;
  n: number;
  /** How many m-of-n combinations were combined (all of them). */
  combinations: number;
}

export interface CeremonyProgressEvent {
  step: string;
  done: number;
  total: number;
}

// ---- the USB request workflow: drives -> import -> review -> approve/reject -> sign -> export --------

/** Request files are named relative to their drive ("folder/payroll.json"): never a full path. */
export const FILE_NAME = s.string({ min: 1, max: 1024 });
export const DRIVE_ID = s.string({ min: 1, max: 64, pattern: /^drive-[0-9]+$/, patternName: 'a drive id (drive-<n>)' });
export const REQUEST_ID = s.string({ min: 1, max: 64, pattern: /^req-[0-9]+$/, patternName: 'a request id (req-<n>)' });
/** One import picks at most this many files (a drive listing offers at most 500). */
export const MAX_IMPORT_FILES = 500;
/** Rejection reasons are free text typed by the operator; the audit log caps them at the same length. */
export const MAX_REJECT_REASON_CHARS = 500;
export const MAX_ACKNOWLEDGED = 1000;

export interface DriveView {
  /** Valid until the next drive listing; the mount path stays in main. */
  id: string;
  label: string;
  /** Demo mode's bundled requests (not a USB drive): read-only, nothing is ever written to it. */
  builtIn?: true;
}

export interface CandidateFileView {
  name: string;
  size: number;
  /** Why it cannot be imported (too large), in the operator's words. */
  problem?: string;
}

/** The last four characters of a key, typed by the operator from a second source. */
const LAST_FOUR = s.string({ min: 4, max: 4, pattern: /^[1-9A-HJ-NP-Za-km-z]{4}$/, patternName: 'four base58 characters' });

/** A request-signing public key as pasted (PEM or JWK text; public, never a secret). */
const PUBLIC_KEY_TEXT = s.string({ min: 1, max: 20_000 });
/** An RFC 7638 SHA-256 JWK thumbprint (43 base64url characters). */
const THUMBPRINT = s.string({ min: 43, max: 43, pattern: /^[A-Za-z0-9_-]{43}$/, patternName: 'a key thumbprint (43 base64url characters)' });

/** A pasted public key as main read it: its thumbprint to compare with the sender's copy, and its size. */
export interface PublicKeyCheck {
  walletId: string;
  fingerprint: string;
  bits: number;
  form: 'pem' | 'jwk';
}

/** A wallet seen at first use, waiting for the operator to confirm its keys against a second source. */
export interface FirstUseRegistration {
  walletId: string;
  xpubs: { user: string; backup: string; bitgo: string };
  fingerprints: { user: string; backup: string; bitgo: string };
}

export type ImportFileResult =
  /** fingerprint: the review fingerprint the list shows. refused: the review's refusals, in words (never signed). */
  | { file: string; ok: true; requestId: string; walletId: string; fingerprint: string; refused?: string[] }
  /**
   * chooseWallet: a bare PSBT whose wallet could not be told; import it again naming one of these (psbtWallet).
   * register: the request's wallet is not registered; confirm its keys (registryConfirm), then import it again.
   */
  | { file: string; ok: false; error: ErrorData; fingerprint?: string; chooseWallet?: string[]; register?: FirstUseRegistration };

/**
 * imported -> approved | rejected; approved -> signed | failed (or rejected); signed -> exported (written next to
 * its request) | shown (its signed result drawn as QR codes on the send screen; a file request shown may still be
 * exported). Exported and shown both count as signed in the session summary.
 */
export type RequestStatus = 'imported' | 'approved' | 'rejected' | 'signed' | 'failed' | 'exported' | 'shown';

export interface RequestView {
  requestId: string;
  /** The file's name on its drive (relative, "/" separators). */
  file: string;
  /** The drive's label when it was imported. */
  drive: string;
  walletId: string;
  status: RequestStatus;
  /** Short review fingerprint ("1a2b-3c4d-5e6f-7a8b") of the request's bytes. */
  fingerprint: string;
  /** True when the review refuses it: it can be rejected, never approved. */
  refused: boolean;
  /** The signed file's name, once exported. */
  output?: string;
  /** Its signed receipt's name (`<output>.receipt.jwt`), when the key store holds a receipt key. */
  receipt?: string;
  /** The last failure (signing, export), as coded data. */
  error?: ErrorData;
  rejectReason?: string;
  /**
   * Present when the request has no drive to write to: scanned from QR codes, or one of demo mode's built-in
   * requests. Its result is shown as QR codes, not written.
   */
  via?: 'qr' | 'built-in';
}

export interface RequestGroup {
  walletId: string;
  requests: RequestView[];
}

export interface RequestReview {
  request: RequestView;
  /** The review's summary and the first page of its lists (shared/review-page.ts); requestReviewPage gives the rest. */
  review: ReviewSummary;
  /** The acknowledgement key of each warning in review.warnings, in its order (what approve expects). */
  warningKeys: string[];
  /**
   * The other requests of this session that carry the same unsigned transaction (same txid, whatever their
   * container or signatures): the same payment imported twice, which the operator must not approve twice unaware.
   */
  sameTransaction: { requestId: string; file: string; status: RequestStatus }[];
  /** Who authenticated the request (JWT key, jti, expiry; HMAC), or scheme "none": not authenticated. */
  auth: RequestAuthView;
}

export type RequestActionResult = { requestId: string; ok: true; request: RequestView } | { requestId: string; ok: false; error: ErrorData };

/** A signing batch's id, valid while it runs ("batch-<n>"): the progress events carry it, cancel names it. */
export const BATCH_ID = s.string({ min: 1, max: 64, pattern: /^batch-[0-9]+$/, patternName: 'a signing batch id (batch-<n>)' });

export interface SignProgressEvent {
  batchId: string;
  /** Requests finished so far (signed or failed) and the batch's size. */
  done: number;
  total: number;
  /** The request being signed now (absent once the batch has ended). */
  current?: { requestId: string; file: string };
  /** Within the current request: inputs signed so far and how many it has (sent after each chunk of inputs). */
  inputs?: { done: number; total: number };
  /** running -> finished | canceled (canceled: stopped after the current request; the rest stay approved). */
  state: 'running' | 'finished' | 'canceled';
  /** Once the batch has ended: how many were signed (done counts failures too), and the wallets found locked. */
  signed?: number;
  lockedWallets?: string[];
}

/**
 * A request's state in the session summary: signed (exported to its drive), shown (its signed result drawn as QR
 * codes), unexported (signed, neither written nor shown yet), approved (not signed yet, e.g. its wallet was locked),
 * refused (by the review, or at import as another wallet's request), rejected (by the operator), failed (signing
 * failed), pending (waiting for review).
 */
export type SummaryOutcome = 'signed' | 'shown' | 'unexported' | 'approved' | 'refused' | 'rejected' | 'failed' | 'pending';

/** One output that is not verified change: where money goes. `failed`: claimed change that did not verify. */
export interface SummarySend {
  address?: string;
  amount: number;
  kind: 'external' | 'failed';
}

export interface SessionSummary {
  text: string;
  /** signed: exported or shown (delivered); pending: waiting for review or approved and not signed. */
  counts: { signed: number; unexported: number; refused: number; rejected: number; failed: number; pending: number };
  /** The counts in words, as the exported file's third line says them. */
  countsLine: string;
  rows: {
    requestId: string;
    file: string;
    walletId?: string;
    fingerprint?: string;
    outcome: SummaryOutcome;
    output?: string;
    detail?: string;
    sends?: SummarySend[];
    change?: number;
    fee?: number;
  }[];
}

// ---- the QR transport: camera -> request, signed result -> screen ----------------------------------
// The renderer decodes camera frames to text (in a Web Worker) and sends each text here; main assembles the
// transfer (shared/qr/assembler.ts) and imports the payload through the file import's own path. So the scanned
// bytes never cross IPC at all, and the caps below are enforced where the request is created.

/** Longest text one QR symbol holds (version 40, numeric mode: 7089 digits); anything longer is not one frame. */
export const MAX_QR_FRAME_CHARS = 7089;
/** One scanned transfer: at most this many bytes (before and after BBQr inflation) ... */
export const MAX_QR_TRANSFER_BYTES = 4 * 1024 * 1024;
/** ... and at most this many parts (BBQr's two base-36 digits: 1295) or UR fragments. */
export const MAX_QR_TRANSFER_PARTS = 1295;
/** Frames one send-screen call returns at most (a few seconds of animation). */
export const MAX_QR_SHOW_FRAMES = 120;
export const QR_FORMAT = s.literal('ur', 'bbqr');
export const QR_DENSITY = s.literal('low', 'medium', 'high');
/** What the send screen shows: the signed file's content (BitGo's response), or only the signed PSBT inside it. */
export const QR_CONTENT = s.literal('response', 'psbt');

/** What one scanned frame did. Messages describe codes by shape, never by content. */
export type QrScanResult =
  | {
      status: 'progress';
      format: 'ur' | 'bbqr';
      /** BBQr: parts held; UR: fragments recovered. */
      received: number;
      total: number;
      /** Parts still needed (BBQr: exact; UR: at least this many). */
      remaining: number;
      /** This frame started a new transfer and dropped a partial one: says what was dropped. */
      restarted?: string;
    }
  /** Not a signing request (a URL, an address, a key...): nothing changed. */
  | { status: 'foreign'; message: string }
  /** A frame of a known format that is damaged, of a type not accepted, or over a cap: nothing changed. */
  | { status: 'unreadable'; error: ErrorData }
  /** The transfer completed and went through the file import's checks; `result` says whether it was imported. */
  | { status: 'complete'; format: 'static-base64' | 'static-hex' | 'static-json' | 'ur' | 'bbqr'; result: ImportFileResult; restarted?: string };

export type QrShowResult = { requestId: string; file: string; kind: 'psbt' | 'json'; bytes: number } & (
  | { mode: 'static'; text: string }
  | { mode: 'animated'; format: 'ur' | 'bbqr'; minimumFrames: number; frames: string[] }
);

// ---- the contract -------------------------------------------------------------------------------------------

/** Phantom marker carrying a result type. */
function out<T>(): T {
  return undefined as unknown as T;
}

export const CONTRACT = {
  appStatus: { channel: 'signer:app:status', input: s.empty(), output: out<AppStatus>() },
  keyStoreOpenDemo: { channel: 'signer:keystore:open-demo', input: s.empty(), output: out<KeyStoreView>() },
  /** Main shows the file dialog: the renderer never names a path. */
  keyStoreOpenDialog: { channel: 'signer:keystore:open-dialog', input: s.empty(), output: out<OpenKeyStoreResult>() },
  walletsList: { channel: 'signer:wallets:list', input: s.empty(), output: out<WalletView[]>() },
  /** The only channel through which a passphrase enters main; it is never returned or logged. */
  walletUnlock: {
    channel: 'signer:wallet:unlock',
    input: s.object({ walletId: WALLET_ID, passphrase: s.string({ min: 1, max: MAX_PASSPHRASE_LENGTH }) }),
    output: out<WalletView>(),
  },
  /** The receipt key's passphrase enters main here, once; it is never returned or logged. */
  receiptKeyUnlock: {
    channel: 'signer:receipt-key:unlock',
    input: s.object({ passphrase: s.string({ min: 1, max: MAX_PASSPHRASE_LENGTH }) }),
    output: out<ReceiptKeyView>(),
  },
  receiptKeyLock: { channel: 'signer:receipt-key:lock', input: s.empty(), output: out<ReceiptKeyView | null>() },
  walletLock: { channel: 'signer:wallet:lock', input: s.object({ walletId: WALLET_ID }), output: out<WalletView>() },
  walletsLockAll: { channel: 'signer:wallets:lock-all', input: s.empty(), output: out<WalletView[]>() },
  idleLockGet: { channel: 'signer:settings:idle-lock-get', input: s.empty(), output: out<IdleLockSettings>() },
  idleLockSet: {
    channel: 'signer:settings:idle-lock-set',
    input: s.object({ minutes: s.number({ min: 0, max: MAX_IDLE_LOCK_MINUTES, integer: true }) }),
    output: out<IdleLockSettings>(),
  },
  /** Removable drives, listed afresh on each call. */
  drivesList: { channel: 'signer:drives:list', input: s.empty(), output: out<DriveView[]>() },
  driveFiles: { channel: 'signer:drives:files', input: s.object({ driveId: DRIVE_ID }), output: out<CandidateFileView[]>() },
  requestsImport: {
    channel: 'signer:requests:import',
    /** psbtWallet: the operator's choice of wallet for the bare PSBTs among the files (requests name their own). */
    /** psbtNetwork: the network of the bare PSBTs among the files (a PSBT does not say; requests' metadata does). */
    input: s.object({ driveId: DRIVE_ID, files: s.array(FILE_NAME, { max: MAX_IMPORT_FILES }), psbtWallet: s.optional(WALLET_ID), psbtNetwork: s.optional(s.literal('bitcoin', 'testnet')) }),
    output: out<ImportFileResult[]>(),
  },
  requestsList: { channel: 'signer:requests:list', input: s.empty(), output: out<RequestGroup[]>() },
  requestReview: { channel: 'signer:request:review', input: s.object({ requestId: REQUEST_ID }), output: out<RequestReview>() },
  /** More rows of a review: inputs (of one group, when named: "p2wsh/20"), outputs or recipients, at most 500. */
  requestReviewPage: {
    channel: 'signer:request:review-page',
    input: s.object({
      requestId: REQUEST_ID,
      part: REVIEW_PART,
      group: s.optional(s.string({ min: 1, max: 32, pattern: /^[A-Za-z0-9]+\/-?[0-9]+$/, patternName: 'an input group (<script type>/<chain>)' })),
      offset: s.number({ min: 0, max: MAX_REVIEW_OFFSET, integer: true }),
      limit: s.number({ min: 1, max: MAX_REVIEW_PAGE_ROWS, integer: true }),
    }),
    output: out<ReviewPageOf<ReviewPart>>(),
  },
  /** The operator approves what they saw: the review's sha256 must still be the request's, every warning acknowledged. */
  requestApprove: {
    channel: 'signer:request:approve',
    input: s.object({
      requestId: REQUEST_ID,
      fingerprint: s.string({ min: 64, max: 64, pattern: /^[0-9a-f]{64}$/, patternName: 'a review fingerprint (sha256 hex)' }),
      acknowledged: s.array(s.string({ min: 1, max: 200 }), { max: MAX_ACKNOWLEDGED }),
    }),
    output: out<RequestView>(),
  },
  requestReject: {
    channel: 'signer:request:reject',
    input: s.object({ requestId: REQUEST_ID, reason: s.optional(s.string({ min: 0, max: MAX_REJECT_REASON_CHARS })) }),
    output: out<RequestView>(),
  },
  /** Signs every approved request (or the ones named); each result is data, one failure does not stop the rest. */
  requestsSign: {
    channel: 'signer:requests:sign',
    input: s.object({ requestIds: s.optional(s.array(REQUEST_ID, { max: MAX_IMPORT_FILES })) }),
    output: out<RequestActionResult[]>(),
  },
  /** Stops a running signing batch after the request being signed now; requests not reached stay approved. */
  requestsSignCancel: { channel: 'signer:requests:sign-cancel', input: s.object({ batchId: BATCH_ID }), output: out<{ canceled: boolean }>() },
  /** Writes each signed result next to its request on its drive (never over an existing file). */
  requestsExport: {
    channel: 'signer:requests:export',
    input: s.object({ requestIds: s.optional(s.array(REQUEST_ID, { max: MAX_IMPORT_FILES })) }),
    output: out<RequestActionResult[]>(),
  },
  sessionSummary: { channel: 'signer:session:summary', input: s.empty(), output: out<SessionSummary>() },
  /** receipt: the summary's signed receipt written beside it, when the key store holds a receipt key. */
  sessionSummaryExport: { channel: 'signer:session:summary-export', input: s.object({ driveId: DRIVE_ID }), output: out<{ file: string; receipt?: string }>() },
  /** One decoded camera frame's text; main assembles multi-part codes and imports the request once complete. */
  qrScanFrame: { channel: 'signer:qr:scan-frame', input: s.object({ text: s.string({ max: MAX_QR_FRAME_CHARS }) }), output: out<QrScanResult>() },
  /**
   * A scanned bare PSBT whose wallet main could not tell (its result named `chooseWallet`): import the same scanned
   * bytes, kept in main, for the operator's choice of wallet (and network: a PSBT does not say).
   */
  qrScanChooseWallet: {
    channel: 'signer:qr:scan-choose-wallet',
    input: s.object({ walletId: WALLET_ID, psbtNetwork: s.optional(s.literal('bitcoin', 'testnet')) }),
    output: out<ImportFileResult>(),
  },
  /** Drops a partial scan (the scan screen closed or the operator started over). */
  qrScanReset: { channel: 'signer:qr:scan-reset', input: s.empty(), output: out<{ reset: true }>() },
  /** The open key store's wallet registry (null when no key store is open). */
  registryGet: { channel: 'signer:registry:get', input: s.empty(), output: out<RegistryView | null>() },
  /**
   * Registers a wallet seen at first use (an import refused with `register`): the operator typed the last four
   * characters of each key as read from a second source. The keys themselves stay in main.
   */
  registryConfirm: {
    channel: 'signer:registry:confirm',
    input: s.object({
      walletId: WALLET_ID,
      coin: COIN,
      label: WALLET_LABEL,
      lastFour: s.object({ user: LAST_FOUR, backup: LAST_FOUR, bitgo: LAST_FOUR }),
    }),
    output: out<RegistryView>(),
  },
  /** Registers a wallet from a KeyCard or BitGo's wallet export (xpubs typed, pasted or scanned). */
  registryAdd: {
    channel: 'signer:registry:add',
    input: s.object({
      walletId: WALLET_ID,
      coin: COIN,
      label: WALLET_LABEL,
      xpubs: s.object({ user: XPUB_TEXT, backup: XPUB_TEXT, bitgo: XPUB_TEXT }),
      keySignatures: s.optional(s.object({ backupPub: KEY_SIGNATURE, bitgoPub: KEY_SIGNATURE })),
      derivationSeed: s.optional(s.string({ min: 1, max: 1024 })), // electron/util/limits.ts MAX_DERIVATION_SEED_LENGTH
      how: s.literal('keycard', 'wallet-export'),
    }),
    output: out<RegistryView>(),
  },
  /** Removes a wallet's entry; the operator types its wallet id again to confirm. */
  registryRemove: { channel: 'signer:registry:remove', input: s.object({ walletId: WALLET_ID, confirmWalletId: s.string({ min: 0, max: 64 }) }), output: out<RegistryView>() },
  /**
   * Request authentication (README "Authenticated requests"), for a registered wallet: a pasted RSA public key
   * (PEM or JWK; public, so it may cross) is checked in main, which returns its RFC 7638 thumbprint to show.
   */
  registryKeyCheck: { channel: 'signer:registry:key-check', input: s.object({ walletId: WALLET_ID, key: PUBLIC_KEY_TEXT }), output: out<PublicKeyCheck>() },
  /** Pins the key: main computes its thumbprint again and pins only when the typed last characters end it. */
  registryPinKey: {
    channel: 'signer:registry:pin-key',
    input: s.object({ walletId: WALLET_ID, key: PUBLIC_KEY_TEXT, lastCharacters: s.string({ min: 4, max: 4, pattern: /^[A-Za-z0-9_-]{4}$/, patternName: 'four thumbprint characters (base64url)' }) }),
    output: out<RegistryView>(),
  },
  /** Unpins a key; the operator types its thumbprint again to confirm. */
  registryUnpinKey: {
    channel: 'signer:registry:unpin-key',
    input: s.object({ walletId: WALLET_ID, fingerprint: THUMBPRINT, confirmFingerprint: s.string({ min: 0, max: 100 }) }),
    output: out<RegistryView>(),
  },
  /** requireAuthenticatedRequests ('none' removes it) and maxAgeSeconds (absent: the default, an hour). */
  registrySetAuthPolicy: {
    channel: 'signer:registry:set-auth-policy',
    input: s.object({ walletId: WALLET_ID, require: s.literal('jwt', 'hmac', 'either', 'none'), maxAgeSeconds: s.optional(s.number({ min: 1, max: 30 * 24 * 3600, integer: true })) }),
    output: out<RegistryView>(),
  },
  /** The wallet's shared HMAC secret, read in main from a file on a listed drive; only its sha256 is stored. */
  registryHmacSecret: { channel: 'signer:registry:hmac-secret', input: s.object({ walletId: WALLET_ID, driveId: DRIVE_ID, file: FILE_NAME }), output: out<RegistryView>() },
  /** The key ceremony's self-test (step 1): the RNG statistics and known answers. */
  ceremonySelfTest: { channel: 'signer:ceremony:selftest', input: s.empty(), output: out<CeremonySelfTestView>() },
  /**
   * New user and backup keys (step 2). One of the channels through which secrets enter main (the dice and the
   * passphrase typed twice); they are never returned or logged.
   */
  ceremonyCreate: {
    channel: 'signer:ceremony:create',
    input: s.object({
      label: WALLET_LABEL,
      coin: COIN,
      dice: s.string({ min: 0, max: MAX_DICE_CHARS }),
      passphrase: s.string({ min: 0, max: MAX_PASSPHRASE_LENGTH }),
      passphraseAgain: s.string({ min: 0, max: MAX_PASSPHRASE_LENGTH }),
      allowWeak: s.boolean(),
    }),
    output: out<CeremonyView>(),
  },
  ceremonyView: { channel: 'signer:ceremony:view', input: s.empty(), output: out<CeremonyView | null>() },
  /** The KeyCard (step 3) onto a listed drive, with BitGo's xpub once BitGo has made the wallet. */
  ceremonyKeyCardSave: {
    channel: 'signer:ceremony:keycard-save',
    input: s.object({ driveId: DRIVE_ID, bitgoXpub: s.optional(XPUB_TEXT) }),
    output: out<KeyCardSaved>(),
  },
  /** Audits a key (a KeyCard box A or B pasted or scanned) against its published xpub; the passphrase enters here. */
  ceremonyAudit: {
    channel: 'signer:ceremony:audit',
    input: s.object({ box: s.string({ min: 1, max: 16_384 }), passphrase: s.string({ min: 1, max: MAX_PASSPHRASE_LENGTH }), publishedXpub: XPUB_TEXT }),
    output: out<CeremonyAuditView>(),
  },
  /**
   * The public export (xpubs; with BitGo's xpub also the user key's keySignatures, for which the user key's
   * passphrase enters here, never returned) onto a listed drive; its text comes back for the QR code.
   */
  ceremonyExport: {
    channel: 'signer:ceremony:export',
    input: s.object({
      driveId: DRIVE_ID,
      bitgoXpub: s.optional(XPUB_TEXT),
      walletId: s.optional(WALLET_ID),
      passphrase: s.optional(s.string({ min: 1, max: MAX_PASSPHRASE_LENGTH })),
    }),
    output: out<CeremonyExportView>(),
  },
  /**
   * Re-encrypts a pasted KeyCard box A or B (a new passphrase, or v1 to v2) into a new file on a listed drive. One
   * of the channels through which secrets enter main: the old passphrase and the new one typed twice, never returned.
   */
  ceremonyReencrypt: {
    channel: 'signer:ceremony:reencrypt',
    input: s.object({
      driveId: DRIVE_ID,
      box: s.string({ min: 1, max: 16_384 }),
      passphrase: s.string({ min: 1, max: MAX_PASSPHRASE_LENGTH }),
      newPassphrase: s.string({ min: 0, max: MAX_PASSPHRASE_LENGTH }),
      newPassphraseAgain: s.string({ min: 0, max: MAX_PASSPHRASE_LENGTH }),
      allowWeak: s.boolean(),
      envelope: s.literal(1, 2),
    }),
    output: out<CeremonyReencryptView>(),
  },
  /**
   * Verifies a shard file (BitGo's splitSecret output, pasted) as BitGo's verifyShards does: every shard opened with
   * its holder's password (secrets entering main here, never returned), every m-of-n combination the same key.
   */
  ceremonyVerifyShards: {
    channel: 'signer:ceremony:verify-shards',
    input: s.object({
      shards: s.string({ min: 1, max: 262_144 }),
      passwords: s.array(s.string({ min: 0, max: MAX_PASSPHRASE_LENGTH }), { min: 1, max: 32 }),
      publishedXpub: s.optional(XPUB_TEXT),
    }),
    output: out<CeremonyShardsVerifyView>(),
  },
  /**
   * Splits a key of the ceremony just run into m-of-n shards (BitGo's splitSecret), every combination verified,
   * onto a listed drive. The holders' passwords, each typed twice, enter main here and are never returned.
   */
  ceremonyShardsCreate: {
    channel: 'signer:ceremony:shards-create',
    input: s.object({
      driveId: DRIVE_ID,
      role: s.literal('user', 'backup'),
      m: s.number({ min: 2, max: 32, integer: true }),
      passwords: s.array(s.string({ min: 0, max: MAX_PASSPHRASE_LENGTH }), { min: 2, max: 32 }),
      passwordsAgain: s.array(s.string({ min: 0, max: MAX_PASSPHRASE_LENGTH }), { min: 2, max: 32 }),
      allowWeak: s.boolean(),
    }),
    output: out<CeremonyShardsView>(),
  },
  /**
   * Rebuilds a key from m holders' shards (a pasted shard file; an empty password: that holder is absent), refused
   * unless it is the file's xpub, encrypted under a new passphrase (typed twice) into a new file on a listed drive.
   */
  ceremonyShardsRecombine: {
    channel: 'signer:ceremony:shards-recombine',
    input: s.object({
      driveId: DRIVE_ID,
      shards: s.string({ min: 1, max: 262_144 }),
      passwords: s.array(s.string({ min: 0, max: MAX_PASSPHRASE_LENGTH }), { min: 2, max: 32 }),
      newPassphrase: s.string({ min: 0, max: MAX_PASSPHRASE_LENGTH }),
      newPassphraseAgain: s.string({ min: 0, max: MAX_PASSPHRASE_LENGTH }),
      allowWeak: s.boolean(),
      envelope: s.literal(1, 2),
    }),
    output: out<CeremonyRecombineView>(),
  },
  /** Regenerates shards: m old holders' passwords -> m'-of-n' new shards of the same key (new passwords typed twice). */
  ceremonyShardsReshard: {
    channel: 'signer:ceremony:shards-reshard',
    input: s.object({
      driveId: DRIVE_ID,
      shards: s.string({ min: 1, max: 262_144 }),
      passwords: s.array(s.string({ min: 0, max: MAX_PASSPHRASE_LENGTH }), { min: 2, max: 32 }),
      m: s.number({ min: 2, max: 32, integer: true }),
      newPasswords: s.array(s.string({ min: 0, max: MAX_PASSPHRASE_LENGTH }), { min: 2, max: 32 }),
      newPasswordsAgain: s.array(s.string({ min: 0, max: MAX_PASSPHRASE_LENGTH }), { min: 2, max: 32 }),
      allowWeak: s.boolean(),
    }),
    output: out<CeremonyShardsView>(),
  },
  /**
   * Re-encrypts a wallet of the open key store (a new passphrase, or v1 to v2) into a NEW key file on a listed
   * drive; the old passphrase and the new one typed twice enter main here, never returned.
   */
  ceremonyKeyFileReencrypt: {
    channel: 'signer:ceremony:keyfile-reencrypt',
    input: s.object({
      driveId: DRIVE_ID,
      walletId: WALLET_ID,
      passphrase: s.string({ min: 1, max: MAX_PASSPHRASE_LENGTH }),
      newPassphrase: s.string({ min: 0, max: MAX_PASSPHRASE_LENGTH }),
      newPassphraseAgain: s.string({ min: 0, max: MAX_PASSPHRASE_LENGTH }),
      allowWeak: s.boolean(),
      envelope: s.literal(1, 2),
    }),
    output: out<CeremonyReencryptView>(),
  },
  /**
   * The two-laptop check, second laptop: the first laptop's dice and exported computer entropy (secrets entering
   * main here, never returned) give the xpubs again, compared with the xpubs typed from the first laptop.
   */
  ceremonyCheck: {
    channel: 'signer:ceremony:check',
    input: s.object({
      dice: s.string({ min: 0, max: MAX_DICE_CHARS }),
      computerEntropy: s.string({ min: 0, max: 200 }),
      user: XPUB_TEXT,
      backup: XPUB_TEXT,
    }),
    output: out<CeremonyCheckView>(),
  },
  /** The first laptop's computer entropy of the ceremony just run, onto a listed drive for the two-laptop check. */
  ceremonyEntropySave: { channel: 'signer:ceremony:entropy-save', input: s.object({ driveId: DRIVE_ID }), output: out<{ drive: string; file: string }>() },
  /** Enters the wallet of the last public export with BitGo's key into the open key store's registry; its id typed to confirm. */
  ceremonyRegister: { channel: 'signer:ceremony:register', input: s.object({ confirmWalletId: s.string({ min: 0, max: 64 }) }), output: out<RegistryView>() },
  /** The new wallet's user key (the ceremony's envelope, unchanged) as a key file in Express's format, onto a drive. */
  ceremonyKeyFileSave: {
    channel: 'signer:ceremony:key-file-save',
    input: s.object({ driveId: DRIVE_ID }),
    output: out<{ drive: string; file: { name: string; sha256: string }; walletId: string }>(),
  },
  /** The next frames showing a signed request's result (a static code when it fits one at this density). */
  qrShowFrames: {
    channel: 'signer:qr:show-frames',
    input: s.object({
      requestId: REQUEST_ID,
      format: QR_FORMAT,
      density: QR_DENSITY,
      content: QR_CONTENT,
      count: s.number({ min: 1, max: MAX_QR_SHOW_FRAMES, integer: true }),
    }),
    output: out<QrShowResult>(),
  },
} as const;

export type Contract = typeof CONTRACT;
export type MethodName = keyof Contract;
export type InputOf<M extends MethodName> = s.Infer<Contract[M]['input']>;
export type OutputOf<M extends MethodName> = Contract[M]['output'];

// ---- events (main -> renderer) ------------------------------------------------------------------------------

/** A request whose state changed without the renderer asking (its signed result was shown as QR codes). */
export interface RequestChangedEvent {
  requestId: string;
  status: RequestStatus;
}

export interface WalletChangedEvent {
  walletId: string;
  unlocked: boolean;
}

/**
 * Events main pushes to the window: the renderer subscribes with `window.signer.on(name, listener)`. Payloads
 * follow the same rule as results (JSON plus Uint8Array, nothing secret). Later screens add entries here
 * (signing progress, camera scan state) the same way.
 */
export const EVENTS = {
  /** A wallet locked or unlocked, including the vault's idle auto-lock and lock-on-sleep. */
  walletChanged: { channel: 'signer:event:wallet-changed', payload: out<WalletChangedEvent>() },
  /** A request's state changed in main on its own (shown as QR codes): the list and summary are read again. */
  requestChanged: { channel: 'signer:event:request-changed', payload: out<RequestChangedEvent>() },
  /** A signing batch started a request, finished, or was canceled ("n of N" on the sign screen). */
  signProgress: { channel: 'signer:event:sign-progress', payload: out<SignProgressEvent>() },
  /** A slow key ceremony step started (the self-test, encrypting each key with Argon2id). */
  ceremonyProgress: { channel: 'signer:event:ceremony-progress', payload: out<CeremonyProgressEvent>() },
} as const;

export type Events = typeof EVENTS;
export type EventName = keyof Events;
export type EventPayloadOf<E extends EventName> = Events[E]['payload'];
export const EVENT_NAMES = Object.keys(EVENTS) as EventName[];

/** What every channel returns across IPC: data or a coded error (BitGo's error shape), never a thrown Error. */
export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: ErrorData };

/** The shape of `window.signer`: one function per contract entry, plus `on` for the contract's events. */
export type SignerApi = {
  readonly [M in MethodName]: (input: InputOf<M>) => Promise<IpcResult<OutputOf<M>>>;
} & {
  /** Subscribes to a contract event; returns the function that unsubscribes. Unknown names throw. */
  readonly on: <E extends EventName>(event: E, listener: (payload: EventPayloadOf<E>) => void) => () => void;
};

/** Method names and channels, in contract order (the preload, router and test bridge iterate this). */
export const METHODS = Object.keys(CONTRACT) as MethodName[];
export const CHANNELS: readonly string[] = METHODS.map((m) => CONTRACT[m].channel);
export const EVENT_CHANNELS: readonly string[] = EVENT_NAMES.map((e) => EVENTS[e].channel);

// The contract is closed: channel names are unique and carry the prefix. Checked once at load so a bad edit
// fails every test at import time rather than producing an unreachable channel.
{
  const seen = new Set<string>();
  for (const c of [...CHANNELS, ...EVENT_CHANNELS]) {
    if (!c.startsWith(CHANNEL_PREFIX) || seen.has(c)) throw new Error(`contract: bad or duplicate channel ${c}`);
    seen.add(c);
  }
}
