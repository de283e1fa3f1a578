#!/usr/bin/env node
// The `offline-signer` command (package.json "bin"). It runs the built command line, build/out/cli (one JavaScript
// file on plain Node, no devDependency; `npm install` builds it through the prepare step, `npm run build` too).
//
// When that build is missing or older than the sources beside it (a developer edited them, or a checkout moved
// on), it says so in one line on stderr and runs the TypeScript sources through tsx instead, as
// `npm run -s cli` does: the command then does what the sources say, only slower to start. Without tsx (an
// install without devDependencies) it stops with one sentence instead. It never rebuilds on its own: what runs
// is always either the current sources or a build made from them. Nothing here touches a network. CommonJS, as
// is the build: Node starts a CommonJS file faster than an ES module, and start-up is what the build is for.
'use strict';
const { existsSync } = require('node:fs');
const { join, resolve } = require('node:path');
const { pathToFileURL } = require('node:url');
const { bundleState, loadBundle, CLI_DIR, CLI_ENTRY } = require('./cli-bundle.cjs');

const root = resolve(__dirname, '..', '..');

/** tsx's loader, or undefined when it is not installed (an install without devDependencies). */
async function tsxRegister() {
  try {
    return (await import('tsx/esm/api')).register;
  } catch {
    return undefined;
  }
}

async function main() {
  const state = bundleState(root);
  if (state.fresh) return loadBundle(state).exports.cliMain();
  const register = existsSync(join(root, CLI_ENTRY)) ? await tsxRegister() : undefined;
  if (register === undefined) {
    process.stderr.write(`offline-signer: the built command line (${CLI_DIR}) ${state.reason}, and without tsx and the TypeScript sources nothing else can run; run npm install in ${root} (it builds the command line).\n`);
    process.exitCode = 1;
    return undefined;
  }
  process.stderr.write(`offline-signer: the built command line (${CLI_DIR}) ${state.reason}; running the TypeScript sources through tsx instead (slower to start); npm run build rebuilds it.\n`);
  register();
  const { cliMain } = await import(pathToFileURL(join(root, CLI_ENTRY)).href);
  return cliMain();
}

void main();
