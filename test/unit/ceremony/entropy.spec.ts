// The ceremony's entropy (electron/ceremony/entropy.ts): the dice hash against vectors computed with sha256sum, the
// refusals, the seed mixing against vectors computed with Python's hmac (and again with @noble/hashes here), and the
// two-laptop property: the same dice and computer entropy give the same xpubs, any change gives others.
import { test, expect } from '@playwright/test';
import { hmac } from '@noble/hashes/hmac';
import { sha512 } from '@noble/hashes/sha2';
import { readFileSync } from 'node:fs';
import { xpubsFor } from '../../../electron/ceremony/create';
import { diceEntropy, formatComputerEntropy, MIX_KEY, mixSeed, normaliseDice, parseComputerEntropy, textEntropy } from '../../../electron/ceremony/entropy';
import { keyFromSeed } from '../../../electron/ceremony/keys';
import { CeremonyError } from '../../../electron/ceremony/errors';

interface Vectors {
  dice: { description: string; typed: string; normalised: string; rolls: number; sha256: string; bits: number }[];
  diceRefused: { description: string; typed: string; code: string }[];
  text: { description: string; typed: string; claimedBits: number; sha256: string }[];
  mix: { dice: string; computerEntropy: string; operatorSha256: string; role: 'user' | 'backup'; seed: string }[];
}
const vectors = JSON.parse(readFileSync(new URL('../../fixtures/ceremony/vectors.json', import.meta.url), 'utf8')) as Vectors;
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const fromHex = (h: string) => new Uint8Array(Buffer.from(h, 'hex'));

for (const v of vectors.dice) {
  test(`dice hash: ${v.description}`, () => {
    expect(normaliseDice(v.typed)).toBe(v.normalised);
    const e = diceEntropy(v.typed);
    expect(hex(e.sha256)).toBe(v.sha256);
    expect(e).toMatchObject({ kind: 'dice', rolls: v.rolls, bits: v.bits });
  });
}

for (const v of vectors.diceRefused) {
  test(`dice refused: ${v.description}`, () => {
    let err: unknown;
    try {
      diceEntropy(v.typed);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CeremonyError);
    expect((err as CeremonyError).code).toBe(v.code);
    // The refusal says where, never what: the rolls are secret until the key is made.
    expect((err as Error).message).not.toContain(v.typed.replace(/\s/g, '').slice(0, 12) || '\u0000');
  });
}

test('typed text is hashed exactly as typed, and at least 256 bits must be claimed', () => {
  for (const v of vectors.text) {
    expect(hex(textEntropy(v.typed, v.claimedBits).sha256)).toBe(v.sha256);
    expect(() => textEntropy(v.typed, 255)).toThrow(expect.objectContaining({ code: 'entropy_insufficient' }));
  }
  expect(() => textEntropy('   ', 256)).toThrow(expect.objectContaining({ code: 'entropy_insufficient' }));
  // NFC and NFD spellings are different bytes, so different hashes: nothing is normalised behind the operator's back.
  expect(hex(textEntropy('café', 256).sha256)).not.toBe(hex(textEntropy('cafe\u0301', 256).sha256));
});

test('seed mixing equals the vectors made with Python hmac, and HMAC-SHA512 computed here with @noble/hashes', () => {
  for (const v of vectors.mix) {
    const dice = vectors.dice.find((d) => d.description === v.dice)!;
    const operator = diceEntropy(dice.typed);
    const computer = fromHex(v.computerEntropy);
    const seed = mixSeed(computer, operator, v.role);
    expect(hex(seed)).toBe(v.seed);
    const message = new Uint8Array([...computer, ...fromHex(v.operatorSha256), ...new TextEncoder().encode(v.role)]);
    expect(hex(hmac(sha512, new TextEncoder().encode(MIX_KEY), message))).toBe(v.seed);
    expect(keyFromSeed(seed).neutered().toBase58()).toBe(xpubsFor(computer, operator)[v.role]);
  }
});

test('two-laptop determinism: the same dice and computer entropy give the same xpubs; any change gives others', () => {
  const computer = fromHex(vectors.mix[0]!.computerEntropy);
  const dice = vectors.dice[3]!.typed;
  const first = xpubsFor(computer, diceEntropy(dice));
  // Typed again with other spacing on the second laptop: the same rolls.
  const second = xpubsFor(parseComputerEntropy(formatComputerEntropy(computer)), diceEntropy(dice.replace(/\s+/g, '\n')));
  expect(second).toEqual(first);
  expect(first.user).not.toBe(first.backup);
  // One roll different, or one bit of computer entropy different: other keys (the check catches a laptop that
  // ignored the dice or used other randomness).
  const rolls = normaliseDice(dice);
  const oneRollChanged = `${rolls.slice(0, 50)}${rolls[50] === '1' ? '2' : '1'}${rolls.slice(51)}`;
  expect(xpubsFor(computer, diceEntropy(oneRollChanged)).user).not.toBe(first.user);
  const flipped = Uint8Array.from(computer);
  flipped[31]! ^= 1;
  expect(xpubsFor(flipped, diceEntropy(dice)).backup).not.toBe(first.backup);
});

test('the exported computer entropy reads back only as 64 hex digits', () => {
  const bytes = new Uint8Array(32).map((_, i) => 255 - i);
  expect(hex(parseComputerEntropy(formatComputerEntropy(bytes)))).toBe(hex(bytes));
  for (const bad of ['', 'zz'.repeat(32), 'ab'.repeat(31), 'ab'.repeat(33)]) {
    expect(() => parseComputerEntropy(bad)).toThrow(expect.objectContaining({ code: 'os_entropy_invalid' }));
  }
});
