// The review as it crosses IPC (issue 13 item 11): a summary with everything the operator decides on, and the long
// lists (inputs, outputs, recipients summed by address) in bounded pages. A 100k-input request's full model is
// ~84 MB of JSON; its summary is the same few tens of kilobytes as a 500-input one's, and the screen asks main for
// the rows it shows (requestReviewPage). The full model stays in main, where approval and signing check it.
//
// What the summary carries whole, because the operator decides on it: the at-a-glance line, the warnings and
// refusals in words (built in main from the full model, so an issue about input 19,999 still names its amount; at
// most 1000 warnings, as many as an approval may acknowledge, and the first 100 refusals, with their counts), the
// fingerprint and txid, totals, fee, the money bar's sums by kind of output, and every input group with its count,
// total and evidence. What it carries a first page of: inputs (transaction order), outputs and recipients. Approve
// does not depend on the operator having paged: the sums, the glance and the money bar are over every output.
import type { IssueWords, InputGroup, OutputDisplayKind, RecipientSum } from './review-words';
import type { ReviewInput, ReviewModel, ReviewOutput } from './review';
import * as s from './schema';

/** Rows in the summary's first page of inputs (an input group's page on screen is the same size). */
export const FIRST_PAGE_INPUTS = 100;
/** Outputs and recipients in the summary's first page: a payout of up to 250 recipients is all on the first screen. */
export const FIRST_PAGE_OUTPUTS = 250;
/** Warnings in the summary: as many as an approval may acknowledge (contract.ts MAX_ACKNOWLEDGED); more cannot be approved. */
export const MAX_SUMMARY_WARNINGS = 1000;
/** Refusals in the summary: a refused request is only rejected, and the first hundred reasons say why (its
 * warnings are cut to as many: they cannot be acknowledged into an approval). */
export const MAX_SUMMARY_REFUSALS = 100;
/** The most rows one requestReviewPage call returns. */
export const MAX_REVIEW_PAGE_ROWS = 500;
/** Offsets are row numbers; no transaction within the request size cap has this many inputs or outputs. */
export const MAX_REVIEW_OFFSET = 10_000_000;

export const REVIEW_PART = s.literal('inputs', 'outputs', 'recipients');
export type ReviewPart = s.Infer<typeof REVIEW_PART>;

/** An input group without its list of input indexes (which grows with the request): those come in pages. */
export type InputGroupSummary = Omit<InputGroup, 'inputs'>;

/** One page of a part: rows offset .. offset + items.length - 1 of `total` (of the group, when one is named). */
export interface ReviewPage<T> {
  offset: number;
  total: number;
  items: T[];
}

export type ReviewPageOf<P extends ReviewPart> = P extends 'inputs' ? ReviewPage<ReviewInput> : P extends 'outputs' ? ReviewPage<ReviewOutput> : ReviewPage<RecipientSum>;

/** Sums by kind of output (the money bar): satoshis and how many outputs, over every output. */
export type OutputKindSums = Record<OutputDisplayKind, { sats: number; outputs: number }>;

/** The review model as requestReview returns it: the full model without its lists, plus pages and sums. */
export interface ReviewSummary extends Omit<ReviewModel, 'inputs' | 'outputs'> {
  /** How many warnings and refusals the review has: `warnings` and `refusals` hold the first ones (see the caps). */
  warningCount: number;
  refusalCount: number;
  inputCount: number;
  outputCount: number;
  /** Every group of inputs (script type and chain), with totals and evidence counts; its rows come in pages. */
  inputGroups: InputGroupSummary[];
  /** True when every input is segwit v0 or taproot: the unsigned txid is then the id the transaction will have. */
  txidFinal: boolean;
  /** atAGlance (shared/review-words.ts) over the full model. */
  glance: { refused: boolean; text: string };
  /** issueWords of each warning and refusal, in their order, over the full model. */
  words: { warnings: IssueWords[]; refusals: IssueWords[] };
  outputKinds: OutputKindSums;
  inputs: ReviewPage<ReviewInput>;
  outputs: ReviewPage<ReviewOutput>;
  recipients: ReviewPage<RecipientSum>;
}
