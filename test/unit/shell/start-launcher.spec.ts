// `npm start` (build/scripts/start.mjs) where Electron's binary cannot be downloaded: one sentence on stderr,
// exit code 1, no stack trace, quickly. The installer run is Electron's own (node_modules/electron/install.js);
// ELECTRON_MIRROR points it at a closed loopback port so the failure is immediate and the same on a machine that
// does have a network (where a real download would otherwise unpack 100 MB into node_modules).
import { test, expect } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../../../build/scripts/build.mjs';
import { installElectron, installerReason, LaunchError, locateElectron, platformExecutable } from '../../../build/scripts/start.mjs';

const START = join(REPO_ROOT, 'build', 'scripts', 'start.mjs');

function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  delete env.ELECTRON_OVERRIDE_DIST_PATH;
  for (const [k, v] of Object.entries(extra)) env[k] = v;
  return env;
}

function expectOneSentence(stderr: string): string {
  const lines = stderr.trim().split('\n');
  expect(lines, `stderr was:\n${stderr}`).toHaveLength(1);
  const line = lines[0] as string;
  expect(line).toMatch(/\.$/);
  expect(line).not.toMatch(/^\w*Error\b/);
  expect(stderr).not.toMatch(/^\s+at /m);
  return line;
}

test.describe('npm start without an Electron binary', () => {
  test('no binary and no download: one sentence, exit 1, within seconds', () => {
    test.skip(locateElectron().installed, 'an Electron binary is installed here, so npm start would launch the real app');
    const cache = mkdtempSync(join(tmpdir(), 'offline-signer-electron-cache-'));
    try {
      const started = Date.now();
      const r = spawnSync(process.execPath, [START, '--no-build'], {
        encoding: 'utf8',
        timeout: 60_000,
        env: cleanEnv({
          ELECTRON_MIRROR: 'http://127.0.0.1:9/',
          electron_config_cache: cache,
          OFFLINE_SIGNER_ELECTRON_INSTALL_TIMEOUT_MS: '30000',
        }),
      });
      expect(r.error).toBeUndefined();
      expect(r.status).toBe(1);
      expect(Date.now() - started).toBeLessThan(45_000);
      const line = expectOneSentence(r.stderr);
      expect(line).toMatch(/^Electron's binary is not installed and could not be downloaded from Electron's release host \(no network\?\): .+; set ELECTRON_OVERRIDE_DIST_PATH to an unpacked Electron \d+\.\d+\.\d+ folder to run the app; the tests \(npm test\) do not need it\.$/);
      // The progress line went to stdout, and nothing was unpacked into node_modules.
      expect(r.stdout).toContain('downloading it once');
      expect(locateElectron().installed).toBe(false);
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  });

  test('ELECTRON_OVERRIDE_DIST_PATH naming a folder without Electron: one sentence naming the path, exit 1', () => {
    const empty = mkdtempSync(join(tmpdir(), 'offline-signer-no-electron-'));
    try {
      const r = spawnSync(process.execPath, [START, '--no-build'], { encoding: 'utf8', timeout: 30_000, env: cleanEnv({ ELECTRON_OVERRIDE_DIST_PATH: empty }) });
      expect(r.status).toBe(1);
      const line = expectOneSentence(r.stderr);
      expect(line).toContain(`ELECTRON_OVERRIDE_DIST_PATH is set but ${join(empty, platformExecutable())} does not exist`);
      expect(r.stdout).toBe('');
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  test('ELECTRON_OVERRIDE_DIST_PATH with an executable: launched on the app with --demo and the extra arguments, exit code passed on', () => {
    test.skip(process.platform === 'win32', 'the stand-in executable is a POSIX shell script');
    const dist = mkdtempSync(join(tmpdir(), 'offline-signer-fake-dist-'));
    try {
      // Not Electron: a stand-in that records how it was started, to check the launcher's own part.
      const record = join(dist, 'argv.txt');
      const exe = join(dist, platformExecutable());
      mkdirSync(join(exe, '..'), { recursive: true });
      writeFileSync(exe, `#!/bin/sh\nprintf '%s\\n' "$@" > '${record}'\nexit 7\n`);
      chmodSync(exe, 0o755);
      const r = spawnSync(process.execPath, [START, '--no-build', '--extra-flag'], { encoding: 'utf8', timeout: 30_000, env: cleanEnv({ ELECTRON_OVERRIDE_DIST_PATH: dist }) });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(7);
      expect(readFileSync(record, 'utf8').trim().split('\n')).toEqual([REPO_ROOT.replace(/[\\/]$/, ''), '--demo', '--extra-flag']);
    } finally {
      rmSync(dist, { recursive: true, force: true });
    }
  });
});

test.describe('launcher pieces', () => {
  test('installerReason keeps the first line of the reason, never the stack', () => {
    const stack = 'TypeError: fetch failed\n    at node:internal/deps/undici/undici:14976:13\n    at async FetchDownloader.download (x.js:46:30)';
    expect(installerReason(stack)).toBe('fetch failed');
    expect(installerReason('Downloading Electron binary...\nError: getaddrinfo ENOTFOUND github.com\n    at y')).toBe('getaddrinfo ENOTFOUND github.com');
    expect(installerReason('\n\n')).toBe('the installer gave no reason');
    expect(installerReason('x'.repeat(500))).toHaveLength(200);
  });

  test('an installer that hangs is stopped at the time limit with one sentence', () => {
    // A package folder shaped like node_modules/electron whose install.js never finishes (a stalled download).
    const pkg = mkdtempSync(join(tmpdir(), 'offline-signer-stalled-'));
    try {
      writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: 'electron', version: '45.4.1' }));
      writeFileSync(join(pkg, 'install.js'), 'setTimeout(() => {}, 60000);\n');
      let caught: unknown;
      try {
        installElectron({ env: cleanEnv({}), packageDir: pkg, timeoutMs: 500 });
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(LaunchError);
      expect((caught as Error).message).toMatch(/^Electron's binary is not installed and its download did not finish within 1 s \(slow or no network\?\); set ELECTRON_OVERRIDE_DIST_PATH .*do not need it\.$/);
    } finally {
      rmSync(pkg, { recursive: true, force: true });
    }
  });

  test('locateElectron follows path.txt and the dist version like install.js', () => {
    const pkg = mkdtempSync(join(tmpdir(), 'offline-signer-pkg-'));
    try {
      writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: 'electron', version: '45.4.1' }));
      expect(locateElectron({}, pkg)).toEqual({ source: 'dist', version: '45.4.1', path: join(pkg, 'dist', platformExecutable()), installed: false });
      mkdirSync(join(pkg, 'dist'));
      writeFileSync(join(pkg, 'path.txt'), 'bin-name');
      writeFileSync(join(pkg, 'dist', 'bin-name'), '');
      writeFileSync(join(pkg, 'dist', 'version'), 'v45.4.0');
      // A binary of another version is not ours: install.js would replace it.
      expect(locateElectron({}, pkg).installed).toBe(false);
      writeFileSync(join(pkg, 'dist', 'version'), 'v45.4.1');
      expect(locateElectron({}, pkg)).toEqual({ source: 'dist', version: '45.4.1', path: join(pkg, 'dist', 'bin-name'), installed: true });
      expect(locateElectron({ ELECTRON_OVERRIDE_DIST_PATH: '/opt/e' }, pkg)).toEqual({ source: 'override', version: '45.4.1', path: join('/opt/e', 'bin-name'), installed: false });
    } finally {
      rmSync(pkg, { recursive: true, force: true });
    }
  });
});
