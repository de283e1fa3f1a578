// The wallet registry through the real router and handlers, with BitGo's fixture key file copied to a temporary
// folder (the registry lives beside it: keys.json -> keys.registry.json). First use of an unregistered wallet
// (keys shown, last four characters typed, user key checked against the key store), KeyCard entry, removal with
// confirmation, a damaged registry refusing the key store, a registry whose user key is not the key store's
// refusing the unlock, and the demo registry changing for the session only.
import { test, expect } from '@playwright/test';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONTRACT, type ImportFileResult, type InputOf, type MethodName, type OutputOf } from '../../../shared/contract';
import type { ErrorData } from '../../../shared/errors';
import { createHandlers } from '../../../electron/ipc/handlers';
import { createRouter } from '../../../electron/ipc/router';
import { Vault } from '../../../electron/keystore/vault';
import { AuditLog } from '../../../electron/workflow/audit';
import { mainnetMetadataRequestJson } from '../../support/qr-payloads';

const ORIGIN = 'app://signer';
const fixture = (rel: string) => fileURLToPath(new URL(`../../fixtures/bitgo/${rel}`, import.meta.url));
const env = JSON.parse(readFileSync(fixture('env.json'), 'utf8')) as Record<string, string>;
const wallets = JSON.parse(readFileSync(fixture('wallets.json'), 'utf8')) as Record<string, { walletId: string; xpubs: { user: string; backup: string; bitgo: string } }>;
const A = wallets.walletA!;
const B = wallets.walletB!;
const passphrase = (id: string) => env[`WALLET_${id}_PASSPHRASE`]!;
const registryText = readFileSync(fixture('keys.registry.json'), 'utf8');
const lastFour = (x: { user: string; backup: string; bitgo: string }) => ({ user: x.user.slice(-4), backup: x.backup.slice(-4), bitgo: x.bitgo.slice(-4) });

function setup(opts: { registry?: string; demo?: boolean } = {}) {
  const root = mkdtempSync(join(tmpdir(), 'registry-ipc-'));
  const keys = join(root, 'keys', 'keys.json');
  mkdirSync(join(root, 'keys'));
  copyFileSync(fixture('keys.json'), keys);
  if (opts.registry !== undefined) writeFileSync(join(root, 'keys', 'keys.registry.json'), opts.registry);
  const drive = join(root, 'media', 'operator', 'USB');
  mkdirSync(drive, { recursive: true });
  writeFileSync(join(drive, 'p2wsh.json'), readFileSync(fixture('cases/p2wsh.request.json')));
  writeFileSync(join(drive, 'mainnet.json'), mainnetMetadataRequestJson());
  const audit = new AuditLog();
  const handlers = createHandlers({
    version: 'test',
    demo: opts.demo ?? false,
    vault: new Vault({ idleMs: 0 }),
    dialogs: { chooseKeyFile: async () => keys },
    airGap: () => ({ ok: true, interfaces: [], advice: '' }),
    driveEnv: { platform: 'linux', user: 'operator', root },
    ledgerPath: join(root, 'ledger.json'),
    audit,
  });
  const router = createRouter(handlers, { appOrigin: ORIGIN });
  const responses: string[] = [];
  const raw = async (m: MethodName, payload: unknown) => {
    const r = await router.handle({ channel: CONTRACT[m].channel, senderUrl: `${ORIGIN}/index.html`, isTopFrame: true, payload });
    responses.push(JSON.stringify(r));
    return r;
  };
  const call = async <M extends MethodName>(m: M, payload: InputOf<M>): Promise<OutputOf<M>> => {
    const r = await raw(m, payload);
    if (!r.ok) throw new Error(`${m} failed: ${r.error.code} ${r.error.error}`);
    return r.value as OutputOf<M>;
  };
  const fail = async (m: MethodName, payload: unknown): Promise<ErrorData> => {
    const r = await raw(m, payload);
    if (r.ok) throw new Error(`${m} should have failed`);
    return r.error;
  };
  const registryFile = join(root, 'keys', 'keys.registry.json');
  return { root, keys, drive, audit, raw, call, fail, responses, registryFile, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

const imported = (results: ImportFileResult[]) => {
  const r = results[0]!;
  if (!r.ok) throw new Error(`import failed: ${JSON.stringify(r.error)}`);
  return r.requestId;
};

test('first use: an unregistered wallet\'s request is not imported; its keys are confirmed by their last four characters, then it is', async () => {
  const s = setup();
  try {
    const opened = await s.call('keyStoreOpenDialog', {});
    expect(opened.canceled).toBe(false);
    expect(await s.call('registryGet', {})).toMatchObject({ name: 'keys.registry.json', wallets: [], sha256: createHash('sha256').update('').digest('hex') });
    await s.call('drivesList', {});
    const [refused] = await s.call('requestsImport', { driveId: 'drive-1', files: ['p2wsh.json'] });
    expect(refused).toMatchObject({ ok: false, error: { code: 'wallet_not_registered' }, register: { walletId: A.walletId, xpubs: A.xpubs } });
    const register = refused!.ok ? undefined : refused!.register!;
    expect(Object.values(register!.fingerprints).every((f) => /^[0-9a-f]{8}$/.test(f))).toBe(true);
    // Locked: the user key cannot be checked against the key store yet.
    expect((await s.fail('registryConfirm', { walletId: A.walletId, coin: 'tbtc', label: 'Treasury', lastFour: lastFour(A.xpubs) })).code).toBe('wallet_locked');
    await s.call('walletUnlock', { walletId: A.walletId, passphrase: passphrase(A.walletId) });
    // A mistyped key: nothing is registered, and the message says which key.
    const wrong = await s.fail('registryConfirm', { walletId: A.walletId, coin: 'tbtc', label: 'Treasury', lastFour: { ...lastFour(A.xpubs), backup: 'zzzz' } });
    expect(wrong).toMatchObject({ code: 'registry_confirmation_mismatch' });
    expect(wrong.error).toMatch(/backup key/);
    expect(existsSync(s.registryFile)).toBe(false);
    // Payload rules: four base58 characters, a known coin, a label.
    for (const bad of [{ walletId: A.walletId, coin: 'tbtc', label: 'x', lastFour: { ...lastFour(A.xpubs), user: 'abc' } }, { walletId: A.walletId, coin: 'doge', label: 'x', lastFour: lastFour(A.xpubs) }, { walletId: A.walletId, coin: 'tbtc', label: '', lastFour: lastFour(A.xpubs) }]) {
      expect((await s.fail('registryConfirm', bad)).code).toBe('ipc_payload_invalid');
    }
    const view = await s.call('registryConfirm', { walletId: A.walletId, coin: 'tbtc', label: 'Treasury', lastFour: lastFour(A.xpubs) });
    expect(view.wallets).toEqual([expect.objectContaining({ walletId: A.walletId, label: 'Treasury', coin: 'tbtc', xpubs: A.xpubs, added: expect.objectContaining({ how: 'first-use' }) })]);
    // Written beside the key file, atomically (nothing else left in the folder), its sha256 the one shown.
    const written = readFileSync(s.registryFile, 'utf8');
    expect(createHash('sha256').update(written).digest('hex')).toBe(view.sha256);
    expect(readdirSync(join(s.root, 'keys')).sort()).toEqual(['keys.json', 'keys.registry.json']);
    expect(s.audit.entries().map((e) => e.type)).toContain('wallet-registered');
    // Nothing waits any more; the request imports and its review shows the registered label and coin.
    expect((await s.fail('registryConfirm', { walletId: A.walletId, coin: 'tbtc', label: 'Treasury', lastFour: lastFour(A.xpubs) })).code).toBe('request_state_invalid');
    const id = imported(await s.call('requestsImport', { driveId: 'drive-1', files: ['p2wsh.json'] }));
    expect((await s.call('requestReview', { requestId: id })).review.registered).toEqual({ label: 'Treasury', coin: 'tbtc' });
  } finally {
    s.cleanup();
  }
});

test('the registry beside the key file is read when the key store opens; the wrong coin is refused at review and approval', async () => {
  const s = setup({ registry: registryText });
  try {
    await s.call('keyStoreOpenDialog', {});
    expect((await s.call('registryGet', {}))!.sha256).toBe(createHash('sha256').update(registryText).digest('hex'));
    expect(s.audit.entries().find((e) => e.type === 'keystore-opened')).toMatchObject({ registry: createHash('sha256').update(registryText).digest('hex') });
    await s.call('drivesList', {});
    // A consistent mainnet request for a wallet registered as tbtc.
    const id = imported(await s.call('requestsImport', { driveId: 'drive-1', files: ['mainnet.json'] }));
    const r = await s.call('requestReview', { requestId: id });
    expect(r.review.refusals.map((x) => x.code)).toContain('network_mismatch');
    expect((await s.fail('requestApprove', { requestId: id, fingerprint: r.review.fingerprint.sha256, acknowledged: r.warningKeys })).code).toBe('network_mismatch');
  } finally {
    s.cleanup();
  }
});

test('a damaged registry refuses the key store, naming the file (never its path); the key store stays closed', async () => {
  for (const bad of ['{', registryText.replace('"coin": "tbtc"', '"coin": "tbtc", "coin": "btc"'), '{"version":1,"wallets":{},"extra":true}']) {
    const s = setup({ registry: bad });
    try {
      const e = await s.fail('keyStoreOpenDialog', {});
      expect(e.code).toBe('registry_invalid');
      expect(e.error).toContain('keys.registry.json');
      expect(e.error).not.toContain(s.root);
      expect((await s.call('appStatus', {})).keyStore).toBeNull();
      expect(await s.call('registryGet', {})).toBeNull();
    } finally {
      s.cleanup();
    }
  }
});

test('a registry entry whose user key is not the key store\'s refuses the unlock; the wallet stays locked', async () => {
  const doc = JSON.parse(registryText) as { wallets: Record<string, { xpubs: unknown; keySignatures?: unknown }> };
  const a = doc.wallets[A.walletId]!;
  delete a.keySignatures;
  a.xpubs = B.xpubs; // B's keys registered under A's id
  const s = setup({ registry: `${JSON.stringify(doc, null, 2)}\n` });
  try {
    await s.call('keyStoreOpenDialog', {});
    const e = await s.fail('walletUnlock', { walletId: A.walletId, passphrase: passphrase(A.walletId) });
    expect(e.code).toBe('registry_user_key_mismatch');
    expect((await s.call('walletsList', {})).find((w) => w.walletId === A.walletId)!.unlocked).toBe(false);
    expect(s.audit.entries().filter((x) => x.type === 'wallet-unlock-failed').map((x) => (x as { reason?: string }).reason)).toEqual(['registry_user_key_mismatch']);
  } finally {
    s.cleanup();
  }
});

test('from a KeyCard: the user key must be the key store\'s, keySignatures must verify; removal needs the wallet id typed again', async () => {
  const sigs = (JSON.parse(registryText) as { wallets: Record<string, { keySignatures: { backupPub: string; bitgoPub: string } }> }).wallets[A.walletId]!.keySignatures;
  const s = setup();
  try {
    await s.call('keyStoreOpenDialog', {});
    const card = { walletId: A.walletId, coin: 'tbtc', label: 'From KeyCard', xpubs: A.xpubs, how: 'keycard' } as const;
    expect((await s.fail('registryAdd', card)).code).toBe('wallet_locked');
    await s.call('walletUnlock', { walletId: A.walletId, passphrase: passphrase(A.walletId) });
    expect((await s.fail('registryAdd', { ...card, xpubs: { ...A.xpubs, user: B.xpubs.user } })).code).toBe('registry_user_key_mismatch');
    expect((await s.fail('registryAdd', { ...card, keySignatures: { backupPub: sigs.bitgoPub, bitgoPub: sigs.backupPub } })).code).toBe('wallet_key_signatures_invalid');
    expect((await s.fail('registryAdd', { ...card, xpubs: { ...A.xpubs, bitgo: 'xprv'.padEnd(111, 'A') } })).code).toBe('registry_invalid');
    expect((await s.fail('registryAdd', { ...card, walletId: 'ffff' })).code).toBe('wallet_not_in_key_file');
    expect(existsSync(s.registryFile)).toBe(false);
    const view = await s.call('registryAdd', { ...card, keySignatures: sigs });
    expect(view.wallets[0]).toMatchObject({ walletId: A.walletId, added: { how: 'keycard' }, keySignatures: sigs });
    expect((await s.fail('registryAdd', card)).code).toBe('registry_wallet_exists');
    // Removal: the wallet id typed again, exactly.
    expect((await s.fail('registryRemove', { walletId: A.walletId, confirmWalletId: A.walletId.slice(0, -1) })).code).toBe('registry_confirmation_mismatch');
    expect((await s.call('registryRemove', { walletId: A.walletId, confirmWalletId: A.walletId })).wallets).toEqual([]);
    expect(JSON.parse(readFileSync(s.registryFile, 'utf8'))).toEqual({ version: 1, wallets: {} });
    expect(s.audit.entries().map((e) => e.type)).toEqual(expect.arrayContaining(['wallet-registered', 'wallet-unregistered']));
    for (const r of s.responses) expect(r).not.toMatch(/[xt]prv[1-9A-HJ-NP-Za-km-z]{100}/);
  } finally {
    s.cleanup();
  }
});

test('demo: the bundled registry is open with the demo key store; changes last for the session only', async () => {
  const s = setup({ demo: true });
  try {
    const before = (await s.call('registryGet', {}))!;
    expect(before.name).toBe('demo registry');
    expect(before.wallets.map((w) => w.walletId)).toContain(A.walletId);
    await s.call('registryRemove', { walletId: A.walletId, confirmWalletId: A.walletId });
    expect((await s.call('registryGet', {}))!.wallets.map((w) => w.walletId)).not.toContain(A.walletId);
    // Opening the demo key store again (or the next start) brings the bundled registry back.
    await s.call('keyStoreOpenDemo', {});
    expect((await s.call('registryGet', {}))!.sha256).toBe(before.sha256);
    // Every demo wallet's key is its registered user key (wallet B's after its derivationSeed).
    for (const w of Object.values(wallets)) await s.call('walletUnlock', { walletId: w.walletId, passphrase: passphrase(w.walletId) });
    expect((await s.call('walletsList', {})).map((w) => w.unlocked)).toEqual([true, true, true, true]);
  } finally {
    s.cleanup();
  }
});

test('first use of a derivationSeed wallet registers the seed with the derived user key; the unlock check uses it', async () => {
  const s = setup({ demo: true });
  try {
    writeFileSync(join(s.drive, 'seed.json'), readFileSync(fixture('cases/p2wsh-derivation-seed.request.json')));
    await s.call('registryRemove', { walletId: B.walletId, confirmWalletId: B.walletId });
    await s.call('drivesList', {});
    const [refused] = await s.call('requestsImport', { driveId: 'drive-1', files: ['seed.json'] });
    expect(refused).toMatchObject({ ok: false, register: { walletId: B.walletId, xpubs: B.xpubs } });
    await s.call('walletUnlock', { walletId: B.walletId, passphrase: passphrase(B.walletId) });
    const view = await s.call('registryConfirm', { walletId: B.walletId, coin: 'tbtc', label: 'B', lastFour: lastFour(B.xpubs) });
    expect(view.wallets.find((w) => w.walletId === B.walletId)).toMatchObject({ derivationSeed: 'dev-derivation-seed-7' });
    await s.call('walletLock', { walletId: B.walletId });
    await s.call('walletUnlock', { walletId: B.walletId, passphrase: passphrase(B.walletId) });
    imported(await s.call('requestsImport', { driveId: 'drive-1', files: ['seed.json'] }));
  } finally {
    s.cleanup();
  }
});
