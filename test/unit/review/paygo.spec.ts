// BitGo's PayGo address proof (electron/review/paygo.ts): the digest in the signed-message form BitGo's SDKs use,
// the keys pinned per network, every malformed or foreign proof refused with its reason, and the network the
// address is written for. The rules as whole-request cases are data: test/fixtures/review/rules.json ("PayGo ...").
import { test, expect } from '@playwright/test';
import { createHash } from 'node:crypto';
import { ecc } from '../../../electron/crypto/ecc';
import type { ProprietaryEntry } from '../../../electron/intake/psbt-view';
import { buildReview } from '../../../electron/review/build';
import { addressOf } from '../../../electron/review/network';
import { BITGO_PAYGO_ATTESTATION_XPUBS, checkPayGoProof, PAYGO_PROOF_SUBTYPE, payGoAttestationDigest, pinnedPayGoKeys } from '../../../electron/review/paygo';
import { parsePolicy, PolicyError } from '../../../electron/review/policy';
import { SignerError } from '../../../shared/errors';
import { PAYGO_TEST_KEYS, payGoProofEntry, payGoSignature, TEST_ENTROPY } from '../../support/paygo';
import { caseText, mutateRequest, WALLETS } from '../../support/review-helpers';

const ADDRESS = 'tb1qq5zs2pg9q5zs2pg9q5zs2pg9q5zs2pg9lm9x7g';
const KEY = Uint8Array.from(Buffer.from(PAYGO_TEST_KEYS.attestation.publicKey, 'hex'));
const OTHER = Uint8Array.from(Buffer.from(PAYGO_TEST_KEYS.other.publicKey, 'hex'));
const BITGO = new TextEncoder().encode('BITGO');

function proof(sig: Uint8Array = payGoSignature('attestation', ADDRESS), entropy: Uint8Array = TEST_ENTROPY, identifier = BITGO, subtype = PAYGO_PROOF_SUBTYPE): ProprietaryEntry {
  return { identifier, subtype, keyData: entropy, value: sig };
}
const why = (entries: ProprietaryEntry[], keys: Uint8Array[] = [KEY], address = ADDRESS) => {
  const r = checkPayGoProof(entries, address, keys, 'testnet');
  return r.proven ? r.proven : r.why;
};

test('the test keys re-derive from their seeds (sha256 of the text, compressed point)', () => {
  for (const k of [PAYGO_TEST_KEYS.attestation, PAYGO_TEST_KEYS.other]) {
    const d = createHash('sha256').update(k.seed).digest();
    expect(d.toString('hex')).toBe(k.privateKey);
    expect(Buffer.from(ecc.pointFromScalar(d, true)!).toString('hex')).toBe(k.publicKey);
  }
});

test('pinned keys: BitGo pins one for testnet, none for mainnet; the test key is not pinned', () => {
  expect(BITGO_PAYGO_ATTESTATION_XPUBS.bitcoin).toEqual([]);
  expect(pinnedPayGoKeys('bitcoin')).toEqual([]);
  expect(Object.isFrozen(BITGO_PAYGO_ATTESTATION_XPUBS)).toBe(true);
  const [testnet, ...more] = pinnedPayGoKeys('testnet');
  expect(more).toEqual([]);
  expect(testnet!.length).toBe(33);
  expect(ecc.isPoint(testnet!)).toBe(true);
  expect(why([proof()], [...pinnedPayGoKeys('testnet')])).toMatch(/^its address proof is not a signature of BitGo's PayGo key/);
});

test('digest: SHA256d of "\\x18Bitcoin Signed Message:\\n", the message length and entropy || address || nil UUID', () => {
  const message = Buffer.concat([Buffer.from(TEST_ENTROPY), Buffer.from(ADDRESS), Buffer.from('00000000-0000-0000-0000-000000000000')]);
  const form = Buffer.concat([Buffer.from('\x18Bitcoin Signed Message:\n', 'latin1'), Buffer.of(message.length), message]);
  const once = createHash('sha256').update(form).digest();
  expect(Buffer.from(payGoAttestationDigest(TEST_ENTROPY, ADDRESS)).toString('hex')).toBe(createHash('sha256').update(once).digest('hex'));
  expect(message.length).toBe(64 + 42 + 36);
});

test('a proof by the key, over this address, is proven; among several keys too', () => {
  expect(why([proof()])).toBe('bitgo_attestation');
  expect(why([proof()], [OTHER, KEY])).toBe('bitgo_attestation');
  expect(why([proof(), proof(Uint8Array.of(1), TEST_ENTROPY, BITGO, 0x03)])).toBe('bitgo_attestation'); // a MuSig2-subtype entry is not a proof
});

test('hostile proofs are refused, each with its reason', () => {
  const sig = payGoSignature('attestation', ADDRESS);
  const withHeader = (h: number) => Uint8Array.of(h, ...sig.subarray(1));
  const rs = (r: Uint8Array, s: Uint8Array) => Uint8Array.of(sig[0]!, ...r, ...s);
  const n = Buffer.from('fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141', 'hex');
  const cases: [string, ProprietaryEntry[], RegExp, Uint8Array[]?, string?][] = [
    ['none', [], /no BitGo address proof/],
    ['other identifier', [proof(sig, TEST_ENTROPY, new TextEncoder().encode('BITGOX'))], /no BitGo address proof/],
    ['identifier in lower case', [proof(sig, TEST_ENTROPY, new TextEncoder().encode('bitgo'))], /no BitGo address proof/],
    ['other subtype', [proof(sig, TEST_ENTROPY, BITGO, 0x05)], /no BitGo address proof/],
    ['two proofs', [proof(), proof(payGoSignature('attestation', ADDRESS, new Uint8Array(64)), new Uint8Array(64))], /2 BitGo address proofs/],
    ['no key for the network', [proof()], /publishes no PayGo attestation key/, []],
    ['no entropy', [proof(sig, new Uint8Array(0))], /0 bytes of entropy/],
    ['63 bytes of entropy', [proof(sig, new Uint8Array(63))], /63 bytes of entropy/],
    ['65 bytes of entropy', [proof(sig, new Uint8Array(65))], /65 bytes of entropy/],
    ['empty signature', [proof(new Uint8Array(0))], /not a compressed-key signed-message signature/],
    ['64-byte signature (no header)', [proof(sig.subarray(1))], /not a compressed-key/],
    ['66-byte signature', [proof(Uint8Array.of(...sig, 0))], /not a compressed-key/],
    ...[0, 26, 27, 30, 35, 38, 39, 42, 255].map((h): [string, ProprietaryEntry[], RegExp] => [`header ${h}`, [proof(withHeader(h))], /not a compressed-key/]),
    ['another recovery id', [proof(withHeader(sig[0] === 31 ? 32 : 31))], /not a signature of BitGo's PayGo key/],
    ['r = 0', [proof(rs(new Uint8Array(32), sig.subarray(33)))], /not a signature/],
    ['s = 0', [proof(rs(sig.subarray(1, 33), new Uint8Array(32)))], /not a signature/],
    ['r = n', [proof(rs(n, sig.subarray(33)))], /not a signature/],
    ['s = n', [proof(rs(sig.subarray(1, 33), n))], /not a signature/],
    ['all 0xff', [proof(Uint8Array.of(31, ...new Uint8Array(64).fill(0xff)))], /not a signature/],
    ['signed by another key', [proof(payGoSignature('other', ADDRESS))], /not a signature of BitGo's PayGo key over this address/],
    ['over another address', [proof(payGoSignature('attestation', 'tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx'))], /not a signature/],
    ['over the same address in capitals', [proof()], /not a signature/, [KEY], ADDRESS.toUpperCase()],
    ['other entropy than signed', [proof(sig, new Uint8Array(64))], /not a signature/],
  ];
  for (const [name, entries, expected, keys, address] of cases) expect(why(entries, keys, address), name).toMatch(expected);
});

test('mainnet: no proof is checked (BitGo pins no key), and a testnet proof never verifies for a mainnet address', () => {
  const A = WALLETS.walletA!;
  const xpubs = [A.xpubs.user, A.xpubs.backup, A.xpubs.bitgo];
  const bare = (network: 'bitcoin' | 'testnet', signedFor: 'bitcoin' | 'testnet', keys?: string[]) => {
    const text = mutateRequest('p2wsh', (d) => d.outputs[0]!.push(payGoProofEntry('attestation', addressOf(d.tx.outputs[0]!.script, signedFor)!)));
    const psbtHex = JSON.parse(text).txPrebuild.txHex as string;
    return buildReview(psbtHex, { walletId: A.walletId, xpubs, network, ...(keys ? { DANGER_payGoAttestationKeys: keys } : {}) }).outputs[0]!;
  };
  expect(bare('bitcoin', 'bitcoin').payGo).toBeUndefined();
  expect(bare('bitcoin', 'testnet', [PAYGO_TEST_KEYS.attestation.publicKey]).payGo).toBeUndefined();
  expect(bare('bitcoin', 'bitcoin', [PAYGO_TEST_KEYS.attestation.publicKey])).toEqual(expect.objectContaining({ payGo: true, payGoBasis: 'bitgo_attestation' }));
  expect(bare('testnet', 'testnet', [PAYGO_TEST_KEYS.attestation.publicKey]).payGo).toBe(true);
});

test('the test-only key option and the policy rule refuse malformed values', () => {
  const text = caseText('p2wsh');
  for (const keys of ['02ab', ['zz'], [1], [`04${'11'.repeat(64)}`], [PAYGO_TEST_KEYS.attestation.publicKey.toUpperCase()], {}]) {
    let code: string | undefined;
    try {
      buildReview(text, { DANGER_payGoAttestationKeys: keys as never });
    } catch (e) {
      code = (e as SignerError).code;
    }
    expect(code, JSON.stringify(keys)).toBe('review_argument_invalid');
  }
  for (const payGoAddresses of ['tb1q', ['x'], ['tb1q!!!!!!!!!!!!!!!!'], [ADDRESS, ADDRESS], [5]]) {
    expect(() => parsePolicy({ version: 1, defaults: { payGoAddresses } }), JSON.stringify(payGoAddresses)).toThrow(PolicyError);
  }
  expect(parsePolicy({ version: 1, wallets: { abc123: { payGoAddresses: [ADDRESS] } } }).wallets.abc123!.payGoAddresses).toEqual([ADDRESS]);
});

test('one claimed fee, two proven outputs paying it: the first is BitGo\'s fee, the second a recipient, warned', () => {
  const script = Uint8Array.from(Buffer.from('00140505050505050505050505050505050505050505', 'hex'));
  const text = mutateRequest('p2wsh', (d) => {
    d.tx.outputs[0]!.value -= 200n;
    for (const _ of [0, 1]) {
      d.tx.outputs.push({ value: 100n, script });
      d.outputs.push([payGoProofEntry('attestation', ADDRESS)]);
    }
    d.body.txPrebuild.feeInfo.payGoFee = 100;
  });
  const r = buildReview(text, { DANGER_payGoAttestationKeys: [PAYGO_TEST_KEYS.attestation.publicKey], policy: parsePolicy({ version: 1, defaults: { dustSats: 0 } }) });
  expect(r.outputs.filter((o) => o.payGo).map((o) => o.index)).toEqual([2]);
  expect(r.warnings).toEqual([expect.objectContaining({ code: 'paygo_unverified', output: 3, message: expect.stringContaining('the request names one PayGo fee, which output 2 already pays') })]);
});
