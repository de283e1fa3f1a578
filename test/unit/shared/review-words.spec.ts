// shared/review-words.ts: the review in the operator's words, from BitGo fixture reviews built by the real core
// (electron/review/build.ts) and from hand-made issues where a fixture has none of that kind.
import { test, expect } from '@playwright/test';
import { buildReview } from '../../../electron/review/build';
import { parsePolicy } from '../../../electron/review/policy';
import { REVIEW_WARNING_CODES } from '../../../shared/error-codes';
import type { ReviewModel, ReviewOutput } from '../../../shared/review';
import {
  atAGlance,
  btcAndSats,
  countWords,
  dataText,
  evidenceSummary,
  formatSats,
  groupInputs,
  issueWords,
  outputDisplayKind,
  OUTPUT_KIND_WORDS,
  pageOf,
  recipientsByAddress,
  sequenceWords,
  shortAddress,
} from '../../../shared/review-words';
import { caseText, mutateRequest, WALLETS } from '../../support/review-helpers';

const review = (name: string): ReviewModel => buildReview(caseText(name), { name });

/** Technical words that must never be a headline (they belong in the details line). */
const JARGON = /witness_utxo|nSequence|nLockTime|sighash type|BIP\d|0x[0-9a-f]{2,}|[a-z]+_[a-z_]+/;

test('satoshis read "100,000 sat" everywhere, exactly, for numbers and bigints', () => {
  expect(formatSats(0)).toBe('0 sat');
  expect(formatSats(999)).toBe('999 sat');
  expect(formatSats(1000)).toBe('1,000 sat');
  expect(formatSats(100_000)).toBe('100,000 sat');
  expect(formatSats(2_100_000_000_000_000n)).toBe('2,100,000,000,000,000 sat');
  expect(formatSats(-7777)).toBe('-7,777 sat');
  expect(btcAndSats(7777)).toBe('0.00007777 BTC (7,777 sat)');
});

test('at a glance: the p2wsh fixture reads as one line (recipient, fee with share and rate, change, warnings)', () => {
  const r = review('p2wsh');
  expect(atAGlance(r)).toEqual({ refused: false, text: 'Send 0.00300000 BTC to tb1q autt … j9gm · fee 7,777 sat (2.53%, 18.97 sat/vB) · change verified · no warnings' });
  expect(atAGlance(review('p2sh')).text).toMatch(/ · 4 warnings$/);
});

test('at a glance: several recipients, data outputs and two change outputs are counted, not listed', () => {
  const r = review('mixed-all-but-musig2');
  expect(atAGlance(r).text).toBe('Send 0.00110000 BTC to 2 addresses + 1 data output · fee 10,000 sat (8.34%, 6.59 sat/vB) · change verified (3 outputs) · 4 warnings');
});

test('at a glance: a refused request says REFUSED and its first reason in words, not its code', () => {
  const r = buildReview(caseText('p2wsh'), { name: 'p2wsh', walletId: 'a'.repeat(32) });
  const glance = atAGlance(r);
  expect(glance.refused).toBe(true);
  expect(glance.text).toBe('REFUSED: The request names another wallet than the one chosen.');
  expect(glance.text).not.toContain('wallet_mismatch');
  const two = { ...r, refusals: [...r.refusals, { code: 'change_not_wallet' as const, message: 'x', output: 1 }] };
  expect(atAGlance(two).text).toBe('REFUSED: The request names another wallet than the one chosen. (and 1 more reason)');
});

test('warnings: every warning of the fixtures has a headline in words and the code and message in its details', () => {
  const seen = new Set<string>();
  for (const name of ['p2sh', 'mixed-all-but-musig2', 'p2sh-sequence-locktime', 'p2wsh-high-index']) {
    const r = review(name);
    for (const w of r.warnings) {
      const words = issueWords(w, r);
      seen.add(w.code);
      expect(words.headline, `${name} ${w.code}`).not.toMatch(JARGON);
      expect(words.details).toBe(`${w.code}: ${w.message}`);
    }
  }
  expect([...seen].sort()).toEqual(['change_index_high', 'fee_percent_high', 'input_amount_unverified', 'op_return_output', 'sequence_unusual']);
});

test('warnings: the headlines say the amounts, times and places from the model', () => {
  const seq = review('p2sh-sequence-locktime');
  const byCode = (r: ReviewModel, code: string) => issueWords(r.warnings.find((w) => w.code === code)!, r).headline;
  expect(byCode(seq, 'sequence_unusual')).toBe('Input 1 carries a relative timelock of zero (no delay, but BitGo never builds it).');
  expect(byCode(seq, 'input_amount_unverified')).toBe(
    'Input 0: its amount, 0.00100000 BTC (100,000 sat), is only claimed by the request; nothing proves it (no previous transaction was sent with it), so the fee could be larger than shown.',
  );
  expect(byCode(seq, 'fee_percent_high')).toBe('The fee, 10,000 sat, is 6.25% of the 160,000 sat leaving the wallet (the policy allows 5.00%).');
  expect(byCode(review('mixed-all-but-musig2'), 'op_return_output')).toBe('Output 2 pays no one: it records text “oracle” in the blockchain.');
  expect(byCode(review('p2wsh-high-index'), 'change_index_high')).toMatch(/^Output 1 sends change to index 2,147,483,646 on chain 21, far beyond normal/);
});

test('warnings: a code without its own sentence reads the code table’s words with its place; every review warning code has words', () => {
  const r = review('p2wsh');
  for (const code of REVIEW_WARNING_CODES) {
    const w = issueWords({ code, message: `technical ${code}`, output: 0 }, r);
    expect(w.headline, code).not.toContain(code);
    expect(w.headline, code).not.toContain('technical');
    expect(w.details).toBe(`${code}: technical ${code}`);
  }
  expect(issueWords({ code: 'output_foreign_derivation', message: 'm', output: 1 }, r).headline).toBe('Output 1: An output carries key paths for other keys; it is treated as a recipient.');
});

test('a warning the policy refuses says which policy refused it', () => {
  const policy = parsePolicy({ version: 1, wallets: { [WALLETS.walletA!.walletId]: { refuseWarnings: ['input_amount_unverified'] } } }, 'ops.json');
  const r = buildReview(caseText('p2sh'), { name: 'p2sh', policy });
  const refusal = r.refusals.find((x) => x.code === 'input_amount_unverified')!;
  expect(refusal.policy).toBe('ops.json');
  expect(issueWords(refusal, r).headline).toMatch(/ Refused by policy ops\.json\.$/);
});

test('sighash: the headline names the kind of signature, not its number', () => {
  const r = review('p2wsh');
  const model = { ...r, inputs: r.inputs.map((x, k) => (k === 0 ? { ...x, sighashType: 3 } : x)) };
  const w = issueWords({ code: 'input_sighash_unsupported', message: 'input 0: sighash type 3 requested; only ALL is signed', input: 0 }, model);
  expect(w.headline).toBe('Input 0 asks for a SINGLE signature that would let the transaction be changed after it is signed; only ALL signatures are made.');
  expect(w.details).toContain('sighash type 3');
});

test('BIP68 sequences in words: blocks, 512-second units, disabled, and version 1', () => {
  expect(sequenceWords(10, 2)).toBe('cannot confirm until 10 blocks after the coin it spends confirmed (a relative timelock)');
  expect(sequenceWords(1, 2)).toContain('1 block after');
  expect(sequenceWords(0, 2)).toContain('relative timelock of zero');
  // BIP68: type flag (1 << 22) set: units of 512 seconds. 7 * 512 s = 59.7 min -> "60 minutes".
  expect(sequenceWords(0x00400007, 2)).toBe('cannot confirm until 60 minutes after the coin it spends confirmed (a relative timelock)');
  expect(sequenceWords(0x004000ff, 2)).toContain('36.3 hours');
  expect(sequenceWords(0x80000000, 2)).toContain('sets no timelock');
  expect(sequenceWords(5, 1)).toContain('version 1 transaction ignores it');
});

test('locktime in words: a block height or a UTC time', () => {
  const r = review('p2wsh');
  expect(issueWords({ code: 'locktime_unusual', message: 'm' }, { ...r, lockTime: 4_800_100 }).headline).toBe('The transaction cannot confirm before block 4,800,100.');
  expect(issueWords({ code: 'locktime_unusual', message: 'm' }, { ...r, lockTime: 1_900_000_000 }).headline).toBe('The transaction cannot confirm before 2030-03-17 17:46:40 UTC.');
});

test('hostile text in an issue message or OP_RETURN data is shown with its invisible characters made visible', () => {
  const r = review('p2wsh');
  const w = issueWords({ code: 'network_assumed', message: 'evil\u202Etxt\nline' }, r);
  expect(w.details).toBe('network_assumed: evil⟨U+202E⟩txt⟨U+000A⟩line');
  const hex = Buffer.from('pay\u202Eabc\u0000\u200Bz', 'utf8').toString('hex');
  expect(dataText(hex)).toEqual({ text: 'pay⟨U+202E⟩abc⟨U+0000⟩⟨U+200B⟩z', bytes: 14 });
  expect(dataText('ff00')).toEqual({ bytes: 2 });
  expect(dataText('')).toEqual({ bytes: 0 });
  expect(dataText('zz')).toEqual({ bytes: 1 });
  const model = { ...r, outputs: [{ index: 0, script: `6a${hex}`, amount: 0, kind: 'external' as const, opReturnData: hex }] };
  expect(issueWords({ code: 'op_return_output', message: 'm', output: 0 }, model).headline).toBe('Output 0 pays no one: it records text “pay⟨U+202E⟩abc⟨U+0000⟩⟨U+200B⟩z” in the blockchain.');
});

test('outputs: OP_RETURN is data, never a recipient; PayGo, change and FAILED keep their kinds', () => {
  const base = { index: 0, script: '00', amount: 1 };
  expect(outputDisplayKind({ ...base, kind: 'external', opReturnData: '6f' })).toBe('data');
  expect(outputDisplayKind({ ...base, kind: 'external', payGo: true })).toBe('paygo');
  expect(outputDisplayKind({ ...base, kind: 'external' })).toBe('recipient');
  expect(outputDisplayKind({ ...base, kind: 'change' })).toBe('change');
  expect(outputDisplayKind({ ...base, kind: 'failed' })).toBe('failed');
  expect(OUTPUT_KIND_WORDS.data).toBe('Data, no value');
  const r = review('mixed-all-but-musig2');
  expect(recipientsByAddress(r.outputs).map((x) => x.outputs)).toEqual([[0], [1]]);
});

test('recipients are summed by address, in first-seen order; an output without an address is its script', () => {
  const o = (index: number, address: string | undefined, amount: number, extra: Partial<ReviewOutput> = {}): ReviewOutput => ({ index, script: `51${index}`, amount, kind: 'external', ...(address ? { address } : {}), ...extra });
  const sums = recipientsByAddress([o(0, 'tb1qa', 5), o(1, 'tb1qb', 7), o(2, 'tb1qa', 10), o(3, undefined, 1), o(4, 'tb1qc', 3, { kind: 'change' }), o(5, undefined, 0, { opReturnData: '' })]);
  expect(sums).toEqual([
    { address: 'tb1qa', hasAddress: true, total: 15, outputs: [0, 2] },
    { address: 'tb1qb', hasAddress: true, total: 7, outputs: [1] },
    { address: 'script 513', hasAddress: false, total: 1, outputs: [3] },
  ]);
});

test('inputs: the 500-input fixture groups by script type and chain, with totals and evidence that add up', () => {
  const r = review('large-p2wsh-500');
  const groups = groupInputs(r.inputs);
  expect(groups.map((g) => g.key)).toEqual(['p2wsh/20', 'p2wsh/21']);
  expect(groups.reduce((a, g) => a + g.count, 0)).toBe(500);
  expect(groups.reduce((a, g) => a + g.total, 0)).toBe(r.totals.inputs);
  for (const g of groups) {
    expect(g.inputs.length).toBe(g.count);
    expect(g.evidence.committed).toBe(g.count);
    expect(evidenceSummary(g.evidence)).toBe(`all ${g.count}: amount committed by the signature`);
  }
  const mixed = groupInputs(review('mixed-all-but-musig2').inputs);
  expect(mixed.map((g) => g.chain)).toEqual([...mixed.map((g) => g.chain)].sort((a, b) => a - b));
  expect(evidenceSummary({ committed: 0, previous_tx: 2, unverified: 1 })).toBe('2 proven by the previous transaction, 1 UNVERIFIED (claimed, not proven)');
  expect(evidenceSummary({ committed: 1, previous_tx: 0, unverified: 0 })).toBe('amount committed by the signature');
});

test('pages: first and last row, page count, and out-of-range pages clamp', () => {
  expect(pageOf(500, 0, 100)).toEqual({ first: 1, last: 100, pages: 5, page: 0 });
  expect(pageOf(500, 4, 100)).toEqual({ first: 401, last: 500, pages: 5, page: 4 });
  expect(pageOf(500, 9, 100)).toEqual({ first: 401, last: 500, pages: 5, page: 4 });
  expect(pageOf(250, -3, 100)).toEqual({ first: 1, last: 100, pages: 3, page: 0 });
  expect(pageOf(0, 0, 100)).toEqual({ first: 0, last: 0, pages: 1, page: 0 });
});

test('short addresses keep the first two groups and the last; counts say "no", "1 x", "n xs"', () => {
  expect(shortAddress('tb1qauttm94q2lev5a9qh8tamkwg8cw05ahftw0gaunhhzay0xmv7rgqsmj9gm')).toBe('tb1q autt … j9gm');
  expect(shortAddress('abcdefgh')).toBe('abcd efgh');
  expect(countWords(0, 'warning')).toBe('no warnings');
  expect(countWords(1, 'warning')).toBe('1 warning');
  expect(countWords(1200, 'input')).toBe('1,200 inputs');
});

test('a mutated request: an output paying nothing reads in words', () => {
  const text = mutateRequest('p2wsh', (d) => {
    d.tx.outputs[0]!.value = 0n;
  });
  const r = buildReview(text, { name: 'zero' });
  const w = r.warnings.find((x) => x.code === 'output_zero_value')!;
  expect(issueWords(w, r).headline).toBe('Output 0 pays nothing (0 sat).');
});
