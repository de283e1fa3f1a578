// The "Key ceremony" section (issue 15; README "Key ceremony"): 1 self-test, 2 new user and backup keys from dice
// and a passphrase typed twice, 3 the KeyCard onto a drive. Step by step, keyboard-usable: each step is a form,
// its heading takes the focus when it opens, slow steps show main's progress. The dice and passphrases go to main
// once, on submit, and the fields are emptied; only public data (xpubs, the dice hash, file names) comes back.
// The public export, re-encrypt and verify-shards forms are in CeremonyExport, CeremonyReencrypt and CeremonyShards.tsx.
import { useId, useState, type FormEvent } from 'react';
import type { CeremonyAuditView, CeremonySelfTestView, CeremonyView, KeyCardSaved } from '../shared/contract';
import { passphraseStrength } from '../shared/passphrase-strength';
import { api } from './api';
import { DriveSelect, ErrorLine, Opener, runThenForget, StepHeading, SubmitWithProgress, useCeremonyProgress, useDrives, useSecretCall, useSecretInputs, WeakOverride } from './CeremonyCommon';
import { PublicExportStep } from './CeremonyExport';
import { ReencryptKey } from './CeremonyReencrypt';
import { VerifyShards } from './CeremonyShards';
import { SaveComputerEntropy, TwoLaptopCheck } from './CeremonyCheck';
import { ReencryptKeyFileEntry } from './CeremonyKeyFile';
import { MakeShards } from './CeremonyShardsMake';
import { RecombineShards, ReshardShards } from './CeremonyShardsRebuild';
import { useMain } from './useMain';

type Step = 'selftest' | 'create' | 'keycard';
const COINS = [
  { value: 'btc', label: 'Bitcoin (btc)' },
  { value: 'tbtc4', label: 'Bitcoin testnet4 (tbtc4)' },
  { value: 'tbtc', label: 'Bitcoin testnet3 (tbtc)' },
] as const;

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
      <ErrorLine error={error} />
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
  const secret = useSecretInputs(busy);
  const [progress, setProgress] = useCeremonyProgress();
  const rolls = dice.replace(/\s/g, '').length;
  const strength = passphrase === '' ? null : passphraseStrength(passphrase);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    runThenForget(
      run,
      async () => onCreated(await api.ceremonyCreate({ label: label.trim(), coin, dice, passphrase, passphraseAgain: again, allowWeak })),
      () => {
        setDice('');
        setPassphrase('');
        setAgain('');
        setProgress(null);
      },
    );
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
      <input id={`${id}-dice`} {...secret.props} inputMode="numeric" value={dice} onChange={(e) => setDice(e.target.value)} maxLength={1000} aria-describedby={`${id}-dice-count`} />
      <p id={`${id}-dice-count`} className="hint" aria-live="polite">
        {rolls} of 99 rolls
      </p>
      <label htmlFor={`${id}-pass`}>Wallet passphrase (encrypts both keys)</label>
      <input id={`${id}-pass`} {...secret.props} value={passphrase} onChange={(e) => setPassphrase(e.target.value)} aria-describedby={`${id}-strength`} />
      <p id={`${id}-strength`} className="hint" aria-live="polite">
        {strength ? `Strength: ${strength.rating}, about ${strength.bits} bits${strength.refused ? ' — too weak for a key that guards funds' : ''}${strength.notes.length ? ` (${strength.notes.join('; ')})` : ''}` : ''}
      </p>
      <label htmlFor={`${id}-again`}>The passphrase again</label>
      <input id={`${id}-again`} {...secret.props} value={again} onChange={(e) => setAgain(e.target.value)} />
      {secret.controls('the dice and passphrases')}
      <WeakOverride what="a weak passphrase" allowWeak={allowWeak} setAllowWeak={setAllowWeak} busy={busy} />
      <SubmitWithProgress busy={busy} disabled={label.trim() === '' || dice === '' || passphrase === '' || again === ''} busyLabel="Creating…" label="Create the keys" progress={progress} />
      <ErrorLine error={error} />
    </form>
  );
}

function KeyCardStep({ view }: { view: CeremonyView }) {
  const id = useId();
  const { busy, error, run } = useMain();
  const driveState = useDrives(run);
  const { driveId } = driveState;
  const [bitgo, setBitgo] = useState('');
  const [saved, setSaved] = useState<KeyCardSaved[]>([]);
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
      <DriveSelect id={`${id}-drive`} label="Drive" busy={busy} state={driveState} />
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
      <ErrorLine error={error} />
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
  const { result, submitWith } = useSecretCall<CeremonyAuditView>(busy, run);
  const secret = useSecretInputs(busy);
  const submit = submitWith(
    true,
    () => api.ceremonyAudit(box.trim(), passphrase, xpub.trim()),
    () => setPassphrase(''),
  );
  return (
    <form onSubmit={submit} aria-labelledby="ceremony-audit-title" className="ceremony-form">
      <h3 id="ceremony-audit-title">Audit a key</h3>
      <p className="muted">Opens a KeyCard's box A or B with its passphrase and compares the key with the published xpub.</p>
      <label htmlFor={`${id}-box`}>Box A or B (the encrypted key, as printed)</label>
      <textarea id={`${id}-box`} rows={4} value={box} onChange={(e) => setBox(e.target.value)} maxLength={16384} spellCheck={false} disabled={busy} />
      <label htmlFor={`${id}-pass`}>Its passphrase</label>
      <div className="unlock-row">
        <input id={`${id}-pass`} {...secret.props} value={passphrase} onChange={(e) => setPassphrase(e.target.value)} />
        {secret.toggle()}
      </div>
      {secret.capsHint}
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
      <ErrorLine error={error} />
    </form>
  );
}

export function KeyCeremony() {
  const [step, setStep] = useState<Step>('selftest');
  const [view, setView] = useState<CeremonyView | null>(null);
  return (
    <section aria-labelledby="ceremony-title" className="ceremony">
      <h2 id="ceremony-title">Key ceremony</h2>
      <p className="muted">Create a new BitGo wallet's user and backup keys on this computer and print their KeyCard; then shards, the public export and the registry entry. The other tools below work on keys made before. The same steps are on the command line: offline-signer ceremony --help.</p>
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
      {step === 'keycard' && view && (
        <Opener label="Make shards of a new key…">
          <MakeShards />
        </Opener>
      )}
      {step === 'keycard' && view && (
        <Opener label="Save the computer entropy for the two-laptop check…">
          <SaveComputerEntropy />
        </Opener>
      )}
      {step === 'keycard' && view && <PublicExportStep />}
      <Opener label="Two-laptop check (the second laptop)…">
        <TwoLaptopCheck />
      </Opener>
      <AuditKey />
      <ReencryptKey />
      <VerifyShards />
      <Opener label="Recombine shards…">
        <RecombineShards />
      </Opener>
      <Opener label="Reshard…">
        <ReshardShards />
      </Opener>
      <Opener label="Change a key file entry's passphrase…">
        <ReencryptKeyFileEntry />
      </Opener>
    </section>
  );
}
