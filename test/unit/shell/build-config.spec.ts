// The packaging configuration (build/electron-builder.config.cjs) holds security settings that no other test
// exercises, because packaging needs a network: every fuse, asar, what goes into the package, no publishing or
// auto-update, and the targets. The config is also validated against electron-builder's own schema, so a typo
// (`runAsNod: false`) fails here rather than being ignored at packaging time.
import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { REPO_ROOT } from '../../../build/scripts/build.mjs';

const require = createRequire(import.meta.url);
const CONFIG_PATH = join(REPO_ROOT, 'build', 'electron-builder.config.cjs');

interface BuilderConfig {
  appId?: string;
  productName?: string;
  directories?: { output?: string; buildResources?: string; app?: string };
  files?: string[];
  extraMetadata?: { main?: string };
  electronVersion?: string;
  asar?: boolean | object;
  asarUnpack?: unknown;
  npmRebuild?: boolean;
  electronFuses?: Record<string, boolean>;
  publish?: unknown;
  linux?: { target?: unknown };
  win?: { target?: unknown; publish?: unknown };
  mac?: { target?: unknown; publish?: unknown; extendInfo?: Record<string, string> };
  nsis?: { differentialPackage?: boolean };
  dmg?: { writeUpdateInfo?: boolean };
  [key: string]: unknown;
}

function loadConfig(): BuilderConfig {
  delete require.cache[CONFIG_PATH];
  return require(CONFIG_PATH) as BuilderConfig;
}

const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
  main: string;
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

function targetNames(target: unknown): string[] {
  const list = Array.isArray(target) ? target : [target];
  return list.map((t) => (typeof t === 'string' ? t : (t as { target: string }).target)).sort();
}

test('identity: appId, productName, output folder, Electron version and entry', () => {
  const c = loadConfig();
  expect(c.appId).toMatch(/^[a-z][a-z0-9]*(\.[a-z][a-z0-9-]*)+$/);
  expect(c.productName).toBe('Offline Signer');
  expect(c.directories?.output).toBe('dist');
  // build/ holds our scripts and output; it must not be electron-builder's resources folder.
  expect(c.directories?.buildResources).not.toBe('build');
  expect(c.electronVersion).toBe(pkg.devDependencies.electron);
  expect(c.extraMetadata?.main).toBe('build/out/main/main.cjs');
  expect(pkg.main).toBe('build/out/main/main.cjs');
  expect(pkg.scripts.dist).toBe('npm run build && electron-builder --config build/electron-builder.config.cjs');
});

test('every fuse is set as the security review requires', () => {
  expect(loadConfig().electronFuses).toEqual({
    runAsNode: false,
    enableCookieEncryption: true,
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: false,
    enableEmbeddedAsarIntegrityValidation: true,
    onlyLoadAppFromAsar: true,
    loadBrowserProcessSpecificV8Snapshot: false,
    grantFileProtocolExtraPrivileges: false,
  });
});

test('asar on, nothing unpacked, no native rebuild', () => {
  const c = loadConfig();
  expect(c.asar).toBe(true);
  expect(c.asarUnpack).toBeUndefined();
  expect(c.npmRebuild).toBe(false);
});

test('files: only the built app and package.json; no node_modules, sources, tests, test bundles or command line', () => {
  const files = loadConfig().files ?? [];
  const includes = files.filter((f) => !f.startsWith('!'));
  expect(includes.sort()).toEqual(['build/out/**', 'package.json']);
  const excludes = files.filter((f) => f.startsWith('!'));
  expect(excludes).toContain('!build/out/e2e-renderer{,/**}');
  expect(excludes).toContain('!build/out/cli{,/**}');
  expect(excludes).toContain('!node_modules{,/**}');
  for (const f of includes) expect(f).not.toMatch(/^(electron|renderer|shared|test|src|node_modules)\b|\*\*\/\*$/);
});

// electron-builder's own matcher (app-builder-lib FileMatcher), with the default exclusion it adds for the app
// folder. The same patterns are applied inside each production dependency's folder when it collects
// node_modules: everything is bundled into main.cjs, so nothing but a dependency's package.json may pass there.
test("files, through electron-builder's own matcher: app files in, sources/tests/test bundles out, no dependency code", () => {
  const builderRequire = createRequire(require.resolve('electron-builder'));
  const { FileMatcher } = builderRequire('app-builder-lib/out/fileMatcher.js') as {
    FileMatcher: new (from: string, to: string, expand: (s: string) => string, patterns: string[]) => {
      createFilter(): (file: string, stat: { isDirectory(): boolean; isFile(): boolean; isSymbolicLink(): boolean }) => boolean;
    };
  };
  const patterns = [...(loadConfig().files ?? []), '!**/node_modules/**'];
  const fileStat = { isDirectory: () => false, isFile: () => true, isSymbolicLink: () => false };
  const accepts = (root: string, rel: string) => new FileMatcher(root, '/packaged', (x) => x, patterns).createFilter()(join(root, rel), fileStat);
  for (const rel of ['package.json', 'build/out/main/main.cjs', 'build/out/main/preload.cjs', 'build/out/main/argon2-worker.cjs', 'build/out/renderer/index.html', 'build/out/renderer/assets/index-x.js']) {
    expect(accepts(REPO_ROOT, rel), rel).toBe(true);
  }
  for (const rel of ['electron/main.ts', 'renderer/App.tsx', 'shared/csp.ts', 'test/unit/shell/smoke.spec.ts', 'build/scripts/build.mjs', 'build/electron-builder.config.cjs', 'build/out/e2e-renderer/index.html', 'build/out/cli/offline-signer.cjs', 'build/out/cli/secp256k1.wasm', 'build/out/main/main.cjs.map', 'tsconfig.json', 'electron/demo/keys.json', 'node_modules/sjcl/sjcl.js']) {
    expect(accepts(REPO_ROOT, rel), rel).toBe(false);
  }
  const dep = join(REPO_ROOT, 'node_modules', 'tiny-secp256k1');
  for (const rel of ['lib/cjs/index.cjs', 'lib/secp256k1.wasm', 'lib/index.js', 'README.md']) expect(accepts(dep, rel), rel).toBe(false);
});

test('no publishing and no auto-update anywhere', () => {
  const c = loadConfig();
  expect(c.publish).toBeNull();
  expect(c.win?.publish).toBeUndefined();
  expect(c.mac?.publish).toBeUndefined();
  expect(c.nsis?.differentialPackage).toBe(false);
  expect(c.dmg?.writeUpdateInfo).toBe(false);
  const allDeps = { ...pkg.dependencies, ...pkg.devDependencies };
  expect(Object.keys(allDeps).filter((d) => /updater/i.test(d))).toEqual([]);
  // The bundle has no updater either: main.ts never imports one (an import would fail lint/build otherwise).
  expect(readFileSync(join(REPO_ROOT, 'electron', 'main.ts'), 'utf8')).not.toMatch(/autoUpdater|electron-updater/);
});

test('targets: Linux AppImage + deb, Windows nsis, macOS dmg with the camera usage text', () => {
  const c = loadConfig();
  expect(targetNames(c.linux?.target)).toEqual(['AppImage', 'deb']);
  expect(targetNames(c.win?.target)).toEqual(['nsis']);
  expect(targetNames(c.mac?.target)).toEqual(['dmg']);
  expect(c.mac?.extendInfo?.NSCameraUsageDescription).toMatch(/QR/);
});

test("the whole config passes electron-builder's own schema validation, and a misspelt fuse does not", async () => {
  const builderRequire = createRequire(require.resolve('electron-builder'));
  const { validateConfiguration } = builderRequire('app-builder-lib/out/util/config/config.js') as {
    validateConfiguration: (config: unknown, logger: unknown) => Promise<void>;
  };
  const { DebugLogger } = builderRequire('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
  const c = loadConfig();
  await expect(validateConfiguration(c, new DebugLogger(false))).resolves.toBeUndefined();
  const typo = { ...c, electronFuses: { ...c.electronFuses, runAsNod: false } };
  await expect(validateConfiguration(typo, new DebugLogger(false))).rejects.toThrow(/electronFuses/);
});
