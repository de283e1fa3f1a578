// Pinning the wallet's request-signing key at the key ceremony, through the real CLI process: `ceremony export
// --wallet-id ... --pin-key <pem> --fingerprint=<thumbprint> --require jwt` registers the wallet with the key pinned
// and the requirement set, as `registry pin-key` and `set-policy` would. A thumbprint not confirmed, or mistyped, is
// refused before any passphrase is asked for and nothing is written; the options that only go with --pin-key are
// usage errors without it.
import { test, expect } from '@playwright/test';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bip32 } from '../../../electron/crypto/ecc';
import { runCliProcess, type CliRun } from '../../support/cli';
import { sender, thumbprintOf } from '../../support/auth-requests';

const DICE = '4625143'.repeat(15);
const PASS = 'correct horse battery staple glue';
const BITGO = bip32.fromSeed(Buffer.alloc(64, 7)).neutered().toBase58();
const WALLET = '6a4b2c0e9b8d7a6f5e4d3c2b';
const tmp = () => mkdtempSync(join(tmpdir(), 'cli-ceremony-pin-'));
const codeOf = (r: CliRun) => (r.json() as { code?: string }).code;

test('ceremony export pins the request-signing key in the new registry entry, only once its thumbprint is confirmed', async () => {
  test.setTimeout(120_000);
  const laptop = tmp();
  const create = runCliProcess(['ceremony', 'create', '--label', 'Pinned', '--coin', 'tbtc', '--out-dir', laptop, '--envelope', 'v1', '--json'], { CEREMONY_DICE: DICE, CEREMONY_PASSPHRASE: PASS });
  expect(create.status, create.stdout + create.stderr).toBe(0);
  const ceremonyFile = (create.json() as { ceremonyFile: string }).ceremonyFile;
  const online = tmp();
  const keys = join(online, 'keys.json');
  const registry = join(online, 'keys.registry.json');
  const pem = join(online, 'sender.pem');
  writeFileSync(pem, sender.publicKey);
  const thumbprint = await thumbprintOf(sender.publicKey);
  const base = ['ceremony', 'export', '--ceremony', ceremonyFile, '--bitgo-xpub', BITGO, '--wallet-id', WALLET, '--keys', keys, '--pin-key', pem];

  // Not confirmed, then mistyped: refused with the thumbprint shown, before the passphrase; nothing written.
  for (const extra of [[], [`--fingerprint=${thumbprint.slice(0, -1)}x`]]) {
    const r = runCliProcess([...base, ...extra, '--out', join(online, 'export.json')], {});
    expect([r.status, codeOf(r)], r.stdout + r.stderr).toEqual([1, 'registry_confirmation_mismatch']);
    expect(r.stderr).toContain(thumbprint);
    for (const f of [keys, registry, join(online, 'export.json')]) expect(existsSync(f), f).toBe(false);
  }
  // Usage: --require or --fingerprint without --pin-key, --pin-key without a wallet id, an unknown requirement.
  const noPin = ['ceremony', 'export', '--ceremony', ceremonyFile, '--bitgo-xpub', BITGO, '--wallet-id', WALLET, '--keys', keys, '--out', join(online, 'x.json')];
  expect(runCliProcess([...noPin, '--require', 'jwt']).status).toBe(2);
  expect(runCliProcess(['ceremony', 'export', '--ceremony', ceremonyFile, '--out', join(online, 'y.json'), '--pin-key', pem, `--fingerprint=${thumbprint}`]).status).toBe(2);
  expect(runCliProcess([...base, `--fingerprint=${thumbprint}`, '--require', 'always', '--out', join(online, 'z.json')]).status).toBe(2);

  // Confirmed: the wallet is registered with the key pinned and JWT required.
  const ok = runCliProcess([...base, `--fingerprint=${thumbprint}`, '--require', 'jwt', '--out', join(online, 'export.json'), '--json'], { CEREMONY_KEY_PASSPHRASE: PASS });
  expect(ok.status, ok.stdout + ok.stderr).toBe(0);
  const entry = (JSON.parse(readFileSync(registry, 'utf8')) as { wallets: Record<string, { added: { how: string }; auth?: { requireAuthenticatedRequests?: string; jwtKeys?: { fingerprint: string }[] } }> }).wallets[WALLET]!;
  expect(entry.added.how).toBe('ceremony');
  expect(entry.auth).toMatchObject({ requireAuthenticatedRequests: 'jwt', jwtKeys: [expect.objectContaining({ fingerprint: thumbprint })] });
  // The registry reads back through the command that sign uses, with the key and the policy.
  const list = runCliProcess(['registry', 'list', '--registry', registry, '--json']);
  expect(list.status, list.stdout).toBe(0);
  expect(JSON.stringify(list.json())).toContain(thumbprint);
});
