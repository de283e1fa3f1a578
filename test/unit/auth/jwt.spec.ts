// JWT (RS256) request authentication (electron/auth/jwt.ts). The first four tests are the four behaviours of
// BitGo's "Request Signing and Verification" document (its jsonwebtoken/chai test: sign and verify; expiresIn 0
// fails with "jwt expired"; decode shows iat, exp, jti and the payload; an exp edited after signing fails with
// "invalid signature"), with jose signing and our verifier checking. Then every refusal the signer adds, each with
// its own code: alg none, HS256 with the public key (algorithm confusion), other algorithms, a key under 2048 bits,
// a wrong key, not yet valid, missing claims, too long a lifetime, another body or wallet, and a replayed jti, also
// after a restart (a new store over the same file).
import { test, expect } from '@playwright/test';
import { generateKeyPairSync, createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT, decodeJwt, exportJWK, importPKCS8, calculateJwkThumbprint, importSPKI } from 'jose';
import { importPinnedKey, verifyRequestJwt, CLOCK_TOLERANCE_SECONDS, type PinnedKey } from '../../../electron/auth/jwt';
import { ReplayStore } from '../../../electron/auth/replay';
import { consumeAuth } from '../../../electron/auth/authenticate';
import { textFile } from '../../../electron/output/text-file';

const rsa = (bits: number) => generateKeyPairSync('rsa', { modulusLength: bits, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
const sender = rsa(2048);
const stranger = rsa(2048);
const WALLET = '5b34252f1bf349930e34020a00000000';
const body = new TextEncoder().encode('{"txPrebuild":{"walletId":"5b34252f1bf349930e34020a00000000","txHex":"70736274ff"},  "pubs":[]}');
const bodySha256 = createHash('sha256').update(body).digest('hex');
const NOW = new Date('2026-12-06T12:00:00Z');
const nowS = Math.floor(NOW.getTime() / 1000);
const jti = () => `${NOW.toISOString()}:${randomUUID()}`;

let pinned: PinnedKey;
test.beforeAll(async () => {
  pinned = await importPinnedKey({ pem: sender.publicKey });
});

function store(dir = mkdtempSync(join(tmpdir(), 'replay-'))) {
  return { dir, replay: new ReplayStore(textFile(join(dir, 'used-request-tokens.json')), () => NOW) };
}

async function sign(claims: Record<string, unknown>, opts: { alg?: string; key?: string; iat?: number; exp?: number | null; jti?: string | null } = {}) {
  const key = await importPKCS8(opts.key ?? sender.privateKey, opts.alg ?? 'RS256');
  let jwt = new SignJWT({ bodySha256, walletId: WALLET, ...claims }).setProtectedHeader({ alg: opts.alg ?? 'RS256' }).setIssuedAt(opts.iat ?? nowS);
  if (opts.jti !== null) jwt = jwt.setJti(opts.jti ?? jti());
  if (opts.exp !== null) jwt = jwt.setExpirationTime(opts.exp ?? nowS + 100);
  return jwt.sign(key);
}

const verify = (token: string, extra: Partial<Parameters<typeof verifyRequestJwt>[0]> = {}) =>
  verifyRequestJwt({ token, body, walletId: WALLET, keys: [pinned], maxLifetimeSeconds: 3600, now: NOW, replay: store().replay, ...extra });

async function refusal(p: Promise<unknown>): Promise<{ code?: string; message: string }> {
  try {
    await p;
  } catch (e) {
    return { code: (e as { code?: string }).code, message: (e as Error).message };
  }
  throw new Error('expected a refusal');
}

test('document 1: a token signed RS256 with a jti and expiresIn 100 verifies, naming the pinned key by its RFC 7638 thumbprint', async () => {
  const id = jti();
  const auth = await verify(await sign({ foo: 'bar' }, { jti: id }));
  expect(auth).toEqual({ scheme: 'jwt', keyFingerprint: await calculateJwkThumbprint(await exportJWK(await importSPKI(sender.publicKey, 'RS256', { extractable: true }))), jti: id, iat: nowS, exp: nowS + 100, claim: { kind: 'jwt', walletId: WALLET, id, untilMs: (nowS + 100 + CLOCK_TOLERANCE_SECONDS) * 1000 } });
  expect(pinned.bits).toBe(2048);
});

test('document 2: a token with expiresIn 0 is refused as expired ("jwt expired") once past the clock tolerance', async () => {
  const token = await sign({ foo: 'bar' }, { exp: nowS });
  const later = new Date(NOW.getTime() + (CLOCK_TOLERANCE_SECONDS + 1) * 1000);
  const e = await refusal(verify(token, { now: later }));
  expect(e.code).toBe('auth_jwt_expired');
  expect(e.message).toContain('jwt expired');
});

test('document 3: decoding shows iat and exp, the payload and the jti', async () => {
  const id = jti();
  const token = await sign({ foo: 'bar' }, { jti: id, exp: nowS + 1000 });
  const decoded = decodeJwt(token);
  expect(Object.keys(decoded)).toEqual(expect.arrayContaining(['iat', 'exp']));
  expect(decoded).toMatchObject({ foo: 'bar', jti: id });
  expect(await verify(token)).toMatchObject({ jti: id, iat: decoded.iat, exp: decoded.exp });
});

test('document 4: an exp edited in the payload after signing is refused as an invalid signature', async () => {
  const token = await sign({ foo: 'bar' }, { exp: nowS });
  const [h, p, s] = token.split('.') as [string, string, string];
  const payload = Buffer.from(p, 'base64url').toString('utf8').replace(/"exp":[0-9]+/, `"exp":${nowS + 1000}`);
  const hacked = [h, Buffer.from(payload).toString('base64url'), s].join('.');
  expect(decodeJwt(hacked).exp).toBe(nowS + 1000);
  const e = await refusal(verify(hacked));
  expect(e.code).toBe('auth_jwt_signature_invalid');
  expect(e.message).toContain('invalid signature');
});

test('alg "none" is refused before any key is tried, in any letter case', async () => {
  for (const alg of ['none', 'None', 'NONE']) {
    const unsigned = `${Buffer.from(JSON.stringify({ alg, typ: 'JWT' })).toString('base64url')}.${Buffer.from(JSON.stringify({ bodySha256, walletId: WALLET, jti: jti(), iat: nowS, exp: nowS + 60 })).toString('base64url')}.`;
    expect((await refusal(verify(unsigned))).code, alg).toBe('auth_jwt_alg_none');
  }
});

test('algorithm confusion: HS256 keyed with the pinned public key (PEM bytes) is refused', async () => {
  for (const alg of ['HS256', 'HS512']) {
    const forged = await new SignJWT({ bodySha256, walletId: WALLET }).setProtectedHeader({ alg }).setIssuedAt(nowS).setJti(jti()).setExpirationTime(nowS + 60).sign(new TextEncoder().encode(sender.publicKey));
    expect((await refusal(verify(forged))).code, alg).toBe('auth_jwt_alg_confusion');
  }
});

test('any algorithm but RS256 is refused, even when the pinned key signed it (PS256, RS512)', async () => {
  for (const alg of ['PS256', 'RS512']) expect((await refusal(verify(await sign({}, { alg })))).code, alg).toBe('auth_jwt_alg_refused');
});

test('a token signed by another key is an invalid signature; no pinned key at all is its own code', async () => {
  expect((await refusal(verify(await sign({}, { key: stranger.privateKey }))))).toMatchObject({ code: 'auth_jwt_signature_invalid' });
  expect((await refusal(verify(await sign({}), { keys: [] })))).toMatchObject({ code: 'auth_jwt_no_key' });
  // A second pinned key (rotation) is tried too.
  const other = await importPinnedKey({ pem: stranger.publicKey });
  expect(await verify(await sign({}, { key: stranger.privateKey }), { keys: [pinned, other] })).toMatchObject({ keyFingerprint: other.fingerprint });
});

test('a key under 2048 bits, a private key or garbage is refused when pinned; a JWK pins to the same thumbprint as its PEM', async () => {
  const small = rsa(1024);
  expect((await refusal(importPinnedKey({ pem: small.publicKey }))).code).toBe('auth_jwt_key_too_small');
  expect((await refusal(importPinnedKey({ pem: sender.privateKey }))).code).toBe('auth_jwt_key_invalid');
  expect((await refusal(importPinnedKey({ pem: '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----' }))).code).toBe('auth_jwt_key_invalid');
  const jwk = (await exportJWK(await importSPKI(sender.publicKey, 'RS256', { extractable: true }))) as { n: string; e: string };
  expect((await importPinnedKey({ jwk: { kty: 'RSA', n: jwk.n, e: jwk.e } })).fingerprint).toBe(pinned.fingerprint);
});

test('not yet valid: an iat beyond the clock tolerance in the future', async () => {
  const token = await sign({}, { iat: nowS + CLOCK_TOLERANCE_SECONDS + 120, exp: nowS + CLOCK_TOLERANCE_SECONDS + 180 });
  expect((await refusal(verify(token))).code).toBe('auth_jwt_not_yet_valid');
});

test('required claims: jti, exp, iat, bodySha256 and walletId; each missing one is named', async () => {
  expect(await refusal(verify(await sign({}, { jti: null })))).toMatchObject({ code: 'auth_jwt_claim_missing', message: expect.stringContaining('jti') });
  expect(await refusal(verify(await sign({}, { exp: null })))).toMatchObject({ code: 'auth_jwt_claim_missing', message: expect.stringContaining('exp') });
  const key = await importPKCS8(sender.privateKey, 'RS256');
  const noIat = await new SignJWT({ bodySha256, walletId: WALLET }).setProtectedHeader({ alg: 'RS256' }).setJti(jti()).setExpirationTime(nowS + 60).sign(key);
  expect(await refusal(verify(noIat))).toMatchObject({ code: 'auth_jwt_claim_missing', message: expect.stringContaining('iat') });
  expect(await refusal(verify(await sign({ bodySha256: undefined })))).toMatchObject({ code: 'auth_jwt_claim_missing', message: expect.stringContaining('bodySha256') });
  expect(await refusal(verify(await sign({ walletId: undefined })))).toMatchObject({ code: 'auth_jwt_claim_missing', message: expect.stringContaining('walletId') });
});

test('the wallet\'s maximum lifetime: 60 seconds as the document recommends refuses a 100-second token', async () => {
  expect((await refusal(verify(await sign({}), { maxLifetimeSeconds: 60 }))).code).toBe('auth_jwt_lifetime_too_long');
  expect(await verify(await sign({}, { exp: nowS + 60 }), { maxLifetimeSeconds: 60 })).toMatchObject({ scheme: 'jwt' });
});

test('the token binds the exact body bytes and the wallet id', async () => {
  const token = await sign({});
  const respaced = new TextEncoder().encode(new TextDecoder().decode(body).replace('},  "pubs"', '},"pubs"'));
  expect((await refusal(verify(token, { body: respaced }))).code).toBe('auth_jwt_body_mismatch');
  expect((await refusal(verify(await sign({ walletId: 'ffffffffffffffffffffffffffffffff' })))).code).toBe('auth_jwt_wallet_mismatch');
});

test('a jti is accepted once: replayed in the same run, and after a restart (a new store over the same file)', async () => {
  const { dir, replay } = store();
  const token = await sign({});
  // Verified but not accepted (its request was refused later): the token can be tried again.
  await verify(token, { replay });
  const auth = await verify(token, { replay });
  // Accepted: used up.
  consumeAuth(auth, replay);
  expect((await refusal(verify(token, { replay }))).code).toBe('auth_jwt_replayed');
  expect(() => consumeAuth(auth, replay)).toThrow(expect.objectContaining({ code: 'auth_jwt_replayed' }));
  const restarted = new ReplayStore(textFile(join(dir, 'used-request-tokens.json')), () => NOW);
  expect((await refusal(verify(token, { replay: restarted }))).code).toBe('auth_jwt_replayed');
  // Another wallet's store entry does not collide; a fresh jti from the same sender is fine.
  const fresh = await verify(await sign({}), { replay: restarted });
  expect(fresh).toMatchObject({ scheme: 'jwt' });
  consumeAuth(fresh, restarted);
  expect(JSON.parse(readFileSync(join(dir, 'used-request-tokens.json'), 'utf8'))).toMatchObject({ version: 1, jwt: { [WALLET]: expect.any(Object) } });
});

test('a damaged or unwritable replay store refuses the request instead of forgetting what was used', async () => {
  const { dir } = store();
  writeFileSync(join(dir, 'used-request-tokens.json'), '{"version":1,"jwt":{}');
  expect((await refusal(verify(await sign({}), { replay: new ReplayStore(textFile(join(dir, 'used-request-tokens.json')), () => NOW) }))).code).toBe('auth_replay_store_invalid');
  const unwritable = new ReplayStore({ name: 'used.json', read: () => undefined, write: () => { throw Object.assign(new Error('EACCES'), { code: 'EACCES' }); } }, () => NOW);
  // Verifying reads the store only; using the token up is what writes it (when its request is accepted).
  const auth = await verify(await sign({}), { replay: unwritable });
  expect(() => consumeAuth(auth, unwritable)).toThrow(expect.objectContaining({ code: 'auth_replay_store_unwritable' }));
});
