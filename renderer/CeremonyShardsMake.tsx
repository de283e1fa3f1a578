// The key ceremony's "Make shards" form (issue 15 item 6): a key of the ceremony just run split into m-of-n shards in
// BitGo's splitSecret format, each under its holder's password typed twice, every combination verified by main
// before the file is written to the drive. A form of renderer/KeyCeremony.tsx, shown after the keys are made (the
// seed BitGo shards exists only in this ceremony: a KeyCard box holds the private key, not the seed).
import { useId, useState } from 'react';
import type { CeremonyShardsView } from '../shared/contract';
import { api } from './api';
import { DriveSelect, ErrorLine, NewShardFields, SavedOnDrive, StepDone, StepHeading, SubmitWithProgress, useCeremonyProgress, useDrives, useNewShards, useSecretCall, useSecretInputs } from './CeremonyCommon';
import { useMain } from './useMain';

export function MakeShards() {
  const id = useId();
  const { busy, error, run } = useMain();
  const driveState = useDrives(run);
  const { driveId } = driveState;
  const [role, setRole] = useState<'user' | 'backup'>('backup');
  const shards = useNewShards();
  const [progress, setProgress] = useCeremonyProgress();
  const { result, submitWith } = useSecretCall<CeremonyShardsView>(busy, run);
  const secret = useSecretInputs(busy);
  const submit = submitWith(
    driveId !== '',
    () => api.ceremonyShardsCreate({ driveId, role, ...shards.request() }),
    () => {
      shards.forget();
      setProgress(null);
    },
  );
  return (
    <form onSubmit={submit} aria-labelledby={`${id}-title`} className="ceremony-form">
      <StepHeading id={`${id}-title`}>Make shards of a new key</StepHeading>
      <p className="muted">Splits the user or backup key just made into shards (BitGo's format): any m of the n holders rebuild it. Each holder types their own password twice. Every combination is checked before the shard file is written to the drive.</p>
      <label htmlFor={`${id}-role`}>The key to split</label>
      <select id={`${id}-role`} value={role} onChange={(e) => setRole(e.target.value === 'user' ? 'user' : 'backup')} disabled={busy}>
        <option value="backup">The backup key</option>
        <option value="user">The user key</option>
      </select>
      <NewShardFields id={id} labels={{ m: 'Holders needed to rebuild it (m)', n: 'Shards to make (n, one per holder)', word: 'shard', passwordsId: id }} state={shards} secret={secret} busy={busy} />
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
