// The approval gate (electron/approval/gate.ts), the one producer of an ApprovedRequest, and the signing entry
// that takes nothing else: the exact approved bytes, BitGo's wallet validation, the review with the signing key,
// refusals and acknowledgements; a forged or copied approval signs nothing; the signer is always closed.
import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { approve, isApproved, type ApprovedRequest, type SigningKeyInfo } from '../../../electron/approval/gate';
import { warningKey } from '../../../electron/approval/warnings';
import { bip32 } from '../../../electron/crypto/ecc';
import { nodeSigner, type WalletSigner } from '../../../electron/keystore/signer';
import { buildReview } from '../../../electron/review/build';
import { memoryLedgerStore, SigningLedger } from '../../../electron/signing/ledger';
import { signApproved } from '../../../electron/signing/sign';
import { SignerError } from '../../../shared/errors';
import { caseText, mutateRequest } from '../../support/review-helpers';

const freshLedger = () => new SigningLedger(memoryLedgerStore());

const WALLETS = JSON.parse(readFileSync(new URL('../../fixtures/bitgo/wallets.json', import.meta.url), 'utf8')) as Record<string, { walletId: string; userXprvPlaintextInKeysFile: string; xpubs: { user: string } }>;
const A = WALLETS.walletA!;
const B = WALLETS.walletB!;
const bytes = (text: string) => new TextEncoder().encode(text);

/** A key source standing in for the vault (walletA's key from the fixtures), recording each signer's close(). */
function keysOf(xprv: string) {
  const closed: boolean[] = [];
  const keys: SigningKeyInfo & { signer(walletId: string): WalletSigner } = {
    signingXpub: () => bip32.fromBase58(xprv).neutered().toBase58(),
    signer: () => {
      const inner = nodeSigner(bip32.fromBase58(xprv), true);
      const n = closed.push(false) - 1;
      return { ...inner, close: () => ((closed[n] = true), inner.close()) };
    },
  };
  return { keys, closed };
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(SignerError);
    return (e as SignerError).code;
  }
  return undefined;
}

test('approves the exact bytes the operator approved, with their warnings acknowledged, and signs them', () => {
  const text = caseText('p2sh');
  const reviewed = buildReview(text);
  const { keys, closed } = keysOf(A.userXprvPlaintextInKeysFile);
  const approved = approve(bytes(text), keys, { name: 'p2sh.json', approvedFingerprint: reviewed.fingerprint.sha256, acknowledged: reviewed.warnings.map(warningKey) });
  expect(isApproved(approved)).toBe(true);
  expect(approved.fingerprint).toBe(reviewed.fingerprint.sha256);
  expect(approved.review.fingerprint).toEqual(reviewed.fingerprint);
  expect(approved.acknowledged).toEqual(reviewed.warnings.map(warningKey));
  const expected = JSON.parse(readFileSync(new URL('../../fixtures/bitgo/cases/p2sh.response.json', import.meta.url), 'utf8')) as { txHex: string };
  expect(JSON.parse(new TextDecoder().decode(signApproved(approved, keys, freshLedger()).output))).toEqual(expected);
  expect(closed).toEqual([true]);
});

test('refuses bytes that changed after review, open warnings, strict mode, another wallet\'s key, and refusals', () => {
  const text = caseText('p2sh');
  const reviewed = buildReview(text);
  const { keys } = keysOf(A.userXprvPlaintextInKeysFile);
  const fp = reviewed.fingerprint.sha256;
  const changed = mutateRequest('p2sh', (d) => (d.tx.outputs[0]!.value -= 1n));
  expect(codeOf(() => approve(bytes(changed), keys, { name: 'x', approvedFingerprint: fp, acknowledged: 'all' }))).toBe('review_bytes_changed');
  expect(codeOf(() => approve(bytes(`${text} `), keys, { name: 'x', approvedFingerprint: fp, acknowledged: 'all' }))).toBe('review_bytes_changed');
  expect(codeOf(() => approve(bytes(text), keys, { name: 'x', acknowledged: [] }))).toBe('review_warnings_unacknowledged');
  expect(codeOf(() => approve(bytes(text), keys, { name: 'x', acknowledged: 'all', strict: true }))).toBe('review_warnings_strict');
  expect(codeOf(() => approve(bytes(text), keysOf(B.userXprvPlaintextInKeysFile).keys, { name: 'x', acknowledged: 'all' }))).toBe('wallet_not_unlocked_key');
  const fake = readFileSync(new URL('../../fixtures/review/p2sh-fake-change.request.json', import.meta.url));
  expect(codeOf(() => approve(fake, keys, { name: 'x', acknowledged: 'all' }))).toBe('change_not_wallet');
});

test('BitGo\'s own wallet validation runs first: wrong pubs give Express\'s error, not a review code', () => {
  const expected = JSON.parse(readFileSync(new URL('../../fixtures/bitgo/cases/error-wrong-pubs.response.json', import.meta.url), 'utf8')) as { error: string; name: string; code: string };
  const { keys } = keysOf(A.userXprvPlaintextInKeysFile);
  expect(() => approve(bytes(caseText('error-wrong-pubs')), keys, { name: 'x', acknowledged: 'all' })).toThrow(expect.objectContaining({ message: expected.error, name: expected.name, code: expected.code }) as unknown as Error);
});

test('MuSig2: BitGo’s cosigner step and a key-path request without a step are refused by the review and by the gate with the same code', () => {
  const { keys } = keysOf(A.userXprvPlaintextInKeysFile);
  const body = JSON.parse(caseText('p2trMusig2.1-signerNonce'));
  for (const [change, code] of [[{ signingStep: 'cosignerNonce' }, 'musig2_not_supported'], [{ signingStep: undefined }, 'musig2_step_required']] as const) {
    const text = JSON.stringify({ ...body, ...change });
    expect(buildReview(text).refusals.map((r) => r.code)).toContain(code);
    expect(codeOf(() => approve(bytes(text), keys, { name: 'x', acknowledged: 'all' }))).toBe(code);
  }
  // The nonce step itself is approved (the review shows which step it is).
  expect(approve(bytes(caseText('p2trMusig2.1-signerNonce')), keys, { name: 'x', acknowledged: 'all' }).review.musig2).toEqual({ step: 'signerNonce', inputs: [0, 1] });
});

test('signApproved takes only what the gate returned: a copy or a cast signs nothing', () => {
  const text = caseText('p2wsh');
  const { keys, closed } = keysOf(A.userXprvPlaintextInKeysFile);
  const approved = approve(bytes(text), keys, { name: 'x', acknowledged: 'all' });
  expect(Object.isFrozen(approved)).toBe(true);
  expect(codeOf(() => signApproved({ ...approved } as ApprovedRequest, keys, freshLedger()))).toBe('request_not_approved');
  expect(codeOf(() => signApproved(approved.request as unknown as ApprovedRequest, keys, freshLedger()))).toBe('request_not_approved');
  expect(closed).toEqual([]);
});

test('the signer is closed when signing fails after it was opened', () => {
  // returnLegacyFormat on a taproot request: the engine signs, then the legacy layout refuses the taproot input.
  const body = JSON.parse(caseText('p2trLegacy')) as Record<string, unknown>;
  const { keys, closed } = keysOf(A.userXprvPlaintextInKeysFile);
  const approved = approve(bytes(JSON.stringify({ ...body, returnLegacyFormat: true })), keys, { name: 'x', acknowledged: 'all' });
  expect(codeOf(() => signApproved(approved, keys, freshLedger()))).toBe('legacy_format_unsupported_input');
  expect(closed).toEqual([true]);
});

test('type test: signing without an ApprovedRequest does not compile (test/types/sign-approved.ts)', () => {
  // The repository type check compiles the file with its @ts-expect-error lines; here the same file is compiled
  // without them, and each must then be an error: the check is not vacuous.
  const root = fileURLToPath(new URL('../../../', import.meta.url));
  const source = readFileSync(new URL('../../types/sign-approved.ts', import.meta.url), 'utf8');
  const expectations = source.split('\n').filter((l) => l.includes('@ts-expect-error')).length;
  expect(expectations).toBeGreaterThanOrEqual(3);
  const out = execFileSync(process.execPath, [fileURLToPath(new URL('../../support/typecheck-without-expectations.mjs', import.meta.url)), 'test/types/sign-approved.ts'], { cwd: root, encoding: 'utf8' });
  const errors = JSON.parse(out) as { line: number; code: number }[];
  expect(errors.length, JSON.stringify(errors)).toBe(expectations);
  // TS2345 "argument not assignable to parameter" / TS2322 "not assignable" (an object literal's property).
  for (const e of errors) expect([2322, 2345], JSON.stringify(e)).toContain(e.code);
});
