// The imported requests, by wallet: each one's file and drive, state in words, review fingerprint, and the button
// that opens its review.
import type { RequestGroup } from '../shared/contract';
import { statusWords } from './words';
import { visible } from '../shared/text';

export function RequestList({ groups, unlocked, selected, onSelect }: { groups: RequestGroup[]; unlocked: ReadonlySet<string>; selected: string | null; onSelect: (id: string) => void }) {
  if (groups.length === 0) return <p>No requests imported yet.</p>;
  return (
    <>
      {groups.map((g) => (
        <section key={g.walletId} aria-label={`Requests for wallet ${g.walletId}`} className="request-group">
          <h3>
            Wallet <code>{g.walletId}</code> <span className="wallet-lock-state">{unlocked.has(g.walletId) ? '(unlocked)' : '(locked: unlock it in step 2, Unlock, to sign)'}</span>
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
                <tr key={r.requestId} aria-label={`Request ${visible(r.file)}`}>
                  <td>
                    <code>{visible(r.file)}</code> <span className="muted">on {visible(r.drive)}</span>
                    {r.output && (
                      <div>
                        written as <code>{r.output}</code>
                        {r.receipt && (
                          <>
                            {' '}
                            with its signed receipt <code>{r.receipt}</code>
                          </>
                        )}
                      </div>
                    )}
                  </td>
                  <td>
                    <strong>{r.refused && r.status === 'imported' ? 'REFUSED by the review' : statusWords(r)}</strong>
                    {r.rejectReason ? <div className="muted">Reason: {r.rejectReason}</div> : null}
                    {r.error && <div className="error-inline">{r.error.error}</div>}
                  </td>
                  <td>
                    <code>{r.fingerprint}</code>
                  </td>
                  <td>
                    <button type="button" className="secondary" aria-pressed={selected === r.requestId} onClick={() => onSelect(r.requestId)}>
                      Review {visible(r.file)}
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
