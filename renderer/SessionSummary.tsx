// The session summary: every request's state now (signed and exported, signed and shown as QR codes, signed but
// not exported, approved, refused, rejected, failed, waiting), with its file, review fingerprint, where its money
// goes and its fee; exportable to a USB drive as a text file for the custody records (the same words).
import { useState } from 'react';
import type { DriveView, SessionSummary } from '../shared/contract';
import { OUTCOME_WORDS, btcAndSats, sendWords } from '../shared/summary';
import { api } from './api';
import { useMain } from './useMain';
import { visible } from '../shared/text';

export function Summary({ summary, drive, onExported }: { summary: SessionSummary; drive: DriveView | null; onExported: () => void }) {
  const [message, setMessage] = useState<string | null>(null);
  const { error, run } = useMain();
  // Only a USB drive takes the summary file: the demo's built-in requests are not a drive.
  const usb = drive !== null && drive.builtIn !== true ? drive : null;
  const exportSummary = async () => {
    if (!usb) return;
    setMessage(null);
    await run(async () => {
      const { file, receipt } = await api.exportSessionSummary(usb.id);
      setMessage(`Summary written to ${visible(file)} on ${visible(usb.label)}${receipt !== undefined ? `, with its signed receipt ${visible(receipt)}` : ''}.`);
      onExported();
    });
  };
  return (
    <section aria-labelledby="summary-title">
      <div className="section-head">
        <h2 id="summary-title">Session summary</h2>
        <button type="button" className="secondary" disabled={!usb} aria-describedby="summary-drive-hint" onClick={() => void exportSummary()}>
          {usb ? `Export summary to ${visible(usb.label)}` : 'Export summary to the USB drive'}
        </button>
      </div>
      <p id="summary-drive-hint" className="hint">
        {usb ? '' : 'To export the summary, choose a USB drive under “Request files on USB drives”.'}
      </p>
      <p>{summary.countsLine}</p>
      {summary.rows.length > 0 && (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Outcome</th>
              <th scope="col">File</th>
              <th scope="col">Review fingerprint</th>
              <th scope="col">Where the money goes</th>
              <th scope="col">Details</th>
            </tr>
          </thead>
          <tbody>
            {summary.rows.map((r) => (
              <tr key={r.requestId} aria-label={`Summary of ${visible(r.file)}`}>
                <td>
                  <strong>{OUTCOME_WORDS[r.outcome]}</strong>
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
                  <code>{r.fingerprint ?? 'none (not read as a request)'}</code>
                </td>
                <td>
                  {r.sends !== undefined || r.fee !== undefined ? (
                    <ul className="plain">
                      {(r.sends ?? []).map((s, i) => (
                        <li key={i}>{sendWords(s)}</li>
                      ))}
                      {r.change !== undefined && r.change > 0 ? <li>change back to the wallet {btcAndSats(r.change)}</li> : null}
                      {r.fee !== undefined ? <li>network fee {btcAndSats(r.fee)}</li> : null}
                    </ul>
                  ) : (
                    <span className="muted">not known</span>
                  )}
                </td>
                <td>
                  {r.outcome === 'shown' ? 'shown as QR codes on screen (no file written)' : ''}
                  {r.outcome === 'shown' && r.detail ? ' · ' : ''}
                  {r.detail ? visible(r.detail) : ''}
                </td>
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
