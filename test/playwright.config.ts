import { defineConfig } from '@playwright/test';
import { CHROMIUM_SWITCHES } from '../electron/security';
import { TEST_BROWSER_ENV } from './support/browser';

// One runner for everything that can run on a machine without the Electron binary:
// - unit:  the pure core, handlers and CLI in Node (no browser is started for these).
// - e2e:   the Vite-built renderer in Chromium through the test bridge (test/e2e).
// The global setup runs first, once: it finds (or installs) the Chromium the e2e project launches, and builds the
// command line the CLI tests run when it is stale (test/support/global-setup.ts).
export default defineConfig({
  testDir: '.',
  globalSetup: './support/global-setup.ts',
  // TEST_RESULTS_DIR lets two developers (or helpers) run specs side by side without cleaning each other's artefacts.
  outputDir: process.env.TEST_RESULTS_DIR ?? '../test-results',
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  workers: 2,
  timeout: 60_000,
  reporter: [['list'], ['./support/summary-reporter.ts']],
  projects: [
    { name: 'unit', testDir: 'unit', testMatch: /\.spec\.ts$/ },
    // The Chromium test bridge (test/e2e/support/bridge.ts): the built renderer in Chromium with the same
    // network-off switches main appends, the same CSP, router and handlers. build.setup.ts builds the bundle once.
    // The browser is the one the global setup chose: workers start after it and inherit its environment.
    { name: 'e2e-setup', testDir: 'e2e', testMatch: /build\.setup\.ts$/ },
    {
      name: 'e2e',
      testDir: 'e2e',
      testMatch: /bridge-.*\.spec\.ts$/,
      dependencies: ['e2e-setup'],
      use: {
        browserName: 'chromium',
        launchOptions: {
          executablePath: process.env[TEST_BROWSER_ENV],
          args: CHROMIUM_SWITCHES.map(([name, value]) => (value === undefined ? `--${name}` : `--${name}=${value}`)),
        },
      },
    },
    // The same app in real Electron (test/e2e/support/electron.ts): runs where an Electron binary exists (a machine
    // that has run `npm start` once, or ELECTRON_OVERRIDE_DIST_PATH) and skips with one line elsewhere.
    // electron.setup.ts builds build/out with npm run build's own code first.
    { name: 'electron-setup', testDir: 'e2e', testMatch: /electron\.setup\.ts$/ },
    // One app at a time: each launch is a whole Electron with its own profile, and the machine has 2 cores.
    { name: 'electron', testDir: 'e2e', testMatch: /electron-.*\.spec\.ts$/, dependencies: ['electron-setup'], workers: 1 },
  ],
});
