// What a signing run knows about its wallets besides the request: a wallet registry (--registry, or the one the
// app keeps beside the key file: the wallet must be registered, its keys and coin are the truth) or a coin for an
// Express-style run without one (--coin: the network every request must be for). Shared by `sign` and `review`.
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { COINS, networkOfCoin, type Coin } from '../../shared/registry';
import type { Vault } from '../keystore/vault';
import { isRegisteredUserKey, registeredOptions, registeredWallet, type RegisteredOptions } from '../registry/enforce';
import { parseRegistry, RegistryError, registryPathFor, type Registry } from '../registry/registry';
import { UsageError, readInputFile } from './io';

export const WALLET_RULE_OPTIONS = {
  registry: { type: 'string' },
  coin: { type: 'string' },
} as const;

export interface WalletRules {
  registry?: Registry;
  /** The options the approval gate and the review get for a request of this wallet. */
  forWallet(walletId: string | undefined): Partial<RegisteredOptions> & { network?: 'bitcoin' | 'testnet' };
  /** Refuses an unlocked wallet whose key is not its registered user key (registry_user_key_mismatch). */
  checkUnlocked(walletId: string, vault: Pick<Vault, 'signingXpub'>): void;
}

/**
 * The run's wallet rules: --coin (no registry), --registry, else (for a command given the key file) the registry
 * beside the key file when there is one (keys.json -> keys.registry.json, where the app keeps it), else none.
 */
export function walletRules(command: string, values: { registry?: string | undefined; coin?: string | undefined }, keysPath?: string): WalletRules {
  if (values.registry !== undefined && values.coin !== undefined) {
    throw new UsageError(`${command}: give --registry or --coin, not both (a registered wallet's coin is in the registry)`);
  }
  const none = { checkUnlocked: () => undefined };
  if (values.coin !== undefined) {
    if (!(COINS as readonly string[]).includes(values.coin)) throw new UsageError(`${command}: --coin must be one of ${COINS.join(', ')}, got ${JSON.stringify(values.coin.slice(0, 20))}`);
    const network = networkOfCoin(values.coin as Coin);
    return { ...none, forWallet: () => ({ network }) };
  }
  const path = values.registry ?? (keysPath !== undefined && existsSync(registryPathFor(keysPath)) ? registryPathFor(keysPath) : undefined);
  if (path === undefined) return { ...none, forWallet: () => ({}) };
  const registry = parseRegistry(readInputFile(path, 'wallet registry', 64 * 1024 * 1024).toString('utf8'), basename(path));
  return {
    registry,
    forWallet: (walletId) => (walletId === undefined ? {} : registeredOptions(registeredWallet(registry, walletId))),
    checkUnlocked: (walletId, vault) => {
      const entry = registeredWallet(registry, walletId);
      if (!isRegisteredUserKey(entry, vault.signingXpub(walletId, entry.derivationSeed))) {
        throw new RegistryError(`wallet ${walletId}: the key file's key is not the user key registered for "${entry.label}" in ${registry.name}; the key file or the registry entry is wrong`, 'registry_user_key_mismatch');
      }
    },
  };
}
