// HMAC request tags, as BitGo's "HMAC Construction" describes them:
//   V2: timestamp|path|body            V3: METHOD|timestamp|3.0|path|body
// "concatenate these values into a single string, separating them with the vertical bar (|) character. Then ...
// hash this value using SHA256 with your access token as the key". Here the key is a shared secret provisioned for
// the wallet (a file the operator provides, never in the registry, never logged, never over IPC; the registry keeps
// only its sha256 so a wrong file is named as such). The comparison is constant-time (timingSafeEqual).
//
// The document's three common errors each get their own code, found by recomputing the tag the way the mistake
// would have (the secret is here anyway; the request is refused either way, the code only says what to fix):
//   1. the body serialized wrongly: GET bodies are "", other methods without a body "{}" (auth_hmac_body_serialization);
//   2. a full URL where the path belongs (auth_hmac_path_is_url, refused before any tag is computed);
//   3. the auth version omitted (auth_hmac_version_missing).
// Do not change the subject, the comparison or the window without review.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { AuthError } from './errors';
import type { ReplayClaim, ReplayStore } from './replay';

export type HmacVersion = '2.0' | '3.0';

export interface HmacFields {
  version: HmacVersion;
  /** Upper-case HTTP method; V3 tags it, both versions use it for the body rule. */
  method: string;
  /** The Auth-Timestamp value, as sent (Unix epoch; milliseconds as BitGo's SDK sends, or seconds). */
  timestamp: string;
  /** The X-Original-Uri value: the path only, never a full URL. */
  path: string;
  /** The body text, or undefined for a request without one. */
  body: string | undefined;
}

export interface HmacAuth {
  scheme: 'hmac';
  version: HmacVersion;
  method: string;
  path: string;
  /** The timestamp, as ISO time. */
  at: string;
  /** The first 16 hex digits of the secret's sha256: which secret verified it. */
  secretId: string;
  /** The tag to use up when the request is accepted (authenticate.ts consumeAuth). */
  claim: ReplayClaim;
}

/** The body string the tag covers: the body as sent, or "" for a GET and "{}" for another method without one. */
export function hmacBody(method: string, body: string | undefined): string {
  if (body !== undefined) return body;
  return method === 'GET' ? '' : '{}';
}

/** The string that is tagged. */
export function hmacSubject(f: HmacFields): string {
  const body = hmacBody(f.method, f.body);
  return f.version === '3.0' ? [f.method, f.timestamp, '3.0', f.path, body].join('|') : [f.timestamp, f.path, body].join('|');
}

export function hmacTag(secret: Uint8Array, subject: string): Buffer {
  return createHmac('sha256', secret).update(subject, 'utf8').digest();
}

const sameTag = (a: Buffer, b: Buffer) => a.length === b.length && timingSafeEqual(a, b);

/** A path, not a URL: starts with one "/", has no scheme or authority. */
export function checkPath(path: string): void {
  if (/^[a-z][a-z0-9+.-]*:/i.test(path) || path.startsWith('//')) {
    throw new AuthError(`the HMAC path is a full URL (${JSON.stringify(path.slice(0, 80))}); tag the path only, such as ${JSON.stringify(pathOf(path))}`, 'auth_hmac_path_is_url');
  }
  if (!path.startsWith('/')) throw new AuthError(`the HMAC path must start with "/", got ${JSON.stringify(path.slice(0, 80))}`, 'auth_hmac_malformed');
}

function pathOf(url: string): string {
  const m = /^(?:[a-z][a-z0-9+.-]*:)?\/\/[^/?#]*([^#]*)/i.exec(url);
  return m?.[1] || '/';
}

/** The timestamp as milliseconds: BitGo's SDK sends Date.now(); a value below 10^12 is read as seconds. */
export function timestampMs(timestamp: string): number {
  if (!/^[0-9]{1,16}$/.test(timestamp)) throw new AuthError(`the HMAC timestamp must be a Unix epoch time (digits only), got ${JSON.stringify(timestamp.slice(0, 30))}`, 'auth_hmac_malformed');
  const n = Number(timestamp);
  return n < 1e12 ? n * 1000 : n;
}

export interface HmacCheck {
  fields: HmacFields;
  /** The tag as sent, hex. */
  tag: string;
  secret: Uint8Array;
  secretId: string;
  walletId: string;
  windowSeconds: number;
  now: Date;
  replay: ReplayStore;
}

/** Verifies an HMAC-tagged request; returns what verified, or throws an AuthError with the refusal's own code. */
export function verifyRequestHmac(c: HmacCheck): HmacAuth {
  const f = c.fields;
  if (!/^[A-Z]{3,7}$/.test(f.method)) throw new AuthError(`the HMAC method must be an HTTP method in capitals (GET, POST, ...), got ${JSON.stringify(f.method.slice(0, 10))}`, 'auth_hmac_malformed');
  checkPath(f.path);
  if (!/^[0-9a-f]{64}$/i.test(c.tag)) throw new AuthError('the HMAC tag must be 64 hex digits (HMAC-SHA256)', 'auth_hmac_malformed');
  const at = timestampMs(f.timestamp);
  const sent = Buffer.from(c.tag, 'hex');
  if (!sameTag(sent, hmacTag(c.secret, hmacSubject(f)))) {
    // Which of the document's common errors made this tag, if one did (so the sender knows what to fix).
    const wrongBodies = new Set<string>(['', '{}']);
    if (f.body !== undefined) {
      try {
        wrongBodies.add(JSON.stringify(JSON.parse(f.body)));
      } catch {
        // not JSON: no re-serialized form to try
      }
    }
    wrongBodies.delete(hmacBody(f.method, f.body));
    if ([...wrongBodies].some((b) => sameTag(sent, hmacTag(c.secret, hmacSubject({ ...f, body: b }))))) {
      throw new AuthError(`the HMAC was computed over a wrongly serialized body: for ${f.method} ${f.body === undefined ? `without a body it must be ${f.method === 'GET' ? 'the empty string' : '"{}"'}` : 'it must be the body exactly as sent'}`, 'auth_hmac_body_serialization');
    }
    if (f.version === '3.0') {
      const withoutVersion = [f.method, f.timestamp, f.path, hmacBody(f.method, f.body)].join('|');
      if (sameTag(sent, hmacTag(c.secret, withoutVersion)) || sameTag(sent, hmacTag(c.secret, hmacSubject({ ...f, version: '2.0' })))) {
        throw new AuthError('the HMAC omits the auth version: a V3 tag covers METHOD|timestamp|3.0|path|body', 'auth_hmac_version_missing');
      }
    }
    throw new AuthError(`the request's HMAC tag does not match (secret ${c.secretId}): the request was changed, or tagged with another secret`, 'auth_hmac_invalid');
  }
  if (Math.abs(c.now.getTime() - at) > c.windowSeconds * 1000) {
    throw new AuthError(`the HMAC timestamp ${new Date(at).toISOString()} is more than ${c.windowSeconds} seconds from this machine's time ${c.now.toISOString()}`, 'auth_hmac_timestamp_outside_window');
  }
  const claim: ReplayClaim = { kind: 'hmac', walletId: c.walletId, id: c.tag.toLowerCase(), untilMs: at + c.windowSeconds * 1000 };
  c.replay.refuseSeen(claim);
  return { scheme: 'hmac', version: f.version, method: f.method, path: f.path, at: new Date(at).toISOString(), secretId: c.secretId, claim };
}
