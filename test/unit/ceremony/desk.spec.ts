// The app's ceremony desk (electron/workflow/ceremony-desk.ts) without a window: steps in order, public data out,
// every step in the session audit (with no secret in it), files on the drive never over existing ones.
import { test, expect } from '@playwright/test';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bip32 } from '../../../electron/crypto/ecc';
import { decryptEnvelope, encryptEnvelopeV1 } from '../../../electron/keystore/envelope';
import { keySignatureValid } from '../../../electron/registry/registry';
import { serializeShardSet, splitSeed } from '../../../electron/ceremony/shards';
import { AuditLog } from '../../../electron/workflow/audit';
import { CeremonyDesk } from '../../../electron/workflow/ceremony-desk';

const DICE = '1425364'.repeat(15);
const PASS = 'correct horse battery staple glue';
const BITGO = bip32.fromSeed(Buffer.alloc(64, 13)).neutered().toBase58();

test('self-test, create, KeyCard twice (without then with BitGo\'s key); refusals; the audit holds each step and no secret', async () => {
  test.setTimeout(120_000);
  const dir = mkdtempSync(join(tmpdir(), 'desk-'));
  const audit = new AuditLog();
  const steps: string[] = [];
  const desk = new CeremonyDesk({ audit, drive: () => ({ label: 'USB', path: dir }), envelope: { version: 1 }, progress: (p) => steps.push(p.step) });
  const input = { label: 'Desk Test', coin: 'tbtc' as const, dice: DICE, passphrase: PASS, passphraseAgain: PASS, allowWeak: false };
  await expect(desk.create(input)).rejects.toMatchObject({ code: 'ceremony_step_invalid' });
  await expect(desk.saveKeyCard('d', undefined)).rejects.toMatchObject({ code: 'ceremony_step_invalid' });
  expect(desk.selfTest().ok).toBe(true);
  await expect(desk.create({ ...input, passphraseAgain: `${PASS}!` })).rejects.toMatchObject({ code: 'passphrase_mismatch' });
  await expect(desk.create({ ...input, dice: '123' })).rejects.toMatchObject({ code: 'entropy_insufficient' });
  const view = await desk.create(input);
  expect(view.dice).toMatchObject({ rolls: 105 });
  expect(steps.length).toBeGreaterThan(2);
  const first = await desk.saveKeyCard('d', undefined);
  expect(first.boxes).toEqual(['A', 'B']);
  expect(first.files.map((f) => f.name)).toEqual(['desk-test.keycard.pdf', 'desk-test.ceremony.json', 'desk-test.public.json']);
  await expect(desk.saveKeyCard('d', view.xpubs.user)).rejects.toMatchObject({ code: 'ceremony_xpub_reused' });
  const second = await desk.saveKeyCard('d', BITGO);
  expect(second.files.map((f) => f.name)).toEqual(['desk-test.keycard-with-bitgo.pdf']);
  // Never over an existing file, and the failure names the file on its drive, not the folder's path.
  const again = desk.saveKeyCard('d', BITGO);
  await expect(again).rejects.toMatchObject({ code: 'output_exists' });
  await expect(again).rejects.not.toThrow(dir);
  expect(readdirSync(dir).sort()).toEqual(['desk-test.ceremony.json', 'desk-test.keycard-with-bitgo.pdf', 'desk-test.keycard.pdf', 'desk-test.public.json']);

  const entries = audit.entries();
  expect(entries.map((e) => (e.type === 'ceremony-step' ? `${e.step}:${e.outcome}${e.code ? `:${e.code}` : ''}` : e.type))).toEqual([
    'create:failed:ceremony_step_invalid',
    'keycard:failed:ceremony_step_invalid',
    'selftest:done',
    'create:failed:passphrase_mismatch',
    'create:failed:entropy_insufficient',
    'create:done',
    'keycard:done',
    'keycard:failed:ceremony_xpub_reused',
    'keycard:done',
    'keycard:failed:output_exists',
  ]);
  const text = JSON.stringify(entries) + JSON.stringify(view) + JSON.stringify([first, second]);
  for (const s of [PASS, DICE.slice(0, 20), 'xprv', '"ct"']) expect(text).not.toContain(s);
});

test('public export: xpubs before BitGo\'s key, then with keySignatures the registry verifies; refusals; each step in the audit, no secret', async () => {
  test.setTimeout(120_000);
  const dir = mkdtempSync(join(tmpdir(), 'desk-export-'));
  const audit = new AuditLog();
  const steps: string[] = [];
  const desk = new CeremonyDesk({ audit, drive: () => ({ label: 'USB', path: dir }), envelope: { version: 1 }, progress: (p) => steps.push(p.step) });
  await expect(desk.exportPublic({ driveId: 'd' })).rejects.toMatchObject({ code: 'ceremony_step_invalid' });
  expect(desk.selfTest().ok).toBe(true);
  const view = await desk.create({ label: 'Export Test', coin: 'tbtc', dice: DICE, passphrase: PASS, passphraseAgain: PASS, allowWeak: false });

  // Phase 1, before the KeyCard: the two xpubs; the KeyCard then does not write public.json a second time.
  const first = await desk.exportPublic({ driveId: 'd' });
  expect(first).toMatchObject({ drive: 'USB', file: { name: 'export-test.public.json' }, keySignatures: false });
  const phase1 = JSON.parse(readFileSync(join(dir, 'export-test.public.json'), 'utf8')) as Record<string, unknown>;
  expect(phase1).toEqual({ format: 'offline-signer-ceremony-public', version: 1, label: 'Export Test', coin: 'tbtc', xpubs: view.xpubs });
  expect(JSON.parse(first.text)).toEqual(phase1);
  expect((await desk.saveKeyCard('d', undefined)).files.map((f) => f.name)).toEqual(['export-test.keycard.pdf', 'export-test.ceremony.json']);

  // Refusals, each specific.
  await expect(desk.exportPublic({ driveId: 'd', walletId: 'abc123' })).rejects.toThrow(/BitGo's xpub/);
  await expect(desk.exportPublic({ driveId: 'd', bitgoXpub: BITGO })).rejects.toThrow(/wallet passphrase/);
  await expect(desk.exportPublic({ driveId: 'd', bitgoXpub: BITGO, passphrase: 'not the passphrase at all' })).rejects.toMatchObject({ code: 'wallet_passphrase_incorrect' });
  await expect(desk.exportPublic({ driveId: 'd', bitgoXpub: view.xpubs.backup, passphrase: PASS })).rejects.toMatchObject({ code: 'ceremony_xpub_reused' });

  // Phase 2: BitGo's key and the wallet id; the user key's keySignatures verify by the registry's own check.
  const second = await desk.exportPublic({ driveId: 'd', bitgoXpub: ` ${BITGO} `, walletId: 'abc123', passphrase: PASS });
  expect(second).toMatchObject({ file: { name: 'export-test.public-with-bitgo.json' }, keySignatures: true });
  expect(steps).toContain('opening the user key to sign the backup and BitGo keys');
  const exp = JSON.parse(readFileSync(join(dir, 'export-test.public-with-bitgo.json'), 'utf8')) as { walletId: string; xpubs: { user: string; backup: string; bitgo: string }; keySignatures: { backupPub: string; bitgoPub: string } };
  expect(JSON.parse(second.text)).toEqual(exp);
  expect(exp.walletId).toBe('abc123');
  expect(exp.xpubs).toEqual({ ...view.xpubs, bitgo: BITGO });
  const user = bip32.fromBase58(exp.xpubs.user);
  expect(keySignatureValid(user, exp.xpubs.backup, exp.keySignatures.backupPub)).toBe(true);
  expect(keySignatureValid(user, BITGO, exp.keySignatures.bitgoPub)).toBe(true);
  expect(keySignatureValid(user, BITGO, exp.keySignatures.backupPub)).toBe(false);
  // Never over an existing file.
  await expect(desk.exportPublic({ driveId: 'd', bitgoXpub: BITGO, passphrase: PASS })).rejects.toMatchObject({ code: 'output_exists' });

  const entries = audit.entries();
  expect(entries.filter((e) => e.type === 'ceremony-step' && e.step === 'export').map((e) => (e.type === 'ceremony-step' ? `${e.outcome}${e.code ? `:${e.code}` : ''}` : ''))).toEqual([
    'failed:ceremony_step_invalid',
    'done',
    'failed:ceremony_step_invalid',
    'failed:ceremony_step_invalid',
    'failed:wallet_passphrase_incorrect',
    'failed:ceremony_xpub_reused',
    'done',
    'failed:output_exists',
  ]);
  const text = JSON.stringify(entries) + JSON.stringify([first, second]);
  for (const s of [PASS, DICE.slice(0, 20), 'xprv', '"ct"']) expect(text).not.toContain(s);
});

test('re-encrypt a pasted box: v1 to v2 under a new passphrase, opened again, into a new file; refusals; audited, no secret', async () => {
  test.setTimeout(120_000);
  const dir = mkdtempSync(join(tmpdir(), 'desk-reencrypt-'));
  const audit = new AuditLog();
  const steps: string[] = [];
  const now = new Date('2026-12-06T19:30:00.123Z');
  const desk = new CeremonyDesk({ audit, drive: () => ({ label: 'USB', path: dir }), envelope: { version: 2, v2: { memoryKiB: 256, passes: 1, parallelism: 1 } }, progress: (p) => steps.push(p.step), now: () => now });
  const node = bip32.fromSeed(Buffer.alloc(64, 21));
  const xpub = node.neutered().toBase58();
  const box = encryptEnvelopeV1(node.toBase58(), PASS);
  const NEW = 'a different long passphrase for the key';
  const input = { driveId: 'd', box, passphrase: PASS, newPassphrase: NEW, newPassphraseAgain: NEW, allowWeak: false, envelope: 2 as const };
  await expect(desk.reencrypt({ ...input, newPassphraseAgain: `${NEW}!` })).rejects.toMatchObject({ code: 'passphrase_mismatch' });
  await expect(desk.reencrypt({ ...input, newPassphrase: 'short', newPassphraseAgain: 'short' })).rejects.toMatchObject({ code: 'passphrase_weak' });
  await expect(desk.reencrypt({ ...input, box: 'xprv-not-a-box' })).rejects.toMatchObject({ code: 'audit_input_invalid' });
  await expect(desk.reencrypt({ ...input, passphrase: 'not the passphrase at all' })).rejects.toMatchObject({ code: 'wallet_passphrase_incorrect' });
  expect(readdirSync(dir)).toEqual([]);

  const done = await desk.reencrypt(input);
  const fp = Buffer.from(node.fingerprint).toString('hex');
  expect(done).toEqual({ drive: 'USB', file: { name: `key-${fp}.reencrypted-20261206T193000Z.json`, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) }, xpub, fingerprint: fp, envelope: 2 });
  expect(steps.some((s) => s.includes('encrypting it as v2'))).toBe(true);
  const written = readFileSync(join(dir, done.file.name), 'utf8').trim();
  expect(JSON.parse(written)).toMatchObject({ v: 2, m: 256, t: 1, p: 1 });
  expect(bip32.fromBase58(await decryptEnvelope(written, NEW)).neutered().toBase58()).toBe(xpub);
  await expect(decryptEnvelope(written, PASS)).rejects.toMatchObject({ code: 'wallet_passphrase_incorrect' });
  // v1 on request; the same name twice is refused, never overwritten.
  await expect(desk.reencrypt({ ...input, envelope: 1 })).rejects.toMatchObject({ code: 'output_exists' });
  now.setUTCSeconds(1);
  const v1 = await desk.reencrypt({ ...input, envelope: 1 });
  expect(JSON.parse(readFileSync(join(dir, v1.file.name), 'utf8'))).toMatchObject({ v: 1, mode: 'ccm' });

  const entries = audit.entries().filter((e) => e.type === 'ceremony-step');
  expect(entries.map((e) => (e.type === 'ceremony-step' ? `${e.step}:${e.outcome}${e.code ? `:${e.code}` : ''}` : ''))).toEqual([
    'reencrypt:failed:passphrase_mismatch',
    'reencrypt:failed:passphrase_weak',
    'reencrypt:failed:audit_input_invalid',
    'reencrypt:failed:wallet_passphrase_incorrect',
    'reencrypt:done',
    'reencrypt:failed:output_exists',
    'reencrypt:done',
  ]);
  const text = JSON.stringify(audit.entries()) + JSON.stringify([done, v1]);
  for (const s of [PASS, NEW, 'xprv', '"ct"']) expect(text).not.toContain(s);
});

test('verify shards pasted: every 2-of-3 combination rebuilds the set\'s key; a wrong password, a missing one, another xpub refused; audited', async () => {
  test.setTimeout(120_000);
  const audit = new AuditLog();
  const desk = new CeremonyDesk({ audit, drive: () => ({ label: 'USB', path: tmpdir() }) });
  const seed = new Uint8Array(64).fill(41);
  const pw = ['holder one password', 'holder two password', 'holder three password'];
  const text = serializeShardSet(await splitSeed(seed, pw, 2));
  const xpub = bip32.fromSeed(Buffer.from(seed)).neutered().toBase58();
  expect(await desk.verifyShards({ shards: text, passwords: pw })).toEqual({ xpub, m: 2, n: 3, combinations: 3 });
  expect(await desk.verifyShards({ shards: text, passwords: pw, publishedXpub: xpub })).toMatchObject({ xpub });
  await expect(desk.verifyShards({ shards: text, passwords: pw.slice(0, 2) })).rejects.toMatchObject({ code: 'passphrase_missing' });
  await expect(desk.verifyShards({ shards: text, passwords: [pw[0]!, 'not the password', pw[2]!] })).rejects.toMatchObject({ code: 'shard_password_incorrect', message: expect.stringMatching(/shard 2/) });
  await expect(desk.verifyShards({ shards: text, passwords: pw, publishedXpub: BITGO })).rejects.toMatchObject({ code: 'shards_inconsistent' });
  await expect(desk.verifyShards({ shards: '{"xpub":1}', passwords: pw })).rejects.toMatchObject({ code: 'shard_invalid' });
  const steps = audit.entries().map((e) => (e.type === 'ceremony-step' ? `${e.step}:${e.outcome}` : e.type));
  expect(steps).toEqual(['verify-shards:done', 'verify-shards:done', 'verify-shards:failed', 'verify-shards:failed', 'verify-shards:failed', 'verify-shards:failed']);
  const all = JSON.stringify(audit.entries());
  for (const p of pw) expect(all).not.toContain(p);
});
