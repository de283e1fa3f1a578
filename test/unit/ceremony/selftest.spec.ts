// The self-test before any key (electron/ceremony/selftest.ts): a sound generator passes (a SHA-256 counter stream,
// so the test is deterministic), and stuck, constant, counting, biased or repeating generators are refused before
// a key is made, with a coded error naming the failed checks; a first sample that fails is retested once.
import { test, expect } from '@playwright/test';
import { createHash } from 'node:crypto';
import { createKeys } from '../../../electron/ceremony/create';
import { diceEntropy } from '../../../electron/ceremony/entropy';
import { fips140Checks, requireSelfTest, runSelfTest, type RandomSource } from '../../../electron/ceremony/selftest';

function counterStream(seed: string): RandomSource {
  let n = 0;
  return (len) => {
    const out = new Uint8Array(len);
    for (let i = 0; i < len; i += 32) out.set(createHash('sha256').update(`${seed}/${n++}`).digest().subarray(0, Math.min(32, len - i)), i);
    return out;
  };
}

test('a sound generator passes every check, and every known answer matches', () => {
  const report = runSelfTest(counterStream('sound'));
  expect(report.checks.filter((c) => !c.ok)).toEqual([]);
  expect(report.ok).toBe(true);
  expect(report.checks.map((c) => c.name)).toEqual(
    expect.arrayContaining(['FIPS 140-2 monobit', 'FIPS 140-2 poker', 'FIPS 140-2 runs', 'FIPS 140-2 long run', 'BIP32 test vector 1 (master key)', 'ceremony seed mixing (fixed inputs to fixed xpubs)']),
  );
});

const broken: [string, RandomSource, string][] = [
  ['all zeros', (n) => new Uint8Array(n), 'FIPS 140-2 monobit'],
  ['a constant 0x55', (n) => new Uint8Array(n).fill(0x55), 'FIPS 140-2 poker'],
  ['a counter 0, 1, 2, ... restarting on every call', (n) => new Uint8Array(n).map((_, i) => i), 'continuous (two draws differ, none flat)'],
  ['a biased generator (low bit stuck at 0)', (n) => counterStream('biased')(n).map((b) => b & 0xfe), 'FIPS 140-2 monobit'],
  ['the same random block on every call', (() => { const block = counterStream('repeat')(2500); return (n: number) => block.slice(0, n); })(), 'continuous (two draws differ, none flat)'],
];
for (const [name, rng, failing] of broken) {
  test(`refused: ${name}`, async () => {
    const report = runSelfTest(rng);
    expect(report.ok).toBe(false);
    expect(report.checks.find((c) => c.name === failing)?.ok).toBe(false);
    expect(() => requireSelfTest(rng)).toThrow(expect.objectContaining({ code: 'rng_self_test_failed' }));
    // No key is made from such a generator.
    await expect(createKeys({ label: 'x', coin: 'tbtc', operator: diceEntropy('1'.repeat(99)), passphrase: 'a long enough passphrase 1', envelope: { version: 1 }, rng })).rejects.toMatchObject({ code: 'rng_self_test_failed' });
  });
}

test('a first sample that fails is retested once on a fresh one: a healthy generator passes and the report says so; both failing is refused', () => {
  // A sound stream whose first 2,500-byte draw is biased (what a healthy generator's rare outlier looks like).
  const sound = counterStream('retest');
  let draws = 0;
  const outlierFirst: RandomSource = (n) => (draws++ === 0 ? sound(n).map((b) => b & 0xfe) : sound(n));
  const report = requireSelfTest(outlierFirst);
  expect(report.ok).toBe(true);
  expect(report.checks.find((c) => c.name === 'FIPS 140-2 retest')).toMatchObject({ ok: true, detail: expect.stringMatching(/^the first 20,000-bit sample failed \(FIPS 140-2 monobit: .*a second, fresh sample passed every test$/) });
  // Without an outlier there is no retest in the report.
  expect(runSelfTest(counterStream('no retest')).checks.map((c) => c.name)).not.toContain('FIPS 140-2 retest');
  // Two biased samples: refused, naming the retest.
  let n2 = 0;
  const twoOutliers: RandomSource = (n) => (n2++ < 2 ? sound(n).map((b) => b & 0xfe) : sound(n));
  expect(() => requireSelfTest(twoOutliers)).toThrow(expect.objectContaining({ code: 'rng_self_test_failed', message: expect.stringContaining('FIPS 140-2 retest') }));
});

test('FIPS 140-2 long run: a run of 26 equal bits fails, 25 passes', () => {
  const base = counterStream('long')(2500);
  const withRun = (len: number) => {
    const s = Uint8Array.from(base);
    // bits 800.. set to 1 for `len` bits, bounded by zeros
    const set = (bit: number, v: number) => {
      const byte = bit >> 3;
      const mask = 0x80 >> (bit & 7);
      s[byte] = v ? s[byte]! | mask : s[byte]! & ~mask;
    };
    set(799, 0);
    for (let i = 0; i < len; i++) set(800 + i, 1);
    set(800 + len, 0);
    return fips140Checks(s).find((c) => c.name === 'FIPS 140-2 long run')!.ok;
  };
  expect(withRun(25)).toBe(true);
  expect(withRun(26)).toBe(false);
});
