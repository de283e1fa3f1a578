// On every review: the registered wallet the request is for, by the label and coin the operator gave it when it
// was registered (the registry's, never the request's), so a request for the wrong wallet or coin stands out.
import { useEffect, useState } from 'react';
import type { RegisteredWalletView } from '../shared/registry';
import { api } from './api';
import { COIN_WORDS, onRegistryChanged } from './registry-words';
import { visible } from '../shared/text';

export function RegisteredWallet({ walletId }: { walletId: string }) {
  const [wallet, setWallet] = useState<RegisteredWalletView | null | undefined>(undefined);
  useEffect(() => {
    let live = true;
    const load = () =>
      void api.registry().then(
        (view) => live && setWallet(view?.wallets.find((w) => w.walletId === walletId) ?? null),
        () => live && setWallet(null),
      );
    load();
    const off = onRegistryChanged(load);
    return () => {
      live = false;
      off();
    };
  }, [walletId]);
  if (wallet === undefined) return null;
  return (
    <p className="registered-wallet" aria-label="Registered wallet">
      {wallet === null ? (
        <strong>This wallet is not in the wallet registry: it cannot be signed for.</strong>
      ) : (
        <>
          Registered as <strong>{visible(wallet.label)}</strong> · coin <strong>{COIN_WORDS[wallet.coin]}</strong>
        </>
      )}
    </p>
  );
}
