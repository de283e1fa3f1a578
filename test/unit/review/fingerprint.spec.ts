// The review fingerprint (electron/review/fingerprint.ts): sha256 over a domain tag and the exact bytes of a BitGo
// fixture request, its proquint words against the published examples, and any one-byte change changes it.
import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { fingerprintMatches, proquint, reviewFingerprint } from '../../../electron/review/fingerprint';

const REQUEST = readFileSync(new URL('../../fixtures/bitgo/cases/p2wsh.request.json', import.meta.url));

test('stable: the fingerprint is sha256 over the domain tag and the exact bytes', () => {
  const f = reviewFingerprint(REQUEST);
  const expected = createHash('sha256').update(Buffer.concat([Buffer.from('offline-signer/review/v1\0'), REQUEST])).digest('hex');
  expect(f.sha256).toBe(expected);
  expect(f.short).toBe(`${expected.slice(0, 4)}-${expected.slice(4, 8)}-${expected.slice(8, 12)}-${expected.slice(12, 16)}`);
  expect(f.words).toHaveLength(4);
  for (const w of f.words) expect(w).toMatch(/^[bdfghjklmnprstvz][aiou][bdfghjklmnprstvz][aiou][bdfghjklmnprstvz]$/);
  expect(reviewFingerprint(new TextDecoder().decode(REQUEST))).toEqual(f);
});

test('proquint follows the published examples (127.0.0.1 = lusab-babad)', () => {
  expect(proquint(0x7f00)).toBe('lusab');
  expect(proquint(0x0001)).toBe('babad');
  expect(proquint(0x3f54)).toBe('gutih');
  expect(proquint(0xdcc1)).toBe('tugad'); // 63.84.220.193 = gutih-tugad
});

test('any single-byte change (or a trailing byte) changes the fingerprint', () => {
  const f = reviewFingerprint(REQUEST);
  for (const pos of [0, 17, REQUEST.length >> 1, REQUEST.length - 1]) {
    const m = Buffer.from(REQUEST);
    m[pos] = m[pos]! ^ 0x01;
    expect(fingerprintMatches(f, m), `byte ${pos}`).toBe(false);
  }
  expect(fingerprintMatches(f, Buffer.concat([REQUEST, Buffer.of(0x0a)]))).toBe(false);
  expect(fingerprintMatches(f, REQUEST)).toBe(true);
});
