// Strict PSBT reader against the public vectors: BIP174, BIP370, BIP371, BIP373, Bitcoin Core/HWI and bitcoinjs.
// One loop per file; test names are the vector ids and names. Invalid vectors must fail with a coded SignerError;
// valid ones must parse and re-serialize byte-identically (HWI's rule).
import { test, expect } from '@playwright/test';
import { SignerError } from '../../../shared/errors';
import { decodePsbtText, determineLocktime, parsePsbtStrict } from '../../../electron/intake/psbt-strict';
import { serializePsbt } from '../../../electron/intake/psbt-write';
import { PsbtFormatError } from '../../../electron/intake/byte-reader';
import { toBase64 } from '../../../electron/util/bytes';
import { b64, loadVectors, type PsbtCase } from '../../support/psbt-vectors';

/** Parses through the text front door, as an operator's file would arrive. */
function parseText(text: string) {
  return parsePsbtStrict(decodePsbtText(text).bytes);
}

function expectRejected(c: PsbtCase): SignerError {
  let caught: unknown;
  try {
    parseText(c.psbtBase64 as string);
  } catch (e) {
    caught = e;
  }
  expect(caught, `${c.id} must be rejected`).toBeInstanceOf(SignerError);
  const err = caught as SignerError;
  expect(err.code).toMatch(/^psbt_/);
  expect(err.message.length).toBeGreaterThan(10);
  return err;
}

function expectRoundTrip(c: PsbtCase): void {
  const text = (c.psbtBase64 as string).trim();
  const psbt = parseText(text);
  expect(toBase64(serializePsbt(psbt))).toBe(text);
  if (c.psbtVersion !== undefined) expect(psbt.version).toBe(c.psbtVersion);
  // No public vector breaks a warning-level rule (xpub path length vs depth).
  expect(psbt.warnings).toEqual([]);
}

const PARSE_FILES = [
  'bip174_vectors.json',
  'bip370_psbtv2_vectors.json',
  'bip371_taproot_vectors.json',
  'bip373_musig2_vectors.json',
  'core_hwi_rpc_psbt_cases.json',
] as const;

/**
 * Vectors this reader deliberately refuses although upstream lists them as well-formed. Each stays in the loop
 * and is asserted to be refused, with the reason, so a change in behaviour shows up as a failing test.
 */
const DELIBERATE_REJECTIONS: Record<string, string> = {
  // HWI's combiner vector predates BIP370 and uses key type 0x0f with key data as an "unknown" input key. 0x0f is
  // now PSBT_IN_OUTPUT_INDEX, excluded from v0 documents (BIP370), and Bitcoin Core refuses the key outright
  // ("Output index key is more than one byte type"); Coldcard also rejects its old unknowns-ins file.
  'core-combiner-160': 'PSBT_IN_OUTPUT_INDEX (0x0f)',
  // Same old 0x0f "unknown" input key in bitcoinjs's copy of the BIP174 valid vector.
  'bjs-024': 'PSBT_IN_OUTPUT_INDEX (0x0f)',
};

/**
 * What the refusal message must name for the BIP vectors: the map, the key type and the reason. Written from the
 * vectors' own descriptions, so a refusal for the wrong reason fails.
 */
const EXPECTED_REASON: Record<string, RegExp> = {
  'bip174-02': /^output 0: truncated/,
  'bip174-03': /PSBT_GLOBAL_UNSIGNED_TX.*input 0 of the unsigned tx has a non-empty scriptSig/,
  'bip174-04': /PSBT_GLOBAL_UNSIGNED_TX \(0x00\) is missing/,
  'bip174-05': /^input 0: duplicate key PSBT_IN_NON_WITNESS_UTXO/,
  'bip174-06': /^global map PSBT_GLOBAL_UNSIGNED_TX \(0x00\): key must have no key data/,
  'bip174-07': /^input 0 PSBT_IN_WITNESS_UTXO \(0x01\): key must have no key data/,
  'bip174-08': /^input 0 PSBT_IN_PARTIAL_SIG \(0x02\): key must have 33 .* or 65/,
  'bip174-09': /^input 0 PSBT_IN_REDEEM_SCRIPT \(0x04\): key must have no key data/,
  'bip174-10': /^input 0 PSBT_IN_WITNESS_SCRIPT \(0x05\): key must have no key data/,
  'bip174-11': /^input 0 PSBT_IN_BIP32_DERIVATION \(0x06\): key must have 33/,
  'bip174-12': /^input 0 PSBT_IN_NON_WITNESS_UTXO \(0x00\): key must have no key data/,
  'bip174-13': /^input 0 PSBT_IN_FINAL_SCRIPTSIG \(0x07\): key must have no key data/,
  'bip174-14': /^input 1 PSBT_IN_FINAL_SCRIPTWITNESS \(0x08\): key must have no key data/,
  'bip174-15': /^output 0 PSBT_OUT_BIP32_DERIVATION \(0x02\): key must have 33/,
  'bip174-16': /^input 0 PSBT_IN_SIGHASH_TYPE \(0x03\): key must have no key data/,
  'bip174-17': /^output 0 PSBT_OUT_REDEEM_SCRIPT \(0x00\): key must have no key data/,
  'bip174-18': /^output 1 PSBT_OUT_WITNESS_SCRIPT \(0x01\): key must have no key data/,
  'bip174-19': /PSBT_GLOBAL_UNSIGNED_TX.*BIP144 witness serialization/,
  'bip174-20': /PSBT_GLOBAL_UNSIGNED_TX.*extra data after the transaction/,
  'bip370-01': /PSBT_GLOBAL_UNSIGNED_TX \(0x00\): field must not appear in PSBT version 2/,
  'bip370-14': /PSBT_GLOBAL_UNSIGNED_TX \(0x00\): field must not appear in PSBT version 2/,
  'bip370-15': /PSBT_GLOBAL_INPUT_COUNT \(0x04\) is required/,
  'bip370-16': /PSBT_GLOBAL_OUTPUT_COUNT \(0x05\) is required/,
  'bip370-17': /PSBT_GLOBAL_TX_VERSION \(0x02\) is required/,
  'bip370-18': /^input 0: PSBT_IN_PREVIOUS_TXID \(0x0e\) is required/,
  'bip370-19': /^input 0: PSBT_IN_OUTPUT_INDEX \(0x0f\) is required/,
  'bip370-20': /^output 0: PSBT_OUT_AMOUNT \(0x03\) is required/,
  'bip370-21': /^output 0: PSBT_OUT_SCRIPT \(0x04\) is required/,
  'bip370-22': /PSBT_IN_REQUIRED_TIME_LOCKTIME \(0x11\): .*below 500000000/,
  'bip370-23': /PSBT_IN_REQUIRED_HEIGHT_LOCKTIME \(0x12\): .*outside 1\.\.499999999/,
  'bip370-24': /PSBT_IN_REQUIRED_HEIGHT_LOCKTIME \(0x12\): .*outside 1\.\.499999999/,
  'bip371-01': /^input 0 PSBT_IN_TAP_INTERNAL_KEY \(0x17\): value must be 32 bytes/,
  'bip371-02': /^input 0 PSBT_IN_TAP_KEY_SIG \(0x13\): value must be 64 or 65 bytes, got 63/,
  'bip371-03': /^input 0 PSBT_IN_TAP_KEY_SIG \(0x13\): value must be 64 or 65 bytes, got 66/,
  'bip371-04': /^input 0 PSBT_IN_TAP_BIP32_DERIVATION \(0x16\): key must have 32 bytes/,
  'bip371-05': /^output 1 PSBT_OUT_TAP_INTERNAL_KEY \(0x05\): value must be 32 bytes/,
  'bip371-06': /^output 1 PSBT_OUT_TAP_BIP32_DERIVATION \(0x07\): key must have 32 bytes/,
  'bip371-07': /^input 0 PSBT_IN_TAP_SCRIPT_SIG \(0x14\): key must have 64 bytes/,
  'bip371-08': /^input 0 PSBT_IN_TAP_SCRIPT_SIG \(0x14\): value must be 64 or 65 bytes, got 66/,
  'bip371-09': /^input 0 PSBT_IN_TAP_SCRIPT_SIG \(0x14\): value must be 64 or 65 bytes, got 63/,
  'bip371-10': /^input 0 PSBT_IN_TAP_LEAF_SCRIPT \(0x15\) key: control block/,
  'bip371-11': /^input 0 PSBT_IN_TAP_LEAF_SCRIPT \(0x15\) key: control block/,
};
for (let n = 2; n <= 13; n++) {
  // BIP370 vectors 02-13: a v0 document carrying one v2-only field.
  EXPECTED_REASON[`bip370-${String(n).padStart(2, '0')}`] = /field is only allowed in PSBT version 2 \(BIP370\), this is version 0/;
}

for (const file of PARSE_FILES) {
  test.describe(file, () => {
    for (const c of loadVectors(file).cases) {
      const title = `${c.id}: ${c.name ?? ''}`.slice(0, 160);
      if (c.expect === 'invalid') {
        test(`rejects ${title}`, () => {
          const err = expectRejected(c);
          const reason = EXPECTED_REASON[c.id];
          if (reason) expect(err.message).toMatch(reason);
        });
      } else if (c.expect === 'valid') {
        test(`accepts and round-trips ${title}`, () => {
          expectRoundTrip(c);
        });
      } else if (c.expect === 'locktime') {
        test(`locktime ${title}`, () => {
          const psbt = parseText(c.psbtBase64 as string);
          expect(toBase64(serializePsbt(psbt))).toBe(c.psbtBase64);
          if (c.expectLocktimeError) {
            let caught: unknown;
            try {
              determineLocktime(psbt);
            } catch (e) {
              caught = e;
            }
            expect(caught).toBeInstanceOf(PsbtFormatError);
            expect((caught as PsbtFormatError).code).toBe('locktime_conflict');
            expect(psbt.tx.locktime).toBeUndefined();
          } else {
            expect(determineLocktime(psbt)).toBe(c.expectedLocktime);
            expect(psbt.tx.locktime).toBe(c.expectedLocktime);
          }
        });
      } else if (c.psbtBase64 !== undefined) {
        // Every other role vector (signer, updater, finalizer, ...) carries a well-formed PSBT.
        test(`parses role input ${c.expect} ${title}`, () => {
          expectRoundTrip(c);
        });
      }
      if (typeof c.expectedOutputBase64 === 'string' && c.expectedOutputBase64.startsWith('cHNidP8')) {
        const reason = DELIBERATE_REJECTIONS[c.id];
        if (reason) {
          test(`deliberately refuses role output ${c.expect} ${title}`, () => {
            expect(expectRejected({ ...c, psbtBase64: c.expectedOutputBase64 as string }).message).toContain(reason);
          });
        } else {
          test(`parses role output ${c.expect} ${title}`, () => {
            expectRoundTrip({ ...c, psbtBase64: c.expectedOutputBase64 as string });
          });
        }
      }
    }
  });
}

// bitcoinjs-lib's fixture file. Its signInput/signInputHD fixtures carry one spurious empty output map after a
// tx with zero outputs (`strictParseNote`). Decision: strict parsing follows BIP174 and Bitcoin Core and rejects
// them ("extra data after the last output map"); the tests in bip174-signer-checks.spec.ts therefore run
// those fixtures through input checks on bitcoinjs's own parse, and this loop asserts the strict rejection.
test.describe('bitcoinjs_cases.json', () => {
  for (const c of loadVectors('bitcoinjs_cases.json').cases) {
    if (typeof c.psbtBase64 !== 'string') continue;
    const title = `${c.id}: ${c.name ?? ''}`.slice(0, 160);
    const reason = DELIBERATE_REJECTIONS[c.id];
    if (c.expect === 'invalid') {
      test(`rejects ${title}`, () => {
        expectRejected(c);
      });
    } else if (reason) {
      test(`deliberately refuses ${c.expect} ${title}`, () => {
        expect(expectRejected(c).message).toContain(reason);
      });
    } else if (c.strictParseNote) {
      test(`strict reader refuses the spurious trailing output map of ${title}`, () => {
        const err = expectRejected(c);
        // bjs-066 and bjs-068 also carry an off-curve pubkey as PSBT_IN_BIP32_DERIVATION key, which the reader
        // meets first (Bitcoin Core: CPubKey::IsFullyValid on every derivation key).
        expect(err.message).toMatch(/extra data after the last output map|PSBT_IN_BIP32_DERIVATION \(0x06\) key: public key is not a valid secp256k1 point/);
      });
    } else {
      test(`accepts ${c.expect} ${title}`, () => {
        expectRoundTrip(c);
      });
    }
  }
});

test.describe('decodePsbtText', () => {
  const sample = loadVectors('bip174_vectors.json').cases.find((c) => c.expect === 'valid') as PsbtCase;
  const bytes = b64(sample.psbtBase64 as string);
  const hex = Buffer.from(bytes).toString('hex');

  test('binary, base64 and hex (any case, surrounding whitespace) give the same bytes', () => {
    expect(decodePsbtText(bytes)).toEqual({ bytes, encoding: 'binary' });
    expect(decodePsbtText(`  ${sample.psbtBase64}\n`)).toEqual({ bytes, encoding: 'base64' });
    expect(decodePsbtText(`\t${hex.toUpperCase()}\r\n`)).toEqual({ bytes, encoding: 'hex' });
    expect(decodePsbtText(new TextEncoder().encode(`${sample.psbtBase64}\n`)).encoding).toBe('base64');
    expect(decodePsbtText(new TextEncoder().encode(hex)).encoding).toBe('hex');
  });

  test('line-wrapped base64 (76 columns, CRLF), spaced hex and a UTF-8 BOM are accepted', () => {
    const wrapped = (sample.psbtBase64 as string).replace(/(.{76})/g, '$1\r\n');
    expect(wrapped).toContain('\r\n');
    expect(decodePsbtText(wrapped)).toEqual({ bytes, encoding: 'base64' });
    expect(decodePsbtText(hex.replace(/(..)/g, '$1 '))).toEqual({ bytes, encoding: 'hex' });
    expect(decodePsbtText(`\uFEFF${sample.psbtBase64}`)).toEqual({ bytes, encoding: 'base64' });
    const withBom = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(wrapped)]);
    expect(decodePsbtText(withBom)).toEqual({ bytes, encoding: 'base64' });
  });

  const bad: [string, string | Uint8Array][] = [
    ['empty text', ''],
    ['a network transaction in hex', '0200000001'],
    ['base64 with a bad character', `${(sample.psbtBase64 as string).slice(0, 20)}*${(sample.psbtBase64 as string).slice(21)}`],
    ['base64 without padding', (sample.psbtBase64 as string).replace(/=+$/, '').slice(0, -1)],
    ['odd-length hex', `${hex}0`],
    ['hex with a non-hex character', `${hex.slice(0, 20)}zz${hex.slice(22)}`],
    ['binary without magic', Uint8Array.of(0x00, 0xff, 0x10)],
  ];
  for (const [name, input] of bad) {
    test(`refuses ${name} with psbt_encoding_unknown`, () => {
      let caught: unknown;
      try {
        decodePsbtText(input);
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(SignerError);
      expect((caught as SignerError).code).toBe('psbt_encoding_unknown');
    });
  }
});

// The verbatim upstream files, read directly (guards against mistakes in the structured extraction). HWI's rule:
// every `invalid` entry raises; every `valid` entry round-trips to the identical base64; `locktimes` pairs give
// the expected nLockTime; `conflicting_locktimes` fail.
interface UpstreamPsbtFile {
  invalid: string[];
  valid: string[];
  locktimes?: [string, number][];
  conflicting_locktimes?: string[];
  invalid_with_msg?: [string, string][];
}

for (const file of ['upstream/hwi_test_psbt.json', 'upstream/core_rpc_psbt_via_scure.json']) {
  test.describe(file, () => {
    const up = loadVectors(file) as unknown as UpstreamPsbtFile;
    const upstreamDeliberate = new Set(
      ['core-combiner-160', 'bjs-024'].flatMap((id) => {
        const c = [...loadVectors('core_hwi_rpc_psbt_cases.json').cases, ...loadVectors('bitcoinjs_cases.json').cases].find((x) => x.id === id);
        return [c?.psbtBase64, c?.expectedOutputBase64].filter((x): x is string => typeof x === 'string');
      }),
    );
    up.invalid.forEach((s, i) => {
      test(`invalid[${i}] is rejected`, () => {
        expectRejected({ id: `${file} invalid[${i}]`, expect: 'invalid', psbtBase64: s });
      });
    });
    (up.invalid_with_msg ?? []).forEach(([s, msg], i) => {
      test(`invalid_with_msg[${i}] is rejected (Core: ${msg})`, () => {
        expectRejected({ id: `${file} invalid_with_msg[${i}]`, expect: 'invalid', psbtBase64: s });
      });
    });
    up.valid.forEach((s, i) => {
      test(`valid[${i}] round-trips`, () => {
        if (upstreamDeliberate.has(s)) {
          expect(expectRejected({ id: `${file} valid[${i}]`, expect: 'valid', psbtBase64: s }).message).toContain('PSBT_IN_OUTPUT_INDEX (0x0f)');
          return;
        }
        expectRoundTrip({ id: `${file} valid[${i}]`, expect: 'valid', psbtBase64: s });
      });
    });
    (up.locktimes ?? []).forEach(([s, lt], i) => {
      test(`locktimes[${i}] gives ${lt}`, () => {
        expect(determineLocktime(parseText(s))).toBe(lt);
      });
    });
    (up.conflicting_locktimes ?? []).forEach((s, i) => {
      test(`conflicting_locktimes[${i}] fails`, () => {
        let code: string | undefined;
        try {
          determineLocktime(parseText(s));
        } catch (e) {
          code = (e as SignerError).code;
        }
        expect(code).toBe('locktime_conflict');
      });
    });
  });
}
