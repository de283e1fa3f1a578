// The QR transport hands its payload to the same intake as a file: parseSigningRequest (electron/intake/request.ts)
// takes the assembled bytes whatever format carried them. Proves the hook end to end with BitGo fixture requests:
// a JSON request over BBQr J and UR bytes, and the request's PSBT over UR crypto-psbt and a static base64 frame.
import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { parseSigningRequest } from '../../../electron/intake/request';
import { QrAssembler, type QrPayload } from '../../../shared/qr/assembler';
import { encodeAnimated, encodeStatic } from '../../../shared/qr/encode';

const dir = new URL('../../fixtures/bitgo/cases/', import.meta.url);
const requestBytes = Uint8Array.from(readFileSync(new URL('p2wsh.request.json', dir)));
const request = JSON.parse(new TextDecoder().decode(requestBytes)) as { txPrebuild: { txHex: string; walletId: string } };
const psbt = Uint8Array.from(Buffer.from(request.txPrebuild.txHex, 'hex'));

function receive(frames: string[]): QrPayload {
  const a = new QrAssembler();
  for (const f of frames) {
    const r = a.push(f);
    if (r.status === 'done') return r.payload;
  }
  throw new Error('transfer did not complete');
}

for (const format of ['bbqr', 'ur'] as const) {
  test(`an Express request body over ${format} becomes the same signing input as the file`, () => {
    const payload = receive(encodeAnimated(requestBytes, { format, kind: 'json' }));
    expect(payload.kind).toBe('json');
    const fromQr = parseSigningRequest(payload.bytes, 'QR code');
    const fromFile = parseSigningRequest(requestBytes, 'p2wsh.request.json');
    expect(fromQr.kind).toBe('express');
    expect(fromQr.kind === 'express' && fromQr.walletId).toBe(request.txPrebuild.walletId);
    // The same request, but for the name the operator knows it by.
    expect({ ...fromQr, name: fromFile.name }).toEqual(fromFile);
  });
}

test('the request PSBT over UR crypto-psbt and as a static base64 frame becomes a bare-PSBT signing input', () => {
  const viaUr = receive(encodeAnimated(psbt, { format: 'ur', kind: 'psbt', density: 'low' }));
  const staticText = encodeStatic(psbt, { kind: 'psbt', maxFragmentChars: 4000 }); // 1.7 KB: one dense symbol
  expect(staticText).toBeDefined();
  const viaStatic = receive([staticText!]);
  for (const payload of [viaUr, viaStatic]) {
    expect(payload.kind).toBe('psbt');
    const input = parseSigningRequest(payload.bytes, 'QR code');
    expect(input.kind).toBe('psbt');
  }
});
