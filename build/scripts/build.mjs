#!/usr/bin/env node
// `npm run build`: the renderer with Vite (renderer/vite.config.ts) into build/out/renderer, the two Electron
// entry points, the Argon2id worker and the command line with rolldown (the bundler inside Vite 8):
//   electron/main.ts     -> build/out/main/main.cjs           (package.json "main")
//   electron/preload.ts  -> build/out/main/preload.cjs        (loaded by main.ts as the window's preload)
//   electron/keystore/argon2-worker.mjs -> build/out/main/argon2-worker.cjs  (hash-wasm inside; main reads it
//                           beside main.cjs and evaluates it, see electron/keystore/argon2-thread.ts)
//   electron/workflow/review-worker.ts -> build/out/main/review-worker.cjs  (imports parsed and reviewed off main's
//                           thread, see electron/workflow/review-thread.ts)
//   electron/parallel/curve-worker.mjs -> build/out/main/curve-worker.cjs  (the curve's WebAssembly inside; the
//                           worker threads of public derivations and signing, see electron/parallel/pool.ts)
//   electron/cli/main.ts -> build/out/cli/offline-signer.cjs  (run by the `offline-signer` bin, build/bin; also
//                           built alone by `npm install`'s prepare step: --only cli)
//
// Why CommonJS single files: a preload running with `sandbox: true` is not a Node module loader; Electron gives
// it a small `require` that only knows 'electron' and a few polyfilled modules, so it must be one CJS file that
// requires nothing but 'electron' (https://www.electronjs.org/docs/latest/tutorial/sandbox#preload-scripts).
// This script checks that after bundling. Main is CJS too so that it loads the same way in every Electron 45
// build, with `electron` and Node built-ins left as requires and every npm dependency bundled in: the packaged
// app (build/electron-builder.config.cjs) then ships build/out/** and nothing from node_modules.
//
// The command line is one CommonJS file too, its npm packages bundled in, so a command starts without compiling
// TypeScript or resolving a node_modules tree (issue 17: that was most of its start-up time); the build refuses to
// bundle a package that is not a runtime dependency (package.json "dependencies" and theirs).
//
// Options (for tests): --root <dir> builds another checkout-shaped tree; --only main|renderer|cli limits the
// work; --out <dir> writes there instead of <root>/build/out.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { CLI_BUNDLE, CLI_CODE_CACHE, CLI_CURVE_WORKER, CLI_ENTRY, CLI_INPUTS, CLI_WASM, CLI_WORKER, inputRecord } from '../bin/cli-bundle.cjs';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** A build failure the user can act on: printed as one line, without a stack trace. */
export class BuildError extends Error {
  constructor(message) {
    super(message);
    this.name = 'BuildError';
  }
}

/** The entries the build needs, with who provides them, so a missing one is named precisely. */
const ARGON2_WORKER = 'electron/keystore/argon2-worker.mjs';
const CURVE_WORKER = 'electron/parallel/curve-worker.mjs';
const REVIEW_WORKER = 'electron/workflow/review-worker.ts';

export const ENTRIES = [
  { part: 'main', path: 'electron/main.ts', what: 'the Electron main process entry' },
  { part: 'main', path: 'electron/preload.ts', what: 'the window preload script' },
  { part: 'main', path: ARGON2_WORKER, what: 'the Argon2id worker thread' },
  { part: 'cli', path: ARGON2_WORKER, what: 'the Argon2id worker thread' },
  { part: 'main', path: CURVE_WORKER, what: 'the curve worker thread' },
  { part: 'main', path: REVIEW_WORKER, what: 'the review thread of imports' },
  { part: 'cli', path: CURVE_WORKER, what: 'the curve worker thread' },
  { part: 'renderer', path: 'renderer/vite.config.ts', what: 'the renderer Vite config' },
  { part: 'renderer', path: 'renderer/index.html', what: 'the renderer HTML entry' },
  { part: 'cli', path: CLI_ENTRY, what: 'the command-line signer entry' },
];
const PARTS = ['main', 'renderer', 'cli'];

/** Fails with one sentence naming every missing entry for the requested parts. */
export function checkEntries(root, parts) {
  const missing = ENTRIES.filter((e) => parts.includes(e.part) && !isFile(join(root, e.path)));
  if (missing.length > 0) {
    const list = missing.map((e) => `${e.path} (${e.what})`).join(', ');
    throw new BuildError(`build: missing entry ${list} under ${root}; nothing was built.`);
  }
}

function isFile(path) {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

// Resolve rolldown through Vite, which depends on it: the bundler is the one Vite itself uses, and no second
// bundler (esbuild) is added to the dependencies.
async function loadRolldown() {
  const viteRequire = createRequire(createRequire(import.meta.url).resolve('vite/package.json'));
  return import(pathToFileURL(viteRequire.resolve('rolldown')).href);
}

const NODE_BUILTINS = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
const isBuiltin = (id) => NODE_BUILTINS.has(id) || NODE_BUILTINS.has(id.split('/')[0]);

// tiny-secp256k1 reads `secp256k1.wasm` from its own folder at run time (readFileSync next to its module), which
// a bundle does not have. This plugin loads the loader module with another byte source instead:
// - 'embed': the wasm bytes inside the bundle, so main.cjs stays self-contained (and inside the asar, covered by
//   its integrity check);
// - 'beside': the wasm file written next to the bundle (an asset of the build) and read from there when the
//   curve is first used, so the command line does not scan 1.7 MB of base64 on every start.
// The original loader is checked for the exact shape it replaces, so an upgrade that changes it fails the build
// instead of breaking at run time.
function secp256k1WasmLoader(source) {
  const loaderRe = /[\\/]tiny-secp256k1[\\/]lib[\\/](cjs[\\/])?wasm_loader\.c?js$/;
  return {
    name: 'offline-signer:secp256k1-wasm',
    load(id) {
      if (!loaderRe.test(id)) return null;
      const original = readFileSync(id, 'utf8');
      if (!original.includes('readFileSync') || !original.includes('"secp256k1.wasm"') || !original.includes('./rand.js')) {
        throw new BuildError(`build: ${id} no longer has the shape the wasm-loading step expects; review the tiny-secp256k1 upgrade.`);
      }
      const libDir = loaderRe.exec(id)[1] ? join(dirname(id), '..') : dirname(id);
      const wasm = readFileSync(join(libDir, 'secp256k1.wasm'));
      if (source === 'beside') this.emitFile({ type: 'asset', fileName: CLI_WASM, source: wasm });
      const binary =
        source === 'embed'
          ? [`const binary = Buffer.from(${JSON.stringify(wasm.toString('base64'))}, 'base64');`]
          : [`import { readFileSync } from 'node:fs';`, `import { join } from 'node:path';`, `const binary = readFileSync(join(__dirname, ${JSON.stringify(CLI_WASM)}));`];
      // Same imports object and instantiation as the original loader; only the byte source differs.
      return [
        `import * as rand from ${JSON.stringify(join(libDir, 'rand.js'))};`,
        `import * as validate_error from ${JSON.stringify(join(libDir, 'validate_error.js'))};`,
        ...binary,
        `const imports = { './rand.js': rand, './validate_error.js': validate_error };`,
        `const instance = new WebAssembly.Instance(new WebAssembly.Module(binary), imports);`,
        `export default instance.exports;`,
      ].join('\n');
    },
  };
}

/**
 * Bundles one TypeScript entry into a single CommonJS file. `electron` and Node built-ins stay external;
 * everything else (our code and npm dependencies) is bundled. Returns the ids (absolute paths) of the modules
 * inside it. `mainFields` changes which entry of a package without "exports" is bundled (default: rolldown's).
 */
export async function bundleCjs({ input, file, external = [], secp256k1Wasm = 'embed', mainFields }) {
  const { rolldown } = await loadRolldown();
  const bundle = await rolldown({
    input,
    platform: 'node',
    external: (id) => id === 'electron' || id.startsWith('electron/') || isBuiltin(id) || external.includes(id),
    plugins: [secp256k1WasmLoader(secp256k1Wasm)],
    ...(mainFields ? { resolve: { mainFields } } : {}),
    logLevel: 'warn',
  });
  try {
    const { output } = await bundle.write({ file, format: 'cjs', codeSplitting: false, sourcemap: false });
    return output.flatMap((chunk) => (chunk.type === 'chunk' ? chunk.moduleIds : [])).filter((id) => !id.startsWith('\0'));
  } finally {
    await bundle.close();
  }
}

/**
 * Every module name a CJS bundle requires at run time (string-literal require calls). Comment lines are not code:
 * bundled libraries keep their doc comments, e.g. pako's (pdf-lib's deflate) " * var pako = require('pako')".
 */
export function requiredModules(code) {
  const names = new Set();
  for (const line of code.split('\n')) {
    if (/^\s*(\*|\/\*|\/\/)/.test(line)) continue;
    for (const m of line.matchAll(/\brequire\(\s*(["'`])([^"'`]+)\1\s*\)/g)) names.add(m[2]);
  }
  return [...names].sort();
}

export async function buildMain(root, outDir) {
  checkEntries(root, ['main']);
  const mainOut = join(outDir, 'main');
  rmSync(mainOut, { recursive: true, force: true });
  await bundleCjs({ input: join(root, 'electron/main.ts'), file: join(mainOut, 'main.cjs') });
  await bundleCjs({ input: join(root, 'electron/preload.ts'), file: join(mainOut, 'preload.cjs') });
  await bundleCjs({ input: join(root, ARGON2_WORKER), file: join(mainOut, 'argon2-worker.cjs') });
  // Evaluated from text in its thread (a thread cannot be relied on to read inside app.asar): the wasm embedded.
  await bundleCjs({ input: join(root, CURVE_WORKER), file: join(mainOut, 'curve-worker.cjs') });
  // The review thread of imports (electron/workflow/review-thread.ts), evaluated from text the same way.
  await bundleCjs({ input: join(root, REVIEW_WORKER), file: join(mainOut, 'review-worker.cjs') });
  // The sandboxed preload may require only 'electron' (see the header).
  const preloadRequires = requiredModules(readFileSync(join(mainOut, 'preload.cjs'), 'utf8')).filter((m) => m !== 'electron');
  if (preloadRequires.length > 0) {
    throw new BuildError(`build: build/out/main/preload.cjs requires ${preloadRequires.join(', ')}; a sandboxed preload may require only 'electron'.`);
  }
}

/** The npm package a bundled module belongs to (name and folder), from its path; undefined for our own files. */
export function packageOf(id) {
  const parts = id.split(/[\\/]/);
  const at = parts.lastIndexOf('node_modules');
  if (at < 0) return undefined;
  const scoped = parts[at + 1].startsWith('@');
  const end = at + (scoped ? 3 : 2);
  return { name: parts.slice(at + 1, end).join('/'), dir: parts.slice(0, end).join(sep) };
}

function readPackageJson(dir) {
  return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
}

/** The folder Node would load package `name` from, for a module in `fromDir`, or undefined. */
function findPackageDir(fromDir, name) {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', ...name.split('/'));
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * The names of every package an install without devDependencies would have: package.json "dependencies" and,
 * through node_modules, theirs, with their peer dependencies (npm installs those unless marked optional) and their
 * optional dependencies where installed.
 */
export function productionPackages(root) {
  const names = new Set();
  const visited = new Set();
  const queue = [{ dir: root, pkg: readPackageJson(root), root: true }];
  while (queue.length > 0) {
    const { dir, pkg, root: isRoot } = queue.shift();
    const optionalPeer = (name) => pkg.peerDependenciesMeta?.[name]?.optional === true;
    const required = [...Object.keys(pkg.dependencies ?? {}), ...(isRoot ? [] : Object.keys(pkg.peerDependencies ?? {}).filter((n) => !optionalPeer(n)))];
    const optional = Object.keys(pkg.optionalDependencies ?? {});
    for (const name of [...required, ...optional]) {
      const found = findPackageDir(dir, name);
      if (found === undefined) {
        if (!required.includes(name)) continue;
        throw new BuildError(`build: ${name}, a dependency of ${pkg.name}, is not installed; run npm install.`);
      }
      names.add(name);
      const real = realpathSync(found);
      if (visited.has(real)) continue;
      visited.add(real);
      queue.push({ dir: found, pkg: readPackageJson(found), root: false });
    }
  }
  return names;
}

/**
 * Builds the command line into <outDir>/cli (see build/bin/cli-bundle.cjs for what is there). The bundle may hold
 * only our sources and runtime dependencies: a module of any other package (a devDependency imported by mistake)
 * fails the build with its name. The files are written beside the old ones first and then swapped in, so a failed
 * build leaves the previous one (which the bin then finds stale) and a running command never sees half a build.
 */
export async function buildCli(root, outDir) {
  checkEntries(root, ['cli']);
  const cliOut = join(outDir, 'cli');
  mkdirSync(outDir, { recursive: true });
  const next = mkdtempSync(join(outDir, '.cli-next-'));
  chmodSync(next, 0o755); // mkdtemp's 0700 would become the folder's mode after the swap
  try {
    // 'module' first: hash-wasm's ES build lets the bundle keep Argon2 and BLAKE2b alone, where its "main" (one UMD
    // file with every algorithm's wasm as base64) would add 220 kB that every command's start has to read.
    const ids = await bundleCjs({ input: join(root, CLI_ENTRY), file: join(next, CLI_BUNDLE), secp256k1Wasm: 'beside', mainFields: ['module', 'main'] });
    // The Argon2id worker thread of v2 key envelopes, beside the bundle where electron/keystore/argon2-thread.ts
    // looks for it (as beside main.cjs in the app).
    ids.push(...(await bundleCjs({ input: join(root, ARGON2_WORKER), file: join(next, CLI_WORKER), mainFields: ['module', 'main'] })));
    // The curve worker threads (electron/parallel/pool.ts), beside the bundle too, the curve's wasm embedded: the
    // thread evaluates the file's text, so it cannot find a file beside itself.
    ids.push(...(await bundleCjs({ input: join(root, CURVE_WORKER), file: join(next, CLI_CURVE_WORKER) })));
    for (const file of [CLI_BUNDLE, CLI_WORKER, CLI_CURVE_WORKER]) {
      const requires = requiredModules(readFileSync(join(next, file), 'utf8')).filter((m) => !isBuiltin(m));
      if (requires.length > 0) throw new BuildError(`build: the command line's ${file} still requires ${requires.join(', ')} at run time; it may require Node built-ins only.`);
    }
    const allowed = productionPackages(root);
    const realRoot = realpathSync(root);
    // The build's own scripts count as inputs too: a change to how it bundles makes the build stale.
    const inputs = new Set(['build/scripts/build.mjs', 'build/bin/cli-bundle.cjs', 'build/scripts/code-cache.mjs'].filter((f) => existsSync(join(root, f))));
    const packages = new Map();
    const foreign = new Set();
    for (const id of ids) {
      const pkg = packageOf(id);
      const inCheckout = relative(realRoot, id);
      if (pkg === undefined && !inCheckout.startsWith('..') && !isAbsolute(inCheckout)) inputs.add(inCheckout.split(sep).join('/'));
      else if (pkg === undefined) throw new BuildError(`build: the command line would bundle ${id}, which is neither in the checkout nor an npm package; nothing was written.`);
      else if (allowed.has(pkg.name)) packages.set(pkg.name, readPackageJson(pkg.dir).version);
      else foreign.add(pkg.name);
    }
    if (foreign.size > 0) {
      throw new BuildError(`build: the command line would bundle ${[...foreign].sort().join(', ')}, not runtime dependencies (package.json "dependencies" or theirs); nothing was written.`);
    }
    const codeCache = makeCodeCache(root, next);
    const record = {
      inputs: [...inputs].sort().map((path) => inputRecord(root, path)),
      packages: [...packages].sort(([a], [b]) => a.localeCompare(b)).map(([name, version]) => ({ name, version })),
      ...(codeCache ? { codeCache } : {}),
    };
    writeFileSync(join(next, CLI_INPUTS), `${JSON.stringify(record, null, 2)}\n`);
    rmSync(cliOut, { recursive: true, force: true });
    renameSync(next, cliOut);
  } finally {
    rmSync(next, { recursive: true, force: true });
  }
}

/**
 * The bundle's code cache (build/scripts/code-cache.mjs: a fresh process runs the demo through the bundle in
 * `cliDir` and writes what V8 compiled), and its record for inputs.json: the file, its sha256 and the sha256 of the
 * bundle it belongs to, which the bin checks before handing it to V8. Without the demo key store (a tree that has
 * none) there is no cache and the command line compiles at each start, as before. The process gets no environment
 * but PATH (and Windows' SystemRoot): no passphrase variable, and no NODE_OPTIONS whose V8 flags would make the
 * cache one that V8 refuses at run time.
 */
function makeCodeCache(root, cliDir) {
  const demo = join(root, 'electron', 'demo');
  if (!isFile(join(demo, 'keys.json'))) return undefined;
  const scratch = mkdtempSync(join(tmpdir(), 'offline-signer-code-cache-'));
  try {
    const r = spawnSync(process.execPath, [join(REPO_ROOT, 'build', 'scripts', 'code-cache.mjs'), cliDir, demo, scratch], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', ...(process.env.SystemRoot ? { SystemRoot: process.env.SystemRoot } : {}) } });
    if (r.status !== 0) throw new BuildError(`build: the command line's code cache could not be made: ${(r.stderr || r.error?.message || `exit ${r.status}`).trim()}; nothing was written.`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  const sha256 = (file) => createHash('sha256').update(readFileSync(join(cliDir, file))).digest('hex');
  return { file: CLI_CODE_CACHE, sha256: sha256(CLI_CODE_CACHE), bundleSha256: sha256(CLI_BUNDLE) };
}

export async function buildRenderer(root, outDir) {
  checkEntries(root, ['renderer']);
  const { build } = await import('vite');
  await build({
    configFile: join(root, 'renderer/vite.config.ts'),
    logLevel: 'warn',
    build: { outDir: join(outDir, 'renderer'), emptyOutDir: true },
  });
  if (!isFile(join(outDir, 'renderer', 'index.html'))) {
    throw new BuildError(`build: vite produced no index.html in ${join(outDir, 'renderer')}.`);
  }
  const missing = missingUrlAssets(join(outDir, 'renderer', 'assets'));
  if (missing.length > 0) {
    throw new BuildError(`build: the renderer bundle refers to ${missing.join(', ')}, which vite did not write; the app would start without it.`);
  }
}

/**
 * Files a bundle loads by `new URL('<file>', import.meta.url)` (the QR decoder's Web Worker, for one) that are not
 * in the assets folder. A missing worker fails only when the camera is opened, so the build checks instead.
 */
export function missingUrlAssets(assetsDir) {
  const missing = [];
  for (const name of readdirSync(assetsDir).filter((f) => f.endsWith('.js'))) {
    const code = readFileSync(join(assetsDir, name), 'utf8');
    for (const m of code.matchAll(/new URL\(\s*[`'"]([^`'"]+)[`'"]\s*,\s*import\.meta\.url\s*\)/g)) {
      const ref = m[1];
      if (/^[a-z]+:/.test(ref) || ref.includes('..')) missing.push(`${ref} (not a file of the bundle)`);
      else if (!isFile(join(assetsDir, ref))) missing.push(ref);
    }
  }
  return missing;
}

export async function buildAll({ root = REPO_ROOT, outDir = join(root, 'build', 'out'), only } = {}) {
  const parts = only ? [only] : PARTS;
  // Check every entry first: one message names everything that is missing, before any work starts.
  checkEntries(root, parts);
  if (parts.includes('renderer')) await buildRenderer(root, outDir);
  if (parts.includes('main')) await buildMain(root, outDir);
  if (parts.includes('cli')) await buildCli(root, outDir);
  return parts;
}

function parseArgs(argv) {
  const opts = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = argv[i + 1];
    if ((arg === '--root' || arg === '--out' || arg === '--only') && value !== undefined) {
      if (arg === '--root') opts.root = resolve(value);
      if (arg === '--out') opts.outDir = resolve(value);
      if (arg === '--only') {
        if (!PARTS.includes(value)) throw new BuildError(`build: --only must be main, renderer or cli, got ${value}.`);
        opts.only = value;
      }
      i++;
    } else {
      throw new BuildError(`build: unknown argument ${arg} (known: --root <dir>, --out <dir>, --only main|renderer|cli).`);
    }
  }
  if (opts.root && !opts.outDir) opts.outDir = join(opts.root, 'build', 'out');
  return opts;
}

/** Runs the build as a command: one line on success, one line (no stack) on a failure the user can fix. */
export async function main(argv = process.argv.slice(2)) {
  try {
    const opts = parseArgs(argv);
    const started = Date.now();
    const parts = await buildAll(opts);
    const out = relative(process.cwd(), opts.outDir ?? join(REPO_ROOT, 'build', 'out')) || '.';
    console.log(`build: ${parts.join(' + ')} -> ${out} in ${((Date.now() - started) / 1000).toFixed(1)}s`);
    return 0;
  } catch (e) {
    if (e instanceof BuildError) {
      console.error(e.message);
      return 1;
    }
    // Bundler errors (a syntax error, an unresolved import) carry their own file:line context: keep it whole.
    console.error('build: failed:', e instanceof Error ? (e.message || String(e)) : String(e));
    return 1;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main();
}

export { REPO_ROOT };
