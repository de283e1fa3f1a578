// The handlers behind the contract's channels: a few lines each, validate-call-map. Everything the main process
// owns (the vault, the open key store, the dialogs capability, the air-gap check) is injected, so the Node tests
// and the Chromium test bridge run these exact handlers with a controllable dialog stub.
import { EVENTS, type AirGapReport, type KeyStoreView, type WalletView } from '../../shared/contract';
import { IncorrectPasswordError, SignerError, type ErrorCode } from '../../shared/errors';
import { DEMO_DRIVE_LABEL, demoInfo, demoKeyFile, demoRegistry, demoRequestFiles, DEMO_LABEL } from '../demo/index';
import { findWallet, readKeyFile as readKeyFileFromDisk, type KeyFile } from '../keystore/keyfile';
import type { Vault } from '../keystore/vault';
import { userInfo } from 'node:os';
import type { DriveEnv } from '../files/drives';
import { AuditLog } from '../workflow/audit';
import { CeremonyDesk } from '../workflow/ceremony-desk';
import type { EnvelopeChoice } from '../ceremony/create';
import { hmacSecretsPathFor, readHmacSecrets, type HmacSecrets } from '../auth/secrets';
import { registryBeside, WalletRegistration, type RegistryPlace } from '../workflow/registration';
import { QrDisplay, QrIntake } from '../workflow/qr-intake';
import { AuthSettings } from '../workflow/auth-settings';
import { ReceiptDesk } from '../workflow/receipt-desk';
import { RequestSession } from '../workflow/session';
import { UnlockThrottle } from '../workflow/throttle';
import type { SessionDeps } from '../workflow/session-parts';
import type { Emit } from './events';
import type { Handlers } from './router';

/** The key store the handlers work with is not open, not this one, or not allowed. */
export class KeyStoreError extends SignerError {
  constructor(message: string, code: ErrorCode, name = 'KeyStoreError') {
    super(name, message, code);
  }
}

/**
 * The file-dialog capability. main.ts implements it with Electron's dialog; tests with a stub that returns the
 * path the test chose. The renderer never sees or supplies the path.
 */
export interface Dialogs {
  /** Asks the operator for a key file; null when they cancel. */
  chooseKeyFile(): Promise<string | null>;
}

export interface ShellDeps {
  version: string;
  /** True only when the app was started with --demo. */
  demo: boolean;
  vault: Vault;
  dialogs: Dialogs;
  airGap: () => AirGapReport;
  /** Reads and parses a key file; defaults to keystore/keyfile's readKeyFile. */
  readKeyFile?: (path: string) => KeyFile;
  throttle?: UnlockThrottle;
  /** The session audit: key store opened, unlocks (and failures, by code), locks. Never a passphrase. */
  audit?: AuditLog;
  /**
   * Where removable drives are looked for (files/drives.ts); defaults to this machine's platform and user. Tests
   * and the e2e bridge set `root` to a temporary folder that stands in for the USB drives.
   */
  driveEnv?: DriveEnv;
  /** Pushes an event to the window (signing progress); main.ts passes webContents.send, the test bridge a dispatch. */
  emit?: Emit;
  /** The signing ledger's file (what this app has signed, per wallet): main.ts puts it in the app's data folder. */
  ledgerPath: string;
  /** The key ceremony's v2 envelope cost: BitGo's defaults unless a test makes it cheaper. */
  ceremonyEnvelope?: EnvelopeChoice;
  /** Signing threads started ahead of the operator's "Sign" (parallel/spare-threads.ts); main.ts fills them. */
  signingSpares?: SessionDeps['signingSpares'];
}

function defaultDriveEnv(): DriveEnv {
  let user: string;
  try {
    user = userInfo().username;
  } catch {
    user = process.env.USER ?? ''; // no passwd entry (containers): the mount roots under /media/<user> are then skipped
  }
  return { platform: process.platform, user };
}

/** The last path component, for labels: the renderer learns which file is open, not where it lives. */
export function baseName(path: string): string {
  const parts = path.split(/[\\/]/).filter((p) => p !== '');
  return parts[parts.length - 1] ?? path;
}

export function createHandlers(deps: ShellDeps): Handlers {
  const readKeyFile = deps.readKeyFile ?? readKeyFileFromDisk;
  const throttle = deps.throttle ?? new UnlockThrottle();
  // The session summary is built from the audit log, so there is always one.
  const audit = deps.audit ?? new AuditLog();
  // The open key store's wallet registry: every request's wallet, keys and coin come from it.
  const registration = new WalletRegistration(deps.vault);
  // The session learns the open key store's wallet ids (for bare PSBTs, which name none) through a function: the
  // store is opened and replaced below.
  // The open key store's HMAC secrets (the operator's file beside it, keys.json -> keys.hmac-secrets.json): read
  // in main, never sent to the renderer.
  let hmacSecrets: HmacSecrets = () => undefined;
  const authSettings: AuthSettings = new AuthSettings({ registration, audit, drive: (driveId): { label: string; path: string } => session.driveRef(driveId) });
  // The open key store's receipt key (workflow/receipt-desk.ts): locked until the operator unlocks it.
  const receipts = new ReceiptDesk(audit, throttle, () => deps.vault.idleMs);
  const session = new RequestSession({
    receipts,
    // A secret provisioned on the Wallets screen in this session, else the secrets file beside the key file.
    hmacSecret: (walletId) => authSettings.secret(walletId) ?? hmacSecrets(walletId),
    vault: deps.vault,
    audit,
    driveEnv: deps.driveEnv ?? defaultDriveEnv(),
    ledgerPath: deps.ledgerPath,
    keyStoreWallets: () => store?.keyFile.wallets.map((w) => w.walletId) ?? [],
    registration,
    ...(deps.signingSpares ? { signingSpares: deps.signingSpares } : {}),
    // Demo mode only: its bundled requests as a read-only "drive", so a first run reaches a review without a USB drive.
    changed: (r) => void deps.emit?.<'requestChanged'>(EVENTS.requestChanged.channel, { requestId: r.requestId, status: r.status }),
    ...(deps.demo ? { builtInRequests: { label: DEMO_DRIVE_LABEL, files: demoRequestFiles() } } : {}),
  });
  const ceremony = new CeremonyDesk({
    audit,
    drive: (driveId) => session.driveRef(driveId),
    progress: (p) => void deps.emit?.<'ceremonyProgress'>(EVENTS.ceremonyProgress.channel, p),
    ...(deps.ceremonyEnvelope ? { envelope: deps.ceremonyEnvelope } : {}),
    keyStoreEntry: (walletId) => requireWallet(walletId).envelope,
    keyStoreAttempt: (walletId, attempt) => throttle.attempt(walletId, attempt),
    register: (build) => registration.change(build),
    idleMs: () => deps.vault.idleMs,
  });
  const qrIntake = new QrIntake(session);
  const qrDisplay = new QrDisplay(session);
  // In demo mode the app opens with the demo key store already open (ARCHITECTURE: `npm start` on a fresh clone
  // shows something real); otherwise nothing is open until the operator picks a key file.
  let store: { keyFile: KeyFile; label: string; demo: boolean } | null = deps.demo ? { keyFile: demoKeyFile(), label: DEMO_LABEL, demo: true } : null;
  if (deps.demo) registration.use({ registry: demoRegistry() });
  if (store) receipts.use(store.keyFile.receiptKey);

  const walletView = (walletId: string): WalletView => {
    const entry = store?.keyFile.wallets.find((w) => w.walletId === walletId);
    if (!entry) throw new KeyStoreError(`wallet ${walletId} is not in the open key store`, 'wallet_not_in_key_store');
    const unlocked = deps.vault.status().find((s) => s.walletId === walletId);
    const view: WalletView = { walletId, envelopeVersion: entry.envelope.v, unlocked: unlocked !== undefined };
    if (unlocked?.xpub !== undefined) view.xpub = unlocked.xpub;
    if (unlocked?.fingerprint !== undefined) view.fingerprint = unlocked.fingerprint;
    if (unlocked?.locksAt !== undefined) view.locksAt = unlocked.locksAt;
    const wait = unlocked === undefined ? throttle.retryInMs(walletId) : 0;
    if (wait > 0) view.unlockRetryInMs = wait;
    return view;
  };
  const wallets = (): WalletView[] => (store ? store.keyFile.wallets.map((w) => walletView(w.walletId)) : []);
  const keyStoreView = (): KeyStoreView | null => {
    if (!store) return null;
    const receiptKey = receipts.view();
    return { label: store.label, demo: store.demo, wallets: wallets(), ...(receiptKey ? { receiptKey } : {}) };
  };
  const requireStore = (): NonNullable<typeof store> => {
    if (!store) throw new KeyStoreError('no key store is open; open a key file first', 'key_store_not_open');
    return store;
  };
  /** Opening another key store locks every wallet first: keys of a closed store must not stay in memory. */
  const open = (keyFile: KeyFile, label: string, demo: boolean, registry: RegistryPlace): KeyStoreView => {
    deps.vault.lockAll();
    ceremony.forgetSecrets();
    authSettings.forget();
    receipts.lock('another key store opened');
    receipts.use(keyFile.receiptKey);
    store = { keyFile, label, demo };
    registration.use(registry);
    audit.record({ type: 'keystore-opened', source: label, wallets: keyFile.wallets.length, registry: registry.registry.sha256 });
    return keyStoreView()!;
  };
  /** A wallet of the open key store (registering one means checking its key against the store's). */
  const requireWallet = (walletId: string) => findWallet(requireStore().keyFile, walletId);
  const idleLock = () => ({ minutes: Math.round(deps.vault.idleMs / 60_000) });

  return {
    appStatus: () => ({
      version: deps.version,
      demo: deps.demo ? demoInfo() : null,
      airGap: deps.airGap(),
      keyStore: keyStoreView(),
      idleLock: idleLock(),
    }),
    keyStoreOpenDemo: () => {
      if (!deps.demo) {
        throw new KeyStoreError('the demo key store is available only when the app is started with --demo', 'demo_not_enabled', 'DemoError');
      }
      return open(demoKeyFile(), DEMO_LABEL, true, { registry: demoRegistry() });
    },
    keyStoreOpenDialog: async () => {
      // A demo session shows "DEMO — never real funds" on every screen: a real key file must not open under it.
      if (deps.demo) throw new KeyStoreError('in demo mode only the demo key store opens; start the app without --demo to open a key file', 'demo_real_key_store_refused', 'DemoError');
      const path = await deps.dialogs.chooseKeyFile();
      if (path === null) return { canceled: true };
      // The path stays in main: messages and the key file's `source` (used in "not in key file" errors) name the
      // file by its name only. The operator chose it and knows where it is; the renderer needs no home path.
      const name = baseName(path);
      let keyFile: KeyFile;
      let registry: RegistryPlace;
      const named = (e: unknown) => (e instanceof SignerError ? new SignerError(e.name, e.message.split(path).join(name), e.code) : e);
      try {
        keyFile = readKeyFile(path);
        registry = registryBeside(path);
      } catch (e) {
        throw named(e);
      }
      // A damaged HMAC secrets file beside the key file must not keep the operator from the key store and every
      // request that does not need it: it is refused where it is needed, by each HMAC-tagged request (with its code).
      let secrets: HmacSecrets;
      try {
        secrets = readHmacSecrets(hmacSecretsPathFor(path));
      } catch (e) {
        const refused = named(e);
        secrets = () => {
          throw refused;
        };
      }
      hmacSecrets = secrets;
      return { canceled: false, keyStore: open({ ...keyFile, source: name }, name, false, registry) };
    },
    walletsList: () => wallets(),
    walletUnlock: async ({ walletId, passphrase }) => {
      try {
        const entry = findWallet(requireStore().keyFile, walletId);
        await throttle.attempt(walletId, () => deps.vault.unlock(entry, passphrase));
      } catch (e) {
        audit.record({ type: 'wallet-unlock-failed', walletId, reason: e instanceof SignerError ? (e.code ?? e.name) : 'internal_error' });
        if (e instanceof IncorrectPasswordError) {
          const { failures } = throttle.state(walletId);
          // The operator's words: what happened and what to try, with BitGo's code kept for scripts and the UI.
          throw new SignerError(
            'IncorrectPasswordError',
            `wallet ${walletId}: that passphrase does not unlock this wallet (attempt ${failures}). Check Caps Lock and the keyboard layout, then try again.`,
            'wallet_passphrase_incorrect',
          );
        }
        throw e;
      }
      try {
        registration.checkUnlocked(walletId);
      } catch (e) {
        deps.vault.lock(walletId);
        audit.record({ type: 'wallet-unlock-failed', walletId, reason: (e as SignerError).code ?? 'registry_user_key_mismatch' });
        throw e;
      }
      audit.record({ type: 'wallet-unlocked', walletId });
      return walletView(walletId);
    },
    receiptKeyUnlock: ({ passphrase }) => {
      requireStore();
      return receipts.unlock(passphrase);
    },
    receiptKeyLock: () => {
      requireStore();
      return receipts.lock() ?? null;
    },
    walletLock: ({ walletId }) => {
      findWallet(requireStore().keyFile, walletId);
      if (deps.vault.isUnlocked(walletId)) audit.record({ type: 'wallet-locked', walletId });
      deps.vault.lock(walletId);
      return walletView(walletId);
    },
    walletsLockAll: () => {
      for (const { walletId } of deps.vault.status()) audit.record({ type: 'wallet-locked', walletId, reason: 'lock all' });
      deps.vault.lockAll();
      ceremony.forgetSecrets();
      receipts.lock('lock all');
      return wallets();
    },
    idleLockGet: () => idleLock(),
    idleLockSet: ({ minutes }) => {
      deps.vault.setIdleMs(minutes * 60_000);
      return idleLock();
    },
    drivesList: () => session.listDrives(),
    driveFiles: ({ driveId }) => session.listFiles(driveId),
    requestsImport: ({ driveId, files, psbtWallet, psbtNetwork }) => session.importFiles(driveId, files, psbtWallet, psbtNetwork),
    requestsList: () => session.list(),
    requestReview: ({ requestId }) => session.review(requestId),
    requestReviewPage: ({ requestId, part, group, offset, limit }) => session.reviewPage(requestId, part, offset, limit, group),
    requestApprove: ({ requestId, fingerprint, acknowledged }) => session.approve(requestId, fingerprint, acknowledged),
    requestReject: ({ requestId, reason }) => session.reject(requestId, reason),
    requestsSign: ({ requestIds }) => session.sign(requestIds, (p) => deps.emit?.<'signProgress'>(EVENTS.signProgress.channel, p)),
    requestsSignCancel: ({ batchId }) => session.cancelSign(batchId),
    requestsExport: ({ requestIds }) => session.export(requestIds),
    sessionSummary: () => session.summary(),
    sessionSummaryExport: ({ driveId }) => session.exportSummary(driveId),
    qrScanFrame: ({ text }) => qrIntake.push(text),
    qrScanChooseWallet: ({ walletId, psbtNetwork }) => qrIntake.chooseWallet(walletId, psbtNetwork),
    qrScanReset: () => qrIntake.reset(),
    qrShowFrames: ({ requestId, ...opts }) => qrDisplay.frames(requestId, opts),
    ceremonySelfTest: () => ceremony.selfTest(),
    ceremonyCreate: (input) => ceremony.create(input),
    ceremonyView: () => ceremony.view(),
    ceremonyAudit: ({ box, passphrase, publishedXpub }) => ceremony.audit(box, passphrase, publishedXpub),
    ceremonyKeyCardSave: ({ driveId, bitgoXpub }) => ceremony.saveKeyCard(driveId, bitgoXpub),
    ceremonyExport: (input) => ceremony.exportPublic(input),
    ceremonyReencrypt: (input) => ceremony.reencrypt(input),
    ceremonyVerifyShards: (input) => ceremony.verifyShards(input),
    ceremonyShardsCreate: (input) => ceremony.shards.create(input),
    ceremonyShardsRecombine: (input) => ceremony.shards.recombine(input),
    ceremonyShardsReshard: (input) => ceremony.shards.reshard(input),
    ceremonyKeyFileReencrypt: (input) => ceremony.reencryptKeyFileEntry(input),
    ceremonyCheck: (input) => ceremony.check(input),
    ceremonyEntropySave: ({ driveId }) => ceremony.saveComputerEntropy(driveId),
    ceremonyRegister: ({ confirmWalletId }) => ceremony.register(confirmWalletId),
    ceremonyKeyFileSave: ({ driveId }) => ceremony.saveKeyFile(driveId),
    registryGet: () => registration.view(),
    registryConfirm: ({ walletId, coin, label, lastFour }) => {
      requireWallet(walletId);
      const view = registration.confirmFirstUse(walletId, coin, label, lastFour);
      audit.record({ type: 'wallet-registered', walletId, coin, how: 'first-use', registry: view.sha256 });
      return view;
    },
    registryAdd: ({ walletId, coin, label, xpubs, keySignatures, derivationSeed, how }) => {
      requireWallet(walletId);
      const view = registration.addFromSource(walletId, coin, label, xpubs, keySignatures, how, derivationSeed);
      audit.record({ type: 'wallet-registered', walletId, coin, how, registry: view.sha256 });
      return view;
    },
    registryKeyCheck: ({ walletId, key }) => authSettings.checkKey(walletId, key),
    registryPinKey: ({ walletId, key, lastCharacters }) => authSettings.pinKey(walletId, key, lastCharacters),
    registryUnpinKey: ({ walletId, fingerprint, confirmFingerprint }) => authSettings.unpinKey(walletId, fingerprint, confirmFingerprint),
    registrySetAuthPolicy: ({ walletId, require, maxAgeSeconds }) => authSettings.setPolicy(walletId, require, maxAgeSeconds),
    registryHmacSecret: ({ walletId, driveId, file }) => authSettings.provisionHmacSecret(walletId, driveId, file),
    registryRemove: ({ walletId, confirmWalletId }) => {
      requireStore();
      if (confirmWalletId !== walletId) {
        throw new KeyStoreError(`to remove wallet ${walletId} from the registry, type its wallet id exactly; nothing was removed`, 'registry_confirmation_mismatch');
      }
      const view = registration.remove(walletId);
      audit.record({ type: 'wallet-unregistered', walletId, registry: view.sha256 });
      return view;
    },
  };
}
