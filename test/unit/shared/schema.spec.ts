// shared/schema.ts: each combinator accepts what it should, refuses with the field path, and never echoes values.
import { test, expect } from '@playwright/test';
import * as s from '../../../shared/schema';

const refuses = (schema: s.Schema<unknown>, value: unknown, message: string) => {
  let caught: unknown;
  try {
    schema.parse(value);
  } catch (e) {
    caught = e;
  }
  expect(caught, `${message}`).toBeInstanceOf(s.SchemaError);
  const err = caught as s.SchemaError;
  expect(err.message).toBe(message);
  expect(err.toData()).toEqual({ error: message, name: 'SchemaError', code: 'ipc_payload_invalid' });
};

test('string: type, max, min, pattern', () => {
  const str = s.string({ max: 5, min: 2, pattern: /^[a-z]+$/, patternName: 'lower-case letters' });
  expect(str.parse('abc')).toBe('abc');
  refuses(str, 1, 'payload: expected a string, got number');
  refuses(str, 'abcdef', 'payload: longer than 5 characters (got 6)');
  refuses(str, 'a', 'payload: shorter than 2 characters (got 1)');
  refuses(str, 'AB', 'payload: must be lower-case letters');
  refuses(s.string({ max: 3, min: 1 }), '', 'payload: must not be empty');
});

test('number: finite, integer, bounds', () => {
  const n = s.number({ min: 0, max: 10, integer: true });
  expect(n.parse(0)).toBe(0);
  expect(n.parse(10)).toBe(10);
  refuses(n, Infinity, 'payload: expected a finite number, got Infinity');
  refuses(n, 2.5, 'payload: expected an integer, got 2.5');
  refuses(n, 11, 'payload: must be between 0 and 10, got 11');
  refuses(n, '1', 'payload: expected a finite number, got string');
  refuses(n, 1n, 'payload: expected a finite number, got bigint');
});

test('boolean, literal, bytes', () => {
  expect(s.boolean().parse(false)).toBe(false);
  refuses(s.boolean(), 'true', 'payload: expected true or false, got string');
  const lit = s.literal('file', 'qr');
  expect(lit.parse('qr')).toBe('qr');
  refuses(lit, 'usb', 'payload: must be one of "file", "qr"');
  const b = s.bytes({ max: 4 });
  expect(b.parse(new Uint8Array(4))).toEqual(new Uint8Array(4));
  refuses(b, new Uint8Array(5), 'payload: more than 4 bytes (got 5)');
  refuses(b, [1, 2], 'payload: expected bytes (Uint8Array), got an array');
  refuses(b, new ArrayBuffer(2), 'payload: expected bytes (Uint8Array), got an object');
});

test('array and nested object paths', () => {
  const schema = s.object({
    items: s.array(s.object({ name: s.string({ max: 3 }), tag: s.optional(s.literal('a')) }), { max: 2 }),
  });
  expect(schema.parse({ items: [{ name: 'x' }, { name: 'y', tag: 'a' }] })).toEqual({ items: [{ name: 'x' }, { name: 'y', tag: 'a' }] });
  refuses(schema, { items: [{ name: 'x' }, { name: 'long' }] }, 'items[1].name: longer than 3 characters (got 4)');
  refuses(schema, { items: [{ name: 'x', tag: 'b' }] }, 'items[0].tag: must be one of "a"');
  refuses(schema, { items: [{}, {}, {}] }, 'items: more than 2 items (got 3)');
  refuses(schema, { items: [{ name: 'x', extra: 1 }] }, 'items[0]: unknown field "extra"');
  refuses(schema, { items: 'x' }, 'items: expected an array, got string');
  refuses(schema, {}, 'items: is required');
});

test('object: strict, plain objects only, optional keys may be absent or undefined', () => {
  const o = s.object({ a: s.string({ max: 9 }), b: s.optional(s.number({ min: 0, max: 1 })) });
  expect(o.parse({ a: 'x' })).toEqual({ a: 'x' });
  expect(o.parse({ a: 'x', b: undefined })).toEqual({ a: 'x' });
  expect(o.parse(Object.assign(Object.create(null) as object, { a: 'x' }))).toEqual({ a: 'x' });
  refuses(o, { a: 'x', ['k'.repeat(100)]: 1 }, `payload: unknown field "${'k'.repeat(64)}"`);
  refuses(o, new Date(), 'payload: expected an object, got an object');
  refuses(o, JSON.parse('{"a":"x","__proto__":{"b":1}}'), 'payload: unknown field "__proto__"');
  refuses(o, { a: undefined }, 'a: is required');
  // An object with another prototype (here one that supplies `a`) is not a plain JSON object: refused.
  refuses(o, Object.setPrototypeOf({}, { a: 'x' }) as object, 'payload: expected an object, got an object');
});

test('empty(): undefined or {} only', () => {
  const e = s.empty();
  expect(e.parse(undefined)).toEqual({});
  expect(e.parse({})).toEqual({});
  refuses(e, { x: 1 }, 'payload: unknown field "x"');
  refuses(e, null, 'payload: expected an object, got null');
});

test('arrays with holes are refused at the first hole (structured clone keeps them; map() would skip them)', () => {
  const list = s.array(s.string({ max: 9 }), { max: 5 });
  // eslint-disable-next-line no-sparse-arrays
  refuses(list, ['a', , 'b'], '[1]: is missing (the array has a hole)');
  refuses(list, new Array(3), '[0]: is missing (the array has a hole)');
  refuses(s.object({ files: list }), { files: Object.assign(['x'], { length: 2 }) }, 'files[1]: is missing (the array has a hole)');
  expect(list.parse(['a', 'b'])).toEqual(['a', 'b']);
});

test('values never appear in messages', () => {
  const secret = 'correct horse battery staple';
  const o = s.object({ walletId: s.string({ max: 8, pattern: /^[a-f0-9]+$/, patternName: 'hex' }), n: s.number({ min: 0, max: 1 }) });
  for (const bad of [{ walletId: secret, n: 0 }, { walletId: 'abc', n: secret }, { walletId: 'abc', n: 0, [secret.slice(0, 3)]: secret }]) {
    try {
      o.parse(bad);
      throw new Error('accepted');
    } catch (e) {
      expect((e as Error).message).not.toContain(secret);
    }
  }
});
