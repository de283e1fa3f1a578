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
import * as s from './schema';

/** Channel prefix: the preload and the router refuse anything else. */
export const CHANNEL_PREFIX = 'signer:';

/** BitGo wallet ids are hex object ids; the key file parser accepts letters and digits (keystore/keyfile.ts). */
export const WALLET_ID = s.string({ min: 1, max: 128, pattern: /^[A-Za-z0-9]+$/, patternName: 'a wallet id (letters and digits only)' });
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
}

export interface KeyStoreView {
  /** 'demo' or the key file's name (never its full path). */
  label: string;
  demo: boolean;
  wallets: WalletView[];
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
  walletLock: { channel: 'signer:wallet:lock', input: s.object({ walletId: WALLET_ID }), output: out<WalletView>() },
  walletsLockAll: { channel: 'signer:wallets:lock-all', input: s.empty(), output: out<WalletView[]>() },
  idleLockGet: { channel: 'signer:settings:idle-lock-get', input: s.empty(), output: out<IdleLockSettings>() },
  idleLockSet: {
    channel: 'signer:settings:idle-lock-set',
    input: s.object({ minutes: s.number({ min: 0, max: MAX_IDLE_LOCK_MINUTES, integer: true }) }),
    output: out<IdleLockSettings>(),
  },
} as const;

export type Contract = typeof CONTRACT;
export type MethodName = keyof Contract;
export type InputOf<M extends MethodName> = s.Infer<Contract[M]['input']>;
export type OutputOf<M extends MethodName> = Contract[M]['output'];

// ---- events (main -> renderer) ------------------------------------------------------------------------------

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
