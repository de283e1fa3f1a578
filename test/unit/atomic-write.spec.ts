import { test, expect } from '@playwright/test';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from '../../electron/output/atomic-write';

const fresh = () => mkdtempSync(join(tmpdir(), 'atomic-'));

test('writes the exact bytes and leaves no temp file', () => {
  const dir = fresh();
  const data = new Uint8Array(300_000).map((_, i) => (i * 7) % 256);
  writeFileAtomic(join(dir, 'out.psbt'), data);
  expect(new Uint8Array(readFileSync(join(dir, 'out.psbt')))).toEqual(data);
  expect(readdirSync(dir)).toEqual(['out.psbt']);
});

test('an existing target is refused by default and left untouched', () => {
  const dir = fresh();
  const target = join(dir, 'signed.json');
  writeFileSync(target, 'original');
  expect(() => writeFileAtomic(target, 'new')).toThrow(expect.objectContaining({ code: 'output_exists' }));
  expect(readFileSync(target, 'utf8')).toBe('original');
  expect(readdirSync(dir)).toEqual(['signed.json']);
  writeFileAtomic(target, 'replaced', { overwrite: true });
  expect(readFileSync(target, 'utf8')).toBe('replaced');
  expect(readdirSync(dir)).toEqual(['signed.json']);
});

test('a missing folder (drive removed) is a clear error and nothing is left', () => {
  const dir = fresh();
  expect(() => writeFileAtomic(join(dir, 'gone', 'x.json'), 'x')).toThrow(/drive removed/);
  expect(readdirSync(dir)).toEqual([]);
});

test('a read-only folder is a clear error and nothing is left', () => {
  test.skip(process.getuid?.() === 0, 'root ignores directory permissions');
  const dir = fresh();
  chmodSync(dir, 0o500);
  try {
    expect(() => writeFileAtomic(join(dir, 'x.json'), 'x')).toThrow(expect.objectContaining({ code: 'output_write_failed' }));
    expect(readdirSync(dir)).toEqual([]);
  } finally {
    chmodSync(dir, 0o700);
  }
});

test('a failure at the final step removes the temp file (target is a folder)', () => {
  const dir = fresh();
  const target = join(dir, 'taken');
  mkdirSync(target);
  expect(() => writeFileAtomic(target, 'x', { overwrite: true })).toThrow(expect.objectContaining({ code: 'output_write_failed' }));
  expect(() => writeFileAtomic(target, 'x')).toThrow(expect.objectContaining({ code: 'output_exists' }));
  expect(readdirSync(dir)).toEqual(['taken']);
});
