// The `offline-signer` bin (build/bin/offline-signer.cjs) and the built command line it runs (build/out/cli, made
// by `npm run build` and by `npm install`'s prepare step): the build runs on plain Node with no package at all,
// WebAssembly curve and Argon2 included; a build that is missing or older than its sources is noticed, said in one
// line, and the sources run through tsx instead; without tsx the bin stops with one sentence.
import { test, expect } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleState, CLI_CODE_CACHE, CLI_DIR, CLI_ENTRY, CLI_INPUTS, inputRecord } from '../../../build/bin/cli-bundle.cjs';
import { bin, repoRoot, runCliProcess, SOURCES_FALLBACK } from '../../support/cli';

const fixture = (p: string) => join(repoRoot, 'test/fixtures/bitgo', p);
const env = JSON.parse(readFileSync(fixture('env.json'), 'utf8')) as Record<string, string>;

/**
 * A checkout-shaped folder in tmp: the bin's two files, and on request a copy of the build, links to the sources
 * (and the build script, which the build also records) and to node_modules (where tsx is).
 */
function tree(parts: { build?: boolean; sources?: boolean; nodeModules?: boolean }): string {
  const root = mkdtempSync(join(tmpdir(), 'offline-signer-bin-'));
  mkdirSync(join(root, 'build', 'bin'), { recursive: true });
  for (const f of ['offline-signer.cjs', 'cli-bundle.cjs']) cpSync(join(repoRoot, 'build', 'bin', f), join(root, 'build', 'bin', f));
  if (parts.build) cpSync(join(repoRoot, CLI_DIR), join(root, CLI_DIR), { recursive: true });
  if (parts.sources) for (const d of ['electron', 'shared', 'build/scripts']) symlinkSync(join(repoRoot, d), join(root, d));
  if (parts.nodeModules) symlinkSync(join(repoRoot, 'node_modules'), join(root, 'node_modules'));
  return root;
}

/** The bin of `root`, run from that folder with no NODE_PATH and nothing but `extra` added to the environment. */
function runBin(root: string, args: string[], extra: Record<string, string> = {}) {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('WALLET_')));
  return spawnSync(process.execPath, [join(root, 'build', 'bin', 'offline-signer.cjs'), ...args], { cwd: root, env: { ...base, NODE_PATH: '', ...extra }, encoding: 'utf8', timeout: 120_000 });
}

const helpText = () => runCliProcess(['--help']).stdout;

test("the repository's bin runs the build: fresh after the test setup, nothing on stderr", () => {
  expect(bundleState(repoRoot)).toEqual({
    fresh: true,
    bundle: join(repoRoot, CLI_DIR, 'offline-signer.cjs'),
    codeCache: { path: join(repoRoot, CLI_DIR, CLI_CODE_CACHE), sha256: expect.stringMatching(/^[0-9a-f]{64}$/), bundleSha256: expect.stringMatching(/^[0-9a-f]{64}$/) },
  });
  const r = spawnSync(process.execPath, [bin, '--help'], { cwd: repoRoot, encoding: 'utf8' });
  expect(r.status).toBe(0);
  expect(r.stderr).toBe('');
  expect(r.stdout).toMatch(/^offline-signer: air-gapped signer/);
});

test('the build copied alone (no node_modules, no sources, NODE_PATH empty) unlocks v1 and v2 (Argon2id) keys and signs byte for byte', () => {
  test.setTimeout(120_000);
  const root = tree({ build: true });
  try {
    const help = runBin(root, ['--help']);
    expect([help.status, help.stderr]).toEqual([0, '']);
    expect(help.stdout).toBe(helpText());
    // Argon2id through hash-wasm's WebAssembly (the v2 wallet) and PBKDF2 (the v1 wallets), from the bundle.
    const check = runBin(root, ['keys', 'check', '--keys', fixture('keys.json'), '--json'], env);
    expect(check.status, check.stdout + check.stderr).toBe(0);
    expect((JSON.parse(check.stdout) as { wallets: { ok: boolean }[] }).wallets.map((w) => w.ok)).toEqual([true, true, true, true]);
    // tiny-secp256k1's WebAssembly, read from the build's folder: BitGo's own response, byte for byte.
    const sign = runBin(root, ['sign', '--keys', fixture('keys.json'), '--ledger', join(root, 'ledger.json'), '--audit-log', join(root, 'audit-log.jsonl'), fixture('cases/p2wsh.request.json')], env);
    // stderr names the registry used (the fixtures' keys.registry.json beside keys.json) and that the request is not
    // authenticated (no policy asks it to be), nothing else.
    expect([sign.status, sign.stderr]).toEqual([0, expect.stringMatching(/^wallet registry keys\.registry\.json: 4 wallet\(s\), sha256 [0-9a-f]{64}\np2wsh\.request\.json: not authenticated\n$/)]);
    expect(JSON.parse(sign.stdout)).toEqual(JSON.parse(readFileSync(fixture('cases/p2wsh.response.json'), 'utf8')));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('a build older than its sources, or none: one line naming why, then the sources through tsx, same output', () => {
  test.setTimeout(120_000);
  const stale = tree({ build: true, sources: true, nodeModules: true });
  const missing = tree({ sources: true, nodeModules: true });
  try {
    expect(bundleState(stale).fresh).toBe(true); // links to the very sources it was built from
    const inputsFile = join(stale, CLI_DIR, CLI_INPUTS);
    const record = JSON.parse(readFileSync(inputsFile, 'utf8')) as { inputs: { path: string; sha256: string; size: number }[] };
    const entry = record.inputs.find((i) => i.path === CLI_ENTRY)!;
    entry.size += 1; // as if electron/cli/main.ts had been edited since the build
    writeFileSync(inputsFile, JSON.stringify(record));
    for (const [root, why] of [[stale, `is older than ${CLI_ENTRY}`], [missing, 'is missing']] as const) {
      expect(bundleState(root)).toEqual({ fresh: false, reason: why });
      const r = runBin(root, ['--help']);
      expect(r.status).toBe(0);
      expect(r.stderr).toBe(`offline-signer: the built command line (build/out/cli) ${why}; running the TypeScript sources through tsx instead (slower to start); npm run build rebuilds it.\n`);
      expect(SOURCES_FALLBACK.test(r.stderr)).toBe(true);
      expect(r.stdout).toBe(helpText());
    }
  } finally {
    rmSync(stale, { recursive: true, force: true });
    rmSync(missing, { recursive: true, force: true });
  }
});

test('no build and nothing to run instead (no tsx, no sources): one sentence, exit 1, nothing on stdout', () => {
  for (const parts of [{}, { sources: true }]) {
    const root = tree(parts);
    try {
      const r = runBin(root, ['--help']);
      expect(r.status).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(`offline-signer: the built command line (build/out/cli) is missing, and without tsx and the TypeScript sources nothing else can run; run npm install in ${root} (it builds the command line).\n`);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }
});

test('bundleState compares the bytes: a touch alone keeps the build fresh; an edit of the same size, a removed file, a missing wasm, Argon2 worker or curve worker does not', () => {
  const root = mkdtempSync(join(tmpdir(), 'offline-signer-state-'));
  try {
    const cli = join(root, CLI_DIR);
    mkdirSync(cli, { recursive: true });
    mkdirSync(join(root, 'electron', 'cli'), { recursive: true });
    writeFileSync(join(root, CLI_ENTRY), 'export const a = 1;\n');
    writeFileSync(join(root, 'electron', 'cli', 'other.ts'), 'export const b = 2;\n');
    writeFileSync(join(cli, 'offline-signer.cjs'), '');
    writeFileSync(join(cli, 'secp256k1.wasm'), '');
    writeFileSync(join(cli, 'argon2-worker.cjs'), '');
    writeFileSync(join(cli, 'curve-worker.cjs'), '');
    writeFileSync(join(cli, CLI_INPUTS), JSON.stringify({ inputs: [inputRecord(root, CLI_ENTRY), inputRecord(root, 'electron/cli/other.ts')], packages: [] }));
    expect(bundleState(root).fresh).toBe(true);
    utimesSync(join(root, CLI_ENTRY), new Date(2030, 0, 1), new Date(2030, 0, 1));
    expect(bundleState(root).fresh).toBe(true);
    writeFileSync(join(root, 'electron', 'cli', 'other.ts'), 'export const b = 3;\n');
    expect(bundleState(root)).toEqual({ fresh: false, reason: 'is older than electron/cli/other.ts' });
    rmSync(join(root, 'electron', 'cli', 'other.ts'));
    expect(bundleState(root)).toEqual({ fresh: false, reason: 'is older than electron/cli/other.ts' });
    // Without the sources' entry there is nothing to compare with: a build copied on its own runs as it is.
    rmSync(join(root, 'electron'), { recursive: true });
    expect(bundleState(root).fresh).toBe(true);
    rmSync(join(cli, 'argon2-worker.cjs'));
    expect(bundleState(root)).toEqual({ fresh: false, reason: 'is missing' });
    writeFileSync(join(cli, 'argon2-worker.cjs'), '');
    rmSync(join(cli, 'curve-worker.cjs'));
    expect(bundleState(root)).toEqual({ fresh: false, reason: 'is missing' });
    writeFileSync(join(cli, 'curve-worker.cjs'), '');
    rmSync(join(cli, 'secp256k1.wasm'));
    expect(bundleState(root)).toEqual({ fresh: false, reason: 'is missing' });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
