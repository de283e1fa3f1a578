// Authenticated signing requests made on the test side, never by the code under test: RSA keys from node:crypto,
// JWTs from `jose`, HMAC tags from node:crypto's createHmac, around BitGo's p2wsh fixture request for walletA
// (test/fixtures/bitgo, PROVENANCE.md there). Plus the operator's steps on the Wallets screen through the real
// router (workflow-harness.ts): pin the sender's key after comparing its thumbprint, provision the HMAC secret.
import { createHash, createHmac, createPublicKey, generateKeyPairSync, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { SignJWT, UnsecuredJWT, calculateJwkThumbprint, importPKCS8, type JWK } from 'jose';
import type { workflowHarness } from './workflow-harness';

const FIX = new URL('../fixtures/bitgo/', import.meta.url);
export const walletA = (JSON.parse(readFileSync(new URL('wallets.json', FIX), 'utf8')) as Record<string, { walletId: string }>).walletA!.walletId;
export const passphraseA = (JSON.parse(readFileSync(new URL('env.json', FIX), 'utf8')) as Record<string, string>)[`WALLET_${walletA}_PASSPHRASE`]!;
/** The request file as BitGo's fixture has it (with its final newline). */
export const requestFile = readFileSync(new URL('cases/p2wsh.request.json', FIX), 'utf8');
/** The body as an envelope carries it: the JSON value's exact characters. */
export const requestText = requestFile.trimEnd();
/** What the app's export writes for this request: BitGo's own response, byte for byte. */
export const expectedOutput = JSON.stringify({ txHex: (JSON.parse(readFileSync(new URL('cases/p2wsh.response.json', FIX), 'utf8')) as { txHex: string }).txHex });

export const rsa = () => generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
export const sender = rsa();
export const stranger = rsa();
export const SECRET = 'the treasury desk shared secret, 2026';

/** The sender key's RFC 7638 thumbprint, computed here from node:crypto's JWK export. */
export async function thumbprintOf(publicPem: string): Promise<string> {
  const jwk = createPublicKey(publicPem).export({ format: 'jwk' }) as JWK;
  return calculateJwkThumbprint({ kty: 'RSA', n: jwk.n!, e: jwk.e! }, 'sha256');
}

export interface TokenOpts {
  key?: string;
  alg?: 'RS256' | 'HS256' | 'none';
  /** exp in seconds since the epoch, for a token already expired (iat is a minute before it). */
  exp?: number;
  /** Otherwise iat is now and exp this many seconds later (default 120). */
  expiresIn?: number;
  body?: string;
}

/** A request JWT as BitGo's document describes it: jti, iat, exp, bodySha256 and walletId. */
export async function token(opts: TokenOpts = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const exp = opts.exp ?? now + (opts.expiresIn ?? 120);
  const iat = opts.exp !== undefined ? opts.exp - 60 : now;
  const claims = { bodySha256: createHash('sha256').update(opts.body ?? requestText).digest('hex'), walletId: walletA };
  if (opts.alg === 'none') return new UnsecuredJWT(claims).setIssuedAt(iat).setJti(randomUUID()).setExpirationTime(exp).encode();
  const jwt = new SignJWT(claims).setProtectedHeader({ alg: opts.alg ?? 'RS256' }).setIssuedAt(iat).setJti(randomUUID()).setExpirationTime(exp);
  // Algorithm confusion: HS256 keyed with the pinned public key's PEM text, as an attacker who knows it would.
  return opts.alg === 'HS256' ? jwt.sign(new TextEncoder().encode(sender.publicKey)) : jwt.sign(await importPKCS8(opts.key ?? sender.privateKey, 'RS256'));
}

/** A valid token whose payload was edited after signing (a later expiry), the signature kept. */
export async function forged(): Promise<string> {
  const [header, payload, signature] = (await token()).split('.') as [string, string, string];
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp: number };
  claims.exp += 86_400;
  return `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
}

export const envelope = (signature: string) => `{"signature":${JSON.stringify(signature)},"body":${requestText}}\n`;

/** An HMAC V3 envelope (BitGo's "HMAC Construction": METHOD|timestamp|3.0|path|body), tagged here with createHmac. */
export function hmacEnvelope(opts: { secret?: string; timestamp?: number } = {}): string {
  const ts = String(opts.timestamp ?? Date.now());
  const path = `/api/v2/tbtc/wallet/${walletA}/signtx`;
  const tag = createHmac('sha256', opts.secret ?? SECRET).update(`POST|${ts}|3.0|${path}|${requestText}`).digest('hex');
  return `{"hmac":"${tag}","authVersion":"3.0","method":"POST","timestamp":"${ts}","path":"${path}","body":${requestText}}\n`;
}

type Harness = ReturnType<typeof workflowHarness>;

/** The operator pins the sender's key: main shows its thumbprint, the operator types its last four characters. */
export async function pinSender(h: Harness, publicKey = sender.publicKey): Promise<string> {
  const checked = await h.call('registryKeyCheck', { walletId: walletA, key: publicKey });
  const expected = await thumbprintOf(publicKey);
  if (checked.fingerprint !== expected) throw new Error(`main's thumbprint ${checked.fingerprint} is not ${expected}`);
  await h.call('registryPinKey', { walletId: walletA, key: publicKey, lastCharacters: expected.slice(-4) });
  return expected;
}

/** The operator provisions the shared secret from a file on the (first) drive. */
export async function provisionSecret(h: Harness, file = 'hmac-secret.txt'): Promise<void> {
  const [drive] = await h.call('drivesList', {});
  await h.call('registryHmacSecret', { walletId: walletA, driveId: drive!.id, file });
}

/** Imports files from the first drive; returns each result's requestId or error code. */
export async function importFiles(h: Harness, files: string[]): Promise<(string | undefined)[]> {
  const [drive] = await h.call('drivesList', {});
  const results = await h.call('requestsImport', { driveId: drive!.id, files });
  return results.map((r) => (r.ok ? r.requestId : r.error.code));
}

/** Unlocks walletA, approves the request as reviewed, signs and exports it; returns the exported file's name. */
export async function signAndExport(h: Harness, requestId: string): Promise<string> {
  await h.call('walletUnlock', { walletId: walletA, passphrase: passphraseA });
  const rev = await h.call('requestReview', { requestId });
  await h.call('requestApprove', { requestId, fingerprint: rev.review.fingerprint.sha256, acknowledged: rev.warningKeys });
  const [signed] = await h.call('requestsSign', { requestIds: [requestId] });
  if (!signed?.ok) throw new Error(`not signed: ${JSON.stringify(signed)}`);
  const [exported] = await h.call('requestsExport', { requestIds: [requestId] });
  if (!exported?.ok || exported.request.output === undefined) throw new Error(`not exported: ${JSON.stringify(exported)}`);
  return exported.request.output;
}
