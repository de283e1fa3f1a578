// Makes the built command line's code cache (issue 17: fast from the first keystroke). Run by build.mjs in a
// fresh Node process, on a bundle it has just written:
//   node build/scripts/code-cache.mjs <cli dir> <demo dir> <scratch dir>
// It compiles the bundle without a cache, runs three real commands in this process with the demo key store
// (electron/demo: published testnet test keys and passphrases, never anything of an operator's): --help, review
// of a demo request and sign of it (ledger and audit log in the scratch dir, the output discarded), then asks V8
// for the compiled code of every function those runs compiled and writes it beside the bundle. The bin
// (build/bin/offline-signer.cjs, through cli-bundle.cjs loadBundle) hands it to V8 when it loads that same bundle,
// so each command skips compiling what these compiled; V8 refuses a cache of another V8 version or other flags, and
// then compiles as before. Prints one line on failure and exits 1; writes nothing then.
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI_BUNDLE, CLI_CODE_CACHE, compileBundle, evaluateBundle } from '../bin/cli-bundle.cjs';

const REQUEST = 'requests/p2wsh.request.json';

async function main() {
  const [cliDir, demoDir, scratch] = process.argv.slice(2);
  if (!cliDir || !demoDir || !scratch) throw new Error('usage: code-cache.mjs <cli dir> <demo dir> <scratch dir>');
  const bundle = join(cliDir, CLI_BUNDLE);
  const script = compileBundle(bundle, readFileSync(bundle, 'utf8'));
  const { runCli } = evaluateBundle(bundle, script);
  const keys = join(scratch, 'keys.json');
  copyFileSync(join(demoDir, 'keys.json'), keys);
  const env = JSON.parse(readFileSync(join(demoDir, 'env.json'), 'utf8'));
  let said = '';
  const ctx = { env, stdout: { write: () => true }, stderr: { write: (s) => ((said += s), true) } };
  const request = join(demoDir, REQUEST);
  const runs = [['--help'], ['review', request], ['sign', '--keys', keys, '--ledger', join(scratch, 'ledger.json'), '--audit-log', join(scratch, 'audit.jsonl'), request]];
  for (const argv of runs) {
    said = '';
    const status = await runCli(argv, ctx);
    if (status !== 0) throw new Error(`offline-signer ${argv[0]} of the demo exited ${status}: ${said.trim().split('\n').at(-1)}`);
  }
  writeFileSync(join(cliDir, CLI_CODE_CACHE), script.createCachedData());
}

main().then(
  () => process.exit(0),
  (e) => {
    process.stderr.write(`code cache: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
