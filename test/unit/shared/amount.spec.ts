// Amounts (shared/amount.ts): BTC text with exactly 8 decimals both ways, satoshis a JSON number holds exactly,
// and basis points and fee rates rounded up so a limit is never passed by rounding.
import { test, expect } from '@playwright/test';
import { basisPoints, feeRateHundredths, formatBasisPoints, formatBtc, formatHundredths, MAX_MONEY_SATS, parseBtc, satsFromJson, toSafeSats } from '../../../shared/amount';
import { SignerError } from '../../../shared/errors';

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof SignerError ? e.code : 'not-a-signer-error';
  }
  return undefined;
}

test('formatBtc: exact 8 decimals, no rounding', () => {
  expect(formatBtc(0n)).toBe('0.00000000');
  expect(formatBtc(1n)).toBe('0.00000001');
  expect(formatBtc(123456789n)).toBe('1.23456789');
  expect(formatBtc(MAX_MONEY_SATS)).toBe('21000000.00000000');
  expect(formatBtc(-5n)).toBe('-0.00000005');
  expect(formatBtc(2_099_999_997_690_000)).toBe('20999999.97690000');
});

test('parseBtc round-trips and refuses floats, exponents, too many decimals, above MAX_MONEY', () => {
  for (const s of ['0.00000001', '1.5', '21000000', '0.1']) expect(formatBtc(parseBtc(s))).toBe(formatBtc(parseBtc(formatBtc(parseBtc(s)))));
  expect(parseBtc('0.1')).toBe(10_000_000n);
  for (const bad of ['1e8', '-1', '0.000000001', ' 1', '01', '1.', '', '21000000.00000001', 'NaN']) expect(code(() => parseBtc(bad)), bad).toMatch(/^amount_/);
});

test('toSafeSats refuses values a JSON number cannot hold exactly', () => {
  expect(toSafeSats(2n ** 53n - 1n, 'x')).toBe(Number.MAX_SAFE_INTEGER);
  expect(code(() => toSafeSats(2n ** 53n, 'output 0'))).toBe('amount_unsafe_integer');
  expect(code(() => toSafeSats(-1n, 'output 0'))).toBe('amount_negative');
  expect(satsFromJson(5, 'x')).toBe(5n);
  expect(satsFromJson('12345678901234567890', 'x')).toBe(12345678901234567890n);
  for (const bad of [1.5, -1, '1.0', null, 2 ** 53]) expect(code(() => satsFromJson(bad, 'x'))).toBe('amount_invalid');
});

test('basis points and fee rates round up so limits never pass by rounding', () => {
  expect(basisPoints(500n, 10_000n)).toBe(500);
  expect(basisPoints(1n, 3n)).toBe(3334);
  expect(basisPoints(1n, 0n)).toBeUndefined();
  expect(formatBasisPoints(523)).toBe('5.23%');
  expect(formatBasisPoints(5)).toBe('0.05%');
  expect(feeRateHundredths(1000n, 141)).toBe(710); // 7.0921.. -> 7.10
  expect(formatHundredths(710)).toBe('7.10');
  expect(code(() => feeRateHundredths(1n, 0))).toBe('vsize_invalid');
});
