// Authenticated requests in the app (README "Authenticated requests"), through the real router, handlers, session,
// replay store and registry (test/support/workflow-harness.ts) with the demo key store open: the sender's RSA key
// is pinned and the HMAC secret provisioned the way the Wallets screen does it (registryKeyCheck / registryPinKey /
// registryHmacSecret), then requests arrive from a USB drive and by QR (frames from the project's own encoder).
// Keys, tokens and tags are made on the test side (test/support/auth-requests.ts), never by the code under test.
import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { QrScanResult } from '../../../shared/contract';
import { encodeAnimated } from '../../../shared/qr/encode';
import { AuditLog } from '../../../electron/workflow/audit';
import { SECRET, envelope, expectedOutput, forged, hmacEnvelope, importFiles, passphraseA, pinSender, provisionSecret, requestFile, requestText, signAndExport, stranger, token, walletA } from '../../support/auth-requests';
import { workflowHarness } from '../../support/workflow-harness';

const enc = (text: string) => new TextEncoder().encode(text);

function setup(files: Record<string, string> = {}, root?: string) {
  const audit = new AuditLog();
  const h = workflowHarness({ files: { 'hmac-secret.txt': `${SECRET}\n`, ...files }, label: 'USB', deps: { audit }, ...(root !== undefined ? { root } : {}) });
  /** Scans a payload's frames until the transfer completes; returns its import result. */
  const scan = async (text: string) => {
    let done: QrScanResult | undefined;
    for (const frame of encodeAnimated(enc(text), { format: 'bbqr', kind: 'json', density: 'low' })) {
      done = await h.call('qrScanFrame', { text: frame });
      if (done.status === 'complete') break;
    }
    if (done?.status !== 'complete') throw new Error(`scan did not complete: ${JSON.stringify(done)}`);
    return done.result.ok ? done.result.requestId : done.result.error.code;
  };
  return { ...h, audit, scan };
}

/** Nothing secret came back over IPC: not the HMAC secret, not a token. */
function expectNoSecrets(h: ReturnType<typeof setup>, tokens: string[]) {
  for (const r of h.responses) {
    expect(r).not.toContain(SECRET);
    for (const t of tokens) expect(r).not.toContain(t.split('.')[2]!);
  }
}

test('file: a JWT envelope, a sidecar <name>.jwt and an HMAC envelope each import, show who sent them, and sign to BitGo\'s bytes', async () => {
  const jwtEnv = await token();
  const sidecar = await token({ body: requestFile });
  const s = setup({ 'envelope.json': envelope(jwtEnv), 'sidecar.json': requestFile, 'sidecar.json.jwt': sidecar, 'tagged.json': hmacEnvelope() });
  try {
    const thumbprint = await pinSender(s);
    await provisionSecret(s);
    // One after the other, each signed and exported by itself (the three carry the same transaction).
    for (const [file, scheme] of [['envelope.json', 'jwt'], ['sidecar.json', 'jwt'], ['tagged.json', 'hmac']] as const) {
      const [requestId] = await importFiles(s, [file]);
      expect(requestId, file).toMatch(/^req-/);
      const { auth } = await s.call('requestReview', { requestId: requestId! });
      if (scheme === 'jwt') expect(auth, file).toMatchObject({ scheme: 'jwt', keyFingerprint: thumbprint, jti: expect.any(String) as unknown, expires: expect.any(String) as unknown });
      else expect(auth).toMatchObject({ scheme: 'hmac', version: '3.0', path: `/api/v2/tbtc/wallet/${walletA}/signtx` });
      const output = await signAndExport(s, requestId!);
      expect(readFileSync(join(s.drive, output), 'utf8'), file).toBe(expectedOutput);
      await s.call('walletsLockAll', {});
    }
    const auths = s.audit.entries().filter((e) => e.type === 'request-auth');
    expect(auths.map((e) => (e.type === 'request-auth' ? [e.result, e.scheme] : []))).toEqual([
      ['verified', 'jwt'],
      ['verified', 'jwt'],
      ['verified', 'hmac'],
    ]);
    expect(s.audit.entries().filter((e) => e.type === 'registry-auth-changed').map((e) => (e.type === 'registry-auth-changed' ? e.change : ''))).toEqual(['key-pinned', 'hmac-secret']);
    expectNoSecrets(s, [jwtEnv, sidecar]);
  } finally {
    s.cleanup();
  }
});

const refusals = async (): Promise<[string, string, string][]> => {
  const now = Math.floor(Date.now() / 1000);
  return [
    ['forged (payload edited after signing)', envelope(await forged()), 'auth_jwt_signature_invalid'],
    ['expired', envelope(await token({ exp: now - 3600 })), 'auth_jwt_expired'],
    ['signed by a key that is not pinned', envelope(await token({ key: stranger.privateKey })), 'auth_jwt_signature_invalid'],
    ['alg none', envelope(await token({ alg: 'none' })), 'auth_jwt_alg_none'],
    ['HS256 keyed with the pinned public key', envelope(await token({ alg: 'HS256' })), 'auth_jwt_alg_confusion'],
    ['HMAC with another secret', hmacEnvelope({ secret: 'not the provisioned secret at all' }), 'auth_hmac_invalid'],
  ];
};

test('file and QR: forged, expired, wrong-key and algorithm-confusion tokens and a wrong HMAC tag are refused, each with its code, and audited', async () => {
  const cases = await refusals();
  const s = setup(Object.fromEntries(cases.map(([, text], i) => [`bad-${i}.json`, text])));
  try {
    await pinSender(s);
    await provisionSecret(s);
    const byFile = await importFiles(s, cases.map((_, i) => `bad-${i}.json`));
    expect(byFile).toEqual(cases.map(([, , code]) => code));
    for (const [what, text, code] of cases) expect(await s.scan(text), `QR: ${what}`).toBe(code);
    expect(await s.call('requestsList', {})).toEqual([]);
    const refused = s.audit.entries().flatMap((e) => (e.type === 'request-auth' && e.result === 'refused' ? [e.code] : []));
    expect(refused).toEqual([...cases, ...cases].map(([, , code]) => code));
  } finally {
    s.cleanup();
  }
});

test('replay: a token or tag accepted once is refused after a restart (a new session on the same data folder), from file and QR', async () => {
  const jwt = envelope(await token());
  const tagged = hmacEnvelope();
  const first = setup({ 'a.json': jwt });
  try {
    await pinSender(first);
    await provisionSecret(first);
    expect(await importFiles(first, ['a.json'])).toEqual([expect.stringMatching(/^req-/)]);
    expect(await first.scan(tagged)).toMatch(/^req-/);
    // Restart: new handlers, vault and session over the same folder. The demo registry is the bundled one again,
    // so the operator pins the key and provisions the secret again; the replay store is the one on disk.
    const again = setup({ 'a.json': jwt, 'b.json': tagged }, first.root);
    await pinSender(again);
    await provisionSecret(again);
    expect(await importFiles(again, ['a.json', 'b.json'])).toEqual(['auth_jwt_replayed', 'auth_hmac_replayed']);
    expect(await again.scan(jwt)).toBe('auth_jwt_replayed');
    expect(await again.scan(tagged)).toBe('auth_hmac_replayed');
    expect(await again.call('requestsList', {})).toEqual([]);
  } finally {
    first.cleanup();
  }
});

test('a token is used up only when its request is imported: refused by the policy first, the same file imports once the policy allows it, then it is a replay', async () => {
  const jwt = await token();
  // The same token twice: in an envelope, and as a sidecar beside the plain body (other file bytes, same token).
  const s = setup({ 'signed.json': envelope(jwt), 'side.json': requestText, 'side.json.jwt': jwt });
  try {
    await pinSender(s);
    await s.call('registrySetAuthPolicy', { walletId: walletA, require: 'hmac' });
    expect(await importFiles(s, ['signed.json'])).toEqual(['auth_required']);
    // The operator fixes the policy; the request need not be signed again by the online side.
    await s.call('registrySetAuthPolicy', { walletId: walletA, require: 'jwt' });
    expect(await importFiles(s, ['signed.json'])).toEqual([expect.stringMatching(/^req-/)]);
    expect(await importFiles(s, ['side.json'])).toEqual(['auth_jwt_replayed']);
  } finally {
    s.cleanup();
  }
});

test('policy: requireAuthenticatedRequests refuses an unauthenticated request from file and QR; unset, a plain body signs byte for byte', async () => {
  const signed = envelope(await token());
  const s = setup({ 'plain.json': requestFile, 'early.json': requestText, 'signed.json': signed, 'tagged.json': hmacEnvelope() });
  try {
    await pinSender(s);
    await provisionSecret(s);
    // Imported and approved before the policy was set: the policy as it is when signing refuses it.
    const [earlyId] = await importFiles(s, ['early.json']);
    await s.call('walletUnlock', { walletId: walletA, passphrase: passphraseA });
    const early = await s.call('requestReview', { requestId: earlyId! });
    await s.call('requestApprove', { requestId: earlyId!, fingerprint: early.review.fingerprint.sha256, acknowledged: early.warningKeys });
    await s.call('registrySetAuthPolicy', { walletId: walletA, require: 'either' });
    expect(await s.call('requestsSign', { requestIds: [earlyId!] })).toEqual([expect.objectContaining({ requestId: earlyId, ok: false, error: expect.objectContaining({ code: 'auth_required' }) as unknown })]);
    expect((await s.call('requestsList', {}))[0]!.requests).toEqual([expect.objectContaining({ requestId: earlyId, status: 'failed', error: expect.objectContaining({ code: 'auth_required' }) as unknown })]);
    let view = await s.call('registrySetAuthPolicy', { walletId: walletA, require: 'jwt', maxAgeSeconds: 600 });
    expect(view.wallets.find((w) => w.walletId === walletA)!.auth).toMatchObject({ requireAuthenticatedRequests: 'jwt', maxAgeSeconds: 600 });
    expect(await importFiles(s, ['plain.json', 'tagged.json'])).toEqual(['auth_required', 'auth_required']);
    expect(await s.scan(requestFile)).toBe('auth_required');
    const [signedId] = await importFiles(s, ['signed.json']);
    expect(signedId).toMatch(/^req-/);
    await s.call('requestReject', { requestId: signedId!, reason: 'test: the plain one is signed next' });

    view = await s.call('registrySetAuthPolicy', { walletId: walletA, require: 'none' });
    expect(view.wallets.find((w) => w.walletId === walletA)!.auth?.requireAuthenticatedRequests).toBeUndefined();
    const [plainId] = await importFiles(s, ['plain.json']);
    expect((await s.call('requestReview', { requestId: plainId! })).auth).toEqual({ scheme: 'none' });
    expect(readFileSync(join(s.drive, await signAndExport(s, plainId!)), 'utf8')).toBe(expectedOutput);
    const changes = s.audit.entries().flatMap((e) => (e.type === 'registry-auth-changed' ? [[e.change, e.require]] : []));
    expect(changes).toEqual([['key-pinned', undefined], ['hmac-secret', undefined], ['policy', 'either'], ['policy', 'jwt'], ['policy', 'none']]);
  } finally {
    s.cleanup();
  }
});
