// `npm run build` (build/scripts/build.mjs): a missing entry is named in one line, the Electron entries become
// single CommonJS files with only the requires a sandboxed preload / Electron main can satisfy, the bundled
// curve library (tiny-secp256k1, whose wasm the build embeds) still signs exactly like the unbundled one, and the
// command line is one file that requires only Node built-ins and holds no package but runtime dependencies (a
// devDependency imported by it fails the build). `npm install` builds the command line (the prepare script). The
// Argon2id worker thread is bundled beside main.cjs, where the built keystore finds and runs it.
import { test, expect } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as secp from '@bitcoinerlab/secp256k1';
import { CLI_CODE_CACHE, CLI_INPUTS } from '../../../build/bin/cli-bundle.cjs';
import { bundleCjs, checkEntries, missingUrlAssets, packageOf, productionPackages, requiredModules, BuildError, REPO_ROOT } from '../../../build/scripts/build.mjs';

const BUILD = join(REPO_ROOT, 'build', 'scripts', 'build.mjs');

function tempDir(t: string): string {
  return mkdtempSync(join(tmpdir(), `offline-signer-${t}-`));
}

function runBuild(args: string[]) {
  return spawnSync(process.execPath, [BUILD, ...args], { encoding: 'utf8', timeout: 120_000 });
}

test.describe('build.mjs entries', () => {
  test('a missing preload is named in one line, exit 1, nothing built', () => {
    const root = tempDir('missing');
    try {
      mkdirSync(join(root, 'electron'));
      writeFileSync(join(root, 'electron', 'main.ts'), 'export {};\n');
      const r = runBuild(['--root', root, '--only', 'main']);
      expect(r.status).toBe(1);
      const lines = r.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain('missing entry electron/preload.ts (the window preload script)');
      expect(lines[0]).not.toContain('electron/main.ts');
      expect(r.stderr).not.toMatch(/^\s+at /m);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  test('every missing entry is named at once, before any work', () => {
    const root = tempDir('empty');
    try {
      expect(() => checkEntries(root, ['main', 'renderer', 'cli'])).toThrow(BuildError);
      try {
        checkEntries(root, ['main', 'renderer', 'cli']);
      } catch (e) {
        const message = (e as Error).message;
        for (const entry of ['electron/main.ts', 'electron/preload.ts', 'renderer/vite.config.ts', 'renderer/index.html', 'electron/cli/main.ts']) {
          expect(message).toContain(entry);
        }
      }
      // Only the requested part is checked.
      mkdirSync(join(root, 'renderer'));
      writeFileSync(join(root, 'renderer', 'vite.config.ts'), 'export default {};\n');
      writeFileSync(join(root, 'renderer', 'index.html'), '<!doctype html>\n');
      expect(() => checkEntries(root, ['renderer'])).not.toThrow();
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  test('unknown arguments are refused in one line', () => {
    const r = runBuild(['--only', 'everything']);
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toBe('build: --only must be main, renderer or cli, got everything.');
  });
});

test.describe('build.mjs bundles', () => {
  test('main.cjs, preload.cjs, argon2-worker.cjs: CommonJS, preload requires only electron, the others only electron and Node built-ins', async () => {
    test.setTimeout(120_000);
    const out = tempDir('out');
    try {
      const r = runBuild(['--only', 'main', '--out', out]);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      const main = readFileSync(join(out, 'main', 'main.cjs'), 'utf8');
      const preload = readFileSync(join(out, 'main', 'preload.cjs'), 'utf8');
      // Real CommonJS output: no ESM syntax at the top level.
      for (const code of [main, preload]) {
        expect(code).not.toMatch(/^\s*import\s+[\w{*]/m);
        expect(code).not.toMatch(/^\s*export\s+/m);
      }
      expect(requiredModules(preload)).toEqual(['electron']);
      const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
      const mainRequires = requiredModules(main);
      expect(mainRequires).toContain('electron');
      expect(mainRequires.filter((m) => m !== 'electron' && !builtins.has(m))).toEqual([]);
      // Lint keeps network modules out of our source; this keeps them out of everything bundled with it,
      // npm dependencies included (README "The app (Electron shell)": no-network layers).
      const network = /^(node:)?(http|https|http2|net|tls|dns|dgram|undici)(\/|$)/;
      expect([...mainRequires, ...requiredModules(preload)].filter((m) => network.test(m))).toEqual([]);
      // The wasm is embedded: nothing reads secp256k1.wasm from disk at run time.
      expect(main).not.toContain('secp256k1.wasm');
      // The v2 unlock's worker thread: self-contained (hash-wasm inside), and the keystore bundled beside it (where
      // main.cjs is) starts it and derives BitGo's vector key. The sources' argon2-worker.mjs is not there, so this
      // is the built app's way: read the bundle, evaluate it in the thread.
      const worker = readFileSync(join(out, 'main', 'argon2-worker.cjs'), 'utf8');
      expect(requiredModules(worker)).toEqual(['node:worker_threads']);
      const probe = join(out, 'main', 'argon2-probe.cjs');
      await bundleCjs({ input: join(REPO_ROOT, 'electron', 'keystore', 'argon2-thread.ts'), file: probe });
      const { argon2idInWorker } = createRequire(import.meta.url)(probe) as typeof import('../../../electron/keystore/argon2-thread');
      const { argon2idInThread } = await import('../../../electron/keystore/envelope');
      const vector = (JSON.parse(readFileSync(join(REPO_ROOT, 'test', 'fixtures', 'bitgo', 'crypto', 'encrypt-v2-argon2-vectors.json'), 'utf8')) as { password: string; saltHex: string }[])[0]!;
      const params = { m: 65536, t: 3, p: 4, salt: Buffer.from(vector.saltHex, 'hex') };
      const key = await argon2idInWorker(params, new TextEncoder().encode(vector.password));
      expect(Buffer.from(key).toString('hex')).toBe(Buffer.from(await argon2idInThread(params, vector.password)).toString('hex'));
      // The curve worker threads (electron/parallel/pool.ts): self-contained too, the wasm inside, and a pool bundled
      // beside it starts it and derives the same child keys as this thread.
      const curveWorker = readFileSync(join(out, 'main', 'curve-worker.cjs'), 'utf8');
      expect(requiredModules(curveWorker).filter((m) => !builtins.has(m))).toEqual([]);
      const poolProbe = join(out, 'main', 'pool-probe.cjs');
      await bundleCjs({ input: join(REPO_ROOT, 'electron', 'parallel', 'pool.ts'), file: poolProbe });
      const { CurvePool, PARALLEL_MIN_ITEMS } = createRequire(import.meta.url)(poolProbe) as typeof import('../../../electron/parallel/pool');
      const { bip32, ecc } = await import('../../../electron/crypto/ecc');
      const { childPublic } = await import('../../../electron/wallet/derive');
      const node = bip32.fromSeed(new Uint8Array(32).fill(5)).neutered();
      const parent = { publicKey: node.publicKey, uncompressed: ecc.pointCompress(node.publicKey, false), chainCode: node.chainCode };
      const indexes = Array.from({ length: PARALLEL_MIN_ITEMS * 2 }, (_, i) => i * 7);
      const pool = new CurvePool(2);
      try {
        const keys = await pool.derivePublic(parent, indexes, (i) => childPublic(parent, i).publicKey);
        expect(keys.map((k) => Buffer.from(k!).toString('hex'))).toEqual(indexes.map((i) => Buffer.from(node.derive(i).publicKey).toString('hex')));
      } finally {
        await pool.close();
      }
      // The review thread of imports (electron/workflow/review-thread.ts): self-contained, and a review-thread bundled
      // beside it parses and reviews BitGo's p2wsh request there, to the model this thread builds.
      const reviewWorker = readFileSync(join(out, 'main', 'review-worker.cjs'), 'utf8');
      expect(requiredModules(reviewWorker).filter((m) => !builtins.has(m))).toEqual([]);
      const reviewProbe = join(out, 'main', 'review-probe.cjs');
      await bundleCjs({ input: join(REPO_ROOT, 'electron', 'workflow', 'review-thread.ts'), file: reviewProbe });
      const { intakeOnThread } = createRequire(import.meta.url)(reviewProbe) as typeof import('../../../electron/workflow/review-thread');
      const { buildReview } = await import('../../../electron/review/build');
      const request = readFileSync(join(REPO_ROOT, 'test', 'fixtures', 'bitgo', 'cases', 'p2wsh.request.json'));
      const parsed = await intakeOnThread(request, 'p2wsh.json');
      const model = await parsed.review({ name: 'p2wsh.json', walletId: parsed.facts.walletId!, network: 'testnet' }, () => ({}));
      expect(model).toEqual(buildReview(request, { name: 'p2wsh.json', network: 'testnet' }));
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  test('the bundled curve library signs and verifies like the unbundled one', async () => {
    test.setTimeout(120_000);
    const out = tempDir('ecc');
    try {
      const file = join(out, 'ecc.cjs');
      await bundleCjs({ input: join(REPO_ROOT, 'electron', 'crypto', 'ecc.ts'), file });
      expect(requiredModules(readFileSync(file, 'utf8')).filter((m) => !builtinModules.includes(m.replace(/^node:/, '')))).toEqual([]);
      const bundled = createRequire(import.meta.url)(file) as typeof import('../../../electron/crypto/ecc');
      const direct = await import('../../../electron/crypto/ecc');
      const priv = Uint8Array.from({ length: 32 }, (_, i) => (i * 7 + 1) & 0xff);
      const msg = Uint8Array.from({ length: 32 }, (_, i) => (255 - i * 3) & 0xff);
      const pub = bundled.ecc.pointFromScalar(priv, true);
      expect(pub).not.toBeNull();
      // RFC6979 signatures are deterministic: the bundle must give the same bytes, and another library must verify.
      const sig = bundled.ecc.sign(msg, priv);
      expect(Buffer.from(sig).toString('hex')).toBe(Buffer.from(direct.ecc.sign(msg, priv)).toString('hex'));
      expect(secp.verify(msg, pub as Uint8Array, sig)).toBe(true);
      const aux = new Uint8Array(32);
      const schnorr = bundled.ecc.signSchnorr(msg, priv, aux);
      expect(secp.verifySchnorr(msg, (pub as Uint8Array).subarray(1), schnorr)).toBe(true);
      // BIP32 through the bundle: the same xpub as the direct module for the same seed.
      const seed = Uint8Array.from({ length: 32 }, (_, i) => i);
      expect(bundled.bip32.fromSeed(seed).derivePath('m/0/0/20/7').neutered().toBase58()).toBe(
        direct.bip32.fromSeed(seed).derivePath('m/0/0/20/7').neutered().toBase58(),
      );
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  test('renderer: index.html loads only bundled files by relative URL, with no inline script or style', () => {
    test.setTimeout(120_000);
    const out = tempDir('renderer');
    try {
      const r = runBuild(['--only', 'renderer', '--out', out]);
      expect(r.status, r.stderr).toBe(0);
      const html = readFileSync(join(out, 'renderer', 'index.html'), 'utf8');
      const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
      expect(scripts.length).toBeGreaterThan(0);
      for (const [, attrs, body] of scripts) {
        // Under script-src 'self' an inline body would be refused: every script must be a file of the bundle.
        expect(body?.trim()).toBe('');
        expect(attrs).toMatch(/\bsrc="\.\/assets\/[^"]+\.js"/);
      }
      expect(html).not.toMatch(/<style\b/);
      expect(html).not.toMatch(/\s(src|href)="(https?:)?\/\//);
      for (const [, url] of html.matchAll(/\s(?:src|href)="([^"]+)"/g)) expect(url, 'asset referenced by index.html').toMatch(/^\.\/assets\//);
      // The QR decoder is its own worker file next to the bundle (worker-src 'self'), and the build checks that
      // every file a script loads by new URL(..., import.meta.url) was written.
      const assets = readdirSync(join(out, 'renderer', 'assets'));
      expect(assets.some((f) => /^qr-worker-.*\.js$/.test(f))).toBe(true);
      expect(missingUrlAssets(join(out, 'renderer', 'assets'))).toEqual([]);
      const worker = assets.find((f) => f.startsWith('qr-worker-'))!;
      rmSync(join(out, 'renderer', 'assets', worker));
      expect(missingUrlAssets(join(out, 'renderer', 'assets'))).toEqual([worker]);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});

test.describe('build.mjs command line', () => {
  const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };

  test('npm install builds it: the prepare script is the build of the command line', () => {
    expect(pkg.scripts.prepare).toBe('node build/scripts/build.mjs --only cli');
  });

  test('one CommonJS file requiring only Node built-ins, the curve beside it, and only runtime dependencies inside', () => {
    test.setTimeout(120_000);
    const out = tempDir('cli');
    try {
      const r = runBuild(['--only', 'cli', '--out', out]);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(readdirSync(out)).toEqual(['cli']); // the temporary folder it was built in is gone
      expect(readdirSync(join(out, 'cli')).sort()).toEqual(['argon2-worker.cjs', 'curve-worker.cjs', CLI_INPUTS, CLI_CODE_CACHE, 'offline-signer.cjs', 'secp256k1.wasm'].sort());
      const code = readFileSync(join(out, 'cli', 'offline-signer.cjs'), 'utf8');
      // ES module syntax, not words at a line's start: help texts have lines such as "export     The public export".
      expect(code).not.toMatch(/^\s*(import\s+[\w{*][^\n]*\sfrom\s*["']|import\s*["']|export\s+(\{|\*|default\b|const\b|let\b|var\b|(async\s+)?function\b|class\b))/m);
      const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
      expect(requiredModules(code).filter((m) => !builtins.has(m))).toEqual([]);
      expect(requiredModules(code).filter((m) => /^(node:)?(http|https|http2|net|tls|dns|dgram)$/.test(m))).toEqual([]);
      // The wasm is the package's own file, not 1.7 MB of base64 in the script.
      expect(code).not.toMatch(/[A-Za-z0-9+/]{100000}/);
      const wasm = createRequire(join(REPO_ROOT, 'package.json')).resolve('tiny-secp256k1');
      expect(readFileSync(join(out, 'cli', 'secp256k1.wasm')).equals(readFileSync(join(wasm, '..', '..', 'secp256k1.wasm')))).toBe(true);
      const record = JSON.parse(readFileSync(join(out, 'cli', CLI_INPUTS), 'utf8')) as { inputs: { path: string }[]; packages: { name: string; version: string }[] };
      const names = record.packages.map((p) => p.name);
      expect(names).toEqual(expect.arrayContaining(['bitcoinjs-lib', 'bip32', 'tiny-secp256k1', 'hash-wasm']));
      const allowed = productionPackages(REPO_ROOT);
      expect(names.filter((n) => !allowed.has(n))).toEqual([]);
      const inputs = record.inputs.map((i) => i.path);
      expect(inputs).toEqual(expect.arrayContaining(['electron/cli/main.ts', 'electron/cli/sign.ts', 'electron/signing/sign.ts', 'shared/errors.ts', 'build/scripts/build.mjs']));
      expect(inputs.filter((p) => p.startsWith('test/') || p.includes('node_modules'))).toEqual([]);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  test('its code cache is made from a real run, used only for the bundle it was made from, and changes no output', () => {
    test.setTimeout(180_000);
    const out = tempDir('cli-cache');
    try {
      expect(runBuild(['--only', 'cli', '--out', out]).status).toBe(0);
      const dir = join(out, 'cli');
      const sha256 = (f: string) => createHash('sha256').update(readFileSync(join(dir, f))).digest('hex');
      const record = JSON.parse(readFileSync(join(dir, CLI_INPUTS), 'utf8')) as { codeCache: { file: string; sha256: string; bundleSha256: string } };
      expect(record.codeCache).toEqual({ file: CLI_CODE_CACHE, sha256: sha256(CLI_CODE_CACHE), bundleSha256: sha256('offline-signer.cjs') });
      expect(readFileSync(join(dir, CLI_CODE_CACHE)).length).toBeGreaterThan(100_000); // the run compiled the sign path
      // Loads the bundle as the bin does, in a fresh process, and signs BitGo's p2wsh fixture with walletA's key.
      const fixtures = join(REPO_ROOT, 'test', 'fixtures', 'bitgo');
      const env = JSON.parse(readFileSync(join(fixtures, 'env.json'), 'utf8')) as Record<string, string>;
      const load = (extraEnv: Record<string, string> = {}) => {
        const scratch = tempDir('cli-cache-run');
        try {
          copyFileSync(join(fixtures, 'keys.json'), join(scratch, 'keys.json'));
          const script = `
            const { bundleState, loadBundle } = require(${JSON.stringify(join(REPO_ROOT, 'build', 'bin', 'cli-bundle.cjs'))});
            const loaded = loadBundle(bundleState(${JSON.stringify(REPO_ROOT)}, ${JSON.stringify(dir)}));
            let out = '';
            const ctx = { env: process.env, stdout: { write: (s) => (out += s) }, stderr: { write: () => true } };
            const argv = ['sign', '--keys', ${JSON.stringify(join(scratch, 'keys.json'))}, '--ledger', ${JSON.stringify(join(scratch, 'ledger.json'))}, ${JSON.stringify(join(fixtures, 'cases', 'p2wsh.request.json'))}];
            loaded.exports.runCli(argv, ctx).then((status) => { process.stdout.write(JSON.stringify({ cache: loaded.cache, status, out })); process.exit(0); });`;
          const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', ...env, ...extraEnv }, timeout: 60_000 });
          expect(r.stderr).toBe('');
          return JSON.parse(r.stdout) as { cache: string; status: number; out: string };
        } finally {
          rmSync(scratch, { recursive: true, force: true });
        }
      };
      const expected = readFileSync(join(fixtures, 'cases', 'p2wsh.response.json'), 'utf8');
      const used = load();
      expect(used).toMatchObject({ cache: 'used', status: 0 });
      expect(JSON.parse(used.out)).toEqual(JSON.parse(expected));
      expect(load({ OFFLINE_SIGNER_CODE_CACHE: 'off' })).toEqual({ ...used, cache: 'off' });
      // A damaged cache is never handed to V8, which checks only its header (this one, given to V8, crashed
      // Node 20 with SIGSEGV): its sha256 is checked first, and the bundle is compiled as before.
      const cache = readFileSync(join(dir, CLI_CODE_CACHE));
      writeFileSync(join(dir, CLI_CODE_CACHE), Buffer.concat([cache.subarray(0, 64), Buffer.alloc(cache.length - 64, 0x5a)]));
      expect(load()).toEqual({ ...used, cache: 'damaged' });
      // One that cannot be read (a folder in its place here; permissions do not stop root): the same, no crash.
      rmSync(join(dir, CLI_CODE_CACHE));
      mkdirSync(join(dir, CLI_CODE_CACHE));
      expect(load()).toEqual({ ...used, cache: 'damaged' });
      rmSync(join(dir, CLI_CODE_CACHE), { recursive: true });
      // A bundle changed after the cache was made: the cache is not handed to V8 at all.
      writeFileSync(join(dir, CLI_CODE_CACHE), cache);
      writeFileSync(join(dir, 'offline-signer.cjs'), `${readFileSync(join(dir, 'offline-signer.cjs'), 'utf8')}\n// changed\n`);
      expect(load()).toEqual({ ...used, cache: 'stale' });
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  test('a devDependency reached from the command line fails the build, naming it, and the previous build stays', () => {
    test.setTimeout(120_000);
    const root = tempDir('devdep');
    try {
      mkdirSync(join(root, 'electron', 'cli'), { recursive: true });
      writeFileSync(join(root, 'electron', 'cli', 'main.ts'), "import { ECPairFactory } from 'ecpair';\nexport const cliMain = () => ECPairFactory;\n");
      mkdirSync(join(root, 'electron', 'keystore'), { recursive: true });
      writeFileSync(join(root, 'electron', 'keystore', 'argon2-worker.mjs'), '');
      mkdirSync(join(root, 'electron', 'parallel'), { recursive: true });
      writeFileSync(join(root, 'electron', 'parallel', 'curve-worker.mjs'), '');
      writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'x', dependencies: { 'tiny-secp256k1': '*' }, devDependencies: { ecpair: '*' } }));
      symlinkSync(join(REPO_ROOT, 'node_modules'), join(root, 'node_modules'));
      mkdirSync(join(root, 'build', 'out', 'cli'), { recursive: true });
      writeFileSync(join(root, 'build', 'out', 'cli', 'offline-signer.cjs'), '// previous build\n');
      const r = runBuild(['--root', root, '--only', 'cli']);
      expect(r.status).toBe(1);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/^build: the command line would bundle (.+, )?ecpair(, .+)?, not runtime dependencies \(package.json "dependencies" or theirs\); nothing was written\.$/m);
      expect(readdirSync(join(root, 'build', 'out'))).toEqual(['cli']);
      expect(readFileSync(join(root, 'build', 'out', 'cli', 'offline-signer.cjs'), 'utf8')).toBe('// previous build\n');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  test('requiredModules reads require calls in code, not in comment lines (pako keeps " * var pako = require(\'pako\')")', () => {
    const code = ["/**", " * var pako = require('pako')", " */", "// require('left-pad')", "const fs = require('node:fs'); const x = require(\"./x\");"].join('\n');
    expect(requiredModules(code)).toEqual(['./x', 'node:fs']);
  });

  test('productionPackages follows dependencies through node_modules and leaves the tool chain out', () => {
    const prod = productionPackages(REPO_ROOT);
    for (const name of ['bitcoinjs-lib', 'bip174', 'bs58check', 'tiny-secp256k1', 'hash-wasm', 'react']) expect(prod.has(name), name).toBe(true);
    for (const name of ['tsx', 'vite', 'esbuild', 'rolldown', 'electron', 'ecpair', '@playwright/test', 'typescript']) expect(prod.has(name), name).toBe(false);
    expect(packageOf(join('/x', 'node_modules', '@noble', 'hashes', 'esm', 'sha2.js'))).toEqual({ name: '@noble/hashes', dir: join('/x', 'node_modules', '@noble', 'hashes') });
    expect(packageOf(join('/x', 'node_modules', 'a', 'node_modules', 'b', 'i.js'))).toEqual({ name: 'b', dir: join('/x', 'node_modules', 'a', 'node_modules', 'b') });
    expect(packageOf(join('/x', 'electron', 'cli', 'main.ts'))).toBeUndefined();
  });
});
