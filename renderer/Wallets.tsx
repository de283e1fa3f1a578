// The Wallets screen: the wallet registry of the open key store (what the signer knows about each wallet it signs
// for: label, coin and network, the three keys with their key fingerprints, when and how each entry was added,
// and the registry file's sha256 to compare with a second copy). Add a wallet from a KeyCard or BitGo's wallet
// export (keys typed or pasted, then shown in groups of four to confirm), or remove one by typing its wallet id.
// Per wallet, its request authentication (RequestAuthSettings.tsx): pinned keys, policy, HMAC secret.
// Main checks everything again (the user key against the key store, the keySignatures, the typed wallet id).
import { useCallback, useEffect, useId, useState, type FormEvent } from 'react';
import type { KeyStoreView } from '../shared/contract';
import { COINS, type Coin, type RegisteredWalletView, type RegistryView } from '../shared/registry';
import { api } from './api';
import { RequestAuthSettings } from './RequestAuthSettings';
import { ADDED_WORDS, COIN_WORDS, GroupedKey, ROLES, onRegistryChanged, registryChanged } from './registry-words';
import { useMain } from './useMain';
import { visible } from '../shared/text';

function RemoveWallet({ wallet, onRemoved }: { wallet: RegisteredWalletView; onRemoved: (view: RegistryView) => void }) {
  const id = useId();
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState('');
  const { busy, error, run } = useMain();
  if (!open) {
    return (
      <button type="button" className="secondary" onClick={() => setOpen(true)}>
        Remove {wallet.walletId}…
      </button>
    );
  }
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => onRemoved(await api.registryRemove(wallet.walletId, typed)));
  };
  return (
    <form onSubmit={submit} aria-label={`Remove wallet ${wallet.walletId}`}>
      <p>Requests for this wallet are refused until it is registered again. To confirm, type its wallet id.</p>
      <label htmlFor={id}>Wallet id to remove</label>
      <div className="unlock-row">
        <input id={id} value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" spellCheck={false} maxLength={64} aria-describedby={`${id}-error`} autoFocus />
        <button type="submit" disabled={busy}>
          Remove this wallet
        </button>
        <button type="button" className="secondary" onClick={() => setOpen(false)}>
          Cancel
        </button>
      </div>
      <p id={`${id}-error`} className="error" role="alert">
        {error ?? ''}
      </p>
    </form>
  );
}

function RegistryEntry({ wallet, onChanged }: { wallet: RegisteredWalletView; onChanged: (view: RegistryView) => void }) {
  return (
    <li className="wallet" aria-label={`Registry entry ${wallet.walletId}`}>
      <h3>
        {visible(wallet.label)} <code>{wallet.walletId}</code>
      </h3>
      <dl className="registry-keys">
        <dt>Coin</dt>
        <dd>{COIN_WORDS[wallet.coin]}</dd>
        {ROLES.map(({ role, words }) => (
          <div key={role} style={{ display: 'contents' }}>
            <dt>{words}</dt>
            <dd>
              Key fingerprint <code>{wallet.fingerprints[role]}</code>
              <br />
              <code className="xpub">{wallet.xpubs[role]}</code>
            </dd>
          </div>
        ))}
        <dt>BitGo keySignatures</dt>
        <dd>{wallet.keySignatures ? (wallet.problem ? 'present; see the problem below' : 'present and verified') : 'none recorded'}</dd>
        <dt>Added</dt>
        <dd>
          {wallet.added.at} {ADDED_WORDS[wallet.added.how]}
        </dd>
      </dl>
      {wallet.problem && (
        <p className="error" role="alert">
          Not usable: {wallet.problem.error} ({wallet.problem.code})
        </p>
      )}
      <RequestAuthSettings wallet={wallet} onChanged={onChanged} />
      <RemoveWallet wallet={wallet} onRemoved={onChanged} />
    </li>
  );
}

type Xpubs = { user: string; backup: string; bitgo: string };

function AddWallet({ walletIds, onAdded }: { walletIds: string[]; onAdded: (view: RegistryView) => void }) {
  const id = useId();
  const [walletId, setWalletId] = useState('');
  const [coin, setCoin] = useState<Coin>('btc');
  const [label, setLabel] = useState('');
  const [how, setHow] = useState<'keycard' | 'wallet-export'>('keycard');
  const [xpubs, setXpubs] = useState<Xpubs>({ user: '', backup: '', bitgo: '' });
  const [sigs, setSigs] = useState({ backupPub: '', bitgoPub: '' });
  const [checking, setChecking] = useState(false);
  const { busy, error, run, setError } = useMain();
  const chosen = walletId === '' ? (walletIds[0] ?? '') : walletId;
  const clean = (x: string) => x.replace(/\s+/g, '');
  const keys: Xpubs = { user: clean(xpubs.user), backup: clean(xpubs.backup), bitgo: clean(xpubs.bitgo) };

  const check = (e: FormEvent) => {
    e.preventDefault();
    const missing = ROLES.filter(({ role }) => keys[role] === '').map(({ words }) => words);
    if (chosen === '') return setError('Open a key store with a wallet first.');
    if (label.trim() === '') return setError('Give the wallet a label (how you will recognise it on every review).');
    if (missing.length > 0) return setError(`Type or paste: ${missing.join(', ')}.`);
    if ((sigs.backupPub === '') !== (sigs.bitgoPub === '')) return setError('Give both keySignatures (backup and BitGo), or neither.');
    setError(null);
    setChecking(true);
  };
  const add = async () => {
    let locked = false;
    await run(async () => {
      // Main refuses a locked wallet too (wallet_locked); this says it in this screen's words, not the signing step's.
      locked = !(await api.listWallets()).some((w) => w.walletId === chosen && w.unlocked);
      if (locked) return;
      const view = await api.registryAdd({
        walletId: chosen,
        coin,
        label: label.trim(),
        xpubs: keys,
        how,
        ...(sigs.backupPub !== '' ? { keySignatures: { backupPub: sigs.backupPub.trim(), bitgoPub: sigs.bitgoPub.trim() } } : {}),
      });
      setChecking(false);
      setXpubs({ user: '', backup: '', bitgo: '' });
      setSigs({ backupPub: '', bitgoPub: '' });
      setLabel('');
      onAdded(view);
    });
    if (locked) setError(`Unlock wallet ${chosen} in step 2, Unlock, first: its user key is checked against the key store.`);
  };

  return (
    <section aria-labelledby={`${id}-title`} className="registry-form">
      <h3 id={`${id}-title`}>Add a wallet</h3>
      <p className="muted">From a BitGo KeyCard or BitGo’s wallet export. Unlock the wallet first: its user key is checked against the key store.</p>
      {!checking ? (
        <form onSubmit={check} aria-label="Add a wallet">
          <label htmlFor={`${id}-wallet`}>Wallet (in the key store)</label>
          <select id={`${id}-wallet`} value={chosen} onChange={(e) => setWalletId(e.target.value)}>
            {walletIds.map((w) => (
              <option key={w} value={w}>
                {w}
              </option>
            ))}
          </select>
          <label htmlFor={`${id}-label`}>Label</label>
          <input id={`${id}-label`} value={label} onChange={(e) => setLabel(e.target.value)} maxLength={80} />
          <label htmlFor={`${id}-coin`}>Coin</label>
          <select id={`${id}-coin`} value={coin} onChange={(e) => setCoin(e.target.value as Coin)}>
            {COINS.map((c) => (
              <option key={c} value={c}>
                {COIN_WORDS[c]}
              </option>
            ))}
          </select>
          <label htmlFor={`${id}-how`}>Keys read from</label>
          <select id={`${id}-how`} value={how} onChange={(e) => setHow(e.target.value as 'keycard' | 'wallet-export')}>
            <option value="keycard">a BitGo KeyCard</option>
            <option value="wallet-export">BitGo’s wallet export</option>
          </select>
          {ROLES.map(({ role, words }) => (
            <div key={role}>
              <label htmlFor={`${id}-${role}`}>{words}: extended public key</label>
              <textarea id={`${id}-${role}`} rows={2} value={xpubs[role]} onChange={(e) => setXpubs({ ...xpubs, [role]: e.target.value })} spellCheck={false} autoCorrect="off" autoCapitalize="off" />
            </div>
          ))}
          <label htmlFor={`${id}-sig-backup`}>keySignatures: backup key (optional, hex)</label>
          <input id={`${id}-sig-backup`} value={sigs.backupPub} onChange={(e) => setSigs({ ...sigs, backupPub: e.target.value })} spellCheck={false} maxLength={140} />
          <label htmlFor={`${id}-sig-bitgo`}>keySignatures: BitGo key (optional, hex)</label>
          <input id={`${id}-sig-bitgo`} value={sigs.bitgoPub} onChange={(e) => setSigs({ ...sigs, bitgoPub: e.target.value })} spellCheck={false} maxLength={140} />
          <div className="actions">
            <button type="submit">Check the keys…</button>
          </div>
        </form>
      ) : (
        <div role="group" aria-label="Confirm the wallet to add">
          <p>
            Compare each key, group by group, with the {how === 'keycard' ? 'KeyCard' : 'wallet export'}. Wallet <code>{chosen}</code>, “{visible(label.trim())}”, {COIN_WORDS[coin]}.
          </p>
          <dl className="registry-keys">
            {ROLES.map(({ role, words }) => (
              <div key={role} style={{ display: 'contents' }}>
                <dt>{words}</dt>
                <dd>
                  <GroupedKey value={keys[role]} />
                </dd>
              </div>
            ))}
          </dl>
          <div className="actions">
            <button type="button" disabled={busy} onClick={() => void add()}>
              Register this wallet
            </button>
            <button type="button" className="secondary" onClick={() => setChecking(false)}>
              Back to the form
            </button>
          </div>
        </div>
      )}
      <p className="error" role="alert">
        {error ?? ''}
      </p>
    </section>
  );
}

/**
 * The Wallets screen (shown while a key store is open). `store` is the app's latest key store view: a new one
 * (another key store opened, or the app's status refreshed) reads the registry again.
 */
export function Wallets({ store }: { store: KeyStoreView }) {
  const [view, setView] = useState<RegistryView | null>(null);
  const [walletIds, setWalletIds] = useState<string[]>([]);
  const { error, run } = useMain();
  const load = useCallback(
    () =>
      run(
        async () => {
          setView(await api.registry());
          setWalletIds((await api.listWallets()).map((w) => w.walletId));
        },
        { busy: false },
      ),
    [run],
  );
  useEffect(() => {
    void load();
    return onRegistryChanged(() => void load());
  }, [load, store]);
  const changed = (next: RegistryView) => {
    setView(next);
    registryChanged();
  };

  return (
    <section aria-labelledby="wallets-title">
      <h2 id="wallets-title">Wallets</h2>
      {view && (
        <>
          <p>
            Wallet registry <code>{visible(view.name)}</code>, sha256 <code>{view.sha256}</code>
          </p>
          {view.wallets.length === 0 && <p>No wallet is registered yet: requests are refused until their wallet is.</p>}
          <ul className="wallets">
            {view.wallets.map((w) => (
              <RegistryEntry key={w.walletId} wallet={w} onChanged={changed} />
            ))}
          </ul>
          <AddWallet walletIds={walletIds} onAdded={changed} />
        </>
      )}
      <p className="error" role="alert">
        {error ?? ''}
      </p>
    </section>
  );
}
