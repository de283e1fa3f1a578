// The two-laptop check (issue 15 item 1; Glacier's parallel stacks): on the first laptop, the ceremony's computer
// entropy saved to a drive; on the second, the same dice and that entropy give the xpubs again, compared with the
// xpubs typed from the first laptop's screen: MATCH, or MISMATCH (one laptop lied). Forms of renderer/KeyCeremony.tsx.
import { useId, useState, type FormEvent } from 'react';
import type { CeremonyCheckView } from '../shared/contract';
import { api } from './api';
import { DriveSelect, ErrorLine, StepHeading, useDrives, useSecretCall, useSecretInputs } from './CeremonyCommon';
import { useMain } from './useMain';

/** First laptop: the computer entropy of the ceremony just run onto a drive (as secret as the keys). */
export function SaveComputerEntropy() {
  const id = useId();
  const { busy, error, run } = useMain();
  const driveState = useDrives(run);
  const { driveId } = driveState;
  const [saved, setSaved] = useState<{ drive: string; file: string } | null>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (busy || driveId === '') return;
    void run(async () => setSaved(await api.ceremonyEntropySave(driveId)));
  };
  return (
    <form onSubmit={submit} aria-labelledby={`${id}-title`} className="ceremony-form">
      <StepHeading id={`${id}-title`}>Save the computer entropy for the two-laptop check</StepHeading>
      <p className="muted">With the dice rolls it rebuilds both keys: carry it to the second laptop yourself and destroy it after the check.</p>
      <DriveSelect id={`${id}-drive`} label="Drive for the computer entropy" busy={busy} state={driveState} />
      <div className="actions">
        <button type="submit" disabled={busy || driveId === ''}>
          Save the computer entropy to the drive
        </button>
      </div>
      {saved && (
        <p role="status">
          Saved to drive “{saved.drive}”: <code>{saved.file}</code>
        </p>
      )}
      <ErrorLine error={error} />
    </form>
  );
}

const ROLES = [
  ['user', 'User key'],
  ['backup', 'Backup key'],
] as const;

/** Second laptop: the same dice and the first laptop's computer entropy, against the xpubs typed from its screen. */
export function TwoLaptopCheck() {
  const id = useId();
  const { busy, error, run } = useMain();
  const [dice, setDice] = useState('');
  const [entropy, setEntropy] = useState('');
  const [typed, setTyped] = useState({ user: '', backup: '' });
  const { result, submitWith } = useSecretCall<CeremonyCheckView>(busy, run);
  const secret = useSecretInputs(busy);
  const submit = submitWith(
    true,
    () => api.ceremonyCheck({ dice, computerEntropy: entropy, user: typed.user.trim(), backup: typed.backup.trim() }),
    () => {
      setDice('');
      setEntropy('');
    },
  );
  return (
    <form onSubmit={submit} aria-labelledby={`${id}-title`} className="ceremony-form">
      <StepHeading id={`${id}-title`}>Two-laptop check (the second laptop)</StepHeading>
      <p className="muted">The first laptop's dice rolls and its saved computer entropy must give the same two keys here, character for character; nothing is encrypted or kept.</p>
      <label htmlFor={`${id}-dice`}>The same dice rolls (not shown)</label>
      <input id={`${id}-dice`} {...secret.props} inputMode="numeric" value={dice} onChange={(e) => setDice(e.target.value)} />
      <label htmlFor={`${id}-entropy`}>The first laptop's computer entropy (64 hex digits, as saved)</label>
      <input id={`${id}-entropy`} {...secret.props} maxLength={200} value={entropy} onChange={(e) => setEntropy(e.target.value)} />
      {secret.controls('the dice and entropy')}
      {ROLES.map(([role, name]) => (
        <div key={role} className="ceremony-form">
          <label htmlFor={`${id}-${role}`}>{`${name} (xpub) shown on the first laptop`}</label>
          <input id={`${id}-${role}`} value={typed[role]} onChange={(e) => setTyped((t) => ({ ...t, [role]: e.target.value }))} maxLength={120} spellCheck={false} autoComplete="off" disabled={busy} />
        </div>
      ))}
      <div className="actions">
        <button type="submit" disabled={busy || dice === '' || entropy === '' || typed.user.trim() === '' || typed.backup.trim() === ''}>
          {busy ? 'Checking…' : 'Check the keys'}
        </button>
      </div>
      {result && (
        <div role="status" className={result.match ? 'ceremony-ok' : 'stop'}>
          <p className="ceremony-verdict">{result.match ? 'MATCH' : 'MISMATCH'}</p>
          <p>{result.match ? 'Both keys are the same on the two laptops.' : 'The laptops disagree: do not use these keys. One laptop, or what was carried between them, is not what it seems.'}</p>
          <dl>
            {ROLES.map(([role, name]) => (
              <div key={role}>
                <dt>{`${name}: ${result[role] ? 'MATCH' : 'MISMATCH'}`}</dt>
                <dd>
                  Here: <code className="xpub">{result.xpubs[role]}</code>
                </dd>
              </div>
            ))}
          </dl>
          <p className="muted">
            {result.dice.rolls} dice rolls, SHA-256 {result.dice.sha256}
          </p>
        </div>
      )}
      <ErrorLine error={error} />
    </form>
  );
}
