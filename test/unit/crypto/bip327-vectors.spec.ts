// BIP327 (MuSig2) against the BIP's own vectors (test/fixtures/bip327, see PROVENANCE.md there): key aggregation
// with tweaks, NonceGen, NonceAgg, Sign / PartialSigVerify, tweaked signing and PartialSigAgg, valid and error
// cases. Then against an independent implementation (@scure/btc-signer's musig2 on @noble/curves): the same
// results on seeded random keys, messages and tweaks, and each side's signatures verify on the other.
import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import * as scure from '@scure/btc-signer/musig2.js';
import { ecc } from '../../../electron/crypto/ecc';
import {
  aggregateXonly,
  keyAggTweaked,
  Musig2Error,
  nonceAgg,
  nonceGen,
  partialSigAgg,
  partialSign,
  partialSigVerify,
} from '../../../electron/crypto/musig2';

const vectors = (name: string) => JSON.parse(readFileSync(new URL(`../../fixtures/bip327/${name}_vectors.json`, import.meta.url), 'utf8'));
const unhex = (s: string) => new Uint8Array(Buffer.from(s, 'hex'));
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex').toUpperCase();
const pick = (all: string[], idx: number[]) => idx.map((i) => unhex(all[i]!));

interface VectorError {
  type: 'value' | 'invalid_contribution';
  signer?: number | null;
}

/** The BIP's error kinds: ValueError, or InvalidContributionError naming the signer (null for the aggregator). */
function expectError(f: () => unknown, e: VectorError): void {
  let thrown: unknown;
  try {
    f();
  } catch (x) {
    thrown = x;
  }
  expect(thrown, 'expected an error').toBeInstanceOf(Musig2Error);
  const m = thrown as Musig2Error;
  if (e.type === 'value') {
    expect(m.code).toBe('musig2_value_invalid');
  } else {
    expect(m.code).toBe('musig2_contribution_invalid');
    expect(m.signer).toBe(e.signer ?? undefined);
  }
}

test.describe('BIP327 key_agg_vectors', () => {
  const v = vectors('key_agg');
  v.valid_test_cases.forEach((c: { key_indices: number[]; expected: string }, n: number) => {
    test(`valid ${n}`, () => {
      expect(hex(aggregateXonly(keyAggTweaked(pick(v.pubkeys, c.key_indices))))).toBe(c.expected);
    });
  });
  v.error_test_cases.forEach((c: { key_indices: number[]; tweak_indices: number[]; is_xonly: boolean[]; error: VectorError; comment: string }) => {
    test(`error: ${c.comment}`, () => {
      expectError(() => keyAggTweaked(pick(v.pubkeys, c.key_indices), pick(v.tweaks, c.tweak_indices), c.is_xonly), c.error);
    });
  });
});

test.describe('BIP327 nonce_gen_vectors', () => {
  const v = vectors('nonce_gen');
  v.test_cases.forEach((c: Record<string, string | null>, n: number) => {
    test(`case ${n}`, () => {
      const opt = (k: string) => (c[k] === null ? undefined : unhex(c[k]!));
      const r = nonceGen({ rand: unhex(c.rand_!), pk: unhex(c.pk!), ...(opt('sk') ? { sk: opt('sk')! } : {}), ...(opt('aggpk') ? { aggpk: opt('aggpk')! } : {}), ...(opt('msg') ? { msg: opt('msg')! } : {}), ...(opt('extra_in') ? { extraIn: opt('extra_in')! } : {}) });
      expect(hex(r.secnonce)).toBe(c.expected_secnonce);
      expect(hex(r.pubnonce)).toBe(c.expected_pubnonce);
    });
  });
});

test.describe('BIP327 nonce_agg_vectors', () => {
  const v = vectors('nonce_agg');
  v.valid_test_cases.forEach((c: { pnonce_indices: number[]; expected: string }, n: number) => {
    test(`valid ${n}`, () => expect(hex(nonceAgg(pick(v.pnonces, c.pnonce_indices)))).toBe(c.expected));
  });
  v.error_test_cases.forEach((c: { pnonce_indices: number[]; error: VectorError; comment: string }) => {
    test(`error: ${c.comment}`, () => expectError(() => nonceAgg(pick(v.pnonces, c.pnonce_indices)), c.error));
  });
});

test.describe('BIP327 sign_verify_vectors', () => {
  const v = vectors('sign_verify');
  const sk = unhex(v.sk);
  const session = (keys: number[], agg: number, msg: number) => ({ pubkeys: pick(v.pubkeys, keys), aggnonce: unhex(v.aggnonces[agg]), tweaks: [], isXonly: [], msg: unhex(v.msgs[msg]) });
  v.valid_test_cases.forEach((c: { key_indices: number[]; nonce_indices: number[]; aggnonce_index: number; msg_index: number; signer_index: number; expected: string }, n: number) => {
    test(`valid ${n}: sign, then verify`, () => {
      const s = session(c.key_indices, c.aggnonce_index, c.msg_index);
      expect(hex(nonceAgg(pick(v.pnonces, c.nonce_indices)))).toBe(v.aggnonces[c.aggnonce_index]);
      const secnonce = unhex(v.secnonces[0]);
      expect(hex(partialSign(secnonce, sk, s))).toBe(c.expected);
      // The secret nonce is consumed: wiped, and refused if offered again.
      expect(secnonce.every((b) => b === 0)).toBe(true);
      expectError(() => partialSign(secnonce, sk, s), { type: 'value' });
      expect(partialSigVerify(unhex(c.expected), pick(v.pnonces, c.nonce_indices), s, c.signer_index)).toBe(true);
    });
  });
  v.sign_error_test_cases.forEach((c: { key_indices: number[]; aggnonce_index: number; msg_index: number; secnonce_index: number; error: VectorError; comment: string }) => {
    test(`sign error: ${c.comment}`, () => {
      expectError(() => partialSign(unhex(v.secnonces[c.secnonce_index]), sk, session(c.key_indices, c.aggnonce_index, c.msg_index)), c.error);
    });
  });
  v.verify_fail_test_cases.forEach((c: { sig: string; key_indices: number[]; nonce_indices: number[]; msg_index: number; signer_index: number; comment: string }) => {
    test(`verify fails: ${c.comment}`, () => {
      const s = { pubkeys: pick(v.pubkeys, c.key_indices), tweaks: [], isXonly: [], msg: unhex(v.msgs[c.msg_index]) };
      expect(partialSigVerify(unhex(c.sig), pick(v.pnonces, c.nonce_indices), s, c.signer_index)).toBe(false);
    });
  });
  v.verify_error_test_cases.forEach((c: { sig: string; key_indices: number[]; nonce_indices: number[]; msg_index: number; signer_index: number; error: VectorError; comment: string }) => {
    test(`verify error: ${c.comment}`, () => {
      const s = { pubkeys: pick(v.pubkeys, c.key_indices), tweaks: [], isXonly: [], msg: unhex(v.msgs[c.msg_index]) };
      expectError(() => partialSigVerify(unhex(c.sig), pick(v.pnonces, c.nonce_indices), s, c.signer_index), c.error);
    });
  });
});

test.describe('BIP327 tweak_vectors', () => {
  const v = vectors('tweak');
  const sk = unhex(v.sk);
  type C = { key_indices: number[]; nonce_indices: number[]; tweak_indices: number[]; is_xonly: boolean[]; signer_index: number; expected?: string; error?: VectorError; comment: string };
  const session = (c: C) => ({ pubkeys: pick(v.pubkeys, c.key_indices), aggnonce: unhex(v.aggnonce), tweaks: pick(v.tweaks, c.tweak_indices), isXonly: c.is_xonly, msg: unhex(v.msg) });
  v.valid_test_cases.forEach((c: C) => {
    test(`valid: ${c.comment}`, () => {
      expect(hex(nonceAgg(pick(v.pnonces, c.nonce_indices)))).toBe(v.aggnonce);
      expect(hex(partialSign(unhex(v.secnonce), sk, session(c)))).toBe(c.expected);
      expect(partialSigVerify(unhex(c.expected!), pick(v.pnonces, c.nonce_indices), session(c), c.signer_index)).toBe(true);
    });
  });
  v.error_test_cases.forEach((c: C) => {
    test(`error: ${c.comment}`, () => expectError(() => partialSign(unhex(v.secnonce), sk, session(c)), c.error!));
  });
});

test.describe('BIP327 sig_agg_vectors', () => {
  const v = vectors('sig_agg');
  type C = { aggnonce: string; nonce_indices: number[]; key_indices: number[]; tweak_indices: number[]; is_xonly: boolean[]; psig_indices: number[]; expected?: string; error?: VectorError; comment?: string };
  const run = (c: C) => {
    const s = { pubkeys: pick(v.pubkeys, c.key_indices), aggnonce: unhex(c.aggnonce), tweaks: pick(v.tweaks, c.tweak_indices), isXonly: c.is_xonly, msg: unhex(v.msg) };
    expect(hex(nonceAgg(pick(v.pnonces, c.nonce_indices)))).toBe(c.aggnonce);
    return { s, sig: () => partialSigAgg(pick(v.psigs, c.psig_indices), s) };
  };
  v.valid_test_cases.forEach((c: C, n: number) => {
    test(`valid ${n}: aggregate, and BIP340 verifies it`, () => {
      const { s, sig } = run(c);
      const out = sig();
      expect(hex(out)).toBe(c.expected);
      expect(ecc.verifySchnorr(s.msg, aggregateXonly(keyAggTweaked(s.pubkeys, s.tweaks, s.isXonly)), out)).toBe(true);
    });
  });
  v.error_test_cases.forEach((c: C) => {
    test(`error: ${c.comment}`, () => expectError(run(c).sig, c.error!));
  });
});

// ---- against @scure/btc-signer's independent implementation (seeded, the same on every machine) ------------

function seeded(label: string, n: number): Uint8Array {
  return new Uint8Array(createHash('sha256').update(`bip327-crosscheck/${label}/${n}`).digest());
}

test('cross-check with @scure/btc-signer: 2-of-2 with a BIP341-style x-only tweak, both directions, 40 sessions', () => {
  for (let n = 0; n < 40; n++) {
    const sks = [seeded('sk0', n), seeded('sk1', n)];
    const pks = sks.map((k) => ecc.pointFromScalar(k, true)!);
    const msg = seeded('msg', n);
    const tweaks = n % 4 === 0 ? [] : [seeded('tweak', n)];
    const isXonly = tweaks.map(() => true);
    // Key aggregation: the same aggregate.
    const ours = keyAggTweaked(pks, tweaks, isXonly);
    expect(hex(aggregateXonly(ours))).toBe(hex(scure.keyAggExport(scure.keyAggregate(pks, tweaks, isXonly))));
    // NonceGen with the same inputs: the same nonces.
    const aggpk = aggregateXonly(ours);
    const mine = nonceGen({ sk: sks[0]!, pk: pks[0]!, aggpk, msg, extraIn: seeded('extra', n), rand: seeded('rand0', n) });
    const theirs = scure.nonceGen(pks[0]!, sks[0]!, aggpk, msg, seeded('extra', n), seeded('rand0', n));
    expect(hex(mine.pubnonce)).toBe(hex(theirs.public));
    expect(hex(mine.secnonce)).toBe(hex(theirs.secret));
    // Signer 0 signs here, signer 1 with scure; each verifies the other's partial signature.
    const other = scure.nonceGen(pks[1]!, sks[1]!, aggpk, msg, undefined, seeded('rand1', n));
    const pubnonces = [mine.pubnonce, other.public];
    const aggnonce = nonceAgg(pubnonces);
    expect(hex(aggnonce)).toBe(hex(scure.nonceAggregate(pubnonces)));
    const session = { aggnonce, pubkeys: pks, tweaks, isXonly, msg };
    const theirSession = new scure.Session(aggnonce, pks, msg, tweaks, isXonly);
    const p0 = partialSign(mine.secnonce, sks[0]!, session);
    const p1 = theirSession.sign(other.secret, sks[1]!);
    expect(theirSession.partialSigVerify(p0, pubnonces, 0)).toBe(true);
    expect(partialSigVerify(p1, pubnonces, session, 1)).toBe(true);
    // Wrong signer index or a flipped bit: refused by both.
    expect(partialSigVerify(p0, pubnonces, session, 1)).toBe(false);
    const bad = p1.slice();
    bad[31]! ^= 1;
    expect(partialSigVerify(bad, pubnonces, session, 1)).toBe(false);
    // Aggregation: the same BIP340 signature, valid for the tweaked aggregate key.
    const sig = partialSigAgg([p0, p1], session);
    expect(hex(sig)).toBe(hex(theirSession.partialSigAgg([p0, p1])));
    expect(ecc.verifySchnorr(msg, aggpk, sig)).toBe(true);
  }
});
