// Policy files (electron/review/policy.ts): the defaults, per-wallet rules over them, the hash over canonical
// JSON, and every malformed document refused with the field's path and its own code.
import { test, expect } from '@playwright/test';
import { canonicalJson, defaultPolicy, parsePolicy, parsePolicyText, PolicyError, rulesFor, DEFAULT_RULES } from '../../../electron/review/policy';

function policyError(fn: () => unknown): PolicyError {
  try {
    fn();
  } catch (e) {
    if (e instanceof PolicyError) return e;
    throw e;
  }
  throw new Error('expected a PolicyError');
}

test('defaults: 5 % fee warning, 150 bp PayGo, warnings do not block', () => {
  const p = defaultPolicy();
  expect(p.source).toBe('default');
  expect(p.hash).toMatch(/^[0-9a-f]{64}$/);
  expect(rulesFor(p, 'anywallet')).toEqual({ ...DEFAULT_RULES });
  expect(DEFAULT_RULES.maxFeeBasisPoints).toBe(500);
  expect(DEFAULT_RULES.maxPayGoBasisPoints).toBe(150);
});

test('per-wallet rules override defaults field by field', () => {
  const p = parsePolicy({ version: 1, defaults: { maxFeeSats: 10_000 }, wallets: { abc123: { blockWarnings: true, allowedDestinations: ['tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx'] } } });
  const r = rulesFor(p, 'abc123');
  expect(r.maxFeeSats).toBe(10_000);
  expect(r.blockWarnings).toBe(true);
  expect(r.allowedDestinations).toEqual(['tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx']);
  expect(rulesFor(p, 'other').blockWarnings).toBe(false);
  // Inherited prototype names are not wallets.
  expect(rulesFor(p, 'constructor')).toEqual(rulesFor(p, 'other'));
});

test('hash is over canonical JSON: key order and whitespace do not change it, a rule does', () => {
  const a = parsePolicyText('{"version":1,"defaults":{"maxFeeSats":5,"dustSats":600}}');
  const b = parsePolicyText('{ "defaults": { "dustSats": 600, "maxFeeSats": 5 }, "version": 1 }\n');
  const c = parsePolicyText('{"version":1,"defaults":{"maxFeeSats":6,"dustSats":600}}');
  expect(a.hash).toBe(b.hash);
  expect(a.hash).not.toBe(c.hash);
  // An explicit default is the same policy as an omitted one.
  expect(parsePolicyText('{"version":1,"defaults":{"maxFeeBasisPoints":500}}').hash).toBe(defaultPolicy().hash);
  expect(canonicalJson({ b: [2, { d: 1, c: null }], a: 'x' })).toBe('{"a":"x","b":[2,{"c":null,"d":1}]}');
});

const BAD: [unknown, string, string][] = [
  [[], '', 'policy_invalid'],
  [{ version: 2 }, 'version', 'policy_version_unsupported'],
  [{ version: 1, extra: 1 }, 'extra', 'policy_unknown_field'],
  [{ version: 1, defaults: { maxFee: 1 } }, 'defaults.maxFee', 'policy_unknown_field'],
  [{ version: 1, defaults: { maxFeeSats: 1.5 } }, 'defaults.maxFeeSats', 'policy_invalid'],
  [{ version: 1, defaults: { maxFeeSats: -1 } }, 'defaults.maxFeeSats', 'policy_invalid'],
  [{ version: 1, defaults: { maxFeeSats: '100' } }, 'defaults.maxFeeSats', 'policy_invalid'],
  [{ version: 1, defaults: { maxFeeBasisPoints: 10_001 } }, 'defaults.maxFeeBasisPoints', 'policy_invalid'],
  [{ version: 1, defaults: { blockWarnings: 'yes' } }, 'defaults.blockWarnings', 'policy_invalid'],
  [{ version: 1, defaults: { refuseWarnings: ['Fee-High'] } }, 'defaults.refuseWarnings[0]', 'policy_invalid'],
  [{ version: 1, defaults: { refuseWarnings: ['fee_rate_high', 'fee_rate_high'] } }, 'defaults.refuseWarnings[1]', 'policy_invalid'],
  // A misspelt or unknown warning code would refuse nothing: only the codes the review gives as warnings.
  [{ version: 1, defaults: { refuseWarnings: ['fee_rate_hihg'] } }, 'defaults.refuseWarnings[0]', 'policy_invalid'],
  [{ version: 1, defaults: { refuseWarnings: ['change_not_wallet'] } }, 'defaults.refuseWarnings[0]', 'policy_invalid'],
  [{ version: 1, wallets: [] }, 'wallets', 'policy_invalid'],
  [{ version: 1, wallets: { 'bad id': {} } }, 'wallets.bad id', 'policy_invalid'],
  [{ version: 1, wallets: { abc: { allowedDestinations: ['x y'] } } }, 'wallets.abc.allowedDestinations[0]', 'policy_invalid'],
  [{ version: 1, wallets: { abc: { __proto__x: 1 } } }, 'wallets.abc.__proto__x', 'policy_unknown_field'],
];

for (const [n, [doc, path, code]] of BAD.entries()) {
  test(`refused with the field path #${n}: ${path || "(root)"} (${code})`, () => {
    const e = policyError(() => parsePolicy(doc));
    expect(e.path).toBe(path);
    expect(e.code).toBe(code);
    expect(e.message).toContain(path || '(root)');
  });
}

test('a rule given twice is refused with its path, at any depth (JSON.parse would keep the last one)', () => {
  const lifted = '{"version":1,"wallets":{"abc":{"maxSpendSats":100000,"maxSpendSats":null}}}';
  const e = policyError(() => parsePolicyText(lifted));
  expect(e.code).toBe('policy_duplicate_field');
  expect(e.path).toBe('wallets.abc.maxSpendSats');
  expect(policyError(() => parsePolicyText('{"version":1,"version":1}')).path).toBe('version');
  expect(policyError(() => parsePolicyText('{"version":1,"defaults":{"refuseWarnings":["fee_rate_high"],"refuseWarnings":[]}}')).code).toBe('policy_duplicate_field');
});

test('malformed JSON and a prototype-pollution key are coded errors', () => {
  expect(policyError(() => parsePolicyText('{version:1}')).code).toBe('policy_malformed_json');
  expect(policyError(() => parsePolicyText('{"version":1,"defaults":{"__proto__":{"blockWarnings":true}}}')).code).toBe('policy_unknown_field');
  expect(policyError(() => parsePolicyText('x'.repeat(1024 * 1024 + 1))).code).toBe('policy_too_large');
});
