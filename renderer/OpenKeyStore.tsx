// Step 1, the key store: open the demo's (demo mode) or a key file through main's dialog. Opening one locks every
// wallet of the current one, so with wallets unlocked the operator is asked first, before the file dialog opens.
import { useEffect, useRef, useState } from 'react';
import type { AppStatus } from '../shared/contract';
import { api } from './api';

export function OpenKeyStore({ status, run, onOpened }: { status: AppStatus; run: (call: () => Promise<unknown>) => Promise<boolean>; onOpened: (opened: boolean) => Promise<void> }) {
  const [confirmOpen, setConfirmOpen] = useState<'demo' | 'dialog' | null>(null);
  const confirmButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (confirmOpen) confirmButton.current?.focus();
  }, [confirmOpen]);
  // What opening another key store would lock: its unlocked wallets, and its receipt key when unlocked.
  const unlockedNow = status.keyStore?.wallets.filter((w) => w.unlocked) ?? [];
  const receiptKeyNow = status.keyStore?.receiptKey?.unlocked === true;
  const unlockedCount = unlockedNow.length + (receiptKeyNow ? 1 : 0);
  const open = (how: 'demo' | 'dialog') =>
    run(async () => {
      setConfirmOpen(null);
      // A canceled file dialog opened nothing: the operator stays here.
      const opened = how === 'demo' ? (await api.openDemoKeyStore(), true) : !(await api.openKeyStoreDialog()).canceled;
      await onOpened(opened);
    });

  return (
    <section aria-labelledby="open-title" className="open">
      <h2 id="open-title" tabIndex={-1}>
        {status.keyStore ? 'Open another key store' : 'Open a key store'}
      </h2>
      <p className="muted">Opening another key store locks every wallet of the current one.</p>
      <div className="actions">
        {status.demo && (
          <button type="button" onClick={() => (unlockedCount > 0 ? setConfirmOpen('demo') : void open('demo'))}>
            Open the demo key store
          </button>
        )}
        <button type="button" className={status.demo ? 'secondary' : ''} onClick={() => (unlockedCount > 0 ? setConfirmOpen('dialog') : void open('dialog'))}>
          Open a key file…
        </button>
      </div>
      {confirmOpen !== null && unlockedCount > 0 && (
        <div role="alertdialog" aria-label="Lock the unlocked wallets?" aria-describedby="confirm-open-text" className="banner banner-warning">
          <p id="confirm-open-text">
            {unlockedNow.length > 0 && `${unlockedNow.length === 1 ? 'Wallet' : 'Wallets'} ${unlockedNow.map((w) => w.walletId).join(', ')}`}
            {unlockedNow.length > 0 && receiptKeyNow ? ' and the receipt key' : receiptKeyNow ? 'The receipt key' : ''} {unlockedCount === 1 ? 'is' : 'are'} unlocked.{' '}
            {confirmOpen === 'demo' ? 'Opening the demo key store again' : 'Opening another key file'} locks {unlockedCount === 1 ? 'it' : 'them'}.
          </p>
          <div className="actions">
            <button type="button" ref={confirmButton} onClick={() => void open(confirmOpen)}>
              {confirmOpen === 'demo' ? 'Lock and open the demo key store' : 'Lock and choose a key file…'}
            </button>
            <button type="button" className="secondary" onClick={() => setConfirmOpen(null)}>
              Cancel: keep the wallets unlocked
            </button>
          </div>
        </div>
      )}
    </section>
  );
}
