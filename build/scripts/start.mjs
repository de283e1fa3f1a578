#!/usr/bin/env node
// `npm start`: build, then run the app in Electron with `--demo` (extra arguments are passed on to the app).
//
// How Electron 45 finds its binary (node_modules/electron/index.js, install.js): `npm install` no longer
// downloads it. `require('electron')` reads node_modules/electron/path.txt and returns dist/<that path>; when
// ELECTRON_OVERRIDE_DIST_PATH is set it returns <override>/<path.txt or 'electron'> without downloading; when the
// binary is missing it runs the package's own installer (install.js, also `npx install-electron`), which fetches
// the release zip with @electron/get (checksums from checksums.json, mirror/cache from ELECTRON_MIRROR and
// electron_config_cache) and unpacks it into dist/.
//
// We follow the same steps, but run install.js ourselves with its output captured and a time limit, so that a
// machine without a network gets one sentence instead of the installer's stack trace; then `require('electron')`
// gives the path exactly as Electron's own CLI would. We never download anything else.
//
// Options: --no-build skips the build (tests, or a build you just ran). Environment: ELECTRON_OVERRIDE_DIST_PATH
// (an unpacked Electron folder), OFFLINE_SIGNER_ELECTRON_INSTALL_TIMEOUT_MS (default 10 minutes).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { platform as osPlatform } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);

/** A launch failure the user can act on: printed as one sentence, without a stack trace. */
export class LaunchError extends Error {
  constructor(message) {
    super(message);
    this.name = 'LaunchError';
  }
}

const NOT_NEEDED_FOR_TESTS = 'the tests (npm test) do not need it';

/** The executable's path inside an unpacked Electron, as install.js's getPlatformPath() names it. */
export function platformExecutable(platform = process.env.ELECTRON_INSTALL_PLATFORM || process.env.npm_config_platform || osPlatform()) {
  switch (platform) {
    case 'mas':
    case 'darwin':
      return 'Electron.app/Contents/MacOS/Electron';
    case 'win32':
      return 'electron.exe';
    default:
      return 'electron';
  }
}

function electronPackageDir() {
  return dirname(require.resolve('electron/package.json'));
}

function readOr(path, fallback) {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return fallback;
  }
}

/**
 * Where Electron's binary is, without downloading: the override folder when ELECTRON_OVERRIDE_DIST_PATH is set,
 * else node_modules/electron/dist when install.js has unpacked the pinned version there. `installed` says whether
 * the file exists. Mirrors index.js and install.js's isInstalled().
 */
export function locateElectron(env = process.env, packageDir = electronPackageDir()) {
  const version = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')).version;
  const recorded = readOr(join(packageDir, 'path.txt'), '');
  if (env.ELECTRON_OVERRIDE_DIST_PATH) {
    const path = join(env.ELECTRON_OVERRIDE_DIST_PATH, recorded || platformExecutable());
    return { source: 'override', version, path, installed: existsSync(path) };
  }
  const path = join(packageDir, 'dist', recorded || platformExecutable());
  const distVersion = readOr(join(packageDir, 'dist', 'version'), '').trim().replace(/^v/, '');
  return { source: 'dist', version, path, installed: recorded !== '' && distVersion === version && existsSync(path) };
}

/** The installer's own reason, reduced to its first non-stack line ("TypeError: fetch failed" -> "fetch failed"). */
export function installerReason(output) {
  const line = output
    .split(/\r?\n/)
    .map((l) => l.trim())
    .find((l) => l !== '' && !l.startsWith('at ') && !/^Downloading/i.test(l));
  if (!line) return 'the installer gave no reason';
  return line.replace(/^(\w*Error): /, '').slice(0, 200);
}

/**
 * Runs Electron's installer (node_modules/electron/install.js, the same one `require('electron')` would run)
 * with its output captured and a time limit. Throws a LaunchError of one sentence when it fails.
 */
export function installElectron({ env = process.env, packageDir = electronPackageDir(), timeoutMs } = {}) {
  const limit = timeoutMs ?? (Number(env.OFFLINE_SIGNER_ELECTRON_INSTALL_TIMEOUT_MS) || 10 * 60_000);
  const r = spawnSync(process.execPath, [join(packageDir, 'install.js')], { env, encoding: 'utf8', timeout: limit, windowsHide: true });
  const version = locateElectron(env, packageDir).version;
  const advice = `set ELECTRON_OVERRIDE_DIST_PATH to an unpacked Electron ${version} folder to run the app; ${NOT_NEEDED_FOR_TESTS}`;
  if (r.error && r.error.code === 'ETIMEDOUT') {
    throw new LaunchError(`Electron's binary is not installed and its download did not finish within ${Math.round(limit / 1000)} s (slow or no network?); ${advice}.`);
  }
  if (r.error || r.status !== 0) {
    const reason = r.error ? r.error.message : installerReason(`${r.stderr}\n${r.stdout}`);
    throw new LaunchError(`Electron's binary is not installed and could not be downloaded from Electron's release host (no network?): ${reason}; ${advice}.`);
  }
}

/** The binary to launch: located, or installed the supported way first. Throws a one-sentence LaunchError. */
export function resolveElectron(env = process.env, packageDir = electronPackageDir()) {
  let found = locateElectron(env, packageDir);
  if (found.source === 'override') {
    if (!found.installed) {
      throw new LaunchError(`ELECTRON_OVERRIDE_DIST_PATH is set but ${found.path} does not exist; point it at the folder of an unpacked Electron ${found.version} (the one holding ${platformExecutable()}); ${NOT_NEEDED_FOR_TESTS}.`);
    }
    return found.path;
  }
  if (!found.installed) {
    // Progress on stdout: stderr carries only the one-sentence failure, if any.
    console.log(`Electron ${found.version}'s binary is not installed yet; downloading it once with Electron's installer (npx install-electron)...`);
    installElectron({ env, packageDir });
    found = locateElectron(env, packageDir);
    if (!found.installed) {
      throw new LaunchError(`Electron's installer finished but ${found.path} does not exist; delete node_modules/electron, run npm install and then npx install-electron; ${NOT_NEEDED_FOR_TESTS}.`);
    }
  }
  // Now the package's own resolution returns the same path without downloading (index.js only downloads when
  // the binary is missing); asking it keeps us on the supported path if its rules change.
  const viaPackage = createRequire(join(packageDir, 'package.json'))(packageDir);
  return typeof viaPackage === 'string' && existsSync(viaPackage) ? viaPackage : found.path;
}

/** Spawns Electron on the app (package.json "main" = build/out/main/main.cjs) and resolves with its exit code. */
export function launch(electronPath, appArgs, { cwd = REPO_ROOT, env = process.env } = {}) {
  return new Promise((resolveExit) => {
    const child = spawn(electronPath, [REPO_ROOT, '--demo', ...appArgs], { cwd, env, stdio: 'inherit', windowsHide: false });
    const forward = (signal) => () => child.kill(signal);
    for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, forward(signal));
    child.on('error', (e) => {
      console.error(`Electron could not be started from ${electronPath}: ${e.message}.`);
      resolveExit(1);
    });
    child.on('close', (code, signal) => resolveExit(code ?? (signal ? 1 : 0)));
  });
}

export async function main(argv = process.argv.slice(2), env = process.env) {
  const build = !argv.includes('--no-build');
  const appArgs = argv.filter((a) => a !== '--no-build');
  try {
    if (build) {
      const { main: runBuild } = await import('./build.mjs');
      const code = await runBuild([]);
      if (code !== 0) return code;
    }
    const electronPath = resolveElectron(env);
    return await launch(electronPath, appArgs, { env });
  } catch (e) {
    if (e instanceof LaunchError) {
      console.error(e.message);
      return 1;
    }
    console.error(`npm start failed: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main();
}
