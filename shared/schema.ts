// A tiny, dependency-free schema validator for every external input: IPC payloads (renderer -> main), request
// bodies, policy files and the legacy format's unspents.
//
// Everything that arrives is hostile until this says otherwise: objects are strict (an unknown key is an error,
// not silently dropped) unless the format is someone else's (BitGo's request body grows fields; `unknownFields:
// 'keep'` validates the known ones and passes the rest through untouched), strings, arrays and maps have maximum
// sizes, numbers are finite and bounded. Failures name the field path ("walletId", "items[3].name") and say what
// was expected and what came, but never echo the value itself: a payload may carry a passphrase.
//
// A SchemaError is an IPC error by default (`ipc_payload_invalid`); the callers that own another format turn it
// into their own coded error with `parseWith`, keeping the path and the reason.
import { SignerError } from './errors';

/** What was wrong: a required field absent, a field the format does not have, or a value of the wrong shape. */
export type SchemaProblem = 'required' | 'unknown' | 'invalid';

export class SchemaError extends SignerError {
  readonly path: string;
  readonly problem: SchemaProblem;
  /** The message without the path: what was expected and what came (never the value). */
  readonly reason: string;
  constructor(path: string, reason: string, problem: SchemaProblem = 'invalid') {
    super('SchemaError', `${path === '' ? 'payload' : path}: ${reason}`, 'ipc_payload_invalid');
    this.path = path;
    this.problem = problem;
    this.reason = reason;
  }
}

/**
 * Parses `value` with `schema`, turning a SchemaError into the caller's own error (which keeps the path and the
 * reason). Other errors pass through.
 */
export function parseWith<T>(schema: Schema<T>, value: unknown, toError: (e: SchemaError) => Error, path = ''): T {
  try {
    return schema.parse(value, path);
  } catch (e) {
    if (e instanceof SchemaError) throw toError(e);
    throw e;
  }
}

export interface Schema<T> {
  readonly kind: string;
  /** Returns the value (typed) or throws SchemaError naming `path`. */
  parse(value: unknown, path?: string): T;
}

export interface OptionalSchema<T> extends Schema<T | undefined> {
  readonly optional: true;
}

export type Infer<S> = S extends Schema<infer T> ? T : never;

/** What a value is, for error messages: its kind, never its content. */
export function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (v instanceof Uint8Array) return 'bytes';
  if (typeof v === 'object') return 'an object';
  return typeof v;
}

function join(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path === '' ? key : `${path}.${key}`;
}

export interface StringOpts {
  /** Maximum length in UTF-16 code units; required so no field is unbounded. */
  max: number;
  min?: number;
  pattern?: RegExp;
  /** Says what the pattern means, for the error message ("letters and digits"). */
  patternName?: string;
}

export function string(opts: StringOpts): Schema<string> {
  return {
    kind: 'string',
    parse(v, path = '') {
      if (typeof v !== 'string') throw new SchemaError(path, `expected a string, got ${kindOf(v)}`);
      if (v.length > opts.max) throw new SchemaError(path, `longer than ${opts.max} characters (got ${v.length})`);
      if (opts.min !== undefined && v.length < opts.min) {
        throw new SchemaError(path, opts.min === 1 ? 'must not be empty' : `shorter than ${opts.min} characters (got ${v.length})`);
      }
      if (opts.pattern && !opts.pattern.test(v)) throw new SchemaError(path, `must be ${opts.patternName ?? `of the form ${opts.pattern.source}`}`);
      return v;
    },
  };
}

export interface NumberOpts {
  min: number;
  max: number;
  integer?: boolean;
}

export function number(opts: NumberOpts): Schema<number> {
  return {
    kind: 'number',
    parse(v, path = '') {
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new SchemaError(path, `expected a finite number, got ${typeof v === 'number' ? String(v) : kindOf(v)}`);
      if (opts.integer && !Number.isInteger(v)) throw new SchemaError(path, `expected an integer, got ${v}`);
      if (v < opts.min || v > opts.max) throw new SchemaError(path, `must be between ${opts.min} and ${opts.max}, got ${v}`);
      return v;
    },
  };
}

export function boolean(): Schema<boolean> {
  return {
    kind: 'boolean',
    parse(v, path = '') {
      if (typeof v !== 'boolean') throw new SchemaError(path, `expected true or false, got ${kindOf(v)}`);
      return v;
    },
  };
}

export function literal<const L extends readonly (string | number | boolean)[]>(...values: L): Schema<L[number]> {
  return {
    kind: 'literal',
    parse(v, path = '') {
      if (!values.includes(v as L[number])) {
        // The allowed values are ours, so they may be named; the value that came is not echoed.
        throw new SchemaError(path, `must be one of ${values.map((x) => JSON.stringify(x)).join(', ')}`);
      }
      return v as L[number];
    },
  };
}

export function bytes(opts: { max: number }): Schema<Uint8Array> {
  return {
    kind: 'bytes',
    parse(v, path = '') {
      if (!(v instanceof Uint8Array)) throw new SchemaError(path, `expected bytes (Uint8Array), got ${kindOf(v)}`);
      if (v.length > opts.max) throw new SchemaError(path, `more than ${opts.max} bytes (got ${v.length})`);
      return v;
    },
  };
}

export function array<T>(item: Schema<T>, opts: { max: number; min?: number; unique?: boolean }): Schema<T[]> {
  return {
    kind: 'array',
    parse(v, path = '') {
      if (!Array.isArray(v)) throw new SchemaError(path, `expected an array, got ${kindOf(v)}`);
      if (v.length > opts.max) throw new SchemaError(path, `more than ${opts.max} items (got ${v.length})`);
      if (opts.min !== undefined && v.length < opts.min) throw new SchemaError(path, opts.min === 1 ? 'must not be empty' : `fewer than ${opts.min} items (got ${v.length})`);
      // A sparse array ([a, , b]: structured clone keeps holes) would skip its holes in map() and hand main an
      // item that was never checked.
      for (let i = 0; i < v.length; i++) if (!Object.hasOwn(v, i)) throw new SchemaError(join(path, i), 'is missing (the array has a hole)', 'required');
      const out = v.map((x, i) => item.parse(x, join(path, i)));
      if (opts.unique) {
        const seen = new Set<unknown>();
        out.forEach((x, i) => {
          if (seen.has(x)) throw new SchemaError(join(path, i), `repeats item ${out.indexOf(x)}`);
          seen.add(x);
        });
      }
      return out;
    },
  };
}

/** `null` or what `inner` accepts. */
export function nullable<T>(inner: Schema<T>): Schema<T | null> {
  return {
    kind: `${inner.kind} or null`,
    parse(v, path = '') {
      return v === null ? null : inner.parse(v, path);
    },
  };
}

/** The first of `schemas` whose kind matches the value's (e.g. a number or a decimal string). */
export function oneOf<T extends readonly Schema<unknown>[]>(...schemas: T): Schema<Infer<T[number]>> {
  const kinds = schemas.map((x) => x.kind);
  return {
    kind: kinds.join(' or '),
    parse(v, path = '') {
      const match = schemas.find((x) => x.kind === kindName(v));
      if (!match) throw new SchemaError(path, `expected ${kinds.join(' or ')}, got ${kindOf(v)}`);
      return match.parse(v, path) as Infer<T[number]>;
    },
  };
}

function kindName(v: unknown): string {
  if (v instanceof Uint8Array) return 'bytes';
  if (Array.isArray(v)) return 'array';
  return v === null ? 'null' : typeof v;
}

/** Any value, unchecked: for a field whose own parser gives the format's own errors (BitGo's `pubs`). */
export function unchecked(): Schema<unknown> {
  return { kind: 'any', parse: (v) => v };
}

export function optional<T>(inner: Schema<T>): OptionalSchema<T> {
  return {
    kind: inner.kind,
    optional: true,
    parse(v, path = '') {
      return v === undefined ? undefined : inner.parse(v, path);
    },
  };
}

type Shape = Record<string, Schema<unknown>>;
type OptionalKeys<S extends Shape> = { [K in keyof S]: S[K] extends OptionalSchema<unknown> ? K : never }[keyof S];
type RequiredKeys<S extends Shape> = Exclude<keyof S, OptionalKeys<S>>;
type Simplify<T> = { [K in keyof T]: T[K] } & {};
export type ObjectOf<S extends Shape> = Simplify<
  { [K in RequiredKeys<S>]: Infer<S[K]> } & { [K in OptionalKeys<S>]?: Exclude<Infer<S[K]>, undefined> }
>;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v) || v instanceof Uint8Array) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

export interface ObjectOpts {
  /**
   * 'refuse' (the default, for every format this project owns): an unknown key is an error naming it. 'keep' (for
   * a format someone else extends, BitGo's request body): unknown keys are copied through unchecked.
   */
  unknownFields?: 'refuse' | 'keep';
}

/** Sets an own data property, even one named "__proto__" (plain assignment would change the prototype). */
function setOwn(out: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
}

/** An object: every key of `shape` is checked; any other key is refused by name (or kept, see ObjectOpts). */
export function object<S extends Shape>(shape: S, opts: ObjectOpts = {}): Schema<ObjectOf<S>> {
  const known = new Set(Object.keys(shape));
  const keep = opts.unknownFields === 'keep';
  return {
    kind: 'object',
    parse(v, path = '') {
      if (!isPlainObject(v)) throw new SchemaError(path, `expected an object, got ${kindOf(v)}`);
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(v)) {
        if (known.has(key)) continue;
        // Key names come from the caller: print them bounded, they are field names, not values.
        if (!keep) throw new SchemaError(path, `unknown field ${JSON.stringify(key.slice(0, 64))}`, 'unknown');
        setOwn(out, key, v[key]);
      }
      for (const [key, schema] of Object.entries(shape)) {
        const value = Object.prototype.hasOwnProperty.call(v, key) ? v[key] : undefined;
        if (value === undefined && !('optional' in schema)) throw new SchemaError(join(path, key), 'is required', 'required');
        const parsed = schema.parse(value, join(path, key));
        if (parsed !== undefined) setOwn(out, key, parsed);
      }
      return out as ObjectOf<S>;
    },
  };
}

/**
 * An object used as a map (wallet id -> rules, address -> details): at most `max` keys, each checked by `key`,
 * each value by `value`. The result has no prototype, so a key named like an Object method is only ever data.
 */
export function record<T>(value: Schema<T>, opts: { max: number; key: StringOpts }): Schema<Record<string, T>> {
  const keySchema = string(opts.key);
  return {
    kind: 'object',
    parse(v, path = '') {
      if (!isPlainObject(v)) throw new SchemaError(path, `expected an object, got ${kindOf(v)}`);
      const keys = Object.keys(v);
      if (keys.length > opts.max) throw new SchemaError(path, `more than ${opts.max} entries (got ${keys.length})`);
      const out = Object.create(null) as Record<string, T>;
      for (const key of keys) {
        const at = join(path, key.slice(0, 64));
        keySchema.parse(key, at);
        setOwn(out, key, value.parse(v[key], at));
      }
      return out;
    },
  };
}

/** The empty payload: `undefined` is accepted as `{}` so that argument-less calls stay natural. */
export function empty(): Schema<Record<string, never>> {
  const inner = object({});
  return {
    kind: 'object',
    parse(v, path = '') {
      return (v === undefined ? {} : inner.parse(v, path)) as Record<string, never>;
    },
  };
}
