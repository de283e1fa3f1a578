// One request's review, where the operator decides. It opens as a hardware signer does: one line that says what
// the transaction does (or REFUSED and why), then the STOP or the warnings to tick, directly under it. Then the
// fingerprint to compare and the unsigned txid, where the money goes (the bar, every output with its kind,
// recipients summed by address), the fee, and the inputs grouped by script type and chain, paged. Approve (only
// with every warning ticked; the approval carries the fingerprint shown) and Reject stay in view in a bar at the
// bottom however long the payout. A refused request offers Reject only. Every word comes from
// shared/review-words.ts, which the command line's `review` reads too.
import { Fragment, useEffect, useId, useRef, useState } from 'react';
import type { RequestReview } from '../shared/contract';
import { RequestAuth } from './RequestAuth';
import { formatBtc } from '../shared/amount';
import { musig2StepWords, payGoBasisWords, type ReviewInput, type ReviewModel } from '../shared/review';
import {
  addressGroups,
  atAGlance,
  chainWords,
  countWords,
  dataText,
  EVIDENCE_WORDS,
  evidenceSummary,
  formatSats,
  groupInputs,
  issueWords,
  OUTPUT_KIND_WORDS,
  outputDisplayKind,
  pageOf,
  recipientsByAddress,
  SCRIPT_TYPE_WORDS,
  type InputGroup,
} from '../shared/review-words';
import { api } from './api';
import { MoneyBar } from './MoneyBar';
import { RegisteredWallet } from './RegisteredWallet';
import { useMain } from './useMain';
import { STATUS_WORDS, statusWords } from './words';
import { visible } from '../shared/text';

/** Rows of one input group shown at a time: a 500-input review stays a short page. */
export const INPUT_PAGE_SIZE = 100;

/** Addresses in groups of 4 characters, so two people can read them out and compare. */
export function groupAddress(address: string): string {
  return addressGroups(address).join(' ');
}

/** Hex or an address in groups of 4 that never break inside (a line may break only between groups). */
function Groups({ text, separator = ' ' }: { text: string; separator?: string }) {
  const groups = addressGroups(text);
  // The separator stays outside the no-wrap span: it is where a line may break.
  return (
    <>
      {groups.map((g, i) => (
        <Fragment key={i}>
          <span className="group">{g}</span>
          {i < groups.length - 1 ? separator : ''}
        </Fragment>
      ))}
    </>
  );
}

/** An amount as btcAndSats says it ("0.00100000 BTC (100,000 sat)"), the satoshis muted. */
function Sats({ sats }: { sats: number }) {
  return (
    <>
      {formatBtc(sats)} BTC <span className="muted">({formatSats(sats)})</span>
    </>
  );
}

/** True when every input is segwit v0 or taproot: the unsigned txid is then the id the transaction will have. */
function txidIsFinal(review: ReviewModel): boolean {
  return review.inputs.every((x) => x.scriptType === 'p2wsh' || x.scriptType === 'p2trLegacy' || x.scriptType === 'p2trMusig2');
}

function Fingerprint({ review }: { review: ReviewModel }) {
  const groups = review.fingerprint.short.split('-');
  return (
    <div className="fingerprint" aria-label="Review fingerprint">
      <span className="fingerprint-label">Review fingerprint</span>
      <span className="fingerprint-value">
        {groups.map((g, i) => (
          <Fragment key={i}>
            <span className="group">{g}</span>
            {i < groups.length - 1 ? '-' : ''}
          </Fragment>
        ))}
      </span>
      <span className="muted">{review.fingerprint.words.join(' ')}</span>
      <p className="fingerprint-help">
        Compare it with the fingerprint the sender reads to you, or that <code>offline-signer review</code> prints for this file on the machine
        that wrote it. It names these exact bytes: a file changed on the way has another one, and signing checks it again.
      </p>
      {review.txid !== null && (
        <div className="txid" aria-label="Unsigned transaction id">
          <span className="fingerprint-label">Unsigned transaction id (txid)</span>
          <code className="txid-value">
            <Groups text={review.txid} />
          </code>
          <p className="fingerprint-help">
            The same whatever file format carried this transaction (a request, a binary or base64 PSBT).{' '}
            {txidIsFinal(review)
              ? 'With only segwit and taproot inputs, it is also the id the transaction will have on the blockchain.'
              : 'Its inputs carry their signatures in the transaction, so its id on the blockchain will differ.'}
          </p>
        </div>
      )}
    </div>
  );
}

function InputRows({ inputs }: { inputs: ReviewInput[] }) {
  return (
    <>
      {inputs.map((x) => (
        <tr key={x.index} aria-label={`Input ${x.index}`}>
          <td>{x.index}</td>
          <td>
            <code className="address">
              <Groups text={x.txid} />:{x.vout}
            </code>
          </td>
          <td>{x.derivationIndex}</td>
          <td>
            <Sats sats={x.amount} />
          </td>
          <td className={x.amountEvidence === 'unverified' ? 'unverified' : undefined}>{EVIDENCE_WORDS[x.amountEvidence]}</td>
        </tr>
      ))}
    </>
  );
}

/** One group of inputs: its summary always shown; its rows, a page at a time, when the operator opens it. */
function InputGroupView({ group, byIndex }: { group: InputGroup; byIndex: Map<number, ReviewInput> }) {
  const [open, setOpen] = useState(false);
  const [page, setPage] = useState(0);
  const p = pageOf(group.count, page, INPUT_PAGE_SIZE);
  const title = `${SCRIPT_TYPE_WORDS[group.scriptType]}, ${chainWords(group.chain)}`;
  const rows = open ? group.inputs.slice(p.first - 1, p.last).map((i) => byIndex.get(i)!) : [];
  return (
    <details className="input-group" data-group={group.key} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>
        <strong>{title}</strong>: {countWords(group.count, 'input')}, <Sats sats={group.total} />
        <span className={group.evidence.unverified > 0 ? 'unverified' : 'muted'}> · {evidenceSummary(group.evidence)}</span>
      </summary>
      {open && (
        <>
          <table className="table inputs">
            <caption>
              {title}: inputs {p.first.toLocaleString('en-US')} to {p.last.toLocaleString('en-US')} of {group.count.toLocaleString('en-US')}
            </caption>
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">Spends (txid:output)</th>
                <th scope="col">Index</th>
                <th scope="col">Amount</th>
                <th scope="col">Amount evidence</th>
              </tr>
            </thead>
            <tbody>
              <InputRows inputs={rows} />
            </tbody>
          </table>
          {p.pages > 1 && (
            <div className="actions pager">
              <button type="button" className="secondary" disabled={p.page === 0} onClick={() => setPage(p.page - 1)}>
                Previous {INPUT_PAGE_SIZE} inputs
              </button>
              <span>
                Page {p.page + 1} of {p.pages}
              </span>
              <button type="button" className="secondary" disabled={p.page === p.pages - 1} onClick={() => setPage(p.page + 1)}>
                Next {INPUT_PAGE_SIZE} inputs
              </button>
            </div>
          )}
        </>
      )}
    </details>
  );
}

function Inputs({ review }: { review: ReviewModel }) {
  const groups = groupInputs(review.inputs);
  const byIndex = new Map(review.inputs.map((x) => [x.index, x]));
  return (
    <section className="inputs-section" aria-label="Inputs">
      <h3>
        Inputs: {countWords(review.inputs.length, 'input')} in {countWords(groups.length, 'group')}, <Sats sats={review.totals.inputs} />
      </h3>
      {groups.map((g) => (
        <InputGroupView key={`${review.fingerprint.sha256}/${g.key}`} group={g} byIndex={byIndex} />
      ))}
    </section>
  );
}

function OutputDestination({ o }: { o: ReviewModel['outputs'][number] }) {
  if (o.address) {
    return (
      <code className="address">
        <Groups text={o.address} />
      </code>
    );
  }
  if (o.opReturnData !== undefined) {
    const d = dataText(o.opReturnData);
    return (
      <div className="data-output">
        {d.text !== undefined ? (
          <div>
            Text: <q className="data-text">{d.text}</q>
          </div>
        ) : (
          <div className="muted">Not text ({countWords(d.bytes, 'byte')})</div>
        )}
        <div>
          Hex:{' '}
          <code className="address">
            <Groups text={o.opReturnData} />
          </code>
        </div>
      </div>
    );
  }
  return (
    <code className="address">
      script <Groups text={o.script} />
    </code>
  );
}

function Outputs({ review }: { review: ReviewModel }) {
  const recipients = recipientsByAddress(review.outputs);
  const repeated = recipients.some((r) => r.outputs.length > 1);
  return (
    <>
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
          {review.outputs.map((o) => {
            const kind = outputDisplayKind(o);
            return (
              <tr key={o.index} aria-label={`Output ${o.index}`}>
                <td>{o.index}</td>
                <td>
                  <OutputDestination o={o} />
                </td>
                <td>
                  <Sats sats={o.amount} />
                </td>
                <td>
                  <span className={`badge badge-${kind === 'data' ? 'data' : o.kind}`}>{OUTPUT_KIND_WORDS[kind]}</span>
                  {o.payGo ? <div className="muted">{payGoBasisWords(o, review.policy.source)}</div> : null}
                  {o.kind === 'change' && o.chain !== undefined ? <div className="muted">chain {o.chain}, index {o.derivationIndex}</div> : null}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {recipients.length > 1 && (
        <table className="table recipients">
          <caption>
            Recipients summed by address: {countWords(recipients.length, 'address', 'addresses')}
            {repeated ? ', some paid by more than one output' : ''}
          </caption>
          <thead>
            <tr>
              <th scope="col">Address</th>
              <th scope="col">Total</th>
              <th scope="col">Outputs</th>
            </tr>
          </thead>
          <tbody>
            {recipients.map((r) => (
              <tr key={r.address} aria-label={`Recipient ${r.address}`}>
                <td>
                  <code className="address">{r.hasAddress ? <Groups text={r.address} /> : r.address}</code>
                </td>
                <td>
                  <Sats sats={r.total} />
                </td>
                <td>{r.outputs.join(', ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
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
  const glance = atAGlance(review);

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
            {review.refusals.map((r, i) => {
              const words = issueWords(r, review);
              return (
                <li key={i}>
                  {words.headline}
                  <div className="issue-details">Details: {words.details}</div>
                </li>
              );
            })}
          </ul>
          {review.warnings.length > 0 && (
            <>
              <h4>Also found ({countWords(review.warnings.length, 'warning')})</h4>
              <ul>
                {review.warnings.map((w, i) => {
                  const words = issueWords(w, review);
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
            <legend>{countWords(review.warnings.length, 'warning')}: acknowledge each one to approve</legend>
            {review.warnings.map((w, i) => {
              const key = data.warningKeys[i]!;
              const words = issueWords(w, review);
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
      <Outputs review={review} />
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
      <Inputs review={review} />
    </section>
  );
}
