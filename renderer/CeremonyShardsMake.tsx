// The key ceremony's "Make shards" form (issue 15 item 6): a key of the ceremony just run split into m-of-n shards in
// BitGo's splitSecret format, each under its holder's password typed twice, every combination verified by main
// before the file is written to the drive. A form of renderer/KeyCeremony.tsx, shown after the keys are made (the
// seed BitGo shards exists only in this ceremony: a KeyCard box holds the private key, not the seed).
import { useId, useState, type FormEvent } from 'react';
import type { CeremonyShardsView } from '../shared/contract';
import { api } from './api';
import { clampCount, DriveSelect, ErrorLine, HolderPasswords, runThenForget, SavedOnDrive, StepDone, StepHeading, SubmitWithProgress, useCeremonyProgress, useDrives, useSecretInputs, WeakOverride } from './CeremonyCommon';
import { useMain } from './useMain';


export function MakeShards() {
  const id = useId();
  const { busy, error, run } = useMain();
  const driveState = useDrives(run);
  const { driveId } = driveState;
  const [role, setRole] = useState<'user' | 'backup'>('backup');
  const [m, setM] = useState('2');
  const [n, setN] = useState('3');
  const [passwords, setPasswords] = useState<string[]>([]);
  const [again, setAgain] = useState<string[]>([]);
  const [allowWeak, setAllowWeak] = useState(false);
  const [progress, setProgress] = useCeremonyProgress();
  const [result, setResult] = useState<CeremonyShardsView | null>(null);
  const secret = useSecretInputs(busy);
  const count = clampCount(n, 2);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (busy || driveId === '') return;
    setResult(null);
    const fill = (list: string[]) => Array.from({ length: count }, (_, i) => list[i] ?? '');
    runThenForget(
      run,
      async () => setResult(await api.ceremonyShardsCreate({ driveId, role, m: clampCount(m, 2), passwords: fill(passwords), passwordsAgain: fill(again), allowWeak })),
      () => {
        setPasswords([]);
        setAgain([]);
        setProgress(null);
      },
    );
  };
  return (
    <form onSubmit={submit} aria-labelledby={`${id}-title`} className="ceremony-form">
      <StepHeading id={`${id}-title`}>Make shards of a new key</StepHeading>
      <p className="muted">Splits the user or backup key just made into shards (BitGo's format): any m of the n holders rebuild it. Each holder types their own password twice. Every combination is checked before the shard file is written to the drive.</p>
      <label htmlFor={`${id}-role`}>The key to split</label>
      <select id={`${id}-role`} value={role} onChange={(e) => setRole(e.target.value === 'user' ? 'user' : 'backup')} disabled={busy}>
        <option value="backup">The backup key</option>
        <option value="user">The user key</option>
      </select>
      <label htmlFor={`${id}-m`}>Holders needed to rebuild it (m)</label>
      <input id={`${id}-m`} type="number" min={2} max={32} value={m} onChange={(e) => setM(e.target.value)} disabled={busy} />
      <label htmlFor={`${id}-n`}>Shards to make (n, one per holder)</label>
      <input id={`${id}-n`} type="number" min={2} max={32} value={n} onChange={(e) => setN(e.target.value)} disabled={busy} />
      <HolderPasswords id={id} n={count} word="shard" values={passwords} again={again} setValues={setPasswords} setAgain={setAgain} props={secret.props} />
      {secret.controls('the passwords')}
      <WeakOverride what="weak passwords" allowWeak={allowWeak} setAllowWeak={setAllowWeak} busy={busy} />
      <DriveSelect id={`${id}-drive`} label="Drive for the shard file" busy={busy} state={driveState} />
      <SubmitWithProgress busy={busy} disabled={driveId === ''} busyLabel="Splitting…" label="Make the shards and save them to the drive" progress={progress} />
      {result && (
        <StepDone verdict="VERIFIED" xpub={result.xpub}>
          {result.m}-of-{result.n} shards of the {result.role} key, every combination checked, <SavedOnDrive drive={result.drive} file={result.file} />
        </StepDone>
      )}
      <ErrorLine error={error} />
    </form>
  );
}
