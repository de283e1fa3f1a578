// Hostile input for the strict PSBT reader and the signer checks: thousands of seeded random mutations of valid
// PSBTs. Whatever comes in, the only acceptable outcomes are a coded SignerError or a document that re-serializes
// to exactly the bytes given; never another exception type, never a hang.
import { test, expect } from '@playwright/test';
import { readFileSync, readdirSync } from 'node:fs';
import { SignerError } from '../../../shared/errors';
import { decodePsbtText, parsePsbtStrict } from '../../../electron/intake/psbt-strict';
import { serializePsbt } from '../../../electron/intake/psbt-write';
import { inputFields } from '../../../electron/intake/psbt-view';
import { bytesEqual } from '../../../electron/util/bytes';
import { checkForSigning, checkStrictInput } from '../../../electron/intake/input-checks';
import { b64, loadVectors } from '../../support/psbt-vectors';

/** mulberry32: a tiny deterministic PRNG, so every failure reproduces from its seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Bytes that mean something to a PSBT reader: separators, CompactSize prefixes, key types, magic.
const INTERESTING = [0x00, 0x01, 0x02, 0x04, 0x06, 0x0e, 0x0f, 0x13, 0x15, 0x20, 0x21, 0x41, 0x4e, 0x70, 0x7f, 0x80, 0xfb, 0xfc, 0xfd, 0xfe, 0xff];

function mutate(src: Uint8Array, rnd: () => number): Uint8Array {
  const pick = (n: number) => Math.floor(rnd() * n);
  let b = Uint8Array.from(src);
  const rounds = 1 + pick(3);
  for (let r = 0; r < rounds; r++) {
    const at = pick(b.length + 1);
    switch (pick(8)) {
      case 0: // flip one bit
        if (b.length) b[at % b.length] = (b[at % b.length] as number) ^ (1 << pick(8));
        break;
      case 1: // set an interesting byte
        if (b.length) b[at % b.length] = INTERESTING[pick(INTERESTING.length)] as number;
        break;
      case 2: // insert bytes
        b = Uint8Array.from([...b.subarray(0, at), ...Array.from({ length: 1 + pick(4) }, () => pick(256)), ...b.subarray(at)]);
        break;
      case 3: // delete a run
        b = Uint8Array.from([...b.subarray(0, at), ...b.subarray(at + 1 + pick(8))]);
        break;
      case 4: // truncate
        b = b.subarray(0, at);
        break;
      case 5: { // duplicate a slice (duplicate keys, repeated maps)
        const len = 1 + pick(40);
        b = Uint8Array.from([...b.subarray(0, at), ...b.subarray(at, at + len), ...b.subarray(at)]);
        break;
      }
      case 6: // huge CompactSize where a length may be
        b = Uint8Array.from([...b.subarray(0, at), 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f, ...b.subarray(at)]);
        break;
      default: // 32-bit length that points past the end
        b = Uint8Array.from([...b.subarray(0, at), 0xfe, pick(256), pick(256), 0xff, 0x7f, ...b.subarray(at)]);
        break;
    }
  }
  return b;
}

const seeds: Uint8Array[] = [];
for (const file of ['bip174_vectors.json', 'bip370_psbtv2_vectors.json', 'bip371_taproot_vectors.json', 'bip373_musig2_vectors.json']) {
  for (const c of loadVectors(file).cases) {
    if ((c.expect === 'valid' || c.expect === 'sign' || c.expect === 'signer_refuse' || c.expect === 'locktime') && c.psbtBase64) seeds.push(b64(c.psbtBase64));
  }
}

// BitGo's own documents (taproot script path, MuSig2 proprietary records, p2sh/p2wsh), except the large ones.
const bitgoDir = new URL('../../fixtures/bitgo/cases/', import.meta.url);
for (const file of readdirSync(bitgoDir).sort()) {
  if (file.startsWith('large-')) continue;
  const j = JSON.parse(readFileSync(new URL(file, bitgoDir), 'utf8')) as { txHex?: string; txPrebuild?: { txHex?: string } };
  const text = j.txPrebuild?.txHex ?? j.txHex;
  if (typeof text === 'string' && text.startsWith('70736274ff')) seeds.push(decodePsbtText(text).bytes);
}

const MUTATIONS_PER_SEED = 60;

test('seed corpus is non-trivial', () => {
  expect(seeds.length).toBeGreaterThan(70);
});

for (const shard of [0, 1, 2, 3]) {
  test(`random mutations of valid PSBTs, shard ${shard}: coded errors or exact round-trips only`, () => {
    test.setTimeout(120_000);
    const rnd = prng(0x5eed0000 + shard);
    let accepted = 0;
    let rejected = 0;
    let slowest = 0;
    for (let s = shard; s < seeds.length; s += 4) {
      for (let m = 0; m < MUTATIONS_PER_SEED; m++) {
        const bytes = mutate(seeds[s] as Uint8Array, rnd);
        const t0 = performance.now();
        try {
          const psbt = parsePsbtStrict(bytes);
          expect(bytesEqual(serializePsbt(psbt), bytes), `seed ${s} mutation ${m}: accepted but not byte-identical`).toBe(true);
          try {
            checkForSigning(psbt, undefined, { DANGER_allowWitnessUtxoForNonSegwit: true });
          } catch (e) {
            if (!(e instanceof SignerError)) throw e;
          }
          for (let i = 0; i < psbt.inputs.length; i++) {
            try {
              inputFields(psbt, i);
              checkStrictInput(psbt, i);
            } catch (e) {
              if (!(e instanceof SignerError)) throw e;
            }
          }
          accepted++;
        } catch (e) {
          if (!(e instanceof SignerError)) {
            throw new Error(`seed ${s} mutation ${m} (shard ${shard}): ${e instanceof Error ? e.name : typeof e} escaped: ${String(e)}`, { cause: e });
          }
          expect(e.code).toMatch(/^psbt_/);
          rejected++;
        }
        slowest = Math.max(slowest, performance.now() - t0);
      }
    }
    test.info().annotations.push({ type: 'mutations', description: `accepted ${accepted}, rejected ${rejected}, slowest ${slowest.toFixed(1)} ms` });
    // Both branches must be exercised: some mutations keep a valid document (round-trip checked), most break it.
    expect(rejected).toBeGreaterThan(0);
    expect(accepted).toBeGreaterThan(0);
    expect(accepted + rejected).toBeGreaterThan(500);
    // A hang would hit the test timeout; this bounds the slowest single document well below it.
    expect(slowest).toBeLessThan(2_000);
  });
}

test('text front door: hostile values give psbt_* codes, never another exception', () => {
  const hostile: unknown[] = [
    undefined, null, 0, {}, [], '', ' ', '\u0000', 'cHNidP8', 'cHNidP8=', '70736274ff', '70736274FF0', 'cHNidP8B====',
    'x'.repeat(100_000), new Uint8Array(0), Uint8Array.of(0x70, 0x73, 0x62, 0x74), Uint8Array.of(0x70, 0x73, 0x62, 0x74, 0xff),
    new TextEncoder().encode('cHNidP8BAA=='), new Uint8Array(70_000).fill(0x41),
  ];
  for (const h of hostile) {
    try {
      const { bytes } = decodePsbtText(h as string);
      parsePsbtStrict(bytes);
      throw new Error(`accepted hostile value ${String(h).slice(0, 20)}`);
    } catch (e) {
      expect(e, `hostile ${String(h).slice(0, 20)}`).toBeInstanceOf(SignerError);
      expect((e as SignerError).code).toMatch(/^psbt_/);
    }
  }
});
