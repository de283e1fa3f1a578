// The operator's HMAC secrets file: { "<walletId>": "<shared secret>" }, provided by the operator beside the key
// file (keys.json -> keys.hmac-secrets.json) or named with --hmac-secrets. The secret never enters the registry
// (which holds its sha256 only), a log, an audit entry or an IPC message; errors about this file name the file and
// the wallet, never a value.
import { basename } from 'node:path';
import { besideKeyFile } from '../util/paths';
import { readFileSync } from 'node:fs';
import { parseJsonStrict } from '../util/json';
import { AuthError } from './errors';

export type HmacSecrets = (walletId: string) => Uint8Array | undefined;

/** keys.json -> keys.hmac-secrets.json, in the same folder. */
export function hmacSecretsPathFor(keysPath: string): string {
  return besideKeyFile(keysPath, 'hmac-secrets.json');
}

/** keys.json -> keys.used-tokens.json, in the same folder (the command line's replay store). */
export function usedTokensPathFor(keysPath: string): string {
  return besideKeyFile(keysPath, 'used-tokens.json');
}

/** Parses a secrets file's text. Values are checked for form only and never quoted back. */
export function parseHmacSecrets(text: string, name: string): HmacSecrets {
  const bad = (why: string) => new AuthError(`the HMAC secrets file ${name} ${why}`, 'auth_hmac_secrets_invalid');
  const json = parseJsonStrict(text.replace(/^\uFEFF/, ''));
  if ('syntax' in json) throw bad('is not valid JSON');
  if ('duplicate' in json) throw bad(`lists wallet ${json.duplicate.key.slice(0, 64)} twice`);
  const doc = json.value;
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw bad('must be an object { "<walletId>": "<secret>" }');
  const secrets = new Map<string, Uint8Array>();
  for (const [walletId, secret] of Object.entries(doc)) {
    if (!/^[A-Za-z0-9]{1,128}$/.test(walletId)) throw bad(`has a key that is not a wallet id (${JSON.stringify(walletId.slice(0, 40))})`);
    if (typeof secret !== 'string' || secret.length < 16 || secret.length > 4096) throw bad(`has, for wallet ${walletId}, a secret that is not a string of 16 to 4096 characters`);
    secrets.set(walletId, new TextEncoder().encode(secret));
  }
  return (walletId) => secrets.get(walletId);
}

/** Reads the secrets file when it exists (none: no wallet has a secret here). */
export function readHmacSecrets(path: string): HmacSecrets {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return () => undefined;
    throw new AuthError(`the HMAC secrets file ${basename(path)} cannot be read (${(e as NodeJS.ErrnoException).code ?? 'unknown error'})`, 'auth_hmac_secrets_invalid');
  }
  return parseHmacSecrets(text, basename(path));
}
