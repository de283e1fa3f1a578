// The persistent header (issue 19, item 10): sticky at the top of the window whatever the step. It says the
// air-gap state (the warning is a persistent alert), the key store open, each wallet's lock state with its idle-lock
// countdown (with many wallets, the unlocked ones and a count of the locked: header-wallets.ts), the receipt key's
// lock when the store holds one, the step bar, and what the current step needs to go on. Compact: a few lines at
// 1024x700.
import type { AppStatus, WalletView } from '../shared/contract';
import { visible } from '../shared/text';
import { LockCountdown } from './clock';
import { headerWallets } from './header-wallets';
import { StepBar, stepLabel, useSteps } from './Steps';

function AirGapState({ status }: { status: AppStatus }) {
  if (status.airGap.ok) return <p className="header-airgap">Air gap: OK (no network)</p>;
  return (
    <p className="header-airgap airgap-warning" role="alert">
      <strong>
        <span aria-hidden="true">⚠ </span>WARNING: this computer is not air-gapped.
      </strong>{' '}
      {status.airGap.advice}
    </p>
  );
}

/** The demo's labels say more in brackets (the wallet card has it all); the header keeps the name. */
function shortLabel(label: string | undefined): string {
  return label?.replace(/\s*\(.*\)$/, '') ?? 'Wallet';
}

function WalletLock({ wallet, label }: { wallet: WalletView; label: string | undefined }) {
  return (
    <li className={wallet.unlocked ? 'header-wallet header-unlocked' : 'header-wallet'}>
      {shortLabel(label)} <code title={wallet.walletId}>{wallet.walletId.slice(0, 8)}…</code>:{' '}
      <strong>{wallet.unlocked ? 'unlocked' : 'locked'}</strong>
      {wallet.unlocked && wallet.locksAt !== undefined && (
        <>
          , <LockCountdown locksAt={wallet.locksAt} compact />
        </>
      )}
    </li>
  );
}

/** Each wallet's lock, or with many wallets the unlocked ones and a count of the locked (header-wallets.ts). */
function WalletLocks({ wallets, labels }: { wallets: readonly WalletView[]; labels: Map<string, string> }) {
  const { named, lockedCounted } = headerWallets(wallets);
  return (
    <ul className="header-wallets" aria-label="Wallet locks">
      {named.map((w) => (
        <WalletLock key={w.walletId} wallet={w} label={labels.get(w.walletId)} />
      ))}
      {lockedCounted > 0 && (
        <li className="header-wallet">
          {named.length > 0 ? `${lockedCounted} other wallet${lockedCounted === 1 ? '' : 's'}` : `All ${lockedCounted} wallets`}: <strong>locked</strong>
        </li>
      )}
    </ul>
  );
}

export function Header({ status }: { status: AppStatus | null }) {
  const { step, needs } = useSteps();
  const store = status?.keyStore ?? null;
  const labels = new Map(status?.demo?.passphrases.map((p) => [p.walletId, p.label]) ?? []);
  const need = needs[step];
  return (
    <header className="app-header">
      <div className="header-row">
        <h1>Offline Signer</h1>
        {status && (
          <p className="muted">
            Version {status.version}
            {status.demo ? ' · DEMO MODE (testnet)' : ''}
          </p>
        )}
        {status && (
          <p>
            Key store: <strong>{store ? `${visible(store.label)}${store.demo ? ' (demo)' : ''}` : 'none open'}</strong>
          </p>
        )}
        {status && <AirGapState status={status} />}
      </div>
      {status && (
        <div className="header-row">
          {store && store.wallets.length > 0 && <WalletLocks wallets={store.wallets} labels={labels} />}
          {store?.receiptKey && (
            <p className={store.receiptKey.unlocked ? 'header-wallet header-unlocked' : 'header-wallet'}>
              Receipt key: <strong>{store.receiptKey.unlocked ? 'unlocked' : 'locked'}</strong>
              {store.receiptKey.unlocked && store.receiptKey.locksAt !== undefined && (
                <>
                  , <LockCountdown locksAt={store.receiptKey.locksAt} compact />
                </>
              )}
            </p>
          )}
        </div>
      )}
      <StepBar />
      {need !== undefined && (
        <p className="step-need" aria-label="What this step needs">
          <strong>{stepLabel(step)}:</strong> {need}
        </p>
      )}
    </header>
  );
}
