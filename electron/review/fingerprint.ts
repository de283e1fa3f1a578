// The review fingerprint: a short, stable name for the exact bytes the operator reviewed. The sign step recomputes
// it over the bytes it is about to sign and refuses when they differ (a request swapped or edited after review).
//
// sha256( "offline-signer/review/v1" 0x00 || bytes ), where `bytes` is the request file's content exactly as read
// (an Express body, or a PSBT in binary, base64 or hex). Shown as the first 8 bytes in 4 hex groups, and as the
// same 8 bytes in proquints (16 bits -> consonant-vowel-consonant-vowel-consonant, "Proquints: identifiers that
// are readable, spellable, and pronounceable", D. S. Wilkerson, arXiv:0901.4016), for reading aloud.
import { createHash } from 'node:crypto';
import type { ReviewFingerprint } from '../../shared/review';

const DOMAIN = new TextEncoder().encode('offline-signer/review/v1\u0000');
const CONSONANTS = 'bdfghjklmnprstvz';
const VOWELS = 'aiou';

/** One 16-bit value as a proquint (4 + 2 + 4 + 2 + 4 bits). */
export function proquint(v: number): string {
  const c = (shift: number) => CONSONANTS[(v >> shift) & 0xf]!;
  const o = (shift: number) => VOWELS[(v >> shift) & 0x3]!;
  return `${c(12)}${o(10)}${c(6)}${o(4)}${c(0)}`;
}

/** The fingerprint of `bytes` (a string is taken as its UTF-8 encoding). */
export function reviewFingerprint(bytes: Uint8Array | string): ReviewFingerprint {
  const data = typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes;
  const digest = createHash('sha256').update(DOMAIN).update(data).digest();
  const sha256 = digest.toString('hex');
  const groups = [0, 1, 2, 3].map((i) => sha256.slice(i * 4, i * 4 + 4));
  const words = [0, 1, 2, 3].map((i) => proquint(digest.readUInt16BE(i * 2)));
  return { sha256, short: groups.join('-'), words };
}

/** True when `fingerprint` names exactly these bytes (constant-time is not needed: nothing here is secret). */
export function fingerprintMatches(fingerprint: Pick<ReviewFingerprint, 'sha256'>, bytes: Uint8Array | string): boolean {
  return reviewFingerprint(bytes).sha256 === fingerprint.sha256;
}
