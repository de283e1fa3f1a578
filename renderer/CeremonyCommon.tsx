// Pieces shared by the key ceremony's forms (renderer/KeyCeremony.tsx and the forms split from it): main's progress
// line, the drive picker (the listed drives, the one chosen, a Refresh button), a heading that takes the focus, a
// form opened by a button, the secret fields' Show/Hide and Caps Lock warning (as on the unlock screen), the
// strength estimate of a new passphrase, new holders' passwords each typed twice, and a split's m, n and passwords.
import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent, type ReactNode } from 'react';
import type { CeremonyProgressEvent, DriveView } from '../shared/contract';
import { passphraseStrength } from '../shared/passphrase-strength';
import { api } from './api';
import type { useMain } from './useMain';

export function Progress({ progress }: { progress: CeremonyProgressEvent | null }) {
  if (!progress) return null;
  return (
    <p role="status" aria-live="polite">
      <progress max={progress.total} value={progress.done} aria-label="Key ceremony progress" /> {progress.step}
    </p>
  );
}

/** A count typed in a ceremony form (m, n of shards), as a whole number from `min` to 32. */
export const clampCount = (text: string, min: number): number => Math.max(min, Math.min(32, Math.floor(Number(text)) || min));

/** A ceremony form's submit button (its busy words while main works), with main's progress line under it. */
export function SubmitWithProgress({ busy, disabled, label, busyLabel, progress }: { busy: boolean; disabled: boolean; label: string; busyLabel: string; progress: CeremonyProgressEvent | null }) {
  return (
    <>
      <div className="actions">
        <button type="submit" disabled={busy || disabled}>
          {busy ? busyLabel : label}
        </button>
      </div>
      <Progress progress={busy ? progress : null} />
    </>
  );
}

/** Where a step's file went: "saved to drive “USB”<as>: <name> sha256 …", as every ceremony result says it. */
export function SavedOnDrive({ drive, file, as = '', capital = false }: { drive: string; file: { name: string; sha256: string }; as?: string; capital?: boolean }) {
  return (
    <>
      {capital ? 'Saved' : 'saved'} to drive “{drive}”{as}: <code>{file.name}</code> <span className="muted">sha256 {file.sha256}</span>
    </>
  );
}

/** A ceremony step that succeeded: its verdict (VERIFIED), what was done, and the key it holds. */
export function StepDone({ verdict, xpub, keyLabel = 'Key', children }: { verdict?: string; xpub?: string; keyLabel?: string; children: ReactNode }) {
  return (
    <div role="status" className="ceremony-ok">
      {verdict !== undefined ? <p className="ceremony-verdict">{verdict}</p> : null}
      <p>{children}</p>
      {xpub !== undefined ? (
        <p>
          {keyLabel}: <code className="xpub">{xpub}</code>
        </p>
      ) : null}
    </div>
  );
}

/** The listed drives and the one chosen, with a Refresh button (the export and re-encrypt forms). */
export function useDrives(run: ReturnType<typeof useMain>['run']) {
  const [drives, setDrives] = useState<DriveView[] | null>(null);
  const [driveId, setDriveId] = useState('');
  const load = async () => {
    const list = await api.listDrives();
    setDrives(list);
    setDriveId((d) => (list.some((x) => x.id === d) ? d : (list[0]?.id ?? '')));
  };
  const refresh = () => run(load);
  useEffect(() => {
    // Not busy: the form stays usable (and its tab order the same) while the list arrives.
    void run(load, { busy: false });
  }, []);
  return { drives, driveId, setDriveId, refresh };
}

export function DriveSelect({ id, label, busy, state }: { id: string; label: string; busy: boolean; state: ReturnType<typeof useDrives> }) {
  const { drives, driveId, setDriveId, refresh } = state;
  return (
    <>
      <label htmlFor={id}>{label}</label>
      <div className="actions">
        <select id={id} value={driveId} onChange={(e) => setDriveId(e.target.value)} disabled={busy || drives?.length === 0}>
          {drives === null ? (
            <option value="">Looking for drives…</option>
          ) : drives.length ? (
            drives.map((d) => (
              <option key={d.id} value={d.id}>
                {d.label}
              </option>
            ))
          ) : (
            <option value="">No drive found: plug one in</option>
          )}
        </select>
        <button type="button" className="secondary" onClick={() => void refresh()} disabled={busy}>
          Refresh drives
        </button>
      </div>
    </>
  );
}

/** A step's or a form's heading: it takes the focus when it appears, so the keyboard starts there. */
export function StepHeading({ id, children }: { id: string; children: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <h3 id={id} ref={ref} tabIndex={-1}>
      {children}
    </h3>
  );
}

/** A form behind a button (aria-expanded): opened, its heading (StepHeading) takes the focus. */
export function Opener({ label, children }: { label: string; children: ReactNode }) {
  const [open, setOpen] = useState(false);
  return (
    <div className="ceremony-tool">
      <div className="actions">
        <button type="button" className="secondary" aria-expanded={open} onClick={() => setOpen((v) => !v)}>
          {label}
        </button>
      </div>
      {open && children}
    </div>
  );
}

/** The props of a secret field, and its Show/Hide button and Caps Lock line (`what`: "the passwords"). */
export function useSecretInputs(busy: boolean) {
  const [shown, setShown] = useState(false);
  const [capsLock, setCapsLock] = useState(false);
  const onKey = (e: KeyboardEvent<HTMLInputElement>) => setCapsLock(e.getModifierState('CapsLock'));
  const props = { type: shown ? 'text' : 'password', autoComplete: 'off', autoCorrect: 'off', autoCapitalize: 'off', spellCheck: false, onKeyDown: onKey, onKeyUp: onKey, maxLength: 1024, disabled: busy } as const;
  /** The Show/Hide button alone ("Show" and "Hide" without `what`), for a field that keeps it on its own row. */
  const toggle = (what?: string) => (
    <button type="button" className="secondary" aria-pressed={shown} onClick={() => setShown((v) => !v)}>
      {`${shown ? 'Hide' : 'Show'}${what ? ` ${what}` : ''}`}
    </button>
  );
  const capsHint = (
    <p className="hint" aria-live="polite">
      {capsLock ? 'Caps Lock is on.' : ''}
    </p>
  );
  const controls = (what: string) => (
    <>
      <div className="actions">{toggle(what)}</div>
      {capsHint}
    </>
  );
  return { props, controls, toggle, capsHint };
}

/** The strength estimate of a new passphrase, as the create step shows it. */
export function StrengthHint({ id, value }: { id: string; value: string }) {
  const strength = value === '' ? null : passphraseStrength(value);
  return (
    <p id={id} className="hint" aria-live="polite">
      {strength ? `Strength: ${strength.rating}, about ${strength.bits} bits${strength.refused ? ' — too weak for a key that guards funds' : ''}` : ''}
    </p>
  );
}

type SecretProps = ReturnType<typeof useSecretInputs>['props'];

/** n new holders' passwords, each typed twice (labels "Password of new shard 2", "... again"). */
export function HolderPasswords({ id, n, word, values, again, setValues, setAgain, props }: { id: string; n: number; word: string; values: string[]; again: string[]; setValues: (f: (v: string[]) => string[]) => void; setAgain: (f: (v: string[]) => string[]) => void; props: SecretProps }) {
  return (
    <>
      {Array.from({ length: n }, (_, i) => (
        <div key={i} className="ceremony-form">
          <label htmlFor={`${id}-h${i}`}>{`Password of ${word} ${i + 1}`}</label>
          <input id={`${id}-h${i}`} {...props} value={values[i] ?? ''} onChange={(e) => setValues((p) => Object.assign([...p], { [i]: e.target.value }))} aria-describedby={`${id}-h${i}-strength`} />
          <StrengthHint id={`${id}-h${i}-strength`} value={values[i] ?? ''} />
          <label htmlFor={`${id}-h${i}-again`}>{`Password of ${word} ${i + 1} again`}</label>
          <input id={`${id}-h${i}-again`} {...props} value={again[i] ?? ''} onChange={(e) => setAgain((p) => Object.assign([...p], { [i]: e.target.value }))} />
        </div>
      ))}
    </>
  );
}

/** A split into new shards: m and n as typed, each new holder's password typed twice, the weak override. */
export function useNewShards() {
  const [m, setM] = useState('2');
  const [n, setN] = useState('3');
  const [passwords, setPasswords] = useState<string[]>([]);
  const [again, setAgain] = useState<string[]>([]);
  const [allowWeak, setAllowWeak] = useState(false);
  const count = clampCount(n, 2);
  const fill = (list: string[]) => Array.from({ length: count }, (_, i) => list[i] ?? '');
  return {
    m,
    setM,
    n,
    setN,
    passwords,
    setPasswords,
    again,
    setAgain,
    allowWeak,
    setAllowWeak,
    count,
    /** What main is sent: m clamped, one password and one repeat per shard (an untouched field as ''). */
    request: () => ({ m: clampCount(m, 2), passwords: fill(passwords), passwordsAgain: fill(again), allowWeak }),
    /** Empties the typed passwords (after the call, whatever happened). */
    forget: () => {
      setPasswords([]);
      setAgain([]);
    },
  };
}

/**
 * The fields of a split (make and reshard): m, n, the holders' passwords (labels "Password of <word> 2"), the
 * secret fields' Show/Hide and the weak override.
 */
export function NewShardFields({ id, labels, state, secret, busy }: { id: string; labels: { m: string; n: string; word: string; passwordsId: string }; state: ReturnType<typeof useNewShards>; secret: ReturnType<typeof useSecretInputs>; busy: boolean }) {
  return (
    <>
      <label htmlFor={`${id}-m`}>{labels.m}</label>
      <input id={`${id}-m`} type="number" min={2} max={32} value={state.m} onChange={(e) => state.setM(e.target.value)} disabled={busy} />
      <label htmlFor={`${id}-n`}>{labels.n}</label>
      <input id={`${id}-n`} type="number" min={2} max={32} value={state.n} onChange={(e) => state.setN(e.target.value)} disabled={busy} />
      <HolderPasswords id={labels.passwordsId} n={state.count} word={labels.word} values={state.passwords} again={state.again} setValues={state.setPasswords} setAgain={state.setAgain} props={secret.props} />
      {secret.controls('the passwords')}
      <WeakOverride what="weak passwords" allowWeak={state.allowWeak} setAllowWeak={state.setAllowWeak} busy={busy} />
    </>
  );
}

/** How many shards a pasted shard file holds (its seedShares), to offer one password field each; 0 if unreadable. */
export function shardCount(text: string): number {
  try {
    const v = JSON.parse(text) as { seedShares?: unknown };
    return Array.isArray(v.seedShares) ? Math.min(v.seedShares.length, 32) : 0;
  } catch {
    return 0;
  }
}

/** Main's progress events while a slow step (Argon2id, shards) runs; the form clears it when its call ends. */
export function useCeremonyProgress() {
  const [progress, setProgress] = useState<CeremonyProgressEvent | null>(null);
  useEffect(() => api.on('ceremonyProgress', setProgress), []);
  return [progress, setProgress] as const;
}

/** The "allow weak" override, named as the dangerous choice it is (`what`: "a weak passphrase", "weak passwords"). */
export function WeakOverride({ what, allowWeak, setAllowWeak, busy }: { what: string; allowWeak: boolean; setAllowWeak: (v: boolean) => void; busy: boolean }) {
  return (
    <label className="choice">
      <input type="checkbox" checked={allowWeak} onChange={(e) => setAllowWeak(e.target.checked)} disabled={busy} /> Allow {what} (dangerous)
    </label>
  );
}

export interface NewKeyState {
  fresh: string;
  setFresh: (v: string) => void;
  again: string;
  setAgain: (v: string) => void;
  envelope: 1 | 2;
  setEnvelope: (v: 1 | 2) => void;
  allowWeak: boolean;
  setAllowWeak: (v: boolean) => void;
  /** Clears the new passphrase and its repeat. */
  forget: () => void;
}

/** The state of a new passphrase typed twice, its envelope (v2 by default) and the weak override. */
export function useNewKey(): NewKeyState {
  const [fresh, setFresh] = useState('');
  const [again, setAgain] = useState('');
  const [envelope, setEnvelope] = useState<1 | 2>(2);
  const [allowWeak, setAllowWeak] = useState(false);
  const forget = () => {
    setFresh('');
    setAgain('');
  };
  return { fresh, setFresh, again, setAgain, envelope, setEnvelope, allowWeak, setAllowWeak, forget };
}

/**
 * Runs a ceremony step's call through `run` (busy, and its error on the form's line); then, whatever happened,
 * `forget` clears what the operator typed and the progress line: the secrets leave the page's state, and the
 * operator types them again after a failure.
 */
export function runThenForget(run: ReturnType<typeof useMain>['run'], call: () => Promise<void>, forget: () => void): void {
  void run(async () => {
    try {
      await call();
    } finally {
      forget();
    }
  });
}

/**
 * A form's one call to main with typed secrets: its result (cleared when a call starts) and `submitWith`, which
 * makes the form's submit handler: it calls only when `ready` and nothing else runs, then `forget` empties the typed
 * secrets whatever happened (runThenForget).
 */
export function useSecretCall<T>(busy: boolean, run: ReturnType<typeof useMain>['run']) {
  const [result, setResult] = useState<T | null>(null);
  const submitWith = (ready: boolean, call: () => Promise<T>, forget: () => void) => (e: FormEvent) => {
    e.preventDefault();
    if (busy || !ready) return;
    setResult(null);
    runThenForget(run, async () => setResult(await call()), forget);
  };
  return { result, submitWith };
}

/**
 * A key's new passphrase typed twice with its strength, the secret fields' Show/Hide (`what`), the envelope (v2 or
 * v1) and the weak override: the re-encrypt, key-file and recombine forms.
 */
export function NewKeyFields({ id, label, what, state, secret, busy }: { id: string; label: string; what: string; state: NewKeyState; secret: ReturnType<typeof useSecretInputs>; busy: boolean }) {
  const { fresh, setFresh, again, setAgain, envelope, setEnvelope, allowWeak, setAllowWeak } = state;
  return (
    <>
      <label htmlFor={`${id}-new`}>{label}</label>
      <input id={`${id}-new`} {...secret.props} value={fresh} onChange={(e) => setFresh(e.target.value)} aria-describedby={`${id}-strength`} />
      <StrengthHint id={`${id}-strength`} value={fresh} />
      <label htmlFor={`${id}-again`}>The new passphrase again</label>
      <input id={`${id}-again`} {...secret.props} value={again} onChange={(e) => setAgain(e.target.value)} />
      {secret.controls(what)}
      <label htmlFor={`${id}-envelope`}>Encryption</label>
      <select id={`${id}-envelope`} value={envelope} onChange={(e) => setEnvelope(e.target.value === '1' ? 1 : 2)} disabled={busy}>
        <option value={2}>v2: Argon2id + AES-256-GCM (BitGo's current format)</option>
        <option value={1}>v1: SJCL (older BitGo format)</option>
      </select>
      <WeakOverride what="a weak passphrase" allowWeak={allowWeak} setAllowWeak={setAllowWeak} busy={busy} />
    </>
  );
}

/** A form's error line: main's failure in the operator's words, announced (empty when there is none). */
export function ErrorLine({ error }: { error: string | null }) {
  return (
    <p className="error" role="alert">
      {error ?? ''}
    </p>
  );
}
