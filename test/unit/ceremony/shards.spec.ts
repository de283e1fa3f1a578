// Shards in BitGo's format (electron/ceremony/shards.ts), checked the way BitGo's SDK reads them (BitGoJS sdk-api
// bitgoAPI.ts reconstituteSecret: sjcl opens each share, secrets.js combines them, HDNode.fromSeedHex is the key)
// and by a Lagrange interpolation over GF(2^8) written here from the secrets.js share layout (not its code), for
// every m-of-n combination. The seed and xpub are BitGo's own test's (BitGoJS test "Shamir Secret Sharing").
import { test, expect } from '@playwright/test';
import secrets from 'secrets.js-grempe';
import sjcl from 'sjcl';
import { createKeys } from '../../../electron/ceremony/create';
import { diceEntropy } from '../../../electron/ceremony/entropy';
import { combinations, parseShardSet, recombineShards, reshard, serializeShardSet, splitSeed, verifyShards, type ShardSet } from '../../../electron/ceremony/shards';
import { bip32 } from '../../../electron/crypto/ecc';

const BITGO_SEED = '8cc57dac9cdae42bf7848a2d12f2874d31eca1f9de8fe3f8fa13e7857b545d59';
const BITGO_XPUB = 'xpub661MyMwAqRbcEusRjkJ64BXgR8ddYsXbuDJfbRc3eZcZVEa2ygswDiFZQpHFsA5N211YDvi2N898h4KrcXcfsR8PLhjJaPUwCUqg1ptBBHN';
const PASSWORDS = ['mickey', 'mouse', 'donald', 'duck'];

// GF(2^8) with secrets.js's primitive polynomial for 8 bits (x^8 + x^4 + x^3 + x^2 + 1, 0x11d).
function gfMul(a: number, b: number): number {
  let p = 0;
  for (let i = 0; i < 8; i++) {
    if (b & 1) p ^= a;
    const carry = a & 0x80;
    a = (a << 1) & 0xff;
    if (carry) a ^= 0x1d;
    b >>= 1;
  }
  return p;
}
function gfInv(a: number): number {
  let r = 1;
  for (let i = 0; i < 254; i++) r = gfMul(r, a); // a^254 = a^-1 in GF(256)
  return r;
}

/** Shares "8<id: 2 hex><data: hex>": byte k of every share is a point of the polynomial for byte k of the padded secret "1<secret bits>". */
function independentCombine(shares: string[]): string {
  const points = shares.map((sh) => ({ x: parseInt(sh.slice(1, 3), 16), y: Buffer.from(sh.slice(3), 'hex') }));
  const len = points[0]!.y.length;
  const out = new Uint8Array(len);
  for (let k = 0; k < len; k++) {
    let acc = 0;
    for (const [j, pj] of points.entries()) {
      let basis = 1; // the Lagrange basis polynomial at 0: prod x_i / (x_i - x_j), and - is xor here
      for (const [i, pi] of points.entries()) if (i !== j) basis = gfMul(basis, gfMul(pi.x, gfInv(pi.x ^ pj.x)));
      acc ^= gfMul(pj.y[k]!, basis);
    }
    out[k] = acc;
  }
  const bits = [...out].map((b) => b.toString(2).padStart(8, '0')).join('');
  const secretBits = bits.slice(bits.indexOf('1') + 1);
  return secretBits.match(/.{4}/g)!.map((n) => parseInt(n, 2).toString(16)).join('');
}

/** BitGo's reconstituteSecret, step for step, with the libraries it uses. */
function bitgoReconstitute(shards: string[], passwords: string[]): { seed: string; xpub: string } {
  const plain = shards.map((s, i) => sjcl.decrypt(passwords[i]!, s) as string);
  const seed = secrets.combine(plain);
  return { seed, xpub: bip32.fromSeed(Buffer.from(seed, 'hex')).neutered().toBase58() };
}

test("BitGo's own seed, split 3-of-4: its xpub, every 3 shards rebuild it (BitGo's way and independently), no 2 do", async () => {
  const set = await splitSeed(Buffer.from(BITGO_SEED, 'hex'), PASSWORDS, 3);
  expect(set).toMatchObject({ xpub: BITGO_XPUB, m: 3, n: 4 });
  const plain = set.seedShares.map((s, i) => sjcl.decrypt(PASSWORDS[i]!, s) as string);
  expect(plain.map((p) => p.slice(0, 3))).toEqual(['801', '802', '803', '804']);
  for (const env of set.seedShares) expect(JSON.parse(env)).toMatchObject({ v: 1, iter: 10000, ks: 256, ts: 64, mode: 'ccm', cipher: 'aes' });
  for (const combo of combinations(4, 3)) {
    expect(bitgoReconstitute(combo.map((i) => set.seedShares[i]!), combo.map((i) => PASSWORDS[i]!))).toEqual({ seed: BITGO_SEED, xpub: BITGO_XPUB });
    expect(independentCombine(combo.map((i) => plain[i]!))).toBe(BITGO_SEED);
  }
  for (const combo of combinations(4, 2)) expect(secrets.combine(combo.map((i) => plain[i]!))).not.toBe(BITGO_SEED);
  expect(await verifyShards(set, PASSWORDS, BITGO_XPUB)).toEqual({ ok: true, xpub: BITGO_XPUB, m: 3, n: 4, combinations: 4 });
  const xpub = await recombineShards(set, ['mickey', undefined, 'donald', 'duck'], (node) => node.neutered().toBase58());
  expect(xpub).toBe(BITGO_XPUB);
  // The file is splitSecret's return value, and reads back.
  expect(parseShardSet(serializeShardSet(set), 'set.json')).toEqual(set);
});

for (const [m, n] of [
  [2, 2],
  [2, 3],
  [3, 5],
  [4, 6],
] as const) {
  test(`${m}-of-${n}: every combination of ${m} rebuilds the key in verifyShards, in recombine and in BitGo's reconstitute`, async () => {
    test.setTimeout(120_000);
    const seed = Buffer.alloc(64, 0).map((_, i) => (i * 37 + m * 11 + n) & 0xff); // a 64-byte seed, as the ceremony's
    const xpub = bip32.fromSeed(Buffer.from(seed)).neutered().toBase58();
    const passwords = Array.from({ length: n }, (_, i) => `holder ${i + 1} passphrase`);
    const set = await splitSeed(seed, passwords, m);
    expect(set.xpub).toBe(xpub);
    const result = await verifyShards(set, passwords);
    expect(result.combinations).toBe(combinations(n, m).length);
    for (const combo of combinations(n, m)) {
      const given = passwords.map((p, i) => (combo.includes(i) ? p : undefined));
      expect(await recombineShards(set, given, (node) => node.neutered().toBase58())).toBe(xpub);
      expect(bitgoReconstitute(combo.map((i) => set.seedShares[i]!), combo.map((i) => passwords[i]!)).xpub).toBe(xpub);
    }
    if (m > 2) {
      const few = passwords.map((p, i) => (i < m - 1 ? p : undefined));
      await expect(recombineShards(set, few, () => 0)).rejects.toMatchObject({ code: 'passphrase_missing' });
    }
  });
}

test('a wrong password names its shard; a shard of another split is caught by verify and by recombine with more than m', async () => {
  const a = await splitSeed(Buffer.alloc(32, 1), ['p1', 'p2', 'p3'], 2);
  const b = await splitSeed(Buffer.alloc(32, 2), ['p1', 'p2', 'p3'], 2);
  await expect(verifyShards(a, ['p1', 'wrong', 'p3'])).rejects.toThrow(/shard 2/);
  const mixed: ShardSet = { ...a, seedShares: [a.seedShares[0]!, a.seedShares[1]!, b.seedShares[2]!] };
  await expect(verifyShards(mixed, ['p1', 'p2', 'p3'])).rejects.toMatchObject({ code: 'shards_inconsistent' });
  await expect(recombineShards(mixed, ['p1', 'p2', 'p3'], () => 0)).rejects.toMatchObject({ code: 'shards_inconsistent' });
  // Two shards of the other split rebuild the other key: refused against the set's xpub.
  const foreign: ShardSet = { ...a, seedShares: [b.seedShares[0]!, b.seedShares[1]!, a.seedShares[2]!] };
  await expect(recombineShards(foreign, ['p1', 'p2', undefined], () => 0)).rejects.toMatchObject({ code: 'shards_inconsistent' });
  // The same shard twice counts once.
  const doubled: ShardSet = { ...a, seedShares: [a.seedShares[0]!, a.seedShares[0]!, a.seedShares[2]!] };
  await expect(recombineShards(doubled, ['p1', 'p1', undefined], () => 0)).rejects.toMatchObject({ code: 'shards_inconsistent' });
});

test('reshard: BitGo\'s seed from 2 of its 3-of-4 shards, split anew 3-of-5; every new combination rebuilds it, old and new shares do not mix', async () => {
  const old = await splitSeed(Buffer.from(BITGO_SEED, 'hex'), PASSWORDS, 3);
  const fresh = ['n1 password', 'n2 password', 'n3 password', 'n4 password', 'n5 password'];
  await expect(reshard(old, ['mickey', 'mouse', undefined, undefined], fresh, 3)).rejects.toMatchObject({ code: 'passphrase_missing' });
  const next = await reshard(old, ['mickey', undefined, 'donald', 'duck'], fresh, 3);
  expect(next).toMatchObject({ xpub: BITGO_XPUB, m: 3, n: 5 });
  expect((await verifyShards(next, fresh)).combinations).toBe(10);
  for (const combo of combinations(5, 3)) expect(bitgoReconstitute(combo.map((i) => next.seedShares[i]!), combo.map((i) => fresh[i]!)).seed).toBe(BITGO_SEED);
  // Two new shares and one old one: a polynomial of another split, refused.
  const mixed: ShardSet = { ...next, seedShares: [old.seedShares[0]!, ...next.seedShares.slice(1)] };
  await expect(recombineShards(mixed, ['mickey', fresh[1], fresh[2], undefined, undefined], () => 0)).rejects.toMatchObject({ code: 'shards_inconsistent' });
});

test('thresholds outside 2 <= m <= n <= 255, and splits with too many combinations to verify, are refused', async () => {
  for (const [m, n] of [
    [1, 3],
    [4, 3],
    [2, 256],
    [10, 20],
  ]) {
    await expect(splitSeed(Buffer.alloc(32, 1), Array.from({ length: n! }, () => 'pw'), m!)).rejects.toMatchObject({ code: 'shard_threshold_invalid' });
  }
  await expect(splitSeed(Buffer.alloc(32, 1), ['a', '', 'c'], 2)).rejects.toMatchObject({ code: 'passphrase_weak' });
});

test('shard files: hostile input is refused with shard_invalid', async () => {
  const set = await splitSeed(Buffer.alloc(32, 1), ['p1', 'p2', 'p3'], 2);
  const good = JSON.parse(serializeShardSet(set)) as Record<string, unknown>;
  for (const [what, text] of [
    ['not JSON', '{'],
    ['a key twice', '{"m":2,"m":2}'],
    ['n not the number of shares', JSON.stringify({ ...good, n: 4 })],
    ['a share that is not an envelope', JSON.stringify({ ...good, seedShares: ['x'.repeat(20), ...set.seedShares.slice(1)] })],
    ['an xprv for the xpub', JSON.stringify({ ...good, xpub: 'xprv9s21ZrQH143K3' })],
    ['m of 1', JSON.stringify({ ...good, m: 1 })],
  ]) {
    expect(() => parseShardSet(text!, 'f.json'), what).toThrow(expect.objectContaining({ code: expect.stringMatching(/^shard_/) }));
  }
});

test('create splits the backup key into shards while its seed exists: the shards rebuild the recorded backup xpub', async () => {
  test.setTimeout(120_000);
  const created = await createKeys({
    label: 'Sharded',
    coin: 'tbtc',
    operator: diceEntropy('1234566'.repeat(15)),
    passphrase: 'correct horse battery staple glue',
    envelope: { version: 1 },
    shard: { role: 'backup', m: 2, passwords: ['first holder pw', 'second holder pw', 'third holder pw'] },
  });
  expect(created.shards?.xpub).toBe(created.record.keys.backup.xpub);
  expect((await verifyShards(created.shards!, ['first holder pw', 'second holder pw', 'third holder pw'])).combinations).toBe(3);
});
