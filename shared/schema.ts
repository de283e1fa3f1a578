// A tiny, dependency-free schema validator for IPC payloads (renderer -> main).
//
// Every payload that crosses IPC is hostile until this says otherwise: objects are strict (an unknown key is an
// error, not silently dropped), strings and arrays have maximum lengths, numbers are finite and bounded. Failures
// name the field path ("walletId", "items[3].name") and say what was expected and what came, but never echo the
// value itself: a payload may carry a passphrase.
import { SignerError } from './errors';

export class SchemaError extends SignerError {
  readonly path: string;
  constructor(path: string, message: string) {
    super('SchemaError', `${path === '' ? 'payload' : path}: ${message}`, 'ipc_payload_invalid');
    this.path = path;
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

export function array<T>(item: Schema<T>, opts: { max: number }): Schema<T[]> {
  return {
    kind: 'array',
    parse(v, path = '') {
      if (!Array.isArray(v)) throw new SchemaError(path, `expected an array, got ${kindOf(v)}`);
      if (v.length > opts.max) throw new SchemaError(path, `more than ${opts.max} items (got ${v.length})`);
      return v.map((x, i) => item.parse(x, join(path, i)));
    },
  };
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

/** A strict object: every key of `shape` is checked, and any other key is refused by name. */
export function object<S extends Shape>(shape: S): Schema<ObjectOf<S>> {
  const known = new Set(Object.keys(shape));
  return {
    kind: 'object',
    parse(v, path = '') {
      if (!isPlainObject(v)) throw new SchemaError(path, `expected an object, got ${kindOf(v)}`);
      for (const key of Object.keys(v)) {
        // Key names come from the caller: print them bounded, they are field names, not values.
        if (!known.has(key)) throw new SchemaError(path, `unknown field ${JSON.stringify(key.slice(0, 64))}`);
      }
      const out: Record<string, unknown> = {};
      for (const [key, schema] of Object.entries(shape)) {
        const value = Object.prototype.hasOwnProperty.call(v, key) ? v[key] : undefined;
        if (value === undefined && !('optional' in schema)) throw new SchemaError(join(path, key), 'is required');
        const parsed = schema.parse(value, join(path, key));
        if (parsed !== undefined) out[key] = parsed;
      }
      return out as ObjectOf<S>;
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
