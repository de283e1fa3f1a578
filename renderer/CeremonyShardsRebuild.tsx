// The key ceremony's "Recombine shards" and "Reshard" forms (issue 15 item 6): a shard file pasted and the passwords
// of the holders who are present (an empty field: that holder is absent; m are needed). Recombine writes the key,
// refused unless it is the file's xpub, encrypted under a new passphrase; reshard writes new m'-of-n' shards of the
// same key under new holders' passwords. Main does both with the command line's cores; the passwords are sent once
// and emptied here whatever happened. Forms of renderer/KeyCeremony.tsx.
import { useId, useState } from 'react';
import type { CeremonyRecombineView, CeremonyShardsView } from '../shared/contract';
import { api } from './api';
import { DriveSelect, ErrorLine, NewKeyFields, NewShardFields, SavedOnDrive, shardCount, StepDone, StepHeading, SubmitWithProgress, useCeremonyProgress, useDrives, useNewKey, useNewShards, useSecretCall, useSecretInputs } from './CeremonyCommon';
import { useMain } from './useMain';

type SecretProps = ReturnType<typeof useSecretInputs>['props'];

/** The pasted shard file and one password field per shard it holds (empty: absent). */
function ShardFile({ id, text, setText, passwords, setPasswords, props, busy }: { id: string; text: string; setText: (t: string) => void; passwords: string[]; setPasswords: (f: (p: string[]) => string[]) => void; props: SecretProps; busy: boolean }) {
  const n = shardCount(text.trim());
  return (
    <>
      <label htmlFor={`${id}-file`}>The shard file (as written: xpub, m, n, seedShares)</label>
      <textarea id={`${id}-file`} rows={4} value={text} onChange={(e) => setText(e.target.value)} maxLength={262144} spellCheck={false} disabled={busy} aria-describedby={`${id}-count`} />
      <p id={`${id}-count`} className="hint" aria-live="polite">
        {text.trim() === '' ? '' : n === 0 ? 'This is not a shard file (no seedShares found).' : `${n} shards: the password of each holder present; leave an absent holder's empty.`}
      </p>
      {Array.from({ length: n }, (_, i) => (
        <div key={i} className="ceremony-form">
          <label htmlFor={`${id}-pw-${i}`}>{`Password of shard ${i + 1}`}</label>
          <input id={`${id}-pw-${i}`} {...props} value={passwords[i] ?? ''} onChange={(e) => setPasswords((p) => Object.assign([...p], { [i]: e.target.value }))} />
        </div>
      ))}
    </>
  );
}

function useShardFile() {
  const [text, setText] = useState('');
  const [passwords, setPasswords] = useState<string[]>([]);
  const n = shardCount(text.trim());
  const given = () => Array.from({ length: n }, (_, i) => passwords[i] ?? '');
  return { text, setText, passwords, setPasswords, n, given };
}

export function RecombineShards() {
  const id = useId();
  const { busy, error, run } = useMain();
  const driveState = useDrives(run);
  const { driveId } = driveState;
  const file = useShardFile();
  const key = useNewKey();
  const { fresh, again, envelope, allowWeak } = key;
  const [progress, setProgress] = useCeremonyProgress();
  const { result, submitWith } = useSecretCall<CeremonyRecombineView>(busy, run);
  const secret = useSecretInputs(busy);
  const submit = submitWith(
    driveId !== '' && file.n !== 0,
    () => api.ceremonyShardsRecombine({ driveId, shards: file.text.trim(), passwords: file.given(), newPassphrase: fresh, newPassphraseAgain: again, allowWeak, envelope }),
    () => {
      file.setPasswords([]);
      key.forget();
      setProgress(null);
    },
  );
  return (
    <form onSubmit={submit} aria-labelledby={`${id}-title`} className="ceremony-form">
      <StepHeading id={`${id}-title`}>Recombine shards</StepHeading>
      <p className="muted">Rebuilds a key from enough holders' shards, checks it is the shard file's key, and saves it to the drive encrypted under a new passphrase (a box to audit or to put in a key file).</p>
      <ShardFile id={id} {...file} props={secret.props} busy={busy} />
      <NewKeyFields id={id} label="The new passphrase for the rebuilt key" what="the passwords" state={key} secret={secret} busy={busy} />
      <DriveSelect id={`${id}-drive`} label="Drive for the rebuilt key" busy={busy} state={driveState} />
      <SubmitWithProgress busy={busy} disabled={driveId === '' || file.n === 0 || fresh === '' || again === ''} busyLabel="Rebuilding…" label="Rebuild the key and save it to the drive" progress={progress} />
      {result && (
        <StepDone xpub={result.xpub} keyLabel="Key (the shard file's)">
          Rebuilt from {result.shardsUsed} shards, encrypted as v{result.envelope} and opened again, <SavedOnDrive drive={result.drive} file={result.file} />
        </StepDone>
      )}
      <ErrorLine error={error} />
    </form>
  );
}

export function ReshardShards() {
  const id = useId();
  const { busy, error, run } = useMain();
  const driveState = useDrives(run);
  const { driveId } = driveState;
  const file = useShardFile();
  const shards = useNewShards();
  const [progress, setProgress] = useCeremonyProgress();
  const { result, submitWith } = useSecretCall<CeremonyShardsView>(busy, run);
  const secret = useSecretInputs(busy);
  const submit = submitWith(
    driveId !== '' && file.n !== 0,
    () => {
      const split = shards.request();
      return api.ceremonyShardsReshard({ driveId, shards: file.text.trim(), passwords: file.given(), m: split.m, newPasswords: split.passwords, newPasswordsAgain: split.passwordsAgain, allowWeak: split.allowWeak });
    },
    () => {
      file.setPasswords([]);
      shards.forget();
      setProgress(null);
    },
  );
  return (
    <form onSubmit={submit} aria-labelledby={`${id}-title`} className="ceremony-form">
      <StepHeading id={`${id}-title`}>Reshard</StepHeading>
      <p className="muted">Regenerates a key's shards: enough old holders rebuild it, and it is split anew among new holders (the same key; the old shards do not combine with the new ones). The old shard file is not changed.</p>
      <ShardFile id={id} {...file} props={secret.props} busy={busy} />
      <NewShardFields id={id} labels={{ m: 'New holders needed to rebuild it (m)', n: 'New shards to make (n)', word: 'new shard', passwordsId: `${id}-new` }} state={shards} secret={secret} busy={busy} />
      <DriveSelect id={`${id}-drive`} label="Drive for the new shard file" busy={busy} state={driveState} />
      <SubmitWithProgress busy={busy} disabled={driveId === '' || file.n === 0} busyLabel="Resharding…" label="Make the new shards and save them to the drive" progress={progress} />
      {result && (
        <StepDone verdict="VERIFIED" xpub={result.xpub}>
          New {result.m}-of-{result.n} shards of the same key, every combination checked, <SavedOnDrive drive={result.drive} file={result.file} />
        </StepDone>
      )}
      <ErrorLine error={error} />
    </form>
  );
}
