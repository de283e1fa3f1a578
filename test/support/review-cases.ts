// The review-rule cases of test/fixtures/review/rules.json (format in the README there): each names a BitGo
// fixture request, edits it as data, and says which review options to use and what must come out. This module
// turns a case into the request text and the options; review/rules.spec.ts reviews it and checks the outcome.
// Every edit must find what it edits (a path, a map, an entry): a typo fails the case instead of leaving the
// request unchanged, which would let a case pass without the rule it names.
import { readFileSync } from 'node:fs';
import type { ReviewOptions } from '../../electron/review/build';
import { addressOf } from '../../electron/review/network';
import { parsePolicy } from '../../electron/review/policy';
import type { ReviewIssue } from '../../shared/review';
import { payGoProofEntry, type PayGoTestKey } from './paygo';
import { entries, keyOrigin, mutateText, setEntry, type Doc } from './review-helpers';

const RULES = new URL('../fixtures/review/rules.json', import.meta.url);
const BITGO = new URL('../fixtures/bitgo/', import.meta.url);

/**
 * A JSON field of the request body: a dotted path (array indexes are numbers, `*` is every key of an object). `set`
 * may add the last key (a claim the base request does not make); `add` and `delete` need it to be there.
 */
export interface JsonEdit { path: string; set?: unknown; add?: number; delete?: true }
/** One PSBT map: an entry set (added or replaced), every entry of a key type removed or edited, or a new empty map. */
export interface PsbtEdit {
  map: 'inputs' | 'outputs';
  index?: number;
  set?: { keyType: number; keyData?: string; value: string };
  remove?: { keyType: number };
  /** originPath: a BIP32 key origin's path (fingerprint kept; "11h" is hardened); sighashByte: a signature's last byte. */
  edit?: { keyType: number; originPath?: (number | string)[]; sighashByte?: number };
  append?: true;
}
/** The PSBT's unsigned transaction: an output's value or script, the locktime, or one more output. */
export interface TxEdit { output?: number; value?: number; valueAdd?: number; script?: string; locktime?: number; addOutput?: { value: number; script: string } }
/**
 * BitGo's PayGo address proof added to output `output` (test/support/paygo.ts), signed by a test key over the
 * testnet address of output `over` (default: its own), with `entropy` (hex; default 64 bytes of 0x5a).
 */
export interface PayGoProofEdit { output: number; key: PayGoTestKey; over?: number; entropy?: string }
export type Mutation = { json: JsonEdit } | { psbt: PsbtEdit } | { tx: TxEdit } | { payGoProof: PayGoProofEdit };

type IssueMatch = Partial<Pick<ReviewIssue, 'input' | 'output'>> & { code: string };
export interface ReviewExpectation {
  /** Issues the review must contain (each compared on the fields given). */
  refusals?: IssueMatch[];
  warnings?: IssueMatch[];
  /** The exact list of codes, in order ([] for none). */
  refusalCodes?: string[];
  warningCodes?: string[];
  /** Warning codes that must not appear. */
  notWarned?: string[];
  /** One refusal with this code for each input. */
  everyInputRefused?: string;
  /** Fields of outputs, by index. */
  outputs?: ({ index: number } & Record<string, unknown>)[];
  /** The exact list of outputs shown as BitGo's PayGo fee ([] for none). */
  payGoOutputs?: number[];
  /** The approval rule on the model: assertSignable with these acknowledgements throws this code. */
  assertSignable?: { acknowledged: 'all'; throws: string };
  /** buildReview throws a SignerError with this code instead of returning a model. */
  throws?: string;
}
export interface ReviewCase {
  description: string;
  /** Why the case exists: the attack or rule it shows. */
  source: string;
  /** The base request, relative to test/fixtures/bitgo/. */
  request: string;
  /** Fields of the base request as it must be before the edits (so an edit is the one the case names). */
  base?: Record<string, unknown>;
  mutate?: Mutation[];
  options?: Omit<ReviewOptions, 'policy'> & { policy?: unknown };
  expect: ReviewExpectation;
}

const EXPECTATIONS = ['refusals', 'warnings', 'refusalCodes', 'warningCodes', 'notWarned', 'everyInputRefused', 'outputs', 'payGoOutputs', 'assertSignable', 'throws'];

/** Replaces {"$ref": "<file relative to rules.json>#/json/pointer"} by the value it points to. */
function resolveRefs(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(resolveRefs);
  if (v === null || typeof v !== 'object') return v;
  const ref = (v as { $ref?: unknown }).$ref;
  if (typeof ref === 'string') {
    const [file, pointer = ''] = ref.split('#');
    let at: unknown = JSON.parse(readFileSync(new URL(file!, RULES), 'utf8'));
    for (const key of pointer.split('/').filter(Boolean)) at = (at as Record<string, unknown>)[key];
    if (at === undefined) throw new Error(`${ref} points to nothing`);
    return at;
  }
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, resolveRefs(x)]));
}

export function loadReviewCases(): ReviewCase[] {
  const cases = (resolveRefs(JSON.parse(readFileSync(RULES, 'utf8'))) as { buildReview: ReviewCase[] }).buildReview;
  for (const c of cases) {
    const keys = Object.keys(c.expect ?? {});
    const unknown = keys.filter((k) => !EXPECTATIONS.includes(k));
    if (!keys.length || unknown.length || !c.source) throw new Error(`${c.description}: needs a source and expectations (unknown: ${unknown.join(', ')})`);
  }
  return cases;
}

export function baseText(c: ReviewCase): string {
  return readFileSync(new URL(c.request, BITGO), 'utf8');
}

/** The fields a dotted path reaches (several with `*`); throws when one is missing (`creating`: only its parent). */
function fieldsAt(root: unknown, path: string, creating = false): [Record<string, unknown>, string][] {
  const keys = path.split('.');
  let parents: unknown[] = [root];
  for (const key of keys.slice(0, -1)) parents = parents.flatMap((p) => (key === '*' ? Object.values(p as object) : [(p as Record<string, unknown>)[key]]));
  const last = keys[keys.length - 1]!;
  const found = parents.map((p) => [p as Record<string, unknown>, last] as [Record<string, unknown>, string]);
  if (!found.length || found.some(([p, k]) => p === null || typeof p !== 'object' || !(creating || k in p))) throw new Error(`no field ${path} in the request`);
  return found;
}

export function jsonAt(root: unknown, path: string): unknown[] {
  return fieldsAt(root, path).map(([p, k]) => p[k]);
}

function applyJson(body: unknown, e: JsonEdit): void {
  for (const [p, k] of fieldsAt(body, e.path, e.set !== undefined)) {
    if (e.delete) delete p[k];
    else if (e.add !== undefined) p[k] = (p[k] as number) + e.add;
    else p[k] = e.set;
  }
}

const bytes = (hex: string) => Uint8Array.from(Buffer.from(hex, 'hex'));
const pathStep = (s: number | string) => (typeof s === 'number' ? s : (Number(s.replace(/h$/, '')) + (s.endsWith('h') ? 0x80000000 : 0)) >>> 0);

function applyPsbt(d: Doc, e: PsbtEdit): void {
  const maps = d[e.map];
  if (e.append) return void maps.push([]);
  const map = maps[e.index ?? -1];
  if (!map) throw new Error(`no ${e.map} map ${e.index}`);
  if (e.set) setEntry(map, e.set.keyType, bytes(e.set.keyData ?? ''), bytes(e.set.value));
  if (e.remove) {
    const kept = map.filter((x) => x.keyType !== e.remove!.keyType);
    if (kept.length === map.length) throw new Error(`no key type ${e.remove.keyType} in ${e.map} map ${e.index}`);
    maps[e.index!] = kept;
  }
  if (e.edit) {
    const { keyType, originPath, sighashByte } = e.edit;
    const found = entries(map, keyType);
    if (!found.length) throw new Error(`no key type ${keyType} in ${e.map} map ${e.index}`);
    for (const x of found) {
      if (originPath) setEntry(map, keyType, x.keyData, keyOrigin(x.value.subarray(0, 4), originPath.map(pathStep)));
      if (sighashByte !== undefined) setEntry(map, keyType, x.keyData, Uint8Array.from([...x.value.subarray(0, x.value.length - 1), sighashByte]));
    }
  }
}

function applyTx(d: Doc, e: TxEdit): void {
  if (e.locktime !== undefined) d.tx.locktime = e.locktime;
  if (e.addOutput) d.tx.outputs.push({ value: BigInt(e.addOutput.value), script: bytes(e.addOutput.script) });
  if (e.output === undefined) return;
  const out = d.tx.outputs[e.output];
  if (!out) throw new Error(`no output ${e.output}`);
  if (e.value !== undefined) out.value = BigInt(e.value);
  if (e.valueAdd !== undefined) out.value += BigInt(e.valueAdd);
  if (e.script !== undefined) out.script = bytes(e.script);
}

function applyPayGoProof(d: Doc, e: PayGoProofEdit): void {
  const map = d.outputs[e.output];
  const signed = d.tx.outputs[e.over ?? e.output];
  const address = signed && addressOf(signed.script, 'testnet');
  if (!map || !address) throw new Error(`no output ${e.output}, or output ${e.over ?? e.output} has no address`);
  map.push(payGoProofEntry(e.key, address, e.entropy === undefined ? undefined : bytes(e.entropy)));
}

/**
 * The case's request text: the base file itself when nothing is edited; otherwise, for a PSBT request, every edit
 * made through mutateText (the PSBT re-serialized byte for byte around them), and for BitGo's legacy format (no
 * PSBT) the JSON edits on the body.
 */
export function caseRequest(c: ReviewCase): string {
  const text = baseText(c);
  if (!c.mutate?.length) return text;
  const isPsbt = (JSON.parse(text) as { txPrebuild?: { txHex?: string } }).txPrebuild?.txHex?.startsWith('70736274ff');
  if (isPsbt) {
    return mutateText(text, (d) => {
      for (const m of c.mutate!) {
        if ('json' in m) applyJson(d.body, m.json);
        else if ('psbt' in m) applyPsbt(d, m.psbt);
        else if ('payGoProof' in m) applyPayGoProof(d, m.payGoProof);
        else applyTx(d, m.tx);
      }
    });
  }
  const body = JSON.parse(text) as unknown;
  for (const m of c.mutate) {
    if (!('json' in m)) throw new Error(`${c.description}: ${c.request} has no PSBT to edit`);
    applyJson(body, m.json);
  }
  return JSON.stringify(body);
}

export function caseOptions(c: ReviewCase): ReviewOptions {
  const { policy, ...rest } = c.options ?? {};
  return policy === undefined ? rest : { ...rest, policy: parsePolicy(policy) };
}
