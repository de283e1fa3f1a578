// The gate between review and signature: what the sign step calls before it makes any signature.
// Refusals always block; warnings block until the operator acknowledges each one (or always, under the policy's
// blockWarnings / refuseWarnings, which buildReview has already turned into refusals, or the caller's strict mode).
// The bytes about to be signed must be the bytes reviewed (same fingerprint).
import { SignerError } from '../../shared/errors';
import type { ReviewIssue, ReviewModel } from '../../shared/review';
import { buildReview, type ReviewOptions } from './build';
import { fingerprintMatches } from './fingerprint';

export class ReviewRefusedError extends SignerError {
  readonly issues: ReviewIssue[];
  constructor(message: string, code: string, issues: ReviewIssue[]) {
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
export function assertSignable(review: Pick<ReviewModel, 'refusals' | 'warnings' | 'walletId'>, opts: SignableOptions): void {
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

/** Throws `review_bytes_changed` unless `bytes` are exactly the bytes the review was built from. */
export function assertReviewed(review: Pick<ReviewModel, 'fingerprint'>, bytes: Uint8Array | string): void {
  if (!fingerprintMatches(review.fingerprint, bytes)) {
    throw new ReviewRefusedError(`the request changed after it was reviewed (review ${review.fingerprint.short}); review it again`, 'review_bytes_changed', []);
  }
}

export interface ReviewForSigningOptions extends ReviewOptions, SignableOptions {
  /** The fingerprint the operator approved (UI flow); the bytes must still be those. Omit in the CLI. */
  approvedFingerprint?: string;
}

/**
 * The one call the sign step makes before any signature: rebuilds the review from the exact bytes about to be
 * signed, checks they are the approved bytes (when a fingerprint was approved), then that nothing refuses and
 * every warning is acknowledged. Returns the review (for printing warnings / the audit log). Throws the coded
 * ReviewRefusedError otherwise, or the parse error when the bytes are not a request at all.
 */
export function reviewForSigning(bytes: Uint8Array | string, opts: ReviewForSigningOptions): ReviewModel {
  const review = buildReview(bytes, opts);
  if (opts.approvedFingerprint !== undefined) assertReviewed({ fingerprint: { ...review.fingerprint, sha256: opts.approvedFingerprint } }, bytes);
  assertSignable(review, opts);
  return review;
}
