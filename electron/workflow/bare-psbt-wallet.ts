// Which wallet a bare PSBT is for, at import. A bare PSBT names no wallet: its three keys come from its global
// xpubs, in the one order [user, backup, bitgo] that re-derives input 0's script (intake/bare-psbt.ts); its wallet
// is the operator's choice, else the registered wallet with those three keys, else the unlocked wallet whose key
// is the PSBT's user key, else the key store's only wallet. The wallet must then be registered with exactly these
// keys (the review refuses others: wallet_keys_mismatch), and its network is the registered coin's. The approval gate checks again that the unlocked key is that user key before any signature.
import type { Vault } from '../keystore/vault';
import { parseXpubTriple, sameKeys, sameNode, xpubTexts, type WalletKeys } from '../wallet/keys';
import { WorkflowError } from './workflow-error';

export interface BarePsbtWalletDeps {
  vault: Pick<Vault, 'publicInfo' | 'isUnlocked'>;
  /** The wallet ids of the open key store. */
  keyStoreWallets?: () => string[];
  /** The registered wallets and their keys. */
  registeredWallets?: () => Iterable<{ walletId: string; keys: WalletKeys }>;
}

/** `keys`: the PSBT's three keys in the order intake/bare-psbt.ts barePsbtKeysByScript finds. */
export function barePsbtWallet(keys: WalletKeys, file: string, chosen: string | undefined, deps: BarePsbtWalletDeps): { walletId: string; xpubs: string[] } {
  const xpubs = xpubTexts(keys);
  const known = deps.keyStoreWallets?.() ?? [];
  const sameKey = (walletId: string) => {
    const x = deps.vault.publicInfo(walletId)?.xpub;
    return x !== undefined && sameNode(parseXpubTriple([x, x, x]).user, keys.user);
  };
  if (chosen !== undefined) {
    if (!known.includes(chosen)) throw new WorkflowError(`wallet ${chosen} is not in the open key store`, 'wallet_not_in_key_store');
    if (deps.vault.isUnlocked(chosen) && !sameKey(chosen)) {
      throw new WorkflowError(`${file}: wallet ${chosen}'s key is not this PSBT's user key; it is not that wallet's transaction`, 'psbt_not_this_wallet');
    }
    return { walletId: chosen, xpubs };
  }
  const registered = [...(deps.registeredWallets?.() ?? [])].filter((w) => known.includes(w.walletId) && sameKeys(w.keys, keys));
  if (registered.length === 1) return { walletId: registered[0]!.walletId, xpubs };
  const matches = known.filter(sameKey);
  if (matches.length === 1) return { walletId: matches[0]!, xpubs };
  if (known.length === 1) return { walletId: known[0]!, xpubs };
  throw new WorkflowError(`${file} is a bare PSBT: it does not say which wallet it is for, and no unlocked wallet's key is in it`, 'wallet_not_chosen');
}
