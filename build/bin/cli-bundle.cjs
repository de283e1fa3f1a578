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
//                       packages inside it with their versions; `codeCache`: the code cache's file, its sha256
//                       and the sha256 of the bundle it was made from
//   offline-signer.code-cache
//                       V8's compiled code of the bundle, made by the build from a real run (build/scripts/
//                       code-cache.mjs: the demo key store signing a demo request), so a command does not compile
//                       again what every command compiles (README "Performance", command line)
'use strict';
const { createHash } = require('node:crypto');
const { existsSync, readFileSync, statSync } = require('node:fs');
const { createRequire } = require('node:module');
const { dirname, join } = require('node:path');
const vm = require('node:vm');

const CLI_DIR = 'build/out/cli';
const CLI_BUNDLE = 'offline-signer.cjs';
const CLI_WASM = 'secp256k1.wasm';
const CLI_INPUTS = 'inputs.json';
const CLI_WORKER = 'argon2-worker.cjs';
const CLI_CURVE_WORKER = 'curve-worker.cjs';
const CLI_CODE_CACHE = 'offline-signer.code-cache';
/** The entry point of the command line's sources; a folder without it holds no sources to compare with. */
const CLI_ENTRY = 'electron/cli/main.ts';

const sha256Of = (bytes) => createHash('sha256').update(bytes).digest('hex');
const sha256 = (path) => sha256Of(readFileSync(path));

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
 * - `{ fresh: true, bundle, codeCache? }`: it exists and was built from the sources that are there now, or there
 *   are no sources to compare with (the built command copied on its own); `codeCache` is where its code cache is,
 *   its sha256 and the bundle's it was made from (loadBundle checks both);
 * - `{ fresh: false, reason }`: it is missing, or a file it was built from has changed since; `reason` ends the
 *   sentence "the built command line (<dir>) ...".
 */
function bundleState(root, cliDir = join(root, CLI_DIR)) {
  const bundle = join(cliDir, CLI_BUNDLE);
  let record;
  try {
    record = JSON.parse(readFileSync(join(cliDir, CLI_INPUTS), 'utf8'));
  } catch {
    return { fresh: false, reason: 'is missing' };
  }
  const inputs = record?.inputs;
  if (!Array.isArray(inputs) || !existsSync(bundle) || !existsSync(join(cliDir, CLI_WASM)) || !existsSync(join(cliDir, CLI_WORKER)) || !existsSync(join(cliDir, CLI_CURVE_WORKER))) return { fresh: false, reason: 'is missing' };
  const cc = record.codeCache;
  const codeCache = cc && typeof cc.file === 'string' && typeof cc.sha256 === 'string' && typeof cc.bundleSha256 === 'string' ? { path: join(cliDir, cc.file), sha256: cc.sha256, bundleSha256: cc.bundleSha256 } : undefined;
  const fresh = { fresh: true, bundle, ...(codeCache ? { codeCache } : {}) };
  if (!existsSync(join(root, CLI_ENTRY))) return fresh;
  const stale = inputs.find((input) => changed(root, input));
  return stale ? { fresh: false, reason: `is older than ${stale.path}` } : fresh;
}

/** The CommonJS wrapper Node puts around a file; a first line "#!..." becomes a comment (same line numbers). */
function compileBundle(bundle, source, cachedData) {
  const code = `(function (exports, require, module, __filename, __dirname) { ${source.replace(/^#!/, '//')}\n})`;
  return new vm.Script(code, { filename: bundle, ...(cachedData ? { cachedData } : {}) });
}

/** Evaluates a compiled bundle as Node evaluates a CommonJS file, and returns its exports. */
function evaluateBundle(bundle, script) {
  const module = { exports: {}, filename: bundle, id: bundle, loaded: false };
  // The bundle requires Node built-ins only (the build refuses anything else); this resolves them as Node would.
  script.runInThisContext()(module.exports, createRequire(bundle), module, bundle, dirname(bundle));
  module.loaded = true;
  return module.exports;
}

/**
 * Loads the built command line from state = bundleState(...) (fresh), with its code cache when the cache is the
 * file the build wrote (sha256) for exactly these bundle bytes (sha256), and returns its exports (`cliMain`).
 * V8 checks only a cache's header (its version, flags and the source's length), not the compiled code after it:
 * a damaged cache handed to it crashed Node 20, so the hashes are checked here first. `cache` says what happened:
 * 'used'; 'rejected' (V8 refused it: another Node or V8, other flags); 'damaged' (not the bytes the build wrote,
 * or unreadable); 'stale' (made for other bundle bytes); 'off' (OFFLINE_SIGNER_CODE_CACHE=off); 'none'. Without
 * a usable cache the bundle is compiled as a plain require would: the same code runs either way, the cache only
 * saves compiling it.
 */
function loadBundle(state, env = process.env) {
  const source = readFileSync(state.bundle, 'utf8');
  let cachedData;
  let cache = 'none';
  if (env.OFFLINE_SIGNER_CODE_CACHE === 'off') cache = 'off';
  else if (state.codeCache && existsSync(state.codeCache.path)) {
    let data;
    try {
      data = readFileSync(state.codeCache.path);
    } catch {
      // unreadable (permissions, a bad disk): the command runs without it, as when it is damaged
    }
    if (sha256Of(source) !== state.codeCache.bundleSha256) cache = 'stale';
    else if (data === undefined || sha256Of(data) !== state.codeCache.sha256) cache = 'damaged';
    else cachedData = data;
  }
  const script = compileBundle(state.bundle, source, cachedData);
  if (cachedData) cache = script.cachedDataRejected ? 'rejected' : 'used';
  return { exports: evaluateBundle(state.bundle, script), cache };
}

module.exports = { CLI_DIR, CLI_BUNDLE, CLI_WASM, CLI_INPUTS, CLI_WORKER, CLI_CURVE_WORKER, CLI_CODE_CACHE, CLI_ENTRY, inputRecord, bundleState, compileBundle, evaluateBundle, loadBundle };
