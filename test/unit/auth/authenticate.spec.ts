// Unwrapping authenticated requests (electron/auth/authenticate.ts), the step the app's file and QR imports and
// `sign` all go through: an envelope's body is cut out byte for byte (odd spacing, unicode escapes and key order
// kept), a plain body passes through untouched, malformed envelopes are refused, and the policy check.
import { test, expect } from '@playwright/test';
import { createHash, createHmac, generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT, importPKCS8 } from 'jose';
import { authenticate, enforceAuthPolicy, type AuthContext } from '../../../electron/auth/authenticate';
import { importPinnedKey } from '../../../electron/auth/jwt';
import { ReplayStore } from '../../../electron/auth/replay';
import { textFile } from '../../../electron/output/text-file';

const W = '5b34252f1bf349930e34020a00000000';
const BODY = '{ "pubs" : [],\n  "txPrebuild": {"walletId": "5b34252f1bf349930e34020a00000000", "note": "caf\\u00e9 ☕"}  }';
const enc = (s: string) => new TextEncoder().encode(s);
const key = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
const SECRET = 'sixteen-plus-characters-secret';

async function ctx(): Promise<AuthContext> {
  const pinned = await importPinnedKey({ pem: key.publicKey });
  return {
    config: (w) => (w === W ? { jwtKeys: [{ pem: key.publicKey, fingerprint: pinned.fingerprint, added: { at: 'x' } }] } : undefined),
    hmacSecret: (w) => (w === W ? enc(SECRET) : undefined),
    replay: new ReplayStore(textFile(join(mkdtempSync(join(tmpdir(), 'auth-')), 'used.json'))),
    now: () => new Date(),
  };
}
const jwt = async (body: string) =>
  new SignJWT({ bodySha256: createHash('sha256').update(body).digest('hex'), walletId: W }).setProtectedHeader({ alg: 'RS256' }).setIssuedAt().setJti(randomUUID()).setExpirationTime('2m').sign(await importPKCS8(key.privateKey, 'RS256'));
const codeOf = async (p: Promise<unknown>) => p.then(() => 'no error', (e: { code?: string }) => e.code);

test('a plain body passes through byte for byte, not authenticated', async () => {
  const bytes = enc(BODY);
  const r = await authenticate(bytes, 'r.json', undefined, await ctx());
  expect(r.body).toBe(bytes);
  expect(r.auth).toEqual({ scheme: 'none' });
  const psbt = new Uint8Array([0x70, 0x73, 0x62, 0x74, 0xff]);
  expect((await authenticate(psbt, 'x.psbt', undefined, await ctx())).body).toBe(psbt);
});

test('a JWT envelope yields the body\'s exact bytes (spacing, escapes, non-ASCII kept) and who signed it', async () => {
  const r = await authenticate(enc(`{"signature": "${await jwt(BODY)}",\n "body": ${BODY}\n}`), 'r.json', undefined, await ctx());
  expect(new TextDecoder().decode(r.body)).toBe(BODY);
  expect(r.auth.scheme).toBe('jwt');
  expect(r.walletId).toBe(W);
});

test('a sidecar token authenticates a plain body; a sidecar beside an envelope is refused', async () => {
  const c = await ctx();
  expect((await authenticate(enc(BODY), 'r.json', await jwt(BODY), c)).auth.scheme).toBe('jwt');
  expect(await codeOf(authenticate(enc(`{"signature":"${await jwt(BODY)}","body":${BODY}}`), 'r.json', await jwt(BODY), c))).toBe('auth_envelope_invalid');
  expect(await codeOf(authenticate(new Uint8Array([0x70, 0x73, 0x62, 0x74, 0xff]), 'x.psbt', await jwt(BODY), c))).toBe('auth_envelope_invalid');
});

test('malformed envelopes: an extra field, a body that is not an object or names no wallet', async () => {
  const c = await ctx();
  const t = await jwt(BODY);
  expect(await codeOf(authenticate(enc(`{"signature":"${t}","body":${BODY},"kid":"x"}`), 'r.json', undefined, c))).toBe('auth_envelope_invalid');
  expect(await codeOf(authenticate(enc(`{"signature":"${t}","body":"${'a'.repeat(10)}"}`), 'r.json', undefined, c))).toBe('auth_envelope_invalid');
  expect(await codeOf(authenticate(enc(`{"signature":"${t}","body":{"txPrebuild":{}}}`), 'r.json', undefined, c))).toBe('auth_envelope_invalid');
});

test('an HMAC envelope: verified with the secret; without authVersion it is the document\'s third common error', async () => {
  const c = await ctx();
  const ts = String(Date.now());
  const tag = createHmac('sha256', SECRET).update(`POST|${ts}|3.0|/api/v2/tbtc/signtx|${BODY}`).digest('hex');
  const r = await authenticate(enc(`{"hmac":"${tag}","authVersion":"3.0","method":"POST","timestamp":${ts},"path":"/api/v2/tbtc/signtx","body":${BODY}}`), 'h.json', undefined, c);
  expect(r.auth).toMatchObject({ scheme: 'hmac', version: '3.0' });
  expect(new TextDecoder().decode(r.body)).toBe(BODY);
  expect(await codeOf(authenticate(enc(`{"hmac":"${tag}","method":"POST","timestamp":${ts},"path":"/p","body":${BODY}}`), 'h.json', undefined, c))).toBe('auth_hmac_version_missing');
  const other = { ...c, hmacSecret: () => undefined };
  expect(await codeOf(authenticate(enc(`{"hmac":"${tag}","authVersion":"3.0","method":"POST","timestamp":${ts},"path":"/p","body":${BODY}}`), 'h.json', undefined, other))).toBe('auth_hmac_secret_missing');
});

test('the policy: unset accepts anything; jwt, hmac and either refuse what they do not name', () => {
  const none = { scheme: 'none' } as const;
  const j = { scheme: 'jwt', keyFingerprint: 'k', jti: 'j', iat: 0, exp: 1, claim: { kind: 'jwt', walletId: W, id: 'j', untilMs: 1000 } } as const;
  expect(() => enforceAuthPolicy(W, none, undefined, 'r')).not.toThrow();
  for (const [req, auth, ok] of [['jwt', j, true], ['hmac', j, false], ['either', j, true], ['either', none, false], ['jwt', none, false]] as const) {
    const run = () => enforceAuthPolicy(W, auth, req, 'r');
    if (ok) expect(run).not.toThrow();
    else expect(run).toThrow(expect.objectContaining({ code: 'auth_required' }));
  }
});
