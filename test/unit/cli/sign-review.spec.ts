// The sign command refuses what the review refuses, before any signature, and writes nothing signed.
import { test, expect } from '@playwright/test';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCliProcess } from '../../support/cli';
import { mutateRequest } from '../../support/review-helpers';

const env = JSON.parse(readFileSync(new URL('../../fixtures/bitgo/env.json', import.meta.url), 'utf8')) as Record<string, string>;
const keys = 'test/fixtures/bitgo/keys.json';

test('fake change (a change output whose script is not the wallet\'s) is refused by sign with the review code', () => {
  const fraud = mutateRequest('p2wsh', (d) => {
    // The output carrying wallet derivation data (BitGo's change) now pays somewhere else.
    const o = d.outputs.findIndex((m) => m.some((e) => e.keyType === 0x02));
    expect(o).toBeGreaterThanOrEqual(0);
    d.tx.outputs[o]!.script = Uint8Array.of(0x00, 0x20, ...new Uint8Array(32).fill(0x42));
  });
  const dir = mkdtempSync(join(tmpdir(), 'sign-review-'));
  const input = join(dir, 'fraud.json');
  writeFileSync(input, fraud);
  const out = join(dir, 'fraud.signed.json');
  const r = runCliProcess(['sign', '--keys', keys, '--out', out, input], env);
  expect(r.status).toBe(1);
  const err = r.json() as { name: string; code: string; error: string };
  expect(err.name).toBe('ReviewRefusedError');
  expect(err.code).toBe('change_not_wallet');
  // The --out file holds the error, never a signature.
  expect(readFileSync(out, 'utf8')).not.toContain('70736274');
  expect(readdirSync(dir).sort()).toEqual(['fraud.json', 'fraud.signed.json']);
  expect(readFileSync(input, 'utf8')).toBe(fraud);
});

test('--strict turns a review warning into a refusal; without it the warning is printed and the request signed', () => {
  // A high fee is a warning by default: pay half of the change to fees (outputs shrink, inputs unchanged).
  const highFee = mutateRequest('p2wsh', (d) => {
    const o = d.tx.outputs[0]!;
    o.value = o.value / 2n;
  });
  const dir = mkdtempSync(join(tmpdir(), 'sign-strict-'));
  const input = join(dir, 'fee.json');
  writeFileSync(input, highFee);
  const lax = runCliProcess(['sign', '--keys', keys, input], env);
  expect(lax.status, lax.stdout).toBe(0);
  expect(lax.stderr).toMatch(/warning \(fee_/);
  const strict = runCliProcess(['sign', '--keys', keys, '--strict', input], env);
  expect(strict.status).toBe(1);
  expect((strict.json() as { code: string }).code).toBe('review_warnings_strict');
});
