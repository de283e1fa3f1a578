// The key ceremony's public export for the online side (issue 15 item 7): a form of renderer/KeyCeremony.tsx, shown
// after the KeyCard step; the xpubs (and keySignatures with BitGo's xpub) onto a drive and as a QR code.
import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import type { CeremonyExportView } from '../shared/contract';
import { api } from './api';
import { DriveSelect, ErrorLine, SavedOnDrive, StepDone, SubmitWithProgress, useCeremonyProgress, useDrives } from './CeremonyCommon';
import { RegisterCeremonyWallet, SaveCeremonyKeyFile } from './CeremonyRegister';
import { drawQr } from './QrShow';
import { useMain } from './useMain';

/**
 * Issue 15 item 7: the public export for the online side onto a drive and as a QR code on screen. Without BitGo's
 * xpub it carries the user and backup xpubs (what BitGo is given to make the wallet); with it, the user key (opened
 * in main with the wallet passphrase, which is never returned) signs the backup and BitGo xpubs (keySignatures).
 */
export function PublicExportStep() {
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
  // The wallet id the shown export carries (with keySignatures): what the registry form enters.
  const [exported, setExported] = useState('');
  const [progress, setProgress] = useCeremonyProgress();
  const canvas = useRef<HTMLCanvasElement>(null);
  const onKey = (e: KeyboardEvent<HTMLInputElement>) => setCapsLock(e.getModifierState('CapsLock'));
  useEffect(() => {
    if (result && canvas.current) drawQr(canvas.current, result.text);
  }, [result]);
  const withBitgo = bitgo.trim() !== '';
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (driveId === '' || busy) return;
    setResult(null);
    setExported('');
    void run(async () => {
      try {
        setExported(walletId.trim());
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
    <>
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
        <SubmitWithProgress busy={busy} disabled={driveId === '' || (withBitgo && passphrase === '')} busyLabel="Exporting…" label="Save the public export and show its QR code" progress={progress} />
        {result && (
          <StepDone>
            <SavedOnDrive drive={result.drive} file={result.file} capital />
            {result.keySignatures ? ' (with keySignatures)' : ''}
          </StepDone>
        )}
        {result && <canvas ref={canvas} role="img" aria-label={`QR code of the public export ${result.file.name}`} />}
        <ErrorLine error={error} />
      </form>
      {/* Beside the export's form, not inside it: forms do not nest. */}
      {result?.keySignatures && exported !== '' && (
        <>
          <RegisterCeremonyWallet walletId={exported} />
          <SaveCeremonyKeyFile walletId={exported} />
        </>
      )}
    </>
  );
}
