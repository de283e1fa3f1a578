// The `review` command through the real CLI process: JSON for machines, text for people, coded errors, exit codes.
import { test, expect } from '@playwright/test';
import { fileURLToPath } from 'node:url';
import { runCliProcess } from '../../support/cli';

const fixture = (p: string) => fileURLToPath(new URL(`../../fixtures/${p}`, import.meta.url));

interface Json {
  refusals: { code: string; message: string; input?: number; output?: number }[];
  warnings: { code: string; message: string; input?: number; output?: number }[];
  outputs: { address?: string; amount: number; kind: string }[];
  fee: number;
  feeRate: number;
  fingerprint: { sha256: string; short: string; words: string[] };
  policy: { source: string; hash: string };
}

test('review --json of a legitimate request: change verified, fee and fee rate, fingerprint, exit 0', () => {
  const r = runCliProcess(['review', '--json', fixture('bitgo/cases/p2wsh.request.json')]);
  expect(r.status).toBe(0);
  const j = r.json() as Json;
  expect(j.refusals).toEqual([]);
  expect(j.outputs.map((o) => o.kind)).toEqual(['external', 'change']);
  for (const o of j.outputs) expect(Number.isSafeInteger(o.amount)).toBe(true);
  expect(j.fee).toBe(7777);
  expect(j.feeRate).toBeGreaterThan(1);
  expect(j.fingerprint.sha256).toMatch(/^[0-9a-f]{64}$/);
  expect(j.policy.source).toBe('default');
});

test('review of fake change: FAILED output, refusal naming the output, exit 3; the text says REFUSED', () => {
  const r = runCliProcess(['review', '--json', fixture('review/p2sh-fake-change.request.json')]);
  expect(r.status).toBe(3);
  const j = r.json() as Json;
  expect(j.outputs[1]!.kind).toBe('failed');
  expect(j.refusals).toContainEqual(expect.objectContaining({ code: 'change_not_wallet', output: 1 }));
  const t = runCliProcess(['review', fixture('review/p2sh-fake-change.request.json')]);
  expect(t.status).toBe(3);
  expect(t.stdout).toContain('REFUSED');
  expect(t.stdout).toContain('FAILED verification');
  // The refusal in the app's words, its code only in the details line.
  expect(t.stdout).toMatch(/^At a glance: REFUSED: Output 1: An output claims to be change but is not the wallet’s/m);
  expect(t.stdout).toMatch(/^ {2}- Output 1: An output claims to be change/m);
  expect(t.stdout).toMatch(/^ {4}details: change_not_wallet: output 1 /m);
});

test('review --policy: the policy file and its hash appear, its rules refuse', () => {
  const r = runCliProcess(['review', '--json', '--policy', fixture('review/strict.policy.json'), fixture('bitgo/cases/p2sh.request.json')]);
  expect(r.status).toBe(3);
  const j = r.json() as Json;
  expect(j.policy.source).toBe('strict.policy.json');
  expect(j.refusals.map((x) => x.code)).toContain('input_amount_unverified');
  const bad = runCliProcess(['review', '--policy', fixture('bitgo/cases/p2sh.request.json'), fixture('bitgo/cases/p2sh.request.json')]);
  expect(bad.status).toBe(1);
  expect(bad.json()).toEqual(expect.objectContaining({ name: 'PolicyError', code: 'policy_unknown_field' }));
});

test('unreadable input: coded error JSON, exit 1; usage errors exit 2', () => {
  const r = runCliProcess(['review', fixture('review/PROVENANCE.md')]);
  expect(r.status).toBe(1);
  const e = r.json() as { error: string; name: string; code: string };
  expect(e.code).toMatch(/^[a-z_]+$/);
  expect(runCliProcess(['review']).status).toBe(2);
  expect(runCliProcess(['review', '--network', 'regtest', fixture('bitgo/cases/p2sh.request.json')]).status).toBe(2);
});

test('sighash SINGLE and wrong network are refused through the CLI', () => {
  const s = runCliProcess(['review', '--json', fixture('review/p2wsh-sighash-single.request.json')]);
  expect(s.status).toBe(3);
  expect((s.json() as Json).refusals).toContainEqual(expect.objectContaining({ code: 'input_sighash_unsupported', input: 0 }));
  const n = runCliProcess(['review', '--json', '--network', 'bitcoin', fixture('bitgo/cases/p2wsh.request.json')]);
  expect(n.status).toBe(3);
  expect((n.json() as Json).refusals.map((x) => x.code)).toContain('network_mismatch');
});

test('bare PSBT: --wallet and --xpubs name the wallet; without them a coded error', async () => {
  const { mkdtempSync, writeFileSync, readFileSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const dir = mkdtempSync(join(tmpdir(), 'review-cli-'));
  try {
    const body = JSON.parse(readFileSync(fixture('bitgo/cases/p2wsh.request.json'), 'utf8'));
    const file = join(dir, 'tx.psbt');
    writeFileSync(file, Buffer.from(body.txPrebuild.txHex, 'hex'));
    const r = runCliProcess(['review', '--json', '--network', 'testnet', '--wallet', body.txPrebuild.walletId, '--xpubs', body.pubs.join(','), file]);
    expect(r.status).toBe(0);
    expect((r.json() as Json).outputs.map((o) => o.kind)).toEqual(['external', 'change']);
    const missing = runCliProcess(['review', file]);
    expect(missing.status).toBe(1);
    expect(missing.json()).toEqual(expect.objectContaining({ code: 'wallet_not_chosen' }));
    expect(runCliProcess(['review', '--xpubs', 'a,b', file]).status).toBe(2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('legacy request: reviewed as text with change verified', () => {
  const r = runCliProcess(['review', fixture('bitgo/legacy/legacy-p2wsh.request.json')]);
  expect(r.status).toBe(0);
  expect(r.stdout).toContain('Change (verified), chain');
  expect(r.stdout).toContain('Verdict: signable');
});

test('review text: the app’s words (at a glance, warnings in words with codes in details, "100,000 sat", input groups, data outputs)', () => {
  const r = runCliProcess(['review', fixture('bitgo/cases/mixed-all-but-musig2.request.json')]);
  expect(r.status).toBe(0);
  expect(r.stdout).toContain('At a glance: Send 0.00110000 BTC to 2 addresses + 1 data output · fee 10,000 sat (8.34%, 6.59 sat/vB) · change verified (3 outputs) · 4 warnings');
  expect(r.stdout).toContain('  - Output 2 pays no one: it records text “oracle” in the blockchain.');
  expect(r.stdout).toMatch(/^ {4}details: op_return_output: output 2 is OP_RETURN data .*\{ack: op_return_output@output:2\}$/m);
  expect(r.stdout).toContain('  - Input 0: its amount, 0.00010000 BTC (10,000 sat), is only claimed by the request');
  expect(r.stdout).not.toMatch(/^ {2}- .*witness_utxo/m);
  expect(r.stdout).toContain('Data, no value: text "oracle", hex 6f7261636c65');
  expect(r.stdout).toMatch(/^ {2}P2SH \(legacy multisig\), chain 0 \(receive\): \d+ inputs?, /m);
  expect(r.stdout).toContain('Fee: 0.00010000 BTC (10,000 sat), 6.59 sat/vB');
});
