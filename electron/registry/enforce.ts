// What a registered wallet makes the review and the approval gate enforce: the request's keys must be the
// registered ones (wallet_keys_mismatch), the network is the registered coin's (metadata naming another is
// network_mismatch), a bare PSBT takes its keys and network from the entry, and an entry whose BitGo
// keySignatures do not verify is refused.
import { networkOfCoin } from '../../shared/registry';
import { parseXpubTriple, sameNode } from '../wallet/keys';
import { RegistryError, type Registry, type RegistryEntry } from './registry';

export interface RegisteredOptions {
  walletId: string;
  xpubs: [string, string, string];
  network: 'bitcoin' | 'testnet';
  registered: { label: string; coin: RegistryEntry['coin']; problem?: { code: NonNullable<RegistryError['code']>; message: string } };
}

/** The review / approval options a registered wallet sets. */
export function registeredOptions(entry: RegistryEntry): RegisteredOptions {
  return {
    walletId: entry.walletId,
    xpubs: [entry.xpubs.user, entry.xpubs.backup, entry.xpubs.bitgo],
    network: networkOfCoin(entry.coin),
    registered: { label: entry.label, coin: entry.coin, ...(entry.problem ? { problem: { code: entry.problem.code!, message: entry.problem.message } } : {}) },
  };
}

export class WalletNotRegisteredError extends RegistryError {
  readonly walletId: string;
  constructor(walletId: string, registryName: string) {
    super(`wallet ${walletId} is not in the wallet registry ${registryName}: register it (with its three keys and coin, confirmed against a second source) before signing for it`, 'wallet_not_registered');
    this.walletId = walletId;
  }
}

/** The registered wallet, or wallet_not_registered naming the registry. */
export function registeredWallet(registry: Registry, walletId: string): RegistryEntry {
  const entry = registry.wallets.get(walletId);
  if (!entry) throw new WalletNotRegisteredError(walletId, registry.name);
  return entry;
}

/**
 * Whether the key store's key for a wallet is its registered user key: `heldXpub` is the unlocked key's xpub after
 * the entry's derivationSeed (Vault.signingXpub).
 */
export function isRegisteredUserKey(entry: Pick<RegistryEntry, 'keys'>, heldXpub: string): boolean {
  return sameNode(parseXpubTriple([heldXpub, heldXpub, heldXpub]).user, entry.keys.user);
}
