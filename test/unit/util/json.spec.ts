// electron/util/json.ts: JSON.parse, with a key repeated in one object refused by its path (key files, policy
// files and request bodies read through it), checked against JSON.parse on the documents it accepts.
import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { parseJsonStrict } from '../../../electron/util/json';

const duplicate = (text: string) => {
  const r = parseJsonStrict(text);
  return 'duplicate' in r ? r.duplicate : undefined;
};

test('a key repeated in one object is found at any depth, with its path', () => {
  expect(duplicate('{"a":1,"a":2}')).toEqual({ path: '', key: 'a' });
  expect(duplicate('{ "version": 1,\n  "defaults": {\n    "maxSpendSats": 5,\n    "maxSpendSats": null\n  }\n}')).toEqual({ path: 'defaults', key: 'maxSpendSats' });
  expect(duplicate('{"wallets":{"abc":{"maxSpendSats":1,"maxSpendSats":null}}}')).toEqual({ path: 'wallets.abc', key: 'maxSpendSats' });
  expect(duplicate('[{"a":1},{"a":1,"a":3}]')).toEqual({ path: '[1]', key: 'a' });
  expect(duplicate('{"a":[{"x":1}],"b":[{"x":1},{"x":2,"x":3}]}')).toEqual({ path: 'b[1]', key: 'x' });
  expect(duplicate('[[1,2],[3,{"q":1,"q":2}]]')).toEqual({ path: '[1][1]', key: 'q' });
  expect(duplicate('{"a":{"b":1,"c":[{"d":"}"}]},"e\\"f":"g","a":2}')).toEqual({ path: '', key: 'a' });
});

test('keys are compared as JSON.parse reads them: escapes count, and a key spelt two ways is the same key', () => {
  expect(duplicate('{"a":1,"\\u0061":2}')).toEqual({ path: '', key: 'a' });
  expect(duplicate('{"a\\"b":1,"a\\"b":2}')).toEqual({ path: '', key: 'a"b' });
  expect(duplicate('{"a":1,"A":2}')).toBeUndefined();
});

test('the same key in different objects, and braces or quotes inside strings, are not duplicates', () => {
  for (const text of ['{"a":{"a":1},"b":{"a":2}}', '{"a":"}{,\\"a\\":","b":1}', '[{"a":1},{"a":2}]', '{}', '[]', '"x"', '12', 'null', ' {"a" : [ 1 , 2 ] , "b" : { } } ']) {
    const r = parseJsonStrict(text);
    expect(r, text).toEqual({ ok: true, value: JSON.parse(text) });
  }
});

test('invalid JSON is JSON.parse\'s own SyntaxError; real request and policy files parse as JSON.parse does', () => {
  const bad = parseJsonStrict('{"a":1');
  expect('syntax' in bad && bad.syntax).toBeInstanceOf(SyntaxError);
  for (const name of ['bitgo/cases/large-p2wsh-100.request.json', 'bitgo/cases/mixed-all-but-musig2.request.json', 'bitgo/keys.json']) {
    const text = readFileSync(new URL(`../../fixtures/${name}`, import.meta.url), 'utf8');
    expect(parseJsonStrict(text), name).toEqual({ ok: true, value: JSON.parse(text) });
  }
});

test('a deeply nested document does not overflow the stack', () => {
  const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
  expect(parseJsonStrict(deep).ok).toBe(true);
});
