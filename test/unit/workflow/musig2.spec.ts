// The app's USB workflow walks BitGo's two MuSig2 steps (issue 18) through the real router, handlers, vault and
// drives code: the nonce request is imported, reviewed (its step and key-path inputs shown), approved, "signed"
// (nonces only) and exported; the kept nonces are in the app's data folder (beside the signing ledger); BitGo's
// signature request then signs once, and the same request imported again is refused by the review
// (musig2_nonce_used) before anything is approved.
import { test, expect } from '@playwright/test';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ImportFileResult } from '../../../shared/contract';
import { MUSIG2_SUBTYPE } from '../../../electron/intake/musig2-fields';
import { parsePsbtStrict } from '../../../electron/intake/psbt-strict';
import { AuditLog, summaryText } from '../../../electron/workflow/audit';
import { workflowHarness } from '../../support/workflow-harness';
import { cosignerNonces, isBitgoMusig2 } from '../../support/musig2';

const FIX = new URL('../../fixtures/bitgo/', import.meta.url);
const env = JSON.parse(readFileSync(new URL('env.json', FIX), 'utf8')) as Record<string, string>;
const A = (JSON.parse(readFileSync(new URL('wallets.json', FIX), 'utf8')) as Record<string, { walletId: string }>).walletA!;
const caseText = (name: string) => readFileSync(new URL(`cases/${name}`, FIX), 'utf8');

function ok(results: ImportFileResult[], file: string): string {
  const r = results.find((x) => x.file === file);
  if (!r || !r.ok) throw new Error(`${file} did not import: ${JSON.stringify(r)}`);
  return r.requestId;
}

test('nonce request, then BitGo’s signature request: the review shows the step, the nonce is kept in the data folder and signs once', async () => {
  const audit = new AuditLog();
  const h = workflowHarness({ files: { 'nonce.json': caseText('p2trMusig2.1-signerNonce.request.json') }, deps: { audit } });
  try {
    await h.call('drivesList', {});
    const nonceId = ok(await h.call('requestsImport', { driveId: 'drive-1', files: ['nonce.json'] }), 'nonce.json');
    const rev1 = await h.call('requestReview', { requestId: nonceId });
    expect(rev1.review.refusals).toEqual([]);
    expect(rev1.review.musig2).toEqual({ step: 'signerNonce', inputs: [0, 1] });
    expect(rev1.review.inputs.items.map((i) => i.musig2KeyPath)).toEqual([true, true]);
    await h.call('requestApprove', { requestId: nonceId, fingerprint: rev1.review.fingerprint.sha256, acknowledged: rev1.warningKeys });
    await h.call('walletUnlock', { walletId: A.walletId, passphrase: env[`WALLET_${A.walletId}_PASSPHRASE`]! });
    expect((await h.call('requestsSign', {})).map((r) => r.ok)).toEqual([true]);
    await h.call('requestsExport', {});
    const step1Hex = (JSON.parse(readFileSync(join(h.drive, 'nonce.signed.json'), 'utf8')) as { txHex: string }).txHex;
    const kept = join(h.root, 'musig2-nonces.json');
    expect(existsSync(kept)).toBe(true);
    expect(readFileSync(kept, 'utf8')).toContain('"pending"');
    const pendingCopy = readFileSync(kept); // a backup of the data folder's nonces file, taken between the steps

    // BitGo adds its nonce online; its signature request comes back on the drive.
    const body = JSON.parse(caseText('p2trMusig2.3-signerSignature.request.json')) as { txPrebuild: { txHex: string } };
    body.txPrebuild.txHex = cosignerNonces(step1Hex).psbtHex;
    writeFileSync(join(h.drive, 'signature.json'), JSON.stringify(body));
    // The same request in other bytes (the session refuses a byte-identical file on its own).
    writeFileSync(join(h.drive, 'signature-again.json'), JSON.stringify(body, null, 1));
    const sigId = ok(await h.call('requestsImport', { driveId: 'drive-1', files: ['signature.json'] }), 'signature.json');
    const rev3 = await h.call('requestReview', { requestId: sigId });
    expect(rev3.review.refusals).toEqual([]);
    expect(rev3.review.musig2).toEqual({ step: 'signerSignature', inputs: [0, 1] });
    await h.call('requestApprove', { requestId: sigId, fingerprint: rev3.review.fingerprint.sha256, acknowledged: rev3.warningKeys });
    expect((await h.call('requestsSign', { requestIds: [sigId] })).map((r) => r.ok)).toEqual([true]);
    await h.call('requestsExport', { requestIds: [sigId] });
    const signed = parsePsbtStrict(new Uint8Array(Buffer.from((JSON.parse(readFileSync(join(h.drive, 'signature.signed.json'), 'utf8')) as { txHex: string }).txHex, 'hex')));
    expect(signed.inputs.map((m) => m.filter((e) => isBitgoMusig2(e, MUSIG2_SUBTYPE.partialSig)).length)).toEqual([1, 1]);
    expect(readFileSync(kept, 'utf8')).not.toContain('"sealed"');

    // The same signature request again: refused by the review, so the operator is never asked to approve it.
    const againId = ok(await h.call('requestsImport', { driveId: 'drive-1', files: ['signature-again.json'] }), 'signature-again.json');
    const rev4 = await h.call('requestReview', { requestId: againId });
    expect(rev4.review.refusals.map((r) => r.code)).toEqual(['musig2_nonce_used', 'musig2_nonce_used']);

    // The backup is restored: the review sees pending nonces again and lets it be approved; the signer asks the
    // audit record of used nonces first and refuses, and the file is left as it was.
    writeFileSync(kept, pendingCopy);
    writeFileSync(join(h.drive, 'signature-restored.json'), JSON.stringify(body, null, 2));
    const restoredId = ok(await h.call('requestsImport', { driveId: 'drive-1', files: ['signature-restored.json'] }), 'signature-restored.json');
    const rev5 = await h.call('requestReview', { requestId: restoredId });
    expect(rev5.review.refusals).toEqual([]);
    await h.call('requestApprove', { requestId: restoredId, fingerprint: rev5.review.fingerprint.sha256, acknowledged: rev5.warningKeys });
    const [restored] = await h.call('requestsSign', { requestIds: [restoredId] });
    expect(restored).toMatchObject({ ok: false, error: { code: 'musig2_nonce_used', error: expect.stringContaining('the audit log records this nonce as used') } });
    expect(readFileSync(kept)).toEqual(pendingCopy);

    // The session summary says what each step did: the nonce step's file signs nothing.
    const text = summaryText(audit.entries());
    expect(text).toContain('MuSig2 step 1 of 2: nonces for key-path inputs 0, 1; nothing signed');
    expect(text).toContain('MuSig2 step 2 of 2: partial signatures for key-path inputs 0, 1, with their kept nonces (now used)');
  } finally {
    h.cleanup();
  }
});
