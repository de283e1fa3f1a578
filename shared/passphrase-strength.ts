// A coarse strength estimate for a new key passphrase, shared so that the meter on the screen (renderer), the
// rule main enforces and the command line's rule are the same function.
//
// What it is: an upper bound on guessing work in bits, from the passphrase's length and the kinds of characters
// in it, cut down for what guessers try first (repeated characters, runs like "abcd" or "4321", keyboard rows,
// a short list of the most common passwords) and, for passphrases of words, a diceware-like count of about 13 bits
// a word. What it is not: a dictionary attack (zxcvbn's lists are ~800 KB); a passphrase of famous quotes or of
// the operator's own names scores higher here than it deserves. The operator is told so next to the meter.
//
// The rule: fewer than MIN_PASSPHRASE_CHARS characters, or an estimate under MIN_PASSPHRASE_BITS, is refused
// unless the operator explicitly overrides it (the app's "use this weak passphrase anyway" box, the CLI's
// --danger-weak-passphrase). Argon2id (v2) makes each guess cost ~0.2 s of a laptop; PBKDF2 (v1) far less.

export const MIN_PASSPHRASE_CHARS = 12;
export const MIN_PASSPHRASE_BITS = 50;

export type PassphraseRating = 'too-short' | 'weak' | 'fair' | 'good' | 'strong';

export interface PassphraseStrength {
  /** Characters (Unicode code points). */
  length: number;
  /** Estimated bits of guessing work, rounded down. */
  bits: number;
  rating: PassphraseRating;
  /** True when the rule refuses it without an explicit override. */
  refused: boolean;
  /** What lowered the estimate, in the operator's words (no part of the passphrase is ever quoted). */
  notes: string[];
}

const COMMON = ['password', 'passw0rd', 'letmein', 'qwerty', 'azerty', 'qwertz', 'bitcoin', 'bitgo', 'wallet', 'secret', 'admin', 'welcome', 'iloveyou', 'monkey', 'dragon', 'master', 'trustno1', 'abc123', '123456', '111111', 'satoshi'];
const ROWS = ['qwertyuiop', 'asdfghjkl', 'zxcvbnm', '1234567890', 'azertyuiop', 'qwertzuiop', 'yxcvbnm'];

function poolSize(chars: string[]): number {
  let pool = 0;
  if (chars.some((c) => c >= 'a' && c <= 'z')) pool += 26;
  if (chars.some((c) => c >= 'A' && c <= 'Z')) pool += 26;
  if (chars.some((c) => c >= '0' && c <= '9')) pool += 10;
  if (chars.some((c) => c.length === 1 && c.charCodeAt(0) < 128 && !/[a-zA-Z0-9]/.test(c))) pool += 33;
  if (chars.some((c) => c.codePointAt(0)! >= 128)) pool += 100;
  return Math.max(pool, 1);
}

/** Characters that add little: the third and later of a repeat ("aaa") or of a run up or down ("abcd", "9876"). */
function predictableCount(chars: string[]): number {
  let n = 0;
  for (let i = 2; i < chars.length; i++) {
    const a = chars[i - 2]!.codePointAt(0)!;
    const b = chars[i - 1]!.codePointAt(0)!;
    const c = chars[i]!.codePointAt(0)!;
    if ((a === b && b === c) || (b - a === c - b && Math.abs(c - b) === 1)) n++;
  }
  return n;
}

function keyboardRunCount(lower: string): number {
  let n = 0;
  for (const row of ROWS) {
    for (let len = row.length; len >= 4; len--) {
      for (let i = 0; i + len <= row.length; i++) {
        const piece = row.slice(i, i + len);
        if (lower.includes(piece) || lower.includes([...piece].reverse().join(''))) {
          n = Math.max(n, len - 1);
        }
      }
    }
  }
  return n;
}

export function passphraseStrength(passphrase: string): PassphraseStrength {
  const chars = [...passphrase];
  const length = chars.length;
  const notes: string[] = [];
  const lower = passphrase.toLowerCase();
  let effective = length;
  const predictable = predictableCount(chars);
  if (predictable > 0) {
    effective -= predictable;
    notes.push('repeated characters or runs like "abcd" add little');
  }
  const keyboard = keyboardRunCount(lower);
  if (keyboard > 0) {
    effective -= keyboard;
    notes.push('keyboard rows add little');
  }
  const common = COMMON.filter((w) => lower.includes(w));
  if (common.length > 0) {
    effective -= common.reduce((sum, w) => sum + w.length - 1, 0);
    notes.push('it contains one of the most common passwords or words');
  }
  let bits = Math.max(0, effective) * Math.log2(poolSize(chars));
  // A passphrase of words: guessers try word lists. About 12.9 bits a word (diceware's 7776 words), never more.
  const words = passphrase.split(/[\s\-_.]+/).filter((w) => w !== '');
  if (words.length >= 2 && words.every((w) => /^\p{L}+$/u.test(w))) {
    const wordBits = words.length * Math.log2(7776);
    if (wordBits < bits) {
      bits = wordBits;
      notes.push('a passphrase of words counts about 13 bits a word');
    }
  }
  const floor = Math.floor(bits);
  const rating: PassphraseRating = length < MIN_PASSPHRASE_CHARS ? 'too-short' : floor < MIN_PASSPHRASE_BITS ? 'weak' : floor < 70 ? 'fair' : floor < 90 ? 'good' : 'strong';
  if (length < MIN_PASSPHRASE_CHARS) notes.unshift(`it has ${length} characters; at least ${MIN_PASSPHRASE_CHARS} are needed`);
  return { length, bits: floor, rating, refused: rating === 'too-short' || rating === 'weak', notes };
}
