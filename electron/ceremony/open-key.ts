// Opening one encrypted key for a ceremony step (signing keySignatures, auditing, re-encrypting, sharding): the
// envelope is decrypted with the default implementation (keystore/envelope.ts), parsed as an xprv and, when a
// published xpub is given, compared with it. The private node is handed to `use` and wiped when it returns.
import type { BIP32Interface } from 'bip32';
import { networks } from 'bitcoinjs-lib';
import { bip32 } from '../crypto/ecc';
import { decryptEnvelope, parseEnvelope, type ParsedEnvelope } from '../keystore/envelope';
import { CeremonyError } from './errors';
import { wipeKey } from './keys';

/** An encrypted key as pasted, scanned or read: a BitGo envelope (v1 or v2) as JSON text. */
export function parseEncryptedKey(text: string, what: string): ParsedEnvelope {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{')) throw new CeremonyError(`${what} is not an encrypted BitGo key (it should start with "{" as a KeyCard box A or B does)`, 'audit_input_invalid');
  return parseEnvelope(trimmed, what);
}

/**
 * The decrypted text as a BIP32 node. The signer's vault reads keys into wipeable byte arrays (keystore/xprv.ts);
 * a ceremony step needs bip32's node (signing keySignatures, deriving xpubs) and wipes its key and chain code after.
 */
function parseXprvText(plaintext: string, what: string): BIP32Interface {
  const text = plaintext.trim();
  const network = text.startsWith('tprv') ? networks.testnet : networks.bitcoin;
  let node: BIP32Interface | undefined;
  try {
    node = /^[xt]prv/.test(text) ? bip32.fromBase58(text, network) : undefined;
  } catch {
    node = undefined;
  }
  if (node === undefined || node.isNeutered()) throw new CeremonyError(`${what} decrypted, but its content is not an extended private key (xprv/tprv)`, 'key_not_xprv');
  return node;
}

export async function withOpenedKey<T>(envelope: ParsedEnvelope | string, passphrase: string, what: string, use: (node: BIP32Interface, xprv: string) => T | Promise<T>): Promise<T> {
  const plaintext = await decryptEnvelope(envelope, passphrase, what);
  const node = parseXprvText(plaintext, what);
  try {
    return await use(node, plaintext.trim());
  } finally {
    wipeKey(node);
  }
}

/** Opens the key and refuses it unless it is the key on record (its xpub equals `expectedXpub`). */
export async function withRecordedKey<T>(envelope: ParsedEnvelope | string, passphrase: string, expectedXpub: string, what: string, use: (node: BIP32Interface, xprv: string) => T | Promise<T>): Promise<T> {
  return withOpenedKey(envelope, passphrase, what, (node, xprv) => {
    if (node.neutered().toBase58() !== expectedXpub) throw new CeremonyError(`${what} decrypted, but to another key than the one on record`, 'ceremony_key_mismatch');
    return use(node, xprv);
  });
}
