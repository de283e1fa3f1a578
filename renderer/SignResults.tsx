// What signing and export did: the progress of a batch while it signs (with Cancel), then each request's outcome.
import { useEffect, useRef, useState } from 'react';
import type { RequestActionResult, SignProgressEvent } from '../shared/contract';
import { api } from './api';
import { useMain } from './useMain';
import { statusWords, wordsFor } from './words';
import { visible } from '../shared/text';

/** "1 of 2 signed", with why the rest were not: "0 of 1 signed: wallet 5f2a… locked". */
export function finishedWords(p: SignProgressEvent): string {
  const signed = p.signed ?? p.done;
  const locked = p.lockedWallets ?? [];
  const why = locked.length > 0 ? `: wallet${locked.length === 1 ? '' : 's'} ${locked.join(', ')} locked` : '';
  return `${signed} of ${p.total} signed${why}.${signed < p.total ? ' See the results below.' : ''}`;
}

/** "n of N" while a batch signs, with Cancel; after it, what happened to the batch. Words, not only the bar. */
export function SignProgress({ progress }: { progress: SignProgressEvent }) {
  const [asked, setAsked] = useState<string | null>(null);
  const { error, run } = useMain();
  const running = progress.state === 'running';
  // The Sign button is disabled while the batch runs, which drops the keyboard focus: it goes to Cancel instead.
  const cancelButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (running) cancelButton.current?.focus();
  }, [running]);
  const text = running
    ? `Signing ${progress.done + 1} of ${progress.total}${progress.current ? `: ${visible(progress.current.file)}` : ''}`
    : progress.state === 'canceled'
      ? `Signing canceled: ${progress.signed ?? progress.done} of ${progress.total} signed. The ${progress.total - (progress.signed ?? progress.done)} others are still approved.`
      : finishedWords(progress);
  const barValue = running ? progress.done : (progress.signed ?? progress.done);
  const cancel = () =>
    run(async () => {
      setAsked(progress.batchId);
      await api.cancelSigning(progress.batchId);
    });
  return (
    <div className="sign-progress" role="group" aria-label="Signing progress">
      {/* Once the batch has ended the bar shows what was signed (a canceled or locked request is not done). */}
      <progress value={barValue} max={Math.max(progress.total, 1)} aria-label={`${barValue} of ${progress.total} requests ${running ? 'done' : 'signed'}`} />
      <p role="status">{text}</p>
      {running && (
        <div className="actions">
          <button type="button" className="secondary" ref={cancelButton} disabled={asked === progress.batchId} onClick={() => void cancel()}>
            {asked === progress.batchId ? 'Canceling…' : 'Cancel signing'}
          </button>
        </div>
      )}
      <p className="error" role="alert">
        {error ?? ''}
      </p>
    </div>
  );
}

export function ActionResults({ title, results }: { title: string; results: RequestActionResult[] }) {
  if (results.length === 0) return null;
  return (
    <div aria-label={title}>
      <h3>{title}</h3>
      <ul>
        {results.map((r) => (
          <li key={r.requestId}>
            {r.ok ? (
              <>
                <code>{visible(r.request.file)}</code>: {statusWords(r.request)}
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
