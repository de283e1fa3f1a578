// The self-test a ceremony runs before it makes any key: the OS random number generator, then known-answer tests
// of every primitive a new key passes through. A failure stops the ceremony with rng_self_test_failed.
//
// RNG: 20,000 bits from the same source the keys use, through the four statistical tests of FIPS 140-2 section
// 4.9.1 (monobit, poker, runs, long run; the bounds are the standard's), plus a continuous test (two draws of
// 32 bytes must differ, and none is all zeros or all ones). What this catches: a stuck, constant, repeating or
// badly biased generator (a broken VM entropy source, a stubbed randomBytes). What it cannot catch: a generator
// that is statistically perfect but predictable to an attacker (a backdoored DRBG). That is what the operator's
// dice and the two-laptop check are for. A healthy generator fails one of these tests about once in 10,000 samples
// (the bounds are about 3.9 standard deviations wide; the runs test's twelve counts are the likeliest to stray).
// So when the first sample fails, the four tests are run once more on a second, fresh 20,000-bit sample, and the
// report says so (check "FIPS 140-2 retest", with the first sample's findings): a healthy generator then fails
// about once in 100 million self-tests, while a stuck, biased or repeating one fails both samples (and the
// continuous test). When both fail, the message says to run it again, and to stop if it fails again.
//
// Known answers (each from a public source, so a broken or swapped library is caught before it makes a key):
// SHA-256 of "abc" (FIPS 180-2), HMAC-SHA512 test case 2 of RFC 4231, BIP32 test vector 1 (master key),
// bitcoinjs-message's signing vector (private key 1, "vires is numeris"), and this ceremony's own seed mixing of
// fixed inputs to fixed xpubs (the figures the two-laptop check depends on; README "Key ceremony").
import { createHmac, randomBytes } from 'node:crypto';
import { signBitcoinMessage } from '../crypto/bitcoin-message';
import { sha256 } from '../crypto/hash';
import { toBase64, toHex } from '../util/bytes';
import { diceEntropy, mixSeed } from './entropy';
import { CeremonyError } from './errors';
import { keyFromSeed, wipeKey } from './keys';

export interface SelfTestCheck {
  name: string;
  ok: boolean;
  /** What was measured (counts and statistics, never random bytes). */
  detail: string;
}

export interface SelfTestReport {
  ok: boolean;
  checks: SelfTestCheck[];
}

export type RandomSource = (bytes: number) => Uint8Array;

const osRandom: RandomSource = (n) => new Uint8Array(randomBytes(n));

/** FIPS 140-2 4.9.1 on exactly 20,000 bits (2,500 bytes). */
export function fips140Checks(sample: Uint8Array): SelfTestCheck[] {
  if (sample.length !== 2500) throw new Error('fips140Checks needs 2500 bytes');
  const bits: number[] = [];
  for (const byte of sample) for (let i = 7; i >= 0; i--) bits.push((byte >> i) & 1);
  const ones = bits.reduce((a, b) => a + b, 0);
  const checks: SelfTestCheck[] = [{ name: 'FIPS 140-2 monobit', ok: ones > 9725 && ones < 10275, detail: `${ones} ones in 20000 bits (bounds 9725..10275, exclusive)` }];
  const nibbles = new Array<number>(16).fill(0);
  for (const byte of sample) {
    nibbles[byte >> 4]!++;
    nibbles[byte & 15]!++;
  }
  const poker = (16 / 5000) * nibbles.reduce((a, f) => a + f * f, 0) - 5000;
  checks.push({ name: 'FIPS 140-2 poker', ok: poker > 2.16 && poker < 46.17, detail: `X = ${poker.toFixed(2)} (bounds 2.16..46.17)` });
  const runs = [new Array<number>(7).fill(0), new Array<number>(7).fill(0)];
  let longest = 0;
  for (let i = 0; i < bits.length; ) {
    let j = i;
    while (j < bits.length && bits[j] === bits[i]) j++;
    const len = j - i;
    longest = Math.max(longest, len);
    runs[bits[i]!]![Math.min(len, 6)]!++;
    i = j;
  }
  const bounds: Record<number, [number, number]> = { 1: [2315, 2685], 2: [1114, 1386], 3: [527, 723], 4: [240, 384], 5: [103, 209], 6: [103, 209] };
  const runFailures: string[] = [];
  for (const bit of [0, 1]) {
    for (let len = 1; len <= 6; len++) {
      const n = runs[bit]![len]!;
      const [lo, hi] = bounds[len]!;
      if (n < lo || n > hi) runFailures.push(`${n} runs of ${len}${len === 6 ? '+' : ''} ${bit}s (bounds ${lo}..${hi})`);
    }
  }
  checks.push({ name: 'FIPS 140-2 runs', ok: runFailures.length === 0, detail: runFailures.length === 0 ? 'every run length within bounds' : runFailures.join('; ') });
  checks.push({ name: 'FIPS 140-2 long run', ok: longest < 26, detail: `longest run ${longest} bits (must be under 26)` });
  return checks;
}

function continuousCheck(rng: RandomSource): SelfTestCheck {
  const a = rng(32);
  const b = rng(32);
  const flat = (x: Uint8Array) => x.every((v) => v === 0) || x.every((v) => v === 255);
  const ok = a.length === 32 && b.length === 32 && toHex(a) !== toHex(b) && !flat(a) && !flat(b);
  a.fill(0);
  b.fill(0);
  return { name: 'continuous (two draws differ, none flat)', ok, detail: ok ? 'two 32-byte draws differ' : 'two draws were equal, short, or all zeros/ones' };
}

/** Known answers, each from its published source (see the file comment). */
const KAT = {
  sha256Abc: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
  hmacSha512Rfc4231Case2:
    '164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737',
  bip32Vector1Xprv: 'xprv9s21ZrQH143K3QTDL4LXw2F7HEK3wJUD2nW2nRk4stbPy6cq3jPPqjiChkVvvNKmPGJxWUtg6LnF5kejMRNNU3TGtRBeJgk33yuGBxrMPHi',
  messageSignD1: 'IF8nHqFr3K2UKYahhX3soVeoW8W1ECNbr0wfck7lzyXjCS5Q16Ek45zyBuy1Fiy9sTPKVgsqqOuPvbycuVSSVl8=',
  /** mixSeed of computer entropy 00..1f and dice "123456" repeated to 102 rolls (test/fixtures/ceremony). */
  mixUserXpub: 'xpub661MyMwAqRbcH2hhxxV1A4V2icURpnFTKG2G7X1gGAFneERZ6WPdY2EgL4pHUTG4xa2RcFR98rJBFo3sHaGX25QNM3qQdAnbnR4ixxkSYNQ',
  mixBackupXpub: 'xpub661MyMwAqRbcGUn38JtiDmLZM2sxtdML5gju7Ec7evb4MeZYAJpLSbox4qPKXyhwph4QqivrpYbUQFH2QpYYsqFYc4p5URt9JxLeWA1PV7z',
};

function katChecks(): SelfTestCheck[] {
  const checks: SelfTestCheck[] = [];
  const check = (name: string, run: () => boolean) => {
    let ok: boolean;
    try {
      ok = run();
    } catch {
      ok = false;
    }
    checks.push({ name, ok, detail: ok ? 'known answer matches' : 'known answer DIFFERS' });
  };
  check('SHA-256 (FIPS 180-2 "abc")', () => toHex(sha256(new TextEncoder().encode('abc'))) === KAT.sha256Abc);
  check('HMAC-SHA512 (RFC 4231 case 2)', () => createHmac('sha512', 'Jefe').update('what do ya want for nothing?').digest('hex') === KAT.hmacSha512Rfc4231Case2);
  check('BIP32 test vector 1 (master key)', () => {
    const seed = new Uint8Array(16).map((_, i) => i);
    const node = keyFromSeed(seed);
    const ok = node.toBase58() === KAT.bip32Vector1Xprv;
    wipeKey(node);
    return ok;
  });
  check('Bitcoin message signature (bitcoinjs-message vector)', () => {
    const d = new Uint8Array(32);
    d[31] = 1;
    return toBase64(signBitcoinMessage('vires is numeris', d)) === KAT.messageSignD1;
  });
  check('ceremony seed mixing (fixed inputs to fixed xpubs)', () => {
    const computer = new Uint8Array(32).map((_, i) => i);
    const dice = diceEntropy('123456'.repeat(17));
    const xpubs = (['user', 'backup'] as const).map((role) => {
      const seed = mixSeed(computer, dice, role);
      const node = keyFromSeed(seed);
      seed.fill(0);
      const xpub = node.neutered().toBase58();
      wipeKey(node);
      return xpub;
    });
    return xpubs[0] === KAT.mixUserXpub && xpubs[1] === KAT.mixBackupXpub;
  });
  return checks;
}

/** Runs every check; `rng` is injectable so that tests can show a broken generator is refused. */
export function runSelfTest(rng: RandomSource = osRandom): SelfTestReport {
  let checks = statisticalChecks(rng);
  const first = checks.filter((c) => !c.ok);
  if (first.length > 0) {
    // One retest on a fresh sample (see the file comment); both samples' findings stay in the report.
    checks = statisticalChecks(rng);
    const passed = checks.every((c) => c.ok);
    checks.push({
      name: 'FIPS 140-2 retest',
      ok: passed,
      detail: `the first 20,000-bit sample failed (${first.map((c) => `${c.name}: ${c.detail}`).join('; ')}); ${passed ? 'a second, fresh sample passed every test' : 'a second, fresh sample failed too'}`,
    });
  }
  checks.push(continuousCheck(rng), ...katChecks());
  return { ok: checks.every((c) => c.ok), checks };
}

/** The four FIPS 140-2 tests on a fresh 20,000-bit sample, which is wiped after. */
function statisticalChecks(rng: RandomSource): SelfTestCheck[] {
  const sample = rng(2500);
  const checks = sample.length === 2500 ? fips140Checks(sample) : [{ name: 'RNG sample', ok: false, detail: `asked for 2500 bytes, got ${sample.length}` }];
  sample.fill(0);
  return checks;
}

/** The self-test, throwing rng_self_test_failed (naming the checks that failed) when any fails. */
export function requireSelfTest(rng: RandomSource = osRandom): SelfTestReport {
  const report = runSelfTest(rng);
  if (!report.ok) {
    const failed = report.checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.detail}`);
    throw new CeremonyError(`the self-test failed (${failed.join('; ')}); run it once more, and if it fails again do not create keys on this computer`, 'rng_self_test_failed');
  }
  return report;
}
