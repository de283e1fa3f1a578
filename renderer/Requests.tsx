// The operator's USB workflow screens: pick a drive and request files, import, review each request (outputs,
// fee, warnings to acknowledge, refusals that stop), approve or reject, sign the approved ones, export the signed
// files next to their requests, and the session summary. Every state is said in words; colour only repeats it.
// Everything is a button, checkbox or text field: keyboard operable, with the global visible focus ring.
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import type {
  CandidateFileView,
  DriveView,
  ImportFileResult,
  RequestActionResult,
  RequestGroup,
  RequestReview,
  RequestStatus,
  RequestView,
  SessionSummary,
  SignProgressEvent,
} from '../shared/contract';
import { formatBtc } from '../shared/amount';
import type { OutputKind } from '../shared/review';
import { api, ApiError } from './api';
import { QrScan } from './QrScan';
import { QrShow } from './QrShow';
import { MoneyBar } from './MoneyBar';
import { wordsFor } from './words';

const STATUS_WORDS: Record<RequestStatus, string> = {
  imported: 'Waiting for review',
  approved: 'Approved, not signed yet',
  rejected: 'Rejected',
  signed: 'Signed, not exported yet',
  failed: 'Signing failed',
  exported: 'Signed and exported',
};

const KIND_WORDS: Record<OutputKind, string> = {
  external: 'Recipient',
  change: 'Change (verified)',
  failed: 'FAILED verification',
};

/** Addresses in groups of 4 characters, so two people can read them out and compare. */
export function groupAddress(address: string): string {
  return address.match(/.{1,4}/g)?.join(' ') ?? address;
}

function Sats({ sats }: { sats: number }) {
  return (
    <>
      {formatBtc(sats)} BTC <span className="muted">({sats.toLocaleString('en-US')} sat)</span>
    </>
  );
}

export type PsbtNetworkChoice = '' | 'bitcoin' | 'testnet';

function DrivePicker({
  onImported,
  onDrive,
  network,
  onNetwork,
}: {
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
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const refresh = useCallback(async () => {
    try {
      const list = await api.listDrives();
      setDrives(list);
      setDriveId(null);
      onDrive(null);
      setFiles([]);
      setChosen(new Set());
      setError(null);
    } catch (e) {
      setError(wordsFor(e));
    }
  }, [onDrive]);
  useEffect(() => void refresh(), [refresh]);

  const openDrive = async (id: string) => {
    setDriveId(id);
    onDrive(drives?.find((d) => d.id === id) ?? null);
    setChosen(new Set());
    try {
      setFiles(await api.listDriveFiles(id));
      setError(null);
    } catch (e) {
      setFiles([]);
      setError(wordsFor(e));
    }
  };

  const importSelected = async () => {
    if (driveId === null || chosen.size === 0) return;
    setBusy(true);
    try {
      onImported(await api.importRequests(driveId, [...chosen], undefined, network === '' ? undefined : network));
      setChosen(new Set());
      setError(null);
    } catch (e) {
      setError(wordsFor(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="drives-title">
      <div className="section-head">
        <h2 id="drives-title">Request files on USB drives</h2>
        <button type="button" className="secondary" onClick={() => void refresh()}>
          Refresh drives
        </button>
      </div>
      {drives !== null && drives.length === 0 && <p>No USB drive found. Plug one in, then press “Refresh drives”.</p>}
      {drives !== null && drives.length > 0 && (
        <fieldset className="drives">
          <legend>Drive</legend>
          {drives.map((d) => (
            <label key={d.id} className="choice">
              <input type="radio" name="drive" checked={driveId === d.id} onChange={() => void openDrive(d.id)} /> {d.label}
            </label>
          ))}
        </fieldset>
      )}
      {driveId !== null && (
        <fieldset className="files">
          <legend>Request files</legend>
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
              {f.name} <span className="muted">({f.size.toLocaleString('en-US')} bytes{f.problem ? `; cannot be imported: ${f.problem}` : ''})</span>
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
      <label htmlFor={id}>Wallet for {file}</label>
      <select id={id} value={walletId} onChange={(e) => setWalletId(e.target.value)}>
        {wallets.map((w) => (
          <option key={w} value={w}>
            {w}
          </option>
        ))}
      </select>
      <label htmlFor={`${id}-network`}>Network for {file}</label>
      <select id={`${id}-network`} value={network} onChange={(e) => setNetwork(e.target.value as PsbtNetworkChoice)}>
        <option value="">Not stated: addresses shown for mainnet, with a warning</option>
        <option value="bitcoin">Bitcoin mainnet</option>
        <option value="testnet">Testnet</option>
      </select>
      <button type="button" disabled={walletId === ''} onClick={() => onChoose(walletId, network)}>
        Import {file} for this wallet
      </button>
    </div>
  );
}

function ImportResults({ results, network, onChoose }: { results: ImportFileResult[]; network: PsbtNetworkChoice; onChoose: (file: string, walletId: string, network: PsbtNetworkChoice) => void }) {
  if (results.length === 0) return null;
  return (
    <section aria-labelledby="import-results-title">
      <h3 id="import-results-title">Last import</h3>
      <ul>
        {results.map((r) => (
          <li key={r.file}>
            <code>{r.file}</code>: {r.ok ? `imported for wallet ${r.walletId}` : <span className="error-inline">NOT imported: {wordsFor(r.error, { file: r.file })}</span>}
            {!r.ok && r.chooseWallet && r.chooseWallet.length > 0 && <ChooseWallet file={r.file} wallets={r.chooseWallet} network={network} onChoose={(w, n) => onChoose(r.file, w, n)} />}
          </li>
        ))}
      </ul>
    </section>
  );
}

function RequestList({ groups, selected, onSelect }: { groups: RequestGroup[]; selected: string | null; onSelect: (id: string) => void }) {
  if (groups.length === 0) return <p>No requests imported yet.</p>;
  return (
    <>
      {groups.map((g) => (
        <section key={g.walletId} aria-label={`Requests for wallet ${g.walletId}`} className="request-group">
          <h3>
            Wallet <code>{g.walletId}</code>
          </h3>
          <table className="table">
            <thead>
              <tr>
                <th scope="col">File</th>
                <th scope="col">State</th>
                <th scope="col">Review fingerprint</th>
                <th scope="col">
                  <span className="visually-hidden">Action</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {g.requests.map((r) => (
                <tr key={r.requestId} aria-label={`Request ${r.file}`}>
                  <td>
                    <code>{r.file}</code> <span className="muted">on {r.drive}</span>
                    {r.output && (
                      <div>
                        written as <code>{r.output}</code>
                      </div>
                    )}
                  </td>
                  <td>
                    <strong>{r.refused && r.status === 'imported' ? 'REFUSED by the review' : STATUS_WORDS[r.status]}</strong>
                    {r.rejectReason ? <div className="muted">Reason: {r.rejectReason}</div> : null}
                    {r.error && <div className="error-inline">{r.error.error}</div>}
                  </td>
                  <td>
                    <code>{r.fingerprint}</code>
                  </td>
                  <td>
                    <button type="button" className="secondary" aria-pressed={selected === r.requestId} onClick={() => onSelect(r.requestId)}>
                      Review {r.file}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ))}
    </>
  );
}

/** `opened` changes each time the operator asks for a review (even the one shown): the review takes the focus. */
function ReviewPanel({ data, opened, onDecided }: { data: RequestReview; opened: number; onDecided: () => void }) {
  const id = useId();
  const { review, request } = data;
  const [acked, setAcked] = useState<Set<string>>(new Set());
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    setAcked(new Set());
    setReason('');
    setError(null);
  }, [request.requestId]);
  useEffect(() => heading.current?.focus(), [request.requestId, opened]);

  const refused = review.refusals.length > 0;
  const allAcked = data.warningKeys.every((k) => acked.has(k));
  const decidable = request.status === 'imported';

  const act = async (what: 'approve' | 'reject') => {
    try {
      if (what === 'approve') await api.approveRequest(request.requestId, review.fingerprint.sha256, [...acked]);
      else await api.rejectRequest(request.requestId, reason);
      setError(null);
      onDecided();
    } catch (e) {
      setError(wordsFor(e));
    }
  };

  return (
    <section aria-labelledby={`${id}-title`} className="review">
      <h2 id={`${id}-title`} ref={heading} tabIndex={-1}>
        Review: {request.file}
      </h2>
      <p>
        Wallet <code>{review.walletId}</code> · network {review.network} · state: <strong>{STATUS_WORDS[request.status]}</strong>
      </p>
      <div className="fingerprint" aria-label="Review fingerprint">
        <span className="fingerprint-label">Review fingerprint</span>
        <span className="fingerprint-value">{review.fingerprint.short}</span>
        <span className="muted">{review.fingerprint.words.join(' ')}</span>
      </div>
      {refused && (
        <div className="stop" role="alert" aria-label="Signing refused">
          <h3>STOP: this request will not be signed</h3>
          <ul>
            {review.refusals.map((r, i) => (
              <li key={i}>
                {r.message}
                {r.output !== undefined ? ` (output ${r.output})` : r.input !== undefined ? ` (input ${r.input})` : ''} <code className="muted">{r.code}</code>
              </li>
            ))}
          </ul>
        </div>
      )}
      <MoneyBar review={review} />
      <table className="table outputs">
        <caption>Outputs: where the money goes</caption>
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">Address</th>
            <th scope="col">Amount</th>
            <th scope="col">Kind</th>
          </tr>
        </thead>
        <tbody>
          {review.outputs.map((o) => (
            <tr key={o.index} aria-label={`Output ${o.index}`}>
              <td>{o.index}</td>
              <td>
                <code className="address">{o.address ? groupAddress(o.address) : o.opReturnData !== undefined ? `OP_RETURN data ${o.opReturnData}` : `script ${o.script}`}</code>
              </td>
              <td>
                <Sats sats={o.amount} />
              </td>
              <td>
                <span className={`badge badge-${o.kind}`}>{KIND_WORDS[o.kind]}</span>
                {o.payGo ? ' (BitGo PayGo fee)' : ''}
                {o.kind === 'change' && o.chain !== undefined ? <div className="muted">chain {o.chain}, index {o.derivationIndex}</div> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <dl className="facts">
        <dt>Fee</dt>
        <dd>
          <Sats sats={review.fee} />
        </dd>
        <dt>Fee rate</dt>
        <dd>{review.feeRate} sat/vB</dd>
        <dt>Leaves the wallet</dt>
        <dd>
          <Sats sats={review.totals.spend} />
        </dd>
        <dt>Inputs</dt>
        <dd>
          {review.inputs.length} ({review.scriptTypes.join(', ')})
        </dd>
      </dl>
      {review.warnings.length > 0 && (
        <fieldset className="warnings">
          <legend>Warnings: acknowledge each one to approve</legend>
          {review.warnings.map((w, i) => {
            const key = data.warningKeys[i]!;
            return (
              <label key={key} className="choice">
                <input
                  type="checkbox"
                  checked={acked.has(key)}
                  disabled={!decidable}
                  onChange={(e) => {
                    const next = new Set(acked);
                    if (e.target.checked) next.add(key);
                    else next.delete(key);
                    setAcked(next);
                  }}
                />{' '}
                WARNING: {w.message}
              </label>
            );
          })}
        </fieldset>
      )}
      {decidable && (
        <div className="decide">
          <div className="actions">
            <button type="button" disabled={refused || !allAcked} onClick={() => void act('approve')}>
              Approve {request.file}
            </button>
          </div>
          {!refused && !allAcked && <p className="hint">Acknowledge every warning to approve.</p>}
          <label htmlFor={`${id}-reason`}>Reason for rejecting (optional)</label>
          <div className="unlock-row">
            <input id={`${id}-reason`} value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} />
            <button type="button" className="secondary" onClick={() => void act('reject')}>
              Reject {request.file}
            </button>
          </div>
        </div>
      )}
      <p className="error" role="alert">
        {error ?? ''}
      </p>
    </section>
  );
}

function ActionResults({ title, results }: { title: string; results: RequestActionResult[] }) {
  if (results.length === 0) return null;
  return (
    <div aria-label={title}>
      <h3>{title}</h3>
      <ul>
        {results.map((r) => (
          <li key={r.requestId}>
            {r.ok ? (
              <>
                <code>{r.request.file}</code>: {STATUS_WORDS[r.request.status]}
                {r.request.output ? (
                  <>
                    {' '}
                    as <code>{r.request.output}</code>
                  </>
                ) : null}
              </>
            ) : (
              <span className="error-inline">{wordsFor(r.error)}</span>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** "n of N" while a batch signs, with Cancel; after it, what happened to the batch. Words, not only the bar. */
function SignProgress({ progress }: { progress: SignProgressEvent }) {
  const [asked, setAsked] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const running = progress.state === 'running';
  // The Sign button is disabled while the batch runs, which drops the keyboard focus: it goes to Cancel instead.
  const cancelButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (running) cancelButton.current?.focus();
  }, [running]);
  const text = running
    ? `Signing ${progress.done + 1} of ${progress.total}${progress.current ? `: ${progress.current.file}` : ''}`
    : progress.state === 'canceled'
      ? `Signing canceled after ${progress.done} of ${progress.total}. The ${progress.total - progress.done} not reached are still approved.`
      : `Signing finished: ${progress.done} of ${progress.total} done. See the results below.`;
  const cancel = async () => {
    try {
      setAsked(progress.batchId);
      await api.cancelSigning(progress.batchId);
      setError(null);
    } catch (e) {
      setError(wordsFor(e));
    }
  };
  return (
    <div className="sign-progress" role="group" aria-label="Signing progress">
      <progress value={progress.done} max={Math.max(progress.total, 1)} aria-label={`${progress.done} of ${progress.total} requests done`} />
      <p role="status">{text}</p>
      {running && (
        <div className="actions">
          <button type="button" className="secondary" ref={cancelButton} disabled={asked === progress.batchId} onClick={() => void cancel()}>
            {asked === progress.batchId ? 'Canceling after this request…' : 'Cancel signing'}
          </button>
        </div>
      )}
      <p className="error" role="alert">
        {error ?? ''}
      </p>
    </div>
  );
}

function Summary({ summary, drive, onExported }: { summary: SessionSummary; drive: DriveView | null; onExported: () => void }) {
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const exportSummary = async () => {
    try {
      if (!drive) throw new ApiError({ error: 'Choose the drive to write the summary to (under “Request files on USB drives”)', name: 'WorkflowError', code: 'drive_not_chosen' });
      const { file } = await api.exportSessionSummary(drive.id);
      setMessage(`Summary written to ${file} on ${drive.label}.`);
      setError(null);
      onExported();
    } catch (e) {
      setError(wordsFor(e));
    }
  };
  return (
    <section aria-labelledby="summary-title">
      <div className="section-head">
        <h2 id="summary-title">Session summary</h2>
        <button type="button" className="secondary" onClick={() => void exportSummary()}>
          {drive ? `Export summary to ${drive.label}` : 'Export summary to the USB drive'}
        </button>
      </div>
      <p>
        {summary.counts.signed} signed, {summary.counts.rejected} rejected, {summary.counts.failed} failed, {summary.counts.pending} not finished
      </p>
      {summary.rows.length > 0 && (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Outcome</th>
              <th scope="col">File</th>
              <th scope="col">Review fingerprint</th>
              <th scope="col">Details</th>
            </tr>
          </thead>
          <tbody>
            {summary.rows.map((r) => (
              <tr key={r.requestId}>
                <td>
                  <strong>{r.outcome.toUpperCase()}</strong>
                </td>
                <td>
                  <code>{r.file}</code>
                  {r.output ? (
                    <div>
                      → <code>{r.output}</code>
                    </div>
                  ) : null}
                </td>
                <td>
                  <code>{r.fingerprint ?? '—'}</code>
                </td>
                <td>{r.detail ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p role="status">{message ?? ''}</p>
      <p className="error" role="alert">
        {error ?? ''}
      </p>
    </section>
  );
}

/** The whole workflow, shown below the key store. `onWalletsChanged` is not needed: signing reads the vault in main. */
export function Requests({ demo = false }: { demo?: boolean }) {
  const [groups, setGroups] = useState<RequestGroup[]>([]);
  const [imported, setImported] = useState<ImportFileResult[]>([]);
  const [selected, setSelected] = useState<string | null>(null);
  const [opened, setOpened] = useState(0);
  const [review, setReview] = useState<RequestReview | null>(null);
  const [signResults, setSignResults] = useState<RequestActionResult[]>([]);
  const [exportResults, setExportResults] = useState<RequestActionResult[]>([]);
  const [summary, setSummary] = useState<SessionSummary | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [drive, setDrive] = useState<DriveView | null>(null);
  const [progress, setProgress] = useState<SignProgressEvent | null>(null);
  const [busy, setBusy] = useState(false);
  // Bare PSBT files do not say their network; the demo's wallets are testnet, so its default is testnet.
  const [psbtNetwork, setPsbtNetwork] = useState<PsbtNetworkChoice>(demo ? 'testnet' : '');
  /** Names of results that came by camera ("QR code n"), so a wallet choice for one goes to the scan, not a drive. */
  const [scanned, setScanned] = useState<Set<string>>(new Set());
  useEffect(() => api.on('signProgress', setProgress), []);

  const reload = useCallback(async (reviewId: string | null) => {
    try {
      setGroups(await api.listRequests());
      setSummary(await api.sessionSummary());
      setReview(reviewId === null ? null : await api.reviewRequest(reviewId));
      setError(null);
    } catch (e) {
      setError(wordsFor(e));
    }
  }, []);
  useEffect(() => void reload(null), [reload]);

  const all: RequestView[] = groups.flatMap((g) => g.requests);
  const approved = all.filter((r) => r.status === 'approved').length;
  // Scanned requests have no drive to export to: their results are shown as QR codes instead.
  const signed = all.filter((r) => r.status === 'signed' && r.via !== 'qr').length;

  const run = async (what: 'sign' | 'export') => {
    setBusy(true);
    if (what === 'sign') setProgress(null);
    try {
      if (what === 'sign') setSignResults(await api.signApproved());
      else setExportResults(await api.exportSigned());
      setError(null);
    } catch (e) {
      setError(wordsFor(e));
    } finally {
      setBusy(false);
    }
    await reload(selected);
  };

  return (
    <>
      <DrivePicker
        onDrive={setDrive}
        network={psbtNetwork}
        onNetwork={setPsbtNetwork}
        onImported={(r) => {
          setImported(r);
          void reload(selected);
        }}
      />
      <QrScan
        onImported={(r) => {
          setScanned((prev) => new Set(prev).add(r.file));
          setImported([r]);
          void reload(selected);
        }}
      />
      <ImportResults
        results={imported}
        network={psbtNetwork}
        onChoose={(file, walletId, network) => {
          const n = network === '' ? undefined : network;
          // A scanned PSBT is imported again from the bytes main kept; a file from its drive.
          const again = scanned.has(file) ? api.chooseScannedWallet(walletId, n).then((r) => [r]) : drive ? api.importRequests(drive.id, [file], walletId, n) : null;
          if (!again) {
            setError('The drive of that file is no longer chosen: choose it again above, then import the file again.');
            return;
          }
          void again
            .then((results) => setImported((prev) => prev.map((r) => (r.file === file ? (results[0] ?? r) : r))))
            .catch((e: unknown) => setError(wordsFor(e)))
            .finally(() => void reload(selected));
        }}
      />
      <section aria-labelledby="requests-title">
        <h2 id="requests-title">Imported requests</h2>
        <RequestList
          groups={groups}
          selected={selected}
          onSelect={(id) => {
            setSelected(id);
            setOpened((n) => n + 1);
            void reload(id);
          }}
        />
      </section>
      {review && <ReviewPanel data={review} opened={opened} onDecided={() => void reload(selected)} />}
      <section aria-labelledby="sign-title">
        <h2 id="sign-title">Sign and export</h2>
        <p className="muted">Signing needs each request's wallet unlocked above. Signed files are written next to their request, never over an existing file.</p>
        <div className="actions">
          <button type="button" disabled={busy || approved === 0} onClick={() => void run('sign')}>
            Sign approved requests ({approved})
          </button>
          <button type="button" disabled={busy || signed === 0} onClick={() => void run('export')}>
            Export signed files ({signed})
          </button>
        </div>
        {progress && <SignProgress progress={progress} />}
        <ActionResults title="Signing results" results={signResults} />
        <ActionResults title="Export results" results={exportResults} />
        <p className="error" role="alert">
          {error ?? ''}
        </p>
      </section>
      <QrShow requests={all.filter((r) => r.status === 'signed' || r.status === 'exported')} />
      {summary && <Summary summary={summary} drive={drive} onExported={() => void reload(selected)} />}
    </>
  );
}
