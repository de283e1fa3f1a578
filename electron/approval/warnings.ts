// The operator's approval rule: refusals always block; warnings block until the operator acknowledges each one
// (or always, under the policy's blockWarnings / refuseWarnings, which the review has already turned into
// refusals, or the CLI's --strict).
import { SignerError, type ErrorCode } from '../../shared/errors';
import type { ReviewIssue, ReviewModel } from '../../shared/review';

export class ReviewRefusedError extends SignerError {
  readonly issues: ReviewIssue[];
  constructor(message: string, code: ErrorCode, issues: ReviewIssue[]) {
    super('ReviewRefusedError', message, code);
    this.issues = issues;
  }
}

/** A stable id for one warning, to acknowledge it: "<code>", "<code>@input:<n>" or "<code>@output:<n>". */
export function warningKey(w: ReviewIssue): string {
  return w.input !== undefined ? `${w.code}@input:${w.input}` : w.output !== undefined ? `${w.code}@output:${w.output}` : w.code;
}

function where(i: ReviewIssue): string {
  return i.input !== undefined ? ` (input ${i.input})` : i.output !== undefined ? ` (output ${i.output})` : '';
}

export interface SignableOptions {
  /** Warning keys (see warningKey) the operator acknowledged, or 'all' (CLI without --strict: warnings printed). */
  acknowledged: readonly string[] | 'all';
  /** Every warning blocks, acknowledged or not (CLI --strict). */
  strict?: boolean;
}

/**
 * Throws unless the review allows signing. The error's code is the first refusal's code (so scripts see e.g.
 * change_not_wallet), or `review_warnings_unacknowledged` / `review_warnings_strict`.
 */
export function assertSignable(review: Pick<ReviewModel, 'refusals' | 'warnings'>, opts: SignableOptions): void {
  const first = review.refusals[0];
  if (first) {
    const more = review.refusals.length > 1 ? ` (and ${review.refusals.length - 1} more refusal${review.refusals.length > 2 ? 's' : ''})` : '';
    throw new ReviewRefusedError(`refused, nothing signed: ${first.message}${where(first)}${more}`, first.code, review.refusals);
  }
  if (review.warnings.length === 0) return;
  if (opts.strict) {
    throw new ReviewRefusedError(`strict mode: ${review.warnings.length} warning(s) block signing, first: ${review.warnings[0]!.message}`, 'review_warnings_strict', review.warnings);
  }
  if (opts.acknowledged === 'all') return;
  const acked = new Set(opts.acknowledged);
  const open = review.warnings.filter((w) => !acked.has(warningKey(w)));
  if (open.length > 0) {
    throw new ReviewRefusedError(`${open.length} warning(s) not acknowledged: ${open.map(warningKey).join(', ')}`, 'review_warnings_unacknowledged', open);
  }
}
