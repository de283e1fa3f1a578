// The passphrase form of a locked key (a wallet, or the receipt key): the passphrase goes to main once through the
// `unlock` given and the field is emptied; main's wait after wrong passphrases is counted down with Unlock disabled.
import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { useMain } from './useMain';

/** Main's wait after wrong passphrases, checked before use: a whole number of ms, at most main's 60 s cap. */
export function retryDeadline(retryInMs: number | undefined, now: number): number | null {
  if (typeof retryInMs !== 'number' || !Number.isInteger(retryInMs) || retryInMs <= 0 || retryInMs > 60_000) return null;
  return now + retryInMs;
}

export function UnlockForm({ name, retryInMs, unlock, onChanged, onUnlocked }: { name: string; retryInMs: number | undefined; unlock: (passphrase: string) => Promise<unknown>; onChanged: () => void; onUnlocked?: () => void }) {
  const id = useId();
  // Main's wait (each status refresh brings it): Unlock stays disabled and a countdown shows until it ends.
  const [deadline, setDeadline] = useState<number | null>(null);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => setDeadline(retryDeadline(retryInMs, Date.now())), [retryInMs]);
  useEffect(() => {
    if (deadline === null) return;
    const t = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(t);
  }, [deadline]);
  const waitS = deadline !== null && deadline > now ? Math.ceil((deadline - now) / 1000) : 0;
  const [passphrase, setPassphrase] = useState('');
  const [shown, setShown] = useState(false);
  const [capsLock, setCapsLock] = useState(false);
  const { busy, error, run, setError } = useMain();
  const input = useRef<HTMLInputElement>(null);

  // After a failed attempt the field gets the focus back, its text selected to retype. Only once it is enabled
  // again: a disabled field cannot take the focus (focusing it while `busy` silently did nothing).
  useEffect(() => {
    if (error !== null && !busy) {
      input.current?.focus();
      input.current?.select();
    }
  }, [error, busy]);
  const onKey = (e: KeyboardEvent<HTMLInputElement>) => setCapsLock(e.getModifierState('CapsLock'));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (passphrase === '' || busy || waitS > 0) return;
    // Emptied first: the same words after another wrong passphrase are then a change, announced again.
    setError(null);
    const unlocked = await run(async () => {
      await unlock(passphrase);
      setPassphrase('');
      onChanged();
      onUnlocked?.();
    });
    // A wrong passphrase starts main's wait: read it (the key's view carries it) to count it down.
    if (!unlocked) onChanged();
  };

  return (
    <form className="unlock" onSubmit={submit} aria-label={`Unlock ${name}`}>
      <label htmlFor={`${id}-pass`}>Passphrase</label>
      <div className="unlock-row">
        <input
          id={`${id}-pass`}
          ref={input}
          type={shown ? 'text' : 'password'}
          value={passphrase}
          onChange={(e) => setPassphrase(e.target.value)}
          onKeyDown={onKey}
          onKeyUp={onKey}
          autoComplete="off"
          autoCorrect="off"
          autoCapitalize="off"
          spellCheck={false}
          maxLength={1024}
          aria-describedby={`${id}-hint ${id}-error`}
          aria-invalid={error !== null}
          disabled={busy}
        />
        <button type="button" className="secondary" aria-pressed={shown} onClick={() => setShown((s) => !s)}>
          {shown ? 'Hide' : 'Show'}
        </button>
        <button type="submit" disabled={busy || passphrase === '' || waitS > 0}>
          {busy ? 'Unlocking…' : 'Unlock'}
        </button>
      </div>
      {waitS > 0 && (
        <p className="countdown" role="timer" aria-live="off">
          Wait {waitS} s before trying again (after a wrong passphrase).
        </p>
      )}
      <p id={`${id}-hint`} className="hint" aria-live="polite">
        {capsLock ? 'Caps Lock is on.' : ''}
      </p>
      <p id={`${id}-error`} className="error" role="alert">
        {error ?? ''}
      </p>
    </form>
  );
}
