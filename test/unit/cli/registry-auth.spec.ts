// `registry pin-key`, `unpin-key` and `set-policy` through the real command: a key is pinned only after its RFC 7638
// thumbprint is repeated, a small key is refused, and the policy lands in the registry (version 2) that `sign` reads.
import { test, expect } from '@playwright/test';
import { generateKeyPairSync } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCliProcess } from '../../support/cli';

const fixtures = fileURLToPath(new URL('../../fixtures/bitgo/', import.meta.url));
const walletA = (JSON.parse(readFileSync(join(fixtures, 'wallets.json'), 'utf8')) as Record<string, { walletId: string }>).walletA!.walletId;

test('pin-key shows the thumbprint and pins only when it is confirmed; set-policy writes the policy; a 1024-bit key is refused', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cli-reg-auth-'));
  const registry = join(dir, 'keys.registry.json');
  copyFileSync(join(fixtures, 'keys.registry.json'), registry);
  const before = readFileSync(registry, 'utf8');
  const pem = join(dir, 'public.pem');
  writeFileSync(pem, generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } }).publicKey);
  const first = runCliProcess(['registry', 'pin-key', '--registry', registry, '--wallet', walletA, '--key', pem], {});
  expect(first.status).toBe(1);
  const thumb = /key ([A-Za-z0-9_-]{43}) \(RSA 2048 bits/.exec(first.stderr)?.[1];
  expect(thumb, first.stderr).toBeDefined();
  expect(readFileSync(registry, 'utf8')).toBe(before);
  const pinned = runCliProcess(['registry', 'pin-key', '--registry', registry, '--wallet', walletA, '--key', pem, `--fingerprint=${thumb!}`], {});
  expect(pinned.status, pinned.stdout + pinned.stderr).toBe(0);
  const secret = join(dir, 'secret.txt');
  writeFileSync(secret, 'a shared secret of at least sixteen characters\n');
  const policy = runCliProcess(['registry', 'set-policy', '--registry', registry, '--wallet', walletA, '--require', 'either', '--max-age', '60', '--hmac-secret', secret], {});
  expect(policy.status, policy.stdout + policy.stderr).toBe(0);
  const doc = JSON.parse(readFileSync(registry, 'utf8')) as { version: number; wallets: Record<string, { auth?: Record<string, unknown> }> };
  expect(doc.version).toBe(2);
  expect(doc.wallets[walletA]!.auth).toMatchObject({ requireAuthenticatedRequests: 'either', maxAgeSeconds: 60, jwtKeys: [{ fingerprint: thumb }], hmacSecretSha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
  expect(readFileSync(registry, 'utf8')).not.toContain('sixteen');
  // The operator's secrets file ({"<walletId>": "<secret>"}, as sign --hmac-secrets reads it) gives the same sha256.
  const secretsFile = join(dir, 'keys.hmac-secrets.json');
  writeFileSync(secretsFile, JSON.stringify({ [walletA]: 'a shared secret of at least sixteen characters' }));
  expect(runCliProcess(['registry', 'set-policy', '--registry', registry, '--wallet', walletA, '--hmac-secret', secretsFile], {}).status).toBe(0);
  expect((JSON.parse(readFileSync(registry, 'utf8')) as typeof doc).wallets[walletA]!.auth!.hmacSecretSha256).toBe(doc.wallets[walletA]!.auth!.hmacSecretSha256);
  const small = join(dir, 'small.pem');
  writeFileSync(small, generateKeyPairSync('rsa', { modulusLength: 1024, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } }).publicKey);
  expect((runCliProcess(['registry', 'pin-key', '--registry', registry, '--wallet', walletA, '--key', small], {}).json() as { code?: string }).code).toBe('auth_jwt_key_too_small');

  // unpin-key: an unknown thumbprint is refused and changes nothing; the pinned one is removed.
  const pinnedText = readFileSync(registry, 'utf8');
  const unknown = runCliProcess(['registry', 'unpin-key', '--registry', registry, '--wallet', walletA, `--fingerprint=${'A'.repeat(43)}`], {});
  expect((unknown.json() as { code?: string }).code).toBe('registry_key_not_pinned');
  expect(readFileSync(registry, 'utf8')).toBe(pinnedText);
  const unpinned = runCliProcess(['registry', 'unpin-key', '--registry', registry, '--wallet', walletA, `--fingerprint=${thumb!}`], {});
  expect(unpinned.status, unpinned.stdout + unpinned.stderr).toBe(0);
  const after = JSON.parse(readFileSync(registry, 'utf8')) as { wallets: Record<string, { auth?: Record<string, unknown> }> };
  expect(after.wallets[walletA]!.auth).toMatchObject({ requireAuthenticatedRequests: 'either', maxAgeSeconds: 60 });
  expect(after.wallets[walletA]!.auth!.jwtKeys).toBeUndefined();
});
