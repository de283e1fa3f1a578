// The one IPC contract between the renderer and the main process.
//
// Nothing else lists channels: the preload builds `window.signer` from this object, the main router registers
// exactly these channels, and the Chromium test bridge builds its `window.signer` from it too. Each entry has a
// channel name ('signer:<area>:<verb>'), an input schema (checked in main before any handler sees the payload)
// and an output type (phantom: it exists for the type checker only).
//
// Payloads and results are JSON values plus Uint8Array only (Map and ArrayBuffer do not survive the bridges).
// Results never carry secrets: no xprv, no passphrase, no ciphertext, no file paths beyond a file name. The views
// and the identifiers' schemas the channels use are in contract-views.ts, re-exported here.
import type { ErrorData } from './errors';
import { COIN, KEY_SIGNATURE, WALLET_LABEL, XPUB_TEXT, type RegistryView } from './registry';
import { MAX_REVIEW_OFFSET, MAX_REVIEW_PAGE_ROWS, REVIEW_PART, type ReviewPageOf, type ReviewPart } from './review-page';
import * as s from './schema';
import { WALLET_ID } from './wallet-id';

/** Channel prefix: the preload and the router refuse anything else. */
export const CHANNEL_PREFIX = 'signer:';

import { BATCH_ID, DRIVE_ID, FILE_NAME, LAST_FOUR, MAX_ACKNOWLEDGED, MAX_DICE_CHARS, MAX_IDLE_LOCK_MINUTES, MAX_IMPORT_FILES, MAX_PASSPHRASE_LENGTH, MAX_QR_FRAME_CHARS, MAX_QR_SHOW_FRAMES, MAX_REJECT_REASON_CHARS, PUBLIC_KEY_TEXT, QR_CONTENT, QR_DENSITY, QR_FORMAT, REQUEST_ID, THUMBPRINT, type AppStatus, type CandidateFileView, type CeremonyAuditView, type CeremonyCheckView, type CeremonyExportView, type CeremonyProgressEvent, type CeremonyRecombineView, type CeremonyReencryptView, type CeremonySelfTestView, type CeremonyShardsVerifyView, type CeremonyShardsView, type CeremonyView, type DriveView, type IdleLockSettings, type ImportFileResult, type KeyCardSaved, type KeyStoreView, type OpenKeyStoreResult, type PublicKeyCheck, type QrScanResult, type QrShowResult, type ReceiptKeyView, type RequestActionResult, type RequestGroup, type RequestReview, type RequestStatus, type RequestView, type SessionSummary, type SignProgressEvent, type WalletView } from './contract-views';
export * from './contract-views';

/**
 * A key's new passphrase typed twice (checked in main: the same, and strong enough unless `allowWeak`), and its
 * envelope (2: Argon2id + AES-256-GCM, 1: SJCL): the forms that write a key anew.
 */
const NEW_KEY = {
  newPassphrase: s.string({ min: 0, max: MAX_PASSPHRASE_LENGTH }),
  newPassphraseAgain: s.string({ min: 0, max: MAX_PASSPHRASE_LENGTH }),
  allowWeak: s.boolean(),
  envelope: s.literal(1, 2),
};

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
      ...NEW_KEY,
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
      ...NEW_KEY,
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
      ...NEW_KEY,
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
