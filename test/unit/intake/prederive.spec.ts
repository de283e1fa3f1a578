// electron/intake/prederive.ts: wallet keys derived before the strict parse. It may only change how fast answers
// come, never which: hostile bytes never make it throw, and a key that is not the wallet's is still checked on the
// curve.
import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { clearPointMemo, ecc } from '../../../electron/crypto/ecc';
import { clearWalletMemos } from '../../../electron/wallet/keys';
import { prederiveWalletKeys } from '../../../electron/intake/prederive';
import { fromHexStrict, toHex } from '../../../electron/util/bytes';
import { parseSigningRequest } from '../../../electron/intake/request';

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../../fixtures/bitgo/cases/${name}.request.json`, import.meta.url), 'utf8')) as { txPrebuild: { txHex: string; walletId: string }; pubs: string[] };

test('derives each claimed wallet path once: 500 inputs of the BitGo fixture, change outputs included', () => {
  const r = fixture('large-p2wsh-500');
  const bytes = fromHexStrict(r.txPrebuild.txHex)!;
  clearWalletMemos();
  const n = prederiveWalletKeys(bytes, r.pubs);
  expect(n).toBeGreaterThanOrEqual(500);
  expect(n).toBeLessThanOrEqual(502);
});

test('bad pubs, garbage and every truncation of a real PSBT: no throw, nothing derived from nothing', () => {
  const r = fixture('p2wsh');
  const bytes = fromHexStrict(r.txPrebuild.txHex)!;
  for (const pubs of [undefined, null, 'xpub', [1, 2, 3], [r.pubs[0]], r.pubs.map((p) => p.replace(/.$/, 'x'))]) {
    expect(prederiveWalletKeys(bytes, pubs)).toBe(0);
  }
  for (let cut = 0; cut < bytes.length; cut += 7) expect(() => prederiveWalletKeys(bytes.subarray(0, cut), r.pubs)).not.toThrow();
  let seed = 7;
  for (let i = 0; i < 300; i++) {
    const m = Uint8Array.from(bytes);
    for (let k = 0; k < 4; k++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      m[seed % m.length] = seed >>> 24;
    }
    expect(() => prederiveWalletKeys(m, r.pubs)).not.toThrow();
  }
});

test('an off-curve key at a wallet path is still refused by the strict parse after pre-derivation', () => {
  const r = fixture('p2wsh');
  const hex = r.txPrebuild.txHex;
  // The first input BIP32 derivation entry: <len 0x22><type 0x06><33-byte key>.
  let at = -1;
  do at = hex.indexOf('2206', at + 1);
  while (at >= 0 && at % 2 !== 0); // a byte boundary, not the middle of one
  expect(at).toBeGreaterThan(0);
  at += 4;
  const key = fromHexStrict(hex.slice(at, at + 66))!;
  const offCurve = Uint8Array.from(key);
  for (let x = 1; ; x++) {
    offCurve.fill(0, 1);
    offCurve[32] = x;
    if (!ecc.isPoint(offCurve)) break;
  }
  const mutated = hex.slice(0, at) + toHex(offCurve) + hex.slice(at + 66);
  clearWalletMemos();
  clearPointMemo();
  const body = JSON.stringify({ ...r, txPrebuild: { ...r.txPrebuild, txHex: mutated } });
  expect(() => parseSigningRequest(body)).toThrow(expect.objectContaining({ code: 'psbt_invalid', message: expect.stringContaining('not a valid secp256k1 point') }) as unknown as Error);
  // And the untouched request still parses (the scan found its wallet paths and the parse accepted its keys).
  expect(parseSigningRequest(JSON.stringify(r)).kind).toBe('express');
});
