#!/usr/bin/env node
// `npm run build`: the renderer with Vite (renderer/vite.config.ts) into build/out/renderer, and the two
// Electron entry points with rolldown (the bundler inside Vite 8) into build/out/main:
//   electron/main.ts    -> build/out/main/main.cjs     (package.json "main")
//   electron/preload.ts -> build/out/main/preload.cjs  (loaded by main.ts as the window's preload)
// plus the worker thread main starts for v2 key envelopes:
//   electron/keystore/argon2-worker.mjs -> build/out/main/argon2-worker.cjs  (hash-wasm inside; main reads it beside
//   main.cjs and evaluates it, see electron/keystore/argon2-thread.ts)
//
// Why CommonJS single files: a preload running with `sandbox: true` is not a Node module loader; Electron gives
// it a small `require` that only knows 'electron' and a few polyfilled modules, so it must be one CJS file that
// requires nothing but 'electron' (https://www.electronjs.org/docs/latest/tutorial/sandbox#preload-scripts).
// This script checks that after bundling. Main is CJS too so that it loads the same way in every Electron 45
// build, with `electron` and Node built-ins left as requires and every npm dependency bundled in: the packaged
// app (build/electron-builder.config.cjs) then ships build/out/** and nothing from node_modules.
//
// Options (for tests): --root <dir> builds another checkout-shaped tree; --only main|renderer limits the work;
// --out <dir> writes there instead of <root>/build/out.
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** A build failure the user can act on: printed as one line, without a stack trace. */
export class BuildError extends Error {
  constructor(message) {
    super(message);
    this.name = 'BuildError';
  }
}

/** The entries the build needs, with who provides them, so a missing one is named precisely. */
export const ENTRIES = [
  { part: 'main', path: 'electron/main.ts', what: 'the Electron main process entry' },
  { part: 'main', path: 'electron/preload.ts', what: 'the window preload script' },
  { part: 'main', path: 'electron/keystore/argon2-worker.mjs', what: 'the Argon2id worker thread' },
  { part: 'renderer', path: 'renderer/vite.config.ts', what: 'the renderer Vite config' },
  { part: 'renderer', path: 'renderer/index.html', what: 'the renderer HTML entry' },
];

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
// a bundle does not have. This plugin loads the loader module with the wasm bytes embedded instead, so main.cjs
// stays self-contained (and inside the asar, covered by its integrity check). The original loader is checked
// for the exact shape it replaces, so an upgrade that changes it fails the build instead of breaking at run time.
function embedSecp256k1Wasm() {
  const loaderRe = /[\\/]tiny-secp256k1[\\/]lib[\\/](cjs[\\/])?wasm_loader\.c?js$/;
  return {
    name: 'offline-signer:embed-secp256k1-wasm',
    load(id) {
      if (!loaderRe.test(id)) return null;
      const original = readFileSync(id, 'utf8');
      if (!original.includes('readFileSync') || !original.includes('"secp256k1.wasm"') || !original.includes('./rand.js')) {
        throw new BuildError(`build: ${id} no longer has the shape the wasm-embedding step expects; review the tiny-secp256k1 upgrade.`);
      }
      const libDir = loaderRe.exec(id)[1] ? join(dirname(id), '..') : dirname(id);
      const wasm = readFileSync(join(libDir, 'secp256k1.wasm')).toString('base64');
      // Same imports object and instantiation as the original loader; only the byte source differs.
      return [
        `import * as rand from ${JSON.stringify(join(libDir, 'rand.js'))};`,
        `import * as validate_error from ${JSON.stringify(join(libDir, 'validate_error.js'))};`,
        `const binary = Buffer.from(${JSON.stringify(wasm)}, 'base64');`,
        `const imports = { './rand.js': rand, './validate_error.js': validate_error };`,
        `const instance = new WebAssembly.Instance(new WebAssembly.Module(binary), imports);`,
        `export default instance.exports;`,
      ].join('\n');
    },
  };
}

/**
 * Bundles one TypeScript entry into a single CommonJS file. `electron` and Node built-ins stay external;
 * everything else (our code and npm dependencies) is bundled.
 */
export async function bundleCjs({ input, file, external = [] }) {
  const { rolldown } = await loadRolldown();
  const bundle = await rolldown({
    input,
    platform: 'node',
    external: (id) => id === 'electron' || id.startsWith('electron/') || isBuiltin(id) || external.includes(id),
    plugins: [embedSecp256k1Wasm()],
    logLevel: 'warn',
  });
  try {
    await bundle.write({ file, format: 'cjs', codeSplitting: false, sourcemap: false });
  } finally {
    await bundle.close();
  }
}

/** Every module name a CJS bundle requires at run time (string-literal require calls). */
export function requiredModules(code) {
  const names = new Set();
  for (const m of code.matchAll(/\brequire\(\s*(["'`])([^"'`]+)\1\s*\)/g)) names.add(m[2]);
  return [...names].sort();
}

export async function buildMain(root, outDir) {
  checkEntries(root, ['main']);
  const mainOut = join(outDir, 'main');
  rmSync(mainOut, { recursive: true, force: true });
  await bundleCjs({ input: join(root, 'electron/main.ts'), file: join(mainOut, 'main.cjs') });
  await bundleCjs({ input: join(root, 'electron/preload.ts'), file: join(mainOut, 'preload.cjs') });
  await bundleCjs({ input: join(root, 'electron/keystore/argon2-worker.mjs'), file: join(mainOut, 'argon2-worker.cjs') });
  // The sandboxed preload may require only 'electron' (see the header).
  const preloadRequires = requiredModules(readFileSync(join(mainOut, 'preload.cjs'), 'utf8')).filter((m) => m !== 'electron');
  if (preloadRequires.length > 0) {
    throw new BuildError(`build: build/out/main/preload.cjs requires ${preloadRequires.join(', ')}; a sandboxed preload may require only 'electron'.`);
  }
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
  const parts = only ? [only] : ['main', 'renderer'];
  // Check every entry first: one message names everything that is missing, before any work starts.
  checkEntries(root, parts);
  if (parts.includes('renderer')) await buildRenderer(root, outDir);
  if (parts.includes('main')) await buildMain(root, outDir);
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
        if (value !== 'main' && value !== 'renderer') throw new BuildError(`build: --only must be main or renderer, got ${value}.`);
        opts.only = value;
      }
      i++;
    } else {
      throw new BuildError(`build: unknown argument ${arg} (known: --root <dir>, --out <dir>, --only main|renderer).`);
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
