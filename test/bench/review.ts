// Review of the 500-input BitGo request (issue 4 goal: under 50 ms). Cold = fresh xpub parse and every wallet key
// derived (1500 BIP32 steps); warm = the same wallet reviewed again (review, then sign), derived scripts cached.
// The strict PSBT parse that every review starts with is measured alone too (C's parser; it validates every
// public key on the curve).
import { readFileSync } from 'node:fs';
import { buildReview, clearReviewCaches, parseForReview } from '../../electron/review/build';
import { measure, type BenchRow, type Section } from './harness';

const request = readFileSync(new URL('../fixtures/bitgo/cases/large-p2wsh-500.request.json', import.meta.url));

export const reviewSection: Section = {
  name: 'Review model (large-p2wsh-500: 500 inputs, BitGo fixture)',
  async run(): Promise<BenchRow[]> {
    const parseMs = await measure(() => parseForReview(request), { runs: 9 });
    const coldMs = await measure(() => {
      clearReviewCaches();
      return buildReview(request);
    }, { runs: 5 });
    const warmMs = await measure(() => buildReview(request), { runs: 15 });
    return [
      { name: 'parse only (strict PSBT + request)', ms: parseMs, extra: { 'us/input': (parseMs * 1000) / 500 } },
      { name: 'review, cold (keys derived)', ms: coldMs, extra: { 'us/input': (coldMs * 1000) / 500 }, goal: { text: 'under 50 ms', met: coldMs < 50 } },
      { name: 'review, warm (same wallet again)', ms: warmMs, baseline: 'review, cold (keys derived)', goal: { text: 'under 50 ms', met: warmMs < 50 } },
    ];
  },
};
