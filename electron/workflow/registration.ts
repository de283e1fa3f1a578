// The app's wallet registry, kept beside the open key file (keys.json -> keys.registry.json; the demo key store's
// ships with it and changes only for the session). Wallets get in by the operator confirming each key against a
// second source: at first use (a request for an unregistered wallet is not imported; its three keys are shown and
// the operator types the last four characters of each), or typed from a KeyCard or BitGo's wallet export. Either
// way the user key must be the key store's (the wallet must be unlocked to register it). The renderer never sends
// the keys of a first-use registration: main keeps them from the refused import.
import type { Coin, RegistryView } from '../../shared/registry';
import type { FirstUseRegistration } from '../../shared/contract';
import type { Vault } from '../keystore/vault';
import { textFile } from '../output/text-file';
import { isRegisteredUserKey, registeredWallet } from '../registry/enforce';
import { emptyRegistry, parseRegistry, RegistryError, registryPathFor, registryView, serializeRegistry, withoutWallet, withWallet, type Registry, type RegistryEntry } from '../registry/registry';
import { toHex } from '../util/bytes';
import { parseXpubTriple } from '../wallet/keys';
import { WorkflowError } from './workflow-error';

export interface RegistryPlace {
  registry: Registry;
  /** Where changes are written; undefined: kept for this session only (the demo's). */
  path?: string;
}

/**
 * The registry beside a key file (registry/registry.ts registryPathFor): none yet is an empty registry, created
 * at the first registration; a damaged one refuses the key store (registry_invalid), never read as empty.
 */
export function registryBeside(keyFilePath: string): RegistryPlace {
  const path = registryPathFor(keyFilePath);
  const file = textFile(path);
  const text = file.read();
  return { registry: text === undefined ? emptyRegistry(file.name) : parseRegistry(text, file.name), path };
}

interface Pending {
  walletId: string;
  xpubs: { user: string; backup: string; bitgo: string };
  /** The request's derivationSeed: its user key is the key store's key after it. */
  derivationSeed?: string;
}

export class WalletRegistration {
  #place: RegistryPlace | null = null;
  readonly #pending = new Map<string, Pending>();
  readonly #vault: Pick<Vault, 'isUnlocked' | 'signingXpub'>;
  readonly #now: () => Date;

  constructor(vault: Pick<Vault, 'isUnlocked' | 'signingXpub'>, now: () => Date = () => new Date()) {
    this.#vault = vault;
    this.#now = now;
  }

  /** The registry of the key store just opened (or none when no store is open). */
  use(place: RegistryPlace | null): void {
    this.#place = place;
    this.#pending.clear();
  }

  view(): RegistryView | null {
    return this.#place ? registryView(this.#place.registry) : null;
  }

  /**
   * The registered wallet for a request. When it is not registered, the request's keys are kept as a first-use
   * registration the operator may confirm, and `wallet_not_registered` is thrown.
   */
  require(walletId: string, seen: { xpubs: readonly string[]; derivationSeed?: string }): RegistryEntry {
    const place = this.#requirePlace();
    const entry = place.registry.wallets.get(walletId);
    if (entry) return entry;
    const [user, backup, bitgo] = seen.xpubs as [string, string, string];
    this.#pending.set(walletId, { walletId, xpubs: { user, backup, bitgo }, ...(seen.derivationSeed !== undefined ? { derivationSeed: seen.derivationSeed } : {}) });
    return registeredWallet(place.registry, walletId);
  }

  /** The registered wallet now (wallet_not_registered when it is not, e.g. removed since its request was imported). */
  entry(walletId: string): RegistryEntry {
    return registeredWallet(this.#requirePlace().registry, walletId);
  }

  /** Every registered wallet (none when no key store is open). */
  entries(): Iterable<RegistryEntry> {
    return this.#place?.registry.wallets.values() ?? [];
  }

  /** What the screen shows to confirm a first-use registration (public keys and their fingerprints). */
  pending(walletId: string): FirstUseRegistration | undefined {
    const p = this.#pending.get(walletId);
    if (!p) return undefined;
    const keys = parseXpubTriple([p.xpubs.user, p.xpubs.backup, p.xpubs.bitgo]);
    return { walletId, xpubs: p.xpubs, fingerprints: { user: toHex(keys.user.fingerprint), backup: toHex(keys.backup.fingerprint), bitgo: toHex(keys.bitgo.fingerprint) } };
  }

  /**
   * Registers a wallet seen at first use, after the operator typed the last four characters of each of its keys
   * as read from a second source.
   */
  confirmFirstUse(walletId: string, coin: Coin, label: string, lastFour: { user: string; backup: string; bitgo: string }): RegistryView {
    const p = this.#pending.get(walletId);
    if (!p) throw new WorkflowError(`wallet ${walletId} has no registration waiting: import its request again`, 'request_state_invalid');
    const wrong = (['user', 'backup', 'bitgo'] as const).filter((r) => p.xpubs[r].slice(-4) !== lastFour[r]);
    if (wrong.length > 0) {
      throw new RegistryError(`the last four characters typed for the ${wrong.join(' and ')} key${wrong.length > 1 ? 's' : ''} do not match the key shown: check each key against its second source (KeyCard, BitGo's wallet page); nothing was registered`, 'registry_confirmation_mismatch');
    }
    const view = this.#add(walletId, coin, label, p.xpubs, undefined, 'first-use', p.derivationSeed);
    this.#pending.delete(walletId);
    return view;
  }

  /** Registers a wallet from a KeyCard or BitGo's wallet export (keys typed or pasted by the operator). */
  addFromSource(walletId: string, coin: Coin, label: string, xpubs: { user: string; backup: string; bitgo: string }, keySignatures: { backupPub: string; bitgoPub: string } | undefined, how: 'keycard' | 'wallet-export', derivationSeed?: string): RegistryView {
    return this.#add(walletId, coin, label, xpubs, keySignatures, how, derivationSeed);
  }

  /**
   * Changes the registry with `change` and writes it: a key pinned or unpinned, a wallet's authentication policy set
   * (registry/auth-policy.ts), or a wallet made by this app's key ceremony (workflow/ceremony-desk.ts register),
   * which is not in the key store yet, so its user key is proven by the keySignatures it just made, which the
   * change (registry withWallet) verifies against the user xpub. `change` validates; nothing is written when it throws.
   */
  change(change: (registry: Registry) => Registry): RegistryView {
    return this.#save(change(this.#requirePlace().registry));
  }

  remove(walletId: string): RegistryView {
    const place = this.#requirePlace();
    return this.#save(withoutWallet(place.registry, walletId));
  }

  /**
   * Refuses an unlocked wallet whose key is not its registered user key (a registry entry made for another key
   * file, or a key file swapped under the registry). Nothing to check when the wallet is not registered.
   */
  checkUnlocked(walletId: string): void {
    const entry = this.#place?.registry.wallets.get(walletId);
    if (!entry) return;
    if (!isRegisteredUserKey(entry, this.#vault.signingXpub(walletId, entry.derivationSeed))) {
      throw new RegistryError(`wallet ${walletId}: the key store's key is not the user key registered for "${entry.label}" in ${this.#place!.registry.name}; the key file or the registry entry is wrong, so the wallet stays locked`, 'registry_user_key_mismatch');
    }
  }

  #add(walletId: string, coin: Coin, label: string, xpubs: Pending['xpubs'], keySignatures: { backupPub: string; bitgoPub: string } | undefined, how: 'first-use' | 'keycard' | 'wallet-export', derivationSeed: string | undefined): RegistryView {
    const place = this.#requirePlace();
    const next = withWallet(place.registry, {
      walletId,
      label,
      coin,
      xpubs,
      ...(keySignatures ? { keySignatures } : {}),
      ...(derivationSeed !== undefined ? { derivationSeed } : {}),
      added: { at: this.#now().toISOString(), how },
    });
    // The user key must be the key store's: the wallet is unlocked, and its key (after the derivationSeed) is the
    // user xpub being registered.
    if (!this.#vault.isUnlocked(walletId)) throw new WorkflowError(`unlock wallet ${walletId} first: its user key must be checked against the key store before it is registered`, 'wallet_locked');
    if (!isRegisteredUserKey(next.wallets.get(walletId)!, this.#vault.signingXpub(walletId, derivationSeed))) {
      throw new RegistryError(`wallet ${walletId}: the user key shown is not the key store's key for this wallet; nothing was registered`, 'registry_user_key_mismatch');
    }
    return this.#save(next);
  }

  #save(next: Registry): RegistryView {
    const place = this.#requirePlace();
    const text = serializeRegistry(next);
    if (place.path !== undefined) textFile(place.path).write(text);
    this.#place = { ...place, registry: next };
    return registryView(next);
  }

  #requirePlace(): RegistryPlace {
    if (!this.#place) throw new WorkflowError('no key store is open; open a key file first', 'key_store_not_open');
    return this.#place;
  }
}
