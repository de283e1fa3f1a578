// Fuzz: thousands of mutated PSBTs and request JSON bodies through the review (seeded PRNG, so a failure
// reproduces from the printed seed and iteration). Whatever comes in, the review either returns a plain-JSON
// model or throws a SignerError with a stable snake_case code; never another exception, never a model that
// claims a foreign transaction is signable. A fixed number of iterations, so a run does the same work on any
// machine, however busy.
import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { buildReview, type ReviewOptions } from '../../../electron/review/build';
import { SignerError } from '../../../shared/errors';
import { parsePsbtStrict, type RawEntry } from '../../../electron/intake/psbt-strict';
import { serializePsbt } from '../../../electron/intake/psbt-write';
import { parseTx, serializeTxNoWitness } from '../../../electron/intake/psbt-tx';
import { caseText } from '../../support/review-helpers';
import type { BIP32Interface } from 'bip32';
import { approve } from '../../../electron/approval/gate';
import { bip32 } from '../../../electron/crypto/ecc';
import { derivationPathFromSeed } from '../../../electron/keystore/derivation-seed';
import { nodeSigner } from '../../../electron/keystore/signer';
import { memoryLedgerStore, SigningLedger } from '../../../electron/signing/ledger';
import { signApproved } from '../../../electron/signing/sign';

const WALLETS = JSON.parse(readFileSync(new URL('../../fixtures/bitgo/wallets.json', import.meta.url), 'utf8')) as Record<string, { walletId: string; userXprvPlaintextInKeysFile: string; xpubs: { user: string; backup: string; bitgo: string } }>;
const A = WALLETS.walletA!;
const A_PUBS = [A.xpubs.user, A.xpubs.backup, A.xpubs.bitgo];
const BASES = ['error-legacy-txhex', 'p2sh', 'p2wsh', 'p2shP2wsh', 'p2trLegacy', 'mixed-all-but-musig2', 'p2trMusig2ScriptPath', 'p2wsh-bitgo-signed-first', 'p2sh-sequence-locktime'];

function prng(seed: number) {
  let s = seed >>> 0 || 1;
  const next = () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return s >>> 0;
  };
  return { int: (n: number) => next() % n, pick: <T>(xs: readonly T[]) => xs[next() % xs.length]! };
}

interface Tally {
  runs: number;
  models: number;
  coded: Map<string, number>;
  /** Refusal codes seen in models: which rules the mutations reached. */
  refused: Map<string, number>;
  /** Reviews without a refusal that went on through the gate and the engine, and those that came out signed. */
  signAttempts: number;
  signed: number;
}

/** The fixture wallets' user keys (public test secrets), as the vault hands them out: an xpub, or a signer. */
function signingKey(walletId: string, derivationSeed?: string): BIP32Interface {
  const w = Object.values(WALLETS).find((x) => x.walletId === walletId);
  if (!w) throw new SignerError('KeyStoreError', `wallet ${walletId} is not in the key file`, 'wallet_not_in_key_file');
  const root = bip32.fromBase58(w.userXprvPlaintextInKeysFile);
  return derivationSeed === undefined ? root : root.derivePath(derivationPathFromSeed(derivationSeed));
}
const keys = {
  signingXpub: (walletId: string, derivationSeed?: string) => signingKey(walletId, derivationSeed).neutered().toBase58(),
  signer: (walletId: string, derivationSeed?: string) => nodeSigner(signingKey(walletId, derivationSeed), true),
};

/**
 * Review, then (when the review does not refuse) the sign command's own path: the gate on the same bytes with every
 * warning acknowledged, then the engine. Either ends in a model / signed output or a coded error, never a crash.
 */
function attempt(t: Tally, data: Uint8Array | string, opts: ReviewOptions, what: string): void {
  t.runs++;
  try {
    const m = buildReview(data, opts);
    t.models++;
    // The model is plain JSON (a round trip gives the same text), amounts are safe integers, codes are stable.
    // Plain checks rather than expect() per item: Playwright records every expect as a step, too slow here.
    const text = JSON.stringify(m);
    if (JSON.stringify(JSON.parse(text)) !== text) throw new Error(`${what}: the model is not plain JSON`);
    for (const x of [...m.inputs, ...m.outputs]) if (!Number.isSafeInteger(x.amount)) throw new Error(`${what}: amount ${x.amount} is not a safe integer`);
    for (const i of m.refusals) t.refused.set(i.code, (t.refused.get(i.code) ?? 0) + 1);
    for (const i of [...m.refusals, ...m.warnings]) if (!/^[a-z][a-z0-9_]*$/.test(i.code)) throw new Error(`${what}: issue code ${i.code}`);
    if (m.refusals.length > 0) return;
    t.signAttempts++;
    const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
    const approved = approve(bytes, keys, {
      name: 'fuzz',
      acknowledged: 'all',
      ...(opts.walletId !== undefined ? { walletId: opts.walletId } : {}),
      ...(opts.xpubs !== undefined ? { xpubs: opts.xpubs } : {}),
      ...(opts.network !== undefined ? { network: opts.network } : {}),
    });
    // A fresh ledger each time: the mutations share outpoints, and the fuzz is about the review and the signer.
    const out = signApproved(approved, keys, new SigningLedger(memoryLedgerStore()));
    if (out.output.length === 0) throw new Error(`${what}: signed to nothing`);
    t.signed++;
  } catch (e) {
    if (!(e instanceof SignerError) || !e.code || !/^[A-Za-z][A-Za-z0-9_./]*$/.test(e.code)) {
      throw new Error(`${what}: uncoded failure ${e instanceof Error ? `${e.name}: ${e.message}\n${e.stack}` : String(e)}`, { cause: e });
    }
    t.coded.set(e.code, (t.coded.get(e.code) ?? 0) + 1);
  }
}

function mutateBytes(r: ReturnType<typeof prng>, b: Uint8Array): Uint8Array {
  const out = Uint8Array.from(b);
  switch (r.int(6)) {
    case 0: // flip bits
      for (let k = 1 + r.int(4); k > 0; k--) out[r.int(out.length)]! ^= 1 << r.int(8);
      return out;
    case 1: // truncate
      return out.subarray(0, r.int(out.length));
    case 2: { // insert a byte
      const at = r.int(out.length);
      return Uint8Array.from([...out.subarray(0, at), r.int(256), ...out.subarray(at)]);
    }
    case 3: { // delete a span
      const at = r.int(out.length);
      return Uint8Array.from([...out.subarray(0, at), ...out.subarray(Math.min(out.length, at + 1 + r.int(40)))]);
    }
    case 4: // set a byte to an edge value (compact-size markers, sighash types, OP codes)
      out[r.int(out.length)] = r.pick([0x00, 0x01, 0x02, 0x03, 0x6a, 0x80, 0x81, 0xfd, 0xfe, 0xff]);
      return out;
    default: { // duplicate a span (repeated keys / maps)
      const at = r.int(out.length);
      const len = 1 + r.int(80);
      return Uint8Array.from([...out.subarray(0, at + len), ...out.subarray(at, at + len), ...out.subarray(at + len)]);
    }
  }
}

const HOSTILE: unknown[] = [null, true, 0, -1, 1.5, 2 ** 53, 1e308, '', 'x'.repeat(300), '00', [], [1, 2, 3], {}, { __proto__: null }, '__proto__', 'tpubD6NzVbkrYhZ4', 'NaN'];

function mutateJson(r: ReturnType<typeof prng>, body: Record<string, unknown>): string {
  // Pick a random path through the body and replace / delete what is there.
  const walk = (node: unknown, depth: number): void => {
    if (typeof node !== 'object' || node === null) return;
    const keys = Object.keys(node);
    if (keys.length === 0) return;
    const k = r.pick(keys);
    const rec = node as Record<string, unknown>;
    if (depth > 0 && r.int(3) === 0) {
      walk(rec[k], depth - 1);
      return;
    }
    const op = r.int(4);
    if (op === 0) delete rec[k];
    else if (op === 1) rec[k] = r.pick(HOSTILE);
    else if (op === 2 && typeof rec[k] === 'number') rec[k] = (rec[k] as number) + r.pick([1, -1, 1e9, -1e9]);
    else rec[k] = typeof rec[k] === 'string' ? `${rec[k] as string}`.slice(0, r.int(((rec[k] as string).length || 1) + 1)) : r.pick(HOSTILE);
  };
  walk(body, 4);
  return JSON.stringify(body);
}

/**
 * A structural mutation that keeps the PSBT parseable most of the time, so the review rules themselves are
 * exercised: amounts and scripts of outputs, sequences, locktime, and entries deleted, corrupted, moved or swapped
 * between maps.
 */
const parsedBases = new Map<string, ReturnType<typeof parsePsbtStrict>>();
function mutateStructure(r: ReturnType<typeof prng>, hex: string): string {
  let p = parsedBases.get(hex);
  if (!p) parsedBases.set(hex, (p = parsePsbtStrict(Buffer.from(hex, 'hex'))));
  const txEntry = p.global.find((e) => e.keyType === 0 && e.keyData.length === 0)!;
  const tx = parseTx(txEntry.value, 'tx', false);
  const inputs = p.inputs.map((m) => m.slice());
  const outputs = p.outputs.map((m) => m.slice());
  const anyMap = (): RawEntry[] => (r.int(2) && outputs.length ? r.pick(outputs) : r.pick(inputs));
  for (let k = 1 + r.int(3); k > 0; k--) {
    switch (r.int(9)) {
      case 0: {
        const o = r.pick(tx.outputs);
        o.value = r.pick([0n, 1n, 545n, 546n, o.value + 1n, o.value - 1n, 2n ** 53n, 21_000_000n * 100_000_000n + 1n, 2n ** 64n - 1n]);
        break;
      }
      case 1:
        r.pick(tx.outputs).script = r.pick([r.pick(tx.outputs).script, Uint8Array.of(0x6a, 4, 1, 2, 3, 4), Uint8Array.of(0x51), new Uint8Array(0), Uint8Array.of(0x00, 0x14, ...new Uint8Array(20).fill(r.int(256)))]);
        break;
      case 2:
        r.pick(tx.inputs).sequence = r.pick([0, 1, 0xfffffffd, 0xffffffff, 0x80000000, 0x00400010]);
        break;
      case 3:
        tx.locktime = r.pick([0, 1, 499_999_999, 500_000_000, 0xffffffff, 4_800_000]);
        break;
      case 4: {
        const m = anyMap();
        if (m.length) m.splice(r.int(m.length), 1);
        break;
      }
      case 5: {
        const m = anyMap();
        if (m.length) {
          const at = r.int(m.length);
          const e = m[at]!;
          const v = Uint8Array.from(e.value);
          if (v.length) {
            const pos = r.int(v.length);
            v[pos] = v[pos]! ^ (1 << r.int(8));
          }
          m[at] = { ...e, value: v };
        }
        break;
      }
      case 6: {
        // Move an entry from one map to another of the same kind (e.g. a derivation onto another output).
        const pool = r.int(2) ? inputs : outputs;
        if (pool.length > 1) {
          const from = r.pick(pool);
          const to = r.pick(pool);
          if (from.length && from !== to) {
            const e = from[r.int(from.length)]!;
            if (!to.some((x) => Buffer.compare(Buffer.from(x.key), Buffer.from(e.key)) === 0)) to.push(e);
          }
        }
        break;
      }
      case 7: {
        // Swap two inputs' maps (their scripts and amounts no longer match the outpoints).
        if (inputs.length > 1) {
          const a = r.int(inputs.length);
          const b = r.int(inputs.length);
          [inputs[a], inputs[b]] = [inputs[b]!, inputs[a]!];
        }
        break;
      }
      default: {
        // Sighash type field with a random value.
        const m = r.pick(inputs);
        const v = Uint8Array.of(r.pick([0, 1, 2, 3, 0x81, 0x82, 0x83, 0x40, 0xff]), 0, 0, 0);
        const at = m.findIndex((e) => e.keyType === 3);
        const entry = { keyType: 3, key: Uint8Array.of(3), keyData: new Uint8Array(), value: v };
        if (at >= 0) m[at] = entry;
        else m.push(entry);
      }
    }
  }
  const global = p.global.map((e) => (e === txEntry ? { ...e, value: serializeTxNoWitness(tx) } : e));
  return Buffer.from(serializePsbt({ global, inputs, outputs })).toString('hex');
}

/** A count, not a time budget: the same work on any machine. */
const ITERATIONS = 4000;

test('fuzz: mutated PSBT bytes and request bodies review to a model or a coded error, and sign or refuse with a code', () => {
  test.setTimeout(300_000);
  const seed = 20261123;
  const r = prng(seed);
  const t: Tally = { runs: 0, models: 0, coded: new Map(), refused: new Map(), signAttempts: 0, signed: 0 };
  const bases = BASES.map((n) => ({ n, text: caseText(n), body: JSON.parse(caseText(n)) as { txPrebuild: { txHex: string } } }));
  for (let i = 0; i < ITERATIONS; i++) {
    const base = r.pick(bases);
    const what = `seed ${seed} iteration ${i} base ${base.n}`;
    const kind = r.int(6);
    if (kind >= 4) {
      // Structural: the PSBT stays well-formed, the transaction it describes is changed.
      let txHex: string;
      try {
        txHex = mutateStructure(r, base.body.txPrebuild.txHex);
      } catch (e) {
        // Serializing a value the tx format cannot hold (e.g. amount >= 2^64) is the mutator's own limit.
        if (e instanceof SignerError) continue;
        throw e;
      }
      attempt(t, JSON.stringify({ ...base.body, txPrebuild: { ...base.body.txPrebuild, txHex } }), r.int(4) ? {} : { network: 'bitcoin' }, what);
    } else if (kind === 0) {
      // The PSBT inside a request, byte-mutated.
      const psbt = mutateBytes(r, Buffer.from(base.body.txPrebuild.txHex, 'hex'));
      attempt(t, JSON.stringify({ ...base.body, txPrebuild: { ...base.body.txPrebuild, txHex: Buffer.from(psbt).toString('hex') } }), {}, what);
    } else if (kind === 1) {
      // A bare PSBT (binary), byte-mutated, with the wallet named.
      attempt(t, mutateBytes(r, Buffer.from(base.body.txPrebuild.txHex, 'hex')), { walletId: A.walletId, xpubs: A_PUBS, network: 'testnet' }, what);
    } else if (kind === 2) {
      attempt(t, mutateJson(r, JSON.parse(base.text) as Record<string, unknown>), r.int(2) ? {} : { network: r.pick(['bitcoin', 'testnet'] as const) }, what);
    } else {
      // The request text itself, byte-mutated (broken JSON, broken hex).
      attempt(t, mutateBytes(r, Buffer.from(base.text)), {}, what);
    }
  }
  console.log(`review fuzz: ${t.runs} reviews (${t.models} models, ${t.runs - t.models - (t.signAttempts - t.signed)} review errors), ${t.signAttempts} sign attempts (${t.signed} signed) in seed ${seed}; codes ${[...t.coded.entries()].sort((a, b) => b[1] - a[1]).slice(0, 12).map(([c, n]) => `${c}:${n}`).join(' ')}; refusals ${[...t.refused.entries()].sort((a, b) => b[1] - a[1]).map(([c, n]) => `${c}:${n}`).join(' ')}`);
  expect(t.runs).toBeGreaterThan(ITERATIONS * 0.9); // structural mutations the tx format cannot hold are skipped
  expect(t.models).toBeGreaterThan(100);
  // Mutations the review lets through are signed (or refused by the gate/engine with a code) as the CLI would.
  expect(t.signAttempts).toBeGreaterThan(100);
  expect(t.signed).toBeGreaterThan(10);
  // The structural mutations must reach the review's own rules, not only the parsers.
  for (const code of ['change_not_wallet', 'input_not_wallet', 'input_sighash_unsupported', 'outputs_exceed_inputs']) expect(t.refused.get(code) ?? 0, code).toBeGreaterThan(0);
});

// Hardware-signer attack corpus (test/fixtures/psbt/hw_signer_cases.json): none of these PSBTs is a BitGo
// wallet's, so reviewed as wallet A they must never come out signable, and those with contradicting amount
// evidence must say so.
test('hardware-signer attack vectors never review as signable for a BitGo wallet', () => {
  const corpus = JSON.parse(readFileSync(new URL('../../fixtures/psbt/hw_signer_cases.json', import.meta.url), 'utf8')) as Record<string, unknown>;
  let n = 0;
  for (const group of ['coldcard', 'seedsigner', 'ledger', 'krux', 'electrum']) {
    for (const c of corpus[group] as { id: string; psbtBase64: string; expect: string }[]) {
      n++;
      let model;
      try {
        model = buildReview(c.psbtBase64, { walletId: A.walletId, xpubs: A_PUBS, network: 'testnet' });
      } catch (e) {
        expect(e, c.id).toBeInstanceOf(SignerError);
        expect((e as SignerError).code, c.id).toMatch(/^[a-z_]+$/);
        continue;
      }
      expect(model.refusals.length, c.id).toBeGreaterThan(0);
      expect(model.refusals.map((x) => x.code), c.id).toContain('input_not_wallet');
      if (c.expect === 'reject_inconsistent_utxo') expect(model.refusals.map((x) => x.code), c.id).toContain('amount_evidence_conflict');
    }
  }
  expect(n).toBeGreaterThan(20);
});
