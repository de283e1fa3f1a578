// The main router and handlers, called exactly as main.ts calls them (a neutral IpcCall), in Node.
// Who-is-calling checks come before the payload is read; every schema violation is refused with the field's
// path; and no response, for valid or hostile payloads, ever carries key material or a non-demo passphrase.
import { test, expect } from '@playwright/test';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHANNELS, CONTRACT, METHODS, type IpcResult } from '../../../shared/contract';
import { checkAirGap } from '../../../electron/airgap';
import { forwardVaultEvents, type Emit } from '../../../electron/ipc/events';
import { createHandlers, type Dialogs } from '../../../electron/ipc/handlers';
import { createRouter, originOf, type IpcCall } from '../../../electron/ipc/router';
import { Vault } from '../../../electron/keystore/vault';
import { AuditLog } from '../../../electron/workflow/audit';
import { QrAssembler } from '../../../shared/qr/assembler';
import { encodeAnimated } from '../../../shared/qr/encode';

const ORIGIN = 'app://signer';
const fixturePath = (rel: string) => fileURLToPath(new URL(`../../fixtures/${rel}`, import.meta.url));
const env = JSON.parse(readFileSync(fixturePath('bitgo/env.json'), 'utf8')) as Record<string, string>;
const keysText = readFileSync(fixturePath('bitgo/keys.json'), 'utf8');
interface FixtureWallet { walletId: string; passphrase: string; userXprvPlaintextInKeysFile: string }
const fixtureWallets = Object.values(JSON.parse(readFileSync(fixturePath('bitgo/wallets.json'), 'utf8')) as Record<string, FixtureWallet>);
const WALLET_A = '5f2a9c4e1b7d3a8f6e0c2b9d4a7f1e3c';
const PASS_A = env[`WALLET_${WALLET_A}_PASSPHRASE`]!;

/** A dialog stub the test controls: the next path to "choose", or null for cancel; counts calls. */
class StubDialogs implements Dialogs {
  next: string | null = null;
  calls = 0;
  async chooseKeyFile() {
    this.calls++;
    return this.next;
  }
}

const freshLedgerPath = () => join(mkdtempSync(join(tmpdir(), 'router-ledger-')), 'signing-ledger.json');

function setup(demo: boolean) {
  const vault = new Vault({ idleMs: 5 * 60_000 });
  const dialogs = new StubDialogs();
  const internal: unknown[] = [];
  const audit = new AuditLog();
  const responses: IpcResult<unknown>[] = [];
  // Events main would push to the window (wallet changes, signing progress) go into the list the secret scan reads.
  const events: [string, unknown][] = [];
  const emit: Emit = (channel, payload) => {
    events.push([channel, payload]);
    responses.push({ ok: true, value: payload });
  };
  const handlers = createHandlers({ version: '0.1.0-test', demo, vault, dialogs, audit, emit, airGap: () => checkAirGap({ lo: [{ family: 'IPv4', internal: true }] }), ledgerPath: freshLedgerPath() });
  const router = createRouter(handlers, { appOrigin: ORIGIN, onInternalError: (_c, e) => internal.push(e) });
  forwardVaultEvents(vault, emit);
  const call = async (channel: string, payload?: unknown, sender: Partial<IpcCall> = {}) => {
    const r = await router.handle({ channel, senderUrl: `${ORIGIN}/index.html`, isTopFrame: true, payload, ...sender });
    responses.push(r);
    return r;
  };
  return { vault, dialogs, router, call, responses, internal, audit, events };
}

const okValue = <T>(r: IpcResult<T>): T => {
  if (!r.ok) throw new Error(`expected ok, got ${JSON.stringify(r.error)}`);
  return r.value;
};
const errCode = (r: IpcResult<unknown>) => (r.ok ? `ok:${JSON.stringify(r.value)}` : r.error.code);

test('router registers exactly the contract channels, all with the signer: prefix', () => {
  const { router } = setup(false);
  expect([...router.channels].sort()).toEqual([...CHANNELS].sort());
  expect(CHANNELS.length).toBe(METHODS.length);
  for (const c of CHANNELS) expect(c).toMatch(/^signer:[a-z-]+:[a-z-]+$/);
});

test('unknown channels are refused by name', async () => {
  const { call } = setup(false);
  for (const ch of ['signer:fs:write', 'signer:app:status ', 'SIGNER:APP:STATUS', '', 'constructor', '__proto__', 'toString']) {
    const r = await call(ch, {});
    expect(errCode(r), ch).toBe('ipc_unknown_channel');
  }
});

test('sub-frames and other origins are refused before the payload is read', async () => {
  const { call } = setup(false);
  // A payload whose every property access throws: if the router touched it, the result would be another code.
  const trap = new Proxy({}, { get() { throw new Error('payload was read'); }, ownKeys() { throw new Error('payload was read'); } });
  const cases: [Partial<IpcCall>, string][] = [
    [{ isTopFrame: false }, 'ipc_sender_not_top_frame'],
    [{ senderUrl: 'https://evil.example/' }, 'ipc_sender_wrong_origin'],
    [{ senderUrl: 'app://signer.evil/index.html' }, 'ipc_sender_wrong_origin'],
    [{ senderUrl: 'app://evil/index.html' }, 'ipc_sender_wrong_origin'],
    [{ senderUrl: 'file:///home/op/index.html' }, 'ipc_sender_wrong_origin'],
    [{ senderUrl: 'about:blank' }, 'ipc_sender_wrong_origin'],
    [{ senderUrl: 'data:text/html,hi' }, 'ipc_sender_wrong_origin'],
    [{ senderUrl: 'not a url' }, 'ipc_sender_wrong_origin'],
    [{ senderUrl: '' }, 'ipc_sender_wrong_origin'],
  ];
  for (const [sender, code] of cases) {
    for (const channel of CHANNELS) {
      const r = await call(channel, trap, sender);
      expect(errCode(r), `${channel} ${JSON.stringify(sender)}`).toBe(code);
    }
  }
  expect(originOf('app://signer/deep/path?x#y')).toBe('app://signer');
  expect(originOf('https://signer.invalid:443/')).toBe('https://signer.invalid');
});

test('each schema violation is refused with the field path and never echoes the value', async () => {
  const { call } = setup(false);
  const secretish = 'correct horse battery staple 42';
  const cases: [string, unknown, RegExp][] = [
    ['signer:app:status', { extra: 1 }, /^payload: unknown field "extra"$/],
    ['signer:app:status', [], /^payload: expected an object, got an array$/],
    ['signer:app:status', null, /^payload: expected an object, got null$/],
    ['signer:app:status', 'x', /^payload: expected an object, got string$/],
    ['signer:wallet:unlock', { walletId: WALLET_A }, /^passphrase: is required$/],
    ['signer:wallet:unlock', { passphrase: secretish }, /^walletId: is required$/],
    ['signer:wallet:unlock', { walletId: WALLET_A, passphrase: 42 }, /^passphrase: expected a string, got number$/],
    ['signer:wallet:unlock', { walletId: WALLET_A, passphrase: '' }, /^passphrase: must not be empty$/],
    ['signer:wallet:unlock', { walletId: WALLET_A, passphrase: 'p'.repeat(1025) }, /^passphrase: longer than 1024 characters \(got 1025\)$/],
    ['signer:wallet:unlock', { walletId: '../../etc/passwd', passphrase: secretish }, /^walletId: must be a wallet id \(letters and digits only\)$/],
    ['signer:wallet:unlock', { walletId: 'a'.repeat(129), passphrase: secretish }, /^walletId: longer than 128 characters/],
    ['signer:wallet:unlock', { walletId: WALLET_A, passphrase: secretish, path: '/tmp/x' }, /^payload: unknown field "path"$/],
    ['signer:wallet:unlock', { walletId: new Uint8Array(3), passphrase: secretish }, /^walletId: expected a string, got bytes$/],
    ['signer:wallet:lock', { walletId: { toString: 'x' } }, /^walletId: expected a string, got an object$/],
    ['signer:settings:idle-lock-set', { minutes: -1 }, /^minutes: must be between 0 and 1440, got -1$/],
    ['signer:settings:idle-lock-set', { minutes: 1.5 }, /^minutes: expected an integer, got 1.5$/],
    ['signer:settings:idle-lock-set', { minutes: Number.NaN }, /^minutes: expected a finite number, got NaN$/],
    ['signer:settings:idle-lock-set', { minutes: '5' }, /^minutes: expected a finite number, got string$/],
    ['signer:settings:idle-lock-set', Object.create({ minutes: 5 }), /^payload: expected an object, got an object$/],
    // A sparse array (structured clone keeps holes) is refused at the hole, before any handler sees it.
    // eslint-disable-next-line no-sparse-arrays
    ['signer:requests:import', { driveId: 'drive-1', files: ['a.json', , 'b.json'] }, /^files\[1\]: is missing \(the array has a hole\)$/],
    ['signer:requests:sign', { requestIds: new Array(2) }, /^requestIds\[0\]: is missing \(the array has a hole\)$/],
  ];
  for (const [channel, payload, message] of cases) {
    const r = await call(channel, payload);
    expect(r.ok, channel).toBe(false);
    if (r.ok) continue;
    expect(r.error.code).toBe('ipc_payload_invalid');
    expect(r.error.name).toBe('SchemaError');
    expect(r.error.error).toMatch(message);
    expect(r.error.error).not.toContain(secretish);
  }
});

test('demo flow through the router: open, wrong passphrase, unlock, lock, lock all, idle settings', async () => {
  const { call, audit, events } = setup(true);
  const status = okValue(await call('signer:app:status')) as { demo: { passphrases: { walletId: string; passphrase: string }[] }; keyStore: unknown };
  expect(status.demo.passphrases.find((p) => p.walletId === WALLET_A)?.passphrase).toBe(PASS_A);
  // Demo mode starts with the demo key store open; opening it again is allowed (and locks everything).
  expect(status.keyStore).toMatchObject({ label: 'demo', demo: true });
  const store = okValue(await call('signer:keystore:open-demo', {})) as { label: string; demo: boolean; wallets: { walletId: string; unlocked: boolean; envelopeVersion: number }[] };
  expect(store.label).toBe('demo');
  expect(store.demo).toBe(true);
  expect(store.wallets.map((w) => [w.walletId, w.envelopeVersion, w.unlocked])).toEqual(
    Object.keys(JSON.parse(keysText) as object).map((id) => [id, id === '5c5d6f7b4eaa6dbc9b3f5ec07dac4b6f' ? 2 : 1, false]),
  );

  const wrong = await call('signer:wallet:unlock', { walletId: WALLET_A, passphrase: 'Correct horse battery staple 42' });
  expect(wrong.ok).toBe(false);
  if (!wrong.ok) {
    expect(wrong.error.code).toBe('wallet_passphrase_incorrect');
    expect(wrong.error.error).toContain('Caps Lock');
  }
  // Throttled right after a failure (1 s): the wait is enforced in main, not in the page.
  expect(errCode(await call('signer:wallet:unlock', { walletId: WALLET_A, passphrase: PASS_A }))).toBe('unlock_throttled');
  await new Promise((r) => setTimeout(r, 1100));

  const unlocked = okValue(await call('signer:wallet:unlock', { walletId: WALLET_A, passphrase: PASS_A })) as { unlocked: boolean; xpub: string; fingerprint: string; locksAt: number };
  const fw = fixtureWallets.find((w) => w.walletId === WALLET_A)!;
  expect(unlocked.unlocked).toBe(true);
  expect(unlocked.xpub).toMatch(/^xpub/);
  expect(unlocked.fingerprint).toMatch(/^[0-9a-f]{8}$/);
  expect(unlocked.locksAt).toBeGreaterThan(Date.now());
  expect(JSON.stringify(unlocked)).not.toContain(fw.userXprvPlaintextInKeysFile);

  expect(errCode(await call('signer:wallet:unlock', { walletId: 'ffff', passphrase: 'x' }))).toBe('wallet_not_in_key_file');
  const locked = okValue(await call('signer:wallet:lock', { walletId: WALLET_A })) as { unlocked: boolean; xpub?: string };
  expect(locked).toEqual({ walletId: WALLET_A, envelopeVersion: 1, unlocked: false });

  okValue(await call('signer:wallet:unlock', { walletId: WALLET_A, passphrase: PASS_A }));
  const all = okValue(await call('signer:wallets:lock-all')) as { unlocked: boolean }[];
  expect(all.every((w) => !w.unlocked)).toBe(true);

  expect(okValue(await call('signer:settings:idle-lock-get'))).toEqual({ minutes: 5 });
  expect(okValue(await call('signer:settings:idle-lock-set', { minutes: 0 }))).toEqual({ minutes: 0 });
  okValue(await call('signer:wallet:unlock', { walletId: WALLET_A, passphrase: PASS_A }));
  const list = okValue(await call('signer:wallets:list')) as { walletId: string; locksAt?: number }[];
  expect(list.find((w) => w.walletId === WALLET_A)?.locksAt).toBeUndefined();

  // The session audit saw every step, by id and code only.
  expect(audit.entries().map((e) => [e.type, 'walletId' in e ? e.walletId : '', 'reason' in e ? e.reason : ''])).toEqual([
    ['keystore-opened', '', ''],
    ['wallet-unlock-failed', WALLET_A, 'wallet_passphrase_incorrect'],
    ['wallet-unlock-failed', WALLET_A, 'unlock_throttled'],
    ['wallet-unlocked', WALLET_A, ''],
    ['wallet-unlock-failed', 'ffff', 'wallet_not_in_key_file'],
    ['wallet-locked', WALLET_A, ''],
    ['wallet-unlocked', WALLET_A, ''],
    ['wallet-locked', WALLET_A, 'lock all'],
    ['wallet-unlocked', WALLET_A, ''],
  ]);
  expect(JSON.stringify(audit.entries())).not.toContain(PASS_A);
  // And main pushed one walletChanged event per lock/unlock, ids and flags only.
  expect(events).toEqual([
    ['signer:event:wallet-changed', { walletId: WALLET_A, unlocked: true }],
    ['signer:event:wallet-changed', { walletId: WALLET_A, unlocked: false }],
    ['signer:event:wallet-changed', { walletId: WALLET_A, unlocked: true }],
    ['signer:event:wallet-changed', { walletId: WALLET_A, unlocked: false }],
    ['signer:event:wallet-changed', { walletId: WALLET_A, unlocked: true }],
  ]);
});

test('the wrong-passphrase wait holds under concurrency: ten guesses at a v2 (Argon2) wallet at once, one is tried', async () => {
  const { call } = setup(true);
  const V2 = '5c5d6f7b4eaa6dbc9b3f5ec07dac4b6f';
  const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => call('signer:wallet:unlock', { walletId: V2, passphrase: `guess ${i}` })));
  const codes = answers.map(errCode);
  expect(codes.filter((c) => c === 'wallet_passphrase_incorrect')).toHaveLength(1);
  expect(codes.filter((c) => c === 'unlock_throttled')).toHaveLength(9);
});

test('demo store refused without --demo; dialog open, cancel and bad files give coded errors', async () => {
  const { call, dialogs } = setup(false);
  expect(errCode(await call('signer:wallet:unlock', { walletId: WALLET_A, passphrase: PASS_A }))).toBe('key_store_not_open');
  expect(errCode(await call('signer:keystore:open-demo'))).toBe('demo_not_enabled');
  const st = okValue(await call('signer:app:status')) as { demo: unknown; keyStore: unknown };
  expect(st.demo).toBeNull();
  expect(st.keyStore).toBeNull();

  dialogs.next = null;
  expect(okValue(await call('signer:keystore:open-dialog'))).toEqual({ canceled: true });
  dialogs.next = '/nonexistent/home/alice/keys.json';
  const missing = await call('signer:keystore:open-dialog');
  expect(errCode(missing)).toBe('key_file_unreadable');
  expect(missing.ok ? '' : missing.error.error).toBe('key file keys.json does not exist'); // name only, no path
  dialogs.next = fixturePath('bitgo/env.json'); // valid JSON, but not a key file
  expect(errCode(await call('signer:keystore:open-dialog'))).toBe('key_file_bad_wallet_id');
  dialogs.next = fixturePath('bitgo/keys.json');
  const opened = okValue(await call('signer:keystore:open-dialog')) as { canceled: boolean; keyStore: { label: string; demo: boolean } };
  expect(opened.keyStore.label).toBe('keys.json'); // the file's name, not its path
  expect(opened.keyStore.demo).toBe(false);
  const absent = await call('signer:wallet:unlock', { walletId: 'ffff', passphrase: 'x' });
  expect(absent.ok ? '' : absent.error.error).toBe('Could not find a field for walletId: ffff in keys.json');
  expect(dialogs.calls).toBe(4);
});

test('opening another key store locks every wallet of the previous one', async () => {
  const { call, dialogs, vault } = setup(false);
  dialogs.next = fixturePath('bitgo/keys.json');
  okValue(await call('signer:keystore:open-dialog'));
  okValue(await call('signer:wallet:unlock', { walletId: WALLET_A, passphrase: PASS_A }));
  expect(vault.isUnlocked(WALLET_A)).toBe(true);
  dialogs.next = fixturePath('bitgo/keys.json');
  okValue(await call('signer:keystore:open-dialog'));
  expect(vault.isUnlocked(WALLET_A)).toBe(false);
});

test('demo mode opens no key store but the demo one: the file dialog is not even shown', async () => {
  const { call, dialogs } = setup(true);
  dialogs.next = fixturePath('bitgo/keys.json');
  const refused = await call('signer:keystore:open-dialog');
  expect(errCode(refused)).toBe('demo_real_key_store_refused');
  expect(dialogs.calls).toBe(0);
  expect((okValue(await call('signer:app:status')) as { keyStore: { demo: boolean } }).keyStore.demo).toBe(true);
});

test('the router withholds a response carrying an extended private key, and hides internal error text', async () => {
  const xprv = fixtureWallets[0]!.userXprvPlaintextInKeysFile;
  const handlers = createHandlers({ version: 'x', demo: false, vault: new Vault(), dialogs: new StubDialogs(), airGap: () => checkAirGap({}), ledgerPath: freshLedgerPath() });
  const leaky = { ...handlers, walletsList: () => [{ walletId: 'a', envelopeVersion: 1 as const, unlocked: true, xpub: xprv }] };
  const broken = { ...handlers, idleLockGet: () => { throw new Error(`boom ${xprv}`); } };
  const internal: unknown[] = [];
  const r1 = await createRouter(leaky, { appOrigin: ORIGIN }).handle({ channel: 'signer:wallets:list', senderUrl: ORIGIN, isTopFrame: true, payload: {} });
  expect(errCode(r1)).toBe('ipc_response_withheld');
  expect(JSON.stringify(r1)).not.toContain(xprv);
  const r2 = await createRouter(broken, { appOrigin: ORIGIN, onInternalError: (_c, e) => internal.push(e) }).handle({ channel: 'signer:settings:idle-lock-get', senderUrl: ORIGIN, isTopFrame: true, payload: {} });
  expect(errCode(r2)).toBe('internal_error');
  expect(JSON.stringify(r2)).not.toContain(xprv);
  expect(internal).toHaveLength(1);
});

// ---- the secret scan ----------------------------------------------------------------------------------------

const keyFileCiphertexts = Object.values(JSON.parse(keysText) as Record<string, string>).flatMap((s) => {
  const env = JSON.parse(s) as Record<string, unknown>;
  return [env.ct, env.salt, env.iv].filter((x): x is string => typeof x === 'string');
});
const SECRET_PATTERNS: [string, RegExp][] = [
  ['extended private key', /[xtyzuv]prv[1-9A-HJ-NP-Za-km-z]{20,}/],
  ['WIF private key', /(^|[^1-9A-HJ-NP-Za-km-z])[5KLc9][1-9A-HJ-NP-Za-km-z]{50,51}($|[^1-9A-HJ-NP-Za-km-z])/],
  ['hex seed or key (32+ bytes)', /[0-9a-fA-F]{64,}/],
  ['passphrase field', /"passphrase"\s*:/],
];

function scan(responses: IpcResult<unknown>[], allowDemoPassphrases: boolean): string[] {
  const found: string[] = [];
  for (const r of responses) {
    // In demo mode the status carries the published demo passphrases on purpose: scan it without that table.
    const value = allowDemoPassphrases && r.ok && r.value && typeof r.value === 'object' && 'demo' in r.value ? { ...r.value, demo: 'demo table' } : r;
    // Public hashes and signatures are named: a registry's sha256 (also in the audit's keystore-opened entry) and
    // BitGo's keySignatures. Masked by field name, so a secret under any other name is still found.
    const text = JSON.stringify(value).replace(/(\\?"(?:sha256|registry|backupPub|bitgoPub)\\?"\s*:\s*\\?")[0-9a-f]{64,}/g, '$1<public>');
    for (const [what, re] of SECRET_PATTERNS) if (re.test(text)) found.push(`${what} in ${text.slice(0, 200)}`);
    for (const w of fixtureWallets) {
      if (text.includes(w.passphrase)) found.push(`passphrase of ${w.walletId}`);
      if (text.includes(w.userXprvPlaintextInKeysFile)) found.push(`xprv of ${w.walletId}`);
    }
    for (const p of Object.values(env)) if (text.includes(p)) found.push('a fixture passphrase');
    for (const c of keyFileCiphertexts) if (text.includes(c)) found.push('key file ciphertext');
    if (text.includes(fixturePath(''))) found.push('a file system path');
  }
  return found;
}

/** Valid and hostile payloads for every channel, with every wallet unlocked and locked along the way. */
async function exerciseAll(call: ReturnType<typeof setup>['call']) {
  const hostile: unknown[] = [undefined, null, {}, [], 'x', 0, true, new Uint8Array(8), { walletId: WALLET_A }, { walletId: WALLET_A, passphrase: PASS_A, extra: PASS_A },
    { walletId: WALLET_A, passphrase: 'wrong' }, { walletId: 'nope', passphrase: PASS_A }, { minutes: 1e9 }, { __proto__: { passphrase: PASS_A } }];
  for (const w of fixtureWallets) {
    await call('signer:wallet:unlock', { walletId: w.walletId, passphrase: w.passphrase });
  }
  for (const m of METHODS) {
    for (const p of hostile) await call(CONTRACT[m].channel, p);
    await call(CONTRACT[m].channel, {}, { senderUrl: 'https://evil.example/' });
  }
  for (const w of fixtureWallets) {
    await call('signer:wallet:unlock', { walletId: w.walletId, passphrase: w.passphrase });
    await call('signer:wallet:lock', { walletId: w.walletId });
  }
  await call('signer:wallet:unlock', { walletId: WALLET_A, passphrase: PASS_A });
  await call('signer:wallets:list');
  await call('signer:app:status');
  await call('signer:wallets:lock-all');
}

test('no IPC response carries key material, ciphertext or a passphrase (key file opened by dialog)', async () => {
  test.setTimeout(120_000);
  const s = setup(false);
  s.dialogs.next = fixturePath('bitgo/keys.json');
  await s.call('signer:keystore:open-dialog');
  await exerciseAll(s.call);
  expect(s.responses.length).toBeGreaterThan(100);
  expect(s.responses.filter((r) => r.ok).length).toBeGreaterThan(10);
  expect(scan(s.responses, false)).toEqual([]);
  expect(s.internal).toEqual([]);
});

test('demo mode: the published passphrases appear only in the status demo table', async () => {
  test.setTimeout(120_000);
  const s = setup(true);
  await s.call('signer:keystore:open-demo');
  await exerciseAll(s.call);
  expect(scan(s.responses, true)).toEqual([]);
  // And the scan is able to fail: the raw status does contain them.
  expect(scan(s.responses, false).length).toBeGreaterThan(0);
  expect(s.internal).toEqual([]);
});

test('QR channels: a real scan, sign and show carry no key material or passphrase, and refuse other senders', async () => {
  const s = setup(false);
  s.dialogs.next = fixturePath('bitgo/keys.json');
  await s.call('signer:keystore:open-dialog');
  const request = Uint8Array.from(readFileSync(fixturePath('bitgo/cases/p2wsh.request.json')));
  const qr: IpcResult<unknown>[] = [];
  let requestId = '';
  for (const text of encodeAnimated(request, { format: 'ur', kind: 'json' })) {
    const r = await s.call(CONTRACT.qrScanFrame.channel, { text });
    qr.push(r);
    const v = okValue(r) as { status: string; result?: { ok: boolean; requestId?: string } };
    if (v.status === 'complete') {
      requestId = v.result?.requestId ?? '';
      break;
    }
  }
  expect(requestId).toBe('req-1');
  qr.push(await s.call(CONTRACT.qrScanFrame.channel, { text: `${PASS_A} ${fixtureWallets[0]!.userXprvPlaintextInKeysFile}` })); // a "foreign" code
  await s.call('signer:wallet:unlock', { walletId: WALLET_A, passphrase: PASS_A });
  const review = okValue(await s.call(CONTRACT.requestReview.channel, { requestId })) as { review: { fingerprint: { sha256: string } }; warningKeys: string[] };
  okValue(await s.call(CONTRACT.requestApprove.channel, { requestId, fingerprint: review.review.fingerprint.sha256, acknowledged: review.warningKeys }));
  qr.push(await s.call(CONTRACT.requestsSign.channel, {}));
  for (const format of ['ur', 'bbqr'] as const) {
    for (const content of ['response', 'psbt'] as const) qr.push(await s.call(CONTRACT.qrShowFrames.channel, { requestId, format, density: 'medium', content, count: 40 }));
  }
  expect(qr.filter((r) => r.ok).length).toBe(qr.length);
  // Frame texts are public data, but upper-case UR words can look like a WIF to the generic pattern: instead, each
  // batch must decode to exactly BitGo's published response (or its PSBT), and is then scanned without its frames.
  const txHex = (JSON.parse(readFileSync(fixturePath('bitgo/cases/p2wsh.response.json'), 'utf8')) as { txHex: string }).txHex;
  const published = [new TextEncoder().encode(JSON.stringify({ txHex })), Uint8Array.from(Buffer.from(txHex, 'hex'))];
  const scanned = qr.map((r) => {
    if (!r.ok || !Array.isArray((r.value as { frames?: unknown }).frames)) return r;
    const assembler = new QrAssembler();
    const done = (r.value as { frames: string[] }).frames.map((f) => assembler.push(f)).find((x) => x.status === 'done');
    expect(published).toContainEqual(done?.status === 'done' ? done.payload.bytes : undefined);
    return { ...r, value: { ...(r.value as object), frames: ['decoded to the published signed result'] } };
  });
  expect(scanned.filter((r, i) => r !== qr[i])).toHaveLength(4);
  expect(scan(scanned, false)).toEqual([]);
  // The foreign text held the passphrase and an xprv: the answer names its shape only.
  expect(JSON.stringify(qr.find((r) => r.ok && (r.value as { status?: string }).status === 'foreign'))).not.toContain(PASS_A.slice(0, 12));
  for (const m of ['qrScanFrame', 'qrScanChooseWallet', 'qrScanReset', 'qrShowFrames'] as const) {
    const r = await s.call(CONTRACT[m].channel, { text: 'x' }, { senderUrl: 'https://evil.example/' });
    expect(r.ok ? 'ok' : r.error.code).toBe('ipc_sender_wrong_origin');
  }
  expect(s.internal).toEqual([]);
});
