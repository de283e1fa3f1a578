// Creating keys (electron/ceremony/create.ts) and the wallet step (wallet.ts): BitGo-format round trips of the new
// envelopes (v2 read by the project's decrypt and by an independent Argon2id, @noble/hashes, with WebCrypto's
// AES-GCM as BitGo's decryptV2 does; v1 read by SJCL itself), what the record holds and does not hold, the
// passphrase rules, keySignatures that the registry verifies, and the refusals of the wallet step.
import { test, expect } from '@playwright/test';
import { argon2id } from '@noble/hashes/argon2';
import { createKeys, checkNewPassphrase } from '../../../electron/ceremony/create';
import { diceEntropy } from '../../../electron/ceremony/entropy';
import { parsePublishedXpub } from '../../../electron/ceremony/keys';
import { parseRecord, serializeRecord } from '../../../electron/ceremony/record';
import { auditKey } from '../../../electron/ceremony/audit-key';
import { reencryptKey } from '../../../electron/ceremony/reencrypt';
import { publicExport, registerCeremonyWallet, signWalletKeys } from '../../../electron/ceremony/wallet';
import { bip32 } from '../../../electron/crypto/ecc';
import { signBitcoinMessage } from '../../../electron/crypto/bitcoin-message';
import { decryptEnvelope, parseEnvelope, type EnvelopeV1 } from '../../../electron/keystore/envelope';
import { decryptV1Sjcl } from '../../../electron/keystore/envelope-sjcl';
import { emptyRegistry, keySignatureValid, parseRegistry, serializeRegistry } from '../../../electron/registry/registry';

const PASS = 'correct horse battery staple glue';
const dice = diceEntropy('3615243'.repeat(15));
const BITGO = bip32.fromSeed(Buffer.alloc(64, 7)).neutered().toBase58();

async function independentV2Decrypt(envelope: string, passphrase: string): Promise<string> {
  const env = JSON.parse(envelope) as { v: 2; m: number; t: number; p: number; salt: string; iv: string; ct: string };
  const key = argon2id(passphrase, Buffer.from(env.salt, 'base64'), { m: env.m, t: env.t, p: env.p, dkLen: 32 });
  const aes = await crypto.subtle.importKey('raw', Uint8Array.from(key), { name: 'AES-GCM' }, false, ['decrypt']);
  const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: Buffer.from(env.iv, 'base64'), tagLength: 128 }, aes, Buffer.from(env.ct, 'base64'));
  return new TextDecoder().decode(plain);
}

test('v2 (default, BitGo parameters): envelopes in encryptV2 form, opened by this project and by an independent Argon2id', async () => {
  test.setTimeout(120_000);
  const created = await createKeys({ label: 'Treasury', coin: 'btc', operator: dice, passphrase: PASS, envelope: { version: 2 } });
  const { record } = created;
  for (const role of ['user', 'backup'] as const) {
    const text = record.keys[role].encryptedPrv;
    const env = JSON.parse(text) as Record<string, unknown>;
    // BitGoJS sdk-api encryptV2: exactly these keys in this order, Argon2id m=65536 t=3 p=4, 16-byte salt, 12-byte iv.
    expect(Object.keys(env)).toEqual(['v', 'm', 't', 'p', 'salt', 'iv', 'ct']);
    expect(env).toMatchObject({ v: 2, m: 65536, t: 3, p: 4 });
    expect(Buffer.from(env.salt as string, 'base64')).toHaveLength(16);
    expect(Buffer.from(env.iv as string, 'base64')).toHaveLength(12);
    const xprv = await decryptEnvelope(text, PASS);
    expect(bip32.fromBase58(xprv).neutered().toBase58()).toBe(record.keys[role].xpub);
    if (role === 'user') expect(await independentV2Decrypt(text, PASS)).toBe(xprv);
  }
  // BitGo's generateKeyPair: BIP32 on Bitcoin mainnet version bytes, a root key, whatever the coin.
  expect(parsePublishedXpub(record.keys.user.xpub, 'user').depth).toBe(0);
  expect(record.keys.user.xpub).toMatch(/^xpub/);
  // The record: public data and envelopes only. No seed, no dice hash, no computer entropy.
  const text = serializeRecord(record);
  expect(parseRecord(text, 'r.json')).toEqual(record);
  expect(text).not.toContain(Buffer.from(dice.sha256).toString('hex'));
  expect(text).not.toContain(Buffer.from(created.computerEntropy).toString('hex'));
  expect(text).not.toMatch(/xprv|tprv/);
  expect(record.entropy).toMatchObject({ operator: 'dice', rolls: 105, bits: 271, mix: 'hmac-sha512-v1' });
});

test('v1 on request: SJCL itself opens the envelopes (BitGo Express and older SDKs)', async () => {
  const { record } = await createKeys({ label: 'Legacy', coin: 'tbtc', operator: dice, passphrase: PASS, backupPassphrase: 'another long backup passphrase', envelope: { version: 1 } });
  const user = parseEnvelope(record.keys.user.encryptedPrv) as EnvelopeV1;
  expect(user).toMatchObject({ v: 1, iter: 10000, ks: 256, ts: 64, mode: 'ccm', cipher: 'aes' });
  expect(bip32.fromBase58(decryptV1Sjcl(user, PASS)).neutered().toBase58()).toBe(record.keys.user.xpub);
  const backup = parseEnvelope(record.keys.backup.encryptedPrv) as EnvelopeV1;
  expect(bip32.fromBase58(decryptV1Sjcl(backup, 'another long backup passphrase')).neutered().toBase58()).toBe(record.keys.backup.xpub);
  await expect(decryptEnvelope(backup, PASS)).rejects.toMatchObject({ code: 'wallet_passphrase_incorrect' });
});

test('new passphrases: typed twice the same, strong enough unless explicitly overridden', () => {
  expect(() => checkNewPassphrase(PASS, `${PASS} `)).toThrow(expect.objectContaining({ code: 'passphrase_mismatch' }));
  expect(() => checkNewPassphrase('short', 'short')).toThrow(expect.objectContaining({ code: 'passphrase_weak' }));
  expect(() => checkNewPassphrase('short', 'short', { allowWeak: true })).not.toThrow();
  expect(() => checkNewPassphrase('', '', { allowWeak: true })).toThrow(expect.objectContaining({ code: 'passphrase_weak' }));
  expect(() => checkNewPassphrase(PASS, PASS)).not.toThrow();
});

test('keySignatures: made as bitcoinjs-message signs (its vector), verified by the registry, entered into it as "ceremony"', async () => {
  // bitcoinjs-message test/fixtures.json, valid.sign[0]: private key 1, "vires is numeris", compressed.
  const d = new Uint8Array(32);
  d[31] = 1;
  expect(Buffer.from(signBitcoinMessage('vires is numeris', d)).toString('base64')).toBe('IF8nHqFr3K2UKYahhX3soVeoW8W1ECNbr0wfck7lzyXjCS5Q16Ek45zyBuy1Fiy9sTPKVgsqqOuPvbycuVSSVl8=');

  const { record } = await createKeys({ label: 'Ops', coin: 'tbtc', operator: dice, passphrase: PASS, envelope: { version: 1 } });
  await expect(signWalletKeys(record, BITGO, 'not the passphrase at all')).rejects.toMatchObject({ code: 'wallet_passphrase_incorrect' });
  await expect(signWalletKeys(record, record.keys.backup.xpub, PASS)).rejects.toMatchObject({ code: 'ceremony_xpub_reused' });
  await expect(signWalletKeys(record, BITGO.replace(/^xpub/, 'xprv'), PASS)).rejects.toMatchObject({ code: 'ceremony_xpub_private' });
  const sigs = await signWalletKeys(record, BITGO, PASS);
  const user = bip32.fromBase58(record.keys.user.xpub);
  expect(keySignatureValid(user, record.keys.backup.xpub, sigs.backupPub)).toBe(true);
  expect(keySignatureValid(user, BITGO, sigs.bitgoPub)).toBe(true);
  expect(keySignatureValid(user, BITGO, sigs.backupPub)).toBe(false);

  const registry = registerCeremonyWallet(emptyRegistry('keys.registry.json'), record, 'abc123', BITGO, sigs, new Date('2026-12-06T03:00:00Z'));
  const reread = parseRegistry(serializeRegistry(registry), 'keys.registry.json');
  const entry = reread.wallets.get('abc123')!;
  expect(entry.problem).toBeUndefined();
  expect(entry).toMatchObject({ label: 'Ops', coin: 'tbtc', xpubs: { user: record.keys.user.xpub, backup: record.keys.backup.xpub, bitgo: BITGO }, keySignatures: sigs, added: { how: 'ceremony' } });
  // A tampered signature is refused by the registry's own check.
  const bad = { ...sigs, bitgoPub: sigs.backupPub };
  expect(() => registerCeremonyWallet(emptyRegistry('r'), record, 'abc123', BITGO, bad, new Date())).toThrow(expect.objectContaining({ code: 'wallet_key_signatures_invalid' }));

  expect(publicExport(record, { bitgoXpub: BITGO, keySignatures: sigs, walletId: 'abc123' })).toEqual({
    format: 'offline-signer-ceremony-public',
    version: 1,
    label: 'Ops',
    coin: 'tbtc',
    walletId: 'abc123',
    xpubs: { user: record.keys.user.xpub, backup: record.keys.backup.xpub, bitgo: BITGO },
    keySignatures: sigs,
  });
  expect(() => publicExport(record, { walletId: 'not-an-id!' })).toThrow(expect.objectContaining({ code: 'ceremony_step_invalid' }));
});

test('audit says MATCH for the published key and MISMATCH for another; re-encrypting v1 to v2 keeps the key', async () => {
  const { record } = await createKeys({ label: 'Audit', coin: 'btc', operator: dice, passphrase: PASS, envelope: { version: 1 } });
  const env = parseEnvelope(record.keys.backup.encryptedPrv);
  expect(await auditKey(env, PASS, record.keys.backup.xpub, 'box B')).toMatchObject({ match: true, xpub: record.keys.backup.xpub });
  const other = await auditKey(env, PASS, record.keys.user.xpub, 'box B');
  expect(other.match).toBe(false);
  expect(other.fingerprint).not.toBe(other.publishedFingerprint);
  await expect(auditKey(env, 'wrong passphrase entirely', record.keys.backup.xpub, 'box B')).rejects.toMatchObject({ code: 'wallet_passphrase_incorrect' });
  await expect(auditKey(env, PASS, 'xpubnonsense', 'box B')).rejects.toMatchObject({ code: 'ceremony_xpub_invalid' });

  const fresh = await reencryptKey(env, PASS, 'a brand new long passphrase 2026', { version: 2, v2: { memoryKiB: 8192, passes: 1, parallelism: 1 } }, 'box B');
  expect(fresh.xpub).toBe(record.keys.backup.xpub);
  expect(JSON.parse(fresh.envelope)).toMatchObject({ v: 2 });
  expect(bip32.fromBase58(await independentV2Decrypt(fresh.envelope, 'a brand new long passphrase 2026')).neutered().toBase58()).toBe(record.keys.backup.xpub);
  await expect(reencryptKey(env, 'wrong passphrase entirely', 'x'.repeat(20), { version: 2 }, 'box B')).rejects.toMatchObject({ code: 'wallet_passphrase_incorrect' });
});
