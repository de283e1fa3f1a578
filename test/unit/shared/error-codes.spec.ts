// The registry of codes (shared/error-codes.ts): every code has operator words, every registered code is raised
// somewhere in the product, and every code the product raises is registered (the type of SignerError's code
// already refuses an unregistered literal; this also catches codes built at run time or held in other fields).
import { test, expect } from '@playwright/test';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ERROR_CODES, isErrorCode, wordsFor } from '../../../shared/error-codes';

const root = fileURLToPath(new URL('../../../', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(join(root, dir)).flatMap((name) => {
    const rel = `${dir}/${name}`;
    if (statSync(join(root, rel)).isDirectory()) return sources(rel);
    return /\.tsx?$/.test(name) && rel !== 'shared/error-codes.ts' ? [rel] : [];
  });
}
const product = ['electron', 'shared', 'renderer'].flatMap(sources).map((f) => ({ f, text: readFileSync(join(root, f), 'utf8') }));

test('every registered code has operator words: a sentence, no file names or placeholders', () => {
  for (const [room, codes] of Object.entries(ERROR_CODES)) {
    expect(Object.keys(codes).length, room).toBeGreaterThan(0);
    for (const [code, words] of Object.entries(codes)) {
      expect(words, code).toMatch(/^[A-Z].{8,}[.)]$/);
      expect(words, code).not.toMatch(/\$\{|undefined|\/\w+\.(ts|json)/);
      expect(wordsFor(code)).toBe(words);
    }
  }
});

test('a code is registered once, in one room', () => {
  const all = Object.values(ERROR_CODES).flatMap((codes) => Object.keys(codes));
  expect(all.length).toBe(new Set(all).size);
});

test('every registered code is raised somewhere in the product', () => {
  const unused = Object.values(ERROR_CODES)
    .flatMap((codes) => Object.keys(codes))
    .filter((code) => !product.some(({ text }) => text.includes(`'${code}'`)));
  expect(unused).toEqual([]);
});

test('every code the product raises or refuses with is registered', () => {
  // A code is a string literal passed where a code goes: to an error's constructor, to issues.refuse/warn, or as
  // a `code:` property. Literals elsewhere (field names, script types) are not codes.
  const found = new Map<string, string>();
  const patterns = [
    /new \w*Error\(\s*(?:[^()'`]*?,\s*)?'([a-zA-Z_./]+)'/g, // new XError(..., 'code') with the code first or after other args
    /\b(?:refuse|warn)\('([a-z0-9_]+)'/g,
    /\bcode: '([a-zA-Z0-9_./]+)'/g,
    /\bcode === '([a-zA-Z0-9_./]+)'/g,
    /, '([a-z][a-z0-9]*_[a-z0-9_]+)'\)(?:;|,|\s*\))/g,
  ];
  for (const { f, text } of product) {
    for (const re of patterns) for (const m of text.matchAll(re)) if (/_|^ERR_|^usage$|^Parse/.test(m[1]!)) found.set(m[1]!, f);
  }
  const unregistered = [...found].filter(([code]) => !isErrorCode(code)).map(([code, f]) => `${code} (${f})`);
  expect(found.size).toBeGreaterThan(150);
  expect(unregistered).toEqual([]);
});
