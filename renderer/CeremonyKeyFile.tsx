// The key ceremony's "Change a key file entry's passphrase" form (issue 15 item 5, `ceremony reencrypt --keys`): a
// wallet of the open key store, its passphrase, the new one typed twice, v2 or v1. Main opens the entry, encrypts it
// anew, opens the new envelope again and only then writes a NEW key file (that wallet only) to the drive, mode 0600;
// the open key file is not touched. A form of renderer/KeyCeremony.tsx.
import { useEffect, useId, useState } from 'react';
import type { CeremonyReencryptView, WalletView } from '../shared/contract';
import { api } from './api';
import { DriveSelect, ErrorLine, NewKeyFields, SavedOnDrive, StepDone, StepHeading, SubmitWithProgress, useCeremonyProgress, useDrives, useNewKey, useSecretCall, useSecretInputs } from './CeremonyCommon';
import { useMain } from './useMain';

export function ReencryptKeyFileEntry() {
  const id = useId();
  const { busy, error, run } = useMain();
  const driveState = useDrives(run);
  const { driveId } = driveState;
  const [wallets, setWallets] = useState<WalletView[] | null>(null);
  const [walletId, setWalletId] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const key = useNewKey();
  const { fresh, again, envelope, allowWeak } = key;
  const [progress, setProgress] = useCeremonyProgress();
  const { result, submitWith } = useSecretCall<CeremonyReencryptView>(busy, run);
  const secret = useSecretInputs(busy);
  useEffect(() => {
    // Not busy: the form stays usable (and its tab order the same) while the list arrives.
    void run(
      async () => {
        const list = await api.listWallets();
        setWallets(list);
        setWalletId((w) => (list.some((x) => x.walletId === w) ? w : (list[0]?.walletId ?? '')));
      },
      { busy: false },
    );
  }, []);
  const submit = submitWith(
    driveId !== '' && walletId !== '',
    () => api.ceremonyKeyFileReencrypt({ driveId, walletId, passphrase, newPassphrase: fresh, newPassphraseAgain: again, allowWeak, envelope }),
    () => {
      setPassphrase('');
      key.forget();
      setProgress(null);
    },
  );
  return (
    <form onSubmit={submit} aria-labelledby={`${id}-title`} className="ceremony-form">
      <StepHeading id={`${id}-title`}>Change a key file entry's passphrase</StepHeading>
      <p className="muted">Re-encrypts a wallet of the open key file under a new passphrase (or from v1 to v2). The new key is opened again before it is written, as a new key file holding that wallet, to the drive; the open key file is not changed.</p>
      <label htmlFor={`${id}-wallet`}>Wallet</label>
      <select id={`${id}-wallet`} value={walletId} onChange={(e) => setWalletId(e.target.value)} disabled={busy || wallets?.length === 0}>
        {wallets === null ? (
          <option value="">Reading the key file's wallets…</option>
        ) : wallets.length ? (
          wallets.map((w) => (
            <option key={w.walletId} value={w.walletId}>
              {`${w.walletId} (envelope v${w.envelopeVersion})`}
            </option>
          ))
        ) : (
          <option value="">No key file open: open one first</option>
        )}
      </select>
      <label htmlFor={`${id}-old`}>Its current passphrase</label>
      <input id={`${id}-old`} {...secret.props} value={passphrase} onChange={(e) => setPassphrase(e.target.value)} />
      <NewKeyFields id={id} label="The new passphrase" what="the passphrases" state={key} secret={secret} busy={busy} />
      <DriveSelect id={`${id}-drive`} label="Drive for the new key file" busy={busy} state={driveState} />
      <SubmitWithProgress busy={busy} disabled={driveId === '' || walletId === '' || passphrase === '' || fresh === '' || again === ''} busyLabel="Re-encrypting…" label="Re-encrypt and save a new key file to the drive" progress={progress} />
      {result && (
        <StepDone xpub={result.xpub}>
          Wallet {result.walletId} re-encrypted as v{result.envelope} (key fingerprint {result.fingerprint}), opened again with the new passphrase and <SavedOnDrive drive={result.drive} file={result.file} as=" as a new key file" />
        </StepDone>
      )}
      <ErrorLine error={error} />
    </form>
  );
}
