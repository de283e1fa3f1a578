// The session summary: signed, rejected and failed requests with their files and fingerprints, exportable to the
// chosen drive as a text file for the custody records.
import { useState } from 'react';
import type { DriveView, SessionSummary } from '../shared/contract';
import { api } from './api';
import { useMain } from './useMain';
import { visible } from '../shared/text';

export function Summary({ summary, drive, onExported }: { summary: SessionSummary; drive: DriveView | null; onExported: () => void }) {
  const [message, setMessage] = useState<string | null>(null);
  const { error, run, setError } = useMain();
  const exportSummary = async () => {
    if (!drive) {
      setError('Choose the drive to write the summary to (under “Request files on USB drives”)');
      return;
    }
    await run(async () => {
      const { file } = await api.exportSessionSummary(drive.id);
      setMessage(`Summary written to ${visible(file)} on ${visible(drive.label)}.`);
      onExported();
    });
  };
  return (
    <section aria-labelledby="summary-title">
      <div className="section-head">
        <h2 id="summary-title">Session summary</h2>
        <button type="button" className="secondary" onClick={() => void exportSummary()}>
          {drive ? `Export summary to ${visible(drive.label)}` : 'Export summary to the USB drive'}
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
                  <code>{visible(r.file)}</code>
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
