// The new wallet into the wallet registry (issue 15 item 7, as `ceremony export --keys` does): after the public
// export with BitGo's key and the wallet id, the operator checks the three keys shown against BitGo's wallet page
// and types the wallet id to confirm; main enters it ("how": "ceremony") with the keySignatures the user key made,
// which the registry verifies. Beside it, the new wallet's key file (issue 15 item 2). Shown under
// renderer/CeremonyExport.tsx's result.
import { useId, useState, type FormEvent } from 'react';
import type { RegisteredWalletView } from '../shared/registry';
import { api } from './api';
import { DriveSelect, ErrorLine, StepHeading, useDrives } from './CeremonyCommon';
import { registryChanged } from './registry-words';
import { useMain } from './useMain';

export function RegisterCeremonyWallet({ walletId }: { walletId: string }) {
  const id = useId();
  const { busy, error, run } = useMain();
  const [typed, setTyped] = useState('');
  const [entry, setEntry] = useState<RegisteredWalletView | null>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    void run(async () => {
      const view = await api.ceremonyRegister(typed);
      setEntry(view.wallets.find((w) => w.walletId === walletId) ?? null);
      registryChanged(); // the Wallets screen reads the registry again
    });
  };
  return (
    <form onSubmit={submit} aria-labelledby={`${id}-title`} className="ceremony-form">
      <StepHeading id={`${id}-title`}>Enter the new wallet into the wallet registry</StepHeading>
      <p className="muted">
        Check the three keys of the export against BitGo's page for wallet <code>{walletId}</code>, then type its wallet id to confirm. Requests for this wallet are then signed only with these keys.
      </p>
      <label htmlFor={`${id}-confirm`}>Type the wallet id to confirm</label>
      <input id={`${id}-confirm`} value={typed} onChange={(e) => setTyped(e.target.value)} maxLength={64} spellCheck={false} autoComplete="off" disabled={busy || entry !== null} />
      <div className="actions">
        <button type="submit" disabled={busy || typed.trim() === '' || entry !== null}>
          Enter it into the registry
        </button>
      </div>
      {entry && (
        <p role="status" className="ceremony-ok">
          Wallet {entry.walletId} (“{entry.label}”, {entry.coin}) is in the wallet registry, entered by this key ceremony.
        </p>
      )}
      <ErrorLine error={error} />
    </form>
  );
}

/**
 * The new wallet's user key as a key file in Express's format ({"<walletId>": "<the envelope made at step 2>"}),
 * onto a drive: what this app opens with "Open a key file…" and Express reads as its signer file. The envelope is
 * the one the ceremony made, unchanged; main writes a new file, never over one.
 */
export function SaveCeremonyKeyFile({ walletId }: { walletId: string }) {
  const id = useId();
  const { busy, error, run } = useMain();
  const driveState = useDrives(run);
  const { driveId } = driveState;
  const [saved, setSaved] = useState<{ drive: string; file: { name: string; sha256: string } } | null>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (busy || driveId === '') return;
    void run(async () => setSaved(await api.ceremonyKeyFileSave(driveId)));
  };
  return (
    <form onSubmit={submit} aria-labelledby={`${id}-title`} className="ceremony-form">
      {/* Shown with the registry form, which takes the focus first; this one is the next stop. */}
      <h3 id={`${id}-title`}>{`Save the key file for wallet ${walletId}`}</h3>
      <p className="muted">The user key, encrypted with its passphrase as made above, in BitGo Express's key file format: open it here with “Open a key file…” to sign for this wallet.</p>
      <DriveSelect id={`${id}-drive`} label="Drive for the key file" busy={busy} state={driveState} />
      <div className="actions">
        <button type="submit" disabled={busy || driveId === '' || saved !== null}>
          Save the key file to the drive
        </button>
      </div>
      {saved && (
        <p role="status" className="ceremony-ok">
          Saved to drive “{saved.drive}”: <code>{saved.file.name}</code> (sha256 <code>{saved.file.sha256}</code>)
        </p>
      )}
      <ErrorLine error={error} />
    </form>
  );
}
