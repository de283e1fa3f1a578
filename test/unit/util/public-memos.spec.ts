// The process-wide memos of public data (BoundedMap, electron/util/memo.ts): derived wallet keys, curve-point
// validity and address networks. They must give exactly the answers of the uncached functions, never hand out a table
// entry a caller could change, keep different wallets apart, and stay bounded.
import { test, expect } from '@playwright/test';
import { createHash } from 'node:crypto';
import { bip32, clearPointMemo, ecc, isPointMemo, notePointValid } from '../../../electron/crypto/ecc';
import { BoundedMap } from '../../../electron/util/memo';
import { clearWalletMemos, deriveWalletKeys, parseXpubTriple } from '../../../electron/wallet/keys';
import { addressNetwork } from '../../../electron/review/network';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const root = (seed: string) => bip32.fromSeed(createHash('sha256').update(seed).digest());
const xpubs = (tag: string) => ['user', 'backup', 'bitgo'].map((r) => root(`${tag} ${r}`).neutered().toBase58());

test('BoundedMap forgets its oldest entries beyond its size and refuses a nonsense size', () => {
  const m = new BoundedMap<string, number>(3);
  for (const [i, k] of ['a', 'b', 'c', 'd'].entries()) m.set(k, i);
  expect(m.size).toBe(3);
  expect(m.get('a')).toBeUndefined();
  expect([m.get('b'), m.get('c'), m.get('d')]).toEqual([1, 2, 3]);
  m.set('b', 9); // re-set moves it to the newest place
  m.set('e', 4);
  expect(m.get('c')).toBeUndefined();
  expect(m.get('b')).toBe(9);
  for (const bad of [0, -1, 1.5, Number.NaN]) expect(() => new BoundedMap(bad)).toThrow(RangeError);
});

test('remembered wallet keys equal the bip32 package, are copies, and never cross between wallets', () => {
  clearWalletMemos();
  const pubsA = xpubs('wallet A');
  const pubsB = xpubs('wallet B');
  for (let i = 0; i < 3; i++) {
    for (const index of [0, 7, 499]) {
      // A fresh parse each time, as the review, the gate and the engine each do.
      const a = deriveWalletKeys(parseXpubTriple(pubsA), 20, index);
      const b = deriveWalletKeys(parseXpubTriple(pubsB), 20, index);
      const expectedA = pubsA.map((x) => hex(bip32.fromBase58(x).derivePath(`m/0/0/20/${index}`).publicKey));
      expect([a.user, a.backup, a.bitgo].map(hex)).toEqual(expectedA);
      expect(hex(b.user)).not.toBe(hex(a.user));
      a.user.fill(0); // the caller's copy; the table keeps the real key
    }
  }
  const again = deriveWalletKeys(parseXpubTriple(pubsA), 20, 0);
  expect(hex(again.user)).toBe(hex(bip32.fromBase58(pubsA[0]!).derivePath('m/0/0/20/0').publicKey));
  // Another chain of the same wallet is another key.
  expect(hex(deriveWalletKeys(parseXpubTriple(pubsA), 21, 0).user)).not.toBe(hex(again.user));
});

test('point validity memo answers as ecc.isPoint for good, off-curve and malformed keys', () => {
  clearPointMemo();
  const good = root('point').publicKey;
  const offCurve = Uint8Array.from(good);
  // Find an x with no point (x^3 + 7 not a square): about half of all x values.
  for (let x = 1; ; x++) {
    offCurve.fill(0, 1);
    offCurve[32] = x;
    if (!ecc.isPoint(offCurve)) break;
  }
  const badPrefix = Uint8Array.from(good);
  badPrefix[0] = 0x05;
  for (let round = 0; round < 2; round++) {
    expect(isPointMemo(good)).toBe(true);
    expect(isPointMemo(offCurve)).toBe(false);
    expect(isPointMemo(badPrefix)).toBe(false);
    expect(isPointMemo(good.subarray(0, 32))).toBe(false);
  }
  // A key the wallet derived is recorded as valid; that is the only way in besides ecc.isPoint itself.
  const derived = root('derived').derive(5).publicKey;
  notePointValid(derived);
  expect(isPointMemo(derived)).toBe(true);
});

test('address networks are remembered with the same answers, including for garbage', () => {
  const cases: [string, string | undefined][] = [
    ['bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq', 'bitcoin'],
    ['tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx', 'testnet'],
    ['1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2', 'bitcoin'],
    ['not an address', undefined],
    ['bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdX', undefined],
  ];
  for (let round = 0; round < 2; round++) for (const [a, n] of cases) expect(addressNetwork(a), a).toBe(n);
});
