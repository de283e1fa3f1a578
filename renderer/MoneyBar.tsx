// "Where the money goes": everything the inputs spend, drawn as one bar cut into recipients, BitGo's PayGo fee,
// verified change, FAILED outputs, value burnt in data (OP_RETURN) outputs and the network fee, with a legend that says each part in words, BTC and
// percent. The bar is SVG with widths as attributes (no inline styles, so the CSP's style-src 'self' holds) and
// each part has its own pattern as well as its colour, so nothing depends on telling colours apart.
import type { ReviewSummary } from '../shared/review-page';
import { basisPoints, formatBasisPoints, formatBtc } from '../shared/amount';

type PartKind = 'recipients' | 'paygo' | 'change' | 'failed' | 'data' | 'fee';

export interface MoneyPart {
  kind: PartKind;
  label: string;
  sats: number;
  /** How many outputs make this part (0 for the fee). */
  outputs: number;
}

const LABELS: Record<PartKind, string> = {
  recipients: 'Recipients',
  paygo: 'BitGo fee (PayGo)',
  change: 'Change back to this wallet (verified)',
  failed: 'FAILED verification (will not be signed)',
  data: 'Burnt in data outputs (OP_RETURN)',
  fee: 'Network fee',
};

/**
 * The parts of the bar, in a fixed order; parts with nothing in them are left out. Pure, for tests. The sums by kind
 * are main's, over every output (review/pages.ts), however many pages the output list has.
 */
export function moneyParts(review: Pick<ReviewSummary, 'outputKinds' | 'fee'>): MoneyPart[] {
  const by = review.outputKinds;
  // outputDisplayKind (shared/review-words.ts): OP_RETURN data is never counted among the recipients.
  const sums: Record<PartKind, { sats: number; outputs: number }> = { recipients: by.recipient, paygo: by.paygo, change: by.change, failed: by.failed, data: by.data, fee: { sats: review.fee, outputs: 0 } };
  return (Object.keys(LABELS) as PartKind[])
    .filter((k) => sums[k].sats > 0 || (k !== 'fee' && k !== 'data' && sums[k].outputs > 0))
    .map((k) => ({ kind: k, label: LABELS[k], ...sums[k] }));
}

const WIDTH = 1000;
/** A part that exists is never drawn thinner than this (a 0.01 % fee must still be visible). */
const MIN_WIDTH = 6;

function widths(parts: MoneyPart[], total: number): number[] {
  if (total <= 0) return parts.map(() => 0);
  const raw = parts.map((p) => (p.sats > 0 ? Math.max(MIN_WIDTH, (p.sats / total) * WIDTH) : 0));
  const scale = WIDTH / raw.reduce((a, b) => a + b, 0);
  return raw.map((w) => w * scale);
}

function percent(sats: number, total: number): string {
  const bp = basisPoints(BigInt(sats), BigInt(total));
  return bp === undefined ? '' : formatBasisPoints(bp);
}

export function MoneyBar({ review }: { review: Pick<ReviewSummary, 'outputKinds' | 'fee'> }) {
  const parts = moneyParts(review);
  const total = parts.reduce((a, p) => a + p.sats, 0);
  const w = widths(parts, total);
  const x = w.map((_, i) => w.slice(0, i).reduce((a, b) => a + b, 0));
  const summary = parts.map((p) => `${p.label} ${percent(p.sats, total)}`).join(', ');
  return (
    <figure className="money" aria-labelledby="money-caption">
      <figcaption id="money-caption">Where the money goes (of {formatBtc(total)} BTC spent by the inputs)</figcaption>
      <svg className="money-bar" viewBox={`0 0 ${WIDTH} 40`} preserveAspectRatio="none" role="img" aria-label={summary} width="100%" height="40">
        <defs>
          <pattern id="money-stripes" width="10" height="10" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
            <rect width="10" height="10" className="money-change" />
            <rect width="4" height="10" className="money-stripe" />
          </pattern>
          <pattern id="money-dots" width="8" height="8" patternUnits="userSpaceOnUse">
            <rect width="8" height="8" className="money-fee" />
            <circle cx="4" cy="4" r="2" className="money-stripe" />
          </pattern>
          <pattern id="money-cross" width="10" height="10" patternUnits="userSpaceOnUse">
            <rect width="10" height="10" className="money-failed" />
            <path d="M0 0L10 10M10 0L0 10" className="money-line" />
          </pattern>
          <pattern id="money-burn" width="10" height="10" patternUnits="userSpaceOnUse">
            <rect width="10" height="10" className="money-data" />
            <path d="M0 5H10" className="money-line" />
          </pattern>
          <pattern id="money-grid" width="12" height="12" patternUnits="userSpaceOnUse">
            <rect width="12" height="12" className="money-paygo" />
            <path d="M0 6H12M6 0V12" className="money-line" />
          </pattern>
        </defs>
        {parts.map((p, i) => (
          <rect key={p.kind} x={x[i]} y="0" width={w[i]} height="40" {...paint(p.kind)} data-part={p.kind} />
        ))}
      </svg>
      <ul className="money-legend">
        {parts.map((p) => (
          <li key={p.kind} data-part={p.kind}>
            <svg width="22" height="22" aria-hidden="true" className="money-swatch">
              <rect width="22" height="22" {...paint(p.kind)} />
            </svg>
            <span className="money-label">
              {p.label}
              {p.outputs > 1 ? ` (${p.outputs} outputs)` : ''}:
            </span>
            <span>{formatBtc(p.sats)} BTC</span>
            <span className="muted">({percent(p.sats, total)})</span>
          </li>
        ))}
      </ul>
    </figure>
  );
}

/**
 * Recipients solid (a class: CSS colours), the others a pattern (the fill attribute; a colour class on the same
 * element would override it, since CSS beats SVG presentation attributes).
 */
const PATTERN: Record<Exclude<PartKind, 'recipients'>, string> = {
  paygo: 'url(#money-grid)',
  change: 'url(#money-stripes)',
  failed: 'url(#money-cross)',
  data: 'url(#money-burn)',
  fee: 'url(#money-dots)',
};
function paint(kind: PartKind): { className: string; fill?: string } {
  return kind === 'recipients' ? { className: 'money-part money-recipients' } : { className: 'money-part', fill: PATTERN[kind] };
}
