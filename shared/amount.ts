// Satoshi amounts: exact integer arithmetic only (bigint inside, decimal strings for people), never floats.
//
// Decision (documented for the review JSON): amounts cross IPC and the CLI as JSON numbers of satoshis. Every
// valid bitcoin amount (at most 21e6 BTC = 2.1e15 sat) is far below Number.MAX_SAFE_INTEGER (2^53 - 1), so a
// number is exact; anything larger is refused by `toSafeSats` instead of being rounded silently.
import { SignerError, type ErrorCode } from './errors';

/** 1 BTC in satoshis. */
export const SATS_PER_BTC = 100_000_000n;
/** Consensus MAX_MONEY: 21 million BTC in satoshis (Bitcoin Core amount.h). */
export const MAX_MONEY_SATS = 21_000_000n * SATS_PER_BTC;

export class AmountError extends SignerError {
  constructor(message: string, code: ErrorCode = 'amount_invalid') {
    super('AmountError', message, code);
  }
}

/**
 * A satoshi amount as a JSON-safe integer number. `where` names the field in the error ("output 2 amount").
 * Refuses negatives and anything above 2^53 - 1 (which would lose precision as a JSON number).
 */
export function toSafeSats(value: bigint, where: string): number {
  if (value < 0n) throw new AmountError(`${where}: amount ${value} is negative`, 'amount_negative');
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new AmountError(`${where}: amount ${value} sat is above 2^53-1 and cannot be represented exactly`, 'amount_unsafe_integer');
  }
  return Number(value);
}

/** Reads a satoshi amount given as a JSON number or a decimal integer string. */
export function satsFromJson(value: unknown, where: string): bigint {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value < 0) throw new AmountError(`${where}: ${String(value)} is not a non-negative safe integer of satoshis`);
    return BigInt(value);
  }
  if (typeof value === 'string' && /^(0|[1-9][0-9]{0,19})$/.test(value)) return BigInt(value);
  throw new AmountError(`${where}: expected an integer number of satoshis, got ${typeof value === 'string' ? JSON.stringify(value.slice(0, 30)) : typeof value}`);
}

/** 123456789n -> "1.23456789" (always 8 decimals, so columns line up and nothing is rounded). */
export function formatBtc(sats: bigint | number): string {
  const v = typeof sats === 'bigint' ? sats : BigInt(sats);
  const neg = v < 0n;
  const a = neg ? -v : v;
  const whole = a / SATS_PER_BTC;
  const frac = (a % SATS_PER_BTC).toString().padStart(8, '0');
  return `${neg ? '-' : ''}${whole}.${frac}`;
}

/** 100000n -> "100,000 sat": satoshis grouped in thousands. */
export function formatSats(sats: number | bigint): string {
  const v = typeof sats === 'bigint' ? sats : BigInt(sats);
  const digits = (v < 0n ? -v : v).toString();
  return `${v < 0n ? '-' : ''}${digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',')} sat`;
}

/** "0.00100000 BTC (100,000 sat)": how the review, the summary and the command line say an amount. */
export function btcAndSats(sats: number | bigint): string {
  return `${formatBtc(sats)} BTC (${formatSats(sats)})`;
}

/** "1.5" / "0.00000001" / "21000000" -> satoshis. At most 8 decimals; no exponent, sign or spaces. */
export function parseBtc(text: string, where = 'amount'): bigint {
  const m = /^(0|[1-9][0-9]{0,7})(?:\.([0-9]{1,8}))?$/.exec(text);
  if (!m) throw new AmountError(`${where}: ${JSON.stringify(text.slice(0, 30))} is not a BTC amount (digits, at most 8 decimals)`);
  const sats = BigInt(m[1]!) * SATS_PER_BTC + BigInt((m[2] ?? '').padEnd(8, '0'));
  if (sats > MAX_MONEY_SATS) throw new AmountError(`${where}: ${text} BTC is above the 21 million BTC supply`, 'amount_above_max_money');
  return sats;
}

/** Formats sats with a unit for people: "0.00150000 BTC (150000 sat)". */
export function describeSats(sats: bigint | number): string {
  return `${formatBtc(sats)} BTC (${sats.toString()} sat)`;
}

/**
 * part / whole in basis points (1/100 of a percent), rounded up so a limit check never passes by rounding.
 * Returns undefined when whole is 0.
 */
export function basisPoints(part: bigint, whole: bigint): number | undefined {
  if (whole <= 0n) return undefined;
  const bp = (part * 10_000n + whole - 1n) / whole;
  return Number(bp);
}

/** Basis points as a percent string with two decimals: 523 -> "5.23%". */
export function formatBasisPoints(bp: number): string {
  const i = Math.trunc(bp);
  return `${Math.trunc(i / 100)}.${String(i % 100).padStart(2, '0')}%`;
}

/**
 * Fee rate in sat/vB as a decimal string with 2 decimals, rounded up (fee * 100 / vsize, ceiling), and the same
 * value in hundredths as an integer for comparisons.
 */
export function feeRateHundredths(fee: bigint, vsize: number): number {
  if (vsize <= 0) throw new AmountError(`virtual size ${vsize} is not positive`, 'vsize_invalid');
  const v = BigInt(vsize);
  return Number((fee * 100n + v - 1n) / v);
}

export function formatHundredths(h: number): string {
  const i = Math.trunc(h);
  return `${Math.trunc(i / 100)}.${String(i % 100).padStart(2, '0')}`;
}
