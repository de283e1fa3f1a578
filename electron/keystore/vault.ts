// The in-memory vault: the only place decrypted wallet keys live, in the main process only.
//
// unlock(entry, passphrase) decrypts one wallet's envelope and keeps its BIP32 node; nothing secret is ever
// returned (callers get the xpub and fingerprint). Each wallet locks on its own, all lock together, and each
// locks itself after an idle period measured from its last use. Locking overwrites the key bytes we hold.
//
// Memory (README, "Memory hygiene"): the envelope is decrypted into bytes (never an xprv string), read in place
// (xprv.ts) and wiped; the key and chain code live in arrays that the garbage collector does not move, so locking
// overwrites the only copies; the curve library's scratch memory is overwritten after each use of a key. What stays
// out of reach: the passphrase string (immutable, from the caller) and copies inside Node and OpenSSL that the README
// names with the key-residue test's measurements.
import { SignerError } from '../../shared/errors';
import { toHex } from '../util/bytes';
import { deriveWithSeed } from './derivation-seed';
import { openEnvelope } from './envelope';
import { KeyFileError, type KeyFileEntry } from './keyfile';
import { nodeSigner, type WalletSigner } from './signer';
import { fingerprintOf, readXprv, wipeKey, xpubOf, type ExtendedPrivateKey } from './xprv';

export interface WalletPublicInfo {
  walletId: string;
  /** The root xpub of the key held in the key file (the user key, or its root for derivationSeed wallets). */
  xpub: string;
  /** BIP32 fingerprint of that key, 8 hex digits. */
  fingerprint: string;
}

export interface WalletStatus {
  walletId: string;
  unlocked: boolean;
  /** Epoch ms at which the wallet locks itself if unused; absent when locked or when auto-lock is off. */
  locksAt?: number;
  xpub?: string;
  fingerprint?: string;
}

export interface VaultOptions {
  /** Idle time after which an unused wallet locks itself; 0 disables. Default 10 minutes. */
  idleMs?: number;
  /** Clock, injectable for tests. */
  now?: () => number;
  /** Timer functions, injectable for tests. The vault also checks expiry on every access, timers or not. */
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

export const DEFAULT_IDLE_MS = 10 * 60 * 1000;
export const MAX_IDLE_MS = 24 * 60 * 60 * 1000;

interface Held {
  node: ExtendedPrivateKey;
  /** Signers handed out and not closed yet. */
  signers: Set<WalletSigner>;
  info: WalletPublicInfo;
  lastUsed: number;
  timer?: unknown;
}

export class VaultError extends SignerError {
  constructor(message: string) {
    super('VaultError', message, 'idle_lock_invalid');
  }
}

export class WalletLockedError extends SignerError {
  constructor(walletId: string) {
    super('WalletLockedError', `wallet ${walletId} is locked; unlock it with its passphrase first`, 'wallet_locked');
  }
}

/**
 * Reads the decrypted plaintext (bytes; the caller wipes them): it must be an extended PRIVATE key (xprv for mainnet
 * or tprv for testnet).
 */
export function parseDecryptedKey(plaintext: Uint8Array, walletId: string): ExtendedPrivateKey {
  const key = readXprv(plaintext);
  if (!key) throw new KeyFileError(`wallet ${walletId}: the key file entry decrypted, but its content is not an extended private key (xprv/tprv)`, 'key_not_xprv');
  return key;
}

export class Vault {
  #held = new Map<string, Held>();
  #idleMs: number;
  readonly #now: () => number;
  readonly #setTimer: (fn: () => void, ms: number) => unknown;
  readonly #clearTimer: (handle: unknown) => void;
  #listeners = new Set<(walletId: string, unlocked: boolean) => void>();

  constructor(opts: VaultOptions = {}) {
    this.#idleMs = Vault.#checkIdle(opts.idleMs ?? DEFAULT_IDLE_MS);
    this.#now = opts.now ?? Date.now;
    this.#setTimer =
      opts.setTimer ??
      ((fn, ms) => {
        const t = setTimeout(fn, ms);
        t.unref?.();
        return t;
      });
    this.#clearTimer = opts.clearTimer ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>));
  }

  static #checkIdle(ms: number): number {
    if (!Number.isSafeInteger(ms) || ms < 0 || ms > MAX_IDLE_MS) {
      throw new VaultError(`idle lock time must be 0 (off) to ${MAX_IDLE_MS} ms, got ${ms}`);
    }
    return ms;
  }

  get idleMs(): number {
    return this.#idleMs;
  }

  setIdleMs(ms: number): void {
    this.#idleMs = Vault.#checkIdle(ms);
    for (const [walletId] of this.#held) this.#touch(walletId);
  }

  /** Called with (walletId, unlocked) whenever a wallet locks or unlocks, including auto-lock. */
  onChange(listener: (walletId: string, unlocked: boolean) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Decrypts the wallet's key with the passphrase and keeps it. A wrong passphrase throws IncorrectPasswordError
   * and leaves the vault as it was (an already unlocked wallet stays unlocked).
   */
  async unlock(entry: KeyFileEntry, passphrase: string): Promise<WalletPublicInfo> {
    const plaintext = await openEnvelope(entry.envelope, passphrase, `wallet ${entry.walletId}`);
    let node: ExtendedPrivateKey;
    try {
      node = parseDecryptedKey(plaintext, entry.walletId);
    } finally {
      plaintext.fill(0);
    }
    const info: WalletPublicInfo = { walletId: entry.walletId, xpub: xpubOf(node), fingerprint: toHex(fingerprintOf(node)) };
    this.lock(entry.walletId);
    this.#held.set(entry.walletId, { node, info, signers: new Set(), lastUsed: this.#now() });
    this.#touch(entry.walletId);
    this.#emit(entry.walletId, true);
    return info;
  }

  isUnlocked(walletId: string): boolean {
    return this.#live(walletId) !== undefined;
  }

  publicInfo(walletId: string): WalletPublicInfo | undefined {
    return this.#live(walletId)?.info;
  }

  lock(walletId: string): void {
    const held = this.#held.get(walletId);
    if (!held) return;
    if (held.timer !== undefined) this.#clearTimer(held.timer);
    for (const signer of [...held.signers]) signer.close();
    wipeKey(held.node);
    this.#held.delete(walletId);
    this.#emit(walletId, false);
  }

  lockAll(): void {
    for (const walletId of [...this.#held.keys()]) this.lock(walletId);
  }

  status(): WalletStatus[] {
    const out: WalletStatus[] = [];
    for (const walletId of [...this.#held.keys()]) {
      const held = this.#live(walletId);
      if (!held) continue;
      out.push({
        walletId,
        unlocked: true,
        ...(this.#idleMs > 0 ? { locksAt: held.lastUsed + this.#idleMs } : {}),
        xpub: held.info.xpub,
        fingerprint: held.info.fingerprint,
      });
    }
    return out;
  }

  /**
   * The xpub of the key that signs for this wallet: the key file's key, or its child for a derivationSeed request.
   * Public data; a derived child is wiped before this returns. Counts as activity (resets the idle timer).
   */
  signingXpub(walletId: string, derivationSeed?: string): string {
    const held = this.#use(walletId);
    if (derivationSeed === undefined) return held.info.xpub;
    const child = deriveWithSeed(held.node, derivationSeed);
    try {
      return xpubOf(child);
    } finally {
      wipeKey(child);
    }
  }

  /**
   * A signer for this wallet (keystore/signer.ts): it signs digests at wallet paths and never hands out key bytes.
   * The caller must close() it when the request is signed; that wipes every child it derived (and the
   * derivationSeed child). Counts as activity.
   */
  signer(walletId: string, derivationSeed?: string): WalletSigner {
    const held = this.#use(walletId);
    const inner = derivationSeed === undefined ? nodeSigner(held.node, false) : nodeSigner(deriveWithSeed(held.node, derivationSeed), true);
    // Locking the wallet closes its open signers too: no derived key outlives the lock.
    const open = held.signers;
    const signer: WalletSigner = {
      publicKey: inner.publicKey,
      chainCode: inner.chainCode,
      signEcdsa: inner.signEcdsa,
      signSchnorr: inner.signSchnorr,
      musig2Nonce: inner.musig2Nonce,
      musig2Sign: inner.musig2Sign,
      signBatch: inner.signBatch,
      close: () => {
        open.delete(signer);
        inner.close();
      },
    };
    open.add(signer);
    return signer;
  }

  #use(walletId: string): Held {
    const held = this.#live(walletId);
    if (!held) throw new WalletLockedError(walletId);
    this.#touch(walletId);
    return held;
  }

  /** Returns the entry if unlocked and not idle-expired; locks it (wiping) if it has expired. */
  #live(walletId: string): Held | undefined {
    const held = this.#held.get(walletId);
    if (!held) return undefined;
    if (this.#idleMs > 0 && this.#now() - held.lastUsed >= this.#idleMs) {
      this.lock(walletId);
      return undefined;
    }
    return held;
  }

  #touch(walletId: string): void {
    const held = this.#held.get(walletId);
    if (!held) return;
    held.lastUsed = this.#now();
    if (held.timer !== undefined) this.#clearTimer(held.timer);
    delete held.timer;
    if (this.#idleMs > 0) held.timer = this.#setTimer(() => this.#expire(walletId), this.#idleMs);
  }

  /**
   * The idle timer's end: locks the wallet when its idle time is over. A timer may fire a moment before the clock
   * says so (timers run on a monotonic clock, `now` is the wall clock); then it is set again for what is left,
   * rather than leaving the wallet unlocked until its next use.
   */
  #expire(walletId: string): void {
    const held = this.#held.get(walletId);
    if (!held || this.#live(walletId) === undefined) return;
    const left = this.#idleMs - (this.#now() - held.lastUsed);
    if (this.#idleMs > 0 && left > 0) held.timer = this.#setTimer(() => this.#expire(walletId), left);
  }

  #emit(walletId: string, unlocked: boolean): void {
    for (const l of this.#listeners) {
      try {
        l(walletId, unlocked);
      } catch {
        // a failing listener must not keep a wallet unlocked or break locking
      }
    }
  }
}
