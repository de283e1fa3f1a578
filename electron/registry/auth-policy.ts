// Changes to a registered wallet's request authentication (registry version 2 "auth", see registry.ts): pin a JWT
// public key after the operator confirmed its RFC 7638 thumbprint, unpin one, set requireAuthenticatedRequests and
// maxAgeSeconds, record the shared HMAC secret's sha256. One place for the rules, used by the command line
// (`registry pin-key | set-policy`, cli/registry.ts) and the app's Wallets screen (workflow/registration.ts), so
// the two cannot drift. Each function returns a new registry (withAuth validates it as a file entry would be);
// the caller writes it.
import { createHash } from 'node:crypto';
import type { AuthRequirement, PinnedJwtKey } from '../../shared/registry';
import { AuthError } from '../auth/errors';
import { parseHmacSecrets } from '../auth/secrets';
import { importPinnedKey, type PinnedKey, type PinnedKeySource } from '../auth/jwt';
import { RegistryError, withAuth, type Registry } from './registry';

/** The longest public key text accepted (a 16384-bit RSA key in PEM is about 2.8 KB; JWK a little more). */
export const MAX_PUBLIC_KEY_TEXT = 20_000;

/**
 * A public key as pasted or read from a file: a PEM (SPKI) block, or an RSA JWK as JSON ({"kty":"RSA","n","e"}).
 * Only the public members are kept (a JWK that carries private members is refused: it was not meant to be shared).
 */
export function publicKeySource(text: string): PinnedKeySource {
  const t = text.replace(/^\uFEFF/, '').trim();
  if (t.length > MAX_PUBLIC_KEY_TEXT) throw new AuthError(`the public key text is ${t.length} characters; a request-signing public key is at most ${MAX_PUBLIC_KEY_TEXT}`, 'auth_jwt_key_invalid');
  if (!t.startsWith('{')) {
    if (!t.startsWith('-----BEGIN PUBLIC KEY-----')) throw new AuthError('the public key must be a PEM block starting "-----BEGIN PUBLIC KEY-----" (SPKI) or an RSA JWK as JSON', 'auth_jwt_key_invalid');
    return { pem: t };
  }
  let j: Record<string, unknown>;
  try {
    j = JSON.parse(t) as Record<string, unknown>;
  } catch {
    throw new AuthError('the public key starts with "{" but is not valid JSON (a JWK)', 'auth_jwt_key_invalid');
  }
  if (typeof j !== 'object' || j === null || Array.isArray(j) || j.kty !== 'RSA' || typeof j.n !== 'string' || typeof j.e !== 'string') {
    throw new AuthError('the JWK must be an RSA public key {"kty":"RSA","n":"…","e":"…"}', 'auth_jwt_key_invalid');
  }
  if (['d', 'p', 'q', 'dp', 'dq', 'qi'].some((k) => k in j)) throw new AuthError('the JWK holds private key members (d, p, q…): give the public key only, and treat this private key as exposed', 'auth_jwt_key_invalid');
  return { jwk: { kty: 'RSA', n: j.n, e: j.e } };
}

/** Reads and checks a pasted public key: RSA, 2048 bits or more, and its RFC 7638 thumbprint. */
export async function checkPublicKey(text: string): Promise<{ source: PinnedKeySource; pinned: PinnedKey }> {
  const source = publicKeySource(text);
  return { source, pinned: await importPinnedKey(source) };
}

/** Pins a checked key for a wallet; a key already pinned for it is refused (registry_key_already_pinned). */
export function pinJwtKey(registry: Registry, walletId: string, source: PinnedKeySource, fingerprint: string, at: Date): Registry {
  const entry: PinnedJwtKey = { ...('pem' in source ? { pem: `${source.pem.trim()}\n` } : { jwk: source.jwk }), fingerprint, added: { at: at.toISOString() } };
  return withAuth(registry, walletId, (auth) => {
    if (auth.jwtKeys?.some((k) => k.fingerprint === fingerprint)) throw new RegistryError(`key ${fingerprint} is already pinned for wallet ${walletId}`, 'registry_key_already_pinned');
    return { ...auth, jwtKeys: [...(auth.jwtKeys ?? []), entry] };
  });
}

/** Unpins the key with this thumbprint (registry_key_not_pinned when the wallet has none such). */
export function unpinJwtKey(registry: Registry, walletId: string, fingerprint: string): Registry {
  return withAuth(registry, walletId, (auth) => {
    const keys = auth.jwtKeys ?? [];
    if (!keys.some((k) => k.fingerprint === fingerprint)) throw new RegistryError(`no key ${fingerprint.slice(0, 43)} is pinned for wallet ${walletId}`, 'registry_key_not_pinned');
    const rest = keys.filter((k) => k.fingerprint !== fingerprint);
    const next = { ...auth };
    if (rest.length > 0) next.jwtKeys = rest;
    else delete next.jwtKeys;
    return next;
  });
}

export interface AuthPolicyChange {
  /** 'none' removes the requirement; undefined leaves it as it is. */
  require?: AuthRequirement | 'none';
  /** A whole number of seconds; null goes back to the default (jwt.ts DEFAULT_MAX_LIFETIME_SECONDS); undefined leaves it. */
  maxAgeSeconds?: number | null;
  /** sha256 (hex) of the shared HMAC secret (hmacSecretSha256); undefined leaves it. */
  hmacSecretSha256?: string;
}

/** Sets the wallet's policy fields; validated as a registry entry (maxAgeSeconds 1 s to 30 days). */
export function setAuthPolicy(registry: Registry, walletId: string, change: AuthPolicyChange): Registry {
  return withAuth(registry, walletId, (auth) => {
    const next = { ...auth };
    if (change.require === 'none') delete next.requireAuthenticatedRequests;
    else if (change.require !== undefined) next.requireAuthenticatedRequests = change.require;
    if (change.maxAgeSeconds === null) delete next.maxAgeSeconds;
    else if (change.maxAgeSeconds !== undefined) next.maxAgeSeconds = change.maxAgeSeconds;
    if (change.hmacSecretSha256 !== undefined) next.hmacSecretSha256 = change.hmacSecretSha256;
    return next;
  });
}

/**
 * A shared HMAC secret file's text, for one wallet: either the secret alone (as `registry set-policy --hmac-secret`
 * has always read it: the file's text without surrounding whitespace, one line), or the operator's secrets file
 * { "<walletId>": "<secret>" } (auth/secrets.ts, the form `sign --hmac-secrets` reads), from which the wallet's own
 * secret is taken. Returns the secret's bytes and sha256; the secret itself is never stored in the registry, logged
 * or sent anywhere, and no message quotes it.
 */
export function hmacSecretFromFile(text: string, name: string, walletId: string): { secret: Uint8Array; sha256: string } {
  const clean = text.replace(/^\uFEFF/, '').trim();
  let secret: Uint8Array;
  if (clean.startsWith('{')) {
    const found = parseHmacSecrets(clean, name)(walletId);
    if (!found) throw new AuthError(`the HMAC secrets file ${name} holds no secret for wallet ${walletId}`, 'auth_hmac_secret_missing');
    secret = found;
  } else {
    if (/[\r\n]/.test(clean)) throw new AuthError(`the HMAC secret file ${name} must hold one secret alone, on one line (or be a secrets file {"<walletId>": "<secret>"})`, 'auth_hmac_secrets_invalid');
    if (clean.length < 16 || clean.length > 4096) throw new AuthError(`the HMAC secret file ${name} must hold one secret of 16 to 4096 characters; it holds ${clean.length}`, 'auth_hmac_secrets_invalid');
    secret = new TextEncoder().encode(clean);
  }
  return { secret, sha256: createHash('sha256').update(secret).digest('hex') };
}
