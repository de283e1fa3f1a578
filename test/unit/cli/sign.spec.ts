// The `sign` command's contract, as other tools rely on it, exercised through the real command in a child process
// with the real key file (test/fixtures/bitgo, see PROVENANCE.md there): where results go, what failure looks like,
// that nothing partial is left and inputs are never touched, and that the output is BitGo's response byte for byte.
import { test, expect } from '@playwright/test';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Transaction } from 'bitcoinjs-lib';
import { bigLegacyRequest } from '../../support/big-request';
import { runCliProcess } from '../../support/cli';

const fixtures = fileURLToPath(new URL('../../fixtures/bitgo/', import.meta.url));
const fx = (p: string) => join(fixtures, p);
const readJson = <T>(p: string) => JSON.parse(readFileSync(fx(p), 'utf8')) as T;
const keys = fx('keys.json');
const env = readJson<Record<string, string>>('env.json');
const walletAId = readJson<Record<string, { walletId: string }>>('wallets.json').walletA!.walletId;
const envA = { [`WALLET_${walletAId}_PASSPHRASE`]: env[`WALLET_${walletAId}_PASSPHRASE`]! };
const sha = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');
const tmp = () => mkdtempSync(join(tmpdir(), 'cli-sign-'));
interface BitgoError { error: string; name: string; code?: string }

test('one request, no --out: BitGo\'s response on stdout, exit 0, input untouched, nothing secret on either stream', () => {
  const req = fx('cases/p2wsh.request.json');
  const before = sha(req);
  const r = runCliProcess(['sign', '--keys', keys, req], envA);
  expect(r.status, r.stderr).toBe(0);
  expect(r.json()).toEqual(readJson('cases/p2wsh.response.json'));
  expect(sha(req)).toBe(before);
  expect(r.stdout + r.stderr).not.toMatch(/[xt]prv|correct horse/);
});

test('one request, --out file: the response JSON is written there; an existing --out is never overwritten', () => {
  const dir = tmp();
  const out = join(dir, 'resp.json');
  const r = runCliProcess(['sign', '--keys', keys, '--out', out, fx('cases/p2shP2wsh.request.json')], envA);
  expect(r.status, r.stdout + r.stderr).toBe(0);
  expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual(readJson('cases/p2shP2wsh.response.json'));
  const first = sha(out);
  const again = runCliProcess(['sign', '--keys', keys, '--out', out, fx('cases/p2wsh.request.json')], envA);
  expect(again.status).not.toBe(0);
  expect((again.json() as BitgoError).code).toBe('output_exists');
  expect(sha(out)).toBe(first);
  expect(readdirSync(dir)).toEqual(['resp.json']);
});

// Express's refusals, through the command: same error name (and code where BitGo gives one), exit status non-zero,
// the error JSON on stdout and in the --out file. An Express-style run (--coin, no wallet registry): with the
// registry beside the fixtures' key file, a request with another wallet's pubs is refused earlier, as
// wallet_keys_mismatch (test/unit/cli/registry.spec.ts).
const refusals: { name: string; caseName: string; env: Record<string, string>; keys?: 'without-walletA'; sameMessage: boolean }[] = [
  { name: 'missing passphrase variable', caseName: 'error-missing-env', env: {}, sameMessage: true },
  { name: 'empty passphrase variable counts as missing', caseName: 'error-missing-env', env: { [`WALLET_${walletAId}_PASSPHRASE`]: '' }, sameMessage: true },
  { name: 'wrong passphrase', caseName: 'error-wrong-passphrase', env: { [`WALLET_${walletAId}_PASSPHRASE`]: 'not the passphrase' }, sameMessage: true },
  { name: 'missing pubs', caseName: 'error-missing-pubs', env: envA, sameMessage: true },
  { name: 'pubs of another wallet', caseName: 'error-wrong-pubs', env: envA, sameMessage: true },
  // BitGo's message names its own key file path; the name is what callers switch on.
  { name: 'wallet not in the key file', caseName: 'error-wallet-not-in-keys-file', env: envA, keys: 'without-walletA', sameMessage: false },
];
for (const c of refusals) {
  test(`refusal as Express: ${c.name}`, () => {
    const dir = tmp();
    let keyPath = keys;
    if (c.keys === 'without-walletA') {
      const all = readJson<Record<string, string>>('keys.json');
      delete all[walletAId];
      keyPath = join(dir, 'keys.json');
      writeFileSync(keyPath, JSON.stringify(all));
    }
    const out = join(dir, 'resp.json');
    const r = runCliProcess(['sign', '--keys', keyPath, '--coin', 'tbtc', '--out', out, fx(`cases/${c.caseName}.request.json`)], c.env);
    const expected = readJson<BitgoError>(`cases/${c.caseName}.response.json`);
    expect(r.status).not.toBe(0);
    const got = r.json() as BitgoError;
    expect(got.name).toBe(expected.name);
    if (expected.code !== undefined) expect(got.code).toBe(expected.code);
    else expect(got.code, 'every refusal carries a stable code here').toBeTruthy();
    if (c.sameMessage) expect(got.error).toBe(expected.error);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual(got);
    expect(r.stdout + r.stderr).not.toMatch(/[xt]prv|correct horse/);
  });
}

test('better than Express: a v2 (Argon2id) key file entry unlocks and signs', () => {
  const c = readJson<{ txPrebuild: { walletId: string } }>('cases/error-v2-envelope-sync-decrypt.request.json');
  const id = c.txPrebuild.walletId;
  const r = runCliProcess(['sign', '--keys', keys, fx('cases/error-v2-envelope-sync-decrypt.request.json')], { [`WALLET_${id}_PASSPHRASE`]: env[`WALLET_${id}_PASSPHRASE`]! });
  expect(r.status, r.stdout + r.stderr).toBe(0);
  expect((r.json() as { txHex: string }).txHex).toMatch(/^70736274ff/);
});

test('several inputs: --out is a directory, each result named after its input, failures as .error.json, progress on stderr', () => {
  const inDir = tmp();
  const outDir = tmp();
  const names = ['p2sh', 'p2trLegacy', 'error-wrong-pubs'];
  const paths = names.map((n) => {
    const p = join(inDir, `${n}.json`);
    writeFileSync(p, readFileSync(fx(`cases/${n}.request.json`)));
    return p;
  });
  const before = paths.map(sha);
  const r = runCliProcess(['sign', '--keys', keys, '--coin', 'tbtc', '--out', outDir, ...paths], envA);
  expect(r.status).not.toBe(0);
  expect(readdirSync(outDir).sort()).toEqual(['error-wrong-pubs.error.json', 'p2sh.signed.json', 'p2trLegacy.signed.json']);
  expect(JSON.parse(readFileSync(join(outDir, 'p2sh.signed.json'), 'utf8'))).toEqual(readJson('cases/p2sh.response.json'));
  expect(JSON.parse(readFileSync(join(outDir, 'p2trLegacy.signed.json'), 'utf8'))).toEqual(readJson('cases/p2trLegacy.response.json'));
  expect((JSON.parse(readFileSync(join(outDir, 'error-wrong-pubs.error.json'), 'utf8')) as BitgoError).code).toBe(readJson<BitgoError>('cases/error-wrong-pubs.response.json').code);
  expect(r.stderr).toContain('2 signed, 1 failed');
  expect(paths.map(sha)).toEqual(before);
  expect(readdirSync(inDir).sort()).toEqual(names.map((n) => `${n}.json`).sort());
});

test('bare PSBT files (binary, hex, base64) with --wallet: signed in their own encoding, equal to BitGo\'s signed PSBT', () => {
  const inDir = tmp();
  const outDir = tmp();
  const reqHex = readJson<{ txPrebuild: { txHex: string } }>('cases/p2wsh.request.json').txPrebuild.txHex;
  const respHex = readJson<{ txHex: string }>('cases/p2wsh.response.json').txHex;
  const raw = Buffer.from(reqHex, 'hex');
  writeFileSync(join(inDir, 'a.psbt'), raw);
  writeFileSync(join(inDir, 'b.hex'), `${reqHex}\n`);
  writeFileSync(join(inDir, 'c.txt'), `${raw.toString('base64')}\n`);
  const r = runCliProcess(['sign', '--keys', keys, '--wallet', walletAId, '--out', outDir, ...['a.psbt', 'b.hex', 'c.txt'].map((f) => join(inDir, f))], envA);
  expect(r.status, r.stdout + r.stderr).toBe(0);
  const outs = readdirSync(outDir).sort();
  expect(outs).toHaveLength(3);
  const byPrefix = (p: string) => readFileSync(join(outDir, outs.find((o) => o.startsWith(p))!));
  expect(byPrefix('a').toString('hex')).toBe(respHex);
  expect(byPrefix('b').toString('utf8').trim()).toBe(respHex);
  expect(Buffer.from(byPrefix('c').toString('utf8').trim(), 'base64').toString('hex')).toBe(respHex);
});

test('a bare PSBT with several wallets in the key file and no --wallet is refused with a coded error', () => {
  const dir = tmp();
  const p = join(dir, 'x.psbt');
  writeFileSync(p, Buffer.from(readJson<{ txPrebuild: { txHex: string } }>('cases/p2wsh.request.json').txPrebuild.txHex, 'hex'));
  const r = runCliProcess(['sign', '--keys', keys, p], envA);
  expect(r.status).not.toBe(0);
  expect((r.json() as BitgoError).code).toBe('wallet_not_chosen');
});

test('a 1,000-input legacy request: signed in worker threads (from SIGN_THREADS_MIN_INPUTS), the same bytes as on one thread', () => {
  const dir = tmp();
  const req = join(dir, 'legacy-1000.json');
  writeFileSync(req, bigLegacyRequest(1000, 50));
  const threads = runCliProcess(['sign', '--keys', keys, req], { ...envA, OFFLINE_SIGNER_THREADS: '2' });
  expect(threads.status, threads.stdout + threads.stderr).toBe(0);
  const one = runCliProcess(['sign', '--keys', keys, req], { ...envA, OFFLINE_SIGNER_THREADS: '1' });
  expect(one.status, one.stdout + one.stderr).toBe(0);
  const txHex = (threads.json() as { txHex: string }).txHex;
  expect(txHex).toBe((one.json() as { txHex: string }).txHex);
  expect(Transaction.fromHex(txHex).ins.every((x) => x.witness[1]!.length >= 70)).toBe(true);
});

test('legacy (pre-PSBT) requests through the command: routed to the legacy signer, BitGo\'s older-SDK responses byte for byte', () => {
  const inDir = tmp();
  const outDir = tmp();
  const names = readdirSync(fx('legacy')).filter((f) => f.endsWith('.request.json')).map((f) => f.replace(/\.request\.json$/, ''));
  expect(names.length).toBeGreaterThanOrEqual(6);
  const paths = names.map((n) => {
    const p = join(inDir, `${n}.json`);
    writeFileSync(p, readFileSync(fx(`legacy/${n}.request.json`)));
    return p;
  });
  const r = runCliProcess(['sign', '--keys', keys, '--out', outDir, ...paths], env);
  expect(r.status, r.stdout + r.stderr).toBe(0);
  for (const n of names) {
    expect(JSON.parse(readFileSync(join(outDir, `${n}.signed.json`), 'utf8')), n).toEqual(readJson(`legacy/${n}.response.json`));
  }
});
