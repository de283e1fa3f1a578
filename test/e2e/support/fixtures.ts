// The e2e test fixture: every test gets a page whose context has the bridge installed, and fails if any request
// left the origin (other than navigations, which main refuses and the bridge records separately).
import { test as base, expect } from '@playwright/test';
import { installBridge, type Bridge, type BridgeOptions } from './bridge';

export const test = base.extend<{ bridgeOptions: BridgeOptions; bridge: Bridge }>({
  bridgeOptions: [{ demo: true }, { option: true }],
  // auto: every test's context gets the bridge, whether or not the test looks at it.
  bridge: [
    async ({ context, bridgeOptions }, use) => {
      const bridge = await installBridge(context, bridgeOptions);
      await use(bridge);
      expect(bridge.escapes, 'requests that left the app origin').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
