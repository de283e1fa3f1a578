// Which Chromium the browser tests (the 'e2e' project, test/e2e) drive. Decided once, before any test, by the
// global setup (test/support/global-setup.ts), which puts the path in TEST_BROWSER_ENV; the e2e project's launch
// options read it there (test/playwright.config.ts). In order:
//   1. Playwright's own Chromium, where `npx playwright install chromium` puts it (chromium.executablePath());
//   2. the system's: chromium, chromium-browser, google-chrome, the first found on PATH;
//   3. none: as root on a Debian-like system (apt-get on PATH), Debian's chromium is installed the way .ci/run does
//      it; otherwise the run stops before any test with one sentence naming the command that installs one.
// The decision is a pure function of the probes, so the tests can give it any machine.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** The environment variable that carries the chosen browser's path from the global setup to the e2e workers. */
export const TEST_BROWSER_ENV = 'OFFLINE_SIGNER_TEST_BROWSER';

/** System browsers looked for on PATH, in this order. */
export const SYSTEM_BROWSERS = ['chromium', 'chromium-browser', 'google-chrome'] as const;

/** How .ci/run installs the browser, and what is run here as root on a Debian-like system. */
export const APT_INSTALL = [
  ['apt-get', 'update', '-qq'],
  ['apt-get', 'install', '-y', '-qq', '--no-install-recommends', 'chromium'],
] as const;

/** What the machine looks like, as far as finding a browser goes. */
export interface BrowserProbes {
  /** Where Playwright's own Chromium is, or would be once installed (chromium.executablePath()). */
  playwrightChromium: string | undefined;
  /** The folders of PATH, in order. */
  pathDirs: readonly string[];
  /** Whether `path` is an executable file. */
  isExecutable(path: string): boolean;
  /** Whether this process runs as root (uid 0). */
  isRoot: boolean;
}

export type BrowserPlan =
  | { kind: 'found'; path: string; source: string }
  | { kind: 'install'; commands: ReadonlyArray<readonly string[]> }
  | { kind: 'missing'; message: string };

/** The first executable named `name` on PATH, or undefined. */
function onPath(probes: BrowserProbes, name: string): string | undefined {
  for (const dir of probes.pathDirs) {
    const path = join(dir, name);
    if (probes.isExecutable(path)) return path;
  }
  return undefined;
}

/**
 * The browser to use, or what to do when there is none. `afterInstall` carries the reason an installation just
 * failed (or `true` when it ran), so a second look never installs again.
 */
export function planBrowser(probes: BrowserProbes, afterInstall?: true | string): BrowserPlan {
  if (probes.playwrightChromium !== undefined && probes.isExecutable(probes.playwrightChromium)) {
    return { kind: 'found', path: probes.playwrightChromium, source: "Playwright's own Chromium" };
  }
  for (const name of SYSTEM_BROWSERS) {
    const path = onPath(probes, name);
    if (path !== undefined) return { kind: 'found', path, source: `${name} on PATH` };
  }
  const apt = onPath(probes, 'apt-get') !== undefined;
  if (apt && probes.isRoot && afterInstall === undefined) return { kind: 'install', commands: APT_INSTALL };
  const names = `${SYSTEM_BROWSERS.slice(0, -1).join(', ')} or ${SYSTEM_BROWSERS[SYSTEM_BROWSERS.length - 1]}`;
  const looked = `The browser tests need Chromium and found neither Playwright's own nor ${names} on PATH`;
  const aptInstall = APT_INSTALL[1].join(' ');
  let message: string;
  if (typeof afterInstall === 'string') message = `${looked}, and \`${aptInstall}\` failed (${afterInstall}): run it yourself to see why, then npm test again.`;
  else if (afterInstall === true) message = `${looked}, even after \`${aptInstall}\`: run \`npx playwright install chromium\`, then npm test again.`;
  else if (apt) message = `${looked}: run \`sudo apt-get install -y chromium\`, then npm test again.`;
  else message = `${looked}: run \`npx playwright install chromium\`, then npm test again.`;
  return { kind: 'missing', message };
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** This machine's probes. */
export function machineProbes(playwrightChromium: string | undefined, env: NodeJS.ProcessEnv = process.env): BrowserProbes {
  return {
    playwrightChromium,
    pathDirs: (env.PATH ?? '').split(delimiter).filter((d) => d !== ''),
    isExecutable,
    isRoot: process.getuid?.() === 0,
  };
}

/** Runs the installation commands; undefined when they succeeded, else the reason (one line). */
export function runInstall(commands: ReadonlyArray<readonly string[]>): string | undefined {
  for (const [command, ...args] of commands) {
    const r = spawnSync(command!, args, { encoding: 'utf8', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }, stdio: ['ignore', 'ignore', 'pipe'] });
    if (r.error) return r.error.message;
    if (r.status !== 0) return `${command} ${args[0]} exited with status ${r.status}: ${r.stderr.trim().split('\n').pop() ?? ''}`.trim();
  }
  return undefined;
}

/** A failure the user can act on, printed by Playwright as its one sentence (no stack). */
export class BrowserSetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BrowserSetupError';
    this.stack = message;
  }
}

/**
 * Finds the browser, installing it first when planBrowser says so; returns its path or throws a
 * BrowserSetupError of one sentence. `log` hears what is being installed (it takes a while).
 */
export function findOrInstallBrowser(probes: () => BrowserProbes, log: (line: string) => void, install = runInstall): { path: string; source: string } {
  let plan = planBrowser(probes());
  if (plan.kind === 'install') {
    log(`test setup: no Chromium found; installing Debian's with ${plan.commands.map((c) => c.join(' ')).join(' && ')}, as .ci/run does`);
    const failure = install(plan.commands);
    plan = planBrowser(probes(), failure ?? true);
  }
  if (plan.kind === 'missing') throw new BrowserSetupError(plan.message);
  if (plan.kind === 'install') throw new Error('planBrowser asked to install twice');
  return { path: plan.path, source: plan.source };
}
