// Shards in the app through the real router and handlers (test/support/workflow-harness.ts): made from the ceremony
// just run (every combination verified before the file is written), recombined from m holders under a new
// passphrase (refused unless it is the file's xpub), resharded m'-of-n' with the same xpub. The files on the drive
// are read back with the core the command line uses; each step is a ceremony-step audit entry; no holder password,
// dice or private key in any IPC response or audit entry.
import { test, expect } from '@playwright/test';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bip32 } from '../../../electron/crypto/ecc';
import { parseShardSet, recombineShards, serializeShardSet, splitSeed, verifyShards } from '../../../electron/ceremony/shards';
import { decryptEnvelope } from '../../../electron/keystore/envelope';
import { AuditLog } from '../../../electron/workflow/audit';
import { Vault } from '../../../electron/keystore/vault';
import { workflowHarness } from '../../support/workflow-harness';

const DICE = '3615243'.repeat(15);
const PASS = 'correct horse battery staple glue';
const HOLDERS = ['holder one long password', 'holder two long password', 'holder three long password'];
const NEW_HOLDERS = ['new holder one password', 'new holder two password', 'new holder three password', 'new holder four password'];
const REBUILT = 'the rebuilt key passphrase';

const stepsOf = (audit: AuditLog) => audit.entries().flatMap((e) => (e.type === 'ceremony-step' ? [`${e.step}:${e.outcome}${e.code ? `:${e.code}` : ''}`] : []));

test('shards of the ceremony just run: made and verified onto the drive, recombined, resharded; refusals; audited, no secret', async () => {
  test.setTimeout(180_000);
  const audit = new AuditLog();
  const h = workflowHarness({ deps: { audit, ceremonyEnvelope: { version: 1 } } });
  try {
    const [usb] = await h.call('drivesList', {});
    const driveId = usb!.id;
    const make = { driveId, role: 'backup' as const, m: 2, passwords: HOLDERS, passwordsAgain: HOLDERS, allowWeak: false };
    // Nothing to split before a ceremony has run (a KeyCard box holds the xprv, not the seed BitGo shards).
    expect(await h.fail('ceremonyShardsCreate', make)).toMatchObject({ code: 'ceremony_step_invalid' });
    await h.call('ceremonySelfTest', {});
    const view = await h.call('ceremonyCreate', { label: 'Shard Test', coin: 'tbtc', dice: DICE, passphrase: PASS, passphraseAgain: PASS, allowWeak: false });

    // Each holder's password typed twice, under the strength rule; the failure names the shard.
    expect(await h.fail('ceremonyShardsCreate', { ...make, passwordsAgain: [HOLDERS[0], `${HOLDERS[1]}!`, HOLDERS[2]] })).toMatchObject({ code: 'passphrase_mismatch', error: expect.stringMatching(/^shard 2: /) });
    expect(await h.fail('ceremonyShardsCreate', { ...make, passwords: [HOLDERS[0], 'short', HOLDERS[2]], passwordsAgain: [HOLDERS[0], 'short', HOLDERS[2]] })).toMatchObject({ code: 'passphrase_weak', error: expect.stringMatching(/^shard 2: /) });
    expect(await h.fail('ceremonyShardsCreate', { ...make, m: 4 })).toMatchObject({ code: 'shard_threshold_invalid' });
    expect(readdirSync(h.drive)).toEqual([]);

    const made = await h.call('ceremonyShardsCreate', make);
    expect(made).toEqual({ drive: 'USB STICK', file: { name: 'shard-test.backup.shards.json', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) }, xpub: view.xpubs.backup, m: 2, n: 3, role: 'backup' });
    const fileText = readFileSync(join(h.drive, made.file.name), 'utf8');
    // Read back with the core `ceremony verify-shards` uses: BitGo's verifyShards over every combination.
    const set = parseShardSet(fileText, made.file.name);
    expect(await verifyShards(set, HOLDERS, view.xpubs.backup)).toMatchObject({ combinations: 3, xpub: view.xpubs.backup });
    // Never over the file: the same split again is refused.
    expect(await h.fail('ceremonyShardsCreate', make)).toMatchObject({ code: 'output_exists' });
    // The user key splits too, from the same ceremony.
    expect((await h.call('ceremonyShardsCreate', { ...make, role: 'user', m: 3 })).xpub).toBe(view.xpubs.user);

    // Recombine: holders 1 and 3 (2 absent); too few, a wrong one (named), then right.
    const recombine = { driveId, shards: fileText, passwords: [HOLDERS[0]!, '', HOLDERS[2]!], newPassphrase: REBUILT, newPassphraseAgain: REBUILT, allowWeak: false, envelope: 1 as const };
    expect(await h.fail('ceremonyShardsRecombine', { ...recombine, passwords: [HOLDERS[0]!, '', ''] })).toMatchObject({ code: 'passphrase_missing' });
    expect(await h.fail('ceremonyShardsRecombine', { ...recombine, passwords: [HOLDERS[0]!, '', 'not the third password'] })).toMatchObject({ code: 'shard_password_incorrect', error: expect.stringMatching(/shard 3/) });
    expect(await h.fail('ceremonyShardsRecombine', { ...recombine, newPassphraseAgain: 'something else entirely' })).toMatchObject({ code: 'passphrase_mismatch' });
    // A shard file whose xpub is not the key its shards rebuild is refused.
    const lying = serializeShardSet({ ...set, xpub: view.xpubs.user });
    expect(await h.fail('ceremonyShardsRecombine', { ...recombine, shards: lying })).toMatchObject({ code: 'shards_inconsistent' });
    const rebuilt = await h.call('ceremonyShardsRecombine', recombine);
    expect(rebuilt).toMatchObject({ drive: 'USB STICK', xpub: view.xpubs.backup, shardsUsed: 2, envelope: 1 });
    expect(rebuilt.file.name).toMatch(new RegExp(`^key-${rebuilt.fingerprint}\\.recombined-\\d{8}T\\d{6}Z\\.json$`));
    const box = readFileSync(join(h.drive, rebuilt.file.name), 'utf8').trim();
    expect(bip32.fromBase58(await decryptEnvelope(box, REBUILT)).neutered().toBase58()).toBe(view.xpubs.backup);

    // Reshard 2-of-3 -> 3-of-4, the same key; the old file untouched; the new one verifies, the old shares do not mix in.
    const reshard = { driveId, shards: fileText, passwords: ['', HOLDERS[1]!, HOLDERS[2]!], m: 3, newPasswords: NEW_HOLDERS, newPasswordsAgain: NEW_HOLDERS, allowWeak: false };
    expect(await h.fail('ceremonyShardsReshard', { ...reshard, newPasswordsAgain: NEW_HOLDERS.slice(0, 3) })).toMatchObject({ code: 'passphrase_mismatch' });
    const next = await h.call('ceremonyShardsReshard', reshard);
    expect(next).toMatchObject({ xpub: view.xpubs.backup, m: 3, n: 4 });
    const nextSet = parseShardSet(readFileSync(join(h.drive, next.file.name), 'utf8'), next.file.name);
    expect(await verifyShards(nextSet, NEW_HOLDERS, view.xpubs.backup)).toMatchObject({ combinations: 4 });
    expect(await recombineShards(nextSet, [undefined, NEW_HOLDERS[1], NEW_HOLDERS[2], NEW_HOLDERS[3]], (node) => node.neutered().toBase58())).toBe(view.xpubs.backup);
    expect(readFileSync(join(h.drive, made.file.name), 'utf8')).toBe(fileText);

    expect(stepsOf(audit).filter((s) => !s.startsWith('selftest') && !s.startsWith('create'))).toEqual([
      'shards:failed:ceremony_step_invalid',
      'shards:failed:passphrase_mismatch',
      'shards:failed:passphrase_weak',
      'shards:failed:shard_threshold_invalid',
      'shards:done',
      'shards:failed:output_exists',
      'shards:done',
      'recombine:failed:passphrase_missing',
      'recombine:failed:shard_password_incorrect',
      'recombine:failed:passphrase_mismatch',
      'recombine:failed:shards_inconsistent',
      'recombine:done',
      'reshard:failed:passphrase_mismatch',
      'reshard:done',
    ]);
    const done = audit.entries().find((e) => e.type === 'ceremony-step' && e.step === 'shards' && e.outcome === 'done');
    expect(done).toMatchObject({ label: 'Shard Test', xpubs: [view.xpubs.backup], files: [made.file] });
    const all = h.responses.join('\n') + JSON.stringify(audit.entries());
    for (const s of [...HOLDERS, ...NEW_HOLDERS, REBUILT, PASS, DICE.slice(0, 20), 'xprv', '"ct"']) expect(all).not.toContain(s);
  } finally {
    h.cleanup();
  }
});

test('a seed split by the core and pasted: recombined in the app without any ceremony run', async () => {
  test.setTimeout(60_000);
  const h = workflowHarness({ deps: { ceremonyEnvelope: { version: 1 } } });
  try {
    const [usb] = await h.call('drivesList', {});
    const seed = new Uint8Array(64).fill(61);
    const xpub = bip32.fromSeed(Buffer.from(seed)).neutered().toBase58();
    const text = serializeShardSet(await splitSeed(seed, HOLDERS, 2));
    const r = await h.call('ceremonyShardsRecombine', { driveId: usb!.id, shards: text, passwords: ['', HOLDERS[1]!, HOLDERS[2]!], newPassphrase: REBUILT, newPassphraseAgain: REBUILT, allowWeak: false, envelope: 1 });
    expect(r.xpub).toBe(xpub);
    expect(bip32.fromBase58(await decryptEnvelope(readFileSync(join(h.drive, r.file.name), 'utf8').trim(), REBUILT)).neutered().toBase58()).toBe(xpub);
  } finally {
    h.cleanup();
  }
});

test("the ceremony's secrets are forgotten by 'Lock all' and by opening another key store", async () => {
  test.setTimeout(120_000);
  const h = workflowHarness({ deps: { ceremonyEnvelope: { version: 1 } } });
  try {
    const [usb] = await h.call('drivesList', {});
    const make = { driveId: usb!.id, role: 'backup' as const, m: 2, passwords: HOLDERS, passwordsAgain: HOLDERS, allowWeak: false };
    const forgotten = { code: 'ceremony_step_invalid' };
    await h.call('ceremonySelfTest', {});
    const create = () => h.call('ceremonyCreate', { label: 'Forget Test', coin: 'tbtc', dice: DICE, passphrase: PASS, passphraseAgain: PASS, allowWeak: false });

    const view = await create();
    await h.call('walletsLockAll', {});
    expect(await h.fail('ceremonyShardsCreate', make)).toMatchObject(forgotten);
    expect(await h.fail('ceremonyEntropySave', { driveId: usb!.id })).toMatchObject(forgotten);
    // The public record stays: the KeyCard's xpubs are still shown.
    expect((await h.call('ceremonyView', {}))?.xpubs).toEqual(view.xpubs);

    await create();
    await h.call('keyStoreOpenDemo', {});
    expect(await h.fail('ceremonyShardsCreate', make)).toMatchObject(forgotten);

    // With the idle lock off (this harness) they stay until then.
    const again = await create();
    expect((await h.call('ceremonyShardsCreate', make)).xpub).toBe(again.xpubs.backup);
  } finally {
    h.cleanup();
  }
});

test("the ceremony's secrets are forgotten after the wallets' idle-lock time without a ceremony step", async () => {
  test.setTimeout(120_000);
  const h = workflowHarness({ deps: { ceremonyEnvelope: { version: 1 }, vault: new Vault({ idleMs: 200 }) } });
  try {
    const [usb] = await h.call('drivesList', {});
    await h.call('ceremonySelfTest', {});
    await h.call('ceremonyCreate', { label: 'Idle Test', coin: 'tbtc', dice: DICE, passphrase: PASS, passphraseAgain: PASS, allowWeak: false });
    // Waits for the forgetting itself (the first answers may still find the entropy and save it, then output_exists).
    await expect.poll(async () => {
      const r = await h.raw('ceremonyEntropySave', { driveId: usb!.id });
      return r.ok ? 'saved' : r.error.code;
    }, { timeout: 60_000 }).toBe('ceremony_step_invalid');
  } finally {
    h.cleanup();
  }
});
