// One request's review, where the operator decides. It opens as a hardware signer does: one line that says what
// the transaction does (or REFUSED and why), then the STOP or the warnings to tick, directly under it. Then the
// fingerprint to compare and the unsigned txid, where the money goes (the bar, every output with its kind,
// recipients summed by address), the fee, and the inputs grouped by script type and chain, paged. Approve (only
// with every warning ticked; the approval carries the fingerprint shown) and Reject stay in view in a bar at the
// bottom however long the payout. A refused request offers Reject only. Every word comes from
// shared/review-words.ts, which the command line's `review` reads too. The presentational parts are in ReviewParts.tsx.
// What it shows is main's summary of the review (shared/review-page.ts): the long lists come a page at a time.
import { useEffect, useId, useRef, useState } from 'react';
import type { RequestReview } from '../shared/contract';
import { RequestAuth } from './RequestAuth';
import { musig2StepWords } from '../shared/review';
import { countWords } from '../shared/review-words';
import { api } from './api';
import { MoneyBar } from './MoneyBar';
import { RegisteredWallet } from './RegisteredWallet';
import { Fingerprint, Inputs, Outputs, Sats } from './ReviewParts';
import { useMain } from './useMain';
import { STATUS_WORDS, statusWords } from './words';
import { visible } from '../shared/text';

// The page size and the address grouping stay importable from here, as before the split.
export { INPUT_PAGE_SIZE, groupAddress } from './ReviewParts';

/** `opened` changes each time the operator asks for a review (even the one shown): the review takes the focus. */
export function ReviewPanel({ data, opened, onDecided }: { data: RequestReview; opened: number; onDecided: () => void }) {
  const id = useId();
  const { review, request } = data;
  const [acked, setAcked] = useState<Set<string>>(new Set());
  const [reason, setReason] = useState('');
  const { error, run, setError } = useMain();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    setAcked(new Set());
    setReason('');
    setError(null);
  }, [request.requestId, setError]);
  useEffect(() => heading.current?.focus(), [request.requestId, opened]);

  const refused = review.refusals.length > 0;
  const allAcked = data.warningKeys.every((k) => acked.has(k));
  const decidable = request.status === 'imported';
  const glance = review.glance;

  const act = (what: 'approve' | 'reject') =>
    run(async () => {
      if (what === 'approve') await api.approveRequest(request.requestId, review.fingerprint.sha256, [...acked]);
      else await api.rejectRequest(request.requestId, reason);
      onDecided();
    });

  return (
    <section aria-labelledby={`${id}-title`} className="review">
      <h2 id={`${id}-title`} ref={heading} tabIndex={-1}>
        Review: {visible(request.file)}
      </h2>
      <p className={refused ? 'glance glance-refused' : 'glance'} aria-label="At a glance">
        {glance.text}
      </p>
      {refused ? (
        <div className="stop" role="alert" aria-label="Signing refused">
          <h3>STOP: this request will not be signed</h3>
          <ul>
            {review.refusals.map((_, i) => {
              const words = review.words.refusals[i]!;
              return (
                <li key={i}>
                  {words.headline}
                  <div className="issue-details">Details: {words.details}</div>
                </li>
              );
            })}
          </ul>
          {review.refusalCount > review.refusals.length && <p>And {countWords(review.refusalCount - review.refusals.length, 'more reason')} (the first {review.refusals.length} are listed).</p>}
          {review.warnings.length > 0 && (
            <>
              <h4>Also found ({countWords(review.warningCount, 'warning')})</h4>
              <ul>
                {review.warnings.map((_, i) => {
                  const words = review.words.warnings[i]!;
                  return (
                    <li key={i}>
                      {words.headline}
                      <div className="issue-details">Details: {words.details}</div>
                    </li>
                  );
                })}
              </ul>
            </>
          )}
        </div>
      ) : (
        review.warnings.length > 0 && (
          <fieldset className="warnings">
            <legend>{countWords(review.warningCount, 'warning')}: acknowledge each one to approve</legend>
            {review.warnings.map((_, i) => {
              const key = data.warningKeys[i]!;
              const words = review.words.warnings[i]!;
              return (
                <div key={key} className="warning-item">
                  <label className="choice">
                    <input
                      type="checkbox"
                      checked={acked.has(key)}
                      disabled={!decidable}
                      aria-describedby={`${id}-w${i}`}
                      onChange={(e) => {
                        const next = new Set(acked);
                        if (e.target.checked) next.add(key);
                        else next.delete(key);
                        setAcked(next);
                      }}
                    />{' '}
                    WARNING: {words.headline}
                  </label>
                  <div className="issue-details" id={`${id}-w${i}`}>
                    Details: {words.details}
                  </div>
                </div>
              );
            })}
            {review.warningCount > review.warnings.length && (
              <p className="hint">
                And {countWords(review.warningCount - review.warnings.length, 'more warning')}: more than {review.warnings.length.toLocaleString('en-US')} warnings cannot be
                acknowledged, so this request cannot be approved; reject it.
              </p>
            )}
          </fieldset>
        )
      )}
      {data.sameTransaction.length > 0 && (
        <div className="banner banner-warning same-tx" role="note" aria-label="Same transaction imported twice">
          <strong>The same transaction was imported {data.sameTransaction.length === 1 ? 'twice' : `${data.sameTransaction.length + 1} times`}</strong>: it is also in{' '}
          {data.sameTransaction.map((o, i) => (
            <span key={o.requestId}>
              {i > 0 ? ', ' : ''}
              <q>{visible(o.file)}</q> ({STATUS_WORDS[o.status]})
            </span>
          ))}
          . Same unsigned txid, another file format or other signatures: approve it once, and reject the copies.
        </div>
      )}
      {/* Approve and Reject come right after the warnings in the tab order, and stay in view at the bottom of the
          window (CSS order and position: sticky put the bar last on screen). */}
      <div className={decidable ? 'decide decide-bar' : 'decide'} aria-label="Decision">
        {decidable && (
          <>
            <div className="decide-row">
              {!refused && (
                <button type="button" disabled={!allAcked} onClick={() => void act('approve')}>
                  Approve {visible(request.file)}
                </button>
              )}
              <input id={`${id}-reason`} aria-label="Reason for rejecting (optional)" value={reason} maxLength={500} placeholder="Reason for rejecting (optional)" onChange={(e) => setReason(e.target.value)} />
              <button type="button" className="secondary" onClick={() => void act('reject')}>
                Reject {visible(request.file)}
              </button>
            </div>
            {refused ? <p className="hint">Refused: it can only be rejected.</p> : !allAcked && <p className="hint">Acknowledge every warning to approve.</p>}
          </>
        )}
        <p className="error" role="alert">
          {error ?? ''}
        </p>
      </div>
      <p>
        Wallet <code>{review.walletId}</code> · network {review.network} · state: <strong>{statusWords(request)}</strong>
      </p>
      <RegisteredWallet walletId={review.walletId} />
      <RequestAuth auth={data.auth} />
      <Fingerprint review={review} />
      <MoneyBar review={review} />
      <Outputs key={review.fingerprint.sha256} requestId={request.requestId} review={review} />
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
          {review.inputCount.toLocaleString('en-US')} ({review.scriptTypes.join(', ')})
        </dd>
        {review.musig2 && (
          <>
            <dt>MuSig2</dt>
            <dd aria-label="MuSig2 step">{musig2StepWords(review.musig2)}</dd>
          </>
        )}
      </dl>
      <Inputs requestId={request.requestId} review={review} />
    </section>
  );
}
