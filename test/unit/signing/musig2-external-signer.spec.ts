// BitGo's two-step MuSig2 key-path exchange (signingStep signerNonce, then signerSignature) through the product's
// own path: the real key file and passphrase, the approval gate (with the kept nonces' lookup, as the app and the
// CLI give it), the signer, the signing ledger and the kept nonces (signing/musig2-nonces.ts).
//
// What is compared with BitGo (test/fixtures/bitgo, made with BitGo's own SDK; nonces are random, so the nonce and
// partial-signature VALUES cannot be BitGo's bytes): every response is the request plus exactly the entries BitGo's
// response adds, at the same places, every other byte equal, ECDSA and Schnorr signatures byte for byte; BitGo's
// own user partial signature in its fixture verifies under our session (so key order, tweak and message are
// BitGo's); and ours, with BitGo's cosigner side played by @scure/btc-signer's independent MuSig2 on the BitGo test
// key, aggregates to a BIP340 signature that verifies under the spent output key over bitcoinjs-lib's own BIP341
// signature hash. Then every refusal: a nonce used twice, a restart without the kept state (and one with it), a
// changed transaction, an invalid or missing BitGo nonce, a nonce replaced by a later nonce request, a damaged
// sealed nonce, a nonces file that cannot be written, and requests outside the two steps.
import { test, expect } from '@playwright/test';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { Psbt, networks, Transaction } from 'bitcoinjs-lib';
import * as scure from '@scure/btc-signer/musig2.js';
import { approve } from '../../../electron/approval/gate';
import { bip32, ecc } from '../../../electron/crypto/ecc';
import { taggedHash } from '../../../electron/crypto/hash';
import { findWallet, parseKeyFile } from '../../../electron/keystore/keyfile';
import { Vault } from '../../../electron/keystore/vault';
import { BITGO_IDENTIFIER, MUSIG2_SUBTYPE } from '../../../electron/intake/musig2-fields';
import { parsePsbtStrict, type RawEntry } from '../../../electron/intake/psbt-strict';
import { serializePsbt } from '../../../electron/intake/psbt-write';
import { memoryLedgerStore, SigningLedger, type LedgerStore } from '../../../electron/signing/ledger';
import { memoryNonceStore, Musig2NonceStore, noncesOnRecord } from '../../../electron/signing/musig2-nonces';
import { signApproved } from '../../../electron/signing/sign';
import { cosignerNonces } from '../../support/musig2';
import { textFile } from '../../../electron/output/text-file';
import { buildReview } from '../../../electron/review/build';

const dir = new URL('../../fixtures/bitgo/', import.meta.url);
const read = (p: string) => readFileSync(new URL(p, dir), 'utf8');
const env = JSON.parse(read('env.json')) as Record<string, string>;
const keyFile = parseKeyFile(read('keys.json'), 'keys.json');
const WALLET = '5f2a9c4e1b7d3a8f6e0c2b9d4a7f1e3c';
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const unhex = (s: string) => new Uint8Array(Buffer.from(s, 'hex'));
const enc = (s: string) => new TextEncoder().encode(s);
/** BitGo's test keys (wallets.json seedsNote: BIP32.fromSeed(sha256("bitgo-dev/walletA/<role>"))). */
const testKey = (role: string) => bip32.fromSeed(createHash('sha256').update(`bitgo-dev/walletA/${role}`).digest());

async function unlocked(): Promise<Vault> {
  const vault = new Vault({ idleMs: 0 });
  await vault.unlock(findWallet(keyFile, WALLET), env[`WALLET_${WALLET}_PASSPHRASE`]!);
  return vault;
}

interface Signer {
  vault: Vault;
  nonces: Musig2NonceStore;
  ledger: SigningLedger;
}

async function signer(store: LedgerStore = memoryNonceStore()): Promise<Signer> {
  return { vault: await unlocked(), nonces: new Musig2NonceStore(store), ledger: new SigningLedger(memoryLedgerStore()) };
}

/** The gate (with the kept nonces' lookup, as the app and CLI give it) then the signer: the response text. */
function sign(s: Signer, body: string, opts: { lookup?: boolean } = {}): string {
  const approved = approve(enc(body), s.vault, { name: 'request', acknowledged: 'all', ...(opts.lookup === false ? {} : { musig2Nonces: (w, t, i, n) => s.nonces.lookup(w, t, i, n) }) });
  return new TextDecoder().decode(signApproved(approved, s.vault, s.ledger, s.nonces).output);
}

const txHexOf = (response: string) => (JSON.parse(response) as { txHex: string }).txHex;
const requestTxHex = (file: string) => (JSON.parse(read(file)) as { txPrebuild: { txHex: string } }).txPrebuild.txHex;
const withTx = (requestFile: string, txHex: string) => {
  const body = JSON.parse(read(requestFile));
  body.txPrebuild.txHex = txHex;
  return JSON.stringify(body);
};

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return (e as { code?: string }).code;
  }
  return undefined;
}

const isBitgo = (e: RawEntry, subtype: number) => e.keyType === 0xfc && hex(e.keyData).startsWith(`05${hex(BITGO_IDENTIFIER)}0${subtype}`);

/** The PSBT with the values of BitGo proprietary entries of `subtype` taken from `reference` (same keys). */
function withValuesFrom(psbtHex: string, reference: string, subtype: number): string {
  const p = parsePsbtStrict(unhex(psbtHex));
  const r = parsePsbtStrict(unhex(reference));
  const inputs = p.inputs.map((m, i) => m.map((e) => (isBitgo(e, subtype) ? { ...e, value: r.inputs[i]!.find((x) => hex(x.key) === hex(e.key))!.value } : e)));
  return hex(serializePsbt({ ...p, inputs }));
}

const PATHS: Record<string, string[]> = { p2trMusig2: ['m/0/0/40/0', 'm/0/0/41/1'] };

/** The whole exchange for `name`: our nonce response, BitGo's nonces (scure), our signature response. */
async function exchange(name: 'p2trMusig2' | 'mixed-with-musig2', s?: Signer) {
  s ??= await signer();
  const step1 = sign(s, read(`cases/${name}.1-signerNonce.request.json`));
  const bitgo = cosignerNonces(txHexOf(step1));
  const step3Request = withTx(`cases/${name}.3-signerSignature.request.json`, bitgo.psbtHex);
  const step3 = sign(s, step3Request);
  return { s, step1, bitgo, step3Request, step3 };
}

test('signerNonce: BitGo’s response with our nonces in BitGo’s places; nothing signed; the secret kept sealed', async () => {
  const store = memoryNonceStore();
  const s = await signer(store);
  const response = sign(s, read('cases/p2trMusig2.1-signerNonce.request.json'));
  expect(Object.keys(JSON.parse(response))).toEqual(['txHex']);
  const expected = txHexOf(read('cases/p2trMusig2.1-signerNonce.response.json'));
  const ours = txHexOf(response);
  expect(ours).not.toBe(expected); // random nonces, never BitGo's
  expect(withValuesFrom(ours, expected, MUSIG2_SUBTYPE.pubNonce)).toBe(expected);
  // Each public nonce is two valid points, and differs from the other input's.
  const p = parsePsbtStrict(unhex(ours));
  const mine = p.inputs.map((m) => m.find((e) => isBitgo(e, MUSIG2_SUBTYPE.pubNonce))!.value);
  for (const n of mine) expect(ecc.isPoint(n.subarray(0, 33)) && ecc.isPoint(n.subarray(33))).toBe(true);
  expect(hex(mine[0]!)).not.toBe(hex(mine[1]!));
  // The kept state: per input the public nonce, the message and the secret sealed (126 bytes), nothing in clear.
  const kept = JSON.parse(store.text!);
  const records = kept.wallets[WALLET][Object.keys(kept.wallets[WALLET])[0]!];
  expect(records.map((r: { state: string; input: number }) => [r.input, r.state])).toEqual([[0, 'pending'], [1, 'pending']]);
  expect(records.every((r: { sealed: string }) => r.sealed.length === 252)).toBe(true);
  // Again: new nonces (fresh randomness), never the same.
  const again = txHexOf(sign(s, read('cases/p2trMusig2.1-signerNonce.request.json')));
  expect(again).not.toBe(ours);
});

test('BitGo’s own fixture: its user partial signature verifies under the session this signer builds', async () => {
  const res = parsePsbtStrict(unhex(txHexOf(read('cases/p2trMusig2.3-signerSignature.response.json'))));
  const psbt = Psbt.fromHex(txHexOf(read('cases/p2trMusig2.3-signerSignature.response.json')), { network: networks.testnet });
  const prevouts = psbt.data.inputs.map((i) => i.witnessUtxo!);
  const tx = Transaction.fromBuffer(Buffer.from(parsePsbtStrict(unhex(txHexOf(read('cases/p2trMusig2.3-signerSignature.response.json')))).global[0]!.value));
  const { partialSigVerify } = await import('../../../electron/crypto/musig2');
  PATHS.p2trMusig2!.forEach((path, i) => {
    const msg = tx.hashForWitnessV1(i, prevouts.map((p) => p.script), prevouts.map((p) => p.value), Transaction.SIGHASH_DEFAULT);
    const user = testKey('user').derivePath(path).publicKey;
    const bitgo = testKey('bitgo').derivePath(path).publicKey;
    const m = res.inputs[i]!;
    const nonce = (pk: Uint8Array) => m.find((e) => isBitgo(e, MUSIG2_SUBTYPE.pubNonce) && hex(e.keyData).includes(hex(pk)))!.value;
    const psig = m.find((e) => isBitgo(e, MUSIG2_SUBTYPE.partialSig))!.value;
    const input = psbt.data.inputs[i]!;
    const tweak = taggedHash('TapTweak', input.tapInternalKey!, input.tapMerkleRoot!);
    expect(partialSigVerify(psig, [nonce(user), nonce(bitgo)], { pubkeys: [user, bitgo], tweaks: [tweak], isXonly: [true], msg }, 0)).toBe(true);
  });
});

test('signerSignature: BitGo’s response with our partial signatures; with BitGo’s side they make a valid key-path signature', async () => {
  const { step3Request, step3, bitgo } = await exchange('p2trMusig2');
  const expected = txHexOf(read('cases/p2trMusig2.3-signerSignature.response.json'));
  const fixtureRequest = requestTxHex('cases/p2trMusig2.3-signerSignature.request.json');
  // Structure: the request plus exactly the entries BitGo adds (the same keys in the same places).
  const ours = parsePsbtStrict(unhex(txHexOf(step3)));
  const theirs = parsePsbtStrict(unhex(expected));
  const keys = (p: typeof ours) => p.inputs.map((m) => m.map((e) => hex(e.key)));
  const req = parsePsbtStrict(unhex(JSON.parse(step3Request).txPrebuild.txHex));
  const added = (after: typeof ours, before: typeof ours) => after.inputs.map((m, i) => m.filter((e) => !before.inputs[i]!.some((x) => hex(x.key) === hex(e.key))).map((e) => hex(e.key)));
  expect(added(ours, req)).toEqual(added(theirs, parsePsbtStrict(unhex(fixtureRequest))));
  expect(keys(ours).map((k) => k.length)).toEqual(keys(theirs).map((k) => k.length));
  // Cryptography: BitGo's partial signature (scure, BitGo's test key), aggregated with ours, verifies under the output key.
  const psbt = Psbt.fromHex(txHexOf(step3), { network: networks.testnet });
  const prevouts = psbt.data.inputs.map((i) => i.witnessUtxo!);
  const tx = Transaction.fromBuffer(Buffer.from(ours.global[0]!.value));
  PATHS.p2trMusig2!.forEach((path, i) => {
    const msg = tx.hashForWitnessV1(i, prevouts.map((p) => p.script), prevouts.map((p) => p.value), Transaction.SIGHASH_DEFAULT);
    const user = testKey('user').derivePath(path);
    const bg = testKey('bitgo').derivePath(path);
    const m = ours.inputs[i]!;
    const nonce = (pk: Uint8Array) => m.find((e) => isBitgo(e, MUSIG2_SUBTYPE.pubNonce) && hex(e.keyData).includes(hex(pk)))!.value;
    const nonces = [nonce(user.publicKey), nonce(bg.publicKey)];
    const psig = m.find((e) => isBitgo(e, MUSIG2_SUBTYPE.partialSig))!.value;
    expect(psig.length).toBe(32); // SIGHASH_DEFAULT: no sighash byte
    const input = psbt.data.inputs[i]!;
    const tweak = taggedHash('TapTweak', input.tapInternalKey!, input.tapMerkleRoot!);
    const session = new scure.Session(scure.nonceAggregate(nonces), [user.publicKey, bg.publicKey], msg, [tweak], [true]);
    expect(session.partialSigVerify(psig, nonces, 0)).toBe(true);
    const bitgoSig = session.sign(bitgo.secrets.get(i)!, bg.privateKey!);
    const sig = session.partialSigAgg([psig, bitgoSig]);
    expect(ecc.verifySchnorr(msg, prevouts[i]!.script.subarray(2), sig)).toBe(true);
  });
});

test('mixed transaction: the nonce step adds only nonces; the signature step adds BitGo’s ECDSA and Schnorr signatures byte for byte and our partial signatures', async () => {
  const { step1, step3Request, step3 } = await exchange('mixed-with-musig2');
  const expected1 = txHexOf(read('cases/mixed-with-musig2.1-signerNonce.response.json'));
  expect(withValuesFrom(txHexOf(step1), expected1, MUSIG2_SUBTYPE.pubNonce)).toBe(expected1);
  const req = parsePsbtStrict(unhex(JSON.parse(step3Request).txPrebuild.txHex));
  const fixtureReq = parsePsbtStrict(unhex(requestTxHex('cases/mixed-with-musig2.3-signerSignature.request.json')));
  const fixtureRes = parsePsbtStrict(unhex(txHexOf(read('cases/mixed-with-musig2.3-signerSignature.response.json'))));
  const ours = parsePsbtStrict(unhex(txHexOf(step3)));
  const addedEntries = (after: typeof ours, before: typeof ours) => after.inputs.map((m, i) => m.filter((e) => !before.inputs[i]!.some((x) => hex(x.key) === hex(e.key))));
  const mine = addedEntries(ours, req);
  const bitgos = addedEntries(fixtureRes, fixtureReq);
  expect(mine.map((m) => m.map((e) => hex(e.key)))).toEqual(bitgos.map((m) => m.map((e) => hex(e.key))));
  // Everything but the MuSig2 partial signatures is deterministic: the same bytes as BitGo's.
  mine.forEach((m, i) => m.forEach((e, j) => {
    if (!isBitgo(e, MUSIG2_SUBTYPE.partialSig)) expect(hex(e.value), `input ${i}`).toBe(hex(bitgos[i]![j]!.value));
  }));
});

test('a second signature request for the same nonce is refused (musig2_nonce_used), by the review and by the signer', async () => {
  const { s, step3Request } = await exchange('p2trMusig2');
  // The gate's review with the kept nonces refuses it before any key is touched ...
  expect(codeOf(() => sign(s, step3Request))).toBe('musig2_nonce_used');
  const refusals = buildReview(step3Request, { musig2Nonces: (w, t, i, n) => s.nonces.lookup(w, t, i, n) }).refusals;
  expect(refusals.map((r) => [r.code, r.input])).toEqual([['musig2_nonce_used', 0], ['musig2_nonce_used', 1]]);
  // ... and the signer's own single-use rule holds without that review.
  expect(codeOf(() => sign(s, step3Request, { lookup: false }))).toBe('musig2_nonce_used');
});

test('after a restart without the kept nonces the signature request is refused (musig2_nonce_missing); with them it signs', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'musig2-nonces-'));
  const file = join(folder, 'musig2-nonces.json');
  const first = await signer(textFile(file));
  const step1 = sign(first, read('cases/p2trMusig2.1-signerNonce.request.json'));
  first.vault.lockAll();
  const step3Request = withTx('cases/p2trMusig2.3-signerSignature.request.json', cosignerNonces(txHexOf(step1)).psbtHex);
  // The app restarted and the nonces file is gone (another machine, a wiped data folder):
  const lost = await signer();
  expect(codeOf(() => sign(lost, step3Request))).toBe('musig2_nonce_missing');
  expect(codeOf(() => sign(lost, step3Request, { lookup: false }))).toBe('musig2_nonce_missing');
  // The app restarted with its data folder: a new vault and store over the same file sign it, once.
  const restarted = await signer(textFile(file));
  expect(txHexOf(sign(restarted, step3Request))).toMatch(/^70736274ff/);
  expect(codeOf(() => sign(restarted, step3Request))).toBe('musig2_nonce_used');
  const text = readFileSync(file, 'utf8');
  expect(text).not.toContain('"sealed"'); // used nonces keep no secret, not even sealed
});

test('a restored copy of the nonces file cannot bring a used nonce back: the audit record of used nonces refuses it', async () => {
  // The audit log as the app and `sign` keep it: each signature step's request-signed entry names its nonces.
  const log: { at: string; event: unknown }[] = [];
  const store = memoryNonceStore();
  const s: Signer = { ...(await signer()), nonces: new Musig2NonceStore(store, undefined, (ids) => noncesOnRecord(log, ids)) };
  const step1 = sign(s, read('cases/p2trMusig2.1-signerNonce.request.json'));
  const backup = store.text; // the nonces file while the nonces were pending
  const step3Request = withTx('cases/p2trMusig2.3-signerSignature.request.json', cosignerNonces(txHexOf(step1)).psbtHex);
  const approved = () => approve(enc(step3Request), s.vault, { name: 'request', acknowledged: 'all', musig2Nonces: (w, t, i, n) => s.nonces.lookup(w, t, i, n) });
  const outcome = signApproved(approved(), s.vault, s.ledger, s.nonces);
  expect(outcome.musig2).toMatchObject({ step: 'signerSignature', inputs: [0, 1], nonces: [expect.stringMatching(/^[0-9a-f]{32}$/), expect.stringMatching(/^[0-9a-f]{32}$/)] });
  log.push({ at: '2026-12-07T03:00:00.000Z', event: { type: 'request-signed', requestId: 'request', fingerprint: 'x', musig2: outcome.musig2 } });
  // The older copy is restored: the file says pending again, and the review lets it through; the record does not.
  store.text = backup;
  let thrown: { code?: string; message?: string } | undefined;
  try {
    signApproved(approved(), s.vault, s.ledger, s.nonces);
  } catch (e) {
    thrown = e as typeof thrown;
  }
  expect(thrown).toMatchObject({ code: 'musig2_nonce_used', message: expect.stringContaining('the audit log records this nonce as used for a signature on 2026-12-07T03:00:00') });
  expect(store.text).toBe(backup); // refused before the file was touched
  // A log that cannot be read refuses too: a nonce that cannot be shown unused is not used.
  const unreadable = new Musig2NonceStore(store, undefined, () => {
    throw Object.assign(new Error('the audit log could not be read'), { code: 'audit_unwritable' });
  });
  expect(codeOf(() => signApproved(approved(), s.vault, s.ledger, unreadable))).toBe('audit_unwritable');
});

test('a changed transaction is refused: another signature hash (musig2_tx_changed), another transaction (musig2_nonce_missing)', async () => {
  const s = await signer();
  const step1 = sign(s, read('cases/p2trMusig2.1-signerNonce.request.json'));
  const good = cosignerNonces(txHexOf(step1)).psbtHex;
  // Same unsigned transaction (same txid), but input 1 now asks for SIGHASH_ALL: another message to sign.
  const p = parsePsbtStrict(unhex(good));
  const inputs = p.inputs.map((m, i) => (i === 1 ? m.map((e) => (e.keyType === 0x03 ? { ...e, value: Uint8Array.of(1, 0, 0, 0) } : e)) : m));
  const changed = withTx('cases/p2trMusig2.3-signerSignature.request.json', hex(serializePsbt({ ...p, inputs })));
  expect(codeOf(() => sign(s, changed))).toBe('musig2_tx_changed');
  expect(codeOf(() => sign(s, changed, { lookup: false }))).toBe('musig2_tx_changed');
  // An output changed: another txid, for which no nonce was made.
  const body = JSON.parse(changed);
  const q = parsePsbtStrict(unhex(good));
  const txEntry = q.global[0]!;
  const txBytes = txEntry.value.slice();
  txBytes[txBytes.length - 4 - 43 - 8]! ^= 1; // the first output's amount, low byte (2 outputs of 43 bytes each before locktime)
  body.txPrebuild.txHex = hex(serializePsbt({ ...q, global: q.global.map((e) => (e === txEntry ? { ...e, value: txBytes } : e)) }));
  expect(codeOf(() => sign(s, JSON.stringify(body)))).toBe('musig2_nonce_missing');
  // Nothing was used up by the refused requests: the right one still signs.
  expect(txHexOf(sign(s, withTx('cases/p2trMusig2.3-signerSignature.request.json', good)))).toMatch(/^70736274ff/);
});

test('an invalid or missing BitGo nonce is refused (musig2_cosigner_nonce_invalid) and the kept nonce stays usable', async () => {
  const s = await signer();
  const step1 = txHexOf(sign(s, read('cases/p2trMusig2.1-signerNonce.request.json')));
  const good = cosignerNonces(step1).psbtHex;
  const p = parsePsbtStrict(unhex(good));
  const bitgoPk = testKey('bitgo').derivePath('m/0/0/40/0').publicKey;
  const notAPoint = new Uint8Array(66).fill(0xff);
  notAPoint[0] = 0x02;
  notAPoint[33] = 0x03;
  const bad = p.inputs.map((m, i) => (i === 0 ? m.map((e) => (isBitgo(e, MUSIG2_SUBTYPE.pubNonce) && hex(e.keyData).includes(hex(bitgoPk)) ? { ...e, value: notAPoint } : e)) : m));
  const invalid = withTx('cases/p2trMusig2.3-signerSignature.request.json', hex(serializePsbt({ ...p, inputs: bad })));
  expect(codeOf(() => sign(s, invalid))).toBe('musig2_cosigner_nonce_invalid');
  expect(codeOf(() => sign(s, invalid, { lookup: false }))).toBe('musig2_cosigner_nonce_invalid');
  // The nonce response itself, sent back as a signature request (BitGo's nonce missing):
  expect(codeOf(() => sign(s, withTx('cases/p2trMusig2.3-signerSignature.request.json', step1)))).toBe('musig2_cosigner_nonce_invalid');
  expect(txHexOf(sign(s, withTx('cases/p2trMusig2.3-signerSignature.request.json', good)))).toMatch(/^70736274ff/);
});

test('a later nonce request replaces the earlier nonce: a signature request with the old one is refused (musig2_nonce_missing)', async () => {
  const s = await signer();
  const old = txHexOf(sign(s, read('cases/p2trMusig2.1-signerNonce.request.json')));
  const fresh = txHexOf(sign(s, read('cases/p2trMusig2.1-signerNonce.request.json')));
  expect(codeOf(() => sign(s, withTx('cases/p2trMusig2.3-signerSignature.request.json', cosignerNonces(old).psbtHex)))).toBe('musig2_nonce_missing');
  expect(txHexOf(sign(s, withTx('cases/p2trMusig2.3-signerSignature.request.json', cosignerNonces(fresh).psbtHex)))).toMatch(/^70736274ff/);
});

test('a sealed nonce edited in the file does not open (musig2_nonce_store_invalid), and a damaged file refuses everything', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'musig2-nonces-'));
  const file = join(folder, 'musig2-nonces.json');
  const s = await signer(textFile(file));
  const step1 = txHexOf(sign(s, read('cases/p2trMusig2.1-signerNonce.request.json')));
  const kept = JSON.parse(readFileSync(file, 'utf8'));
  const records = Object.values(kept.wallets[WALLET])[0] as { sealed: string }[];
  records[0]!.sealed = records[0]!.sealed.slice(0, 100) + (records[0]!.sealed[100] === '0' ? '1' : '0') + records[0]!.sealed.slice(101);
  writeFileSync(file, JSON.stringify(kept));
  const request = withTx('cases/p2trMusig2.3-signerSignature.request.json', cosignerNonces(step1).psbtHex);
  expect(codeOf(() => sign(s, request))).toBe('musig2_nonce_store_invalid');
  writeFileSync(file, '{"version":1,"wallets":');
  expect(codeOf(() => sign(s, request))).toBe('musig2_nonce_store_invalid');
  expect(codeOf(() => sign(s, read('cases/p2trMusig2.1-signerNonce.request.json')))).toBe('musig2_nonce_store_invalid');
});

test('nonces that cannot be kept are not released (musig2_nonce_store_unwritable)', async () => {
  const s: Signer = { vault: await unlocked(), ledger: new SigningLedger(memoryLedgerStore()), nonces: new Musig2NonceStore({ name: 'read-only', read: () => undefined, write: () => { throw new Error('EROFS'); } }) };
  expect(codeOf(() => sign(s, read('cases/p2trMusig2.1-signerNonce.request.json')))).toBe('musig2_nonce_store_unwritable');
});

test('requests outside the two steps are refused with the signer’s codes, by the review too', async () => {
  const s = await signer();
  const base = JSON.parse(read('cases/p2trMusig2.3-signerSignature.request.json'));
  const variants: [string, Record<string, unknown>, string][] = [
    ['no signingStep', { signingStep: undefined }, 'musig2_step_required'],
    ['cosignerNonce (BitGo’s step)', { signingStep: 'cosignerNonce' }, 'musig2_not_supported'],
    ['isLastSignature', { isLastSignature: true }, 'musig2_step_required'],
    ['returnLegacyFormat', { returnLegacyFormat: true }, 'musig2_step_required'],
  ];
  for (const [label, change, code] of variants) {
    const body = JSON.stringify({ ...base, ...change });
    expect(codeOf(() => sign(s, body)), label).toBe(code);
    expect(buildReview(body).refusals.map((r) => r.code), label).toContain(code);
  }
  // A transaction without key-path inputs: the nonce step returns the PSBT unchanged (Express's no-op).
  const plain = JSON.parse(read('cases/p2wsh.request.json'));
  const out = sign(s, JSON.stringify({ ...plain, signingStep: 'signerNonce' }));
  expect(txHexOf(out)).toBe(plain.txPrebuild.txHex);
});
