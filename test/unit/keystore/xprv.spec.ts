// The vault's own xprv reader and derivation (electron/keystore/xprv.ts, electron/util/base58.ts): the same key,
// chain code, xpub and fingerprint as the bip32 package on every fixture key, BitGo's derivationSeed vectors and
// random mainnet and testnet keys at depth 0 and below; the same refusals as bip32.fromBase58 on hostile text (a
// differential fuzz over mutations); base58 round trips with leading zeros; wiping a key zeroes its secrets.
import { test, expect } from '@playwright/test';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { networks } from 'bitcoinjs-lib';
import type { BIP32Interface } from 'bip32';
import { bip32 } from '../../../electron/crypto/ecc';
import { deriveChild, deriveDescendant, fingerprintOf, readXprv, wipeKey, xpubOf, type ExtendedPrivateKey } from '../../../electron/keystore/xprv';
import { base58DecodeInto, base58Encode } from '../../../electron/util/base58';

const fixture = (p: string) => readFileSync(new URL(`../../fixtures/${p}`, import.meta.url), 'utf8');
const wallets = JSON.parse(fixture('bitgo/wallets.json')) as Record<string, { userXprvPlaintextInKeysFile: string; signingUserXprv?: string }>;
const seedVectors = JSON.parse(fixture('bitgo/crypto/derive-key-with-seed-vectors.json')) as { key: string; derivedXprv: string }[];
const ascii = (s: string) => new TextEncoder().encode(s);
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

function expectSameKey(ours: ExtendedPrivateKey | undefined, theirs: BIP32Interface, label: string): void {
  expect(ours, label).toBeDefined();
  expect(hex(ours!.privateKey), label).toBe(hex(theirs.privateKey!));
  expect(hex(ours!.chainCode), label).toBe(hex(theirs.chainCode));
  expect(hex(ours!.publicKey), label).toBe(hex(theirs.publicKey));
  expect(xpubOf(ours!), label).toBe(theirs.neutered().toBase58());
  expect(hex(fingerprintOf(ours!)), label).toBe(hex(theirs.fingerprint));
  expect([ours!.depth, ours!.index, ours!.parentFingerprint], label).toEqual([theirs.depth, theirs.index, theirs.parentFingerprint]);
}

/** bip32.fromBase58's answer for text, as the vault used to ask it: a private key on mainnet or testnet, or nothing. */
function bip32Private(text: string): BIP32Interface | undefined {
  for (const network of [networks.bitcoin, networks.testnet]) {
    try {
      const node = bip32.fromBase58(text.trim(), network);
      return node.isNeutered() ? undefined : node;
    } catch {
      // the other network's version bytes
    }
  }
  return undefined;
}

test('fixture keys, derivationSeed vectors and random keys read and derive exactly as the bip32 package', () => {
  const texts = [
    ...Object.values(wallets).flatMap((w) => [w.userXprvPlaintextInKeysFile, ...(w.signingUserXprv ? [w.signingUserXprv] : [])]),
    ...seedVectors.flatMap((v) => [v.key, v.derivedXprv]),
  ];
  for (let i = 0; i < 20; i++) {
    const seed = createHash('sha256').update(`xprv ${i}`).digest();
    const root = bip32.fromSeed(seed, i % 2 ? networks.testnet : networks.bitcoin);
    texts.push(root.toBase58(), root.derivePath(`m/${i}/7'/3`).toBase58());
  }
  for (const text of texts) {
    const theirs = bip32Private(text)!;
    const ours = readXprv(ascii(text));
    expectSameKey(ours, theirs, text.slice(0, 16));
    // Children and a descendant, as the signer and derivationSeed use them.
    expectSameKey(deriveChild(ours!, 5), theirs.derive(5), `${text.slice(0, 16)}/5`);
    expectSameKey(deriveDescendant(ours!, [999999, 3, 0x7fffffff]), theirs.derive(999999).derive(3).derive(0x7fffffff), `${text.slice(0, 16)} descendant`);
  }
  expect(readXprv(ascii(`\n ${wallets.walletA!.userXprvPlaintextInKeysFile}\r\n`)), 'surrounding whitespace, as a plaintext may end with a newline').toBeDefined();
});

test('wiping a key zeroes its private key and chain code; derivation leaves its input as it was', () => {
  const key = readXprv(ascii(wallets.walletA!.userXprvPlaintextInKeysFile))!;
  const before = hex(key.privateKey);
  const child = deriveDescendant(key, [0, 0, 20]);
  expect(hex(key.privateKey)).toBe(before);
  wipeKey(child);
  wipeKey(key);
  for (const b of [child.privateKey, child.chainCode, key.privateKey, key.chainCode]) expect(b.every((x) => x === 0)).toBe(true);
  expect(() => deriveChild(readXprv(ascii(wallets.walletA!.userXprvPlaintextInKeysFile))!, 0x80000000)).toThrow(expect.objectContaining({ code: 'derivation_index_invalid' }));
});

test('hostile text: the reader refuses exactly what bip32.fromBase58 refuses (xpubs, bad checksums, bad fields, mutations)', () => {
  const good = wallets.walletA!.userXprvPlaintextInKeysFile;
  const payload = new Uint8Array(82);
  expect(base58DecodeInto(ascii(good), payload)).toBe(true);
  /** The good payload with `edit` applied and a valid checksum: only the field checks can refuse it. */
  const reencoded = (edit: (p: Uint8Array) => void) => {
    const p = payload.slice(0, 78);
    edit(p);
    const check = createHash('sha256').update(createHash('sha256').update(p).digest()).digest().subarray(0, 4);
    return base58Encode(Uint8Array.from([...p, ...check]));
  };
  const n = Buffer.from('fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141', 'hex');
  const cases: [string, string][] = [
    ['empty', ''],
    ['xpub', bip32.fromBase58(good).neutered().toBase58()],
    ['checksum', good.slice(0, -1) + (good.endsWith('e') ? 'f' : 'e')],
    ['truncated', good.slice(0, -4)],
    ['extended', `${good}1`],
    ['leading 1', `1${good}`],
    ['not base58 (0)', good.replace(/.$/, '0')],
    ['not ASCII', good.replace(/.$/, 'é')],
    ['inner space', `${good.slice(0, 50)} ${good.slice(50)}`],
    ['unknown version', reencoded((p) => (p[0] = 0x05))],
    ['depth 0 with a parent', reencoded((p) => (p[8] = 1))],
    ['depth 0 with an index', reencoded((p) => (p[12] = 1))],
    ['key prefix not 0', reencoded((p) => (p[45] = 1))],
    ['key 0', reencoded((p) => p.fill(0, 46, 78))],
    ['key n', reencoded((p) => p.set(n, 46))],
  ];
  for (const [label, text] of cases) {
    expect(readXprv(ascii(text)), label).toBeUndefined();
    expect(bip32Private(text), `${label} (bip32 agrees)`).toBeUndefined();
  }
  let seed = 99;
  const rand = (k: number) => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return seed % k;
  };
  const alphabet = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
  let accepted = 0;
  for (let i = 0; i < 600; i++) {
    const chars = [...(i % 3 === 0 ? reencoded((p) => (p[rand(78)] = rand(256))) : good)];
    for (let k = rand(3); k > 0; k--) chars[rand(chars.length)] = alphabet[rand(58)]!;
    const text = chars.join('');
    const theirs = bip32Private(text);
    const ours = readXprv(ascii(text));
    expect(ours === undefined, `mutation ${i}: ${text}`).toBe(theirs === undefined);
    if (theirs) {
      accepted++;
      expectSameKey(ours, theirs, `mutation ${i}`);
    }
  }
  expect(accepted, 'some mutations are valid keys (a field edit with a fresh checksum)').toBeGreaterThan(20);
});

test('base58 round trips, leading zeros included, and a value of the wrong length is refused', () => {
  for (let i = 0; i < 200; i++) {
    const bytes = createHash('sha512').update(`b58 ${i}`).digest().subarray(0, 1 + (i % 60));
    bytes.fill(0, 0, i % 5);
    const text = base58Encode(bytes);
    expect(text.startsWith('1'.repeat(i % 5))).toBe(true);
    const out = new Uint8Array(bytes.length);
    expect(base58DecodeInto(ascii(text), out), text).toBe(true);
    expect(hex(out)).toBe(hex(bytes));
    expect(base58DecodeInto(ascii(text), new Uint8Array(bytes.length + 1)), `${text} into one byte more`).toBe(false);
    if (bytes.length > 1) expect(base58DecodeInto(ascii(text), new Uint8Array(bytes.length - 1)), `${text} into one byte less`).toBe(false);
  }
  expect(base58Encode(new Uint8Array(3))).toBe('111');
  expect(base58DecodeInto(ascii('111'), new Uint8Array(3))).toBe(true);
});
