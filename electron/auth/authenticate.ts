// Where a request's authentication is checked, before it is parsed as a signing request: the input's bytes become
// the exact body bytes plus who authenticated them. Three forms arrive:
//   - a plain Express body (or bare PSBT): not authenticated, passed on byte for byte;
//   - a JWT envelope { "signature": "<compact JWS>", "body": <Express body> }, or a plain body with a sidecar
//     "<name>.jwt" holding the token (the X-BitGo-Signature value);
//   - an HMAC envelope { "hmac": "<hex>", "authVersion": "2.0" | "3.0", "method", "timestamp", "path", "body" }.
// The body's bytes are cut out of the envelope exactly as they were written (json-span.ts), so the token's
// bodySha256 and the HMAC cover the bytes that are then reviewed and signed. The wallet's policy
// (requireAuthenticatedRequests, in its registry entry) is applied once the request's wallet is known
// (enforceAuthPolicy).
import type { AuthRequirement, RegisteredAuth } from '../../shared/registry';
import type { RequestAuthView } from '../../shared/review';
import { sha256Hex } from '../crypto/hash';
import { parseJsonStrict } from '../util/json';
import { AuthError } from './errors';
import { verifyRequestHmac, type HmacAuth, type HmacVersion } from './hmac';
import { DEFAULT_MAX_LIFETIME_SECONDS, importPinnedKey, verifyRequestJwt, type JwtAuth } from './jwt';
import { topLevelSpans } from './json-span';
import type { ReplayStore } from './replay';

export type RequestAuth = JwtAuth | HmacAuth | { scheme: 'none' };

export interface AuthContext {
  /** The wallet's authentication settings from its registry entry (undefined: none). */
  config(walletId: string): RegisteredAuth | undefined;
  /** The wallet's shared HMAC secret, from the operator's secrets file (never the registry). */
  hmacSecret(walletId: string): Uint8Array | undefined;
  replay: ReplayStore;
  now(): Date;
}

const JWT_FIELDS = new Set(['signature', 'body']);
const HMAC_FIELDS = new Set(['hmac', 'authVersion', 'method', 'timestamp', 'path', 'body']);

function envelopeError(name: string, why: string): AuthError {
  return new AuthError(`${name}: ${why}`, 'auth_envelope_invalid');
}

/** The wallet an envelope's body names (txPrebuild.walletId), to choose the keys and the secret. */
function bodyWallet(body: unknown, name: string): string {
  const pre = typeof body === 'object' && body !== null ? (body as { txPrebuild?: unknown }).txPrebuild : undefined;
  const walletId = typeof pre === 'object' && pre !== null ? (pre as { walletId?: unknown }).walletId : undefined;
  if (typeof walletId !== 'string' || walletId === '') throw envelopeError(name, 'the authenticated body names no wallet (txPrebuild.walletId)');
  return walletId;
}

/**
 * Unwraps and verifies. `sidecarJwt` is the text of "<name>.jwt" when there is one. Throws an AuthError (its own
 * code per refusal); returns the body's exact bytes and who authenticated them.
 */
export async function authenticate(bytes: Uint8Array, name: string, sidecarJwt: string | undefined, ctx: AuthContext): Promise<{ body: Uint8Array; auth: RequestAuth; walletId?: string }> {
  let text: string | undefined;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    text = undefined; // binary (a PSBT): never an envelope
  }
  const json = text !== undefined && text.trimStart().replace(/^\uFEFF/, '').startsWith('{') ? parseJsonStrict(text.replace(/^\uFEFF/, '')) : undefined;
  const top = json && 'value' in json && typeof json.value === 'object' && json.value !== null && !Array.isArray(json.value) ? (json.value as Record<string, unknown>) : undefined;
  const isEnvelope = top !== undefined && 'body' in top && ('signature' in top || 'hmac' in top);
  if (!isEnvelope) {
    if (sidecarJwt === undefined) return { body: bytes, auth: { scheme: 'none' } };
    if (!top) throw envelopeError(name, `a ${name}.jwt token is beside it, but only an Express request body (JSON) can carry one`);
    const walletId = bodyWallet(top, name);
    return { body: bytes, auth: await checkJwt(sidecarJwt, bytes, walletId, ctx), walletId };
  }
  if (sidecarJwt !== undefined) throw envelopeError(name, `it is an authenticated envelope and has a ${name}.jwt beside it too; give one signature, not two`);
  const clean = text!.replace(/^\uFEFF/, '');
  const span = topLevelSpans(clean).get('body')!;
  const bodyText = clean.slice(span[0], span[1]);
  if (typeof top.body !== 'object' || top.body === null || Array.isArray(top.body)) throw envelopeError(name, 'the envelope\'s "body" must be the Express request object');
  const body = new TextEncoder().encode(bodyText);
  const walletId = bodyWallet(top.body, name);
  if ('signature' in top) {
    const extra = Object.keys(top).find((k) => !JWT_FIELDS.has(k));
    if (extra !== undefined) throw envelopeError(name, `a JWT envelope holds "signature" and "body" only, not ${JSON.stringify(extra.slice(0, 40))}`);
    if (typeof top.signature !== 'string' || top.signature.length > 64 * 1024) throw envelopeError(name, '"signature" must be the compact JWS text');
    return { body, auth: await checkJwt(top.signature, body, walletId, ctx), walletId };
  }
  const extra = Object.keys(top).find((k) => !HMAC_FIELDS.has(k));
  if (extra !== undefined) throw envelopeError(name, `an HMAC envelope holds hmac, authVersion, method, timestamp, path and body only, not ${JSON.stringify(extra.slice(0, 40))}`);
  return { body, auth: checkHmac(top, bodyText, walletId, name, ctx), walletId };
}

async function checkJwt(token: string, body: Uint8Array, walletId: string, ctx: AuthContext): Promise<JwtAuth> {
  const config = ctx.config(walletId);
  const keys = await Promise.all((config?.jwtKeys ?? []).map((k) => importPinnedKey(k.pem !== undefined ? { pem: k.pem } : { jwk: k.jwk! })));
  return verifyRequestJwt({ token, body, walletId, keys, maxLifetimeSeconds: config?.maxAgeSeconds ?? DEFAULT_MAX_LIFETIME_SECONDS, now: ctx.now(), replay: ctx.replay });
}

function checkHmac(top: Record<string, unknown>, bodyText: string, walletId: string, name: string, ctx: AuthContext): HmacAuth {
  const str = (k: string) => {
    const v = top[k];
    if (typeof v === 'number' && k === 'timestamp' && Number.isSafeInteger(v)) return String(v);
    if (typeof v !== 'string' || v.length > 2048) throw new AuthError(`${name}: the HMAC envelope's "${k}" must be a string`, 'auth_hmac_malformed');
    return v;
  };
  if (top.authVersion === undefined) throw new AuthError(`${name}: the HMAC envelope omits authVersion (the Bitgo-Auth-Version header): say "2.0" or "3.0"`, 'auth_hmac_version_missing');
  const version = str('authVersion');
  if (version !== '2.0' && version !== '3.0') throw new AuthError(`${name}: authVersion must be "2.0" or "3.0", got ${JSON.stringify(version.slice(0, 10))}`, 'auth_hmac_malformed');
  const config = ctx.config(walletId);
  const secret = ctx.hmacSecret(walletId);
  if (!secret) throw new AuthError(`no shared HMAC secret is provided for wallet ${walletId}; give the operator's secrets file`, 'auth_hmac_secret_missing');
  const digest = sha256Hex(secret);
  if (config?.hmacSecretSha256 !== undefined && config.hmacSecretSha256 !== digest) {
    throw new AuthError(`the HMAC secret provided for wallet ${walletId} is not the one its registry entry names (sha256 ${config.hmacSecretSha256.slice(0, 16)}…)`, 'auth_hmac_secret_mismatch');
  }
  return verifyRequestHmac({
    fields: { version: version as HmacVersion, method: str('method'), timestamp: str('timestamp'), path: str('path'), body: bodyText },
    tag: str('hmac'),
    secret,
    secretId: digest.slice(0, 16),
    walletId,
    windowSeconds: config?.maxAgeSeconds ?? DEFAULT_MAX_LIFETIME_SECONDS,
    now: ctx.now(),
    replay: ctx.replay,
  });
}

/** Refuses a request whose authentication is not what the wallet's policy requires (auth_required). */
export function enforceAuthPolicy(walletId: string, auth: RequestAuth, require: AuthRequirement | undefined, name: string): void {
  if (require === undefined) return;
  const ok = require === 'either' ? auth.scheme !== 'none' : auth.scheme === require;
  if (!ok) {
    const wanted = require === 'either' ? 'a JWT or an HMAC tag' : require === 'jwt' ? 'a JWT (RS256) signature' : 'an HMAC tag';
    throw new AuthError(`${name}: wallet ${walletId} signs only requests authenticated with ${wanted}; this one is ${auth.scheme === 'none' ? 'not authenticated' : `authenticated with ${auth.scheme === 'jwt' ? 'a JWT' : 'an HMAC tag'}`}`, 'auth_required');
  }
}

/**
 * Uses up the request's token or tag in the replay store (auth_jwt_replayed / auth_hmac_replayed when another
 * request took it meanwhile; auth_replay_store_unwritable when it cannot be recorded). Called once the request is
 * accepted: the app when it is imported, the command line when it has passed the approval gate, before signing.
 */
export function consumeAuth(auth: RequestAuth, replay: ReplayStore): void {
  if (auth.scheme === 'none') return;
  const { kind, walletId, id, untilMs } = auth.claim;
  replay.use(kind, walletId, id, untilMs);
}

/** What the review shows about who sent the request. */
export function authView(auth: RequestAuth): RequestAuthView {
  if (auth.scheme === 'jwt') return { scheme: 'jwt', keyFingerprint: auth.keyFingerprint, jti: auth.jti, expires: new Date(auth.exp * 1000).toISOString() };
  if (auth.scheme === 'hmac') return { scheme: 'hmac', version: auth.version, path: auth.path, at: auth.at, secretId: auth.secretId };
  return { scheme: 'none' };
}

/** The audit's public facts of an authentication: which key or secret, which token, never the token itself. */
export function authAudit(auth: RequestAuth): { scheme?: 'jwt' | 'hmac'; key?: string; jti?: string; exp?: number } {
  if (auth.scheme === 'jwt') return { scheme: 'jwt', key: auth.keyFingerprint, jti: auth.jti, exp: auth.exp };
  if (auth.scheme === 'hmac') return { scheme: 'hmac', key: auth.secretId };
  return {};
}
