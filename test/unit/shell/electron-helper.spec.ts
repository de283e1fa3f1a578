// test/e2e/support/electron.ts finds Electron's binary from the override folder or an unpacked dist, and never
// runs node_modules/electron/index.js (which would start a download): nothing appears under dist/ after a lookup.
import { test, expect } from '@playwright/test';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { findElectronBinary, SKIP_REASON } from '../../e2e/support/electron';

const electronDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
const executable = process.platform === 'win32' ? 'electron.exe' : process.platform === 'darwin' ? 'Electron.app/Contents/MacOS/Electron' : 'electron';

test('ELECTRON_OVERRIDE_DIST_PATH: the executable inside it, or null when it is not there', () => {
  test.skip(process.platform === 'darwin', 'the stand-in below is a flat file, not an app bundle');
  const dist = mkdtempSync(join(tmpdir(), 'offline-signer-override-'));
  try {
    expect(findElectronBinary({ ELECTRON_OVERRIDE_DIST_PATH: dist })).toBeNull();
    writeFileSync(join(dist, executable), '');
    chmodSync(join(dist, executable), 0o755);
    expect(findElectronBinary({ ELECTRON_OVERRIDE_DIST_PATH: dist })).toBe(join(dist, executable));
  } finally {
    rmSync(dist, { recursive: true, force: true });
  }
});

test('without an override: the unpacked dist if present, else null, and the lookup downloads nothing', () => {
  const hadDist = existsSync(join(electronDir, 'dist'));
  const found = findElectronBinary({});
  if (hadDist && existsSync(join(electronDir, 'path.txt'))) {
    expect(found).not.toBeNull();
  } else {
    expect(found).toBeNull();
    expect(existsSync(join(electronDir, 'dist'))).toBe(false);
    expect(existsSync(join(electronDir, 'path.txt'))).toBe(false);
  }
});

test('the skip line is one sentence that says how to run the specs', () => {
  expect(SKIP_REASON).not.toContain('\n');
  expect(SKIP_REASON).toContain('ELECTRON_OVERRIDE_DIST_PATH');
});
