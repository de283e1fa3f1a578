// HMAC request tags (electron/auth/hmac.ts), as BitGo's "HMAC Construction" describes them: V2
// timestamp|path|body, V3 METHOD|timestamp|3.0|path|body, HMAC-SHA256 keyed by the shared secret. Every expected tag
// is computed here, independently, with node:crypto over a subject written out by hand (never through the code
// under test). Then the document's three common errors, each with its own code, the window, and replays.
import { test, expect } from '@playwright/test';
import { createHmac } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hmacSubject, verifyRequestHmac, type HmacFields } from '../../../electron/auth/hmac';
import { ReplayStore } from '../../../electron/auth/replay';
import { consumeAuth } from '../../../electron/auth/authenticate';
import { textFile } from '../../../electron/output/text-file';

const SECRET = new TextEncoder().encode('v2x3f1c2a6e0d9b8a7f6e5d4c3b2a1f0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1');
const NOW = new Date('2026-12-06T12:00:00.000Z');
const TS = String(NOW.getTime() - 5000);
const PATH = '/api/v2/tbtc/wallet/5b34252f1bf349930e34020a00000000/signtx';
const BODY = '{"txPrebuild":{"walletId":"5b34252f1bf349930e34020a00000000"},"pubs":[]}';
const tagOf = (subject: string) => createHmac('sha256', Buffer.from(SECRET)).update(subject).digest('hex');
const fresh = () => new ReplayStore(textFile(join(mkdtempSync(join(tmpdir(), 'hmac-')), 'used.json')), () => NOW);

const check = (fields: HmacFields, tag: string, replay = fresh()) =>
  verifyRequestHmac({ fields, tag, secret: SECRET, secretId: 'test', walletId: '5b34252f1bf349930e34020a00000000', windowSeconds: 300, now: NOW, replay });
const codeOf = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return (e as { code?: string }).code;
  }
  throw new Error('expected a refusal');
};

// Independent vectors: the subject spelled out as the document lists its parts, joined with "|".
const VECTORS: { name: string; fields: HmacFields; subject: string }[] = [
  { name: 'V2 POST with a body', fields: { version: '2.0', method: 'POST', timestamp: TS, path: PATH, body: BODY }, subject: `${TS}|${PATH}|${BODY}` },
  { name: 'V3 POST with a body', fields: { version: '3.0', method: 'POST', timestamp: TS, path: PATH, body: BODY }, subject: `POST|${TS}|3.0|${PATH}|${BODY}` },
  { name: 'V3 GET: body is the empty string', fields: { version: '3.0', method: 'GET', timestamp: TS, path: '/api/v2/tbtc/wallet', body: undefined }, subject: `GET|${TS}|3.0|/api/v2/tbtc/wallet|` },
  { name: 'V2 GET: body is the empty string', fields: { version: '2.0', method: 'GET', timestamp: TS, path: '/api/v2/ping', body: undefined }, subject: `${TS}|/api/v2/ping|` },
  { name: 'V3 DELETE without a body: {}', fields: { version: '3.0', method: 'DELETE', timestamp: TS, path: '/api/v2/x', body: undefined }, subject: `DELETE|${TS}|3.0|/api/v2/x|{}` },
  { name: 'V2 PUT without a body: {}', fields: { version: '2.0', method: 'PUT', timestamp: TS, path: '/api/v2/x', body: undefined }, subject: `${TS}|/api/v2/x|{}` },
];

for (const v of VECTORS) {
  test(`vector: ${v.name}`, () => {
    expect(hmacSubject(v.fields)).toBe(v.subject);
    expect(check(v.fields, tagOf(v.subject))).toMatchObject({ scheme: 'hmac', version: v.fields.version, method: v.fields.method, path: v.fields.path, at: new Date(Number(TS)).toISOString() });
  });
}

test('a fixed vector: the tag of a known subject and key (as any HMAC-SHA256 library computes it)', () => {
  // RFC 4231-style check of the primitive itself: key "key", message "The quick brown fox jumps over the lazy dog".
  expect(createHmac('sha256', 'key').update('The quick brown fox jumps over the lazy dog').digest('hex')).toBe('f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8');
  const f: HmacFields = { version: '2.0', method: 'POST', timestamp: '1700000000000', path: '/a', body: '{}' };
  const now = new Date(1_700_000_000_000);
  expect(verifyRequestHmac({ fields: f, tag: createHmac('sha256', 'key').update('1700000000000|/a|{}').digest('hex'), secret: new TextEncoder().encode('key'), secretId: 'k', walletId: 'w1', windowSeconds: 60, now, replay: new ReplayStore(textFile(join(mkdtempSync(join(tmpdir(), 'hmac-')), 'u.json')), () => now) })).toMatchObject({ scheme: 'hmac' });
});

test('common error 1: a wrongly serialized body has its own code (GET tagged with "{}", POST without a body tagged with "", a re-serialized body)', () => {
  expect(codeOf(() => check({ version: '3.0', method: 'GET', timestamp: TS, path: '/p', body: undefined }, tagOf(`GET|${TS}|3.0|/p|{}`)))).toBe('auth_hmac_body_serialization');
  expect(codeOf(() => check({ version: '3.0', method: 'POST', timestamp: TS, path: '/p', body: undefined }, tagOf(`POST|${TS}|3.0|/p|`)))).toBe('auth_hmac_body_serialization');
  const spaced = '{ "txPrebuild": { "walletId": "5b34252f1bf349930e34020a00000000" }, "pubs": [] }';
  expect(codeOf(() => check({ version: '2.0', method: 'POST', timestamp: TS, path: PATH, body: spaced }, tagOf(`${TS}|${PATH}|${BODY}`)))).toBe('auth_hmac_body_serialization');
});

test('common error 2: a full URL instead of the path is refused with its own code, whatever the tag', () => {
  const url = `https://app.bitgo-test.com${PATH}`;
  expect(codeOf(() => check({ version: '3.0', method: 'POST', timestamp: TS, path: url, body: BODY }, tagOf(`POST|${TS}|3.0|${url}|${BODY}`)))).toBe('auth_hmac_path_is_url');
  expect(codeOf(() => check({ version: '2.0', method: 'POST', timestamp: TS, path: '//abc.com/test/123', body: BODY }, tagOf('x')))).toBe('auth_hmac_path_is_url');
  expect(codeOf(() => check({ version: '2.0', method: 'POST', timestamp: TS, path: 'test/123', body: BODY }, tagOf('x')))).toBe('auth_hmac_malformed');
});

test('common error 3: a V3 request tagged without the version (or as V2) has its own code', () => {
  const f: HmacFields = { version: '3.0', method: 'POST', timestamp: TS, path: PATH, body: BODY };
  expect(codeOf(() => check(f, tagOf(`POST|${TS}|${PATH}|${BODY}`)))).toBe('auth_hmac_version_missing');
  expect(codeOf(() => check(f, tagOf(`${TS}|${PATH}|${BODY}`)))).toBe('auth_hmac_version_missing');
});

test('another secret, another body or another path: the tag does not match', () => {
  const f: HmacFields = { version: '3.0', method: 'POST', timestamp: TS, path: PATH, body: BODY };
  expect(codeOf(() => check(f, createHmac('sha256', 'other').update(`POST|${TS}|3.0|${PATH}|${BODY}`).digest('hex')))).toBe('auth_hmac_invalid');
  expect(codeOf(() => check({ ...f, body: BODY.replace('pubs', 'pubz') }, tagOf(`POST|${TS}|3.0|${PATH}|${BODY}`)))).toBe('auth_hmac_invalid');
  expect(codeOf(() => check({ ...f, path: '/api/v2/btc/x' }, tagOf(`POST|${TS}|3.0|${PATH}|${BODY}`)))).toBe('auth_hmac_invalid');
  expect(codeOf(() => check(f, 'zz'))).toBe('auth_hmac_malformed');
  expect(codeOf(() => check({ ...f, method: 'post' }, tagOf('x')))).toBe('auth_hmac_malformed');
  expect(codeOf(() => check({ ...f, timestamp: '12:00' }, tagOf('x')))).toBe('auth_hmac_malformed');
});

test('the timestamp window: too old or in the future refused; seconds and milliseconds both read', () => {
  const old = String(NOW.getTime() - 301_000);
  expect(codeOf(() => check({ version: '2.0', method: 'POST', timestamp: old, path: '/p', body: '{}' }, tagOf(`${old}|/p|{}`)))).toBe('auth_hmac_timestamp_outside_window');
  const future = String(NOW.getTime() + 301_000);
  expect(codeOf(() => check({ version: '2.0', method: 'POST', timestamp: future, path: '/p', body: '{}' }, tagOf(`${future}|/p|{}`)))).toBe('auth_hmac_timestamp_outside_window');
  const seconds = String(Math.floor(NOW.getTime() / 1000) - 10);
  expect(check({ version: '2.0', method: 'POST', timestamp: seconds, path: '/p', body: '{}' }, tagOf(`${seconds}|/p|{}`))).toMatchObject({ scheme: 'hmac' });
});

test('a tag is accepted once (V3 replay protection), also after a restart', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hmac-'));
  const f: HmacFields = { version: '3.0', method: 'POST', timestamp: TS, path: PATH, body: BODY };
  const tag = tagOf(`POST|${TS}|3.0|${PATH}|${BODY}`);
  const replay = new ReplayStore(textFile(join(dir, 'used.json')), () => NOW);
  // Verified but not accepted (its request was refused later): the tag can be tried again; accepted, it is used up.
  check(f, tag, replay);
  consumeAuth(check(f, tag, replay), replay);
  expect(codeOf(() => check(f, tag.toUpperCase(), new ReplayStore(textFile(join(dir, 'used.json')), () => NOW)))).toBe('auth_hmac_replayed');
});
