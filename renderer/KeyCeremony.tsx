// The "Key ceremony" section (issue 15; README "Key ceremony"): 1 self-test, 2 new user and backup keys from dice
// and a passphrase typed twice, 3 the KeyCard onto a drive. Step by step, keyboard-usable: each step is a form,
// its heading takes the focus when it opens, slow steps show main's progress. The dice and passphrases go to main
// once, on submit, and the fields are emptied; only public data (xpubs, the dice hash, file names) comes back.
import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import type { CeremonyAuditView, CeremonyExportView, CeremonyProgressEvent, CeremonyReencryptView, CeremonyShardsVerifyView, CeremonySelfTestView, CeremonyView, DriveView, KeyCardSaved } from '../shared/contract';
import { passphraseStrength } from '../shared/passphrase-strength';
import { api } from './api';
import { drawQr } from './QrShow';
import { useMain } from './useMain';

type Step = 'selftest' | 'create' | 'keycard';
const COINS = [
  { value: 'btc', label: 'Bitcoin (btc)' },
  { value: 'tbtc4', label: 'Bitcoin testnet4 (tbtc4)' },
  { value: 'tbtc', label: 'Bitcoin testnet3 (tbtc)' },
] as const;

function StepHeading({ id, children }: { id: string; children: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <h3 id={id} ref={ref} tabIndex={-1}>
      {children}
    </h3>
  );
}

function Progress({ progress }: { progress: CeremonyProgressEvent | null }) {
  if (!progress) return null;
  return (
    <p role="status" aria-live="polite">
      <progress max={progress.total} value={progress.done} aria-label="Key ceremony progress" /> {progress.step}
    </p>
  );
}

function SelfTestStep({ onPassed }: { onPassed: () => void }) {
  const { busy, error, run } = useMain();
  const [result, setResult] = useState<CeremonySelfTestView | null>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => setResult(await api.ceremonySelfTest()));
  };
  return (
    <form onSubmit={submit} aria-labelledby="ceremony-step-selftest">
      <StepHeading id="ceremony-step-selftest">Step 1 of 3: self-test</StepHeading>
      <p className="muted">The random number generator's statistics (FIPS 140-2) and known answers of every function a new key passes through.</p>
      <div className="actions">
        <button type="submit" disabled={busy}>
          {busy ? 'Testing…' : 'Run the self-test'}
        </button>
        {result?.ok && (
          <button type="button" onClick={onPassed}>
            Continue to step 2
          </button>
        )}
      </div>
      {result && (
        <>
          <p role="status" className={result.ok ? 'ceremony-ok' : 'stop'}>
            {result.ok ? 'Self-test passed.' : 'Self-test FAILED: run it once more; if it fails again, do not create keys on this computer.'}
          </p>
          <ul className="ceremony-checks">
            {result.checks.map((c) => (
              <li key={c.name}>
                <strong>{c.ok ? 'ok' : 'FAILED'}</strong> {c.name}: <span className="muted">{c.detail}</span>
              </li>
            ))}
          </ul>
        </>
      )}
      <p className="error" role="alert">
        {error ?? ''}
      </p>
    </form>
  );
}

function CreateStep({ onCreated }: { onCreated: (v: CeremonyView) => void }) {
  const id = useId();
  const { busy, error, run } = useMain();
  const [label, setLabel] = useState('');
  const [coin, setCoin] = useState<(typeof COINS)[number]['value']>('btc');
  const [dice, setDice] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [again, setAgain] = useState('');
  const [allowWeak, setAllowWeak] = useState(false);
  // As on the unlock screen: a Show/Hide toggle and a Caps Lock warning on the secret fields.
  const [shown, setShown] = useState(false);
  const [capsLock, setCapsLock] = useState(false);
  const onKey = (e: KeyboardEvent<HTMLInputElement>) => setCapsLock(e.getModifierState('CapsLock'));
  const secretProps = { type: shown ? 'text' : 'password', autoComplete: 'off', autoCorrect: 'off', autoCapitalize: 'off', spellCheck: false, onKeyDown: onKey, onKeyUp: onKey } as const;
  const [progress, setProgress] = useState<CeremonyProgressEvent | null>(null);
  useEffect(() => api.on('ceremonyProgress', setProgress), []);
  const rolls = dice.replace(/\s/g, '').length;
  const strength = passphrase === '' ? null : passphraseStrength(passphrase);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    void run(async () => {
      try {
        const view = await api.ceremonyCreate({ label: label.trim(), coin, dice, passphrase, passphraseAgain: again, allowWeak });
        onCreated(view);
      } finally {
        // The secrets leave the page's state whatever happened; the operator types them again after a failure.
        setDice('');
        setPassphrase('');
        setAgain('');
        setProgress(null);
      }
    });
  };
  return (
    <form onSubmit={submit} aria-labelledby="ceremony-step-create" className="ceremony-form">
      <StepHeading id="ceremony-step-create">Step 2 of 3: new user and backup keys</StepHeading>
      <label htmlFor={`${id}-label`}>Wallet name</label>
      <input id={`${id}-label`} value={label} onChange={(e) => setLabel(e.target.value)} maxLength={100} required disabled={busy} />
      <label htmlFor={`${id}-coin`}>Coin</label>
      <select id={`${id}-coin`} value={coin} onChange={(e) => setCoin(e.target.value as typeof coin)} disabled={busy}>
        {COINS.map((c) => (
          <option key={c.value} value={c.value}>
            {c.label}
          </option>
        ))}
      </select>
      <label htmlFor={`${id}-dice`}>Dice rolls (digits 1 to 6, at least 99; not shown)</label>
      <input id={`${id}-dice`} {...secretProps} inputMode="numeric" value={dice} onChange={(e) => setDice(e.target.value)} maxLength={1000} aria-describedby={`${id}-dice-count`} disabled={busy} />
      <p id={`${id}-dice-count`} className="hint" aria-live="polite">
        {rolls} of 99 rolls
      </p>
      <label htmlFor={`${id}-pass`}>Wallet passphrase (encrypts both keys)</label>
      <input id={`${id}-pass`} {...secretProps} value={passphrase} onChange={(e) => setPassphrase(e.target.value)} maxLength={1024} aria-describedby={`${id}-strength`} disabled={busy} />
      <p id={`${id}-strength`} className="hint" aria-live="polite">
        {strength ? `Strength: ${strength.rating}, about ${strength.bits} bits${strength.refused ? ' — too weak for a key that guards funds' : ''}${strength.notes.length ? ` (${strength.notes.join('; ')})` : ''}` : ''}
      </p>
      <label htmlFor={`${id}-again`}>The passphrase again</label>
      <input id={`${id}-again`} {...secretProps} value={again} onChange={(e) => setAgain(e.target.value)} maxLength={1024} disabled={busy} />
      <div className="actions">
        <button type="button" className="secondary" aria-pressed={shown} onClick={() => setShown((v) => !v)}>
          {shown ? 'Hide the dice and passphrases' : 'Show the dice and passphrases'}
        </button>
      </div>
      <p className="hint" aria-live="polite">
        {capsLock ? 'Caps Lock is on.' : ''}
      </p>
      <label className="choice">
        <input type="checkbox" checked={allowWeak} onChange={(e) => setAllowWeak(e.target.checked)} disabled={busy} /> Allow a weak passphrase (dangerous)
      </label>
      <div className="actions">
        <button type="submit" disabled={busy || label.trim() === '' || dice === '' || passphrase === '' || again === ''}>
          {busy ? 'Creating…' : 'Create the keys'}
        </button>
      </div>
      <Progress progress={busy ? progress : null} />
      <p className="error" role="alert">
        {error ?? ''}
      </p>
    </form>
  );
}

function KeyCardStep({ view }: { view: CeremonyView }) {
  const id = useId();
  const { busy, error, run } = useMain();
  const [drives, setDrives] = useState<DriveView[] | null>(null);
  const [driveId, setDriveId] = useState('');
  const [bitgo, setBitgo] = useState('');
  const [saved, setSaved] = useState<KeyCardSaved[]>([]);
  const refresh = () =>
    run(async () => {
      const list = await api.listDrives();
      setDrives(list);
      setDriveId((d) => (list.some((x) => x.id === d) ? d : (list[0]?.id ?? '')));
    });
  useEffect(() => {
    void refresh();
  }, []);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (driveId === '' || busy) return;
    void run(async () => {
      const r = await api.ceremonySaveKeyCard(driveId, bitgo.trim());
      setSaved((s) => [...s, r]);
    });
  };
  return (
    <form onSubmit={submit} aria-labelledby="ceremony-step-keycard" className="ceremony-form">
      <StepHeading id="ceremony-step-keycard">Step 3 of 3: the KeyCard</StepHeading>
      <dl className="facts" aria-label="The new keys">
        <dt>Wallet</dt>
        <dd>
          {view.label} ({view.coin})
        </dd>
        <dt>User key</dt>
        <dd>
          <code className="xpub">{view.xpubs.user}</code>
        </dd>
        <dt>Backup key</dt>
        <dd>
          <code className="xpub">{view.xpubs.backup}</code>
        </dd>
        <dt>Dice</dt>
        <dd>
          {view.dice.rolls} rolls, {view.dice.bits} bits; SHA-256 <code className="address">{view.dice.sha256}</code>
        </dd>
      </dl>
      <label htmlFor={`${id}-drive`}>Drive</label>
      <div className="actions">
        <select id={`${id}-drive`} value={driveId} onChange={(e) => setDriveId(e.target.value)} disabled={busy || !drives?.length}>
          {drives?.length ? (
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
      <label htmlFor={`${id}-bitgo`}>BitGo's xpub (box C; leave empty until BitGo has made the wallet)</label>
      <input id={`${id}-bitgo`} value={bitgo} onChange={(e) => setBitgo(e.target.value)} maxLength={200} spellCheck={false} autoComplete="off" disabled={busy} />
      <div className="actions">
        <button type="submit" disabled={busy || driveId === ''}>
          {busy ? 'Saving…' : 'Save the KeyCard to the drive'}
        </button>
      </div>
      {saved.map((s, i) => (
        <div key={i} role="status" className="ceremony-ok">
          <p>
            Saved to drive “{s.drive}” (boxes {s.boxes.join(', ')}):
          </p>
          <ul>
            {s.files.map((f) => (
              <li key={f.name}>
                <code>{f.name}</code> <span className="muted">sha256 {f.sha256}</span>
              </li>
            ))}
          </ul>
        </div>
      ))}
      <p className="error" role="alert">
        {error ?? ''}
      </p>
    </form>
  );
}

/** The listed drives and the one chosen, with a Refresh button (the export and re-encrypt forms). */
function useDrives(run: ReturnType<typeof useMain>['run']) {
  const [drives, setDrives] = useState<DriveView[] | null>(null);
  const [driveId, setDriveId] = useState('');
  const refresh = () =>
    run(async () => {
      const list = await api.listDrives();
      setDrives(list);
      setDriveId((d) => (list.some((x) => x.id === d) ? d : (list[0]?.id ?? '')));
    });
  useEffect(() => {
    void refresh();
  }, []);
  return { drives, driveId, setDriveId, refresh };
}

function DriveSelect({ id, label, busy, state }: { id: string; label: string; busy: boolean; state: ReturnType<typeof useDrives> }) {
  const { drives, driveId, setDriveId, refresh } = state;
  return (
    <>
      <label htmlFor={id}>{label}</label>
      <div className="actions">
        <select id={id} value={driveId} onChange={(e) => setDriveId(e.target.value)} disabled={busy || !drives?.length}>
          {drives?.length ? (
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

/**
 * Issue 15 item 7: the public export for the online side onto a drive and as a QR code on screen. Without BitGo's
 * xpub it carries the user and backup xpubs (what BitGo is given to make the wallet); with it, the user key (opened
 * in main with the wallet passphrase, which is never returned) signs the backup and BitGo xpubs (keySignatures).
 */
function PublicExportStep() {
  const id = useId();
  const { busy, error, run } = useMain();
  const driveState = useDrives(run);
  const { driveId } = driveState;
  const [bitgo, setBitgo] = useState('');
  const [walletId, setWalletId] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [shown, setShown] = useState(false);
  const [capsLock, setCapsLock] = useState(false);
  const [result, setResult] = useState<CeremonyExportView | null>(null);
  const [progress, setProgress] = useState<CeremonyProgressEvent | null>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const onKey = (e: KeyboardEvent<HTMLInputElement>) => setCapsLock(e.getModifierState('CapsLock'));
  useEffect(() => api.on('ceremonyProgress', setProgress), []);
  useEffect(() => {
    if (result && canvas.current) drawQr(canvas.current, result.text);
  }, [result]);
  const withBitgo = bitgo.trim() !== '';
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (driveId === '' || busy) return;
    setResult(null);
    void run(async () => {
      try {
        setResult(
          await api.ceremonyExport({
            driveId,
            ...(withBitgo ? { bitgoXpub: bitgo.trim() } : {}),
            ...(walletId.trim() !== '' ? { walletId: walletId.trim() } : {}),
            ...(passphrase !== '' ? { passphrase } : {}),
          }),
        );
      } finally {
        setPassphrase('');
        setProgress(null);
      }
    });
  };
  return (
    <form onSubmit={submit} aria-labelledby="ceremony-step-export" className="ceremony-form">
      <h3 id="ceremony-step-export">The public export for the online side</h3>
      <p className="muted">The xpubs as a file on the drive and a QR code. Once BitGo has made the wallet, enter its xpub: the user key then signs the backup and BitGo keys (keySignatures).</p>
      <DriveSelect id={`${id}-drive`} label="Drive for the export" busy={busy} state={driveState} />
      <label htmlFor={`${id}-bitgo`}>BitGo's key (its xpub) for the export: empty before BitGo has made the wallet</label>
      <input id={`${id}-bitgo`} value={bitgo} onChange={(e) => setBitgo(e.target.value)} maxLength={200} spellCheck={false} autoComplete="off" disabled={busy} />
      <label htmlFor={`${id}-wallet`}>BitGo's wallet id (optional, with BitGo's xpub)</label>
      <input id={`${id}-wallet`} value={walletId} onChange={(e) => setWalletId(e.target.value)} maxLength={64} spellCheck={false} autoComplete="off" disabled={busy || !withBitgo} />
      <label htmlFor={`${id}-pass`}>The wallet passphrase (opens the user key to sign; with BitGo's xpub)</label>
      <div className="unlock-row">
        <input id={`${id}-pass`} type={shown ? 'text' : 'password'} value={passphrase} onChange={(e) => setPassphrase(e.target.value)} onKeyDown={onKey} onKeyUp={onKey} autoComplete="off" autoCorrect="off" autoCapitalize="off" spellCheck={false} maxLength={1024} disabled={busy || !withBitgo} />
        <button type="button" className="secondary" aria-pressed={shown} onClick={() => setShown((v) => !v)} disabled={!withBitgo}>
          {shown ? 'Hide' : 'Show'}
        </button>
      </div>
      <p className="hint" aria-live="polite">
        {capsLock ? 'Caps Lock is on.' : ''}
      </p>
      <div className="actions">
        <button type="submit" disabled={busy || driveId === '' || (withBitgo && passphrase === '')}>
          {busy ? 'Exporting…' : 'Save the public export and show its QR code'}
        </button>
      </div>
      <Progress progress={busy ? progress : null} />
      {result && (
        <div role="status" className="ceremony-ok">
          <p>
            Saved to drive “{result.drive}”: <code>{result.file.name}</code> <span className="muted">sha256 {result.file.sha256}</span>
            {result.keySignatures ? ' (with keySignatures)' : ''}
          </p>
        </div>
      )}
      {result && <canvas ref={canvas} role="img" aria-label={`QR code of the public export ${result.file.name}`} />}
      <p className="error" role="alert">
        {error ?? ''}
      </p>
    </form>
  );
}

/** Issue 15 item 4: a KeyCard box A or B (pasted or typed), its passphrase and the published xpub: MATCH or MISMATCH, large. */
function AuditKey() {
  const id = useId();
  const { busy, error, run } = useMain();
  const [box, setBox] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [xpub, setXpub] = useState('');
  const [shown, setShown] = useState(false);
  const [capsLock, setCapsLock] = useState(false);
  const [result, setResult] = useState<CeremonyAuditView | null>(null);
  const onKey = (e: KeyboardEvent<HTMLInputElement>) => setCapsLock(e.getModifierState('CapsLock'));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    setResult(null);
    void run(async () => {
      try {
        setResult(await api.ceremonyAudit(box.trim(), passphrase, xpub.trim()));
      } finally {
        setPassphrase('');
      }
    });
  };
  return (
    <form onSubmit={submit} aria-labelledby="ceremony-audit-title" className="ceremony-form">
      <h3 id="ceremony-audit-title">Audit a key</h3>
      <p className="muted">Opens a KeyCard's box A or B with its passphrase and compares the key with the published xpub.</p>
      <label htmlFor={`${id}-box`}>Box A or B (the encrypted key, as printed)</label>
      <textarea id={`${id}-box`} rows={4} value={box} onChange={(e) => setBox(e.target.value)} maxLength={16384} spellCheck={false} disabled={busy} />
      <label htmlFor={`${id}-pass`}>Its passphrase</label>
      <div className="unlock-row">
        <input id={`${id}-pass`} type={shown ? 'text' : 'password'} value={passphrase} onChange={(e) => setPassphrase(e.target.value)} onKeyDown={onKey} onKeyUp={onKey} autoComplete="off" autoCorrect="off" autoCapitalize="off" spellCheck={false} maxLength={1024} disabled={busy} />
        <button type="button" className="secondary" aria-pressed={shown} onClick={() => setShown((v) => !v)}>
          {shown ? 'Hide' : 'Show'}
        </button>
      </div>
      <p className="hint" aria-live="polite">
        {capsLock ? 'Caps Lock is on.' : ''}
      </p>
      <label htmlFor={`${id}-xpub`}>The published xpub</label>
      <input id={`${id}-xpub`} value={xpub} onChange={(e) => setXpub(e.target.value)} maxLength={200} spellCheck={false} autoComplete="off" disabled={busy} />
      <div className="actions">
        <button type="submit" disabled={busy || box.trim() === '' || passphrase === '' || xpub.trim() === ''}>
          {busy ? 'Opening the key…' : 'Audit the key'}
        </button>
      </div>
      {result && (
        <div role="status" className={result.match ? 'ceremony-ok' : 'stop'}>
          <p className="ceremony-verdict">{result.match ? 'MATCH' : 'MISMATCH'}</p>
          <p>
            {result.match ? `The key is the published key (fingerprint ${result.fingerprint}).` : `The key (fingerprint ${result.fingerprint}) is NOT the published key (fingerprint ${result.publishedFingerprint}).`}
          </p>
          {!result.match && (
            <p>
              Decrypted: <code className="xpub">{result.xpub}</code>
            </p>
          )}
        </div>
      )}
      <p className="error" role="alert">
        {error ?? ''}
      </p>
    </form>
  );
}

/**
 * Issue 15 item 5: a KeyCard box A or B (pasted) under a new passphrase, or from v1 to v2. Main opens it, encrypts it
 * anew, opens the new envelope again and only then writes it to a new file on the drive; the passphrases are sent
 * once and emptied here whatever happened.
 */
function ReencryptKey() {
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

/** How many shards a pasted shard file holds (its seedShares), to offer one password field each; 0 if unreadable. */
function shardCount(text: string): number {
  try {
    const v = JSON.parse(text) as { seedShares?: unknown };
    return Array.isArray(v.seedShares) ? Math.min(v.seedShares.length, 32) : 0;
  } catch {
    return 0;
  }
}

/**
 * Issue 15 item 6: a shard file (BitGo's splitSecret output) pasted and every holder's password; main runs BitGo's
 * verifyShards (every m-of-n combination must rebuild the file's key). The passwords are emptied after each try.
 */
function VerifyShards() {
  const id = useId();
  const { busy, error, run } = useMain();
  const [shards, setShards] = useState('');
  const [passwords, setPasswords] = useState<string[]>([]);
  const [xpub, setXpub] = useState('');
  const [shown, setShown] = useState(false);
  const [capsLock, setCapsLock] = useState(false);
  const [progress, setProgress] = useState<CeremonyProgressEvent | null>(null);
  const [result, setResult] = useState<CeremonyShardsVerifyView | null>(null);
  useEffect(() => api.on('ceremonyProgress', setProgress), []);
  const onKey = (e: KeyboardEvent<HTMLInputElement>) => setCapsLock(e.getModifierState('CapsLock'));
  const n = shardCount(shards.trim());
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (busy || n === 0) return;
    setResult(null);
    void run(async () => {
      try {
        setResult(await api.ceremonyVerifyShards({ shards: shards.trim(), passwords: Array.from({ length: n }, (_, i) => passwords[i] ?? ''), ...(xpub.trim() !== '' ? { publishedXpub: xpub.trim() } : {}) }));
      } finally {
        setPasswords([]);
        setProgress(null);
      }
    });
  };
  return (
    <form onSubmit={submit} aria-labelledby="ceremony-shards-title" className="ceremony-form">
      <h3 id="ceremony-shards-title">Verify shards</h3>
      <p className="muted">Opens every shard of a shard file with its holder's password and checks that every combination of enough holders rebuilds the same key, as BitGo's verifyShards does.</p>
      <label htmlFor={`${id}-file`}>The shard file (as written: xpub, m, n, seedShares)</label>
      <textarea id={`${id}-file`} rows={4} value={shards} onChange={(e) => setShards(e.target.value)} maxLength={262144} spellCheck={false} disabled={busy} aria-describedby={`${id}-count`} />
      <p id={`${id}-count`} className="hint" aria-live="polite">
        {shards.trim() === '' ? '' : n === 0 ? 'This is not a shard file (no seedShares found).' : `${n} shards: one password for each holder.`}
      </p>
      {Array.from({ length: n }, (_, i) => (
        <div key={i}>
          <label htmlFor={`${id}-pw-${i}`}>{`Password of shard ${i + 1}`}</label>
          <input
            id={`${id}-pw-${i}`}
            type={shown ? 'text' : 'password'}
            value={passwords[i] ?? ''}
            onChange={(e) => setPasswords((p) => Object.assign([...p], { [i]: e.target.value }))}
            onKeyDown={onKey}
            onKeyUp={onKey}
            autoComplete="off"
            autoCorrect="off"
            autoCapitalize="off"
            spellCheck={false}
            maxLength={1024}
            disabled={busy}
          />
        </div>
      ))}
      {n > 0 && (
        <div className="actions">
          <button type="button" className="secondary" aria-pressed={shown} onClick={() => setShown((v) => !v)}>
            {shown ? 'Hide the passwords' : 'Show the passwords'}
          </button>
        </div>
      )}
      <p className="hint" aria-live="polite">
        {capsLock ? 'Caps Lock is on.' : ''}
      </p>
      <label htmlFor={`${id}-xpub`}>The published xpub (optional; the file's own otherwise)</label>
      <input id={`${id}-xpub`} value={xpub} onChange={(e) => setXpub(e.target.value)} maxLength={200} spellCheck={false} autoComplete="off" disabled={busy} />
      <div className="actions">
        <button type="submit" disabled={busy || n === 0}>
          {busy ? 'Verifying…' : 'Verify the shards'}
        </button>
      </div>
      <Progress progress={busy ? progress : null} />
      {result && (
        <div role="status" className="ceremony-ok">
          <p className="ceremony-verdict">VERIFIED</p>
          <p>
            All {result.n} shards opened; every one of the {result.combinations} combinations of {result.m} rebuilds the key <code className="xpub">{result.xpub}</code>.
          </p>
        </div>
      )}
      <p className="error" role="alert">
        {error ?? ''}
      </p>
    </form>
  );
}

export function KeyCeremony() {
  const [step, setStep] = useState<Step>('selftest');
  const [view, setView] = useState<CeremonyView | null>(null);
  return (
    <section aria-labelledby="ceremony-title" className="ceremony">
      <h2 id="ceremony-title">Key ceremony</h2>
      <p className="muted">Create a new BitGo wallet's user and backup keys on this computer and print their KeyCard. More steps (two-laptop check, making and recombining shards, a key file entry's passphrase) are on the command line: offline-signer ceremony --help.</p>
      {step === 'selftest' && <SelfTestStep onPassed={() => setStep('create')} />}
      {step === 'create' && (
        <CreateStep
          onCreated={(v) => {
            setView(v);
            setStep('keycard');
          }}
        />
      )}
      {step === 'keycard' && view && <KeyCardStep view={view} />}
      {step === 'keycard' && view && <PublicExportStep />}
      <AuditKey />
      <ReencryptKey />
      <VerifyShards />
    </section>
  );
}
