// The key ceremony's "Change a key's passphrase" form (issue 15 item 5): a KeyCard box re-encrypted under a new
// passphrase or envelope and saved to a drive. A form of renderer/KeyCeremony.tsx.
import { useId, useState } from 'react';
import type { CeremonyReencryptView } from '../shared/contract';
import { api } from './api';
import { DriveSelect, ErrorLine, NewKeyFields, SavedOnDrive, StepDone, SubmitWithProgress, useCeremonyProgress, useDrives, useNewKey, useSecretCall, useSecretInputs } from './CeremonyCommon';
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
  const key = useNewKey();
  const { fresh, again, envelope, allowWeak } = key;
  const [progress, setProgress] = useCeremonyProgress();
  const { result, submitWith } = useSecretCall<CeremonyReencryptView>(busy, run);
  const secret = useSecretInputs(busy);
  const submit = submitWith(
    driveId !== '',
    () => api.ceremonyReencrypt({ driveId, box: box.trim(), passphrase, newPassphrase: fresh, newPassphraseAgain: again, allowWeak, envelope }),
    () => {
      setPassphrase('');
      key.forget();
      setProgress(null);
    },
  );
  return (
    <form onSubmit={submit} aria-labelledby="ceremony-reencrypt-title" className="ceremony-form">
      <h3 id="ceremony-reencrypt-title">Change a key's passphrase</h3>
      <p className="muted">Re-encrypts a KeyCard's box A or B under a new passphrase (or from v1 to v2). The new key is opened again before it is written to a new file on the drive; the old box stays valid until you destroy it.</p>
      <label htmlFor={`${id}-box`}>The box to re-encrypt (A or B, as printed)</label>
      <textarea id={`${id}-box`} rows={4} value={box} onChange={(e) => setBox(e.target.value)} maxLength={16384} spellCheck={false} disabled={busy} />
      <label htmlFor={`${id}-old`}>Its current passphrase</label>
      <input id={`${id}-old`} {...secret.props} value={passphrase} onChange={(e) => setPassphrase(e.target.value)} />
      <NewKeyFields id={id} label="The new passphrase" what="the passphrases" state={key} secret={secret} busy={busy} />
      <DriveSelect id={`${id}-drive`} label="Drive for the new file" busy={busy} state={driveState} />
      <SubmitWithProgress busy={busy} disabled={driveId === '' || box.trim() === '' || passphrase === '' || fresh === '' || again === ''} busyLabel="Re-encrypting…" label="Re-encrypt and save to the drive" progress={progress} />
      {result && (
        <StepDone xpub={result.xpub}>
          Re-encrypted as v{result.envelope} (key fingerprint {result.fingerprint}), opened again with the new passphrase and <SavedOnDrive drive={result.drive} file={result.file} />
        </StepDone>
      )}
      <ErrorLine error={error} />
    </form>
  );
}
