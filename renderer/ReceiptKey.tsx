// The key store's receipt key (README "Signed receipts"), as one more lockable row of the key store: locked, it
// says that exports are refused until it is unlocked; unlocked, it shows the key's thumbprint (what an auditor
// pins) and can be locked again. Its passphrase goes to main once, on the receipt key's own channel.
import type { ReceiptKeyView } from '../shared/contract';
import { api } from './api';
import { LockCountdown } from './clock';
import { UnlockForm } from './UnlockForm';
import { useMain } from './useMain';

export function ReceiptKeyCard({ receiptKey, onChanged }: { receiptKey: ReceiptKeyView; onChanged: () => void }) {
  const { error, run } = useMain();
  const lock = () =>
    run(async () => {
      await api.lockReceiptKey();
      onChanged();
    });
  return (
    <li className={`wallet ${receiptKey.unlocked ? 'wallet-unlocked' : 'wallet-locked'}`} aria-label="Receipt key">
      <div className="wallet-head">
        <h3>Receipt key</h3>
        <p className="wallet-state">
          <span>{receiptKey.unlocked ? 'Unlocked' : 'Locked'}</span>
          <span className="muted"> · signs a receipt for every exported file</span>
        </p>
      </div>
      {receiptKey.unlocked ? (
        <div className="wallet-body">
          <dl>
            <dt>Thumbprint (RFC 7638)</dt>
            <dd>
              <code>{receiptKey.thumbprint}</code>
            </dd>
          </dl>
          {receiptKey.locksAt !== undefined && <LockCountdown locksAt={receiptKey.locksAt} onDue={onChanged} />}
          <button type="button" onClick={lock}>
            Lock the receipt key
          </button>
          <p className="error" role="alert">
            {error ?? ''}
          </p>
        </div>
      ) : (
        <>
          <p>Exports are refused while the receipt key is locked: every exported file carries a signed receipt.</p>
          <UnlockForm name="the receipt key" retryInMs={receiptKey.unlockRetryInMs} unlock={(passphrase) => api.unlockReceiptKey(passphrase)} onChanged={onChanged} />
        </>
      )}
    </li>
  );
}
