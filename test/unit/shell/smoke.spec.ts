import { test, expect } from '@playwright/test';
import { IncorrectPasswordError, toErrorData } from '../../../shared/errors';

test('IncorrectPasswordError has BitGo name and code', () => {
  expect(toErrorData(new IncorrectPasswordError())).toEqual({
    error: 'unable to decrypt keychain with the given wallet passphrase',
    name: 'IncorrectPasswordError',
    code: 'wallet_passphrase_incorrect',
  });
});
