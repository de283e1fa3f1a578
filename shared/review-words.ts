// The review in the operator's words: one pure module that the review screen (renderer/ReviewPanel.tsx) and the
// command line (electron/cli/review.ts) both read, so a warning, an amount or an output kind reads the same
// wherever it appears. Nothing here decides anything: the review model (shared/review.ts, built in
// electron/review/) holds the facts and the verdict; this only says them.
//
// Rules the words keep:
// - a headline says what the issue means for the money or the time it confirms, in words; the stable code and
//   main's technical message (nSequence, witness_utxo, sighash numbers) go in a details line, never the headline;
// - satoshis always read "100,000 sat" (thousands grouped), BTC always with 8 decimals (formatBtc);
// - text that came from the transaction (OP_RETURN data) is shown with its control and bidi characters made
//   visible (shared/text.ts), beside its hex.
import { btcAndSats, formatBasisPoints, formatBtc, formatSats } from './amount';
import { wordsFor } from './error-codes';
import type { AmountEvidence, ReviewInput, ReviewIssue, ReviewModel, ReviewOutput, ReviewScriptType } from './review';
import { visible } from './text';

export { btcAndSats, formatSats };

/** Addresses in groups of 4 characters, so two people can read them out and compare. */
export function addressGroups(address: string): string[] {
  return address.match(/.{1,4}/g) ?? [address];
}

/** An address for a one-line summary: its first two groups and its last 4 characters ("tb1q autt … j9gm"). */
export function shortAddress(address: string): string {
  const g = addressGroups(address);
  return address.length <= 12 ? g.join(' ') : `${g[0]} ${g[1]} … ${address.slice(-4)}`;
}

/** The place an issue is about, in words ("Input 3", "Output 0"), or undefined for the whole transaction. */
export function issuePlace(i: Pick<ReviewIssue, 'input' | 'output'>): string | undefined {
  return i.input !== undefined ? `Input ${i.input}` : i.output !== undefined ? `Output ${i.output}` : undefined;
}

// ---- outputs -------------------------------------------------------------------------------------------------

/** How the screen sorts an output: OP_RETURN data is its own kind, never a recipient. */
export type OutputDisplayKind = 'recipient' | 'paygo' | 'change' | 'failed' | 'data';

export const OUTPUT_KIND_WORDS: Readonly<Record<OutputDisplayKind, string>> = {
  recipient: 'Recipient',
  paygo: 'BitGo fee (PayGo)',
  change: 'Change (verified)',
  failed: 'FAILED verification',
  data: 'Data, no value',
};

export function outputDisplayKind(o: Pick<ReviewOutput, 'kind' | 'opReturnData' | 'payGo'>): OutputDisplayKind {
  if (o.kind === 'change') return 'change';
  if (o.kind === 'failed') return 'failed';
  if (o.opReturnData !== undefined) return 'data';
  return o.payGo ? 'paygo' : 'recipient';
}

/**
 * OP_RETURN data as text, when it is UTF-8: the text with controls, zero-width and bidi characters made visible
 * (a payment reference must not be able to reorder what the operator reads). `text` is undefined when the bytes
 * are not UTF-8 (only the hex is meaningful then).
 */
export function dataText(hex: string): { text?: string; bytes: number } {
  const bytes = hex.length / 2;
  if (bytes === 0 || !/^(?:[0-9a-f]{2})*$/i.test(hex)) return { bytes };
  const raw = new Uint8Array(bytes);
  for (let k = 0; k < bytes; k++) raw[k] = parseInt(hex.slice(k * 2, k * 2 + 2), 16);
  try {
    return { text: visible(new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(raw)), bytes };
  } catch {
    return { bytes };
  }
}

/** One address the transaction pays, with every output that pays it (a payout may pay an address twice). */
export interface RecipientSum {
  /** The address, or "script <hex>" for an output without one. */
  address: string;
  hasAddress: boolean;
  total: number;
  outputs: number[];
}

/** Recipients (not change, PayGo or data) summed by address, in the order each address first appears. */
export function recipientsByAddress(outputs: readonly ReviewOutput[]): RecipientSum[] {
  const sums = new Map<string, RecipientSum>();
  for (const o of outputs) {
    if (outputDisplayKind(o) !== 'recipient') continue;
    const key = o.address ?? `script ${o.script}`;
    const s = sums.get(key) ?? { address: key, hasAddress: o.address !== undefined, total: 0, outputs: [] };
    s.total += o.amount;
    s.outputs.push(o.index);
    sums.set(key, s);
  }
  return [...sums.values()];
}

// ---- inputs --------------------------------------------------------------------------------------------------

export const SCRIPT_TYPE_WORDS: Readonly<Record<ReviewScriptType, string>> = {
  p2sh: 'P2SH (legacy multisig)',
  p2shP2wsh: 'P2SH-P2WSH (wrapped segwit)',
  p2wsh: 'P2WSH (native segwit)',
  p2trLegacy: 'Taproot (script path)',
  p2trMusig2: 'Taproot MuSig2 (key path)',
};

export const EVIDENCE_WORDS: Readonly<Record<AmountEvidence, string>> = {
  committed: 'amount committed by the signature',
  previous_tx: 'amount proven by the previous transaction',
  unverified: 'amount UNVERIFIED (claimed, not proven)',
};

/** The inputs of one script type on one chain (BitGo's odd chains are change coming back). */
export interface InputGroup {
  /** "p2wsh/20": stable, for keys and test ids. */
  key: string;
  scriptType: ReviewScriptType;
  chain: number;
  count: number;
  total: number;
  /** How many of the group's inputs have each kind of amount evidence. */
  evidence: Record<AmountEvidence, number>;
  /** The group's input indexes, in transaction order. */
  inputs: number[];
}

/** Inputs grouped by script type and chain, with totals and evidence counts; groups in chain order. */
export function groupInputs(inputs: readonly Pick<ReviewInput, 'index' | 'scriptType' | 'chain' | 'amount' | 'amountEvidence'>[]): InputGroup[] {
  const groups = new Map<string, InputGroup>();
  for (const x of inputs) {
    const key = `${x.scriptType}/${x.chain}`;
    const g = groups.get(key) ?? { key, scriptType: x.scriptType, chain: x.chain, count: 0, total: 0, evidence: { committed: 0, previous_tx: 0, unverified: 0 }, inputs: [] };
    g.count += 1;
    g.total += x.amount;
    g.evidence[x.amountEvidence] += 1;
    g.inputs.push(x.index);
    groups.set(key, g);
  }
  return [...groups.values()].sort((a, b) => a.chain - b.chain || a.scriptType.localeCompare(b.scriptType));
}

/** "all 500 committed by the signature" / "2 proven by the previous transaction, 1 UNVERIFIED". */
export function evidenceSummary(e: Record<AmountEvidence, number>): string {
  const parts = (Object.keys(EVIDENCE_WORDS) as AmountEvidence[]).filter((k) => e[k] > 0);
  const total = parts.reduce((a, k) => a + e[k], 0);
  if (parts.length === 1) return `${total === 1 ? '' : total === 2 ? 'both: ' : `all ${total}: `}${EVIDENCE_WORDS[parts[0]!]}`;
  return parts.map((k) => `${e[k]} ${EVIDENCE_WORDS[k].replace(/^amount /, '')}`).join(', ');
}

/** "Chain 20 (receive)" / "Chain 21 (change)": BitGo's odd chains hold the wallet's change. */
export function chainWords(chain: number): string {
  return `chain ${chain} (${chain % 2 === 1 ? 'change' : 'receive'})`;
}

/** One page of `count` rows: the first and last row numbers (1-based) and the page count, for "Inputs 1-100 of 500". */
export function pageOf(count: number, page: number, pageSize: number): { first: number; last: number; pages: number; page: number } {
  const pages = Math.max(1, Math.ceil(count / pageSize));
  const p = Math.min(Math.max(0, Math.trunc(page)), pages - 1);
  return { first: count === 0 ? 0 : p * pageSize + 1, last: Math.min(count, (p + 1) * pageSize), pages, page: p };
}

// ---- issues --------------------------------------------------------------------------------------------------

/** What an issue means (the headline) and what it technically is (code and main's message). */
export interface IssueWords {
  headline: string;
  details: string;
}

const SIGHASH_NAMES: Record<number, string> = { 0: 'DEFAULT', 1: 'ALL', 2: 'NONE', 3: 'SINGLE' };

function sighashName(t: number): string {
  const base = SIGHASH_NAMES[t & 0x7f] ?? 'unknown';
  return t & 0x80 ? `${base}|ANYONECANPAY` : base;
}

function duration(seconds: number): string {
  if (seconds < 3600) return `${Math.round(seconds / 60)} minutes`;
  if (seconds < 2 * 86400) return `${(seconds / 3600).toFixed(1)} hours`;
  return `${(seconds / 86400).toFixed(1)} days`;
}

/** BIP68: what an input's sequence number does to when the transaction can confirm. */
export function sequenceWords(sequence: number, txVersion: number): string {
  // BIP68: "If bit (1 << 31) of the sequence number is set, then no consensus meaning is applied".
  if ((sequence & 0x80000000) !== 0) return 'uses an unusual sequence number; it sets no timelock, but BitGo never builds it';
  // BIP68 applies to transactions of version 2 and above only.
  if (txVersion < 2) return 'uses a sequence number that would be a relative timelock, but this version 1 transaction ignores it';
  // BIP68: bit 22 set: units of 512 seconds; else blocks. The lower 16 bits are the value.
  const value = sequence & 0xffff;
  if (value === 0) return 'carries a relative timelock of zero (no delay, but BitGo never builds it)';
  if ((sequence & 0x00400000) !== 0) return `cannot confirm until ${duration(value * 512)} after the coin it spends confirmed (a relative timelock)`;
  return `cannot confirm until ${value.toLocaleString('en-US')} block${value === 1 ? '' : 's'} after the coin it spends confirmed (a relative timelock)`;
}

function lockTimeWords(lockTime: number): string {
  // Bitcoin Core: nLockTime below 500,000,000 is a block height, at or above it a unix time.
  if (lockTime >= 500_000_000) return `The transaction cannot confirm before ${new Date(lockTime * 1000).toISOString().replace('T', ' ').replace(/\.000Z$/, ' UTC')}.`;
  return `The transaction cannot confirm before block ${lockTime.toLocaleString('en-US')}.`;
}

type Model = Pick<ReviewModel, 'inputs' | 'outputs' | 'fee' | 'feeRate' | 'feeBasisPoints' | 'lockTime' | 'txVersion' | 'totals' | 'policy'>;

/** The witness version of an output script (hex) that starts with OP_1 to OP_16 (the review decided it is one). */
function witnessVersionOf(scriptHex: string): number | undefined {
  const op = Number.parseInt(scriptHex.slice(0, 2), 16);
  return op >= 0x51 && op <= 0x60 ? op - 0x50 : undefined;
}

function rule(model: Model, name: string): number | undefined {
  const v = model.policy.rules[name];
  return typeof v === 'number' ? v : undefined;
}

/** The headline for the codes that have more to say than the code table's sentence, else undefined. */
function specificHeadline(i: ReviewIssue, model: Model): string | undefined {
  const input = i.input !== undefined ? model.inputs.find((x) => x.index === i.input) : undefined;
  const output = i.output !== undefined ? model.outputs.find((x) => x.index === i.output) : undefined;
  switch (i.code) {
    case 'input_amount_unverified':
      return input && `Input ${input.index}: its amount, ${btcAndSats(input.amount)}, is only claimed by the request; nothing proves it (no previous transaction was sent with it), so the fee could be larger than shown.`;
    case 'sequence_unusual':
      return input && `Input ${input.index} ${sequenceWords(input.sequence, model.txVersion)}.`;
    case 'locktime_unusual':
      return lockTimeWords(model.lockTime);
    case 'input_sighash_unsupported':
      if (i.input === undefined) return undefined;
      return `Input ${i.input} asks for ${input?.sighashType !== undefined && input.sighashType !== 1 ? `a ${sighashName(input.sighashType)} signature` : 'or carries a signature of a kind'} that would let the transaction be changed after it is signed; only ALL signatures are made.`;
    case 'op_return_output': {
      if (output?.opReturnData === undefined) return undefined;
      const d = dataText(output.opReturnData);
      const what = d.text !== undefined ? `text “${d.text.length > 80 ? `${d.text.slice(0, 80)}…` : d.text}”` : `${d.bytes} bytes of data`;
      return `Output ${output.index} pays no one: it records ${what} in the blockchain${output.amount > 0 ? `, and burns ${btcAndSats(output.amount)}` : ''}.`;
    }
    case 'output_zero_value':
      return i.output !== undefined ? `Output ${i.output} pays nothing (0 sat).` : undefined;
    case 'output_future_segwit': {
      const v = output ? witnessVersionOf(output.script) : undefined;
      return output && v !== undefined ? `Output ${output.index} pays a segwit version ${v} address${output.address ? ` (${output.address})` : ''}. No rules for that version are in force today, so anyone may be able to take ${btcAndSats(output.amount)}. Approve only if you know why.` : undefined;
    }
    case 'output_dust': {
      const dust = rule(model, 'dustSats');
      return output && `Output ${output.index} pays only ${formatSats(output.amount)}${dust !== undefined ? `, below the dust limit of ${formatSats(dust)}` : ''}: the network may never relay it.`;
    }
    case 'fee_above_max': {
      const max = rule(model, 'maxFeeSats');
      return `The fee, ${formatSats(model.fee)}, is above the policy’s limit${max !== undefined ? ` of ${formatSats(max)}` : ''}.`;
    }
    case 'fee_percent_high': {
      const max = rule(model, 'maxFeeBasisPoints');
      return model.feeBasisPoints === undefined
        ? undefined
        : `The fee, ${formatSats(model.fee)}, is ${formatBasisPoints(model.feeBasisPoints)} of the ${formatSats(model.totals.spend)} leaving the wallet${max !== undefined ? ` (the policy allows ${formatBasisPoints(max)})` : ''}.`;
    }
    case 'fee_rate_high': {
      const max = rule(model, 'maxFeeRateSatPerVb');
      return `The fee rate, ${model.feeRate.toFixed(2)} sat/vB, is far above normal${max !== undefined ? ` (the policy’s ceiling is ${max.toLocaleString('en-US')} sat/vB)` : ''}: ${formatSats(model.fee)} in fees.`;
    }
    case 'change_index_high':
      return output && `Output ${output.index} sends change to index ${output.derivationIndex?.toLocaleString('en-US')} on chain ${output.chain}, far beyond normal: wallet software may not look there, and the funds could be hard to find.`;
    case 'output_to_own_receive_address':
      return output && `Output ${output.index} pays this wallet’s own receive address (chain ${output.chain}, index ${output.derivationIndex}): the money stays in the wallet, but not as the change it expects.`;
    default:
      return undefined;
  }
}

/**
 * An issue in words: a headline that says what it means (with the amounts, addresses and times from the model)
 * and a details line with the stable code and main's technical message. A warning that the policy turned into a
 * refusal says so.
 */
export function issueWords(i: ReviewIssue, model: Model): IssueWords {
  const place = issuePlace(i);
  const general = wordsFor(i.code);
  let headline = specificHeadline(i, model) ?? (general !== undefined ? (place ? `${place}: ${general}` : general) : place ? `${place}: ${i.message}` : i.message);
  if (i.policy !== undefined) headline += ` Refused by policy ${i.policy}.`;
  return { headline: visible(headline), details: visible(`${i.code}: ${i.message}`) };
}

// ---- the at-a-glance line ------------------------------------------------------------------------------------

/** "4 warnings" / "1 warning" / "no warnings". */
export function countWords(n: number, one: string, many = `${one}s`): string {
  return `${n === 0 ? 'no' : n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

/**
 * The one line the review opens with, as a hardware signer's first screen: what is sent to whom, the fee, the
 * change, the warnings; or REFUSED with the first reason in words.
 */
export function atAGlance(model: Model & Pick<ReviewModel, 'refusals' | 'warnings'>): { refused: boolean; text: string } {
  const first = model.refusals[0];
  if (first) {
    const more = model.refusals.length > 1 ? ` (and ${countWords(model.refusals.length - 1, 'more reason')})` : '';
    return { refused: true, text: `REFUSED: ${issueWords(first, model).headline}${more}` };
  }
  const recipients = recipientsByAddress(model.outputs);
  const sent = recipients.reduce((a, r) => a + r.total, 0);
  const parts: string[] = [];
  if (recipients.length === 0) parts.push('Send nothing out: everything stays in this wallet');
  else if (recipients.length === 1) parts.push(`Send ${formatBtc(sent)} BTC to ${recipients[0]!.hasAddress ? shortAddress(recipients[0]!.address) : 'a script without an address'}`);
  else parts.push(`Send ${formatBtc(sent)} BTC to ${recipients.length.toLocaleString('en-US')} addresses`);
  const payGo = model.outputs.filter((o) => outputDisplayKind(o) === 'paygo').reduce((a, o) => a + o.amount, 0);
  if (payGo > 0) parts[0] += ` + BitGo fee ${formatBtc(payGo)} BTC`;
  const data = model.outputs.filter((o) => outputDisplayKind(o) === 'data').length;
  if (data > 0) parts[0] += ` + ${countWords(data, 'data output')}`;
  const pct = model.feeBasisPoints !== undefined ? `${formatBasisPoints(model.feeBasisPoints)}, ` : '';
  parts.push(`fee ${formatSats(model.fee)} (${pct}${model.feeRate.toFixed(2)} sat/vB)`);
  const change = model.outputs.filter((o) => o.kind === 'change').length;
  parts.push(change === 0 ? 'no change' : change === 1 ? 'change verified' : `change verified (${change} outputs)`);
  parts.push(countWords(model.warnings.length, 'warning'));
  return { refused: false, text: parts.join(' · ') };
}
