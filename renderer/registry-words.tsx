// How the wallet registry reads on screen: a coin with its network in words, a key in groups of four characters
// (easier to compare aloud with a KeyCard or BitGo's wallet page), how an entry was added, and a signal that the
// registry changed so every screen showing it reads it again.
import type { AddedHow, Coin } from '../shared/registry';

export const COIN_WORDS: Readonly<Record<Coin, string>> = {
  btc: 'btc: Bitcoin mainnet (real funds)',
  tbtc: 'tbtc: Bitcoin testnet (testnet3, no value)',
  tbtc4: 'tbtc4: Bitcoin testnet4 (no value)',
};

export const ADDED_WORDS: Readonly<Record<AddedHow, string>> = {
  ceremony: 'from this app’s key ceremony',
  keycard: 'typed from a BitGo KeyCard',
  'wallet-export': 'typed from BitGo’s wallet export',
  'first-use': 'at first use, each key confirmed by its last four characters',
  cli: 'on the command line',
  demo: 'shipped with the demo key store',
};

export const ROLES = [
  { role: 'user', words: 'User key (this key store’s key)' },
  { role: 'backup', words: 'Backup key' },
  { role: 'bitgo', words: 'BitGo key' },
] as const;

/** "xpub 661M yMwA ...": a key split into groups of four characters. */
export function groupsOfFour(key: string): string[] {
  return key.match(/.{1,4}/g) ?? [];
}

/** A key drawn large in groups of four; screen readers get the key itself. */
export function GroupedKey({ value }: { value: string }) {
  return (
    <code className="xpub-grouped" aria-label={value}>
      {groupsOfFour(value).map((g, i) => (
        <span key={i} aria-hidden="true">
          {g}
        </span>
      ))}
    </code>
  );
}

const listeners = new Set<() => void>();
/** Every screen that shows the registry subscribes; returns the unsubscribe function. */
export function onRegistryChanged(listener: () => void): () => void {
  listeners.add(listener);
  return () => void listeners.delete(listener);
}
export function registryChanged(): void {
  for (const l of listeners) l();
}
