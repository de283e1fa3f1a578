// The review model cut for IPC (shared/review-page.ts): a summary computed over the whole model, and bounded pages
// of its long lists. Pure: the same model always gives the same summary and pages, so pages reassemble to the model.
import { SignerError } from '../../shared/errors';
import type { ReviewModel } from '../../shared/review';
import { FIRST_PAGE_INPUTS, FIRST_PAGE_OUTPUTS, MAX_SUMMARY_REFUSALS, MAX_SUMMARY_WARNINGS, type OutputKindSums, type ReviewPage, type ReviewPageOf, type ReviewPart, type ReviewSummary } from '../../shared/review-page';
import { atAGlance, groupInputs, issueWords, outputDisplayKind, recipientsByAddress, type InputGroup, type RecipientSum } from '../../shared/review-words';

/** A page that does not exist: an offset past the end, or an input group the review does not have. */
export class ReviewPageError extends SignerError {
  constructor(message: string, code: 'review_page_out_of_range' | 'review_group_unknown') {
    super('ReviewPageError', message, code);
  }
}

// The groups and recipient sums of a model, computed once per model (a model is never changed once built).
const derived = new WeakMap<ReviewModel, { groups: InputGroup[]; recipients: RecipientSum[] }>();

function derive(model: ReviewModel): { groups: InputGroup[]; recipients: RecipientSum[] } {
  let d = derived.get(model);
  if (!d) {
    d = { groups: groupInputs(model.inputs), recipients: recipientsByAddress(model.outputs) };
    derived.set(model, d);
  }
  return d;
}

function page<T>(rows: readonly T[], offset: number, limit: number): ReviewPage<T> {
  return { offset, total: rows.length, items: rows.slice(offset, offset + limit) };
}

function outputKinds(model: ReviewModel): OutputKindSums {
  const sums: OutputKindSums = { recipient: { sats: 0, outputs: 0 }, paygo: { sats: 0, outputs: 0 }, change: { sats: 0, outputs: 0 }, failed: { sats: 0, outputs: 0 }, data: { sats: 0, outputs: 0 } };
  for (const o of model.outputs) {
    const k = sums[outputDisplayKind(o)];
    k.sats += o.amount;
    k.outputs += 1;
  }
  return sums;
}

/** What requestReview sends: everything decided on, whole; the lists' first pages. */
export function reviewSummary(model: ReviewModel): ReviewSummary {
  const { inputs, outputs, ...rest } = model;
  const { groups, recipients } = derive(model);
  // A hostile request can carry an issue or two per input (200,000 refusals for 100,000 inputs without data).
  // A refused request is only rejected: its warnings are not acknowledged, so the first hundred say enough.
  const warnings = model.warnings.slice(0, model.refusals.length > 0 ? MAX_SUMMARY_REFUSALS : MAX_SUMMARY_WARNINGS);
  const refusals = model.refusals.slice(0, MAX_SUMMARY_REFUSALS);
  return {
    ...rest,
    warnings,
    refusals,
    warningCount: model.warnings.length,
    refusalCount: model.refusals.length,
    inputCount: inputs.length,
    outputCount: outputs.length,
    inputGroups: groups.map(({ inputs: _indexes, ...g }) => g),
    txidFinal: inputs.every((x) => x.scriptType === 'p2wsh' || x.scriptType === 'p2trLegacy' || x.scriptType === 'p2trMusig2'),
    glance: atAGlance(model),
    words: { warnings: warnings.map((w) => issueWords(w, model)), refusals: refusals.map((r) => issueWords(r, model)) },
    outputKinds: outputKinds(model),
    inputs: page(inputs, 0, FIRST_PAGE_INPUTS),
    outputs: page(outputs, 0, FIRST_PAGE_OUTPUTS),
    recipients: page(recipients, 0, FIRST_PAGE_OUTPUTS),
  };
}

/**
 * Rows offset .. offset + limit - 1 of a part: inputs in transaction order, or of one input group (its key,
 * "p2wsh/20") in the group's order; outputs; recipients summed by address. An offset at or past the end refuses
 * (review_page_out_of_range), except offset 0 of an empty part.
 */
export function reviewPage<P extends ReviewPart>(model: ReviewModel, part: P, offset: number, limit: number, group?: string): ReviewPageOf<P> {
  const { groups, recipients } = derive(model);
  if (group !== undefined && part !== 'inputs') throw new ReviewPageError(`a group of rows is only for inputs, not ${part}`, 'review_group_unknown');
  let rows: readonly unknown[];
  if (part === 'inputs') {
    if (group === undefined) rows = model.inputs;
    else {
      const g = groups.find((x) => x.key === group);
      if (!g) throw new ReviewPageError(`this review has no input group ${JSON.stringify(group.slice(0, 40))}; its groups are ${groups.map((x) => x.key).join(', ')}`, 'review_group_unknown');
      rows = g.inputs.map((i) => model.inputs[i]!);
    }
  } else rows = part === 'outputs' ? model.outputs : recipients;
  if (offset > 0 && offset >= rows.length) throw new ReviewPageError(`${part} from row ${offset}: there are only ${rows.length}`, 'review_page_out_of_range');
  return page(rows, offset, limit) as ReviewPageOf<P>;
}
