// The operator's USB workflow screens: pick a drive and request files, import, review each request (outputs,
// fee, warnings to acknowledge, refusals that stop), approve or reject, sign the approved ones, export the signed
// files next to their requests, and the session summary. Every state is said in words; colour only repeats it.
// Everything is a button, checkbox or text field: keyboard operable, with the global visible focus ring. This file
// holds the workflow's state and its order on the page; each step is drawn by its own file.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { DriveView, ImportFileResult, RequestActionResult, RequestGroup, RequestReview, RequestView, SessionSummary, SignProgressEvent, WalletView } from '../shared/contract';
import { api } from './api';
import { DrivePicker, ImportResults, type PsbtNetworkChoice } from './ImportRequests';
import { QrScan } from './QrScan';
import { QrShow } from './QrShow';
import { RequestList } from './RequestList';
import { ReviewPanel } from './ReviewPanel';
import { Summary } from './SessionSummary';
import { ActionResults, SignProgress } from './SignResults';
import { useMain } from './useMain';

/**
 * The whole workflow, shown below the key store. `wallets` (main's view, refreshed on its walletChanged events) says
 * which wallets are locked: Sign is offered only when every wallet with approved requests is unlocked.
 */
export function Requests({ demo = false, wallets = [] }: { demo?: boolean; wallets?: WalletView[] }) {
  const [groups, setGroups] = useState<RequestGroup[]>([]);
  const [imported, setImported] = useState<ImportFileResult[]>([]);
  const [selected, setSelected] = useState<string | null>(null);
  const [opened, setOpened] = useState(0);
  const [review, setReview] = useState<RequestReview | null>(null);
  const [signResults, setSignResults] = useState<RequestActionResult[]>([]);
  const [exportResults, setExportResults] = useState<RequestActionResult[]>([]);
  const [summary, setSummary] = useState<SessionSummary | null>(null);
  const { busy, error, run, setError } = useMain();
  const [drive, setDrive] = useState<DriveView | null>(null);
  const [progress, setProgress] = useState<SignProgressEvent | null>(null);
  // Bare PSBT files do not say their network; the demo's wallets are testnet, so its default is testnet.
  const [psbtNetwork, setPsbtNetwork] = useState<PsbtNetworkChoice>(demo ? 'testnet' : '');
  /** Names of results that came by camera ("QR code n"), so a wallet choice for one goes to the scan, not a drive. */
  const [scanned, setScanned] = useState<Set<string>>(new Set());
  useEffect(() => api.on('signProgress', setProgress), []);

  const reload = useCallback(
    (reviewId: string | null) =>
      run(
        async () => {
          setGroups(await api.listRequests());
          setSummary(await api.sessionSummary());
          setReview(reviewId === null ? null : await api.reviewRequest(reviewId));
        },
        { busy: false },
      ),
    [run],
  );
  useEffect(() => void reload(null), [reload]);
  // Main changes a request's state on its own when its signed result is shown as QR codes: read the list again.
  useEffect(() => api.on('requestChanged', () => void reload(selected)), [reload, selected]);

  const all: RequestView[] = groups.flatMap((g) => g.requests);
  const approved = all.filter((r) => r.status === 'approved').length;
  const unlocked = new Set(wallets.filter((w) => w.unlocked).map((w) => w.walletId));
  const lockedNeeded = [...new Set(all.filter((r) => r.status === 'approved' && !unlocked.has(r.walletId)).map((r) => r.walletId))];
  // Scanned and built-in demo requests have no drive to export to: their results are shown as QR codes instead.
  const signed = all.filter((r) => (r.status === 'signed' || r.status === 'shown') && r.via === undefined).length;

  // Focus follows the work (issue 19, item 11): after signing, Export; after the last decision, Sign. The button
  // is focused after the render that enables it (a disabled button cannot take the focus).
  const signButton = useRef<HTMLButtonElement>(null);
  const exportButton = useRef<HTMLButtonElement>(null);
  const [focusNext, setFocusNext] = useState<'sign' | 'export' | null>(null);
  useEffect(() => {
    const target = focusNext === 'sign' ? signButton.current : focusNext === 'export' ? exportButton.current : null;
    if (!focusNext) return;
    // Once, after the render that follows the step: a button still disabled (nothing to sign or export) is skipped,
    // and the wish is dropped so it cannot take the focus later from under the operator.
    if (target && !target.disabled) target.focus();
    setFocusNext(null);
  }, [focusNext, approved, signed]);

  const signOrExport = async (what: 'sign' | 'export') => {
    if (what === 'sign') setProgress(null);
    // Only the latest step's results stay on screen: an old "Signed, not exported yet" must not sit above
    // "Signed and exported" (nor old export results above a new signing's).
    setSignResults([]);
    setExportResults([]);
    await run(async () => {
      if (what === 'sign') setSignResults(await api.signApproved());
      else setExportResults(await api.exportSigned());
    });
    await reload(selected);
    if (what === 'sign') setFocusNext('export');
  };

  /** After approve or reject: the next request waiting for review (in list order, after this one) opens. */
  const afterDecision = async () => {
    const list = await api.listRequests().catch(() => null);
    const flat = list?.flatMap((g) => g.requests) ?? [];
    const at = flat.findIndex((r) => r.requestId === selected);
    const next = [...flat.slice(at + 1), ...flat.slice(0, at + 1)].find((r) => r.status === 'imported' && r.requestId !== selected);
    if (next) {
      setSelected(next.requestId);
      setOpened((n) => n + 1);
    }
    await reload(next ? next.requestId : selected);
    if (!next) setFocusNext('sign');
  };

  return (
    <>
      <DrivePicker
        onImportStart={() => setImported([])}
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
          const again = scanned.has(file) ? () => api.chooseScannedWallet(walletId, n).then((r) => [r]) : drive ? () => api.importRequests(drive.id, [file], walletId, n) : null;
          if (!again) {
            setError('The drive of that file is no longer chosen: choose it again above, then import the file again.');
            return;
          }
          const chosen = async () => {
            const results = await again();
            setImported((prev) => prev.map((r) => (r.file === file ? (results[0] ?? r) : r)));
          };
          void run(chosen, { busy: false }).then(() => reload(selected));
        }}
      />
      <section aria-labelledby="requests-title">
        <h2 id="requests-title">Imported requests</h2>
        <RequestList
          groups={groups}
          unlocked={unlocked}
          selected={selected}
          onSelect={(id) => {
            setSelected(id);
            setOpened((n) => n + 1);
            void reload(id);
          }}
        />
      </section>
      {review && <ReviewPanel data={review} opened={opened} onDecided={() => void afterDecision()} />}
      <section aria-labelledby="sign-title">
        <h2 id="sign-title">Sign and export</h2>
        <p className="muted">Signing needs each request's wallet unlocked above. Signed files are written next to their request, never over an existing file.</p>
        <div className="actions">
          <button type="button" ref={signButton} disabled={busy || approved === 0 || lockedNeeded.length > 0} aria-describedby="sign-locked" onClick={() => void signOrExport('sign')}>
            Sign approved requests ({approved})
          </button>
          <button type="button" ref={exportButton} disabled={busy || signed === 0} onClick={() => void signOrExport('export')}>
            Export signed files ({signed})
          </button>
        </div>
        <p id="sign-locked" className="hint">
          {lockedNeeded.length > 0 ? `Unlock wallet${lockedNeeded.length === 1 ? '' : 's'} ${lockedNeeded.join(', ')} above to sign: ${lockedNeeded.length === 1 ? 'it is' : 'they are'} locked.` : ''}
        </p>
        {progress && <SignProgress progress={progress} />}
        <ActionResults title="Signing results" results={signResults} />
        <ActionResults title="Export results" results={exportResults} />
        <p className="error" role="alert">
          {error ?? ''}
        </p>
      </section>
      <QrShow requests={all.filter((r) => r.status === 'signed' || r.status === 'shown' || r.status === 'exported')} />
      {summary && <Summary summary={summary} drive={drive} onExported={() => void reload(selected)} />}
    </>
  );
}
