// The review's refusals and warnings (electron/review), each shown on a real BitGo fixture request changed in
// exactly one way. Cases that are plain edits are data with their provenance (test/fixtures/review/rules.json, one
// test each); the cases in code below them need code to build the edit or the expectation. Also: the legitimate
// fixtures, which must review without refusals and with change recognised, legacy requests, hostile arguments,
// and no secret in any review.
import { test, expect } from '@playwright/test';
import { readdirSync, readFileSync } from 'node:fs';
import { buildReview, type ReviewOptions } from '../../../electron/review/build';
import { assertSignable, warningKey } from '../../../electron/approval/warnings';
import { parsePolicy } from '../../../electron/review/policy';
import { createHash } from 'node:crypto';
import { walletOutputScript } from '../../../electron/wallet/scripts';
import { SignerError } from '../../../shared/errors';
import type { ReviewModel } from '../../../shared/review';
import { CASES, WALLETS, caseText, entries, mutateRequest, setEntry } from '../../support/review-helpers';
import { baseText, caseOptions, caseRequest, jsonAt, loadReviewCases } from '../../support/review-cases';

const A = WALLETS.walletA!;
const B = WALLETS.walletB!;
const A_PUBS = [A.xpubs.user, A.xpubs.backup, A.xpubs.bitgo];

function review(text: string, opts: ReviewOptions = {}): ReviewModel {
  return buildReview(text, opts);
}
const codes = (r: ReviewModel, kind: 'refusals' | 'warnings') => r[kind].map((i) => i.code);

function errorCode(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(SignerError);
    return (e as SignerError).code;
  }
  return undefined;
}

// ---- legitimate fixtures ----------------------------------------------------------------------------------

const REVIEWABLE = readdirSync(CASES)
  .filter((f) => f.endsWith('.request.json'))
  .map((f) => f.replace('.request.json', ''))
  .filter((n) => !['error-missing-pubs', 'error-wrong-pubs'].includes(n));
const LEGACY = new URL('../../fixtures/bitgo/legacy/', import.meta.url);
const LEGACY_CASES = readdirSync(LEGACY).filter((f) => f.endsWith('.request.json'));

for (const name of REVIEWABLE) {
  test(`legitimate BitGo fixture reviews without refusals, change recognised: ${name}`, () => {
    const body = JSON.parse(caseText(name));
    const r = review(caseText(name));
    if (body.signingStep !== undefined) {
      // MuSig2 key-path rounds: reviewed in full, and refused with the signer's own code (it cannot sign them
      // yet), so the operator is never asked to approve what then fails to sign.
      expect(r.refusals.length).toBeGreaterThan(0);
      expect(new Set(r.refusals.map((x) => x.code))).toEqual(new Set(['musig2_not_supported']));
    } else expect(r.refusals).toEqual([]);
    expect(r.network).toBe('testnet');
    expect(r.walletId).toBe(body.txPrebuild.walletId);
    const changeAddrs: string[] = body.txPrebuild.txInfo.changeAddresses ?? [];
    for (const o of r.outputs) {
      expect(o.kind).not.toBe('failed');
      if (o.address && changeAddrs.includes(o.address)) expect(o.kind, `output ${o.index}`).toBe('change');
    }
    // Totals add up exactly, the fee is the BitGo prebuild's.
    expect(r.totals.inputs - r.totals.outputs).toBe(r.fee);
    expect(r.fee).toBe(body.txPrebuild.feeInfo.fee);
    expect(r.totals.spend).toBe(r.totals.external + r.fee);
    expect(r.feeRate).toBeGreaterThan(0);
    expect(r.fingerprint.short).toMatch(/^[0-9a-f]{4}(-[0-9a-f]{4}){3}$/);
    // Plain JSON: survives a round trip unchanged (no bigint, no bytes).
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });
}

test('every p2sh input is shown as unverified (witness_utxo only), segwit and taproot as committed', () => {
  const r = review(caseText('mixed-all-but-musig2'));
  for (const i of r.inputs) expect(i.amountEvidence, `input ${i.index}`).toBe(i.scriptType === 'p2sh' ? 'unverified' : 'committed');
  expect(r.warnings.filter((w) => w.code === 'input_amount_unverified').map((w) => w.input)).toEqual(r.inputs.filter((i) => i.scriptType === 'p2sh').map((i) => i.index));
  // The change on chains 1, 21 and 41 is verified change with its chain and index.
  expect(r.outputs.filter((o) => o.kind === 'change').map((o) => [o.chain, o.derivationIndex])).toEqual([[1, 30], [21, 31], [41, 32]]);
});

// ---- refusals and warnings as data (test/fixtures/review/rules.json) ------------------------------------------

for (const c of loadReviewCases()) {
  test(c.description, () => {
    test.info().annotations.push({ type: 'source', description: c.source });
    for (const [path, value] of Object.entries(c.base ?? {})) expect(jsonAt(JSON.parse(baseText(c)), path), `${c.request} ${path}`).toEqual([value]);
    const text = caseRequest(c);
    const opts = caseOptions(c);
    const e = c.expect;
    if (e.throws !== undefined) return void expect(errorCode(() => buildReview(text, opts))).toBe(e.throws);
    const r = review(text, opts);
    for (const issue of e.refusals ?? []) expect(r.refusals).toContainEqual(expect.objectContaining(issue));
    for (const issue of e.warnings ?? []) expect(r.warnings).toContainEqual(expect.objectContaining(issue));
    if (e.refusalCodes) expect(codes(r, 'refusals')).toEqual(e.refusalCodes);
    if (e.warningCodes) expect(codes(r, 'warnings')).toEqual(e.warningCodes);
    for (const code of e.notWarned ?? []) expect(codes(r, 'warnings')).not.toContain(code);
    if (e.everyInputRefused) expect(codes(r, 'refusals').filter((x) => x === e.everyInputRefused).length).toBe(r.inputs.length);
    for (const { index, ...fields } of e.outputs ?? []) expect(r.outputs[index], `output ${index}`).toEqual(expect.objectContaining(fields));
    if (e.payGoOutputs) expect(r.outputs.filter((o) => o.payGo).map((o) => o.index)).toEqual(e.payGoOutputs);
    if (e.assertSignable) expect(errorCode(() => assertSignable(r, { acknowledged: e.assertSignable!.acknowledged }))).toBe(e.assertSignable.throws);
  });
}

// ---- refusals: outputs, in code ---------------------------------------------------------------------------
// The edit is a script of this wallet's or another's, derived here by electron/wallet (data would be opaque hex).

test('change to a different cosigner set (foreign backup key) does not re-derive and is refused', () => {
  const foreign = walletOutputScript([A.xpubs.user, B.xpubs.backup, A.xpubs.bitgo], 1, 11);
  const text = mutateRequest('p2sh', (d) => {
    d.tx.outputs[1]!.script = foreign.scriptPubKey;
    setEntry(d.outputs[1]!, 0x00, new Uint8Array(), foreign.redeemScript!);
  });
  const r = review(text);
  expect(r.outputs[1]!.kind).toBe('failed');
  expect(codes(r, 'refusals')).toContain('change_not_wallet');
});

test('swapped redeem / witness scripts on change are refused even when the address matches', () => {
  const other = walletOutputScript(A_PUBS, 21, 99);
  const r = review(mutateRequest('mixed-all-but-musig2', (d) => setEntry(d.outputs[4]!, 0x01, new Uint8Array(), other.witnessScript!)));
  expect(r.refusals).toContainEqual(expect.objectContaining({ code: 'change_scripts_mismatch', output: 4 }));
  const r2 = review(mutateRequest('mixed-all-but-musig2', (d) => setEntry(d.outputs[3]!, 0x00, new Uint8Array(), walletOutputScript(A_PUBS, 1, 99).redeemScript!)));
  expect(r2.refusals).toContainEqual(expect.objectContaining({ code: 'change_scripts_mismatch', output: 3 }));
});

// ---- refusals: inputs, in code ----------------------------------------------------------------------------
// A derived witness script, and a previous transaction built and hashed here for the outpoint to name.

test('swapped witness script on an input is refused', () => {
  const r = review(mutateRequest('p2wsh', (d) => setEntry(d.inputs[0]!, 0x05, new Uint8Array(), walletOutputScript(A_PUBS, 20, 999).witnessScript!)));
  expect(r.refusals.some((x) => x.input === 0 && /witness_script|scripts_mismatch|not_wallet/.test(x.code))).toBe(true);
});

test('amount evidence that contradicts itself: witness_utxo vs previous transaction', () => {
  // A previous transaction whose txid the outpoint names (the outpoint is rewritten to it), paying a different
  // amount than witness_utxo claims: the BIP143 fee-inflation pattern.
  const text = mutateRequest('p2wsh', (d) => {
    const wu = entries(d.inputs[0]!, 0x01)[0]!;
    const script = wu.value.subarray(9);
    // version 2, 1 input (null-ish), 1 output paying (witness_utxo + 1000) to the same script, locktime 0
    const amount = Buffer.from(wu.value.subarray(0, 8)).readBigUInt64LE() + 1000n;
    const out = Buffer.alloc(8);
    out.writeBigUInt64LE(amount);
    const prev = Buffer.concat([Buffer.from('02000000', 'hex'), Buffer.of(1), Buffer.alloc(32, 9), Buffer.from('00000000', 'hex'), Buffer.of(0), Buffer.from('ffffffff', 'hex'), Buffer.of(1), out, Buffer.of(script.length), script, Buffer.from('00000000', 'hex')]);
    const prevTxid = createHash('sha256').update(createHash('sha256').update(prev).digest()).digest();
    d.tx.inputs[0]!.prevTxid = prevTxid;
    d.tx.inputs[0]!.prevIndex = 0;
    setEntry(d.inputs[0]!, 0x00, new Uint8Array(), prev);
  });
  const r = review(text);
  expect(r.refusals).toContainEqual(expect.objectContaining({ code: 'amount_evidence_conflict', input: 0 }));
});

// ---- warnings, in code ------------------------------------------------------------------------------------
// The expected OP_RETURN data is read from the model; the acknowledgement rule is called with each kind of answer.

test('OP_RETURN output: warned with its data shown', () => {
  const r = review(caseText('mixed-all-but-musig2'));
  const w = r.warnings.find((x) => x.code === 'op_return_output')!;
  expect(w.output).toBe(2);
  expect(r.outputs[2]!.opReturnData).toBe(Buffer.from('oracle').toString('hex').slice(0, r.outputs[2]!.opReturnData!.length));
  expect(w.message).toContain(r.outputs[2]!.opReturnData!);
});

test('unverified input amounts are a warning the operator must acknowledge', () => {
  const r = review(caseText('p2sh'));
  expect(r.refusals).toEqual([]);
  expect(errorCode(() => assertSignable(r, { acknowledged: [] }))).toBe('review_warnings_unacknowledged');
  assertSignable(r, { acknowledged: r.warnings.map(warningKey) });
  assertSignable(r, { acknowledged: 'all' });
  expect(errorCode(() => assertSignable(r, { acknowledged: 'all', strict: true }))).toBe('review_warnings_strict');
});

// ---- policy, in code --------------------------------------------------------------------------------------
// The limits are set from the model itself (its spend, its destination) and the policy's source and hash checked.

test('policy: blockWarnings and refuseWarnings turn warnings into refusals; its hash is in the review', () => {
  const pol = parsePolicy({ version: 1, wallets: { [A.walletId]: { refuseWarnings: ['input_amount_unverified'] } } }, 'ops.json');
  const r = review(caseText('p2sh'), { policy: pol });
  expect(codes(r, 'refusals')).toEqual(['input_amount_unverified', 'input_amount_unverified', 'input_amount_unverified']);
  expect(r.policy).toEqual(expect.objectContaining({ source: 'ops.json', hash: pol.hash }));
  const all = review(caseText('p2wsh-high-index'), { policy: parsePolicy({ version: 1, defaults: { blockWarnings: true } }) });
  expect(all.warnings).toEqual([]);
  expect(codes(all, 'refusals')).toContain('change_index_high');
});

test('policy: max amount per transaction and destination allowlist', () => {
  const r = review(caseText('p2wsh'));
  const spend = r.totals.spend;
  expect(codes(review(caseText('p2wsh'), { policy: parsePolicy({ version: 1, defaults: { maxSpendSats: spend - 1 } }) }), 'refusals')).toEqual(['spend_above_max']);
  expect(review(caseText('p2wsh'), { policy: parsePolicy({ version: 1, defaults: { maxSpendSats: spend } }) }).refusals).toEqual([]);
  const dest = r.outputs.find((o) => o.kind === 'external')!.address!;
  expect(review(caseText('p2wsh'), { policy: parsePolicy({ version: 1, defaults: { allowedDestinations: [dest] } }) }).refusals).toEqual([]);
  const other = parsePolicy({ version: 1, defaults: { allowedDestinations: ['tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx'] } });
  expect(review(caseText('p2wsh'), { policy: other }).refusals).toContainEqual(expect.objectContaining({ code: 'destination_not_allowed', output: 0 }));
});

// ---- unreadable requests, in code -------------------------------------------------------------------------
// Not a fixture: broken JSON, and the PSBT taken out of a request to review it bare.

test('a request that cannot be reviewed is a coded error, not a model', () => {
  expect(errorCode(() => buildReview('{"txPrebuild":'))).toBe('request_malformed_json');
  const psbtHex = JSON.parse(caseText('p2wsh')).txPrebuild.txHex as string;
  expect(errorCode(() => buildReview(psbtHex))).toBe('wallet_not_chosen');
  const bare = buildReview(psbtHex, { walletId: A.walletId, xpubs: A_PUBS, network: 'testnet' });
  expect(bare.refusals).toEqual([]);
  expect(bare.outputs.map((o) => o.kind)).toEqual(review(caseText('p2wsh')).outputs.map((o) => o.kind));
});

// ---- legacy (pre-PSBT) requests ------------------------------------------------------------------------------

for (const file of LEGACY_CASES) {
  test(`legacy fixture reviews like its PSBT twin: ${file}`, () => {
    const text = readFileSync(new URL(file, LEGACY), 'utf8');
    const body = JSON.parse(text);
    const r = buildReview(text);
    expect(r.refusals).toEqual([]);
    expect(r.fee).toBe(body.txPrebuild.feeInfo.fee);
    const changeAddrs: string[] = body.txPrebuild.txInfo.changeAddresses ?? [];
    for (const o of r.outputs) if (o.address && changeAddrs.includes(o.address)) expect(o.kind).toBe('change');
    const twin = file.replace(/^legacy-/, '');
    if (REVIEWABLE.includes(twin.replace('.request.json', ''))) {
      const p = review(caseText(twin.replace('.request.json', '')));
      expect(r.vsize).toBe(p.vsize);
      expect(r.outputs.map((o) => [o.address, o.amount, o.kind])).toEqual(p.outputs.map((o) => [o.address, o.amount, o.kind]));
    }
  });
}

// Hostile values at every public entry point (noble-curves habit): coded errors, never a TypeError.
test('hostile arguments to buildReview and the gate are coded errors', () => {
  const hostile: unknown[] = [undefined, null, 0, 1n, true, {}, [], new ArrayBuffer(4), () => 1, Symbol('x')];
  for (const h of hostile) expect(errorCode(() => buildReview(h as never)), String(typeof h)).toMatch(/^[a-z_]+$/);
  const text = caseText('p2wsh');
  for (const opts of [null, 5, { network: 'regtest' }, { xpubs: ['a'] }, { xpubs: [1, 2, 3] }, { walletId: 5 }, { policy: {} }, { signerXpub: {} }]) {
    expect(errorCode(() => buildReview(text, opts as never)), JSON.stringify(opts)).toBe('review_argument_invalid');
  }
  for (const h of ['', ' ', '{}', '[]', 'null', '\uFEFF{', 'cHNidP8=', '70736274ff', 'x'.repeat(10_000)]) expect(errorCode(() => buildReview(h)), JSON.stringify(h.slice(0, 10))).toMatch(/^[a-z_]+$/);
});

test('no secret in any review or review error: no private keys, passphrases or key-file ciphertext', () => {
  const secrets = Object.values(WALLETS as Record<string, { passphrase?: string; userXprvPlaintextInKeysFile?: string }>).flatMap((w) => [w.passphrase, w.userXprvPlaintextInKeysFile]).filter((s): s is string => typeof s === 'string' && s.length > 0);
  const keyFile = JSON.parse(readFileSync(new URL('../../fixtures/bitgo/keys.json', import.meta.url), 'utf8')) as Record<string, string>;
  const ciphertexts = Object.values(keyFile).map((v) => (JSON.parse(v) as { ct?: string }).ct).filter((s): s is string => typeof s === 'string');
  const scan = (text: string, what: string) => {
    expect(text, what).not.toMatch(/[xt]prv[1-9A-HJ-NP-Za-km-z]{20,}/);
    for (const s of [...secrets, ...ciphertexts]) expect(text.includes(s), `${what} contains a secret`).toBe(false);
  };
  for (const name of REVIEWABLE) scan(JSON.stringify(review(caseText(name))), name);
  // A private key pasted where the request's pubs belong: refused without echoing it.
  const xprv = (WALLETS.walletA as unknown as { userXprvPlaintextInKeysFile: string }).userXprvPlaintextInKeysFile;
  const withPrivate = mutateRequest('p2wsh', (d) => (d.body.pubs[0] = xprv));
  try {
    buildReview(withPrivate);
    throw new Error('expected a refusal');
  } catch (e) {
    expect(e).toBeInstanceOf(SignerError);
    scan(JSON.stringify((e as SignerError).toData()), 'error');
  }
});
