// Runs once before any test (test/playwright.config.ts "globalSetup"), so that `npm install` then `npm test` is all a
// fresh machine needs:
// - the browser for the e2e project is found, or installed with apt-get as root on Debian, or the run stops here
//   with one sentence saying what to install (test/support/browser.ts); its path goes to the e2e workers in
//   TEST_BROWSER_ENV;
// - the built command line (build/out/cli) is rebuilt when it is missing or older than its sources, so the CLI
//   tests (test/support/cli.ts) run what an operator runs, never the sources through tsx.
import { chromium } from '@playwright/test';
import { bundleState, CLI_DIR } from '../../build/bin/cli-bundle.cjs';
import { buildAll, REPO_ROOT } from '../../build/scripts/build.mjs';
import { findOrInstallBrowser, machineProbes, TEST_BROWSER_ENV } from './browser';

export default async function globalSetup(): Promise<void> {
  const browser = findOrInstallBrowser(() => machineProbes(chromium.executablePath()), (line) => console.log(line));
  process.env[TEST_BROWSER_ENV] = browser.path;
  const cli = bundleState(REPO_ROOT);
  if (!cli.fresh) {
    console.log(`test setup: the built command line (${CLI_DIR}) ${cli.reason}; building it`);
    await buildAll({ only: 'cli' });
  }
}
