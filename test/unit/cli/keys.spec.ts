// The `keys` commands through the real CLI process with BitGo's fixture key file (test/fixtures/bitgo): `list`
// shows ids, envelope versions and KDF parameters and nothing secret; `check` unlocks each wallet from
// WALLET_<id>_PASSPHRASE as Express does, with Express's and BitGo's errors; errors as JSON, exit statuses, --help.
import { test, expect } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { repoRoot, runCliProcess } from '../../support/cli';

const keys = 'test/fixtures/bitgo/keys.json';
const env = JSON.parse(readFileSync(new URL('../../fixtures/bitgo/env.json', import.meta.url), 'utf8')) as Record<string, string>;
const wallets = JSON.parse(readFileSync(new URL('../../fixtures/bitgo/wallets.json', import.meta.url), 'utf8')) as Record<string, { walletId: string; xpubs: { user: string }; fingerprints: { user: string } }>;
const walletA = wallets.walletA!;

test('keys list shows ids, envelope versions and KDF parameters, and nothing secret', () => {
  const r = runCliProcess(['keys', 'list', '--keys', keys, '--json']);
  expect(r.status).toBe(0);
  const out = r.json() as { wallets: { walletId: string; envelope: { version: number } }[] };
  expect(out.wallets.map((w) => w.envelope.version)).toEqual([1, 1, 1, 2]);
  expect(out.wallets[3]!.envelope).toEqual({ version: 2, kdf: 'argon2id', memoryKiB: 65536, passes: 3, parallelism: 4, cipher: 'aes-256-gcm' });
  expect(r.stdout).not.toMatch(/"ct"|"salt"|"iv"/);
  const text = runCliProcess(['keys', 'list', '--keys', keys]);
  expect(text.stdout).toContain('pbkdf2-sha256 10000 iterations');
});

test('keys check unlocks every wallet from WALLET_<id>_PASSPHRASE and prints xpub and fingerprint', () => {
  const r = runCliProcess(['keys', 'check', '--keys', keys, '--json'], env);
  expect(r.status, r.stdout + r.stderr).toBe(0);
  const out = r.json() as { ok: boolean; wallets: { walletId: string; ok: boolean; xpub: string; fingerprint: string }[] };
  expect(out.ok).toBe(true);
  const a = out.wallets.find((w) => w.walletId === walletA.walletId)!;
  expect([a.xpub, a.fingerprint]).toEqual([walletA.xpubs.user, walletA.fingerprints.user]);
  expect(r.stdout).not.toMatch(/[xt]prv/);
});

test('keys check: a missing or empty variable names it as Express does; exit status 1 and the failing wallet listed', () => {
  const expected = JSON.parse(readFileSync(new URL('../../fixtures/bitgo/cases/error-missing-env.response.json', import.meta.url), 'utf8')) as { error: string; name: string };
  const varName = `WALLET_${walletA.walletId}_PASSPHRASE`;
  for (const extra of [{}, { [varName]: '' }]) {
    const r = runCliProcess(['keys', 'check', '--keys', keys, '--json', walletA.walletId], extra);
    expect(r.status).toBe(1);
    const out = r.json() as { ok: boolean; wallets: { ok: boolean; error: { error: string; name: string } }[] };
    expect(out.wallets[0]!.error).toMatchObject({ error: expected.error, name: expected.name });
  }
});

test('keys check: wrong passphrase fails only that wallet, with BitGo name and code', () => {
  const r = runCliProcess(['keys', 'check', '--keys', keys], { ...env, [`WALLET_${walletA.walletId}_PASSPHRASE`]: 'wrong' });
  expect(r.status).toBe(1);
  expect(r.stdout).toMatch(new RegExp(`FAILED  ${walletA.walletId}  IncorrectPasswordError`));
  expect(r.stdout).toContain('3 unlocked, 1 failed');
});

test('errors are JSON on stdout with a non-zero status: missing file, bad file, usage', () => {
  const missing = runCliProcess(['keys', 'list', '--keys', 'no/such/keys.json']);
  expect(missing.status).toBe(1);
  expect(missing.json()).toMatchObject({ name: 'KeyFileError', code: 'key_file_unreadable' });
  const bad = runCliProcess(['keys', 'list', '--keys', 'package.json']);
  expect(bad.status).toBe(1);
  expect(bad.json()).toMatchObject({ code: 'envelope_malformed_json' }); // "name": "offline-signer" is no envelope
  const usage = runCliProcess(['keys', 'list']);
  expect(usage.status).toBe(2);
  expect(usage.json()).toMatchObject({ name: 'UsageError', code: 'usage' });
  expect(runCliProcess(['frobnicate']).status).toBe(2);
  expect(runCliProcess(['keys', 'list', '--keys', keys, '--bogus']).status).toBe(2);
});

test('--help is available for the CLI and the keys command and matches the commands that exist', () => {
  const top = runCliProcess(['--help']);
  expect(top.status).toBe(0);
  expect(top.stdout).toMatch(/^\s+keys\s/m);
  const keysHelp = runCliProcess(['keys', '--help']);
  expect(keysHelp.stdout).toContain('WALLET_<walletId>_PASSPHRASE');
});

test('npm run -s cli works exactly as the README says', () => {
  const r = spawnSync('npm', ['run', '-s', 'cli', '--', 'keys', 'list', '--keys', keys, '--json'], { cwd: repoRoot, encoding: 'utf8', timeout: 120_000 });
  expect(r.status, r.stderr).toBe(0);
  expect((JSON.parse(r.stdout) as { wallets: unknown[] }).wallets).toHaveLength(4);
});
