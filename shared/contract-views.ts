// What crosses the IPC contract (shared/contract.ts): the views main answers with, the events' payloads, the
// bounds and the schemas of the identifiers and texts the channels take. Split from the contract so that file is
// the channel list alone; everything here is re-exported from it, so importers keep importing shared/contract.
// Results never carry secrets: no xprv, no passphrase, no ciphertext, no file paths beyond a file name.
import type { ErrorData } from './errors';
import type { RequestAuthView } from './review';
import type { ReviewSummary } from './review-page';
import * as s from './schema';
import { WALLET_ID } from './wallet-id';

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
export const LAST_FOUR = s.string({ min: 4, max: 4, pattern: /^[1-9A-HJ-NP-Za-km-z]{4}$/, patternName: 'four base58 characters' });

/** A request-signing public key as pasted (PEM or JWK text; public, never a secret). */
export const PUBLIC_KEY_TEXT = s.string({ min: 1, max: 20_000 });
/** An RFC 7638 SHA-256 JWK thumbprint (43 base64url characters). */
export const THUMBPRINT = s.string({ min: 43, max: 43, pattern: /^[A-Za-z0-9_-]{43}$/, patternName: 'a key thumbprint (43 base64url characters)' });

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
