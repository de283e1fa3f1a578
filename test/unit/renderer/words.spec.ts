// The renderer's words for main's error codes (renderer/words.ts): each code in OPERATOR_WORDS, with a message of the
// shape main sends for it, gives the words written out here, whether it arrives thrown (ApiError) or as a per-file
// result's data; anything else shows main's own message, and what is not main's error never shows its text.
import { test, expect } from '@playwright/test';
import { ApiError } from '../../../renderer/api';
import { OPERATOR_WORDS, SOMETHING_WENT_WRONG, wordsFor } from '../../../renderer/words';

interface Case {
  message: string;
  file?: string;
  words: string;
}

const CASES: Record<string, Case> = {
  wallet_passphrase_incorrect: {
    message: 'unable to decrypt keychain with the given wallet passphrase',
    words: 'That passphrase did not unlock this wallet. Check Caps Lock and the keyboard layout, then try again.',
  },
  unlock_throttled: {
    message: 'wallet 5b3ad1: 3 wrong passphrases so far; wait 4 s before trying again',
    words: 'Too many wrong passphrases. 3 wrong passphrases so far; wait 4 s before trying again',
  },
  key_store_not_open: { message: 'no key store is open; open a key file first', words: 'Open a key file first.' },
  request_malformed_json: {
    message: 'broken.json is not valid JSON (Unexpected end of JSON input)',
    file: 'broken.json',
    words: 'broken.json is not a signing request this app can read: it is not valid JSON (the file may be damaged or cut short). Ask for the request again.',
  },
  wallet_not_chosen: {
    message: "payment.psbt is a bare PSBT: it does not say which wallet it is for, and no unlocked wallet's key is in it",
    file: 'payment.psbt',
    words: "payment.psbt is a bare PSBT: it does not say which wallet it is for, and no unlocked wallet's key is in it. Choose its wallet below, or unlock its wallet (step 2, Unlock) and import it again.",
  },
  psbt_encoding_unknown: {
    message: 'not a PSBT: expected binary, base64 ("cHNidP8...") or hex ("70736274ff...")',
    file: 'notes.txt',
    words: 'notes.txt is not a signing request this app can read: it is neither a request (JSON) nor a PSBT (binary, base64 or hex). Check that it is the right file, or ask for it again.',
  },
  output_exists: {
    message: 'p2wsh.signed.json on drive "USB" already exists; it was left untouched',
    words: 'p2wsh.signed.json on drive "USB" already exists; it was left untouched. Nothing was overwritten and the signed result is kept: move or rename that file on the drive, then press "Export signed files" again.',
  },
  wallet_locked: {
    message: 'wallet 5b3ad1 is locked: unlock it, then sign p2wsh.json again (nothing was signed)',
    words: 'wallet 5b3ad1 is locked: unlock it, then sign p2wsh.json again (nothing was signed). Wallets are unlocked in step 2, Unlock.',
  },
  drive_missing: {
    message: 'drive "USB" is no longer connected; plug it in again and refresh the list of drives',
    words: 'drive "USB" is no longer connected; plug it in again and refresh the list of drives.',
  },
  drive_unknown: {
    message: 'drive d7 is not in the current drive list; refresh the list of drives',
    words: 'drive d7 is not in the current drive list; refresh the list of drives.',
  },
};

test('every code in OPERATOR_WORDS has a case here, and every case is in the table', () => {
  expect(Object.keys(OPERATOR_WORDS).sort()).toEqual(Object.keys(CASES).sort());
});

for (const [code, c] of Object.entries(CASES)) {
  test(`${code}: the operator's words, thrown or as a result's data`, () => {
    const data = { error: c.message, name: 'SomeError', code };
    const context = c.file === undefined ? {} : { file: c.file };
    expect(wordsFor(new ApiError(data), context)).toBe(c.words);
    expect(wordsFor(data, context)).toBe(c.words);
  });
}

test('without a file name, the words about a file say "This file"', () => {
  const data = { error: 'x.json is not valid JSON (parse error)', name: 'RequestError', code: 'request_malformed_json' };
  expect(wordsFor(data)).toBe('This file is not a signing request this app can read: it is not valid JSON (the file may be damaged or cut short). Ask for the request again.');
});

test("an unknown code, no code, or a code named like an Object property falls back to main's message", () => {
  const message = 'review refused: output 1 does not re-derive from the wallet (change_not_wallet)';
  for (const code of ['change_not_wallet', 'unknown_error', 'constructor', 'toString', '__proto__', 'hasOwnProperty', '', 'WALLET_LOCKED']) {
    expect(wordsFor(new ApiError({ error: message, name: 'ReviewRefusedError', code })), code).toBe(message);
    expect(wordsFor({ error: message, name: 'ReviewRefusedError', code }), code).toBe(message);
  }
  // ApiError gives a missing code its own ("unknown_error"); the data path has none at all.
  expect(wordsFor(new ApiError({ error: message, name: 'ReviewRefusedError' }))).toBe(message);
  expect(wordsFor({ error: message, name: 'ReviewRefusedError' })).toBe(message);
});

test("what is not main's error gets the generic words or the screen's own, never its text", () => {
  const secretish = 'TypeError at /home/operator/keys.json: xprv9s21ZrQH143K...';
  for (const thrown of [new Error(secretish), new TypeError(secretish), secretish, undefined, null, 42, { message: secretish }, { error: secretish }]) {
    expect(wordsFor(thrown)).toBe(SOMETHING_WENT_WRONG);
    expect(wordsFor(thrown, { otherwise: 'The camera could not start.' })).toBe('The camera could not start.');
  }
  // The screen's own words replace only the generic ones: main's coded error still says its words.
  expect(wordsFor(new ApiError({ error: 'no key store is open', name: 'KeyStoreError', code: 'key_store_not_open' }), { otherwise: 'The camera could not start.' })).toBe('Open a key file first.');
});
