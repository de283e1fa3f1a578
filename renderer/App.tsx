// The app: the persistent header (Header.tsx) over one step at a time (Steps.tsx). This file draws the first
// steps (open a key store, the demo banner, the key store and its wallets: unlock, lock, lock all) and the idle
// auto-lock setting; the request workflow's steps are Requests.tsx's. Calm and plain: large text, every state said
// in words (never colour alone), everything reachable by keyboard with a visible focus ring.
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import type { AppStatus, DemoInfo, KeyStoreView, WalletView } from '../shared/contract';
import { api } from './api';
import { ClockProvider, LockCountdown } from './clock';
import { Header } from './Header';
import { KeyCeremony } from './KeyCeremony';
import { OpenKeyStore } from './OpenKeyStore';
import { ReceiptKeyCard } from './ReceiptKey';
import { UnlockForm } from './UnlockForm';
import { Requests } from './Requests';
import { Step, StepsProvider, useStepNeed, useStepState, useSteps, type JourneyStep } from './Steps';
import { Wallets } from './Wallets';
import { useMain } from './useMain';
import { visible } from '../shared/text';

const IDLE_CHOICES = [0, 1, 5, 10, 15, 30, 60];
const REFRESH_MS = 15_000;

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
  const { go } = useSteps();
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
          onUnlocked={() => go('import')}
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

/** Where the operator starts: the key store, or (one open already, as in the demo) its wallets, or importing. */
function firstStep(status: AppStatus): JourneyStep {
  const wallets = status.keyStore?.wallets;
  if (!wallets) return 'keystore';
  return wallets.some((w) => w.unlocked) ? 'import' : 'unlock';
}

/** What the first two steps need to go on, in the header's words. */
function KeyStoreNeeds({ status }: { status: AppStatus }) {
  const store = status.keyStore;
  const unlocked = store?.wallets.filter((w) => w.unlocked).length ?? 0;
  useStepNeed('keystore', store ? `key store “${visible(store.label)}” is open: go on to Unlock, or open another.` : 'open a key store to begin.');
  useStepNeed(
    'unlock',
    store ? `${unlocked} of ${store.wallets.length} wallets unlocked. Unlock the wallet of each request to sign, then go on to Import.` : 'no key store is open: open one first (step 1).',
  );
  return null;
}

export function App() {
  const [status, setStatus] = useState<AppStatus | null>(null);
  const { error, run } = useMain();
  const steps = useStepState();
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

  // The first status says where the operator starts; from then on the work and the step bar move them.
  const { go } = steps;
  const begun = useRef(false);
  useEffect(() => {
    if (status === null || begun.current) return;
    begun.current = true;
    go(firstStep(status), { focus: false });
  }, [status, go]);
  const ticking = (status?.keyStore?.wallets.some((w) => w.unlocked && w.locksAt !== undefined) ?? false) || status?.keyStore?.receiptKey?.locksAt !== undefined;
  const noStore = (
    <section aria-labelledby="no-store-title">
      <h2 id="no-store-title">No key store open</h2>
      <p>Open a key store first (step 1, Key store).</p>
    </section>
  );

  return (
    <StepsProvider value={steps}>
      <ClockProvider ticking={ticking}>
        <div className="app">
          <Header status={status} />
          <main>
            {error && (
              <p className="error banner" role="alert">
                {error}
              </p>
            )}
            {status === null && !error && <p>Loading…</p>}
            {status && (
              <>
                <KeyStoreNeeds status={status} />
                <Step show="keystore">
                  <OpenKeyStore
                    status={status}
                    run={run}
                    onOpened={async (opened) => {
                      await loadStatus();
                      if (opened) go('unlock');
                    }}
                  />
                </Step>
                <Step show="unlock">{status.keyStore ? <KeyStore store={status.keyStore} demo={status.demo} onChanged={() => void refresh()} /> : noStore}</Step>
                {status.demo && (
                  <Step show={['keystore', 'unlock']}>
                    <DemoBanner demo={status.demo} />
                  </Step>
                )}
                <Step show="wallets">{status.keyStore ? <Wallets store={status.keyStore} /> : noStore}</Step>
                {status.keyStore ? (
                  <Requests demo={status.keyStore.demo} wallets={status.keyStore.wallets} />
                ) : (
                  <Step show={['import', 'review', 'sign', 'export', 'summary']}>{noStore}</Step>
                )}
                <Step show="ceremony">
                  <KeyCeremony />
                </Step>
                <Step show="settings">
                  <section aria-labelledby="settings-title">
                    <h2 id="settings-title">Settings</h2>
                    <IdleLock minutes={status.idleLock.minutes} onChanged={() => void refresh()} />
                  </section>
                </Step>
              </>
            )}
          </main>
        </div>
      </ClockProvider>
    </StepsProvider>
  );
}
