// Changing a key's passphrase, or upgrading a v1 (SJCL) envelope to v2 (issue 15 item 5): the key is opened with
// the old passphrase, encrypted under the new one and opened again with the new one to prove it is the same key
// before anything is written. Nothing is ever written over the old key: a key file entry goes into a NEW key file
// (every other entry copied byte for byte), a KeyCard box into a new text file; the old ones stay as they were.
import type { ParsedEnvelope } from '../keystore/envelope';
import { parseJsonStrict } from '../util/json';
import { encryptVerified, type EnvelopeChoice } from './create';
import { CeremonyError } from './errors';
import { withOpenedKey } from './open-key';

export interface Reencrypted {
  envelope: string;
  xpub: string;
}

export async function reencryptKey(envelope: ParsedEnvelope, oldPassphrase: string, newPassphrase: string, choice: EnvelopeChoice, what: string): Promise<Reencrypted> {
  return withOpenedKey(envelope, oldPassphrase, what, async (node, xprv) => {
    const fresh = await encryptVerified(xprv, newPassphrase, choice);
    return { envelope: fresh, xpub: node.neutered().toBase58() };
  });
}

/** The raw entries of a key file, strings kept exactly as they are (the caller parsed the file with keyfile.ts first). */
export function keyFileEntries(text: string, name: string): [string, string][] {
  const json = parseJsonStrict(text.replace(/^\uFEFF/, ''));
  if (!('value' in json) || typeof json.value !== 'object' || json.value === null || Array.isArray(json.value)) {
    throw new CeremonyError(`${name} is not a key file`, 'ceremony_file_invalid');
  }
  return Object.entries(json.value as Record<string, unknown>).map(([id, v]) => {
    if (typeof v !== 'string') throw new CeremonyError(`${name}: the entry for wallet ${id} is not an encrypted key`, 'ceremony_file_invalid');
    return [id, v];
  });
}

/** A key file's text in Express's format, one wallet per line block: { "<walletId>": "<envelope string>" }. */
export function keyFileText(entries: readonly (readonly [string, string])[]): string {
  return `${JSON.stringify(Object.fromEntries(entries), null, 2)}\n`;
}

/** The key file with one wallet's entry replaced (the others untouched). */
export function withReplacedEntry(text: string, name: string, walletId: string, envelope: string): string {
  const entries = keyFileEntries(text, name);
  if (!entries.some(([id]) => id === walletId)) throw new CeremonyError(`${name} has no entry for wallet ${walletId}`, 'ceremony_file_invalid');
  return keyFileText(entries.map(([id, v]) => [id, id === walletId ? envelope : v] as const));
}

/** The key file with a new wallet's entry added; an entry already there is refused (key_file_entry_exists). */
export function withAddedEntry(text: string | undefined, name: string, walletId: string, envelope: string): string {
  const entries = text === undefined ? [] : keyFileEntries(text, name);
  if (entries.some(([id]) => id === walletId)) throw new CeremonyError(`${name} already holds a key for wallet ${walletId}; it was left untouched`, 'key_file_entry_exists');
  return keyFileText([...entries, [walletId, envelope]]);
}
