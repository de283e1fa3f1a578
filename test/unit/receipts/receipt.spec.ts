// Signed receipts (electron/receipts/): the receipt key made, kept encrypted (a v2 envelope that holds exactly the
// PKCS#8 key) and opened again; receipts signed EdDSA and verified both by our verifier and by `jose` directly, as
// any JOSE library would, with only the exported public key (PEM and JWK). Then each refusal with its own code: a
// tampered payload, another key (kid), a key forged under the right kid, a swapped file, algorithm "none" and HS256,
// a malformed token, missing claims; and the reserved key file entry: accepted exactly, never a wallet, other
// shapes still refused.
import { test, expect } from '@playwright/test';
import { createHash, createHmac, generateKeyPairSync } from 'node:crypto';
import { calculateJwkThumbprint, compactVerify, decodeProtectedHeader, importJWK, importSPKI, jwtVerify, SignJWT } from 'jose';
import { decryptEnvelope, parseEnvelope } from '../../../electron/keystore/envelope';
import { listKeyFile, parseKeyFile, RECEIPT_KEY_ENTRY } from '../../../electron/keystore/keyfile';
import { createReceiptKey, openReceiptKey, parsePublicKey, type CreatedReceiptKey, type ReceiptSigner } from '../../../electron/receipts/key';
import { policyHash, signReceipt, verifyReceipt, type ReceiptClaims } from '../../../electron/receipts/receipt';
import { transactionClaims, summaryClaims } from '../../../electron/receipts/claims';
import { canonicalJson } from '../../../electron/review/policy';

const PASS = 'receipt key passphrase for the tests';
// Cheap Argon2id for tests (the CLI uses BitGo's defaults); the envelope format is the same.
const CHEAP = { memoryKiB: 1024, passes: 1, parallelism: 1 };
const signed = new TextEncoder().encode('{"txHex":"70736274ff0100"}');
const received = new TextEncoder().encode('{"txPrebuild":{"walletId":"abc123","txHex":"70736274ff"},"pubs":[]}\n');
const hex = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');
const review = {
  walletId: 'abc123',
  txid: 'aa'.repeat(32),
  fingerprint: { sha256: 'bb'.repeat(32), short: 'bbbb-bbbb-bbbb-bbbb', words: [] },
  policy: { source: 'default', hash: 'cc'.repeat(32), rules: { maxFeeBasisPoints: 500, maxChangeIndex: 100_000 } },
};

let created: CreatedReceiptKey;
let signer: ReceiptSigner;
let other: ReceiptSigner;
test.beforeAll(async () => {
  created = await createReceiptKey(PASS, CHEAP);
  signer = await openReceiptKey(parseEnvelope(created.envelope), PASS);
  other = await openReceiptKey(parseEnvelope((await createReceiptKey(PASS, CHEAP)).envelope), PASS);
});

const claims = (): ReceiptClaims => transactionClaims({ fileName: 'req.signed.json', signed, requestSha256: hex(received), requestJti: 'jti-1', review });

test('the receipt key is an Ed25519 key kept only in a v2 envelope, and opens to the same public key', async () => {
  const env = JSON.parse(created.envelope) as { v: number };
  expect(env.v).toBe(2);
  expect(created.envelope).not.toContain('PRIVATE KEY');
  const plain = await decryptEnvelope(created.envelope, PASS);
  expect(plain).toMatch(/^-----BEGIN PRIVATE KEY-----/);
  await expect(openReceiptKey(parseEnvelope(created.envelope), 'not the passphrase')).rejects.toMatchObject({ code: 'wallet_passphrase_incorrect' });
  expect(signer.publicKey.thumbprint).toBe(created.publicKey.thumbprint);
  // The thumbprint is RFC 7638's, as jose computes it from the exported JWK.
  expect(await calculateJwkThumbprint({ kty: 'OKP', crv: 'Ed25519', x: created.publicKey.jwk.x })).toBe(created.publicKey.thumbprint);
  expect((await parsePublicKey(created.publicKey.pem)).thumbprint).toBe(created.publicKey.thumbprint);
  expect((await parsePublicKey(JSON.stringify(created.publicKey.jwk))).thumbprint).toBe(created.publicKey.thumbprint);
});

test('a receipt verifies with our verifier and with jose directly, from the PEM and from the JWK', async () => {
  const token = signReceipt(signer, claims(), new Date('2026-12-06T21:00:00Z'));
  const header = decodeProtectedHeader(token);
  expect(header).toEqual({ alg: 'EdDSA', typ: 'JWT', kid: created.publicKey.thumbprint });
  const ours = await verifyReceipt({ token, publicKey: await parsePublicKey(created.publicKey.pem), file: signed });
  expect(ours).toMatchObject({
    kind: 'signed-transaction',
    iss: 'offline-signer',
    iat: Math.floor(Date.parse('2026-12-06T21:00:00Z') / 1000),
    fileName: 'req.signed.json',
    fileSha256: hex(signed),
    requestSha256: hex(received),
    requestJti: 'jti-1',
    unsignedTxid: review.txid,
    reviewFingerprint: review.fingerprint.sha256,
    walletId: 'abc123',
    policySource: 'default',
  });
  // "Any JOSE library": jose's own verification with only the published public key, in both forms.
  const fromPem = await jwtVerify(token, await importSPKI(created.publicKey.pem, 'EdDSA'), { algorithms: ['EdDSA'] });
  const fromJwk = await jwtVerify(token, await importJWK(created.publicKey.jwk, 'EdDSA'), { algorithms: ['EdDSA'] });
  expect(fromPem.payload.fileSha256).toBe(hex(signed));
  expect(fromJwk.payload).toEqual(fromPem.payload);
});

test('the policy hash is sha256 of the canonical JSON of version, wallet, rules and registry entry', () => {
  const entry = { label: 'Treasury', coin: 'tbtc', xpubs: { user: 'u', backup: 'b', bitgo: 'g' }, added: { at: '2026-12-06T00:00:00Z', how: 'cli' } };
  const expected = hex(canonicalJson({ version: 1, walletId: 'abc123', rules: review.policy.rules, registry: entry }));
  expect(policyHash('abc123', review.policy.rules, entry)).toBe(expected);
  expect(policyHash('abc123', review.policy.rules, null)).toBe(hex(`{"registry":null,"rules":{"maxChangeIndex":100000,"maxFeeBasisPoints":500},"version":1,"walletId":"abc123"}`));
  expect(policyHash('abc123', { ...review.policy.rules, maxFeeBasisPoints: 501 }, entry)).not.toBe(expected);
  expect(policyHash('abc123', review.policy.rules, { ...entry, label: 'Other' })).not.toBe(expected);
  expect((claims() as { policySha256: string }).policySha256).toBe(policyHash('abc123', review.policy.rules, null));
});

test('refusals: tampered, another key, forged under the right kid, swapped file, none, HS256, malformed, missing claims', async () => {
  const pub = signer.publicKey;
  const token = signReceipt(signer, claims());
  const [h, p, s] = token.split('.') as [string, string, string];
  // The payload edited after signing (another file hash): the signature no longer holds.
  const edited = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p, 'base64url').toString()), fileSha256: hex('other') })).toString('base64url');
  await expect(verifyReceipt({ token: `${h}.${edited}.${s}`, publicKey: pub, file: new TextEncoder().encode('other') })).rejects.toMatchObject({ code: 'receipt_signature_invalid' });
  await expect(compactVerify(`${h}.${edited}.${s}`, pub.key)).rejects.toThrow(/signature verification failed/);
  // Verified against another receipt key: its kid is not the given key's.
  await expect(verifyReceipt({ token, publicKey: other.publicKey, file: signed })).rejects.toMatchObject({ code: 'receipt_wrong_key' });
  // Signed by another key that claims this key's kid: the signature fails.
  const forged = await new SignJWT({ ...claims() }).setProtectedHeader({ alg: 'EdDSA', kid: pub.thumbprint }).setIssuer('offline-signer').setJti('x').setIssuedAt().sign(other.privateKey);
  await expect(verifyReceipt({ token: forged, publicKey: pub, file: signed })).rejects.toMatchObject({ code: 'receipt_signature_invalid' });
  // A genuine receipt, another file beside it.
  await expect(verifyReceipt({ token, publicKey: pub, file: new TextEncoder().encode('{"txHex":"70736274ff0101"}') })).rejects.toMatchObject({ code: 'receipt_file_mismatch' });
  // alg none, and HS256 with the public key's bytes as the secret (algorithm confusion).
  const none = `${Buffer.from(JSON.stringify({ alg: 'none', kid: pub.thumbprint })).toString('base64url')}.${p}.`;
  await expect(verifyReceipt({ token: none, publicKey: pub, file: signed })).rejects.toMatchObject({ code: 'receipt_alg_refused' });
  const hsHeader = Buffer.from(JSON.stringify({ alg: 'HS256', kid: pub.thumbprint })).toString('base64url');
  const hs = `${hsHeader}.${p}.${createHmac('sha256', pub.pem).update(`${hsHeader}.${p}`).digest('base64url')}`;
  await expect(verifyReceipt({ token: hs, publicKey: pub, file: signed })).rejects.toMatchObject({ code: 'receipt_alg_refused' });
  for (const bad of ['', 'not a token', `${h}.${p}`, `${h}.!!.${s}`]) {
    await expect(verifyReceipt({ token: bad, publicKey: pub, file: signed })).rejects.toMatchObject({ code: expect.stringMatching(/^receipt_(malformed|signature_invalid)$/) });
  }
  // Signed by the right key but without the claims a receipt has.
  const bare = await new SignJWT({ fileName: 'x' }).setProtectedHeader({ alg: 'EdDSA', kid: pub.thumbprint }).setIssuer('offline-signer').setJti('x').setIssuedAt().sign(signer.privateKey);
  await expect(verifyReceipt({ token: bare, publicKey: pub, file: signed })).rejects.toMatchObject({ code: 'receipt_malformed' });
});

test('the audit anchor: the log entry a receipt vouches for, both claims or neither, each of its form', async () => {
  const pub = signer.publicKey;
  const audit = { seq: 7, hash: 'dd'.repeat(32) };
  const anchored = transactionClaims({ fileName: 'req.signed.json', signed, requestSha256: hex(received), review, audit });
  expect(anchored).toMatchObject({ auditSeq: 7, auditSha256: 'dd'.repeat(32) });
  expect(await verifyReceipt({ token: signReceipt(signer, anchored), publicKey: pub, file: signed })).toMatchObject({ auditSeq: 7, auditSha256: 'dd'.repeat(32) });
  expect(summaryClaims('s.txt', signed, audit)).toMatchObject({ auditSeq: 7, auditSha256: 'dd'.repeat(32) });
  // Without a log (or before its first entry) there is no anchor, and a receipt without one still verifies.
  expect(Object.keys(claims())).not.toContain('auditSeq');
  expect(Object.keys(summaryClaims('s.txt', signed, { seq: 0, hash: 'dd'.repeat(32) }))).not.toContain('auditSeq');
  const { auditSeq: _seq, ...noSeq } = anchored;
  const { auditSha256: _hash, ...noHash } = anchored;
  for (const bad of [noSeq, noHash, { ...anchored, auditSeq: 0 }, { ...anchored, auditSeq: 1.5 }, { ...anchored, auditSeq: '7' }, { ...anchored, auditSha256: 'DD'.repeat(32) }, { ...anchored, auditSha256: 'dd' }]) {
    const token = signReceipt(signer, bad as ReceiptClaims);
    await expect(verifyReceipt({ token, publicKey: pub, file: signed }), JSON.stringify(bad).slice(-80)).rejects.toMatchObject({ code: 'receipt_malformed', message: expect.stringMatching(/audit/) });
  }
});

test('a session summary receipt binds the summary file', async () => {
  const summary = new TextEncoder().encode('Session summary\n');
  const token = signReceipt(signer, summaryClaims('session-summary.txt', summary));
  expect(await verifyReceipt({ token, publicKey: signer.publicKey, file: summary })).toMatchObject({ kind: 'session-summary', fileName: 'session-summary.txt', fileSha256: hex(summary) });
  await expect(verifyReceipt({ token, publicKey: signer.publicKey, file: new TextEncoder().encode('Session summary, edited\n') })).rejects.toMatchObject({ code: 'receipt_file_mismatch' });
});

test('public keys: only Ed25519 public keys, never a private JWK', async () => {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ format: 'pem', type: 'spki' }).toString();
  const p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'jwk' });
  const privateJwk = signer.privateKey.export({ format: 'jwk' });
  for (const text of [rsa, JSON.stringify(p256), JSON.stringify(privateJwk), 'garbage', '{}', '']) {
    await expect(parsePublicKey(text)).rejects.toMatchObject({ code: 'receipt_public_key_invalid' });
  }
});

test('the key file: the reserved entry is the receipt key, never a wallet; other non-wallet names and shapes are refused', () => {
  const wallet = JSON.stringify({ v: 2, m: 1024, t: 1, p: 1, salt: 'AAAAAAAAAAAAAAAAAAAAAA==', iv: 'AAAAAAAAAAAAAAAA', ct: 'AAAAAAAAAAAAAAAAAAAAAAAA' });
  const kf = parseKeyFile(JSON.stringify({ abc123: wallet, [RECEIPT_KEY_ENTRY]: created.envelope }));
  expect(kf.wallets.map((w) => w.walletId)).toEqual(['abc123']);
  expect(listKeyFile(kf).map((w) => w.walletId)).toEqual(['abc123']);
  expect(kf.receiptKey?.v).toBe(2);
  expect(parseKeyFile(JSON.stringify({ abc123: wallet })).receiptKey).toBeUndefined();
  const v1 = JSON.stringify({ iv: 'AAAAAAAAAAAAAAAAAAAAAA==', v: 1, iter: 10000, ks: 256, ts: 64, mode: 'ccm', adata: '', cipher: 'aes', salt: 'AAAAAAAAAAA=', ct: 'AAAAAAAAAAAAAAAAAAAAAA==' });
  expect(() => parseKeyFile(JSON.stringify({ abc123: wallet, [RECEIPT_KEY_ENTRY]: v1 }))).toThrow(expect.objectContaining({ code: 'receipt_key_invalid' }));
  expect(() => parseKeyFile(JSON.stringify({ abc123: wallet, [RECEIPT_KEY_ENTRY]: JSON.parse(created.envelope) }))).toThrow(expect.objectContaining({ code: 'receipt_key_invalid' }));
  expect(() => parseKeyFile(JSON.stringify({ abc123: wallet, [RECEIPT_KEY_ENTRY]: 'not an envelope' }))).toThrow(expect.objectContaining({ code: expect.stringMatching(/^envelope_/) }));
  // Only that exact name: near misses are still refused as wallet ids.
  for (const name of ['offline-signer-receipt-key2', 'Offline-Signer-Receipt-Key', 'offline-signer-audit-key']) {
    expect(() => parseKeyFile(JSON.stringify({ abc123: wallet, [name]: created.envelope }))).toThrow(expect.objectContaining({ code: 'key_file_bad_wallet_id' }));
  }
  // A file with the receipt key but no wallet is still an empty key file; a duplicated receipt key is refused.
  expect(() => parseKeyFile(JSON.stringify({ [RECEIPT_KEY_ENTRY]: created.envelope }))).toThrow(expect.objectContaining({ code: 'key_file_empty' }));
  const twice = `{"abc123":${JSON.stringify(wallet)},"${RECEIPT_KEY_ENTRY}":${JSON.stringify(created.envelope)},"${RECEIPT_KEY_ENTRY}":${JSON.stringify(created.envelope)}}`;
  expect(() => parseKeyFile(twice)).toThrow(expect.objectContaining({ code: 'key_file_duplicate_wallet' }));
});
