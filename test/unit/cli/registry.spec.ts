// The wallet registry from the command line, through the real CLI process: `registry add | list | remove` on a
// temporary registry with BitGo's fixture key file (the user key checked by unlocking it), and what `sign` and
// `review` enforce with a registry (--registry, or the one beside the key file) or a coin (--coin): the wrong
// coin, swapped or foreign pubs, an unregistered wallet (before any passphrase) and a registry whose user key is
// not the key file's are refused with their codes.
import { test, expect } from '@playwright/test';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCliProcess } from '../../support/cli';
import { mainnetMetadataRequestJson } from '../../support/qr-payloads';

const keys = 'test/fixtures/bitgo/keys.json';
const fixtureRegistry = 'test/fixtures/bitgo/keys.registry.json';
const env = JSON.parse(readFileSync(new URL('../../fixtures/bitgo/env.json', import.meta.url), 'utf8')) as Record<string, string>;
const wallets = JSON.parse(readFileSync(new URL('../../fixtures/bitgo/wallets.json', import.meta.url), 'utf8')) as Record<string, { walletId: string; xpubs: { user: string; backup: string; bitgo: string } }>;
const A = wallets.walletA!;
const B = wallets.walletB!;
const request = readFileSync(new URL('../../fixtures/bitgo/cases/p2wsh.request.json', import.meta.url), 'utf8');
const tmp = () => mkdtempSync(join(tmpdir(), 'cli-registry-'));
const xpubsArg = (x: { user: string; backup: string; bitgo: string }) => `${x.user},${x.backup},${x.bitgo}`;

test('registry add checks the user key against the key file and writes the file; list shows it; remove takes it out', () => {
  const dir = tmp();
  const registry = join(dir, 'wallets.json');
  const add = ['registry', 'add', '--registry', registry, '--keys', keys, '--wallet', A.walletId, '--coin', 'tbtc', '--label', 'Treasury', '--how', 'keycard'];
  // Another wallet's user key: refused after unlocking, nothing written.
  const foreign = runCliProcess([...add, '--xpubs', xpubsArg({ ...A.xpubs, user: B.xpubs.user })], env);
  expect(foreign.status).toBe(1);
  expect(foreign.json()).toMatchObject({ code: 'registry_user_key_mismatch' });
  expect(existsSync(registry)).toBe(false);
  // Usage: three xpubs, a known coin.
  expect(runCliProcess([...add, '--xpubs', `${A.xpubs.user},${A.xpubs.backup}`], env).status).toBe(2);
  expect(runCliProcess([...add.map((a) => (a === 'tbtc' ? 'ltc' : a)), '--xpubs', xpubsArg(A.xpubs)], env).status).toBe(2);
  const ok = runCliProcess([...add, '--xpubs', xpubsArg(A.xpubs), '--json'], env);
  expect(ok.status, ok.stdout + ok.stderr).toBe(0);
  const view = ok.json() as { sha256: string; wallets: { walletId: string; label: string; added: { how: string } }[] };
  expect(view.wallets).toEqual([expect.objectContaining({ walletId: A.walletId, label: 'Treasury', added: expect.objectContaining({ how: 'keycard' }) })]);
  expect(view.sha256).toBe(createHash('sha256').update(readFileSync(registry)).digest('hex'));
  // Added once; a second add is refused before any passphrase is asked for.
  expect(runCliProcess([...add, '--xpubs', xpubsArg(A.xpubs)]).json()).toMatchObject({ code: 'registry_wallet_exists' });
  const list = runCliProcess(['registry', 'list', '--registry', registry]);
  expect(list.status).toBe(0);
  expect(list.stdout).toContain(`sha256 ${view.sha256}`);
  expect(list.stdout).toMatch(new RegExp(`${A.walletId}  "Treasury"  tbtc  user [0-9a-f]{8} backup [0-9a-f]{8} bitgo [0-9a-f]{8}`));
  expect(runCliProcess(['registry', 'remove', '--registry', registry, '--wallet', B.walletId]).json()).toMatchObject({ code: 'wallet_not_registered' });
  expect(runCliProcess(['registry', 'remove', '--registry', registry, '--wallet', A.walletId]).status).toBe(0);
  expect(JSON.parse(readFileSync(registry, 'utf8'))).toEqual({ version: 1, wallets: {} });
  // A damaged registry is an error naming it, never an empty one.
  writeFileSync(registry, '{"version":1,"wallets":{},"wallets":{}}');
  expect(runCliProcess(['registry', 'list', '--registry', registry]).json()).toMatchObject({ code: 'registry_invalid' });
});

test('sign with a registry: the registered coin\'s network, the registered keys, registered wallets only', () => {
  const dir = tmp();
  const mainnet = join(dir, 'mainnet.json');
  writeFileSync(mainnet, mainnetMetadataRequestJson());
  const swapped = join(dir, 'swapped.json');
  const body = JSON.parse(request) as { pubs: string[] };
  writeFileSync(swapped, JSON.stringify({ ...body, pubs: [body.pubs[0], body.pubs[2], body.pubs[1]] }));
  const good = join(dir, 'good.json');
  writeFileSync(good, request);
  // Without any registry or coin (a key file with none beside it), the mainnet request is signed as mainnet:
  // what Express does, and what the registry is for.
  const bare = join(dir, 'keys.json');
  copyFileSync(keys, bare);
  expect(runCliProcess(['sign', '--keys', bare, mainnet], env).status).toBe(0);
  // With a coin, or with the registry (named, or beside the key file), it is refused.
  for (const rules of [['--coin', 'tbtc'], ['--registry', fixtureRegistry], []]) {
    const r = runCliProcess(['sign', '--keys', keys, ...rules, mainnet], env);
    expect(r.status, rules.join(' ')).toBe(1);
    expect(r.json()).toMatchObject({ code: 'network_mismatch' });
  }
  expect(runCliProcess(['sign', '--keys', keys, '--coin', 'btc', good], env).json()).toMatchObject({ code: 'network_mismatch' });
  // The registry's keys are the truth: backup and bitgo swapped is not this wallet's request.
  expect(runCliProcess(['sign', '--keys', keys, '--registry', fixtureRegistry, swapped], env).json()).toMatchObject({ code: 'wallet_keys_mismatch' });
  const signed = runCliProcess(['sign', '--keys', keys, good], env);
  expect(signed.status, signed.stdout).toBe(0);
  expect(signed.stderr).toContain(`wallet registry keys.registry.json: 4 wallet(s), sha256 ${createHash('sha256').update(readFileSync(fixtureRegistry)).digest('hex')}`);
  // Not registered: refused before any passphrase is needed (none given here).
  const empty = join(dir, 'empty.json');
  writeFileSync(empty, '{"version":1,"wallets":{}}');
  expect(runCliProcess(['sign', '--keys', keys, '--registry', empty, good]).json()).toMatchObject({ code: 'wallet_not_registered' });
  // --registry and --coin together is a usage error.
  expect(runCliProcess(['sign', '--keys', keys, '--registry', fixtureRegistry, '--coin', 'tbtc', good]).status).toBe(2);
});

test('sign refuses a registry whose user key for the wallet is not the key file\'s', () => {
  const dir = tmp();
  const doc = JSON.parse(readFileSync(fixtureRegistry, 'utf8')) as { wallets: Record<string, { xpubs: unknown; keySignatures?: unknown }> };
  const a = doc.wallets[A.walletId]!;
  delete a.keySignatures;
  a.xpubs = B.xpubs;
  const registry = join(dir, 'r.json');
  writeFileSync(registry, JSON.stringify(doc));
  const good = join(dir, 'good.json');
  writeFileSync(good, JSON.stringify({ ...(JSON.parse(request) as object), pubs: [B.xpubs.user, B.xpubs.backup, B.xpubs.bitgo] }));
  const r = runCliProcess(['sign', '--keys', keys, '--registry', registry, good], env);
  expect(r.json()).toMatchObject({ code: 'registry_user_key_mismatch' });
});

test('review with a registry shows the registered label and coin, and refuses the wrong coin', () => {
  const dir = tmp();
  const mainnet = join(dir, 'mainnet.json');
  writeFileSync(mainnet, mainnetMetadataRequestJson());
  const good = join(dir, 'good.json');
  writeFileSync(good, request);
  const label = (JSON.parse(readFileSync(fixtureRegistry, 'utf8')) as { wallets: Record<string, { label: string }> }).wallets[A.walletId]!.label;
  const r = runCliProcess(['review', '--registry', fixtureRegistry, good]);
  expect(r.status, r.stdout + r.stderr).toBe(0);
  expect(r.stdout).toContain(label);
  expect(r.stdout).toContain('tbtc');
  const refused = runCliProcess(['review', '--registry', fixtureRegistry, '--json', mainnet]);
  expect((refused.json() as { refusals: { code: string }[] }).refusals.map((x) => x.code)).toContain('network_mismatch');
});
