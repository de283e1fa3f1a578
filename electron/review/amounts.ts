// Where the money goes: totals, fee, fee rate of the signed transaction, the policy's limits on them, and the
// timelocks (nLockTime / nSequence) that decide when the transaction can confirm. BitGo's PayGo fee: paygo.ts.
import { basisPoints, describeSats, feeRateHundredths, formatBasisPoints, formatHundredths } from '../../shared/amount';
import type { ReviewOutput } from '../../shared/review';
import type { RequestMetadata } from '../intake/express';
import { LOCKTIME_THRESHOLD } from '../util/consensus';
import type { InputResult } from './inputs';
import type { Issues } from './issues';
import type { PolicyRules } from './policy';
import { estimateSignedSize } from './vsize';

/** Sequence numbers BitGo and wallets use: final, locktime-enabling, and BIP125 replaceable. */
const USUAL_SEQUENCES = new Set([0xffffffff, 0xfffffffe, 0xfffffffd]);
/** A height locktime more than this many blocks past the prebuild's height is unusual (BitGo uses the tip). */
const LOCKTIME_FUTURE_BLOCKS = 6;

export interface TxShape {
  locktime: number | undefined;
  inputs: readonly { sequence: number }[];
  outputs: readonly { value: bigint; script: Uint8Array }[];
}

export interface Amounts {
  totalIn: bigint;
  totalOut: bigint;
  change: bigint;
  external: bigint;
  fee: bigint;
  /** external + fee: what leaves the wallet. */
  spend: bigint;
  vsize: number;
  /** Fee rate in hundredths of a sat/vB. */
  rate: number;
  feeBasisPoints: number | undefined;
}

/** Totals and fee, with the policy's fee and spend limits and its destination allowlist. */
export function reviewAmounts(tx: TxShape, inputs: readonly InputResult[], outputs: ReviewOutput[], rules: PolicyRules, issues: Issues): Amounts {
  const totalIn = inputs.reduce((s, x) => s + x.amount, 0n);
  const outValues = tx.outputs.map((x) => x.value);
  const totalOut = outValues.reduce((s, v) => s + v, 0n);
  const change = outputs.reduce((s, x, k) => s + (x.kind === 'change' ? outValues[k]! : 0n), 0n);
  const external = totalOut - change;
  let fee = totalIn - totalOut;
  if (fee < 0n) {
    issues.refuse('outputs_exceed_inputs', `outputs total ${describeSats(totalOut)} but inputs only ${describeSats(totalIn)}`);
    fee = 0n;
  }
  const spend = external + fee;
  const { vsize } = estimateSignedSize(inputs.map((x) => x.vsize), tx.outputs.map((x) => x.script.length));
  const rate = feeRateHundredths(fee, vsize);
  const feeBasisPoints = basisPoints(fee, spend);

  if (rules.maxFeeSats !== null && fee > BigInt(rules.maxFeeSats)) {
    issues.warn('fee_above_max', `fee ${describeSats(fee)} is above the policy limit of ${rules.maxFeeSats} sat`);
  }
  if (feeBasisPoints !== undefined && feeBasisPoints > rules.maxFeeBasisPoints) {
    issues.warn('fee_percent_high', `fee is ${formatBasisPoints(feeBasisPoints)} of the ${describeSats(spend)} leaving the wallet (limit ${formatBasisPoints(rules.maxFeeBasisPoints)})`);
  }
  if (rate > rules.maxFeeRateSatPerVb * 100) {
    issues.warn('fee_rate_high', `fee rate ${formatHundredths(rate)} sat/vB (signed size ${vsize} vB) is above the ceiling of ${rules.maxFeeRateSatPerVb} sat/vB`);
  }
  if (rules.maxSpendSats !== null && spend > BigInt(rules.maxSpendSats)) {
    issues.refuse('spend_above_max', `${describeSats(spend)} leaves the wallet, above the policy limit of ${rules.maxSpendSats} sat per transaction`);
  }
  if (rules.allowedDestinations !== null) {
    for (const out of outputs) {
      if (out.kind !== 'external' || out.opReturnData !== undefined) continue;
      if (out.address === undefined || !rules.allowedDestinations.includes(out.address)) {
        issues.refuse('destination_not_allowed', `output ${out.index} pays ${out.address ?? `script ${out.script.slice(0, 80)}`}, which is not on the policy's destination allowlist`, { output: out.index });
      }
    }
  }
  return { totalIn, totalOut, change, external, fee, spend, vsize, rate, feeBasisPoints };
}

/** nLockTime / nSequence: BitGo builds with locktime 0 or the current height and sequences 0xfffffffd..f. */
export function reviewTimelocks(tx: TxShape, meta: RequestMetadata, issues: Issues): number {
  const lockTime = tx.locktime ?? 0;
  if (tx.locktime === undefined) issues.refuse('locktime_conflict', 'the inputs ask for conflicting locktimes (BIP370)');
  else if (lockTime >= LOCKTIME_THRESHOLD) issues.warn('locktime_unusual', `nLockTime ${lockTime} is a unix time (${new Date(lockTime * 1000).toISOString()}): the transaction cannot confirm before then`);
  else if (lockTime > 0 && meta.blockHeight !== undefined && lockTime > meta.blockHeight + LOCKTIME_FUTURE_BLOCKS) {
    issues.warn('locktime_unusual', `nLockTime ${lockTime} is ${lockTime - meta.blockHeight} blocks after the prebuild's height ${meta.blockHeight}: the transaction cannot confirm before then`);
  } else if (lockTime > 0 && meta.blockHeight === undefined && lockTime > 1_000_000) {
    issues.warn('locktime_unusual', `nLockTime ${lockTime} is a block height far in the future`);
  }
  tx.inputs.forEach((x, i) => {
    if (!USUAL_SEQUENCES.has(x.sequence)) {
      issues.warn('sequence_unusual', `input ${i} has nSequence 0x${x.sequence.toString(16).padStart(8, '0')}${(x.sequence & 0x80000000) === 0 ? ' (a BIP68 relative timelock)' : ''}`, { input: i });
    }
  });
  return lockTime;
}
