import { defineConfig } from '@playwright/test';

// One runner for everything that can run on a machine without the Electron binary:
// - unit:  the pure core, handlers and CLI in Node (no browser is started for these).
// - e2e:   the Vite-built renderer in Debian's Chromium through the test bridge (test/e2e).
export default defineConfig({
  testDir: '.',
  outputDir: '../test-results',
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  workers: 2,
  timeout: 60_000,
  reporter: [['list'], ['./support/summary-reporter.ts']],
  projects: [
    { name: 'unit', testDir: 'unit', testMatch: /\.spec\.ts$/ },
  ],
});
