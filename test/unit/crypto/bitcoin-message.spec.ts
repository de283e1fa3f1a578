// Bitcoin signed messages against bitcoinjs-message's own vectors (test/fixtures/bitcoin-message, PROVENANCE.md):
// the message hash, and the signer recovered from a signature (valid, wrong message, wrong address, compressed
// and uncompressed keys not cross-verifying), plus malformed signatures that must recover no one.
import { test, expect } from '@playwright/test';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { address } from 'bitcoinjs-lib';
import { bitcoinMessageHash, messageSignerHash160 } from '../../../electron/crypto/bitcoin-message';

const vectors = JSON.parse(readFileSync(new URL('../../fixtures/bitcoin-message/vectors.json', import.meta.url), 'utf8')) as {
  magicHash: { message: string; magicHash: string }[];
  verify: { message: string; address: string; signature: string; valid: boolean; description: string }[];
};
const hex = (b: Uint8Array | undefined) => (b ? Buffer.from(b).toString('hex') : undefined);

for (const v of vectors.magicHash) {
  test(`message hash of ${JSON.stringify(v.message)}`, () => {
    expect(hex(bitcoinMessageHash(v.message))).toBe(v.magicHash);
  });
}

for (const v of vectors.verify) {
  test(`signer of a message signature: ${v.description}`, () => {
    const signer = messageSignerHash160(v.message, Buffer.from(v.signature, 'base64'));
    const expected = Buffer.from(address.fromBase58Check(v.address).hash).toString('hex');
    expect(hex(signer) === expected).toBe(v.valid);
  });
}

test('malformed signatures recover no signer: wrong length, header out of range, r or s zero', () => {
  const good = Buffer.from(vectors.verify[1]!.signature, 'base64');
  const message = vectors.verify[1]!.message;
  expect(messageSignerHash160(message, good)).toBeDefined();
  expect(messageSignerHash160(message, good.subarray(0, 64))).toBeUndefined();
  expect(messageSignerHash160(message, Buffer.concat([good, Buffer.of(0)]))).toBeUndefined();
  for (const header of [0, 26, 35, 42, 255]) expect(messageSignerHash160(message, Buffer.concat([Buffer.of(header), good.subarray(1)]))).toBeUndefined();
  expect(messageSignerHash160(message, Buffer.concat([good.subarray(0, 1), Buffer.alloc(32), good.subarray(33)]))).toBeUndefined();
  expect(messageSignerHash160(message, Buffer.concat([good.subarray(0, 33), Buffer.alloc(32)]))).toBeUndefined();
});

test('a long message uses the 0xfd length prefix (253 bytes and more)', () => {
  const m = 'x'.repeat(300);
  // Independent construction of the same bytes: prefix, 0xfd + little-endian 16-bit length, message.
  const data = Buffer.concat([Buffer.from('\x18Bitcoin Signed Message:\n'), Buffer.of(0xfd, 300 & 0xff, 300 >> 8), Buffer.from(m)]);
  const once = createHash('sha256').update(data).digest();
  expect(hex(bitcoinMessageHash(m))).toBe(createHash('sha256').update(once).digest('hex'));
});
