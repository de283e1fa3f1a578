// Which wallets the persistent header names one by one (renderer/Header.tsx). A custody key store may hold many
// wallets; naming each in a header that stays on screen would push the step under it out of view. Up to
// HEADER_WALLETS_ALL wallets, each is named; beyond, the unlocked ones (what the operator must watch: their
// countdowns) are named and the locked ones are counted in one line. Every wallet stays on the Unlock step.
import type { WalletView } from '../shared/contract';

export const HEADER_WALLETS_ALL = 4;

export interface HeaderWallets {
  /** Named one by one, in the key store's order. */
  named: WalletView[];
  /** How many locked wallets are counted, not named (0 when every wallet is named). */
  lockedCounted: number;
}

export function headerWallets(wallets: readonly WalletView[]): HeaderWallets {
  if (wallets.length <= HEADER_WALLETS_ALL) return { named: [...wallets], lockedCounted: 0 };
  const named = wallets.filter((w) => w.unlocked);
  return { named, lockedCounted: wallets.length - named.length };
}
