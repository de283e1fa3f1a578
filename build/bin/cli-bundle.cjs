// The built command line and how to tell whether it still matches the checkout it was built from. Written by
// `npm run build` (build/scripts/build.mjs, also run by `npm install` as the prepare step), read by the
// `offline-signer` bin before every command and by the test setup. The bin loads this file on every start, so it
// uses Node built-ins only and does no work beyond a stat per source file; CommonJS like the bin, because Node
// starts a CommonJS file measurably faster than an ES module (README "Performance", command line).
//
// build/out/cli/ holds:
//   offline-signer.cjs  the command line and every npm package it uses, one CommonJS file (requires only Node
//                       built-ins); it exports cliMain()
//   secp256k1.wasm      tiny-secp256k1's WebAssembly curve, read when a command first needs the curve (kept out
//                       of the JavaScript: 1.2 MB as a string literal would be scanned on every start, even --help)
//   argon2-worker.cjs   the Argon2id worker thread v2 key envelopes are opened in (electron/keystore/argon2-thread.ts
//                       finds it beside the bundle), hash-wasm inside
//   curve-worker.cjs    the worker threads of public derivations and signing (electron/parallel/pool.ts finds it
//                       beside the bundle), the curve's WebAssembly inside
//   inputs.json         the files it was built from (checkout-relative path, size, mtime, sha256) and the npm
//                       packages inside it with their versions
'use strict';
const { createHash } = require('node:crypto');
const { existsSync, readFileSync, statSync } = require('node:fs');
const { join } = require('node:path');

const CLI_DIR = 'build/out/cli';
const CLI_BUNDLE = 'offline-signer.cjs';
const CLI_WASM = 'secp256k1.wasm';
const CLI_INPUTS = 'inputs.json';
const CLI_WORKER = 'argon2-worker.cjs';
const CLI_CURVE_WORKER = 'curve-worker.cjs';
/** The entry point of the command line's sources; a folder without it holds no sources to compare with. */
const CLI_ENTRY = 'electron/cli/main.ts';

const sha256 = (path) => createHash('sha256').update(readFileSync(path)).digest('hex');

/** How inputs.json records one source file (`path` relative to the checkout, with forward slashes). */
function inputRecord(root, path) {
  const st = statSync(join(root, path));
  return { path, size: st.size, mtimeMs: st.mtimeMs, sha256: sha256(join(root, path)) };
}

/** True when the file at root/path no longer has the recorded bytes (size and mtime first, the hash when they differ). */
function changed(root, input) {
  let st;
  try {
    st = statSync(join(root, input.path));
  } catch {
    return true;
  }
  if (st.size !== input.size) return true;
  // A checkout or a touch changes the mtime alone: compare the bytes before calling the bundle stale.
  return st.mtimeMs !== input.mtimeMs && sha256(join(root, input.path)) !== input.sha256;
}

/**
 * Whether the built command line in `cliDir` may run for the checkout at `root`:
 * - `{ fresh: true, bundle }`: it exists and was built from the sources that are there now, or there are no
 *   sources to compare with (the built command copied on its own);
 * - `{ fresh: false, reason }`: it is missing, or a file it was built from has changed since; `reason` ends the
 *   sentence "the built command line (<dir>) ...".
 */
function bundleState(root, cliDir = join(root, CLI_DIR)) {
  const bundle = join(cliDir, CLI_BUNDLE);
  let inputs;
  try {
    inputs = JSON.parse(readFileSync(join(cliDir, CLI_INPUTS), 'utf8')).inputs;
  } catch {
    return { fresh: false, reason: 'is missing' };
  }
  if (!Array.isArray(inputs) || !existsSync(bundle) || !existsSync(join(cliDir, CLI_WASM)) || !existsSync(join(cliDir, CLI_WORKER)) || !existsSync(join(cliDir, CLI_CURVE_WORKER))) return { fresh: false, reason: 'is missing' };
  if (!existsSync(join(root, CLI_ENTRY))) return { fresh: true, bundle };
  const stale = inputs.find((input) => changed(root, input));
  return stale ? { fresh: false, reason: `is older than ${stale.path}` } : { fresh: true, bundle };
}

module.exports = { CLI_DIR, CLI_BUNDLE, CLI_WASM, CLI_INPUTS, CLI_WORKER, CLI_CURVE_WORKER, CLI_ENTRY, inputRecord, bundleState };
