// The signing ledger (electron/signing/ledger.ts) against the segwit fee attack: two requests for one
// transaction, each under-stating a different input's amount, would each review a small fee; together the two
// user signatures complete a transaction with a far larger fee. The second is refused before any signature, in
// the gate-then-signer path, in the app's session and in the CLI, and the ledger survives a restart.
import { test, expect } from '@playwright/test';
import { existsSync, mkdtempSync, readFileSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { approve } from '../../../electron/approval/gate';
import { findWallet, parseKeyFile } from '../../../electron/keystore/keyfile';
import { Vault } from '../../../electron/keystore/vault';
import { textFile } from '../../../electron/output/text-file';
import { buildReview } from '../../../electron/review/build';
import { memoryLedgerStore, SigningLedger } from '../../../electron/signing/ledger';
import { signApproved } from '../../../electron/signing/sign';
import { SignerError } from '../../../shared/errors';
import { runCliProcess } from '../../support/cli';
import { workflowHarness } from '../../support/workflow-harness';
import { caseText, mutateRequest, type Doc } from '../../support/review-helpers';
import type { RawEntry } from '../../../electron/intake/psbt-strict';

const fixtures = new URL('../../fixtures/bitgo/', import.meta.url);
const read = (p: string) => readFileSync(new URL(p, fixtures), 'utf8');
const env = JSON.parse(read('env.json')) as Record<string, string>;
const WALLET_A = (JSON.parse(read('wallets.json')) as Record<string, { walletId: string }>).walletA!.walletId;
const envA = { [`WALLET_${WALLET_A}_PASSPHRASE`]: env[`WALLET_${WALLET_A}_PASSPHRASE`]! };

/**
 * One half of the attack: the p2wsh fixture (fee 7,777 sat) with one input's amount lowered by `by` (in the PSBT
 * and in BitGo's metadata), so its review shows a fee `by` smaller. Two halves lowering different inputs each carry
 * one signature over a true amount; together they complete the transaction at its real fee.
 */
function understating(input: number, by: bigint): string {
  return mutateRequest('p2wsh', (d: Doc) => {
    const entry = d.inputs[input]!.find((e: RawEntry) => e.keyType === 0x01)!; // PSBT_IN_WITNESS_UTXO: <8-byte amount><script>
    const view = new DataView(entry.value.buffer, entry.value.byteOffset, 8);
    view.setBigUint64(0, view.getBigUint64(0, true) - by, true);
    const u = d.body.txPrebuild.txInfo.unspents[input];
    u.value -= Number(by);
  });
}

async function unlockedVault(): Promise<Vault> {
  const vault = new Vault({ idleMs: 0 });
  await vault.unlock(findWallet(parseKeyFile(read('keys.json'), 'keys.json'), WALLET_A), envA[`WALLET_${WALLET_A}_PASSPHRASE`]!);
  return vault;
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(SignerError);
    return (e as SignerError).code;
  }
  return undefined;
}

const bytes = (t: string) => new TextEncoder().encode(t);

test('the attack, reviewed: each request alone shows a small fee and signs; the second one is refused by the ledger', async () => {
  const first = understating(0, 5_000n);
  const second = understating(1, 5_000n);
  // Each review alone looks fine (the lie shifts value from the fee each request shows).
  expect(buildReview(first).refusals).toEqual([]);
  expect(buildReview(second).refusals).toEqual([]);
  const vault = await unlockedVault();
  const store = memoryLedgerStore();
  const ledger = new SigningLedger(store, () => new Date(Date.UTC(2026, 11, 6)));
  signApproved(approve(bytes(first), vault, { name: 'first.json', acknowledged: 'all' }), vault, ledger);
  const refused = (() => {
    try {
      signApproved(approve(bytes(second), vault, { name: 'second.json', acknowledged: 'all' }), vault, ledger);
    } catch (e) {
      return e as SignerError;
    }
    return undefined;
  })();
  expect(refused?.code).toBe('signed_amount_conflict');
  expect(refused?.message).toMatch(/was signed on 2026-12-06 as spending \d+ sat/);
  // The same request again (same amounts) is not an attack: it signs, and the ledger keeps one entry per outpoint.
  signApproved(approve(bytes(first), vault, { name: 'first again.json', acknowledged: 'all' }), vault, ledger);
  // And the honest request for the same transaction, after a lying one was signed, is refused as well.
  expect(codeOf(() => signApproved(approve(bytes(caseText('p2wsh')), vault, { name: 'honest.json', acknowledged: 'all' }), vault, ledger))).toBe('signed_amount_conflict');
  vault.lockAll();
});

test('the ledger is written before the result is released; a ledger that cannot be written or read signs nothing', async () => {
  const vault = await unlockedVault();
  const text = caseText('p2wsh');
  const unwritable = new SigningLedger({ name: 'ledger.json', read: () => undefined, write: () => { throw new Error('EROFS'); } });
  expect(codeOf(() => signApproved(approve(bytes(text), vault, { name: 'x', acknowledged: 'all' }), vault, unwritable))).toBe('ledger_unwritable');
  const unreadable = new SigningLedger({ name: 'ledger.json', read: () => { throw Object.assign(new Error('denied'), { code: 'EACCES' }); }, write: () => undefined });
  expect(codeOf(() => signApproved(approve(bytes(text), vault, { name: 'x', acknowledged: 'all' }), vault, unreadable))).toBe('ledger_invalid');
  for (const damaged of ['{', '{"version":1,"wallets":{},"wallets":{}}', '{"version":2,"wallets":{}}', `{"version":1,"wallets":{"${WALLET_A}":{"nothex:0":{"amount":"1","txid":"${'0'.repeat(64)}","at":"x"}}}}`]) {
    const store = memoryLedgerStore();
    store.text = damaged;
    expect(codeOf(() => signApproved(approve(bytes(text), vault, { name: 'x', acknowledged: 'all' }), vault, new SigningLedger(store))), damaged).toBe('ledger_invalid');
    expect(store.text, 'a damaged ledger is left as it was').toBe(damaged);
  }
  vault.lockAll();
});

test('the ledger file survives a restart: a new ledger on the same file refuses the second request', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-'));
  const path = join(dir, 'signing-ledger.json');
  const vault = await unlockedVault();
  signApproved(approve(bytes(understating(0, 3_000n)), vault, { name: 'a', acknowledged: 'all' }), vault, new SigningLedger(textFile(path)));
  expect(existsSync(path)).toBe(true);
  const recorded = JSON.parse(readFileSync(path, 'utf8')) as { version: number; wallets: Record<string, Record<string, { amount: string; txid: string }>> };
  expect(recorded.version).toBe(1);
  const entries = Object.values(recorded.wallets[WALLET_A]!);
  expect(entries.length).toBe(buildReview(caseText('p2wsh')).inputs.length);
  expect(new Set(entries.map((e) => e.txid))).toEqual(new Set([buildReview(caseText('p2wsh')).txid]));
  expect(codeOf(() => signApproved(approve(bytes(understating(1, 3_000n)), vault, { name: 'b', acknowledged: 'all' }), vault, new SigningLedger(textFile(path))))).toBe('signed_amount_conflict');
  vault.lockAll();
});

test('the CLI keeps its ledger beside the key file by default (or at --ledger) and refuses the second half of the attack', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cli-ledger-default-'));
  const keys = join(dir, 'keys.json');
  copyFileSync(new URL('keys.json', fixtures), keys);
  const first = join(dir, 'first.json');
  const second = join(dir, 'second.json');
  writeFileSync(first, understating(0, 4_000n));
  writeFileSync(second, understating(1, 4_000n));
  const ok = runCliProcess(['sign', '--keys', keys, first], envA, undefined, { defaultLedger: true });
  expect(ok.status, ok.stdout + ok.stderr).toBe(0);
  expect(existsSync(join(dir, 'keys.ledger.json'))).toBe(true);
  const refused = runCliProcess(['sign', '--keys', keys, second], envA, undefined, { defaultLedger: true });
  expect(refused.status).toBe(1);
  expect((refused.json() as { code: string }).code).toBe('signed_amount_conflict');
  // --ledger names another file: a fresh ledger there does not know the first signature.
  const elsewhere = runCliProcess(['sign', '--keys', keys, '--ledger', join(dir, 'other.ledger.json'), second], envA);
  expect(elsewhere.status, elsewhere.stdout + elsewhere.stderr).toBe(0);
});

test('in the app: the second half is refused when signing, stays failed with the code, and nothing is written for it', async () => {
  const h = workflowHarness({ files: { 'first.json': understating(0, 2_000n), 'second.json': understating(1, 2_000n) } });
  try {
    const [drive] = await h.call('drivesList', {});
    const imported = await h.call('requestsImport', { driveId: drive!.id, files: ['first.json', 'second.json'] });
    expect(imported.map((r) => r.ok)).toEqual([true, true]);
    await h.call('walletUnlock', { walletId: WALLET_A, passphrase: envA[`WALLET_${WALLET_A}_PASSPHRASE`]! });
    for (const r of imported) {
      if (!r.ok) throw new Error(r.error.error);
      const rev = await h.call('requestReview', { requestId: r.requestId });
      expect(rev.review.refusals).toEqual([]);
      await h.call('requestApprove', { requestId: r.requestId, fingerprint: rev.review.fingerprint.sha256, acknowledged: rev.warningKeys });
    }
    const signed = await h.call('requestsSign', {});
    expect(signed.map((r) => (r.ok ? 'ok' : r.error.code))).toEqual(['ok', 'signed_amount_conflict']);
    const exported = await h.call('requestsExport', {});
    expect(exported.map((r) => r.ok)).toEqual([true]);
    expect(existsSync(join(h.drive, 'second.signed.json'))).toBe(false);
    expect(existsSync(join(h.root, 'signing-ledger.json'))).toBe(true);
  } finally {
    h.cleanup();
  }
});
