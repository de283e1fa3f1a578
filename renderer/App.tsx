// The first screen: air-gap warning, demo banner, the key store and its wallets (unlock, lock, lock all), its
// receipt key when it holds one, and the idle auto-lock setting. Calm and plain: large text, every state said in words (never colour alone),
// everything reachable by keyboard with a visible focus ring.
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import type { AppStatus, DemoInfo, KeyStoreView, WalletView } from '../shared/contract';
import { api } from './api';
import { focusStep, IMPORT_HEADING_ID } from './focus';
import { KeyCeremony } from './KeyCeremony';
import { LockCountdown } from './LockCountdown';
import { ReceiptKeyCard } from './ReceiptKey';
import { UnlockForm } from './UnlockForm';
import { Requests } from './Requests';
import { Wallets } from './Wallets';
import { useMain } from './useMain';
import { visible } from '../shared/text';

const IDLE_CHOICES = [0, 1, 5, 10, 15, 30, 60];
const REFRESH_MS = 15_000;

function AirGapBanner({ status }: { status: AppStatus }) {
  if (status.airGap.ok) return null;
  return (
    <section className="banner banner-warning" role="alert" aria-labelledby="airgap-title">
      <h2 id="airgap-title">
        <span aria-hidden="true">⚠ </span>Warning: this computer is not air-gapped
      </h2>
      <p>{status.airGap.advice}</p>
    </section>
  );
}

function DemoBanner({ demo }: { demo: DemoInfo }) {
  return (
    <section className="banner banner-demo" aria-labelledby="demo-title">
      <h2 id="demo-title">DEMO — testnet test keys, never real funds</h2>
      <p>
        This is a demonstration key store with published test passphrases. Nothing here can move real money. Use these
        passphrases to try unlocking:
      </p>
      <table className="demo-table">
        <caption className="visually-hidden">Demo wallets and their passphrases</caption>
        <thead>
          <tr>
            <th scope="col">Wallet</th>
            <th scope="col">Wallet id</th>
            <th scope="col">Passphrase</th>
          </tr>
        </thead>
        <tbody>
          {demo.passphrases.map((p) => (
            <tr key={p.walletId}>
              <td>{p.label}</td>
              <td>
                <code>{p.walletId}</code>
              </td>
              <td>
                <code className="demo-passphrase">{p.passphrase}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function WalletCard({ wallet, label, onChanged }: { wallet: WalletView; label: string | undefined; onChanged: () => void }) {
  const { error, run } = useMain();
  const lock = () =>
    run(async () => {
      await api.lock(wallet.walletId);
      onChanged();
    });
  return (
    <li className={`wallet ${wallet.unlocked ? 'wallet-unlocked' : 'wallet-locked'}`} aria-label={`Wallet ${wallet.walletId}`}>
      <div className="wallet-head">
        <h3>
          {label ?? 'Wallet'} <code>{wallet.walletId}</code>
        </h3>
        <p className="wallet-state">
          <span>{wallet.unlocked ? 'Unlocked' : 'Locked'}</span>
          <span className="muted"> · key envelope v{wallet.envelopeVersion}</span>
        </p>
      </div>
      {wallet.unlocked ? (
        <div className="wallet-body">
          <dl>
            <dt>Key fingerprint</dt>
            <dd>
              <code>{wallet.fingerprint}</code>
            </dd>
            <dt>Extended public key</dt>
            <dd>
              <code className="xpub">{wallet.xpub}</code>
            </dd>
          </dl>
          {wallet.locksAt !== undefined && <LockCountdown locksAt={wallet.locksAt} />}
          <button type="button" onClick={lock}>
            Lock this wallet
          </button>
          <p className="error" role="alert">
            {error ?? ''}
          </p>
        </div>
      ) : (
        <UnlockForm
          name={`wallet ${wallet.walletId}`}
          retryInMs={wallet.unlockRetryInMs}
          unlock={(passphrase) => api.unlock(wallet.walletId, passphrase)}
          onChanged={onChanged}
          // The form goes away with the lock; the next step is importing requests.
          onUnlocked={() => focusStep(IMPORT_HEADING_ID)}
        />
      )}
    </li>
  );
}

function IdleLock({ minutes, onChanged }: { minutes: number; onChanged: () => void }) {
  const id = useId();
  const { error, run } = useMain();
  const choices = IDLE_CHOICES.includes(minutes) ? IDLE_CHOICES : [...IDLE_CHOICES, minutes].sort((a, b) => a - b);
  return (
    <div className="idle">
      <label htmlFor={id}>Lock unused wallets after</label>
      <select
        id={id}
        value={minutes}
        onChange={(e) => {
          const chosen = Number(e.target.value);
          void run(async () => {
            await api.setIdleLock(chosen);
            onChanged();
          });
        }}
      >
        {choices.map((m) => (
          <option key={m} value={m}>
            {m === 0 ? 'never (not recommended)' : `${m} minute${m === 1 ? '' : 's'}`}
          </option>
        ))}
      </select>
      <p className="error" role="alert">
        {error ?? ''}
      </p>
    </div>
  );
}

function KeyStore({ store, demo, onChanged }: { store: KeyStoreView; demo: DemoInfo | null; onChanged: () => void }) {
  const labels = new Map(demo?.passphrases.map((p) => [p.walletId, p.label]) ?? []);
  const anyUnlocked = store.wallets.some((w) => w.unlocked) || store.receiptKey?.unlocked === true;
  return (
    <section aria-labelledby="keystore-title">
      <div className="section-head">
        <h2 id="keystore-title">
          Key store: {visible(store.label)}
          {store.demo ? ' (demo)' : ''}
        </h2>
        <button type="button" onClick={() => void api.lockAll().then(onChanged)} disabled={!anyUnlocked}>
          Lock all wallets
        </button>
      </div>
      <ul className="wallets">
        {store.wallets.map((w) => (
          <WalletCard key={w.walletId} wallet={w} label={labels.get(w.walletId)} onChanged={onChanged} />
        ))}
        {store.receiptKey && <ReceiptKeyCard receiptKey={store.receiptKey} onChanged={onChanged} />}
      </ul>
    </section>
  );
}

export function App() {
  const [status, setStatus] = useState<AppStatus | null>(null);
  const { error, run } = useMain();
  const loadStatus = useCallback(async () => setStatus(await api.status()), []);
  const refresh = useCallback(() => run(loadStatus), [run, loadStatus]);

  useEffect(() => {
    void refresh();
    // Wallets lock themselves in main (idle timer, sleep, screen lock): main says so with an event; the slow poll
    // also refreshes the air-gap check, and is the fallback should an event ever be missed.
    const off = api.on('walletChanged', () => void refresh());
    // Signing uses the wallets' keys, which restarts their idle timers in main: fetch the new lock times.
    const offSign = api.on('signProgress', (p) => {
      if (p.state !== 'running') void refresh();
    });
    const t = setInterval(() => void refresh(), REFRESH_MS);
    const onFocus = () => void refresh();
    window.addEventListener('focus', onFocus);
    return () => {
      off();
      offSign();
      clearInterval(t);
      window.removeEventListener('focus', onFocus);
    };
  }, [refresh]);

  // Opening a key store (the demo's again, or a key file) locks every wallet: with wallets unlocked, the operator is
  // asked first, before the file dialog opens.
  const [confirmOpen, setConfirmOpen] = useState<'demo' | 'dialog' | null>(null);
  const confirmButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (confirmOpen) confirmButton.current?.focus();
  }, [confirmOpen]);
  // What opening another key store would lock: its unlocked wallets, and its receipt key when unlocked.
  const walletsNow = status?.keyStore?.wallets.filter((w) => w.unlocked).map((w) => w.walletId) ?? [];
  const receiptKeyNow = status?.keyStore?.receiptKey?.unlocked === true;
  const unlockedCount = walletsNow.length + (receiptKeyNow ? 1 : 0);
  const open = (how: 'demo' | 'dialog') =>
    run(async () => {
      setConfirmOpen(null);
      if (how === 'demo') await api.openDemoKeyStore();
      else await api.openKeyStoreDialog();
      await loadStatus();
    });

  return (
    <div className="app">
      <header>
        <h1>Offline Signer</h1>
        {status && (
          <p className="muted">
            Version {status.version}
            {status.demo ? ' · DEMO MODE (testnet)' : ''}
          </p>
        )}
      </header>
      <main>
        {error && (
          <p className="error banner" role="alert">
            {error}
          </p>
        )}
        {status === null && !error && <p>Loading…</p>}
        {status && (
          <>
            <AirGapBanner status={status} />
            {status.demo && <DemoBanner demo={status.demo} />}
            <section aria-labelledby="open-title" className="open">
              <h2 id="open-title">{status.keyStore ? 'Open another key store' : 'Open a key store'}</h2>
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
                    {walletsNow.length > 0 && `${walletsNow.length === 1 ? 'Wallet' : 'Wallets'} ${walletsNow.join(', ')}`}
                    {walletsNow.length > 0 && receiptKeyNow ? ' and the receipt key' : receiptKeyNow ? 'The receipt key' : ''} {unlockedCount === 1 ? 'is' : 'are'} unlocked.{' '}
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
            {status.keyStore && <KeyStore store={status.keyStore} demo={status.demo} onChanged={() => void refresh()} />}
            {status.keyStore && <Wallets store={status.keyStore} />}
            {status.keyStore && <Requests demo={status.keyStore.demo} wallets={status.keyStore.wallets} />}
            <KeyCeremony />
            <section aria-labelledby="settings-title">
              <h2 id="settings-title">Settings</h2>
              <IdleLock minutes={status.idleLock.minutes} onChanged={() => void refresh()} />
            </section>
          </>
        )}
      </main>
    </div>
  );
}
