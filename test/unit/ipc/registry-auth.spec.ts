// The Wallets screen's request-authentication channels (registryKeyCheck, registryPinKey, registryUnpinKey,
// registrySetAuthPolicy, registryHmacSecret) through the real router with the demo key store open: each refusal
// has its own code and changes nothing; each change is an audit event; the HMAC secret never comes back. With a
// real key file (BitGo's fixture, copied), the changes are in its registry file after a restart, the secret is not.
import { test, expect } from '@playwright/test';
import { createHash, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AuditLog } from '../../../electron/workflow/audit';
import { SECRET, hmacEnvelope, requestFile, importFiles, pinSender, provisionSecret, sender, stranger, thumbprintOf, walletA } from '../../support/auth-requests';
import { workflowHarness } from '../../support/workflow-harness';

/** A copy of BitGo's fixture key file and its registry (test/fixtures/bitgo) in a fresh folder: root/keys/keys.json. */
function realKeyFile(): { root: string; keyFile: string } {
  const root = mkdtempSync(join(tmpdir(), 'registry-auth-'));
  const fixture = (p: string) => fileURLToPath(new URL(`../../fixtures/bitgo/${p}`, import.meta.url));
  mkdirSync(join(root, 'keys'));
  const keyFile = join(root, 'keys', 'keys.json');
  copyFileSync(fixture('keys.json'), keyFile);
  copyFileSync(fixture('keys.registry.json'), join(root, 'keys', 'keys.registry.json'));
  return { root, keyFile };
}

test('pin a key (PEM or JWK) by its thumbprint\'s last four, unpin it by its thumbprint; every wrong step is refused and changes nothing', async () => {
  const audit = new AuditLog();
  const h = workflowHarness({
    files: {
      'short.txt': 'too short\n',
      'two-lines.txt': `${SECRET}\n${SECRET}\n`,
      'other-wallet.json': JSON.stringify({ ffffffffffffffffffffffffffffffff: SECRET }),
      'secrets.json': JSON.stringify({ ffffffffffffffffffffffffffffffff: 'another wallet secret, long enough', [walletA]: SECRET }),
      'secret.txt': `${SECRET}\n`,
    },
    deps: { audit },
  });
  try {
    const thumb = await thumbprintOf(sender.publicKey);
    const jwk = JSON.stringify(createPublicKey(sender.publicKey).export({ format: 'jwk' }));
    expect(await h.call('registryKeyCheck', { walletId: walletA, key: sender.publicKey })).toEqual({ walletId: walletA, fingerprint: thumb, bits: 2048, form: 'pem' });
    expect(await h.call('registryKeyCheck', { walletId: walletA, key: jwk })).toEqual({ walletId: walletA, fingerprint: thumb, bits: 2048, form: 'jwk' });

    const before = (await h.call('registryGet', {}))!.sha256;
    const wrongLast = thumb.slice(-4) === 'AAAA' ? 'BBBB' : 'AAAA';
    const refused: [string, Record<string, unknown>, string][] = [
      ['wrong last four', { walletId: walletA, key: sender.publicKey, lastCharacters: wrongLast }, 'registry_confirmation_mismatch'],
      ['another key\'s last four', { walletId: walletA, key: stranger.publicKey, lastCharacters: thumb.slice(-4) }, 'registry_confirmation_mismatch'],
      ['a 1024-bit key', { walletId: walletA, key: generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'pem' }), lastCharacters: 'AAAA' }, 'auth_jwt_key_too_small'],
      ['a private JWK', { walletId: walletA, key: JSON.stringify(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' })), lastCharacters: 'AAAA' }, 'auth_jwt_key_invalid'],
      ['not a key', { walletId: walletA, key: 'hello', lastCharacters: 'AAAA' }, 'auth_jwt_key_invalid'],
      ['an unregistered wallet', { walletId: 'ffffffffffffffffffffffffffffffff', key: sender.publicKey, lastCharacters: thumb.slice(-4) }, 'wallet_not_registered'],
    ];
    for (const [what, input, code] of refused) expect((await h.fail('registryPinKey', input)).code, what).toBe(code);
    expect((await h.call('registryGet', {}))!.sha256).toBe(before);

    const pinned = await h.call('registryPinKey', { walletId: walletA, key: jwk, lastCharacters: thumb.slice(-4) });
    expect(pinned.wallets.find((w) => w.walletId === walletA)!.auth!.jwtKeys).toEqual([{ jwk: JSON.parse(jwk) as unknown, fingerprint: thumb, added: { at: expect.any(String) as unknown } }]);
    expect((await h.fail('registryPinKey', { walletId: walletA, key: sender.publicKey, lastCharacters: thumb.slice(-4) })).code).toBe('registry_key_already_pinned');

    expect((await h.fail('registryUnpinKey', { walletId: walletA, fingerprint: thumb, confirmFingerprint: thumb.slice(0, 42) })).code).toBe('registry_confirmation_mismatch');
    const strangerThumb = await thumbprintOf(stranger.publicKey);
    expect((await h.fail('registryUnpinKey', { walletId: walletA, fingerprint: strangerThumb, confirmFingerprint: strangerThumb })).code).toBe('registry_key_not_pinned');
    const unpinned = await h.call('registryUnpinKey', { walletId: walletA, fingerprint: thumb, confirmFingerprint: ` ${thumb} ` });
    expect(unpinned.wallets.find((w) => w.walletId === walletA)!.auth).toBeUndefined();

    const [drive] = await h.call('drivesList', {});
    expect((await h.fail('registryHmacSecret', { walletId: walletA, driveId: drive!.id, file: 'short.txt' })).code).toBe('auth_hmac_secrets_invalid');
    expect((await h.fail('registryHmacSecret', { walletId: walletA, driveId: drive!.id, file: 'two-lines.txt' })).code).toBe('auth_hmac_secrets_invalid');
    expect((await h.fail('registryHmacSecret', { walletId: walletA, driveId: drive!.id, file: 'other-wallet.json' })).code).toBe('auth_hmac_secret_missing');
    expect((await h.fail('registryHmacSecret', { walletId: walletA, driveId: drive!.id, file: '../secret.txt' })).code).toBe('file_outside_drive');
    // The secret alone, or the operator's secrets file naming the wallet: the same secret, the same sha256.
    const secretSha256 = createHash('sha256').update(SECRET).digest('hex');
    for (const file of ['secrets.json', 'secret.txt']) {
      const provisioned = await h.call('registryHmacSecret', { walletId: walletA, driveId: drive!.id, file });
      expect(provisioned.wallets.find((w) => w.walletId === walletA)!.auth, file).toEqual({ hmacSecretSha256: secretSha256 });
    }
    expect((await h.fail('registrySetAuthPolicy', { walletId: walletA, require: 'jwt', maxAgeSeconds: 0 })).code).toBe('ipc_payload_invalid');

    expect(audit.entries().flatMap((e) => (e.type === 'registry-auth-changed' ? [[e.change, e.key]] : []))).toEqual([
      ['key-pinned', thumb],
      ['key-unpinned', thumb],
      ['hmac-secret', secretSha256.slice(0, 16)],
      ['hmac-secret', secretSha256.slice(0, 16)],
    ]);
    for (const r of h.responses) expect(r).not.toContain(SECRET);
    expect(JSON.stringify(audit.entries())).not.toContain(SECRET);
  } finally {
    h.cleanup();
  }
});

test('a real key file: pinned key and policy are written to its registry (version 2, no secret) and read after a restart; the secret is not kept', async () => {
  const { root, keyFile } = realKeyFile();
  const files = { 'hmac-secret.txt': `${SECRET}\n`, 'a.json': hmacEnvelope(), 'b.json': hmacEnvelope({ timestamp: Date.now() + 1 }) };
  const first = workflowHarness({ root, keyFile, files });
  try {
    await first.call('keyStoreOpenDialog', {});
    const thumb = await pinSender(first);
    await provisionSecret(first);
    await first.call('registrySetAuthPolicy', { walletId: walletA, require: 'either', maxAgeSeconds: 900 });
    expect(await importFiles(first, ['a.json'])).toEqual([expect.stringMatching(/^req-/)]);
    const text = readFileSync(join(root, 'keys', 'keys.registry.json'), 'utf8');
    const doc = JSON.parse(text) as { version: number; wallets: Record<string, { auth?: unknown }> };
    expect(doc.version).toBe(2);
    expect(doc.wallets[walletA]!.auth).toEqual({
      jwtKeys: [{ pem: `${sender.publicKey.trim()}\n`, fingerprint: thumb, added: { at: expect.any(String) as unknown } }],
      hmacSecretSha256: createHash('sha256').update(SECRET).digest('hex'),
      requireAuthenticatedRequests: 'either',
      maxAgeSeconds: 900,
    });
    expect(text).not.toContain(SECRET);

    // Restart: the registry is read from the file; the secret was in memory only, so a tagged request waits for it.
    const again = workflowHarness({ root, keyFile, files });
    const view = (await again.call('keyStoreOpenDialog', {})) && (await again.call('registryGet', {}));
    expect(view!.wallets.find((w) => w.walletId === walletA)!.auth).toEqual(doc.wallets[walletA]!.auth);
    expect(await importFiles(again, ['b.json'])).toEqual(['auth_hmac_secret_missing']);
    // The operator's secrets file beside the key file, as the command line reads it, supplies it at the next open.
    writeFileSync(join(root, 'keys', 'keys.hmac-secrets.json'), JSON.stringify({ [walletA]: SECRET }));
    await again.call('keyStoreOpenDialog', {});
    expect(await importFiles(again, ['b.json'])).toEqual([expect.stringMatching(/^req-/)]);
  } finally {
    first.cleanup();
  }
});

test('a damaged HMAC secrets file beside the key file does not keep the key store closed: only HMAC-tagged requests are refused, by its code', async () => {
  const { root, keyFile } = realKeyFile();
  writeFileSync(join(root, 'keys', 'keys.hmac-secrets.json'), '{"not": "closed"');
  const h = workflowHarness({ root, keyFile, files: { 'tagged.json': hmacEnvelope(), 'plain.json': requestFile } });
  try {
    const opened = await h.call('keyStoreOpenDialog', {});
    expect(opened).toMatchObject({ canceled: false, keyStore: { label: 'keys.json' } });
    const [drive] = await h.call('drivesList', {});
    const [tagged, plain] = await h.call('requestsImport', { driveId: drive!.id, files: ['tagged.json', 'plain.json'] });
    expect(tagged).toMatchObject({ ok: false, error: { code: 'auth_hmac_secrets_invalid' } });
    // The message names the file, never its folder.
    expect(JSON.stringify(tagged)).toContain('keys.hmac-secrets.json');
    expect(JSON.stringify(tagged)).not.toContain(root);
    expect(plain).toMatchObject({ ok: true });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
