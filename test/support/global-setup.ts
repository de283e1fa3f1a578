// Runs once before any test (test/playwright.config.ts "globalSetup"): the built command line (build/out/cli) is
// rebuilt when it is missing or older than its sources, so the CLI tests (test/support/cli.ts) run what an operator
// runs, never the sources through tsx.
import { bundleState, CLI_DIR } from '../../build/bin/cli-bundle.cjs';
import { buildAll, REPO_ROOT } from '../../build/scripts/build.mjs';

export default async function globalSetup(): Promise<void> {
  const cli = bundleState(REPO_ROOT);
  if (!cli.fresh) {
    console.log(`test setup: the built command line (${CLI_DIR}) ${cli.reason}; building it`);
    await buildAll({ only: 'cli' });
  }
}
