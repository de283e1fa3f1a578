// The review screen's presentational parts (renderer/ReviewPanel.tsx): amounts, the fingerprint and unsigned txid,
// the outputs and recipients, the inputs grouped and paged. They show a review summary (shared/review-page.ts) and
// the pages main sends on demand (ReviewRows.tsx); every word comes from shared/review-words.ts.
import { Fragment, useState } from 'react';
import { formatBtc } from '../shared/amount';
import { payGoBasisWords, type ReviewInput, type ReviewOutput } from '../shared/review';
import { FIRST_PAGE_INPUTS, FIRST_PAGE_OUTPUTS, type InputGroupSummary, type ReviewSummary } from '../shared/review-page';
import { addressGroups, chainWords, countWords, dataText, EVIDENCE_WORDS, evidenceSummary, formatSats, OUTPUT_KIND_WORDS, outputDisplayKind, SCRIPT_TYPE_WORDS, type RecipientSum } from '../shared/review-words';
import { Pager, useReviewRows } from './ReviewRows';

/** Rows of one input group shown at a time: a 500-input review stays a short page. */
export const INPUT_PAGE_SIZE = FIRST_PAGE_INPUTS;
/** Outputs (and recipients) shown at a time: a payout of up to 250 recipients is on one page. */
export const OUTPUT_PAGE_SIZE = FIRST_PAGE_OUTPUTS;

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
export function Sats({ sats }: { sats: number }) {
  return (
    <>
      {formatBtc(sats)} BTC <span className="muted">({formatSats(sats)})</span>
    </>
  );
}

export function Fingerprint({ review }: { review: ReviewSummary }) {
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
            {review.txidFinal
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

/** One group of inputs: its summary always shown; its rows, a page at a time, asked of main when it is opened. */
function InputGroupView({ requestId, group }: { requestId: string; group: InputGroupSummary }) {
  const [open, setOpen] = useState(false);
  const rows = useReviewRows<ReviewInput>(requestId, 'inputs', group.count, INPUT_PAGE_SIZE, { group: group.key, enabled: open });
  const p = rows.page;
  const title = `${SCRIPT_TYPE_WORDS[group.scriptType]}, ${chainWords(group.chain)}`;
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
              <InputRows inputs={rows.rows ?? []} />
            </tbody>
          </table>
          <Pager rows={rows} what="inputs" pageSize={INPUT_PAGE_SIZE} />
        </>
      )}
    </details>
  );
}

export function Inputs({ requestId, review }: { requestId: string; review: ReviewSummary }) {
  const groups = review.inputGroups;
  return (
    <section className="inputs-section" aria-label="Inputs">
      <h3>
        Inputs: {countWords(review.inputCount, 'input')} in {countWords(groups.length, 'group')}, <Sats sats={review.totals.inputs} />
      </h3>
      {groups.map((g) => (
        <InputGroupView key={`${review.fingerprint.sha256}/${g.key}`} requestId={requestId} group={g} />
      ))}
    </section>
  );
}

function OutputDestination({ o }: { o: ReviewOutput }) {
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

/**
 * Every output, a page of 250 at a time (the first page comes with the summary), and the recipients summed by
 * address, paged the same way. The glance line and the money bar above are over every output, paged or not.
 */
export function Outputs({ requestId, review }: { requestId: string; review: ReviewSummary }) {
  const outputs = useReviewRows<ReviewOutput>(requestId, 'outputs', review.outputCount, OUTPUT_PAGE_SIZE, { first: review.outputs });
  const recipients = useReviewRows<RecipientSum>(requestId, 'recipients', review.recipients.total, OUTPUT_PAGE_SIZE, { first: review.recipients });
  const p = outputs.page;
  return (
    <>
      <table className="table outputs">
        <caption>
          Outputs: where the money goes{p.pages > 1 ? ` (outputs ${p.first.toLocaleString('en-US')} to ${p.last.toLocaleString('en-US')} of ${review.outputCount.toLocaleString('en-US')})` : ''}
        </caption>
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">Address</th>
            <th scope="col">Amount</th>
            <th scope="col">Kind</th>
          </tr>
        </thead>
        <tbody>
          {(outputs.rows ?? []).map((o) => {
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
      <Pager rows={outputs} what="outputs" pageSize={OUTPUT_PAGE_SIZE} />
      {review.recipients.total > 1 && <Recipients review={review} rows={recipients} />}
    </>
  );
}

function Recipients({ review, rows }: { review: ReviewSummary; rows: ReturnType<typeof useReviewRows<RecipientSum>> }) {
  const count = review.recipients.total;
  // Whether some address is paid by more than one output: the recipients sum outputs, so fewer sums than recipient outputs.
  const repeated = count < review.outputKinds.recipient.outputs;
  return (
    <>
      <table className="table recipients">
        <caption>
          Recipients summed by address: {countWords(count, 'address', 'addresses')}
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
          {(rows.rows ?? []).map((r) => (
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
      <Pager rows={rows} what="addresses" pageSize={OUTPUT_PAGE_SIZE} />
    </>
  );
}
