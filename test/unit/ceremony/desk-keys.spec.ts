// The key-file entry, the two-laptop check and the registry entry in the app, through the real router and handlers
// (test/support/workflow-harness.ts, the demo key store open): a wallet's entry re-encrypted into a NEW key file on
// the drive (read back with the key file reader `sign` uses), the second laptop's xpubs from the first laptop's
// dice and exported computer entropy (MATCH and MISMATCH), and the new wallet entered into the registry from the
// public export with BitGo's key. Each step is a ceremony-step audit entry; no secret in any response or entry.
import { test, expect } from '@playwright/test';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { bip32 } from '../../../electron/crypto/ecc';
import { xpubsFor } from '../../../electron/ceremony/create';
import { diceEntropy, parseComputerEntropy } from '../../../electron/ceremony/entropy';
import { demoInfo, demoKeyFile } from '../../../electron/demo/index';
import { decryptEnvelope } from '../../../electron/keystore/envelope';
import { findWallet, readKeyFile } from '../../../electron/keystore/keyfile';
import { AuditLog } from '../../../electron/workflow/audit';
import { UnlockThrottle } from '../../../electron/workflow/throttle';
import { workflowHarness } from '../../support/workflow-harness';

const DICE = '2534161'.repeat(15);
const PASS = 'correct horse battery staple glue';
const NEW = 'a new passphrase for this wallet';
const WALLET_ID = '5b34252f1bf349930e34020a00000000';
const BITGO = bip32.fromSeed(Buffer.alloc(64, 17)).neutered().toBase58();
const stepsOf = (audit: AuditLog) => audit.entries().flatMap((e) => (e.type === 'ceremony-step' ? [`${e.step}:${e.outcome}${e.code ? `:${e.code}` : ''}`] : []));

test('a key file entry re-encrypted v1 -> v2 into a new key file on the drive, mode 0600; refusals, the unlock throttle; audited, no secret', async () => {
  test.setTimeout(120_000);
  const audit = new AuditLog();
  // The unlock screen's throttle, on a clock the test moves: a wrong passphrase makes the next try wait.
  let clock = 1_000_000;
  const throttle = new UnlockThrottle(() => clock);
  const h = workflowHarness({ deps: { audit, throttle, ceremonyEnvelope: { version: 2, v2: { memoryKiB: 256, passes: 1, parallelism: 1 } } } });
  try {
    const [usb] = await h.call('drivesList', {});
    const demo = demoInfo().passphrases.find((p) => p.label === 'Demo wallet B')!;
    const old = findWallet(demoKeyFile(), demo.walletId).envelope;
    expect(old.v).toBe(1);
    const xpub = bip32.fromBase58(await decryptEnvelope(old, demo.passphrase)).neutered().toBase58();
    const input = { driveId: usb!.id, walletId: demo.walletId, passphrase: demo.passphrase, newPassphrase: NEW, newPassphraseAgain: NEW, allowWeak: false, envelope: 2 as const };
    expect(await h.fail('ceremonyKeyFileReencrypt', { ...input, walletId: 'ffff0000ffff0000ffff0000ffff0000' })).toMatchObject({ code: 'wallet_not_in_key_file' });
    expect(await h.fail('ceremonyKeyFileReencrypt', { ...input, passphrase: 'not the passphrase of wallet B' })).toMatchObject({ code: 'wallet_passphrase_incorrect' });
    expect(await h.fail('ceremonyKeyFileReencrypt', { ...input, newPassphraseAgain: `${NEW}!` })).toMatchObject({ code: 'passphrase_mismatch' });
    expect(await h.fail('ceremonyKeyFileReencrypt', { ...input, newPassphrase: 'short', newPassphraseAgain: 'short' })).toMatchObject({ code: 'passphrase_weak' });
    expect(readdirSync(h.drive)).toEqual([]);
    // Re-encrypting is no way around the unlock throttle: right passphrase or not, the wallet must wait first.
    expect(await h.fail('ceremonyKeyFileReencrypt', input)).toMatchObject({ code: 'unlock_throttled' });
    clock += 1000;

    const done = await h.call('ceremonyKeyFileReencrypt', input);
    expect(done).toMatchObject({ drive: 'USB STICK', xpub, envelope: 2, walletId: demo.walletId });
    expect(done.file.name).toMatch(new RegExp(`^keys-${demo.walletId}\\.reencrypted-\\d{8}T\\d{6}Z\\.json$`));
    const path = join(h.drive, done.file.name);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    // The new file is a key file as `sign --keys` reads it; its entry opens with the new passphrase, not the old.
    const kf = readKeyFile(path);
    expect(kf.wallets.map((w) => w.walletId)).toEqual([demo.walletId]);
    const entry = findWallet(kf, demo.walletId).envelope;
    expect(entry).toMatchObject({ v: 2, m: 256, t: 1, p: 1 });
    expect(bip32.fromBase58(await decryptEnvelope(entry, NEW)).neutered().toBase58()).toBe(xpub);
    await expect(decryptEnvelope(entry, demo.passphrase)).rejects.toMatchObject({ code: 'wallet_passphrase_incorrect' });

    expect(stepsOf(audit)).toEqual([
      'reencrypt:failed:wallet_not_in_key_file',
      'reencrypt:failed:wallet_passphrase_incorrect',
      'reencrypt:failed:passphrase_mismatch',
      'reencrypt:failed:passphrase_weak',
      'reencrypt:failed:unlock_throttled',
      'reencrypt:done',
    ]);
    const all = h.responses.join('\n') + JSON.stringify(audit.entries());
    for (const s of [demo.passphrase, NEW, 'xprv', '"ct"']) expect(all).not.toContain(s);
  } finally {
    h.cleanup();
  }
});

test('two-laptop check: the first laptop exports its computer entropy; the second gives the same xpubs (MATCH), another xpub is a MISMATCH', async () => {
  test.setTimeout(120_000);
  const audit = new AuditLog();
  const first = workflowHarness({ deps: { ceremonyEnvelope: { version: 1 } } });
  const second = workflowHarness({ deps: { audit } });
  try {
    const [usb] = await first.call('drivesList', {});
    expect(await first.fail('ceremonyEntropySave', { driveId: usb!.id })).toMatchObject({ code: 'ceremony_step_invalid' });
    await first.call('ceremonySelfTest', {});
    const view = await first.call('ceremonyCreate', { label: 'Two Laptops', coin: 'btc', dice: DICE, passphrase: PASS, passphraseAgain: PASS, allowWeak: false });
    const saved = await first.call('ceremonyEntropySave', { driveId: usb!.id });
    expect(saved).toEqual({ drive: 'USB STICK', file: 'two-laptops.computer-entropy.txt' });
    const path = join(first.drive, saved.file);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const entropyText = readFileSync(path, 'utf8');
    // The same file the command line's `ceremony check` reads gives the same xpubs there.
    expect(xpubsFor(parseComputerEntropy(entropyText), diceEntropy(DICE))).toEqual(view.xpubs);

    const check = { dice: DICE, computerEntropy: entropyText, user: view.xpubs.user, backup: view.xpubs.backup };
    const match = await second.call('ceremonyCheck', check);
    expect(match).toEqual({ xpubs: view.xpubs, user: true, backup: true, match: true, dice: { rolls: 105, sha256: view.dice.sha256 } });
    const mismatch = await second.call('ceremonyCheck', { ...check, backup: BITGO });
    expect(mismatch).toMatchObject({ xpubs: view.xpubs, user: true, backup: false, match: false });
    // One die different: other keys altogether.
    const otherDice = await second.call('ceremonyCheck', { ...check, dice: `4${DICE.slice(1)}` });
    expect(otherDice).toMatchObject({ user: false, backup: false, match: false });
    expect(await second.fail('ceremonyCheck', { ...check, computerEntropy: 'abcd' })).toMatchObject({ code: 'os_entropy_invalid' });
    expect(await second.fail('ceremonyCheck', { ...check, dice: '123' })).toMatchObject({ code: 'entropy_insufficient' });
    // A private key where the first laptop's xpub belongs is refused, not compared.
    expect(await second.fail('ceremonyCheck', { ...check, user: bip32.fromSeed(Buffer.alloc(64, 17)).toBase58() })).toMatchObject({ code: 'ceremony_xpub_private' });
    expect(stepsOf(audit)).toEqual(['check:match', 'check:mismatch', 'check:mismatch', 'check:failed:os_entropy_invalid', 'check:failed:entropy_insufficient', 'check:failed:ceremony_xpub_private']);
    const hex = entropyText.replace(/\s+/g, '');
    const all = first.responses.join('\n') + second.responses.join('\n') + JSON.stringify(audit.entries());
    // (The refusal above names an xprv in words; no private key itself comes back.)
    for (const s of [hex, hex.slice(0, 8), DICE.slice(0, 20), PASS, bip32.fromSeed(Buffer.alloc(64, 17)).toBase58()]) expect(all).not.toContain(s);
  } finally {
    first.cleanup();
    second.cleanup();
  }
});

test('the new wallet into the registry from the public export with BitGo\'s key: confirmed by its id, verified, audited', async () => {
  test.setTimeout(120_000);
  const audit = new AuditLog();
  const h = workflowHarness({ deps: { audit, ceremonyEnvelope: { version: 1 } } });
  try {
    const [usb] = await h.call('drivesList', {});
    expect(await h.fail('ceremonyRegister', { confirmWalletId: WALLET_ID })).toMatchObject({ code: 'ceremony_step_invalid' });
    expect(await h.fail('ceremonyKeyFileSave', { driveId: usb!.id })).toMatchObject({ code: 'ceremony_step_invalid' });
    await h.call('ceremonySelfTest', {});
    const view = await h.call('ceremonyCreate', { label: 'Registry Test', coin: 'tbtc4', dice: DICE, passphrase: PASS, passphraseAgain: PASS, allowWeak: false });
    // The phase-1 export (no BitGo key) gives nothing to register.
    await h.call('ceremonyExport', { driveId: usb!.id });
    expect(await h.fail('ceremonyRegister', { confirmWalletId: WALLET_ID })).toMatchObject({ code: 'ceremony_step_invalid' });
    await h.call('ceremonyExport', { driveId: usb!.id, bitgoXpub: BITGO, walletId: WALLET_ID, passphrase: PASS });
    expect(await h.fail('ceremonyRegister', { confirmWalletId: '5b34252f1bf349930e34020a00000001' })).toMatchObject({ code: 'registry_confirmation_mismatch' });
    const before = await h.call('registryGet', {});
    expect(before!.wallets.some((w) => w.walletId === WALLET_ID)).toBe(false);

    const reg = await h.call('ceremonyRegister', { confirmWalletId: WALLET_ID });
    const entry = reg.wallets.find((w) => w.walletId === WALLET_ID)!;
    expect(entry).toMatchObject({ label: 'Registry Test', coin: 'tbtc4', xpubs: { ...view.xpubs, bitgo: BITGO }, added: { how: 'ceremony' } });
    expect(entry.keySignatures).toBeDefined();
    expect((await h.call('registryGet', {}))!.sha256).toBe(reg.sha256);
    // Once only.
    expect(await h.fail('ceremonyRegister', { confirmWalletId: WALLET_ID })).toMatchObject({ code: expect.stringMatching(/^registry_/) });

    expect(stepsOf(audit).filter((s) => s.startsWith('register'))).toEqual(['register:failed:ceremony_step_invalid', 'register:failed:ceremony_step_invalid', 'register:failed:registry_confirmation_mismatch', 'register:done', expect.stringMatching(/^register:failed:registry_/)]);

    // The new wallet's key file (issue 15 item 2): Express's format, the ceremony's envelope unchanged, mode 0600,
    // read by the key store's own reader and opened with the passphrase; never written over.
    const saved = await h.call('ceremonyKeyFileSave', { driveId: usb!.id });
    expect(saved).toMatchObject({ drive: 'USB STICK', walletId: WALLET_ID, file: { name: 'registry-test.keys.json', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) } });
    const keyPath = join(h.drive, saved.file.name);
    expect(statSync(keyPath).mode & 0o777).toBe(0o600);
    const keyFile = readKeyFile(keyPath);
    expect(keyFile.wallets.map((w) => w.walletId)).toEqual([WALLET_ID]);
    expect(Object.keys(JSON.parse(readFileSync(keyPath, 'utf8')) as object)).toEqual([WALLET_ID]);
    expect(bip32.fromBase58(await decryptEnvelope(findWallet(keyFile, WALLET_ID).envelope, PASS)).neutered().toBase58()).toBe(view.xpubs.user);
    const bytes = readFileSync(keyPath);
    expect(await h.fail('ceremonyKeyFileSave', { driveId: usb!.id })).toMatchObject({ code: 'output_exists' });
    expect(readFileSync(keyPath)).toEqual(bytes);
    expect(stepsOf(audit).filter((s) => s.startsWith('key-file'))).toEqual(['key-file:failed:ceremony_step_invalid', 'key-file:done', 'key-file:failed:output_exists']);
    expect(audit.entries().find((e) => e.type === 'wallet-registered')).toMatchObject({ walletId: WALLET_ID, coin: 'tbtc4', how: 'ceremony', registry: reg.sha256 });
    const all = h.responses.join('\n') + JSON.stringify(audit.entries());
    for (const s of [PASS, DICE.slice(0, 20), 'xprv', '"ct"']) expect(all).not.toContain(s);
  } finally {
    h.cleanup();
  }
});
