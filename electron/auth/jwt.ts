// JWT (RS256) request authentication, as BitGo's "Request Signing and Verification" describes it: a compact JWS
// (the X-BitGo-Signature value) signed "with the RS256 hashing algorithm, fed by 2048-bit RSA", with "JWT ID and a
// finite expiry", and "the uniqueness of the JWT ID ... enforced in your system". The JOSE work is done by `jose`
// (README "Runtime dependencies"); what this module adds is the signer's own rules, each refused with its own code:
//   - the header: alg "none" (auth_jwt_alg_none), HS256 and kin with the public key as a shared secret, the
//     classic algorithm confusion (auth_jwt_alg_confusion), and any algorithm but RS256 (auth_jwt_alg_refused) are
//     refused before any key is touched;
//   - the key: one of the wallet's pinned RSA public keys, never one the token names or carries (jwk, jku, x5u and
//     x5c headers are ignored), of at least 2048 bits (auth_jwt_key_too_small);
//   - the claims: jti, iat and exp present, iat not in the future, exp not past (auth_jwt_expired, the document's
//     "jwt expired"), exp - iat within the wallet's maximum lifetime, bodySha256 equal to the sha256 (hex) of the
//     exact body bytes, walletId equal to the request's wallet;
//   - the jti, once: refused here when the replay store (replay.ts) has it; used up when the request is accepted.
// Do not change the algorithm list or the order of the checks without review.
import { calculateJwkThumbprint, decodeProtectedHeader, errors as joseErrors, exportJWK, importJWK, importSPKI, jwtVerify, type JWK, type JWTPayload } from 'jose';
import { AuthError } from './errors';
import type { ReplayClaim, ReplayStore } from './replay';
import { sha256Hex } from '../crypto/hash';

/** BitGo's document: RS256 "fed by 2048-bit RSA". */
export const MIN_RSA_BITS = 2048;
/** Clock skew tolerated between the machine that signed the request and this one. */
export const CLOCK_TOLERANCE_SECONDS = 60;
/**
 * The default maximum lifetime (exp - iat). The document recommends a minute or less for HTTP; a request file is
 * carried on a USB drive, so the default is an hour and each wallet may set its own (60 for the document's rule).
 */
export const DEFAULT_MAX_LIFETIME_SECONDS = 3600;

/** A public key pinned for a wallet, as the registry stores it: PEM (SPKI) text or an RSA JWK. */
export type PinnedKeySource = { pem: string } | { jwk: { kty: 'RSA'; n: string; e: string; kid?: string } };

export interface PinnedKey {
  key: CryptoKey;
  /** RFC 7638 JWK thumbprint (SHA-256, base64url): the name the operator compares with the sender's. */
  fingerprint: string;
  bits: number;
}

/** Who authenticated a request, for the review and the audit (public facts only). */
export interface JwtAuth {
  scheme: 'jwt';
  keyFingerprint: string;
  jti: string;
  iat: number;
  exp: number;
  /** The jti to use up when the request is accepted (authenticate.ts consumeAuth). */
  claim: ReplayClaim;
}

/** Imports and checks a pinned key (PEM or JWK); refuses anything but an RSA public key of 2048 bits or more. */
export async function importPinnedKey(source: PinnedKeySource): Promise<PinnedKey> {
  let key: CryptoKey;
  try {
    key = 'pem' in source ? await importSPKI(source.pem.trim(), 'RS256', { extractable: true }) : ((await importJWK({ kty: 'RSA', n: source.jwk.n, e: source.jwk.e }, 'RS256')) as CryptoKey);
  } catch (e) {
    throw new AuthError(`the public key is not an RSA public key in PEM (SPKI) or JWK form (${e instanceof Error ? e.message.slice(0, 120) : 'unreadable'})`, 'auth_jwt_key_invalid');
  }
  if (key.type !== 'public') throw new AuthError('the key given is not a public key', 'auth_jwt_key_invalid');
  const bits = (key.algorithm as RsaHashedKeyAlgorithm).modulusLength;
  if (!(bits >= MIN_RSA_BITS)) throw new AuthError(`the RSA key has ${bits} bits; request signing keys must have at least ${MIN_RSA_BITS}`, 'auth_jwt_key_too_small');
  const jwk = 'pem' in source ? await exportJWK(key) : source.jwk;
  return { key, bits, fingerprint: await calculateJwkThumbprint({ kty: 'RSA', n: jwk.n!, e: jwk.e! } as JWK, 'sha256') };
}

/** The header's algorithm, refused unless RS256: none, HS* (confusion) and the rest each with its own code. */
function checkHeader(token: string): void {
  let alg: unknown;
  try {
    alg = decodeProtectedHeader(token).alg;
  } catch {
    throw new AuthError('the request signature is not a compact JWS (header.payload.signature, base64url)', 'auth_jwt_malformed');
  }
  if (typeof alg !== 'string') throw new AuthError('the request token names no algorithm', 'auth_jwt_malformed');
  if (alg.toLowerCase() === 'none') throw new AuthError('the request token is unsigned (alg "none"); only RS256 is accepted', 'auth_jwt_alg_none');
  if (/^HS/i.test(alg)) throw new AuthError(`the request token claims ${JSON.stringify(alg.slice(0, 10))}, a shared-secret algorithm: verifying it with the pinned RSA public key as the secret would let anyone forge it; only RS256 is accepted`, 'auth_jwt_alg_confusion');
  if (alg !== 'RS256') throw new AuthError(`the request token is signed with ${JSON.stringify(alg.slice(0, 20))}; only RS256 is accepted`, 'auth_jwt_alg_refused');
}

function claimError(e: unknown): AuthError {
  if (e instanceof joseErrors.JWTExpired) return new AuthError('jwt expired: the request token’s exp is past; ask for a new request', 'auth_jwt_expired');
  if (e instanceof joseErrors.JWTClaimValidationFailed) {
    if (e.reason === 'missing') return new AuthError(`the request token lacks the "${e.claim}" claim`, 'auth_jwt_claim_missing');
    if (e.claim === 'iat' || e.claim === 'nbf') return new AuthError(`the request token is not valid yet (its ${e.claim} is in the future; check both clocks)`, 'auth_jwt_not_yet_valid');
    return new AuthError(`the request token's "${e.claim}" claim is invalid (${e.reason})`, 'auth_jwt_malformed');
  }
  if (e instanceof joseErrors.JWTInvalid || e instanceof joseErrors.JWSInvalid) return new AuthError(`the request token is malformed (${e.message.slice(0, 120)})`, 'auth_jwt_malformed');
  return new AuthError('the request token could not be verified', 'auth_jwt_malformed');
}

export interface JwtCheck {
  token: string;
  /** The exact bytes of the request body the token must bind. */
  body: Uint8Array;
  walletId: string;
  keys: readonly PinnedKey[];
  maxLifetimeSeconds: number;
  now: Date;
  replay: ReplayStore;
}

/** Verifies a request token; returns who signed it, or throws an AuthError with the refusal's own code. */
export async function verifyRequestJwt(c: JwtCheck): Promise<JwtAuth> {
  const token = c.token.trim();
  checkHeader(token);
  if (c.keys.length === 0) throw new AuthError(`wallet ${c.walletId} has no pinned public key to verify signed requests with; pin the sender's key first (registry pin-key)`, 'auth_jwt_no_key');
  let verified: { payload: JWTPayload; key: PinnedKey } | undefined;
  let claimFailure: unknown;
  for (const key of c.keys) {
    try {
      const { payload } = await jwtVerify(token, key.key, { algorithms: ['RS256'], currentDate: c.now, clockTolerance: CLOCK_TOLERANCE_SECONDS, maxTokenAge: c.maxLifetimeSeconds, requiredClaims: ['jti', 'iat', 'exp'] });
      verified = { payload, key };
      break;
    } catch (e) {
      if (e instanceof joseErrors.JWSSignatureVerificationFailed) continue;
      // The signature verified with this key (jose checks it before the claims): the claims are what failed.
      claimFailure = e;
      break;
    }
  }
  if (claimFailure !== undefined) throw claimError(claimFailure);
  if (!verified) throw new AuthError(`invalid signature: the request token does not verify with any of the ${c.keys.length} key(s) pinned for wallet ${c.walletId}`, 'auth_jwt_signature_invalid');
  const { payload, key } = verified;
  const { jti, iat, exp } = payload as { jti: unknown; iat: unknown; exp: unknown };
  if (typeof jti !== 'string' || jti.length === 0 || jti.length > 256) throw new AuthError('the request token’s jti must be a string of 1 to 256 characters', 'auth_jwt_malformed');
  if (typeof iat !== 'number' || typeof exp !== 'number') throw new AuthError('the request token’s iat and exp must be numbers', 'auth_jwt_malformed');
  if (exp - iat > c.maxLifetimeSeconds) throw new AuthError(`the request token lives ${exp - iat} seconds (iat to exp); wallet ${c.walletId} allows at most ${c.maxLifetimeSeconds}`, 'auth_jwt_lifetime_too_long');
  if (payload.bodySha256 === undefined) throw new AuthError('the request token lacks the "bodySha256" claim binding the request body', 'auth_jwt_claim_missing');
  if (payload.walletId === undefined) throw new AuthError('the request token lacks the "walletId" claim', 'auth_jwt_claim_missing');
  if (payload.bodySha256 !== sha256Hex(c.body)) throw new AuthError('the request body is not the one the token signed (bodySha256 differs): it was changed after signing', 'auth_jwt_body_mismatch');
  if (payload.walletId !== c.walletId) throw new AuthError(`the request token was signed for wallet ${JSON.stringify(String(payload.walletId).slice(0, 64))}, not ${c.walletId}`, 'auth_jwt_wallet_mismatch');
  const claim: ReplayClaim = { kind: 'jwt', walletId: c.walletId, id: jti, untilMs: (exp + CLOCK_TOLERANCE_SECONDS) * 1000 };
  c.replay.refuseSeen(claim);
  return { scheme: 'jwt', keyFingerprint: key.fingerprint, jti, iat, exp, claim };
}
