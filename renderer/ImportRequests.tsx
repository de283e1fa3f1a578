// Requests in: the removable drives and their request files, the import, what each file's import came to, and for
// a bare PSBT whose wallet main could not tell, the operator's choice of wallet and network.
import { useCallback, useEffect, useId, useState } from 'react';
import type { CandidateFileView, DriveView, ImportFileResult } from '../shared/contract';
import { api } from './api';
import { FirstUseRegistration } from './FirstUseRegistration';
import { IMPORT_HEADING_ID } from './focus';
import { useMain } from './useMain';
import { wordsFor } from './words';
import { visible } from '../shared/text';

export type PsbtNetworkChoice = '' | 'bitcoin' | 'testnet';

export function DrivePicker({
  onImportStart,
  onImported,
  onDrive,
  network,
  onNetwork,
}: {
  /** An import starts: the last one's results go (a failed import must not leave an older "Last import" shown). */
  onImportStart: () => void;
  onImported: (results: ImportFileResult[]) => void;
  onDrive: (drive: DriveView | null) => void;
  network: PsbtNetworkChoice;
  onNetwork: (n: PsbtNetworkChoice) => void;
}) {
  const networkId = useId();
  const [drives, setDrives] = useState<DriveView[] | null>(null);
  const [driveId, setDriveId] = useState<string | null>(null);
  const [files, setFiles] = useState<CandidateFileView[]>([]);
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const { busy, error, run } = useMain();

  const refresh = useCallback(
    () =>
      run(
        async () => {
          const list = await api.listDrives();
          setDrives(list);
          setDriveId(null);
          onDrive(null);
          setFiles([]);
          setChosen(new Set());
        },
        { busy: false },
      ),
    [run, onDrive],
  );
  useEffect(() => void refresh(), [refresh]);

  const openDrive = async (id: string) => {
    setDriveId(id);
    onDrive(drives?.find((d) => d.id === id) ?? null);
    setChosen(new Set());
    const listed = await run(async () => setFiles(await api.listDriveFiles(id)), { busy: false });
    if (!listed) setFiles([]);
  };

  const importSelected = async () => {
    if (driveId === null || chosen.size === 0) return;
    onImportStart();
    await run(async () => {
      onImported(await api.importRequests(driveId, [...chosen], undefined, network === '' ? undefined : network));
      setChosen(new Set());
    });
  };

  return (
    <section aria-labelledby={IMPORT_HEADING_ID}>
      <div className="section-head">
        <h2 id={IMPORT_HEADING_ID} tabIndex={-1}>Request files on USB drives</h2>
        <button type="button" className="secondary" onClick={() => void refresh()}>
          Refresh drives
        </button>
      </div>
      {drives !== null && !drives.some((d) => !d.builtIn) && (
        <p>
          No USB drive found. Plug one in, then press “Refresh drives”.
          {drives.some((d) => d.builtIn) ? ' In demo mode the demo’s own requests are offered below.' : ''}
        </p>
      )}
      {drives !== null && drives.length > 0 && (
        <fieldset className="drives">
          <legend>Drive</legend>
          {drives.map((d) => (
            <label key={d.id} className="choice">
              <input type="radio" name="drive" checked={driveId === d.id} onChange={() => void openDrive(d.id)} /> {visible(d.label)}
            </label>
          ))}
        </fieldset>
      )}
      {driveId !== null && (
        <fieldset className="files">
          <legend>Request files</legend>
          {drives?.find((d) => d.id === driveId)?.builtIn && (
            <p className="hint">These are the demo’s bundled requests, not files on a USB drive: nothing is written here. Their signed results are shown as QR codes.</p>
          )}
          {files.length === 0 && <p>No request files on this drive (looked for .json, .psbt, .txt, .hex, .b64).</p>}
          {files.map((f) => (
            <label key={f.name} className="choice">
              <input
                type="checkbox"
                checked={chosen.has(f.name)}
                disabled={f.problem !== undefined}
                onChange={(e) => {
                  const next = new Set(chosen);
                  if (e.target.checked) next.add(f.name);
                  else next.delete(f.name);
                  setChosen(next);
                }}
              />{' '}
              {visible(f.name)} <span className="muted">({f.size.toLocaleString('en-US')} bytes{f.problem ? `; cannot be imported: ${f.problem}` : ''})</span>
            </label>
          ))}
          <div className="unlock-row">
            <label htmlFor={networkId}>Network of PSBT files (a PSBT file does not say; signing requests do)</label>
            <select id={networkId} value={network} onChange={(e) => onNetwork(e.target.value as PsbtNetworkChoice)}>
              <option value="">Not stated: addresses shown for mainnet, with a warning</option>
              <option value="bitcoin">Bitcoin mainnet</option>
              <option value="testnet">Testnet</option>
            </select>
          </div>
          <div className="actions">
            <button type="button" disabled={busy || chosen.size === 0} onClick={() => void importSelected()}>
              Import selected ({chosen.size})
            </button>
          </div>
        </fieldset>
      )}
      <p className="error" role="alert">
        {error ?? ''}
      </p>
    </section>
  );
}

/**
 * A bare PSBT whose wallet main could not tell: the operator picks one of the key store's wallets for it, and its
 * network (a PSBT does not say; the default is the import's choice).
 */
function ChooseWallet({
  file,
  wallets,
  network: initialNetwork,
  onChoose,
}: {
  file: string;
  wallets: string[];
  network: PsbtNetworkChoice;
  onChoose: (walletId: string, network: PsbtNetworkChoice) => void;
}) {
  const id = useId();
  const [walletId, setWalletId] = useState(wallets[0] ?? '');
  const [network, setNetwork] = useState<PsbtNetworkChoice>(initialNetwork);
  return (
    <div className="unlock-row">
      <label htmlFor={id}>Wallet for {visible(file)}</label>
      <select id={id} value={walletId} onChange={(e) => setWalletId(e.target.value)}>
        {wallets.map((w) => (
          <option key={w} value={w}>
            {w}
          </option>
        ))}
      </select>
      <label htmlFor={`${id}-network`}>Network for {visible(file)}</label>
      <select id={`${id}-network`} value={network} onChange={(e) => setNetwork(e.target.value as PsbtNetworkChoice)}>
        <option value="">Not stated: addresses shown for mainnet, with a warning</option>
        <option value="bitcoin">Bitcoin mainnet</option>
        <option value="testnet">Testnet</option>
      </select>
      <button type="button" disabled={walletId === ''} onClick={() => onChoose(walletId, network)}>
        Import {visible(file)} for this wallet
      </button>
    </div>
  );
}

export function ImportResults({ results, network, onChoose }: { results: ImportFileResult[]; network: PsbtNetworkChoice; onChoose: (file: string, walletId: string, network: PsbtNetworkChoice) => void }) {
  // Shown in two steps (Import, and Review below the list): an id of its own for each.
  const id = useId();
  if (results.length === 0) return null;
  return (
    <section aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>Last import</h3>
      <ul>
        {results.map((r) => (
          <li key={r.file}>
            <code>{visible(r.file)}</code>:{' '}
            {r.ok && r.refused === undefined && `imported for wallet ${r.walletId}, review fingerprint ${r.fingerprint}`}
            {r.ok && r.refused !== undefined && (
              <span className="error-inline">
                imported for wallet {r.walletId}, review fingerprint {r.fingerprint}, but REFUSED by the review: {visible(r.refused.join('; '))}. It will never be signed; reject it.
              </span>
            )}
            {!r.ok && (
              <span className="error-inline">
                {r.error.code === 'wallet_not_in_key_store' || r.error.code?.startsWith('auth_') ? 'REFUSED, ' : ''}NOT imported{r.fingerprint ? ` (review fingerprint ${r.fingerprint})` : ''}: {wordsFor(r.error, { file: r.file })}
              </span>
            )}
            {!r.ok && r.chooseWallet && r.chooseWallet.length > 0 && <ChooseWallet file={r.file} wallets={r.chooseWallet} network={network} onChoose={(w, n) => onChoose(r.file, w, n)} />}
            {!r.ok && r.register && <FirstUseRegistration file={r.file} pending={r.register} onRegistered={() => onChoose(r.file, r.register!.walletId, network)} />}
          </li>
        ))}
      </ul>
    </section>
  );
}
