// Hostile inputs for the legacy (pre-PSBT) path: every public function of electron/intake/legacy.ts and
// electron/signing/legacy.ts meets a list of malformed values (noble-curves' habit) and seeded random mutations of
// real BitGo legacy requests. The only acceptable outcomes are a coded SignerError or, when the mutation left the
// request valid (e.g. a changed output amount or locktime), a well-formed half-signed transaction of the mutated
// request: never a TypeError or other uncoded failure. (Signature validity is proven in bitgo-legacy.spec.ts.)
import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { Psbt, Transaction, crypto } from 'bitcoinjs-lib';
import { bip32 } from '../../../electron/crypto/ecc';
import { parsePsbtStrict } from '../../../electron/intake/psbt-strict';
import { parseXpubTriple } from '../../../electron/wallet/keys';
import { parseLegacyTx, parseLegacyUnspents } from '../../../electron/intake/legacy';
import { parseSigningRequest } from '../../../electron/intake/request';
import { halfSignedInput, psbtToLegacyHalfSigned, signLegacyTransaction } from '../../../electron/signing/legacy';
import { legacyRequest, signerFor } from '../../support/signing';
import { toHex } from '../../../electron/util/bytes';
import { SignerError } from '../../../shared/errors';

const dir = new URL('../../fixtures/bitgo/', import.meta.url);
const read = (p: string) => readFileSync(new URL(p, dir), 'utf8');
const wallets = JSON.parse(read('wallets.json')) as Record<string, { walletId: string; userXprvPlaintextInKeysFile: string }>;
type Body = { txPrebuild: { walletId: string; txHex: string; txInfo?: { unspents: Record<string, unknown>[] } }; pubs: string[] };
const body = (name: string) => JSON.parse(read(`legacy/${name}.request.json`)) as Body;

function expectCoded(f: () => unknown, what: string, code?: string): void {
  let err: unknown;
  try {
    f();
  } catch (e) {
    err = e;
  }
  expect(err, `${what}: should be refused`).toBeInstanceOf(SignerError);
  const c = (err as SignerError).code;
  expect(c, `${what}: code`).toMatch(/^[a-z0-9_]+$/);
  if (code) expect(c, what).toBe(code);
}

const HOSTILE: unknown[] = [undefined, null, 0, -1, 1.5, NaN, Infinity, '', ' ', 'null', '{}', [], {}, [[]], true, Symbol.iterator.toString(), 'ff'.repeat(3), '\u0000', { length: 5 }];

/** The one intake every request goes through; hostile values must not even reach the legacy reader uncoded. */
const parseBody = (b: unknown) => parseSigningRequest(JSON.stringify(b) ?? 'undefined', 'hostile');

test('a legacy body through the intake: hostile bodies are coded refusals', () => {
  for (const h of HOSTILE) expectCoded(() => parseBody(h), `body ${String(h)}`);
  for (const h of HOSTILE) expectCoded(() => parseBody({ txPrebuild: h, pubs: [] }), `txPrebuild ${String(h)}`);
  for (const h of HOSTILE) {
    const b = body('legacy-p2wsh') as unknown as { txPrebuild: Record<string, unknown> };
    b.txPrebuild.txHex = h;
    expectCoded(() => parseBody(b), `txHex ${String(h)}`);
  }
  for (const h of HOSTILE) {
    const b = body('legacy-p2wsh') as unknown as { txPrebuild: Record<string, unknown> };
    if (typeof h === 'string' && /^[A-Za-z0-9]+$/.test(h)) continue; // a well-formed id (e.g. "null")
    b.txPrebuild.walletId = h;
    expectCoded(() => parseBody(b), `walletId ${String(h)}`, b.txPrebuild.walletId === undefined ? 'request_field_missing' : 'request_field_invalid');
  }
});

test('parseLegacyUnspents: hostile txInfo, lists and fields are coded refusals', () => {
  for (const h of HOSTILE) expectCoded(() => parseLegacyUnspents(h), `txInfo ${String(h)}`);
  for (const h of HOSTILE) expectCoded(() => parseLegacyUnspents({ unspents: h }), `unspents ${String(h)}`);
  const good = body('legacy-p2wsh').txPrebuild.txInfo!.unspents[0]!;
  for (const field of ['id', 'value', 'chain', 'index', 'redeemScript', 'witnessScript', 'address']) {
    for (const h of HOSTILE) {
      if (h === undefined && ['redeemScript', 'witnessScript', 'address'].includes(field)) continue; // optional
      if (field === 'value' && h === 0) continue; // covered below with its own reason
      if ((field === 'chain' || field === 'index') && h === 0) continue; // chain 0 / index 0 are real wallet paths
      if (field.endsWith('Script') && h === 'ffffff') continue; // well-formed hex: checked against the wallet later
      if (field === 'address' && typeof h === 'string') continue; // any text: compared to the derived address later
      expectCoded(() => parseLegacyUnspents({ unspents: [{ ...good, [field]: h }] }), `${field} = ${String(h)}`, 'legacy_unspent_invalid');
    }
  }
  expectCoded(() => parseLegacyUnspents({ unspents: [{ ...good, value: 0 }] }), 'zero value', 'legacy_unspent_invalid');
  expectCoded(() => parseLegacyUnspents({ unspents: [{ ...good, id: `${'0'.repeat(64)}:4294967296` }] }), 'vout above 2^32-1', 'legacy_unspent_invalid');
  // Amounts as decimal strings are read exactly (bigint): MAX_MONEY itself is accepted, one more is not.
  const big = parseLegacyUnspents({ unspents: [{ ...good, value: '2100000000000000' }] })[0]!;
  expect(big.value).toBe(2_100_000_000_000_000n);
  expectCoded(() => parseLegacyUnspents({ unspents: [{ ...good, value: '2100000000000001' }] }), 'MAX_MONEY + 1', 'legacy_unspent_invalid');
});

test('parseLegacyTx: malformed, witness-serialized, duplicate-input and empty transactions are refused', () => {
  const hex = body('legacy-p2wsh').txPrebuild.txHex;
  const signed = (JSON.parse(read('legacy/legacy-p2wsh.response.json')) as { txHex: string }).txHex;
  expectCoded(() => parseLegacyTx(signed), 'BIP144 witness serialization', 'legacy_tx_invalid');
  expectCoded(() => parseLegacyTx('0200000000000000000000'), 'no inputs', 'legacy_tx_invalid');
  // Input 1 rewritten to spend input 0's outpoint (36 bytes after version 4 + count 1 = offset 5).
  const bytes = Buffer.from(hex, 'hex');
  const in0 = bytes.subarray(5, 41);
  const dup = Buffer.from(bytes);
  dup.set(in0, 5 + 41);
  expectCoded(() => parseLegacyTx(dup.toString('hex')), 'duplicate input', 'legacy_tx_invalid');
  for (let cut = 1; cut < bytes.length; cut += 7) expectCoded(() => parseLegacyTx(bytes.subarray(0, cut).toString('hex')), `truncated at ${cut}`, 'legacy_tx_invalid');
});

test('halfSignedInput: a missing script is a coded refusal, an oversized push too', () => {
  expectCoded(() => halfSignedInput('p2sh', [], {}), 'p2sh without redeemScript', 'legacy_script_missing');
  expectCoded(() => halfSignedInput('p2wsh', [], {}), 'p2wsh without witnessScript', 'legacy_script_missing');
  expectCoded(() => halfSignedInput('p2trLegacy', [], { leafScript: new Uint8Array(68) }), 'taproot without control block', 'legacy_script_missing');
  expectCoded(() => halfSignedInput('p2sh', [], { redeemScript: new Uint8Array(521) }), '521-byte push', 'legacy_script_too_large');
});

test('psbtToLegacyHalfSigned: a PSBT of non-wallet inputs is refused', () => {
  // A p2wpkh input (no 2-of-3 script): there is no BitGo legacy form to write.
  const pk = bip32.fromSeed(new Uint8Array(32).fill(7)).publicKey;
  const p2wpkh = Buffer.concat([Buffer.from([0x00, 0x14]), crypto.hash160(pk)]);
  const psbt = new Psbt();
  psbt.addInput({ hash: '11'.repeat(32), index: 0, witnessUtxo: { script: p2wpkh, value: 1000n } });
  psbt.addOutput({ script: p2wpkh, value: 900n });
  expectCoded(() => psbtToLegacyHalfSigned(parsePsbtStrict(psbt.toBuffer())), 'p2wpkh input', 'legacy_format_unsupported_input');
});

// ---------------------------------------------------------------------------------------------------------------
// Seeded mutation fuzz

/** xorshift32: deterministic, so a failure reproduces from the seed in the test name. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 0x100000000;
  };
}

for (const [name, seed] of [['legacy-p2sh', 1], ['legacy-p2shP2wsh', 2], ['legacy-p2wsh', 3], ['legacy-p2trLegacy', 4], ['legacy-p2sh-sequence-locktime', 5]] as const) {
  test(`${name}: 150 seeded mutations (seed ${seed}) end in a coded refusal or a well-formed half-signed transaction`, () => {
    const r = rng(seed);
    const base = body(name);
    const w = Object.values(wallets).find((x) => x.walletId === base.txPrebuild.walletId)!;
    const key = bip32.fromBase58(w.userXprvPlaintextInKeysFile);
    const wallet = parseXpubTriple(base.pubs);
    let refused = 0;
    let signed = 0;
    for (let n = 0; n < 150; n++) {
      const b = JSON.parse(JSON.stringify(base)) as Body;
      const us = b.txPrebuild.txInfo!.unspents;
      const pick = Math.floor(r() * 5);
      if (pick <= 1) {
        // Flip one byte of the transaction.
        const bytes = Buffer.from(b.txPrebuild.txHex, 'hex');
        const at = Math.floor(r() * bytes.length);
        bytes[at] = bytes[at]! ^ (1 + Math.floor(r() * 255));
        b.txPrebuild.txHex = bytes.toString('hex');
      } else {
        const u = us[Math.floor(r() * us.length)]!;
        const fields = ['id', 'value', 'chain', 'index', 'redeemScript', 'witnessScript', 'address'];
        const f = fields[Math.floor(r() * fields.length)]!;
        const v = u[f];
        if (typeof v === 'number') u[f] = pick === 2 ? v + 1 : Math.floor(r() * 50);
        else if (typeof v === 'string') {
          const i = Math.floor(r() * v.length);
          u[f] = v.slice(0, i) + (v[i] === 'a' ? 'b' : 'a') + v.slice(i + 1);
        } else u[f] = 'ff';
      }
      try {
        const req = legacyRequest(b);
        const out = Transaction.fromHex(toHex(signLegacyTransaction(req.tx, req.unspents, wallet, signerFor(key)).tx));
        expect(out.ins.length, `mutation ${n}`).toBe(us.length);
        signed++;
      } catch (e) {
        expect(e, `mutation ${n}: ${String(e)}`).toBeInstanceOf(SignerError);
        expect((e as SignerError).code, `mutation ${n}`).toMatch(/^[a-z0-9_]+$/);
        refused++;
      }
    }
    // Most mutations break a claim; some (output bytes, amounts) leave a valid request: both must occur.
    expect(refused).toBeGreaterThan(50);
    expect(refused + signed).toBe(150);
  });
}
