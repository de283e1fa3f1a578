// The one error every layer relies on: IncorrectPasswordError carries BitGo's message, name and code.
import { test, expect } from '@playwright/test';
import { IncorrectPasswordError, toErrorData } from '../../../shared/errors';

test('IncorrectPasswordError has BitGo name and code', () => {
  expect(toErrorData(new IncorrectPasswordError())).toEqual({
    error: 'unable to decrypt keychain with the given wallet passphrase',
    name: 'IncorrectPasswordError',
    code: 'wallet_passphrase_incorrect',
  });
});
