// `sign` with authenticated requests (electron/auth), through the real command in a child process with the real key
// file and registry (test/fixtures/bitgo, PROVENANCE.md there), copied to a temporary folder whose registry pins a
// freshly made RSA key for walletA. Each run is its own process, so the replayed token is refused across a restart.
import { test, expect } from '@playwright/test';
import { createHash, createHmac, generateKeyPairSync, randomUUID } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SignJWT, importPKCS8 } from 'jose';
import { importPinnedKey } from '../../../electron/auth/jwt';
import { parseRegistry, serializeRegistry, withAuth } from '../../../electron/registry/registry';
import type { RegisteredAuth } from '../../../shared/registry';
import { runCliProcess } from '../../support/cli';

const fixtures = fileURLToPath(new URL('../../fixtures/bitgo/', import.meta.url));
const fx = (p: string) => join(fixtures, p);
const env = JSON.parse(readFileSync(fx('env.json'), 'utf8')) as Record<string, string>;
const walletA = (JSON.parse(readFileSync(fx('wallets.json'), 'utf8')) as Record<string, { walletId: string }>).walletA!.walletId;
const envA = { [`WALLET_${walletA}_PASSPHRASE`]: env[`WALLET_${walletA}_PASSPHRASE`]! };
const requestFile = readFileSync(fx('cases/p2wsh.request.json'), 'utf8');
/** The body as an envelope carries it: the JSON value's exact characters (the file's final newline is not in it). */
const requestText = requestFile.trimEnd();
const response = JSON.parse(readFileSync(fx('cases/p2wsh.response.json'), 'utf8')) as unknown;
const rsa = () => generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
const sender = rsa();
const stranger = rsa();
const SECRET = 'a shared secret of at least sixteen characters';

async function folder(auth: RegisteredAuth) {
  const dir = mkdtempSync(join(tmpdir(), 'cli-auth-'));
  copyFileSync(fx('keys.json'), join(dir, 'keys.json'));
  const pinned = await importPinnedKey({ pem: sender.publicKey });
  const registry = withAuth(parseRegistry(readFileSync(fx('keys.registry.json'), 'utf8'), 'keys.registry.json'), walletA, () => ({
    jwtKeys: [{ pem: sender.publicKey, fingerprint: pinned.fingerprint, added: { at: '2026-12-06T00:00:00Z' } }],
    hmacSecretSha256: createHash('sha256').update(SECRET).digest('hex'),
    ...auth,
  }));
  writeFileSync(join(dir, 'keys.registry.json'), serializeRegistry(registry));
  writeFileSync(join(dir, 'keys.hmac-secrets.json'), JSON.stringify({ [walletA]: SECRET }));
  return { dir, keys: join(dir, 'keys.json') };
}

async function token(opts: { key?: string; alg?: string; exp?: number; body?: string } = {}) {
  const now = Math.floor(Date.now() / 1000);
  const claims = { bodySha256: createHash('sha256').update(opts.body ?? requestText).digest('hex'), walletId: walletA };
  const jwt = new SignJWT(claims).setProtectedHeader({ alg: opts.alg ?? 'RS256' }).setIssuedAt(opts.exp !== undefined ? opts.exp - 60 : now).setJti(randomUUID()).setExpirationTime(opts.exp ?? now + 120);
  return opts.alg === 'HS256' ? jwt.sign(new TextEncoder().encode(sender.publicKey)) : jwt.sign(await importPKCS8(opts.key ?? sender.privateKey, 'RS256'));
}
const envelope = (signature: string) => `{"signature":${JSON.stringify(signature)},"body":${requestText}}`;
const sign = (keys: string, file: string) => runCliProcess(['sign', '--keys', keys, file], envA);
const codeOf = (r: ReturnType<typeof runCliProcess>) => (r.json() as { code?: string }).code;

test('a JWT envelope signs the body byte for byte as BitGo does; the same token again (a new process) is a replay', async () => {
  const { dir, keys } = await folder({ requireAuthenticatedRequests: 'jwt' });
  const file = join(dir, 'req.signed-request.json');
  writeFileSync(file, envelope(await token()));
  const r = sign(keys, file);
  expect(r.status, r.stdout + r.stderr).toBe(0);
  expect(r.json()).toEqual(response);
  expect(r.stderr).toMatch(/signed request \(JWT RS256\), key [A-Za-z0-9_-]{43}, jti/);
  const again = sign(keys, file);
  expect(codeOf(again)).toBe('auth_jwt_replayed');
});

test('a run refused after the token verified (a wrong passphrase) leaves the token usable: the next run signs with it, the one after is a replay', async () => {
  const { dir, keys } = await folder({ requireAuthenticatedRequests: 'jwt' });
  const file = join(dir, 'req.signed-request.json');
  writeFileSync(file, envelope(await token()));
  const wrong = runCliProcess(['sign', '--keys', keys, file], { [`WALLET_${walletA}_PASSPHRASE`]: 'not the passphrase' });
  expect(wrong.status).not.toBe(0);
  expect(codeOf(wrong)).toBe('wallet_passphrase_incorrect');
  const right = sign(keys, file);
  expect(right.status, right.stdout + right.stderr).toBe(0);
  expect(right.json()).toEqual(response);
  expect(codeOf(sign(keys, file))).toBe('auth_jwt_replayed');
});

test('a sidecar <name>.jwt authenticates a plain request file', async () => {
  const { dir, keys } = await folder({ requireAuthenticatedRequests: 'either' });
  const file = join(dir, 'req.json');
  writeFileSync(file, requestFile);
  writeFileSync(`${file}.jwt`, await token({ body: requestFile }));
  const r = sign(keys, file);
  expect(r.status, r.stdout + r.stderr).toBe(0);
  expect(r.json()).toEqual(response);
});

test('forged, expired, wrong-key, algorithm-confusion and edited-body tokens are refused, each with its code, nothing printed but the error', async () => {
  const { dir, keys } = await folder({});
  const cases: [string, string, string][] = [
    ['wrong key', envelope(await token({ key: stranger.privateKey })), 'auth_jwt_signature_invalid'],
    ['expired', envelope(await token({ exp: Math.floor(Date.now() / 1000) - 3600 })), 'auth_jwt_expired'],
    ['HS256 with the public key', envelope(await token({ alg: 'HS256' })), 'auth_jwt_alg_confusion'],
    ['body edited after signing', `{"signature":${JSON.stringify(await token())},"body":${requestText.replace('"pubs"', ' "pubs"')}}`, 'auth_jwt_body_mismatch'],
  ];
  for (const [what, text, code] of cases) {
    const file = join(dir, `${code}.json`);
    writeFileSync(file, text);
    const r = sign(keys, file);
    expect(r.status, what).toBe(1);
    expect(codeOf(r), what).toBe(code);
  }
});

test('policy: with requireAuthenticatedRequests a plain request is refused (auth_required); without it, it signs as today', async () => {
  const strict = await folder({ requireAuthenticatedRequests: 'hmac' });
  const plain = join(strict.dir, 'plain.json');
  writeFileSync(plain, requestText);
  expect(codeOf(sign(strict.keys, plain))).toBe('auth_required');
  writeFileSync(join(strict.dir, 'jwt.json'), envelope(await token()));
  expect(codeOf(sign(strict.keys, join(strict.dir, 'jwt.json')))).toBe('auth_required');
  const open = await folder({});
  writeFileSync(join(open.dir, 'plain.json'), requestText);
  const r = sign(open.keys, join(open.dir, 'plain.json'));
  expect(r.status, r.stdout + r.stderr).toBe(0);
  expect(r.json()).toEqual(response);
  expect(r.stderr).toContain('plain.json: not authenticated');
});

test('an HMAC V3 envelope verifies with the operator\'s secrets file; a full URL as the path has its own code', async () => {
  const { dir, keys } = await folder({ requireAuthenticatedRequests: 'hmac' });
  const ts = String(Date.now());
  const path = `/api/v2/tbtc/wallet/${walletA}/signtx`;
  const tag = createHmac('sha256', SECRET).update(`POST|${ts}|3.0|${path}|${requestText}`).digest('hex');
  writeFileSync(join(dir, 'h.json'), `{"hmac":"${tag}","authVersion":"3.0","method":"POST","timestamp":"${ts}","path":"${path}","body":${requestText}}`);
  const r = sign(keys, join(dir, 'h.json'));
  expect(r.status, r.stdout + r.stderr).toBe(0);
  expect(r.json()).toEqual(response);
  const url = `https://app.bitgo-test.com${path}`;
  writeFileSync(join(dir, 'u.json'), `{"hmac":"${tag}","authVersion":"3.0","method":"POST","timestamp":"${ts}","path":"${url}","body":${requestText}}`);
  expect(codeOf(sign(keys, join(dir, 'u.json')))).toBe('auth_hmac_path_is_url');
  writeFileSync(join(dir, 'v.json'), `{"hmac":"${tag}","method":"POST","timestamp":"${ts}","path":"${path}","body":${requestText}}`);
  expect(codeOf(sign(keys, join(dir, 'v.json')))).toBe('auth_hmac_version_missing');
});
