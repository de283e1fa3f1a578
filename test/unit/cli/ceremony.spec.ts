// The key ceremony through the real CLI process, as an operator runs it: create on one "laptop" with the computer
// entropy exported, `check` on a second one (another process, another folder) shows byte-identical xpubs; the
// public export; BitGo's key and the wallet id come back: keySignatures, the user key into an Express key file that
// `keys check` opens, the wallet into the registry that `registry list` and `sign` use; audit MATCH / MISMATCH;
// re-encrypt into a new key file, the old one untouched. Nothing is written over an existing file, and no secret
// reaches stdout.
import { test, expect } from '@playwright/test';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bip32 } from '../../../electron/crypto/ecc';
import { runCliProcess } from '../../support/cli';
import { CEREMONY_SUBCOMMANDS } from '../../../electron/cli/ceremony';

const DICE = '3615243'.repeat(15);
const PASS = 'correct horse battery staple glue';
const BITGO = bip32.fromSeed(Buffer.alloc(64, 9)).neutered().toBase58();
const WALLET = '5f3a1c0e9b8d7a6f5e4d3c2b';
const tmp = () => mkdtempSync(join(tmpdir(), 'cli-ceremony-'));

interface Created {
  ceremonyFile: string;
  publicFile: string;
  computerEntropyFile: string;
  xpubs: { user: string; backup: string };
}

test('create, two-laptop check, export with keySignatures into a key file and registry, keys check, audit, reencrypt', async () => {
  test.setTimeout(240_000);
  const laptop1 = tmp();
  const entropyFile = join(laptop1, 'computer-entropy.txt');
  const create = runCliProcess(['ceremony', 'create', '--label', 'Treasury Cold', '--coin', 'tbtc', '--out-dir', laptop1, '--envelope', 'v1', '--export-computer-entropy', entropyFile, '--json'], { CEREMONY_DICE: DICE, CEREMONY_PASSPHRASE: PASS });
  expect(create.status, create.stdout + create.stderr).toBe(0);
  const created = create.json() as Created;
  expect(created.ceremonyFile).toBe(join(laptop1, 'treasury-cold.ceremony.json'));
  // The dice hash is for the operator's eyes (stderr), the secrets nowhere.
  expect(create.stderr).toContain('3f38b41a2156a8479b203f280b2e7b9c5105917a9fe18364f0bcd315b7b63782');
  for (const out of [create.stdout, create.stderr]) {
    expect(out).not.toContain(PASS);
    expect(out).not.toContain(DICE.slice(0, 20));
    expect(out).not.toMatch(/xprv/);
    expect(out).not.toContain(readFileSync(entropyFile, 'utf8').replace(/\s/g, '').slice(0, 16));
  }
  expect(statSync(created.ceremonyFile).mode & 0o777).toBe(0o600);
  expect(statSync(entropyFile).mode & 0o777).toBe(0o600);
  expect(JSON.parse(readFileSync(created.publicFile, 'utf8'))).toMatchObject({ xpubs: created.xpubs });

  // The second laptop: another process, its own folder, the same dice typed with other spacing.
  const laptop2 = tmp();
  copyFileSync(entropyFile, join(laptop2, 'entropy.txt'));
  const check = runCliProcess(['ceremony', 'check', '--computer-entropy', join(laptop2, 'entropy.txt'), '--json'], { CEREMONY_DICE: DICE.replace(/(.{5})/g, '$1 ') });
  expect(check.status, check.stdout + check.stderr).toBe(0);
  expect((check.json() as { xpubs: unknown }).xpubs).toEqual(created.xpubs);
  // One roll different: other keys.
  const otherDice = runCliProcess(['ceremony', 'check', '--computer-entropy', entropyFile, '--json'], { CEREMONY_DICE: `4${DICE.slice(1)}` });
  expect((otherDice.json() as { xpubs: { user: string } }).xpubs.user).not.toBe(created.xpubs.user);

  // Nothing over an existing file: the same label again is refused before any secret is asked for.
  const again = runCliProcess(['ceremony', 'create', '--label', 'Treasury Cold', '--coin', 'tbtc', '--out-dir', laptop1], {});
  expect(again.status).toBe(1);
  expect(again.json()).toMatchObject({ code: 'ceremony_step_invalid' });
  // A weak passphrase is refused unless explicitly overridden; too few dice are refused.
  expect(runCliProcess(['ceremony', 'create', '--label', 'w', '--coin', 'btc', '--out-dir', tmp()], { CEREMONY_DICE: DICE, CEREMONY_PASSPHRASE: 'password1' }).json()).toMatchObject({ code: 'passphrase_weak' });
  expect(runCliProcess(['ceremony', 'create', '--label', 'w', '--coin', 'btc', '--out-dir', tmp()], { CEREMONY_DICE: '123456', CEREMONY_PASSPHRASE: PASS }).json()).toMatchObject({ code: 'entropy_insufficient' });

  // BitGo made the wallet: its key and the wallet id come back. Export into a new key file and registry.
  const online = tmp();
  const keys = join(online, 'keys.json');
  const exportArgs = ['ceremony', 'export', '--ceremony', created.ceremonyFile, '--bitgo-xpub', BITGO, '--wallet-id', WALLET, '--keys', keys];
  const wrong = runCliProcess([...exportArgs, '--out', join(online, 'export-wrong.json')], { CEREMONY_KEY_PASSPHRASE: 'not the wallet passphrase' });
  expect(wrong.json()).toMatchObject({ code: 'wallet_passphrase_incorrect' });
  expect(existsSync(keys)).toBe(false);
  const exported = runCliProcess([...exportArgs, '--out', join(online, 'export.json'), '--json'], { CEREMONY_KEY_PASSPHRASE: PASS });
  expect(exported.status, exported.stdout + exported.stderr).toBe(0);
  const exp = JSON.parse(readFileSync(join(online, 'export.json'), 'utf8')) as { walletId: string; xpubs: Record<string, string>; keySignatures: { backupPub: string; bitgoPub: string } };
  expect(exp).toMatchObject({ walletId: WALLET, xpubs: { ...created.xpubs, bitgo: BITGO } });
  expect(exp.keySignatures.backupPub).toMatch(/^[0-9a-f]{130}$/);
  // The key file is BitGo Express's: { walletId: "<envelope JSON string>" }, mode 0600, and it opens.
  const keyFile = JSON.parse(readFileSync(keys, 'utf8')) as Record<string, string>;
  expect(Object.keys(keyFile)).toEqual([WALLET]);
  expect(JSON.parse(keyFile[WALLET]!)).toMatchObject({ v: 1 });
  expect(statSync(keys).mode & 0o777).toBe(0o600);
  const opened = runCliProcess(['keys', 'check', '--keys', keys, '--json'], { [`WALLET_${WALLET}_PASSPHRASE`]: PASS });
  expect(opened.status, opened.stdout).toBe(0);
  expect((opened.json() as { wallets: { xpub: string }[] }).wallets[0]!.xpub).toBe(created.xpubs.user);
  // The registry beside it: the wallet, "ceremony", keySignatures verified by the registry's own check.
  const list = runCliProcess(['registry', 'list', '--registry', join(online, 'keys.registry.json'), '--json']);
  expect(list.status).toBe(0);
  expect((list.json() as { wallets: unknown[] }).wallets).toEqual([
    expect.objectContaining({ walletId: WALLET, label: 'Treasury Cold', coin: 'tbtc', keySignatures: exp.keySignatures, added: expect.objectContaining({ how: 'ceremony' }) }),
  ]);
  expect(JSON.stringify(list.json())).not.toContain('"problem"');

  // A second wallet into the existing key file: only with --update-key-file, and the old bytes are kept.
  const laptop3 = tmp();
  const second = runCliProcess(['ceremony', 'create', '--label', 'Second', '--coin', 'tbtc', '--out-dir', laptop3, '--envelope', 'v1', '--json'], { CEREMONY_DICE: `${DICE}1`, CEREMONY_PASSPHRASE: PASS });
  const secondFile = (second.json() as Created).ceremonyFile;
  const before = readFileSync(keys);
  const secondArgs = ['ceremony', 'export', '--ceremony', secondFile, '--bitgo-xpub', BITGO, '--wallet-id', 'abc999', '--keys', keys, '--out', join(online, 'export2.json')];
  expect(runCliProcess(secondArgs, { CEREMONY_KEY_PASSPHRASE: PASS }).status).toBe(2);
  expect(readFileSync(keys).equals(before)).toBe(true);
  const updated = runCliProcess([...secondArgs, '--update-key-file', '--json'], { CEREMONY_KEY_PASSPHRASE: PASS });
  expect(updated.status, updated.stdout).toBe(0);
  const kept = (updated.json() as { written: string[] }).written.find((w) => w.includes('.before-'))!.replace(/ \(the old key file\)$/, '');
  expect(readFileSync(kept).equals(before)).toBe(true);
  expect(Object.keys(JSON.parse(readFileSync(keys, 'utf8')) as object)).toEqual([WALLET, 'abc999']);
  expect((JSON.parse(readFileSync(keys, 'utf8')) as Record<string, string>)[WALLET]).toBe(keyFile[WALLET]);

  // Audit: box B saved from the KeyCard, against the published backup xpub and against another key.
  const boxB = join(online, 'box-b.txt');
  writeFileSync(boxB, `${(JSON.parse(readFileSync(created.ceremonyFile, 'utf8')) as { keys: { backup: { encryptedPrv: string } } }).keys.backup.encryptedPrv}\n`);
  const match = runCliProcess(['ceremony', 'audit', '--box', boxB, '--xpub', created.xpubs.backup], { CEREMONY_KEY_PASSPHRASE: PASS });
  expect(match.status, match.stdout).toBe(0);
  expect(match.stdout.split('\n')[0]).toBe('MATCH');
  const mismatch = runCliProcess(['ceremony', 'audit', '--box', boxB, '--xpub', created.xpubs.user], { CEREMONY_KEY_PASSPHRASE: PASS });
  expect(mismatch.status).toBe(3);
  expect(mismatch.stdout.split('\n')[0]).toBe('MISMATCH');
  expect(runCliProcess(['ceremony', 'audit', '--keys', keys, '--wallet', WALLET, '--xpub', created.xpubs.user], { [`WALLET_${WALLET}_PASSPHRASE`]: PASS }).status).toBe(0);

  // Re-encrypt wallet 1's entry v1 -> v2 under a new passphrase into a NEW key file; the old file is untouched.
  const reKeys = join(online, 'keys-v2.json');
  const keysBefore = readFileSync(keys);
  const re = runCliProcess(['ceremony', 'reencrypt', '--keys', keys, '--wallet', WALLET, '--out', reKeys, '--json'], { [`WALLET_${WALLET}_PASSPHRASE`]: PASS, CEREMONY_NEW_PASSPHRASE: 'a brand new long passphrase 2026' });
  expect(re.status, re.stdout + re.stderr).toBe(0);
  expect(readFileSync(keys).equals(keysBefore)).toBe(true);
  const reFile = JSON.parse(readFileSync(reKeys, 'utf8')) as Record<string, string>;
  expect(JSON.parse(reFile[WALLET]!)).toMatchObject({ v: 2, m: 65536, t: 3, p: 4 });
  expect(reFile.abc999).toBe((JSON.parse(keysBefore.toString()) as Record<string, string>).abc999);
  const reOpened = runCliProcess(['keys', 'check', '--keys', reKeys, '--json', WALLET], { [`WALLET_${WALLET}_PASSPHRASE`]: 'a brand new long passphrase 2026' });
  expect((reOpened.json() as { wallets: { xpub: string }[] }).wallets[0]!.xpub).toBe(created.xpubs.user);
  // Never over an existing file.
  expect(runCliProcess(['ceremony', 'reencrypt', '--keys', keys, '--wallet', WALLET, '--out', reKeys], {}).json()).toMatchObject({ code: 'ceremony_step_invalid' });
});

test('ceremony --help says every subcommand and where secrets come from; unknown subcommands are usage errors', () => {
  const help = runCliProcess(['ceremony', '--help']);
  expect(help.status).toBe(0);
  for (const word of [...CEREMONY_SUBCOMMANDS, 'CEREMONY_PASSPHRASE', 'CEREMONY_DICE', '--danger-weak-passphrase']) expect(help.stdout).toContain(word);
  expect(runCliProcess(['ceremony', 'frobnicate']).status).toBe(2);
  const selftest = runCliProcess(['ceremony', 'selftest', '--json']);
  expect(selftest.status, selftest.stdout).toBe(0);
  expect((selftest.json() as { ok: boolean }).ok).toBe(true);
});
