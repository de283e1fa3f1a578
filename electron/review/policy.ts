// The signing policy: per-wallet limits the review enforces, loaded from a JSON file the operator controls.
//
// File format (version 1; every field optional except `version`; unknown fields are refused so a typo never
// silently disables a limit):
//
//   {
//     "version": 1,
//     "defaults": { <rules> },                 // apply to every wallet
//     "wallets": { "<walletId>": { <rules> } } // override `defaults` field by field for one wallet
//   }
//
// <rules> (amounts in integer satoshis; percentages in basis points, 100 bp = 1 %, so nothing is a float):
//   maxFeeSats            warn when the fee is above this (null = no limit)                    default null
//   maxFeeBasisPoints     warn when fee / (amount leaving the wallet) is above this            default 500 (5 %)
//   maxFeeRateSatPerVb    warn when the fee rate of the signed transaction is above this       default 1000
//   maxSpendSats          REFUSE when the amount leaving the wallet (external + fee) is above  default null
//   allowedDestinations   REFUSE external outputs whose address is not listed (null = any)    default null
//   maxChangeIndex        warn when a change output's index is above this                      default 100000
//   dustSats              warn on outputs below this many satoshis (and on zero-value ones)    default 546
//   maxPayGoBasisPoints   warn when a PayGo fee output is above this share of the spend        default 150
//   blockWarnings         every warning blocks signing (acknowledgement not enough)           default false
//   refuseWarnings        warning codes that block signing for this wallet                     default []
//
// The policy in force is identified by the sha256 of its canonical JSON (keys sorted, no whitespace, defaults
// filled in), shown in every review, so two operators can confirm they ran the same rules.
import { createHash } from 'node:crypto';
import { SignerError } from '../../shared/errors';

export const POLICY_VERSION = 1;

export interface PolicyRules {
  maxFeeSats: number | null;
  maxFeeBasisPoints: number;
  maxFeeRateSatPerVb: number;
  maxSpendSats: number | null;
  allowedDestinations: string[] | null;
  maxChangeIndex: number;
  dustSats: number;
  maxPayGoBasisPoints: number;
  blockWarnings: boolean;
  refuseWarnings: string[];
}

export interface Policy {
  version: 1;
  defaults: PolicyRules;
  /** Per-wallet overrides as written in the file (only the fields given). */
  wallets: Record<string, Partial<PolicyRules>>;
  /** Where it came from: "default" or the file's base name (never a full path). */
  source: string;
  /** sha256 hex of canonicalJson({ version, defaults, wallets }). */
  hash: string;
}

export const DEFAULT_RULES: Readonly<PolicyRules> = Object.freeze({
  maxFeeSats: null,
  maxFeeBasisPoints: 500,
  maxFeeRateSatPerVb: 1000,
  maxSpendSats: null,
  allowedDestinations: null,
  maxChangeIndex: 100_000,
  dustSats: 546,
  maxPayGoBasisPoints: 150,
  blockWarnings: false,
  refuseWarnings: [],
});

export class PolicyError extends SignerError {
  /** JSON path of the offending field, e.g. "wallets.abc.maxFeeSats". */
  readonly path: string;
  constructor(path: string, message: string, code = 'policy_invalid') {
    super('PolicyError', `policy ${path || '(root)'}: ${message}`, code);
    this.path = path;
  }
}

const MAX_SAFE = Number.MAX_SAFE_INTEGER;
const WALLET_ID = /^[A-Za-z0-9]{1,128}$/;
const CODE = /^[a-z][a-z0-9_]{0,63}$/;
const MAX_POLICY_CHARS = 1024 * 1024;
const MAX_LIST = 10_000;

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  if (typeof v === 'number') return `the number ${v}`;
  return typeof v;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function assertInt(v: unknown, path: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min || v > max) {
    throw new PolicyError(path, `expected an integer from ${min} to ${max}, got ${describe(v)}`);
  }
  return v;
}

function assertStringList(v: unknown, path: string, re: RegExp | undefined, what: string): string[] {
  if (!Array.isArray(v)) throw new PolicyError(path, `expected an array of ${what}, got ${describe(v)}`);
  if (v.length > MAX_LIST) throw new PolicyError(path, `at most ${MAX_LIST} entries, got ${v.length}`);
  const seen = new Set<string>();
  return v.map((s, i) => {
    if (typeof s !== 'string' || s.length === 0 || s.length > 128 || (re && !re.test(s))) {
      throw new PolicyError(`${path}[${i}]`, `expected ${what.replace(/s$/, '')}, got ${describe(s)}`);
    }
    if (seen.has(s)) throw new PolicyError(`${path}[${i}]`, `duplicate entry ${JSON.stringify(s)}`);
    seen.add(s);
    return s;
  });
}

const RULE_PARSERS: { [K in keyof PolicyRules]: (v: unknown, path: string) => PolicyRules[K] } = {
  maxFeeSats: (v, p) => (v === null ? null : assertInt(v, p, 0, MAX_SAFE)),
  maxFeeBasisPoints: (v, p) => assertInt(v, p, 0, 10_000),
  maxFeeRateSatPerVb: (v, p) => assertInt(v, p, 1, 10_000_000),
  maxSpendSats: (v, p) => (v === null ? null : assertInt(v, p, 0, MAX_SAFE)),
  // Addresses are compared exactly as the review prints them (base58 / lower-case bech32); a syntactic check
  // here catches pasted junk, and an allowlisted address of another network simply never matches.
  allowedDestinations: (v, p) => (v === null ? null : assertStringList(v, p, /^[A-Za-z0-9]{14,90}$/, 'addresses')),
  maxChangeIndex: (v, p) => assertInt(v, p, 0, 0x7fffffff),
  dustSats: (v, p) => assertInt(v, p, 0, MAX_SAFE),
  maxPayGoBasisPoints: (v, p) => assertInt(v, p, 0, 10_000),
  blockWarnings: (v, p) => {
    if (typeof v !== 'boolean') throw new PolicyError(p, `expected true or false, got ${describe(v)}`);
    return v;
  },
  refuseWarnings: (v, p) => assertStringList(v, p, CODE, 'warning codes'),
};

const RULE_NAMES = Object.keys(RULE_PARSERS) as (keyof PolicyRules)[];

function parseRules(v: unknown, path: string): Partial<PolicyRules> {
  if (!isObject(v)) throw new PolicyError(path, `expected an object of rules, got ${describe(v)}`);
  const out: Partial<PolicyRules> = {};
  for (const [k, val] of Object.entries(v)) {
    const parse = RULE_PARSERS[k as keyof PolicyRules] as ((x: unknown, p: string) => unknown) | undefined;
    if (!Object.hasOwn(RULE_PARSERS, k) || !parse) {
      throw new PolicyError(`${path}.${k}`, `unknown rule (known: ${RULE_NAMES.join(', ')})`, 'policy_unknown_field');
    }
    (out as Record<string, unknown>)[k] = parse(val, `${path}.${k}`);
  }
  return out;
}

/** Canonical JSON: object keys sorted by code unit, no whitespace; arrays keep their order. */
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new PolicyError('', 'non-finite number in canonical JSON');
    return JSON.stringify(v);
  }
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (isObject(v)) {
    const keys = Object.keys(v).filter((k) => v[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(v[k])}`).join(',')}}`;
  }
  throw new PolicyError('', `cannot put ${typeof v} in canonical JSON`);
}

function finish(defaults: PolicyRules, wallets: Record<string, Partial<PolicyRules>>, source: string): Policy {
  const body = { version: POLICY_VERSION, defaults, wallets };
  const hash = createHash('sha256').update(canonicalJson(body)).digest('hex');
  return { version: 1, defaults, wallets, source, hash };
}

/** Validates a parsed policy document. Every error names the JSON path of the field. */
export function parsePolicy(doc: unknown, source = 'policy'): Policy {
  if (!isObject(doc)) throw new PolicyError('', `a policy must be a JSON object, got ${describe(doc)}`);
  for (const k of Object.keys(doc)) {
    if (k !== 'version' && k !== 'defaults' && k !== 'wallets') throw new PolicyError(k, 'unknown field (known: version, defaults, wallets)', 'policy_unknown_field');
  }
  if (doc.version !== POLICY_VERSION) throw new PolicyError('version', `expected ${POLICY_VERSION}, got ${describe(doc.version)}`, 'policy_version_unsupported');
  const defaults: PolicyRules = { ...DEFAULT_RULES, refuseWarnings: [], ...(doc.defaults === undefined ? {} : parseRules(doc.defaults, 'defaults')) };
  const wallets: Record<string, Partial<PolicyRules>> = {};
  if (doc.wallets !== undefined) {
    if (!isObject(doc.wallets)) throw new PolicyError('wallets', `expected an object keyed by wallet id, got ${describe(doc.wallets)}`);
    for (const [id, rules] of Object.entries(doc.wallets)) {
      if (!WALLET_ID.test(id)) throw new PolicyError(`wallets.${id.slice(0, 40)}`, 'the key is not a wallet id (1 to 128 letters and digits)');
      wallets[id] = parseRules(rules, `wallets.${id}`);
    }
  }
  return finish(defaults, wallets, source);
}

/** Parses a policy file's text. `source` is a display name (a base name, never a full path). */
export function parsePolicyText(text: string, source = 'policy'): Policy {
  if (text.length > MAX_POLICY_CHARS) throw new PolicyError('', `the file is larger than ${MAX_POLICY_CHARS} characters`, 'policy_too_large');
  let doc: unknown;
  try {
    doc = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new PolicyError('', `not valid JSON (${e instanceof Error ? e.message.slice(0, 120) : 'parse error'})`, 'policy_malformed_json');
  }
  return parsePolicy(doc, source);
}

/** The policy used when the operator gives none: DEFAULT_RULES for every wallet. */
export function defaultPolicy(): Policy {
  return finish({ ...DEFAULT_RULES, refuseWarnings: [] }, {}, 'default');
}

/** The rules in force for one wallet: its overrides on top of `defaults`. */
export function rulesFor(policy: Policy, walletId: string): PolicyRules {
  const own = Object.hasOwn(policy.wallets, walletId) ? policy.wallets[walletId] : undefined;
  return { ...policy.defaults, ...(own ?? {}) };
}
