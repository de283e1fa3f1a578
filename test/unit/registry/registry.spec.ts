// The wallet registry file (electron/registry): strict parsing with coded errors for every kind of tampering, BitGo's
// keySignatures verified (test/fixtures/bitgo/keys.registry.json; walletA's signatures were made over its backup
// and bitgo xpubs with its user key, PROVENANCE.md), a stable serialization, and what a registered wallet makes
// the review enforce: its keys (wallet_keys_mismatch for swapped or foreign pubs), its coin's network
// (network_mismatch for a consistent mainnet request on a tbtc wallet) and a bad keySignature refusing the wallet.
import { test, expect } from '@playwright/test';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseSigningRequest } from '../../../electron/intake/request';
import { registeredOptions, registeredWallet } from '../../../electron/registry/enforce';
import { emptyRegistry, parseRegistry, registryPathFor, registryView, serializeRegistry, withoutWallet, withWallet, type Registry } from '../../../electron/registry/registry';
import { reviewRequest } from '../../../electron/review/build';
import { mainnetMetadataRequestJson } from '../../support/qr-payloads';
import { caseText, WALLETS } from '../../support/review-helpers';
import type { RegisteredWallet } from '../../../shared/registry';

const text = readFileSync(new URL('../../fixtures/bitgo/keys.registry.json', import.meta.url), 'utf8');
const fingerprints = JSON.parse(readFileSync(new URL('../../fixtures/bitgo/wallets.json', import.meta.url), 'utf8')) as Record<string, { fingerprints: { user: string; backup: string; bitgo: string } }>;
const A = WALLETS.walletA!;
type Entry = Record<string, unknown> & { xpubs: Record<string, string>; keySignatures?: Record<string, string> };
const doc = () => JSON.parse(text) as { version: number; wallets: Record<string, Entry> };
const code = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return { code: (e as { code?: string }).code, message: (e as Error).message };
  }
  throw new Error('expected an error');
};
const review = (body: string | Uint8Array, registry: Registry, walletId = A.walletId) => reviewRequest(parseSigningRequest(body, 'r.json'), { name: 'r.json', ...registeredOptions(registeredWallet(registry, walletId)) });

test('the fixture registry parses: four wallets, fingerprints of each key, walletA\'s keySignatures verified, sha256 of the exact bytes', () => {
  const r = parseRegistry(text, 'keys.registry.json');
  expect(r.sha256).toBe(createHash('sha256').update(text).digest('hex'));
  const view = registryView(r);
  expect(view.wallets).toHaveLength(4);
  const a = view.wallets.find((w) => w.walletId === A.walletId)!;
  expect(a).toMatchObject({ coin: 'tbtc', xpubs: A.xpubs, fingerprints: fingerprints.walletA!.fingerprints });
  expect(a.keySignatures).toBeDefined();
  expect(view.wallets.map((w) => w.problem)).toEqual([undefined, undefined, undefined, undefined]);
  // Stable text: what the app writes back is the file itself.
  expect(serializeRegistry(r)).toBe(text);
  expect(parseRegistry(`\uFEFF${text}`, 'x').wallets.size).toBe(4);
});

test('tampering gives coded errors naming what is wrong: bad JSON, repeated wallet, unknown field, bad coin, bad or private xpub, bad version', () => {
  const first = Object.keys(doc().wallets)[0]!;
  const cases: [string, string, RegExp][] = [
    ['not JSON', text.slice(0, -20), /not valid JSON/],
    ['repeated wallet id', text.replace('"wallets": {', `"wallets": {\n    "${first}": ${JSON.stringify(doc().wallets[first])},`), /lists wallets\.\w+ twice/],
    ['unknown field', JSON.stringify({ ...doc(), extra: 1 }), /extra/],
    ['unknown coin', JSON.stringify({ ...doc(), wallets: { [first]: { ...doc().wallets[first], coin: 'bch' } } }), /coin/],
    ['xpub that does not parse', JSON.stringify({ ...doc(), wallets: { [first]: { ...doc().wallets[first], xpubs: { ...doc().wallets[first]!.xpubs, bitgo: `${doc().wallets[first]!.xpubs.bitgo!.slice(0, -1)}1` } } } }), /wallets\.\w+\.xpubs\.bitgo is not a valid extended public key/],
    ['wallet id not hex-like', JSON.stringify({ ...doc(), wallets: { '../x': doc().wallets[first] } }), /\.\.\/x|wallet/],
    ['version 3', JSON.stringify({ ...doc(), version: 3 }), /version/],
    ['empty label', JSON.stringify({ ...doc(), wallets: { [first]: { ...doc().wallets[first], label: '' } } }), /label/],
  ];
  for (const [what, bad, message] of cases) {
    const e = code(() => parseRegistry(bad, 'keys.registry.json'));
    expect(e.code, what).toBe('registry_invalid');
    expect(e.message, what).toMatch(message);
    expect(e.message, what).toContain('keys.registry.json');
  }
  // A private key where a public key belongs is refused without being echoed.
  const xprv = 'xprv9s21ZrQH143K3QTDL4LXw2F7HEK3wJUD2nW2nRk4stbPy6cq3jPPqjiChkVvvNKmPGJxWUtg6LnF5kejMRNNU3TGtRBeJgk33yuGBxrMPHi';
  const priv = code(() => parseRegistry(JSON.stringify({ ...doc(), wallets: { [first]: { ...doc().wallets[first], xpubs: { ...doc().wallets[first]!.xpubs, user: xprv } } } }), 'r'));
  expect(priv.code).toBe('registry_invalid');
  expect(priv.message).not.toContain(xprv);
});

test('keySignatures that do not verify (swapped, or over keys that were swapped) keep the entry but refuse the wallet', () => {
  const a = doc().wallets[A.walletId]!;
  const sigs = a.keySignatures!;
  const swappedSigs = { ...doc(), wallets: { ...doc().wallets, [A.walletId]: { ...a, keySignatures: { backupPub: sigs.bitgoPub, bitgoPub: sigs.backupPub } } } };
  const swappedKeys = { ...doc(), wallets: { ...doc().wallets, [A.walletId]: { ...a, xpubs: { ...a.xpubs, backup: a.xpubs.bitgo, bitgo: a.xpubs.backup } } } };
  for (const bad of [swappedSigs, swappedKeys]) {
    const r = parseRegistry(JSON.stringify(bad), 'r');
    const view = registryView(r).wallets.find((w) => w.walletId === A.walletId)!;
    expect(view.problem).toMatchObject({ code: 'wallet_key_signatures_invalid' });
    expect(view.problem!.error).toMatch(/backup and bitgo keys/);
    // The review refuses every request of that wallet with the same code.
    const body = bad === swappedKeys ? JSON.stringify({ ...JSON.parse(caseText('p2wsh')), pubs: [a.xpubs.user, a.xpubs.bitgo, a.xpubs.backup] }) : caseText('p2wsh');
    expect(review(body, r).refusals.map((x) => x.code)).toContain('wallet_key_signatures_invalid');
    // Registering such an entry is refused outright.
    expect(code(() => withWallet(emptyRegistry('r'), { walletId: A.walletId, ...(bad.wallets[A.walletId] as Entry as unknown as Omit<RegisteredWallet, 'walletId'>) })).code).toBe('wallet_key_signatures_invalid');
  }
});

test('a registered wallet: its keys and its coin are the truth, not the request\'s', () => {
  const r = parseRegistry(text, 'keys.registry.json');
  const body = JSON.parse(caseText('p2wsh')) as { pubs: string[] };
  const ok = review(caseText('p2wsh'), r);
  expect(ok.refusals).toEqual([]);
  expect(ok.registered).toEqual({ label: r.wallets.get(A.walletId)!.label, coin: 'tbtc' });
  // Swapped backup and bitgo, or a foreign bitgo key: not this wallet's request.
  const [user, backup, bitgo] = body.pubs as [string, string, string];
  const foreign = WALLETS.walletB!.xpubs.bitgo;
  for (const pubs of [[user, bitgo, backup], [user, backup, foreign], [backup, user, bitgo]]) {
    expect(review(JSON.stringify({ ...body, pubs }), r).refusals.map((x) => x.code)).toContain('wallet_keys_mismatch');
  }
  // A consistent request for mainnet (every metadata address rewritten): reviewed as mainnet without the
  // registry, refused for the registered tbtc wallet.
  const mainnet = mainnetMetadataRequestJson();
  const unregistered = reviewRequest(parseSigningRequest(mainnet, 'm.json'), { name: 'm.json' });
  expect([unregistered.network, unregistered.refusals]).toEqual(['bitcoin', []]);
  expect(review(mainnet, r).refusals.map((x) => x.code)).toContain('network_mismatch');
  // A request for a wallet that is not registered.
  expect(code(() => registeredWallet(withoutWallet(r, A.walletId), A.walletId))).toMatchObject({ code: 'wallet_not_registered' });
});

test('adding and removing: a wallet is added once, removed on purpose, and every entry is checked as a file entry is', () => {
  const r = parseRegistry(text, 'r');
  const entry = r.wallets.get(A.walletId)!;
  const wallet = { walletId: A.walletId, label: entry.label, coin: entry.coin, xpubs: entry.xpubs, added: { at: '2026-12-06T00:00:00.000Z', how: 'cli' as const } };
  expect(code(() => withWallet(r, wallet)).code).toBe('registry_wallet_exists');
  const without = withoutWallet(r, A.walletId);
  expect(without.wallets.has(A.walletId)).toBe(false);
  expect(code(() => withoutWallet(without, A.walletId)).code).toBe('wallet_not_registered');
  const back = withWallet(without, wallet);
  expect(back.sha256).toBe(createHash('sha256').update(serializeRegistry(back)).digest('hex'));
  expect(code(() => withWallet(without, { ...wallet, label: 'x'.repeat(81) })).code).toBe('registry_invalid');
  expect(code(() => withWallet(without, { ...wallet, walletId: 'a b' })).code).toBe('registry_invalid');
  expect(code(() => withWallet(without, { ...wallet, coin: 'ltc' as never })).code).toBe('registry_invalid');
});

test('the registry lives beside its key file', () => {
  expect(registryPathFor('/media/op/KEYS/keys.json')).toBe('/media/op/KEYS/keys.registry.json');
  expect(registryPathFor('C:\\keys\\vault.JSON')).toBe('C:\\keys\\vault.registry.json');
  expect(registryPathFor('keys')).toBe('keys.registry.json');
});
