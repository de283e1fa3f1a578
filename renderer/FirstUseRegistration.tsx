// First use of a wallet: a request came for a wallet of the key store that is not in the registry, so it was not
// imported. Its three keys are shown large, in groups of four, with their roles; the operator reads each against a
// second source (the KeyCard, BitGo's wallet page) and types its last four characters. Main compares them with the
// keys it kept from the refused import (the renderer sends only the typed characters) and checks the user key
// against the key store; then the request is imported again and can be reviewed. A plain form: Tab and Enter.
import { useId, useState, type FormEvent } from 'react';
import type { FirstUseRegistration as Pending } from '../shared/contract';
import { COINS, type Coin } from '../shared/registry';
import { api } from './api';
import { COIN_WORDS, GroupedKey, ROLES, registryChanged } from './registry-words';
import { useMain } from './useMain';
import { visible } from '../shared/text';

type LastFour = { user: string; backup: string; bitgo: string };

export function FirstUseRegistration({ file, pending, onRegistered }: { file: string; pending: Pending; onRegistered: () => void }) {
  const id = useId();
  const [label, setLabel] = useState('');
  const [coin, setCoin] = useState<Coin | ''>('');
  const [typed, setTyped] = useState<LastFour>({ user: '', backup: '', bitgo: '' });
  const { busy, error, run, setError } = useMain();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    if (label.trim() === '') return setError('Give the wallet a label (how you will recognise it on every review).');
    if (coin === '') return setError('Choose the wallet’s coin: its network is fixed by the registry from now on.');
    const short = ROLES.filter(({ role }) => typed[role].trim().length !== 4).map(({ words }) => words);
    if (short.length > 0) return setError(`Type the last four characters of: ${short.join(', ')}.`);
    // Emptied first: the same refusal after another wrong try is a change, announced again.
    setError(null);
    const chosen = coin;
    let locked = false;
    await run(async () => {
      locked = !(await api.listWallets()).some((w) => w.walletId === pending.walletId && w.unlocked);
      if (locked) return;
      const lastFour = { user: typed.user.trim(), backup: typed.backup.trim(), bitgo: typed.bitgo.trim() };
      await api.registryConfirm({ walletId: pending.walletId, coin: chosen, label: label.trim(), lastFour });
      registryChanged();
      onRegistered();
    });
    if (locked) setError(`Unlock wallet ${pending.walletId} in step 2, Unlock, first: its user key is checked against the key store.`);
  };

  return (
    <form className="registry-form" onSubmit={(e) => void submit(e)} aria-label={`Register wallet ${pending.walletId}`}>
      <h4>Register wallet {pending.walletId} (first use)</h4>
      <p>
        {visible(file)} is for a wallet of this key store that is not registered yet. Check each key below against a second source (the wallet’s
        KeyCard or its page on BitGo’s site), then type the <strong>last four characters</strong> of each key as that source shows them. The wallet must be
        unlocked: its user key is checked against the key store.
      </p>
      <dl className="registry-keys">
        {ROLES.map(({ role, words }) => (
          <div key={role} style={{ display: 'contents' }}>
            <dt>{words}</dt>
            <dd>
              <GroupedKey value={pending.xpubs[role]} />
              <span className="muted">Key fingerprint {pending.fingerprints[role]}</span>
            </dd>
          </div>
        ))}
      </dl>
      <label htmlFor={`${id}-label`}>Label</label>
      <input id={`${id}-label`} value={label} onChange={(e) => setLabel(e.target.value)} maxLength={80} autoFocus />
      <label htmlFor={`${id}-coin`}>Coin</label>
      <select id={`${id}-coin`} value={coin} onChange={(e) => setCoin(e.target.value as Coin | '')}>
        <option value="">Choose the coin…</option>
        {COINS.map((c) => (
          <option key={c} value={c}>
            {COIN_WORDS[c]}
          </option>
        ))}
      </select>
      {ROLES.map(({ role, words }) => (
        <div key={role}>
          <label htmlFor={`${id}-${role}`}>{words}: last four characters</label>
          <input
            id={`${id}-${role}`}
            value={typed[role]}
            onChange={(e) => setTyped({ ...typed, [role]: e.target.value })}
            maxLength={4}
            size={6}
            autoComplete="off"
            autoCorrect="off"
            autoCapitalize="off"
            spellCheck={false}
          />
        </div>
      ))}
      <div className="actions">
        <button type="submit" disabled={busy}>
          Register and import again
        </button>
      </div>
      <p className="error" role="alert">
        {error ?? ''}
      </p>
    </form>
  );
}
