// Auditing a key (issue 15 item 4): decrypt a KeyCard box A or B, or a key file entry, with its passphrase and
// compare the key's xpub with the published one (the KeyCard's, BitGo's wallet page). The answer is one of two
// words, said large on the screen and first on the command line. A wrong passphrase is an error, not a mismatch.
import { bip32 } from '../crypto/ecc';
import type { ParsedEnvelope } from '../keystore/envelope';
import { toHex } from '../util/bytes';
import { parsePublishedXpub } from './keys';
import { withOpenedKey } from './open-key';

export interface AuditResult {
  match: boolean;
  /** The decrypted key's xpub and BIP32 fingerprint (public). */
  xpub: string;
  fingerprint: string;
  /** The published key's fingerprint, to say which key it is when they differ. */
  publishedFingerprint: string;
}

export async function auditKey(envelope: ParsedEnvelope, passphrase: string, publishedXpub: string, what: string): Promise<AuditResult> {
  const published = parsePublishedXpub(publishedXpub, 'the published xpub');
  return withOpenedKey(envelope, passphrase, what, (node) => {
    const xpub = node.neutered().toBase58();
    const mine = bip32.fromBase58(xpub);
    const match = mine.publicKey.every((b, i) => b === published.publicKey[i]) && mine.chainCode.every((b, i) => b === published.chainCode[i]);
    return { match, xpub, fingerprint: toHex(node.fingerprint), publishedFingerprint: toHex(published.fingerprint) };
  });
}
