// The operator's USB workflow screens: pick a drive and request files, import, review each request (outputs,
// fee, warnings to acknowledge, refusals that stop), approve or reject, sign the approved ones, export the signed
// files next to their requests, and the session summary. Every state is said in words; colour only repeats it.
// Everything is a button, checkbox or text field: keyboard operable, with the global visible focus ring. This file
// holds the workflow's state, which part shows in which step (Steps.tsx) and when the work moves the operator on;
// each part is drawn by its own file.
import { useCallback, useEffect, useState } from 'react';
import type { DriveView, ImportFileResult, RequestActionResult, RequestGroup, RequestReview, RequestView, SessionSummary, SignProgressEvent, WalletView } from '../shared/contract';
import { api } from './api';
import { DrivePicker, ImportResults, type PsbtNetworkChoice } from './ImportRequests';
import { QrScan } from './QrScan';
import { QrShow } from './QrShow';
import { RequestList } from './RequestList';
import { ReviewPanel } from './ReviewPanel';
import { Summary } from './SessionSummary';
import { ActionResults, SignProgress } from './SignResults';
import { Step, useStepNeed, useSteps } from './Steps';
import { useMain } from './useMain';

/**
 * The workflow's steps: Import, Review, Sign, Export / show and Summary. `wallets` (main's view, refreshed on its walletChanged events) says
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
  const { go, step } = useSteps();

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

  const waiting = all.filter((r) => r.status === 'imported').length;
  const toShow = all.filter((r) => r.status === 'signed' && r.via !== undefined).length;
  const n = (k: number, one: string, many = `${one}s`) => `${k} ${k === 1 ? one : many}`;
  useStepNeed('import', all.length === 0 ? 'import request files from a USB drive, or scan QR codes.' : `${n(all.length, 'request')} imported, ${waiting} waiting for review. Import more, or go on to Review.`);
  useStepNeed('review', all.length === 0 ? 'nothing to review yet: import requests first.' : `${waiting} waiting for review, ${approved} approved. Approve or reject each, then go on to Sign.`);
  useStepNeed(
    'sign',
    `${approved} approved, ${waiting} waiting for review.${lockedNeeded.length > 0 ? ` Unlock ${lockedNeeded.length === 1 ? 'wallet' : 'wallets'} ${lockedNeeded.join(', ')} to sign.` : ''}`,
  );
  useStepNeed('export', `${n(signed, 'signed file')} to export, ${n(toShow, 'signed result')} to show as QR codes.`);
  useStepNeed('summary', summary?.countsLine ?? 'no summary yet.');

  const signOrExport = async (what: 'sign' | 'export') => {
    if (what === 'sign') setProgress(null);
    // Only the latest step's results stay on screen: an old "Signed, not exported yet" must not sit above
    // "Signed and exported" (nor old export results above a new signing's).
    setSignResults([]);
    setExportResults([]);
    let results: RequestActionResult[] = [];
    await run(async () => {
      results = what === 'sign' ? await api.signApproved() : await api.exportSigned();
      (what === 'sign' ? setSignResults : setExportResults)(results);
    });
    const after = await api.listRequests().then((g) => g.flatMap((x) => x.requests)).catch(() => null);
    await reload(selected);
    // Moved on when the work is done: after a signing that signed every approved request (none canceled, none
    // locked), to export or show; after an export that wrote everything, when nothing signed is left to export or
    // show, to the summary. Otherwise the step stays, with its results to read and its work to finish.
    if (what === 'sign' && results.some((r) => r.ok && r.request.status === 'signed') && after !== null && !after.some((r) => r.status === 'approved')) go('export');
    if (what === 'export' && results.length > 0 && results.every((r) => r.ok) && after !== null && !after.some((r) => r.status === 'signed')) go('summary');
  };

  /** After an import: when every file came in clean, Review with the first one open; otherwise its results stay. */
  const imported_ = async (results: ImportFileResult[]) => {
    const clean = results.length > 0 && results.every((r) => r.ok && r.refused === undefined);
    const first = clean ? results.find((r) => r.ok) : undefined;
    const firstId = first?.ok ? first.requestId : null;
    await reload(firstId ?? selected);
    setImported(results);
    if (firstId !== null) {
      setSelected(firstId);
      setOpened((k) => k + 1);
      go('review');
    }
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
    go(next ? 'review' : 'sign');
  };

  const onImported = (results: ImportFileResult[]) => void imported_(results);
  const importResults = (
    <ImportResults
      results={imported}
      network={psbtNetwork}
      onChoose={(file, walletId, network) => {
        const n = network === '' ? undefined : network;
        // A scanned PSBT is imported again from the bytes main kept; a file from its drive.
        const again = scanned.has(file) ? () => api.chooseScannedWallet(walletId, n).then((r) => [r]) : drive ? () => api.importRequests(drive.id, [file], walletId, n) : null;
        if (!again) {
          setError('The drive of that file is no longer chosen: choose it again in the Import step, then import the file again.');
          return;
        }
        const chosen = async () => {
          const results = await again();
          setImported((prev) => prev.map((r) => (r.file === file ? (results[0] ?? r) : r)));
        };
        void run(chosen, { busy: false }).then(() => reload(selected));
      }}
    />
  );

  // One part per step, in the order of the journey; the list of requests shows under Review, Sign and Export, and
  // the last import's results under Import and (below the list) Review. A step's first heading is its heading.
  return (
    <>
      <Step show="import">
        <DrivePicker onImportStart={() => setImported([])} onDrive={setDrive} network={psbtNetwork} onNetwork={setPsbtNetwork} onImported={onImported} />
        {importResults}
        <QrScan
          onImported={(r) => {
            setScanned((prev) => new Set(prev).add(r.file));
            onImported([r]);
          }}
        />
      </Step>
      <Step show="review">{review && <ReviewPanel data={review} opened={opened} onDecided={() => void afterDecision()} />}</Step>
      <Step show="sign">
        <section aria-labelledby="sign-title">
          <h2 id="sign-title">Sign the approved requests</h2>
          <p className="muted">Signing needs each request's wallet unlocked (the header says which are).</p>
          <div className="actions">
            <button type="button" disabled={busy || approved === 0 || lockedNeeded.length > 0} aria-describedby="sign-locked" onClick={() => void signOrExport('sign')}>
              Sign approved requests ({approved})
            </button>
          </div>
          <p id="sign-locked" className="hint">
            {lockedNeeded.length > 0 ? `Unlock wallet${lockedNeeded.length === 1 ? '' : 's'} ${lockedNeeded.join(', ')} in step 2, Unlock, to sign: ${lockedNeeded.length === 1 ? 'it is' : 'they are'} locked.` : ''}
          </p>
          {progress && step !== 'export' && <SignProgress progress={progress} />}
          {step !== 'export' && <ActionResults title="Signing results" results={signResults} />}
          <p className="error" role="alert">
            {error ?? ''}
          </p>
        </section>
      </Step>
      <Step show="export">
        <section aria-labelledby="export-title">
          <h2 id="export-title">Export signed files, or show them as QR codes</h2>
          <p className="muted">Signed files are written next to their request, never over an existing file. Requests scanned by camera or from the demo's built-in set are shown as QR codes below.</p>
          <div className="actions">
            <button type="button" disabled={busy || signed === 0} onClick={() => void signOrExport('export')}>
              Export signed files ({signed})
            </button>
          </div>
          {/* What signing did shows here too (in one place at a time), under the step signing moved on to. */}
          {progress && step === 'export' && <SignProgress progress={progress} />}
          {step === 'export' && <ActionResults title="Signing results" results={signResults} />}
          <ActionResults title="Export results" results={exportResults} />
          <p className="error" role="alert">
            {error ?? ''}
          </p>
        </section>
        <QrShow requests={all.filter((r) => r.status === 'signed' || r.status === 'shown' || r.status === 'exported')} />
      </Step>
      <Step show={['review', 'sign', 'export']}>
        <section aria-labelledby="requests-title">
          <h2 id="requests-title">Imported requests</h2>
          <RequestList
            groups={groups}
            unlocked={unlocked}
            selected={selected}
            onSelect={(id) => {
              setSelected(id);
              setOpened((k) => k + 1);
              // From another step, go to Review once the review is there. Already on Review, the panel's heading
              // takes the focus itself: going to the same step again would take it back later, after the operator
              // may have tabbed on (to Approve) while the review loaded.
              const from = step;
              void reload(id).then(() => {
                if (from !== 'review') go('review');
              });
            }}
          />
        </section>
      </Step>
      <Step show="review">{importResults}</Step>
      <Step show="summary">
        {summary ? (
          <Summary summary={summary} drive={drive} onExported={() => void reload(selected)} />
        ) : (
          <section aria-labelledby="summary-title">
            <h2 id="summary-title">Session summary</h2>
            <p>Nothing yet.</p>
          </section>
        )}
      </Step>
    </>
  );
}
