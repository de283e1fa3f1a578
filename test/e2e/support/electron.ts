// The real-Electron side of the e2e specs: find a binary without ever triggering a download, launch the built app
// with Playwright's Electron driver, or skip the test with one clear line when no binary is here.
//
// Never `require('electron')` to find the binary: node_modules/electron/index.js runs Electron's installer when
// the binary is missing, i.e. a download attempt from inside a test. We read the same files it reads instead.
import { _electron, type ElectronApplication, type Page, type TestType } from '@playwright/test';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { REPO_ROOT } from './paths';

export const SKIP_REASON = 'Electron binary not available here (set ELECTRON_OVERRIDE_DIST_PATH to run the real-app specs)';

/** The executable inside an unpacked Electron, as node_modules/electron/install.js names it per platform. */
function platformExecutable(platform: NodeJS.Platform = process.platform): string {
  if (platform === 'darwin') return 'Electron.app/Contents/MacOS/Electron';
  if (platform === 'win32') return 'electron.exe';
  return 'electron';
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * The Electron executable to launch, or null: ELECTRON_OVERRIDE_DIST_PATH (an unpacked Electron folder) when set,
 * else node_modules/electron/dist when Electron's installer has already unpacked the pinned version there.
 */
export function findElectronBinary(env: NodeJS.ProcessEnv = process.env): string | null {
  // Resolve the package's folder through its package.json: that never runs index.js.
  const packageDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  const recorded = existsSync(join(packageDir, 'path.txt')) ? readFileSync(join(packageDir, 'path.txt'), 'utf8').trim() : '';
  const executable = recorded || platformExecutable();
  if (env.ELECTRON_OVERRIDE_DIST_PATH) {
    const path = join(env.ELECTRON_OVERRIDE_DIST_PATH, executable);
    return isFile(path) ? path : null;
  }
  const path = join(packageDir, 'dist', executable);
  return recorded !== '' && isFile(path) ? path : null;
}

/** What a spec gets: the running app, its first window, and the path of the binary that runs it. */
export interface LaunchedApp {
  app: ElectronApplication;
  window: Page;
  executablePath: string;
}

/**
 * Builds nothing (the 'electron' project's setup builds build/out first) and launches the app in demo mode, or
 * skips the calling test with SKIP_REASON. Close `app` when done.
 *
 * The app is launched as a folder (the repository, whose package.json "main" is build/out/main/main.cjs) rather
 * than as `build/out/main/main.cjs`: Electron's default app sets app.getAppPath() to the folder it was given (or
 * to the script's own folder when given a script), and main.ts finds the preload and the renderer bundle from
 * app.getAppPath() exactly as it does inside the packaged asar.
 */
export async function launchElectronOrSkip(test: TestType<object, object>, extraArgs: string[] = []): Promise<LaunchedApp> {
  const executablePath = findElectronBinary();
  test.skip(executablePath === null, SKIP_REASON);
  if (executablePath === null) throw new Error(SKIP_REASON); // not reached: test.skip throws
  for (const built of ['build/out/main/main.cjs', 'build/out/main/preload.cjs', 'build/out/main/argon2-worker.cjs', 'build/out/renderer/index.html']) {
    if (!isFile(join(REPO_ROOT, built))) throw new Error(`${built} is missing: run npm run build before the electron specs`);
  }
  // A fresh profile per launch: main holds a single-instance lock on the profile (a developer's open app, or a
  // parallel test, would make this launch quit at once), and its audit log must not land in the real profile.
  const userData = mkdtempSync(join(tmpdir(), 'offline-signer-electron-profile-'));
  const app = await _electron.launch({ executablePath, args: [REPO_ROOT, '--demo', `--user-data-dir=${userData}`, ...extraArgs], cwd: REPO_ROOT });
  app.on('close', () => rmSync(userData, { recursive: true, force: true }));
  const window = await app.firstWindow();
  return { app, window, executablePath };
}
