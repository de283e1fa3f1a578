// Signed receipts in the app, through the real router, handlers, vault and drives code (test/support/
// workflow-harness.ts) with a real key file that holds a receipt key: the key store shows it locked, without a
// thumbprint; a locked receipt key refuses every export (receipt_key_locked) and writes nothing; unlocked with its
// passphrase (a wrong one is refused and throttled like a wallet's), each exported file gets <name>.receipt.jwt
// beside it and the session summary gets one too, all verified with `jose` directly and with the public key alone;
// each receipt written is an audit event; a taken receipt name leaves the signed file unwritten; "Lock all" locks
// it; no response carries the passphrase or the key. With the audit log on disk, each receipt vouches for the log's
// last entry when it was made (auditSeq, auditSha256).
import { test, expect } from '@playwright/test';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jwtVerify } from 'jose';
import { RECEIPT_KEY_ENTRY } from '../../../electron/keystore/keyfile';
import { createReceiptKey, type CreatedReceiptKey } from '../../../electron/receipts/key';
import { verifyReceipt } from '../../../electron/receipts/receipt';
import { parseEnvelope } from '../../../electron/keystore/envelope';
import { AuditChain, checkAuditAnchors, lineHash, readAuditChain } from '../../../electron/output/audit-chain';
import { AuditLog, type AuditEvent } from '../../../electron/workflow/audit';
import { ReceiptDesk } from '../../../electron/workflow/receipt-desk';
import { UnlockThrottle } from '../../../electron/workflow/throttle';
import type { ImportFileResult } from '../../../shared/contract';
import { workflowHarness } from '../../support/workflow-harness';

const FIX = new URL('../../fixtures/bitgo/', import.meta.url);
const env = JSON.parse(readFileSync(new URL('env.json', FIX), 'utf8')) as Record<string, string>;
const wallets = JSON.parse(readFileSync(new URL('wallets.json', FIX), 'utf8')) as Record<string, { walletId: string }>;
const A = wallets.walletA!.walletId;
const caseFile = (name: string) => readFileSync(new URL(`cases/${name}`, FIX));
const RECEIPT_PASS = 'receipt key passphrase of the app test';
const sha = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');

let receiptKey: CreatedReceiptKey;
test.beforeAll(async () => {
  receiptKey = await createReceiptKey(RECEIPT_PASS, { memoryKiB: 1024, passes: 1, parallelism: 1 });
});

/** The fixtures' key file with a receipt key added, and its registry beside it, in a folder of their own. */
function keyStore(withReceiptKey = true): string {
  const dir = mkdtempSync(join(tmpdir(), 'receipt-store-'));
  const keys = JSON.parse(readFileSync(new URL('keys.json', FIX), 'utf8')) as Record<string, string>;
  writeFileSync(join(dir, 'keys.json'), JSON.stringify(withReceiptKey ? { ...keys, [RECEIPT_KEY_ENTRY]: receiptKey.envelope } : keys));
  copyFileSync(new URL('keys.registry.json', FIX), join(dir, 'keys.registry.json'));
  return join(dir, 'keys.json');
}

function setup(files: Record<string, string | Uint8Array>, keyFile = keyStore(), logPath?: string) {
  let clock = 0;
  const audit = new AuditLog(undefined, logPath === undefined ? undefined : new AuditChain<AuditEvent>(logPath));
  const h = workflowHarness({ files, keyFile, deps: { audit, throttle: new UnlockThrottle(() => (clock += 60_000)) } });
  return { ...h, audit };
}

async function signedRequest(s: ReturnType<typeof setup>, file: string): Promise<string> {
  await s.call('drivesList', {});
  const [r] = (await s.call('requestsImport', { driveId: 'drive-1', files: [file] })) as ImportFileResult[];
  if (!r!.ok) throw new Error(JSON.stringify(r));
  const rev = await s.call('requestReview', { requestId: r!.requestId });
  await s.call('requestApprove', { requestId: r!.requestId, fingerprint: rev.review.fingerprint.sha256, acknowledged: rev.warningKeys });
  await s.call('walletUnlock', { walletId: A, passphrase: env[`WALLET_${A}_PASSPHRASE`]! });
  const [signed] = await s.call('requestsSign', { requestIds: [r!.requestId] });
  expect(signed!.ok).toBe(true);
  return r!.requestId;
}

test('with the audit log on disk, each receipt vouches for the log as it was: its last entry, seq and line hash', async () => {
  const logPath = join(mkdtempSync(join(tmpdir(), 'receipt-audit-')), 'audit-log.jsonl');
  const s = setup({ 'p2wsh.json': caseFile('p2wsh.request.json') }, keyStore(), logPath);
  try {
    await s.call('keyStoreOpenDialog', {});
    await signedRequest(s, 'p2wsh.json');
    await s.call('receiptKeyUnlock', { passphrase: RECEIPT_PASS });
    const before = readFileSync(logPath, 'utf8').split('\n').slice(0, -1);
    expect(before.map((l) => (JSON.parse(l) as { event: AuditEvent }).event.type)).toContain('request-signed');
    const [exported] = await s.call('requestsExport', {});
    expect(exported).toMatchObject({ ok: true });
    const receipt = await verifyReceipt({ token: readFileSync(join(s.drive, 'p2wsh.signed.json.receipt.jwt'), 'utf8'), publicKey: receiptKey.publicKey, file: readFileSync(join(s.drive, 'p2wsh.signed.json')) });
    // The export's receipt is made before its file is written: it vouches for the log up to the last entry then.
    expect(receipt).toMatchObject({ auditSeq: before.length, auditSha256: lineHash(before.at(-1)!) });
    const summary = await s.call('sessionSummaryExport', { driveId: 'drive-1' });
    const summaryReceipt = await verifyReceipt({ token: readFileSync(join(s.drive, summary.receipt!), 'utf8'), publicKey: receiptKey.publicKey, file: readFileSync(join(s.drive, summary.file)) });
    expect(summaryReceipt.auditSeq).toBeGreaterThan(before.length);
    const log = readFileSync(logPath, 'utf8');
    const chain = readAuditChain(log, readFileSync(logPath.replace(/\.jsonl$/, '.head.json'), 'utf8'));
    const anchors = [receipt, summaryReceipt].map((r) => ({ seq: r.auditSeq!, hash: r.auditSha256!, by: r.fileName }));
    expect(checkAuditAnchors(chain, anchors)).toMatchObject({ seq: summaryReceipt.auditSeq });
  } finally {
    s.cleanup();
  }
});

test('locked: every export is refused and nothing is written; unlocked: each file and the summary get a receipt that verifies', async () => {
  const s = setup({ 'p2wsh.json': caseFile('p2wsh.request.json') });
  try {
    const opened = await s.call('keyStoreOpenDialog', {});
    expect(opened).toMatchObject({ canceled: false, keyStore: { receiptKey: { unlocked: false } } });
    expect(JSON.stringify(opened)).not.toContain(receiptKey.publicKey.thumbprint);
    expect(opened.canceled === false && opened.keyStore.wallets.map((w) => w.walletId)).not.toContain(RECEIPT_KEY_ENTRY);
    const requestId = await signedRequest(s, 'p2wsh.json');

    const [locked] = await s.call('requestsExport', {});
    expect(locked).toMatchObject({ ok: false, error: { code: 'receipt_key_locked' } });
    expect(existsSync(join(s.drive, 'p2wsh.signed.json'))).toBe(false);
    expect(await s.fail('sessionSummaryExport', { driveId: 'drive-1' })).toMatchObject({ code: 'receipt_key_locked' });

    expect(await s.fail('receiptKeyUnlock', { passphrase: 'not the receipt passphrase' })).toMatchObject({ code: 'wallet_passphrase_incorrect' });
    const unlocked = await s.call('receiptKeyUnlock', { passphrase: RECEIPT_PASS });
    expect(unlocked).toEqual({ unlocked: true, thumbprint: receiptKey.publicKey.thumbprint });
    expect((await s.call('appStatus', {})).keyStore?.receiptKey).toEqual(unlocked);

    const [exported] = await s.call('requestsExport', {});
    expect(exported).toMatchObject({ ok: true, request: { output: 'p2wsh.signed.json', receipt: 'p2wsh.signed.json.receipt.jwt' } });
    const signed = readFileSync(join(s.drive, 'p2wsh.signed.json'));
    const token = readFileSync(join(s.drive, 'p2wsh.signed.json.receipt.jwt'), 'utf8').trim();
    // Any JOSE library, with the exported public key only.
    const { payload, protectedHeader } = await jwtVerify(token, receiptKey.publicKey.key, { algorithms: ['EdDSA'] });
    expect(protectedHeader.kid).toBe(receiptKey.publicKey.thumbprint);
    const review = await s.call('requestReview', { requestId });
    expect(payload).toMatchObject({
      kind: 'signed-transaction',
      fileName: 'p2wsh.signed.json',
      fileSha256: sha(signed),
      walletId: A,
      requestSha256: sha(caseFile('p2wsh.request.json')),
      unsignedTxid: review.review.txid,
      reviewFingerprint: review.review.fingerprint.sha256,
    });

    const summary = await s.call('sessionSummaryExport', { driveId: 'drive-1' });
    expect(summary.receipt).toBe(`${summary.file}.receipt.jwt`);
    const summaryBytes = readFileSync(join(s.drive, summary.file));
    const summaryReceipt = await verifyReceipt({ token: readFileSync(join(s.drive, summary.receipt!), 'utf8'), publicKey: receiptKey.publicKey, file: summaryBytes });
    expect(summaryReceipt).toMatchObject({ kind: 'session-summary', fileName: summary.file, fileSha256: sha(summaryBytes) });
    // The summary itself lists the receipt written for the signed file.
    expect(summaryBytes.toString('utf8')).toContain('receipt-written');

    // Each receipt is an audit event, with names relative to the drive and the key's thumbprint.
    const events = s.audit.entries().filter((e) => e.type === 'receipt-written');
    expect(events).toEqual([
      expect.objectContaining({ requestId, file: 'p2wsh.signed.json.receipt.jwt', of: 'p2wsh.signed.json', fileSha256: sha(signed), key: receiptKey.publicKey.thumbprint }),
      expect.objectContaining({ file: summary.receipt, of: summary.file, fileSha256: sha(summaryBytes), key: receiptKey.publicKey.thumbprint }),
    ]);
    expect(s.audit.entries().map((e) => e.type)).toEqual(expect.arrayContaining(['receipt-key-unlock-failed', 'receipt-key-unlocked']));

    // Lock all locks the receipt key too.
    await s.call('walletsLockAll', {});
    expect((await s.call('appStatus', {})).keyStore?.receiptKey).toEqual({ unlocked: false });
    for (const r of s.responses) {
      expect(r).not.toContain(RECEIPT_PASS);
      expect(r).not.toContain('PRIVATE KEY');
      expect(r).not.toContain(s.root);
    }
    expect(JSON.stringify(s.audit.entries())).not.toContain(RECEIPT_PASS);
  } finally {
    s.cleanup();
  }
});

test('a taken receipt name leaves the signed file unwritten; a key store without a receipt key exports as before', async () => {
  const s = setup({ 'p2wsh.json': caseFile('p2wsh.request.json'), 'p2wsh.signed.json.receipt.jwt': 'not ours\n' });
  try {
    await s.call('keyStoreOpenDialog', {});
    await signedRequest(s, 'p2wsh.json');
    await s.call('receiptKeyUnlock', { passphrase: RECEIPT_PASS });
    const [taken] = await s.call('requestsExport', {});
    expect(taken).toMatchObject({ ok: false, error: { code: 'output_exists' } });
    expect(existsSync(join(s.drive, 'p2wsh.signed.json'))).toBe(false);
    expect(readFileSync(join(s.drive, 'p2wsh.signed.json.receipt.jwt'), 'utf8')).toBe('not ours\n');
  } finally {
    s.cleanup();
  }
  const plain = setup({ 'p2wsh.json': caseFile('p2wsh.request.json') }, keyStore(false));
  try {
    const opened = await plain.call('keyStoreOpenDialog', {});
    expect(opened.canceled === false && opened.keyStore.receiptKey).toBeUndefined();
    expect(await plain.fail('receiptKeyUnlock', { passphrase: RECEIPT_PASS })).toMatchObject({ code: 'receipt_key_missing' });
    await signedRequest(plain, 'p2wsh.json');
    const [exported] = await plain.call('requestsExport', {});
    expect(exported).toMatchObject({ ok: true, request: { output: 'p2wsh.signed.json' } });
    expect(existsSync(join(plain.drive, 'p2wsh.signed.json.receipt.jwt'))).toBe(false);
    const summary = await plain.call('sessionSummaryExport', { driveId: 'drive-1' });
    expect(summary.receipt).toBeUndefined();
  } finally {
    plain.cleanup();
  }
});

test('wrong receipt passphrases are throttled as a wallet\'s, in the receipt key\'s words, and the view carries the wait', async () => {
  const s = workflowHarness({ keyFile: keyStore(), deps: { audit: new AuditLog(), throttle: new UnlockThrottle(() => 1_000_000) } });
  try {
    await s.call('keyStoreOpenDialog', {});
    expect(await s.fail('receiptKeyUnlock', { passphrase: 'wrong one' })).toMatchObject({ code: 'wallet_passphrase_incorrect' });
    const waiting = await s.fail('receiptKeyUnlock', { passphrase: RECEIPT_PASS });
    expect(waiting).toMatchObject({ code: 'unlock_throttled' });
    expect(waiting.error).toMatch(/^the receipt key: 1 wrong passphrase so far; wait 1 s/);
    expect((await s.call('appStatus', {})).keyStore?.receiptKey).toEqual({ unlocked: false, unlockRetryInMs: 1000 });
  } finally {
    s.cleanup();
  }
});

test('the receipt key locks itself after the idle time unused, as a wallet does; each export restarts the time', async () => {
  const audit = new AuditLog();
  let idleLocked!: () => void;
  const locked = new Promise<void>((resolve) => (idleLocked = resolve));
  const desk = new ReceiptDesk(audit, new UnlockThrottle(), () => 200, () => idleLocked());
  desk.use(parseEnvelope(receiptKey.envelope));
  const before = Date.now();
  expect(await desk.unlock(RECEIPT_PASS)).toMatchObject({ unlocked: true });
  expect(desk.forExport('a file')).toBeDefined();
  const { locksAt } = desk.view()!;
  expect(locksAt).toBeGreaterThanOrEqual(before + 200);
  await locked;
  expect(desk.view()).toEqual({ unlocked: false });
  expect(() => desk.forExport('a file')).toThrow(expect.objectContaining({ code: 'receipt_key_locked' }));
  expect(audit.entries().filter((e) => e.type === 'receipt-key-locked')).toEqual([expect.objectContaining({ reason: 'idle' })]);
  // Auto-lock off (0): nothing is armed.
  const never = new ReceiptDesk(audit, new UnlockThrottle(), () => 0, () => {
    throw new Error('locked although auto-lock is off');
  });
  never.use(parseEnvelope(receiptKey.envelope));
  await never.unlock(RECEIPT_PASS);
  expect(never.view()).toEqual({ unlocked: true, thumbprint: receiptKey.publicKey.thumbprint });
  never.lock();
});

test('a receipt name too long for a drive refuses the export before the signed file is written', async () => {
  // 255 bytes is the most a drive allows: the signed name fits, "<it>.receipt.jwt" does not.
  const name = `${'r'.repeat(255 - '.signed.json'.length - 5)}.json`;
  const s = setup({ [name]: caseFile('p2wsh.request.json') });
  try {
    await s.call('keyStoreOpenDialog', {});
    await signedRequest(s, name);
    await s.call('receiptKeyUnlock', { passphrase: RECEIPT_PASS });
    const [r] = await s.call('requestsExport', {});
    expect(r).toMatchObject({ ok: false, error: { code: 'output_name_too_long' } });
    expect(readdirSync(s.drive)).toEqual([name]);
  } finally {
    s.cleanup();
  }
});

test("'Lock all' while the receipt key is being opened wins: the key opened is dropped, not left unlocked", async () => {
  const s = setup({});
  try {
    await s.call('keyStoreOpenDialog', {});
    const opening = s.raw('receiptKeyUnlock', { passphrase: RECEIPT_PASS });
    await s.call('walletsLockAll', {});
    expect(await opening).toMatchObject({ ok: false, error: { code: 'receipt_key_locked' } });
    expect((await s.call('appStatus', {})).keyStore?.receiptKey).toEqual({ unlocked: false });
    // Asked again, it opens.
    expect(await s.call('receiptKeyUnlock', { passphrase: RECEIPT_PASS })).toMatchObject({ unlocked: true });
  } finally {
    s.cleanup();
  }
});
