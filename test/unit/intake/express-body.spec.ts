// The Express body as the intake reads it (electron/intake/express.ts): a field given twice is refused (two
// parsers could read two requests from one file), amounts that are not numbers JSON can hold exactly are coded
// errors, and amounts written as decimal strings are compared with the PSBT like numbers.
import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { parseSigningRequest } from '../../../electron/intake/request';
import { buildReview } from '../../../electron/review/build';
import { SignerError } from '../../../shared/errors';

const text = (name: string) => readFileSync(new URL(`../../fixtures/bitgo/cases/${name}.request.json`, import.meta.url), 'utf8');

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(SignerError);
    return (e as SignerError).code;
  }
  return undefined;
}

test('a field given twice is refused with its path, wherever it is', () => {
  const body = text('p2wsh');
  const twoTxHex = body.replace('"txHex":', '"txHex":"00","txHex":');
  expect(codeOf(() => parseSigningRequest(twoTxHex, 'x.json'))).toBe('request_duplicate_field');
  expect(() => parseSigningRequest(twoTxHex, 'x.json')).toThrow(/x\.json: txPrebuild\.txHex appears twice/);
  const twoPubs = body.replace('"pubs":', '"pubs":[],"pubs":');
  expect(codeOf(() => parseSigningRequest(twoPubs, 'x.json'))).toBe('request_duplicate_field');
});

test('an amount JSON cannot hold exactly (1e400, 1.5, -1) is a coded refusal naming the field, not a crash', () => {
  const body = JSON.parse(text('p2wsh')) as { txPrebuild: { txInfo: { unspents: { value: unknown }[] } } };
  for (const bad of ['1e400', '1.5', '-1', '"12x"', '9007199254740993']) {
    const mutated = JSON.stringify(body).replace(/"value":\d+/, `"value":${bad}`);
    const err = (() => {
      try {
        parseSigningRequest(mutated, 'x.json');
      } catch (e) {
        return e as SignerError;
      }
      return undefined;
    })();
    expect(err, bad).toBeInstanceOf(SignerError);
    expect(err!.code, bad).toBe('request_field_invalid');
    expect(err!.message, bad).toContain('txPrebuild.txInfo.unspents[0].value');
  }
});

test('an amount written as a decimal string is compared with the PSBT like a number', () => {
  const body = JSON.parse(text('p2wsh')) as { txPrebuild: { txInfo: { unspents: { value: number | string }[] } } };
  const u = body.txPrebuild.txInfo.unspents[0]!;
  const same = { ...body, txPrebuild: { ...body.txPrebuild, txInfo: { ...body.txPrebuild.txInfo, unspents: [{ ...u, value: String(u.value) }, ...body.txPrebuild.txInfo.unspents.slice(1)] } } };
  expect(buildReview(JSON.stringify(same)).refusals).toEqual([]);
  const lie = { ...same, txPrebuild: { ...same.txPrebuild, txInfo: { ...same.txPrebuild.txInfo, unspents: [{ ...u, value: String(Number(u.value) + 1) }, ...body.txPrebuild.txInfo.unspents.slice(1)] } } };
  expect(buildReview(JSON.stringify(lie)).refusals).toContainEqual(expect.objectContaining({ code: 'amount_evidence_conflict', input: 0 }));
});
