// Unlock throttling (electron/workflow/throttle.ts): wrong passphrases make each wallet wait longer, a success
// resets it, and other wallets are not affected.
import { test, expect } from '@playwright/test';
import { UnlockThrottle, delayAfter } from '../../../electron/workflow/throttle';
import { IncorrectPasswordError, SignerError } from '../../../shared/errors';

test('wrong passphrases grow the wait per wallet; success resets; other wallets unaffected', () => {
  let now = 0;
  const t = new UnlockThrottle(() => now);
  t.check('w1');
  expect(t.failed('w1')).toEqual({ failures: 1, retryAt: 1000 });
  expect(() => t.check('w1')).toThrow(expect.objectContaining({ code: 'unlock_throttled' }));
  t.check('w2');
  now = 1000;
  t.check('w1');
  expect(t.failed('w1').retryAt).toBe(3000);
  expect(t.failed('w1').retryAt).toBe(5000); // third failure waits 4 s from now (1000)
  expect(() => t.check('w1')).toThrow(/3 wrong passphrases so far; wait 4 s/);
  t.succeeded('w1');
  t.check('w1');
  expect(t.state('w1')).toEqual({ failures: 0, retryAt: 0 });
  expect([0, 1, 2, 3, 6, 7, 100].map(delayAfter)).toEqual([0, 1000, 2000, 4000, 32_000, 60_000, 60_000]);
});

test('attempts on one wallet run one at a time: ten wrong guesses sent at once get one answer and nine waits', async () => {
  let now = 0;
  const t = new UnlockThrottle(() => now);
  let running = 0;
  let most = 0;
  // A slow unlock (as Argon2 is) that always finds the passphrase wrong.
  const wrong = async () => {
    running++;
    most = Math.max(most, running);
    await new Promise((r) => setTimeout(r, 5));
    running--;
    throw new IncorrectPasswordError();
  };
  const results = await Promise.allSettled(Array.from({ length: 10 }, () => t.attempt('w1', wrong)));
  const codes = results.map((r) => (r.status === 'rejected' ? (r.reason as SignerError).code : 'ok'));
  expect(codes.filter((c) => c === 'wallet_passphrase_incorrect')).toHaveLength(1);
  expect(codes.filter((c) => c === 'unlock_throttled')).toHaveLength(9);
  expect(most).toBe(1);
  expect(t.state('w1').failures).toBe(1);
  // Another wallet is not held up, and the right passphrase after the wait resets the count.
  await expect(t.attempt('w2', async () => 'ok')).resolves.toBe('ok');
  now = 1000;
  await expect(t.attempt('w1', async () => 'unlocked')).resolves.toBe('unlocked');
  expect(t.state('w1')).toEqual({ failures: 0, retryAt: 0 });
});
