// One request's review, where the operator decides: the fingerprint to compare with the online side, refusals as a
// STOP, where the money goes, each output with its full address and kind, the fee, a checkbox per warning, then
// approve (only with every warning ticked; the approval carries the fingerprint shown) or reject with a reason.
import { useEffect, useId, useRef, useState } from 'react';
import type { RequestReview } from '../shared/contract';
import { RequestAuth } from './RequestAuth';
import { formatBtc } from '../shared/amount';
import { musig2StepWords, payGoBasisWords, type OutputKind } from '../shared/review';
import { api } from './api';
import { MoneyBar } from './MoneyBar';
import { useMain } from './useMain';
import { STATUS_WORDS } from './words';
import { visible } from '../shared/text';

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
      <p>
        Wallet <code>{review.walletId}</code> · network {review.network} · state: <strong>{STATUS_WORDS[request.status]}</strong>
      </p>
      <RequestAuth auth={data.auth} />
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
                {o.payGo ? ` (BitGo PayGo fee: ${payGoBasisWords(o, review.policy.source)})` : ''}
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
        {review.musig2 && (
          <>
            <dt>MuSig2</dt>
            <dd aria-label="MuSig2 step">{musig2StepWords(review.musig2)}</dd>
          </>
        )}
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
              Approve {visible(request.file)}
            </button>
          </div>
          {!refused && !allAcked && <p className="hint">Acknowledge every warning to approve.</p>}
          <label htmlFor={`${id}-reason`}>Reason for rejecting (optional)</label>
          <div className="unlock-row">
            <input id={`${id}-reason`} value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} />
            <button type="button" className="secondary" onClick={() => void act('reject')}>
              Reject {visible(request.file)}
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
