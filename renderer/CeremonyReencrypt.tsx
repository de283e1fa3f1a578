// The key ceremony's "Change a key's passphrase" form (issue 15 item 5): a KeyCard box re-encrypted under a new
// passphrase or envelope and saved to a drive. A form of renderer/KeyCeremony.tsx.
import { useEffect, useId, useState, type FormEvent, type KeyboardEvent } from 'react';
import type { CeremonyProgressEvent, CeremonyReencryptView } from '../shared/contract';
import { passphraseStrength } from '../shared/passphrase-strength';
import { api } from './api';
import { DriveSelect, Progress, useDrives } from './CeremonyCommon';
import { useMain } from './useMain';

/**
 * Issue 15 item 5: a KeyCard box A or B (pasted) under a new passphrase, or from v1 to v2. Main opens it, encrypts it
 * anew, opens the new envelope again and only then writes it to a new file on the drive; the passphrases are sent
 * once and emptied here whatever happened.
 */
export function ReencryptKey() {
  const id = useId();
  const { busy, error, run } = useMain();
  const driveState = useDrives(run);
  const { driveId } = driveState;
  const [box, setBox] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [fresh, setFresh] = useState('');
  const [again, setAgain] = useState('');
  const [envelope, setEnvelope] = useState<1 | 2>(2);
  const [allowWeak, setAllowWeak] = useState(false);
  const [shown, setShown] = useState(false);
  const [capsLock, setCapsLock] = useState(false);
  const [progress, setProgress] = useState<CeremonyProgressEvent | null>(null);
  const [result, setResult] = useState<CeremonyReencryptView | null>(null);
  useEffect(() => api.on('ceremonyProgress', setProgress), []);
  const onKey = (e: KeyboardEvent<HTMLInputElement>) => setCapsLock(e.getModifierState('CapsLock'));
  const secretProps = { type: shown ? 'text' : 'password', autoComplete: 'off', autoCorrect: 'off', autoCapitalize: 'off', spellCheck: false, onKeyDown: onKey, onKeyUp: onKey, maxLength: 1024, disabled: busy } as const;
  const strength = fresh === '' ? null : passphraseStrength(fresh);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (busy || driveId === '') return;
    setResult(null);
    void run(async () => {
      try {
        setResult(await api.ceremonyReencrypt({ driveId, box: box.trim(), passphrase, newPassphrase: fresh, newPassphraseAgain: again, allowWeak, envelope }));
      } finally {
        setPassphrase('');
        setFresh('');
        setAgain('');
        setProgress(null);
      }
    });
  };
  return (
    <form onSubmit={submit} aria-labelledby="ceremony-reencrypt-title" className="ceremony-form">
      <h3 id="ceremony-reencrypt-title">Change a key's passphrase</h3>
      <p className="muted">Re-encrypts a KeyCard's box A or B under a new passphrase (or from v1 to v2). The new key is opened again before it is written to a new file on the drive; the old box stays valid until you destroy it.</p>
      <label htmlFor={`${id}-box`}>The box to re-encrypt (A or B, as printed)</label>
      <textarea id={`${id}-box`} rows={4} value={box} onChange={(e) => setBox(e.target.value)} maxLength={16384} spellCheck={false} disabled={busy} />
      <label htmlFor={`${id}-old`}>Its current passphrase</label>
      <input id={`${id}-old`} {...secretProps} value={passphrase} onChange={(e) => setPassphrase(e.target.value)} />
      <label htmlFor={`${id}-new`}>The new passphrase</label>
      <input id={`${id}-new`} {...secretProps} value={fresh} onChange={(e) => setFresh(e.target.value)} aria-describedby={`${id}-strength`} />
      <p id={`${id}-strength`} className="hint" aria-live="polite">
        {strength ? `Strength: ${strength.rating}, about ${strength.bits} bits${strength.refused ? ' — too weak for a key that guards funds' : ''}` : ''}
      </p>
      <label htmlFor={`${id}-again`}>The new passphrase again</label>
      <input id={`${id}-again`} {...secretProps} value={again} onChange={(e) => setAgain(e.target.value)} />
      <div className="actions">
        <button type="button" className="secondary" aria-pressed={shown} onClick={() => setShown((v) => !v)}>
          {shown ? 'Hide the passphrases' : 'Show the passphrases'}
        </button>
      </div>
      <p className="hint" aria-live="polite">
        {capsLock ? 'Caps Lock is on.' : ''}
      </p>
      <label htmlFor={`${id}-envelope`}>Encryption</label>
      <select id={`${id}-envelope`} value={envelope} onChange={(e) => setEnvelope(e.target.value === '1' ? 1 : 2)} disabled={busy}>
        <option value={2}>v2: Argon2id + AES-256-GCM (BitGo's current format)</option>
        <option value={1}>v1: SJCL (older BitGo format)</option>
      </select>
      <label className="choice">
        <input type="checkbox" checked={allowWeak} onChange={(e) => setAllowWeak(e.target.checked)} disabled={busy} /> Allow a weak passphrase (dangerous)
      </label>
      <DriveSelect id={`${id}-drive`} label="Drive for the new file" busy={busy} state={driveState} />
      <div className="actions">
        <button type="submit" disabled={busy || driveId === '' || box.trim() === '' || passphrase === '' || fresh === '' || again === ''}>
          {busy ? 'Re-encrypting…' : 'Re-encrypt and save to the drive'}
        </button>
      </div>
      <Progress progress={busy ? progress : null} />
      {result && (
        <div role="status" className="ceremony-ok">
          <p>
            Re-encrypted as v{result.envelope} (key fingerprint {result.fingerprint}), opened again with the new passphrase and saved to drive “{result.drive}”: <code>{result.file.name}</code> <span className="muted">sha256 {result.file.sha256}</span>
          </p>
          <p>
            Key: <code className="xpub">{result.xpub}</code>
          </p>
        </div>
      )}
      <p className="error" role="alert">
        {error ?? ''}
      </p>
    </form>
  );
}
