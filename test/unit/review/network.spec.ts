// Which network an address belongs to (electron/review/network.ts addressNetwork) gives exactly the answer of
// bitcoinjs-lib's toOutputScript, on whichever path it takes: version 0 segwit addresses are answered without
// building their script (the fast path), everything else by toOutputScript itself. Driven by the public vectors
// of BIP173 (bech32) and BIP350 (bech32m), valid and invalid, each also in capitals and with a changed character,
// plus base58 addresses of both networks. Future segwit versions (2 to 16, and version 1 programs that are not 32
// bytes) are answered without bitcoinjs-lib's console warning, and their outputs get their BIP350 address.
// Sources: https://github.com/bitcoin/bips/blob/master/bip-0173.mediawiki#test-vectors and
// https://github.com/bitcoin/bips/blob/master/bip-0350.mediawiki#test-vectors (the segwit address sections).
import { test, expect } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { address, networks } from 'bitcoinjs-lib';
import { addressNetwork, addressOf, clearAddressMemo, futureWitnessVersion, type NetworkName } from '../../../electron/review/network';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

const BIP173_VALID = [
  'BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4',
  'tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7',
  'tb1qqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesrxh6hy',
];
const BIP350_VALID = [
  'BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4',
  'tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7',
  'bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kt5nd6y',
  'BC1SW50QGDZ25J',
  'bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs',
  'tb1qqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesrxh6hy',
  'tb1pqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesf3hn0c',
  'bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0',
];
const BIP350_INVALID = [
  'tc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq5zuyut',
  'bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd',
  'tb1z0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqglt7rf',
  'BC1S0XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ54WELL',
  'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh',
  'tb1q0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq24jc47',
  'bc1p38j9r5y49hruaue7wxjce0updqjuyyx0kh56v8s25huc6995vvpql3jow4',
  'BC130XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ7ZWS8R',
  'bc1pw5dgrnzv',
  'bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v8n0nx0muaewav253zgeav',
  'BC1QR508D6QEJXTDG4Y5R3ZARVARYV98GJ9P',
  'tb1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq47Zagq',
  'bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v07qwwzcrf',
  'tb1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vpggkg4j',
  'bc1gmk9yu',
];
const BASE58 = [
  '1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2',
  '3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy',
  'mipcBbFg9gMiCh81Kj8tqqdgoZub1ZJRfn',
  '2MzQwSSnBHWHqSAqtTVQ6v47XtaisrJa1Vc',
  '1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN3',
];

/** toOutputScript's answer, asked directly. */
function reference(a: string): NetworkName | undefined {
  const ok = (n: NetworkName) => {
    try {
      address.toOutputScript(a, n === 'bitcoin' ? networks.bitcoin : networks.testnet);
      return true;
    } catch {
      return false;
    }
  };
  const both = (['bitcoin', 'testnet'] as const).filter(ok);
  return both[0];
}

/** Each address, in lower and upper case, and with one character of its data part changed. */
function variants(a: string): string[] {
  const mid = Math.floor(a.length / 2);
  const swapped = a.slice(0, mid) + (a[mid] === 'q' || a[mid] === 'Q' ? 'p' : 'q') + a.slice(mid + 1);
  return [a, a.toLowerCase(), a.toUpperCase(), swapped, `${a.slice(0, 3)}${a.slice(3).toLowerCase()}`];
}

test('addressNetwork answers as toOutputScript does, on the BIP173 and BIP350 vectors and base58 addresses', () => {
  const all = [...new Set([...BIP173_VALID, ...BIP350_VALID, ...BIP350_INVALID, ...BASE58].flatMap(variants))];
  let fast = 0;
  for (const a of all) {
    clearAddressMemo();
    expect(addressNetwork(a), a).toBe(reference(a));
    if (/^(bc|tb)1q/i.test(a) && reference(a) !== undefined) fast++;
  }
  // The fast path was taken (version 0 addresses that decode), and so was the other one.
  expect(fast).toBeGreaterThanOrEqual(6);
  expect(all.filter((a) => reference(a) !== undefined && !/^(bc|tb)1q/i.test(a)).length).toBeGreaterThanOrEqual(6);
  // And what the vectors say, independently of bitcoinjs-lib: the valid version 0 ones by their prefix.
  expect(addressNetwork('BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4')).toBe('bitcoin');
  expect(addressNetwork('tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7')).toBe('testnet');
  // BIP350: a version 0 address with the bech32m checksum is invalid.
  expect(addressNetwork('bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh')).toBeUndefined();
  expect(addressNetwork('BC1QR508D6QEJXTDG4Y5R3ZARVARYV98GJ9P')).toBeUndefined();
});

test('future segwit versions: which outputs, their addresses, and no console warning from bitcoinjs-lib', () => {
  const program = (op: number, size: number) => Uint8Array.from([op, size, ...new Array<number>(size).fill(5)]);
  // Versions 2 to 16 of 2 to 40 bytes, and version 1 that is not 32 bytes; not taproot, version 0, or malformed.
  expect(futureWitnessVersion(program(0x52, 32))).toBe(2);
  expect(futureWitnessVersion(program(0x60, 2))).toBe(16);
  expect(futureWitnessVersion(program(0x51, 20))).toBe(1);
  for (const s of [program(0x51, 32), program(0x00, 20), program(0x52, 1), program(0x52, 41), program(0x61, 32), Uint8Array.from([0x52, 32, 5]), Uint8Array.from([0x52])]) {
    expect(futureWitnessVersion(s), Buffer.from(s).toString('hex')).toBeUndefined();
  }
  // BIP350's valid vectors, back from their scripts: the same address in lower case.
  for (const a of ['BC1SW50QGDZ25J', 'bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs']) {
    expect(addressOf(address.toOutputScript(a, networks.bitcoin), 'bitcoin')).toBe(a.toLowerCase());
  }
  // bitcoinjs-lib warns once per process: a fresh one shows whether any of this reaches console.warn.
  const child = `
    const warned = [];
    console.warn = (...a) => warned.push(a.join(' '));
    const { addressNetwork, addressOf } = await import('./electron/review/network.ts');
    const out = ['BC1SW50QGDZ25J', 'bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs', 'tb1zq5zs2pg9q5zs2pg9q5zs2pg9q5zs2pg9q5zs2pg9q5zs2pg9q5zs8al6qj'].map(addressNetwork);
    out.push(addressOf(Uint8Array.from([0x52, 32, ...new Array(32).fill(5)]), 'testnet'));
    process.stdout.write(JSON.stringify({ out, warned }));`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', child], { cwd: repoRoot, encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  expect(JSON.parse(r.stdout)).toEqual({ out: ['bitcoin', 'bitcoin', 'testnet', 'tb1zq5zs2pg9q5zs2pg9q5zs2pg9q5zs2pg9q5zs2pg9q5zs2pg9q5zs8al6qj'], warned: [] });
});
