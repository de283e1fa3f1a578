// The key file and the vault (electron/keystore/keyfile.ts, vault.ts, derivation-seed.ts): BitGo's fixture key
// file unlocks every wallet to the key in wallets.json, derivationSeed derives as BitGoJS does, a wrong passphrase
// is BitGo's error and changes nothing, locking wipes the key, nothing secret leaves the vault, and malformed or
// hostile key files are coded errors that never echo the ciphertext.
import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { bip32, ecc } from '../../../electron/crypto/ecc';
import { derivationPathFromSeed, deriveWithSeed } from '../../../electron/keystore/derivation-seed';
import { encryptEnvelopeV1 } from '../../../electron/keystore/envelope';
import { findWallet, listKeyFile, parseKeyFile } from '../../../electron/keystore/keyfile';
import { Vault, parseDecryptedKey } from '../../../electron/keystore/vault';
import { readXprv, xpubOf } from '../../../electron/keystore/xprv';
import { SignerError } from '../../../shared/errors';

const fixture = (p: string) => readFileSync(new URL(`../../fixtures/${p}`, import.meta.url), 'utf8');
interface Wallet { walletId: string; passphrase: string; xpubs: { user: string }; fingerprints: { user: string }; userXprvPlaintextInKeysFile: string; derivationSeed?: string }
const wallets = JSON.parse(fixture('bitgo/wallets.json')) as Record<string, Wallet>;
const bitgoKeys = parseKeyFile(fixture('bitgo/keys.json'), 'keys.json');

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(SignerError);
    return (e as SignerError).code;
  }
  return 'no error';
}

test("the seed document's example key file unlocks with its example passphrase", async () => {
  const kf = parseKeyFile(fixture('seed-doc/keys.json'), 'seed-doc/keys.json');
  expect(kf.wallets.map((w) => w.walletId)).toEqual(['61f039aad587c2000745c687373e0fa9', '61fb21819c54dd000755f8de3a18e46f']);
  const vault = new Vault({ idleMs: 0 });
  for (const entry of kf.wallets) {
    const info = await vault.unlock(entry, 'wDX058%c4plL1@pP');
    expect(info.xpub).toMatch(/^(xpub|tpub)/);
    expect(info.fingerprint).toMatch(/^[0-9a-f]{8}$/);
  }
  expect(vault.status().map((s) => s.walletId)).toEqual(kf.wallets.map((w) => w.walletId));
});

for (const [name, w] of Object.entries(wallets)) {
  test(`BitGo fixture ${name} unlocks to the key in wallets.json`, async () => {
    const vault = new Vault({ idleMs: 0 });
    const entry = findWallet(bitgoKeys, w.walletId);
    const info = await vault.unlock(entry, w.passphrase);
    const expected = bip32.fromBase58(w.userXprvPlaintextInKeysFile);
    expect(info.xpub).toBe(expected.neutered().toBase58());
    expect(vault.signingXpub(w.walletId)).toBe(expected.neutered().toBase58());
    // The vault's signer signs with the key file's key at a wallet path, and nothing else: its signature verifies
    // under the child public key derived from the plaintext xprv.
    const child = expected.derivePath('m/0/0/20/7');
    const digest = new Uint8Array(32).fill(9);
    const signer = vault.signer(w.walletId);
    expect(ecc.verify(digest, child.publicKey, signer.signEcdsa({ chain: 20, index: 7 }, digest, child.publicKey))).toBe(true);
    signer.close();
    if (w.derivationSeed) {
      // walletB keeps a root key; requests name the child by derivationSeed, and that child is the user key.
      expect(vault.signingXpub(w.walletId, w.derivationSeed)).toBe(w.xpubs.user);
    } else {
      expect(info.xpub).toBe(w.xpubs.user);
      expect(info.fingerprint).toBe(w.fingerprints.user);
    }
  });
}

test('derivationSeed vectors from BitGo derive the same path and key', () => {
  const vectors = JSON.parse(fixture('bitgo/crypto/derive-key-with-seed-vectors.json')) as { key: string; seed: string; derivationPath: string; derivedXprv: string }[];
  expect(vectors.length).toBeGreaterThan(1);
  for (const v of vectors) {
    expect(derivationPathFromSeed(v.seed)).toBe(v.derivationPath);
    // The vault's own reader and derivation (keystore/xprv.ts) against the bip32 package's answer.
    const child = deriveWithSeed(readXprv(new TextEncoder().encode(v.key))!, v.seed);
    const expected = bip32.fromBase58(v.derivedXprv);
    expect(xpubOf(child)).toBe(expected.neutered().toBase58());
    expect(Buffer.from(child.privateKey).toString('hex')).toBe(Buffer.from(expected.privateKey!).toString('hex'));
  }
  expect(codeOf(() => derivationPathFromSeed(''))).toBe('derivation_seed_invalid');
});

test('wrong passphrase is BitGo IncorrectPasswordError and leaves the vault unchanged', async () => {
  const w = wallets.walletA!;
  const vault = new Vault({ idleMs: 0 });
  const expected = JSON.parse(fixture('bitgo/cases/error-wrong-passphrase.response.json')) as { name: string; code: string; error: string };
  await expect(vault.unlock(findWallet(bitgoKeys, w.walletId), 'nope')).rejects.toMatchObject({ name: expected.name, code: expected.code, message: expected.error });
  expect(vault.isUnlocked(w.walletId)).toBe(false);
  await vault.unlock(findWallet(bitgoKeys, w.walletId), w.passphrase);
  await expect(vault.unlock(findWallet(bitgoKeys, w.walletId), 'nope')).rejects.toMatchObject({ code: 'wallet_passphrase_incorrect' });
  expect(vault.isUnlocked(w.walletId), 'a failed re-unlock does not lock an unlocked wallet').toBe(true);
});

test('a wallet missing from the key file gets Express message', () => {
  const expected = JSON.parse(fixture('bitgo/cases/error-wallet-not-in-keys-file.response.json')) as { error: string };
  const kf = parseKeyFile(fixture('bitgo/keys.json'), '/etc/bitgo-signer/keys.json');
  const other = { ...kf, wallets: kf.wallets.filter((w) => w.walletId !== wallets.walletA!.walletId) };
  expect(() => findWallet(other, wallets.walletA!.walletId)).toThrow(expected.error);
});

test('an idle timer that fires a moment early (timers and the wall clock differ) is set again for what is left, and then locks', async () => {
  let now = 1_000;
  const timers: { fn: () => void; ms: number }[] = [];
  const vault = new Vault({ idleMs: 6_000, now: () => now, setTimer: (fn, ms) => timers.push({ fn, ms }), clearTimer: () => undefined });
  const a = wallets.walletA!;
  await vault.unlock(findWallet(bitgoKeys, a.walletId), a.passphrase);
  const changes: boolean[] = [];
  vault.onChange((_id, unlocked) => changes.push(unlocked));
  expect(timers.at(-1)!.ms).toBe(6_000);
  now += 5_999; // the timer's 6 s, by the monotonic clock, are 5.999 s by Date.now
  const count = timers.length;
  timers.at(-1)!.fn();
  expect(vault.isUnlocked(a.walletId)).toBe(true);
  // Before the fix nothing was set again: the wallet stayed unlocked until its next use.
  expect(timers.length).toBe(count + 1);
  expect(timers.at(-1)!.ms).toBe(1);
  now += 1;
  timers.at(-1)!.fn();
  expect(vault.isUnlocked(a.walletId)).toBe(false);
  expect(changes).toEqual([false]);
});

test('lock, lock all, and idle auto-lock with an injected clock wipe the key', async () => {
  let now = 1_000;
  const timers: (() => void)[] = [];
  const vault = new Vault({ idleMs: 60_000, now: () => now, setTimer: (fn) => timers.push(fn), clearTimer: () => undefined });
  const a = wallets.walletA!;
  const c = wallets.walletC!;
  await vault.unlock(findWallet(bitgoKeys, a.walletId), a.passphrase);
  await vault.unlock(findWallet(bitgoKeys, c.walletId), c.passphrase);
  const changes: string[] = [];
  vault.onChange((id, unlocked) => changes.push(`${id.slice(0, 4)}:${unlocked}`));
  const signer = vault.signer(a.walletId);
  const child = bip32.fromBase58(a.userXprvPlaintextInKeysFile).derivePath('m/0/0/20/0');
  const digest = new Uint8Array(32).fill(1);
  expect(ecc.verify(digest, child.publicKey, signer.signEcdsa({ chain: 20, index: 0 }, digest, child.publicKey))).toBe(true);
  expect(vault.status().find((s) => s.walletId === a.walletId)?.locksAt).toBe(61_000);
  now += 59_000;
  vault.signingXpub(c.walletId); // using c keeps c alive, not a
  now += 1_000;
  expect(vault.isUnlocked(a.walletId)).toBe(false);
  // Auto-lock overwrote the key and closed the signer handed out before: it signs nothing more.
  expect(codeOf(() => signer.signEcdsa({ chain: 20, index: 0 }, digest, child.publicKey))).toBe('signer_closed');
  expect(codeOf(() => vault.signer(a.walletId))).toBe('wallet_locked');
  expect(codeOf(() => vault.signingXpub(a.walletId))).toBe('wallet_locked');
  expect(vault.isUnlocked(c.walletId)).toBe(true);
  now += 60_000;
  for (const fire of timers) fire();
  expect(vault.status()).toEqual([]);
  expect(changes).toEqual([`${a.walletId.slice(0, 4)}:false`, `${c.walletId.slice(0, 4)}:false`]);
  await vault.unlock(findWallet(bitgoKeys, a.walletId), a.passphrase);
  vault.lockAll();
  expect(vault.status()).toEqual([]);
  expect(codeOf(() => new Vault({ idleMs: -1 }))).toBe('idle_lock_invalid');
});

test('status and public info never contain key material', async () => {
  const vault = new Vault();
  for (const w of Object.values(wallets)) await vault.unlock(findWallet(bitgoKeys, w.walletId), w.passphrase);
  const text = JSON.stringify([vault.status(), listKeyFile(bitgoKeys), Object.values(wallets).map((w) => vault.publicInfo(w.walletId))]);
  expect(text).not.toMatch(/[xt]prv/);
  for (const w of Object.values(wallets)) expect(text).not.toContain(w.passphrase);
  vault.lockAll();
});

test('a decrypted entry that is not an xprv is a coded error, not a crash', async () => {
  const entry = parseKeyFile(JSON.stringify({ abc123: encryptEnvelopeV1(wallets.walletA!.xpubs.user, 'pw') })).wallets[0]!;
  await expect(new Vault().unlock(entry, 'pw')).rejects.toMatchObject({ code: 'key_not_xprv' });
  expect(codeOf(() => parseDecryptedKey(new TextEncoder().encode('hello'), 'w'))).toBe('key_not_xprv');
});

test('malformed key files each get their own error naming the problem, never the ciphertext', () => {
  const text = fixture('bitgo/keys.json');
  const obj = JSON.parse(text) as Record<string, string>;
  const [id, env] = Object.entries(obj)[0]!;
  const cases: [string, string, string][] = [
    ['empty', '  \n', 'key_file_empty'],
    ['empty object', '{}', 'key_file_empty'],
    ['truncated JSON', text.slice(0, 200), 'key_file_malformed_json'],
    ['array', '[]', 'key_file_not_object'],
    ['string', '"x"', 'key_file_not_object'],
    ['duplicate wallet', `{"${id}": ${JSON.stringify(env)}, "${id}": ${JSON.stringify(env)}}`, 'key_file_duplicate_wallet'],
    ['object entry (unescaped)', `{"${id}": ${env}}`, 'key_file_entry_not_string'],
    ['number entry', `{"${id}": 5}`, 'key_file_entry_not_string'],
    ['bad wallet id', `{"../etc": ${JSON.stringify(env)}}`, 'key_file_bad_wallet_id'],
    ['unknown version', JSON.stringify({ [id]: env.replace('"v":1', '"v":7') }), 'envelope_unknown_version'],
    ['entry not JSON', JSON.stringify({ [id]: env.slice(0, 50) }), 'envelope_malformed_json'],
  ];
  for (const [label, body, code] of cases) {
    let message = '';
    try {
      parseKeyFile(body, 'k.json');
    } catch (e) {
      message = (e as Error).message;
    }
    expect(codeOf(() => parseKeyFile(body, 'k.json')), label).toBe(code);
    expect(message, label).toContain('k.json');
    expect(message, label).not.toContain(String(JSON.parse(env).ct).slice(0, 12));
  }
});

test('hostile inputs never escape as anything but a SignerError', () => {
  const base = fixture('bitgo/keys.json');
  let seed = 12345;
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return seed % n;
  };
  for (let i = 0; i < 2000; i++) {
    const chars = [...base];
    const edits = 1 + rand(4);
    for (let k = 0; k < edits; k++) {
      const at = rand(chars.length);
      const op = rand(3);
      if (op === 0) chars.splice(at, 1);
      else if (op === 1) chars.splice(at, 0, String.fromCharCode(rand(128)));
      else chars.splice(at, rand(50));
    }
    try {
      parseKeyFile(chars.join(''));
    } catch (e) {
      expect(e, `mutation ${i}`).toBeInstanceOf(SignerError);
    }
  }
});
