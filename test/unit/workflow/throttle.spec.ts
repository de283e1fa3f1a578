// Unlock throttling (electron/workflow/throttle.ts): wrong passphrases make each wallet wait longer, a success
// resets it, and other wallets are not affected.
import { test, expect } from '@playwright/test';
import { UnlockThrottle, delayAfter } from '../../../electron/workflow/throttle';

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
