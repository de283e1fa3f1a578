// Which Chromium the browser tests drive (test/support/browser.ts, run once by the global setup): Playwright's own
// first, then chromium, chromium-browser, google-chrome on PATH; none found: installed with apt-get as root on a
// Debian-like system, otherwise one sentence naming the command that installs one. Every machine here is a set of
// injected probes: which files exist and are executable, PATH, whether we are root.
import { test, expect } from '@playwright/test';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { APT_INSTALL, BrowserSetupError, findOrInstallBrowser, machineProbes, planBrowser, type BrowserProbes } from '../../support/browser';

const PLAYWRIGHT = '/root/.cache/ms-playwright/chromium-1200/chrome-linux/chrome';

function machine(files: string[], { root = false, path = ['/usr/local/bin', '/usr/bin', '/bin'] } = {}): BrowserProbes {
  const present = new Set(files);
  return { playwrightChromium: PLAYWRIGHT, pathDirs: path, isExecutable: (p) => present.has(p), isRoot: root };
}

/** One sentence: a single line, a single full stop, at its end. */
function expectOneSentence(message: string): void {
  expect(message).not.toContain('\n');
  expect(message).toMatch(/\.$/);
  expect(message.slice(0, -1)).not.toMatch(/\.\s/);
}

test("Playwright's own Chromium comes first, even with a system browser on PATH", () => {
  expect(planBrowser(machine([PLAYWRIGHT, '/usr/bin/chromium']))).toEqual({ kind: 'found', path: PLAYWRIGHT, source: "Playwright's own Chromium" });
});

test('then the system browsers by name, each looked up along PATH: chromium, chromium-browser, google-chrome', () => {
  expect(planBrowser(machine(['/usr/bin/chromium']))).toEqual({ kind: 'found', path: '/usr/bin/chromium', source: 'chromium on PATH' });
  // chromium-browser earlier on PATH still loses to chromium later on it: names first, then PATH order.
  expect(planBrowser(machine(['/usr/local/bin/chromium-browser', '/bin/chromium']))).toMatchObject({ path: '/bin/chromium' });
  expect(planBrowser(machine(['/usr/bin/chromium-browser', '/usr/bin/google-chrome']))).toMatchObject({ path: '/usr/bin/chromium-browser' });
  expect(planBrowser(machine(['/usr/bin/chromium', '/usr/local/bin/chromium']))).toMatchObject({ path: '/usr/local/bin/chromium' });
  expect(planBrowser(machine(['/opt/google/chrome/google-chrome'], { path: ['/opt/google/chrome'] }))).toMatchObject({ path: '/opt/google/chrome/google-chrome', source: 'google-chrome on PATH' });
  // Not on PATH is not found: a browser the user's shell would not run either.
  expect(planBrowser(machine(['/opt/chromium/chromium'])).kind).not.toBe('found');
});

test("none, as root with apt-get: install Debian's chromium exactly as .ci/run does", () => {
  expect(planBrowser(machine(['/usr/bin/apt-get'], { root: true }))).toEqual({ kind: 'install', commands: APT_INSTALL });
  expect(APT_INSTALL.map((c) => c.join(' '))).toEqual(['apt-get update -qq', 'apt-get install -y -qq --no-install-recommends chromium']);
});

test('none and no way to install here: one sentence naming the command, chosen by the machine', () => {
  const cases: [BrowserProbes, string][] = [
    [machine(['/usr/bin/apt-get']), '`sudo apt-get install -y chromium`'],
    [machine([]), '`npx playwright install chromium`'],
    [machine([], { root: true }), '`npx playwright install chromium`'],
  ];
  for (const [probes, command] of cases) {
    const plan = planBrowser(probes);
    expect(plan.kind).toBe('missing');
    const message = plan.kind === 'missing' ? plan.message : '';
    expect(message).toBe(`The browser tests need Chromium and found neither Playwright's own nor chromium, chromium-browser or google-chrome on PATH: run ${command}, then npm test again.`);
    expectOneSentence(message);
  }
});

test('after an installation: never a second one; a failure is named with its reason', () => {
  const root = machine(['/usr/bin/apt-get'], { root: true });
  const failed = planBrowser(root, 'apt-get update exited with status 100: E: Could not resolve deb.debian.org');
  expect(failed.kind).toBe('missing');
  if (failed.kind === 'missing') {
    expect(failed.message).toContain('and `apt-get install -y -qq --no-install-recommends chromium` failed (apt-get update exited with status 100: E: Could not resolve deb.debian.org): run it yourself to see why, then npm test again.');
    expectOneSentence(failed.message);
  }
  const ranButNone = planBrowser(root, true);
  expect(ranButNone.kind === 'missing' && ranButNone.message).toContain('even after `apt-get install -y -qq --no-install-recommends chromium`: run `npx playwright install chromium`');
});

test('findOrInstallBrowser: installs once when told to, then uses what the install put on PATH', () => {
  const installs: unknown[] = [];
  const log: string[] = [];
  let installed = false;
  const probes = () => machine(installed ? ['/usr/bin/apt-get', '/usr/bin/chromium'] : ['/usr/bin/apt-get'], { root: true });
  const found = findOrInstallBrowser(probes, (l) => log.push(l), (commands) => {
    installs.push(commands);
    installed = true;
    return undefined;
  });
  expect(found).toEqual({ path: '/usr/bin/chromium', source: 'chromium on PATH' });
  expect(installs).toEqual([APT_INSTALL]);
  expect(log).toEqual(["test setup: no Chromium found; installing Debian's with apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium, as .ci/run does"]);

  // A failed install stops the run with the sentence (Playwright prints the message alone: the stack is the message).
  let caught: unknown;
  try {
    findOrInstallBrowser(() => machine(['/usr/bin/apt-get'], { root: true }), () => {}, () => 'no network');
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(BrowserSetupError);
  expect((caught as Error).stack).toBe((caught as Error).message);
  expect((caught as Error).message).toContain('failed (no network)');

  // Found at once: nothing installed, nothing said.
  expect(findOrInstallBrowser(() => machine([PLAYWRIGHT]), (l) => log.push(l), () => { throw new Error('must not install'); })).toEqual({ path: PLAYWRIGHT, source: "Playwright's own Chromium" });
  expect(log).toHaveLength(1);
});

test('machineProbes: PATH in order, and only executable files count (a folder or a plain file does not)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'offline-signer-probes-'));
  try {
    writeFileSync(join(dir, 'chromium'), '#!/bin/sh\n');
    writeFileSync(join(dir, 'chromium-browser'), '#!/bin/sh\n');
    chmodSync(join(dir, 'chromium-browser'), 0o755);
    mkdirSync(join(dir, 'google-chrome'));
    const probes = machineProbes(undefined, { PATH: `${dir}::/nonexistent` });
    expect(probes.pathDirs).toEqual([dir, '/nonexistent']);
    expect(probes.isRoot).toBe(process.getuid?.() === 0);
    // Mode 0644 has no execute bit, which access(X_OK) needs even for root.
    expect(probes.isExecutable(join(dir, 'google-chrome'))).toBe(false);
    expect(probes.isExecutable(join(dir, 'chromium-browser'))).toBe(true);
    expect(probes.isExecutable(join(dir, 'chromium'))).toBe(false);
    expect(planBrowser(probes)).toEqual({ kind: 'found', path: join(dir, 'chromium-browser'), source: 'chromium-browser on PATH' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
