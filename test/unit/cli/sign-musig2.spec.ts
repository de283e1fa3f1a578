// The `sign` command walks BitGo's two MuSig2 steps (issue 18) as an operator runs it, in child processes with the
// real key file: the nonce request, BitGo's nonce added (test/support/musig2.ts plays BitGo), the signature
// request in a second run (a restart), with the kept nonces beside the key file by default; then the refusals an
// operator can meet: the same signature request again, a second run without the nonces file, and an older copy of
// the nonces file restored (the audit log's record of used nonces refuses them).
import { test, expect } from '@playwright/test';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MUSIG2_SUBTYPE } from '../../../electron/intake/musig2-fields';
import { parsePsbtStrict } from '../../../electron/intake/psbt-strict';
import { runCliProcess } from '../../support/cli';
import { cosignerNonces, isBitgoMusig2 } from '../../support/musig2';

const fixtures = fileURLToPath(new URL('../../fixtures/bitgo/', import.meta.url));
const fx = (p: string) => join(fixtures, p);
const readJson = <T>(p: string) => JSON.parse(readFileSync(fx(p), 'utf8')) as T;
const env = readJson<Record<string, string>>('env.json');
const walletAId = readJson<Record<string, { walletId: string }>>('wallets.json').walletA!.walletId;
const envA = { [`WALLET_${walletAId}_PASSPHRASE`]: env[`WALLET_${walletAId}_PASSPHRASE`]! };
interface BitgoError { error: string; name: string; code?: string }

/** A folder with a copy of the fixtures' key file and registry, as an operator's USB stick would hold them. */
function operatorFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cli-musig2-'));
  copyFileSync(fx('keys.json'), join(dir, 'keys.json'));
  copyFileSync(fx('keys.registry.json'), join(dir, 'keys.registry.json'));
  return dir;
}

test('sign walks the two MuSig2 steps across two runs, nonces kept beside the key file; the second signature request is refused', () => {
  const dir = operatorFolder();
  const keys = join(dir, 'keys.json');
  // Step 1: the nonce request. The response is the PSBT with the user's nonces; nothing is signed.
  const out1 = join(dir, 'nonce-response.json');
  const r1 = runCliProcess(['sign', '--keys', keys, '--ledger', join(dir, 'keys.ledger.json'), '--out', out1, fx('cases/p2trMusig2.1-signerNonce.request.json')], envA, undefined, { defaultLedger: true });
  expect(r1.status, r1.stdout + r1.stderr).toBe(0);
  expect(r1.stderr).toContain('MuSig2 step 1 of 2 (signerNonce): nonces for key-path input(s) 0, 1');
  const noncesFile = join(dir, 'keys.musig2-nonces.json');
  expect(existsSync(noncesFile)).toBe(true);
  expect(readFileSync(noncesFile, 'utf8')).toContain('"pending"');
  const pendingCopy = readFileSync(noncesFile); // an operator's backup of the folder, taken between the steps
  const step1Hex = (JSON.parse(readFileSync(out1, 'utf8')) as { txHex: string }).txHex;
  const nonceInputs = parsePsbtStrict(new Uint8Array(Buffer.from(step1Hex, 'hex'))).inputs;
  expect(nonceInputs.map((m) => m.filter((e) => isBitgoMusig2(e, MUSIG2_SUBTYPE.pubNonce)).length)).toEqual([1, 1]);
  expect(nonceInputs.every((m) => !m.some((e) => isBitgoMusig2(e, MUSIG2_SUBTYPE.partialSig)))).toBe(true);

  // BitGo adds its nonce online; its signature request comes back on the stick.
  const body = readJson<{ txPrebuild: { txHex: string } }>('cases/p2trMusig2.3-signerSignature.request.json');
  body.txPrebuild.txHex = cosignerNonces(step1Hex).psbtHex;
  const req3 = join(dir, 'signature-request.json');
  writeFileSync(req3, JSON.stringify(body));

  // A run without the kept nonces (another machine, a lost file) refuses it, and uses nothing up.
  const lost = runCliProcess(['sign', '--keys', keys, '--nonces', join(dir, 'elsewhere.json'), req3], envA);
  expect(lost.status).toBe(1);
  expect((lost.json() as BitgoError).code).toBe('musig2_nonce_missing');

  // Step 2, a new process over the same folder: the user's partial signatures.
  const r3 = runCliProcess(['sign', '--keys', keys, '--ledger', join(dir, 'keys.ledger.json'), req3], envA, undefined, { defaultLedger: true });
  expect(r3.status, r3.stdout + r3.stderr).toBe(0);
  expect(r3.stderr).toContain('MuSig2 step 2 of 2 (signerSignature): partial signature(s) for key-path input(s) 0, 1');
  const signed = parsePsbtStrict(new Uint8Array(Buffer.from((r3.json() as { txHex: string }).txHex, 'hex')));
  expect(signed.inputs.map((m) => m.filter((e) => isBitgoMusig2(e, MUSIG2_SUBTYPE.partialSig)).length)).toEqual([1, 1]);
  expect(readFileSync(noncesFile, 'utf8')).not.toContain('"sealed"');

  // The same signature request again: the nonces signed once.
  const again = runCliProcess(['sign', '--keys', keys, '--ledger', join(dir, 'keys.ledger.json'), req3], envA, undefined, { defaultLedger: true });
  expect(again.status).toBe(1);
  expect((again.json() as BitgoError).code).toBe('musig2_nonce_used');

  // The backup of the nonces file is restored: it says the nonces are pending. The audit log's entry for step 2
  // names them, so they are refused all the same, and nothing is signed.
  const signedEntry = readFileSync(join(dir, 'keys.audit-log.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { event: { type: string; musig2?: { step: string; nonces?: string[] } } }).find((e) => e.event.type === 'request-signed' && e.event.musig2?.step === 'signerSignature');
  expect(signedEntry?.event.musig2?.nonces).toHaveLength(2);
  writeFileSync(noncesFile, pendingCopy);
  const restored = runCliProcess(['sign', '--keys', keys, '--ledger', join(dir, 'keys.ledger.json'), req3], envA, undefined, { defaultLedger: true });
  expect([restored.status, (restored.json() as BitgoError).code]).toEqual([1, 'musig2_nonce_used']);
  expect((restored.json() as BitgoError).error).toContain('the audit log records this nonce as used');
  expect(readFileSync(noncesFile)).toEqual(pendingCopy);
});

test('sign --help names the nonces file and the two steps', () => {
  const r = runCliProcess(['sign', '--help']);
  expect(r.status).toBe(0);
  expect(r.stdout).toMatch(/--nonces <file>[\s\S]*signerNonce[\s\S]*signerSignature/);
});
