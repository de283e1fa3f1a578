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
//   payGoAddresses        addresses the operator pins as BitGo's PayGo address: an output paying one is shown
//                         as BitGo's fee (the policy is the proof; review/paygo.ts)            default null
//   blockWarnings         every warning blocks signing (acknowledgement not enough)           default false
//   refuseWarnings        warning codes that block signing for this wallet                     default []
//
// The policy in force is identified by the sha256 of its canonical JSON (keys sorted, no whitespace, defaults
// filled in), shown in every review, so two operators can confirm they ran the same rules.
import { createHash } from 'node:crypto';
import { SignerError, type ErrorCode } from '../../shared/errors';
import { REVIEW_WARNING_CODES } from '../../shared/error-codes';
import * as s from '../../shared/schema';
import { WALLET_ID_TEXT } from '../../shared/wallet-id';
import { parseJsonStrict } from '../util/json';

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
  payGoAddresses: string[] | null;
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
  payGoAddresses: null,
  blockWarnings: false,
  refuseWarnings: [],
});

export class PolicyError extends SignerError {
  /** JSON path of the offending field, e.g. "wallets.abc.maxFeeSats". */
  readonly path: string;
  constructor(path: string, message: string, code: ErrorCode = 'policy_invalid') {
    super('PolicyError', `policy ${path || '(root)'}: ${message}`, code);
    this.path = path;
  }
}

const MAX_SAFE = Number.MAX_SAFE_INTEGER;
const MAX_POLICY_CHARS = 1024 * 1024;
const MAX_LIST = 10_000;

const int = (min: number, max: number) => s.number({ min, max, integer: true });
const list = (item: s.StringOpts) => s.array(s.string(item), { max: MAX_LIST, unique: true });
// Addresses are compared exactly as the review prints them (base58 / lower-case bech32); the pattern catches pasted
// junk, and an address of another network simply never matches.
const ADDRESSES = s.optional(s.nullable(list({ max: 90, min: 14, pattern: /^[A-Za-z0-9]+$/, patternName: 'an address (14 to 90 letters and digits)' })));

// One optional field per rule; a rule absent from the file is inherited (defaults, then DEFAULT_RULES).
const RULES = s.object({
  maxFeeSats: s.optional(s.nullable(int(0, MAX_SAFE))),
  maxFeeBasisPoints: s.optional(int(0, 10_000)),
  maxFeeRateSatPerVb: s.optional(int(1, 10_000_000)),
  maxSpendSats: s.optional(s.nullable(int(0, MAX_SAFE))),
  allowedDestinations: ADDRESSES,
  maxChangeIndex: s.optional(int(0, 0x7fffffff)),
  dustSats: s.optional(int(0, MAX_SAFE)),
  maxPayGoBasisPoints: s.optional(int(0, 10_000)),
  payGoAddresses: ADDRESSES,
  blockWarnings: s.optional(s.boolean()),
  // Only codes the review gives as warnings: a misspelt code would refuse nothing.
  refuseWarnings: s.optional(s.array(s.literal(...REVIEW_WARNING_CODES), { max: REVIEW_WARNING_CODES.length, unique: true })),
});

const POLICY = s.object({
  version: s.number({ min: POLICY_VERSION, max: POLICY_VERSION, integer: true }),
  defaults: s.optional(RULES),
  wallets: s.optional(s.record(RULES, { max: MAX_LIST, key: WALLET_ID_TEXT })),
});

function toPolicyError(e: s.SchemaError): PolicyError {
  const code = e.problem === 'unknown' ? 'policy_unknown_field' : e.path === 'version' ? 'policy_version_unsupported' : 'policy_invalid';
  // An unknown field is named by its own path, as a mistyped rule is what the operator has to find.
  const path = e.problem === 'unknown' ? unknownFieldPath(e) : e.path;
  return new PolicyError(path, e.reason, code);
}

function unknownFieldPath(e: s.SchemaError): string {
  const m = /^unknown field "(.*)"$/.exec(e.reason);
  const key = m ? (JSON.parse(`"${m[1]}"`) as string) : '';
  return e.path === '' ? key : `${e.path}.${key}`;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
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
  const parsed = s.parseWith(POLICY, doc, toPolicyError);
  const defaults: PolicyRules = { ...DEFAULT_RULES, refuseWarnings: [], ...withoutUndefined(parsed.defaults ?? {}) };
  const wallets: Record<string, Partial<PolicyRules>> = Object.create(null) as Record<string, Partial<PolicyRules>>;
  for (const [id, rules] of Object.entries(parsed.wallets ?? {})) wallets[id] = withoutUndefined(rules);
  return finish(defaults, wallets, source);
}

function withoutUndefined<T extends object>(o: T): Partial<PolicyRules> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<PolicyRules>;
}

/** Parses a policy file's text. `source` is a display name (a base name, never a full path). */
export function parsePolicyText(text: string, source = 'policy'): Policy {
  if (text.length > MAX_POLICY_CHARS) throw new PolicyError('', `the file is larger than ${MAX_POLICY_CHARS} characters`, 'policy_too_large');
  const json = parseJsonStrict(text.replace(/^\uFEFF/, ''));
  if ('syntax' in json) throw new PolicyError('', `not valid JSON (${json.syntax.message.slice(0, 120)})`, 'policy_malformed_json');
  if ('duplicate' in json) {
    // JSON.parse would keep the last value: a second "maxSpendSats": null would silently lift the limit.
    const { path, key } = json.duplicate;
    throw new PolicyError(path === '' ? key : `${path}.${key}`, 'appears twice; each rule must be given once', 'policy_duplicate_field');
  }
  return parsePolicy(json.value, source);
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
