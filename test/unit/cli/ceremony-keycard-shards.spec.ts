// The KeyCard and shard steps through the real CLI process: create splits the backup key 2-of-3; `keycard` writes
// the PDF whose boxes PDF.js reads back (A, B as in the ceremony file, C BitGo's xpub, D the wallet password that
// sjcl opens with BitGo's passcode encryption code); `verify-shards` checks every combination and names a wrong
// password's shard; `recombine` from two holders rebuilds the key that `audit` then MATCHes; and every step left
// one line in ceremony-audit.jsonl, with no secret in it.
import { test, expect } from '@playwright/test';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sjcl from 'sjcl';
import { bip32 } from '../../../electron/crypto/ecc';
import { runCliProcess } from '../../support/cli';
import { keyCardSections, pdfLines, pdfTextNodes } from '../../support/pdf-readback';

const DICE = '2516434'.repeat(15);
const PASS = 'correct horse battery staple glue';
const SHARD_PW = ['first holder: violet anchor meadow', 'second holder: copper lantern river', 'third holder: quiet orbit harvest'];
const CODE = 'BitGo passcode encryption code 42';
const NEW_PASS = 'rebuilt key passphrase: amber falcon tide';
const BITGO = bip32.fromSeed(Buffer.alloc(64, 5)).neutered().toBase58();
const shardEnv = (pw: (string | undefined)[]) => Object.fromEntries(pw.flatMap((p, i) => (p === undefined ? [] : [[`CEREMONY_SHARD_${i + 1}_PASSPHRASE`, p]])));

test('create with 2-of-3 backup shards, keycard A-D read back, verify-shards, recombine then audit MATCH, all in the journal', async () => {
  test.setTimeout(240_000);
  const dir = mkdtempSync(join(tmpdir(), 'cli-keycard-'));
  const create = runCliProcess(['ceremony', 'create', '--label', 'Vault Nine', '--coin', 'btc', '--out-dir', dir, '--envelope', 'v1', '--shard', 'backup', '--shards', '2-of-3', '--json'], { CEREMONY_DICE: DICE, CEREMONY_PASSPHRASE: PASS, ...shardEnv(SHARD_PW) });
  expect(create.status, create.stdout + create.stderr).toBe(0);
  const created = create.json() as { ceremonyFile: string; shardsFile: string; xpubs: { user: string; backup: string }; shards: unknown };
  expect(created.shardsFile).toBe(join(dir, 'vault-nine.backup.shards.json'));
  expect(created.shards).toEqual({ role: 'backup', m: 2, n: 3 });
  expect(statSync(created.shardsFile).mode & 0o777).toBe(0o600);
  const set = JSON.parse(readFileSync(created.shardsFile, 'utf8')) as { xpub: string; m: number; n: number; seedShares: string[] };
  expect(Object.keys(set)).toEqual(['xpub', 'm', 'n', 'seedShares']);
  expect(set.xpub).toBe(created.xpubs.backup);
  const record = JSON.parse(readFileSync(created.ceremonyFile, 'utf8')) as { keys: { user: { encryptedPrv: string }; backup: { encryptedPrv: string } } };

  // The KeyCard, with BitGo's key and box D.
  const card = join(dir, 'vault-nine.keycard.pdf');
  const kc = runCliProcess(['ceremony', 'keycard', '--ceremony', created.ceremonyFile, '--out', card, '--bitgo-xpub', BITGO, '--password-box', '--json'], { CEREMONY_KEY_PASSPHRASE: PASS, CEREMONY_PASSCODE_ENCRYPTION_CODE: CODE });
  expect(kc.status, kc.stdout + kc.stderr).toBe(0);
  expect(kc.json()).toMatchObject({ written: card, boxes: ['A', 'B', 'C', 'D'] });
  const sections = keyCardSections(pdfLines(await pdfTextNodes(new Uint8Array(readFileSync(card)))));
  expect(sections.get('A: User Key')).toBe(record.keys.user.encryptedPrv);
  expect(sections.get('B: Backup Key')).toBe(record.keys.backup.encryptedPrv);
  expect(sections.get('C: BitGo Public Key')).toBe(BITGO);
  expect(sjcl.decrypt(CODE, sections.get('D: Encrypted wallet Password')!)).toBe(PASS);
  // Box D only with the wallet's own password: another one does not open box A, and nothing is written.
  const wrong = runCliProcess(['ceremony', 'keycard', '--ceremony', created.ceremonyFile, '--out', join(dir, 'other.pdf'), '--password-box'], { CEREMONY_KEY_PASSPHRASE: 'not the wallet password at all', CEREMONY_PASSCODE_ENCRYPTION_CODE: CODE });
  expect(wrong.status).toBe(1);
  expect(wrong.json()).toMatchObject({ code: 'wallet_passphrase_incorrect' });
  // Nothing over an existing file.
  expect(runCliProcess(['ceremony', 'keycard', '--ceremony', created.ceremonyFile, '--out', card], {}).json()).toMatchObject({ code: 'ceremony_step_invalid' });

  // verify-shards: every combination; a wrong password is named by its shard.
  const verify = runCliProcess(['ceremony', 'verify-shards', '--shards', created.shardsFile, '--xpub', created.xpubs.backup], shardEnv(SHARD_PW));
  expect(verify.status, verify.stdout + verify.stderr).toBe(0);
  expect(verify.stdout).toMatch(/^VERIFIED\nAll 3 combinations of 2 of the 3 shards rebuild the same key/);
  const bad = runCliProcess(['ceremony', 'verify-shards', '--shards', created.shardsFile, '--json'], shardEnv([SHARD_PW[0], 'wrong password for two', SHARD_PW[2]]));
  expect(bad.status).toBe(1);
  expect(bad.json()).toMatchObject({ code: 'wallet_passphrase_incorrect', error: expect.stringContaining('shard 2') });

  // recombine from holders 1 and 3, then audit the rebuilt box against the published backup xpub.
  const box = join(dir, 'backup-rebuilt.json');
  const rec = runCliProcess(['ceremony', 'recombine', '--shards', created.shardsFile, '--out', box, '--envelope', 'v1', '--json'], { ...shardEnv([SHARD_PW[0], undefined, SHARD_PW[2]]), CEREMONY_NEW_PASSPHRASE: NEW_PASS });
  expect(rec.status, rec.stdout + rec.stderr).toBe(0);
  expect(rec.json()).toMatchObject({ xpub: created.xpubs.backup, shardsUsed: 2 });
  const audit = runCliProcess(['ceremony', 'audit', '--box', box, '--xpub', created.xpubs.backup], { CEREMONY_KEY_PASSPHRASE: NEW_PASS });
  expect(audit.status, audit.stdout + audit.stderr).toBe(0);
  expect(audit.stdout).toMatch(/^MATCH\n/);
  // One holder is not enough.
  const one = runCliProcess(['ceremony', 'recombine', '--shards', created.shardsFile, '--out', join(dir, 'x.json')], { ...shardEnv([SHARD_PW[0]]), CEREMONY_NEW_PASSPHRASE: NEW_PASS });
  expect(one.json()).toMatchObject({ code: 'passphrase_missing' });

  // reshard: holders 2 and 3 regenerate the shards 2-of-2 for two new holders; the new file verifies.
  const NEW = ['new holder one: granite sparrow', 'new holder two: willow compass'];
  const resharded = join(dir, 'vault-nine.backup.shards-2.json');
  const rs = runCliProcess(['ceremony', 'reshard', '--shards', created.shardsFile, '--into', '2-of-2', '--out', resharded, '--json'], { ...shardEnv([undefined, SHARD_PW[1], SHARD_PW[2]]), CEREMONY_NEW_SHARD_1_PASSPHRASE: NEW[0]!, CEREMONY_NEW_SHARD_2_PASSPHRASE: NEW[1]! });
  expect(rs.status, rs.stdout + rs.stderr).toBe(0);
  expect(rs.json()).toMatchObject({ xpub: created.xpubs.backup, m: 2, n: 2 });
  const verifyNew = runCliProcess(['ceremony', 'verify-shards', '--shards', resharded, '--xpub', created.xpubs.backup], shardEnv(NEW));
  expect(verifyNew.status, verifyNew.stdout + verifyNew.stderr).toBe(0);

  // The journal: one line per step, failures with their code, public facts only.
  const journalText = readFileSync(join(dir, 'ceremony-audit.jsonl'), 'utf8');
  const steps = journalText.trim().split('\n').map((l) => JSON.parse(l) as { step: string; outcome: string; code?: string; files?: { name: string; sha256: string }[] });
  expect(steps.map((e) => `${e.step}:${e.outcome}${e.code ? `:${e.code}` : ''}`)).toEqual([
    'create:done',
    'keycard:done',
    'keycard:failed:wallet_passphrase_incorrect',
    'keycard:failed:ceremony_step_invalid',
    'verify-shards:done',
    'verify-shards:failed:wallet_passphrase_incorrect',
    'recombine:done',
    'audit:match',
    'recombine:failed:passphrase_missing',
    'reshard:done',
    'verify-shards:done',
  ]);
  expect(steps[0]!.files!.map((f) => f.name)).toEqual(['vault-nine.ceremony.json', 'vault-nine.public.json', 'vault-nine.backup.shards.json']);
  expect(steps[1]!.files![0]).toEqual({ name: 'vault-nine.keycard.pdf', sha256: (kc.json() as { sha256: string }).sha256 });
  for (const s of [PASS, CODE, NEW_PASS, ...SHARD_PW, ...NEW, DICE.slice(0, 20)]) expect(journalText).not.toContain(s);
  expect(journalText).not.toMatch(/xprv|"ct"/);
  for (const out of [create, kc, verify, rec, audit]) for (const s of [PASS, CODE, NEW_PASS, ...SHARD_PW]) expect(out.stdout + out.stderr).not.toContain(s);
});
