// The new-passphrase rule (shared/passphrase-strength.ts), the same on the screen, in main and on the command line:
// short or predictable passphrases are refused, long random ones and long word passphrases pass, and nothing of the
// passphrase is ever quoted in the notes.
import { test, expect } from '@playwright/test';
import { MIN_PASSPHRASE_CHARS, passphraseStrength } from '../../../shared/passphrase-strength';

const cases: [string, string, boolean][] = [
  ['empty', '', true],
  ['11 random characters: too short', 'Gx7$kQ2!mZp', true],
  ['12 identical characters', 'aaaaaaaaaaaa', true],
  ['a keyboard row and digits', 'qwertyuiop1234', true],
  ['a common password made long', 'Password1234', true],
  ['two words', 'horse battery', true],
  ['16 random characters of four kinds', 'T9#vLq2@xR7!mW4z', false],
  ['five diceware words', 'correct horse battery staple glue', false],
  ['long lowercase sentence without spaces', 'mygrandmotherkeptgoatsinvermont', false],
];
for (const [name, passphrase, refused] of cases) {
  test(`${refused ? 'refused' : 'accepted'}: ${name}`, () => {
    const s = passphraseStrength(passphrase);
    expect(s.refused).toBe(refused);
    for (const note of s.notes) if (passphrase.length >= 4) expect(note).not.toContain(passphrase.slice(0, 4));
  });
}

test('words count about 13 bits each, never the character estimate', () => {
  const s = passphraseStrength('correct horse battery staple');
  expect(s.bits).toBe(Math.floor(4 * Math.log2(7776)));
  expect(s.rating).toBe('fair');
  expect(passphraseStrength('x'.repeat(MIN_PASSPHRASE_CHARS - 1)).rating).toBe('too-short');
  expect(passphraseStrength('T9#vLq2@xR7!mW4zT9#vLq2@').rating).toBe('strong');
});
