// Demo mode (electron/demo/index.ts demoMode, applied by electron/main.ts before any window): only with --demo,
// and a packaged build refuses to start with it rather than show "DEMO — never real funds" next to real keys.
import { test, expect } from '@playwright/test';
import { DEMO_REFUSED_MESSAGE, demoMode } from '../../../electron/demo/index';

test('--demo turns demo mode on from a checkout, is refused by a packaged build, and nothing else turns it on', () => {
  expect(demoMode(['electron', '.', '--demo'], false)).toBe('on');
  expect(demoMode(['electron', '.', '--demo'], true)).toBe('refused');
  expect(demoMode(['electron', '.'], false)).toBe('off');
  expect(demoMode(['electron', '.'], true)).toBe('off');
  expect(demoMode(['electron', '.', '--demo=1', '--no-demo', 'demo'], false)).toBe('off');
  expect(DEMO_REFUSED_MESSAGE).toMatch(/without --demo/);
});
