// BitGo 2-of-3 wallet scripts (electron/wallet/scripts.ts) against BitGo's own data: every input of every PSBT
// request in test/fixtures/bitgo must re-derive to the script it spends (and, for taproot, to the leaf scripts and
// control blocks BitGo put in the PSBT), and every change output to the address in manifest.json.
import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { Psbt, networks, payments } from 'bitcoinjs-lib';
import { keyAgg, legacyP2trInternalKey, musig2InternalKey } from '../../../electron/wallet/musig-keyagg';
import { deriveWalletKeys, parseXpubTriple } from '../../../electron/wallet/keys';
import { walletAddress, walletOutputScript, matchWalletScript } from '../../../electron/wallet/scripts';
import { WALLET_CHAINS } from '../../../electron/wallet/chains';
import { SignerError } from '../../../shared/errors';
import { bip32, ecc } from '../../../electron/crypto/ecc';
import { childPublic } from '../../../electron/wallet/derive';

const dir = new URL('../../fixtures/bitgo/', import.meta.url);
const read = (p: string) => readFileSync(new URL(p, dir), 'utf8');
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const unhex = (s: string) => new Uint8Array(Buffer.from(s, 'hex'));

interface ManifestCase {
  name: string;
  wallet: string;
  steps: { request?: string }[];
  inputs?: { chain: number; index: number; scriptType: string }[];
  outputs?: { kind: string; chain?: number; index?: number; address?: string }[];
}
const manifest = JSON.parse(read('manifest.json')) as { cases: ManifestCase[] };
const wallets = JSON.parse(read('wallets.json')) as Record<string, { xpubs: { user: string; backup: string; bitgo: string } }>;
const pubsOf = (wallet: string): string[] => {
  const w = wallets[wallet]!;
  return [w.xpubs.user, w.xpubs.backup, w.xpubs.bitgo];
};

function requestPsbt(c: ManifestCase): Psbt | undefined {
  const file = c.steps.find((s) => s.request)?.request;
  if (!file) return undefined;
  const body = JSON.parse(read(file)) as { txPrebuild?: { txHex?: string } };
  const txHex = body.txPrebuild?.txHex;
  if (!txHex?.startsWith('70736274ff')) return undefined;
  return Psbt.fromHex(txHex, { network: networks.testnet });
}

for (const c of manifest.cases) {
  const psbt = requestPsbt(c);
  if (psbt && (c.inputs?.length ?? 0) > 0) {
    test(`${c.name}: every input re-derives to the script it spends`, () => {
      expect(psbt.data.inputs.length).toBe(c.inputs!.length);
      c.inputs!.forEach((inp, i) => {
        const derived = walletOutputScript(pubsOf(c.wallet), inp.chain, inp.index);
        const pin = psbt.data.inputs[i]!;
        expect(hex(derived.scriptPubKey), `input ${i} scriptPubKey`).toBe(hex(pin.witnessUtxo!.script));
        if (pin.redeemScript) expect(hex(derived.redeemScript!), `input ${i} redeemScript`).toBe(hex(pin.redeemScript));
        if (pin.witnessScript) expect(hex(derived.witnessScript!), `input ${i} witnessScript`).toBe(hex(pin.witnessScript));
        for (const leaf of pin.tapLeafScript ?? []) {
          const mine = derived.taproot!.leaves.find((l) => hex(l.script) === hex(leaf.script));
          expect(mine, `input ${i} leaf ${hex(leaf.script).slice(0, 16)}… is one of the wallet's leaves`).toBeTruthy();
          expect(hex(mine!.controlBlock), `input ${i} control block`).toBe(hex(leaf.controlBlock));
        }
        if (pin.tapInternalKey) expect(hex(derived.taproot!.internalKey), `input ${i} internal key`).toBe(hex(pin.tapInternalKey));
        if (pin.tapMerkleRoot) expect(hex(derived.taproot!.merkleRoot), `input ${i} merkle root`).toBe(hex(pin.tapMerkleRoot));
      });
    });
  }
  const changes = (c.outputs ?? []).filter((o) => o.kind === 'change');
  if (changes.length > 0) {
    test(`${c.name}: every change output re-derives to BitGo's address`, () => {
      for (const o of changes) {
        expect(walletAddress(pubsOf(c.wallet), o.chain!, o.index!, networks.testnet), `change chain ${o.chain} index ${o.index}`).toBe(o.address);
      }
    });
  }
}

test('the fixtures cover every script type (inputs) and taproot leaves with control blocks', () => {
  const seen = new Set<string>();
  let leaves = 0;
  for (const c of manifest.cases) {
    const psbt = requestPsbt(c);
    if (!psbt) continue;
    c.inputs?.forEach((inp, i) => {
      seen.add(walletOutputScript(pubsOf(c.wallet), inp.chain, inp.index).scriptType);
      leaves += psbt.data.inputs[i]?.tapLeafScript?.length ?? 0;
    });
  }
  expect([...seen].sort()).toEqual(['p2sh', 'p2shP2wsh', 'p2trLegacy', 'p2trMusig2', 'p2wsh']);
  expect(leaves).toBeGreaterThan(0);
});

// Vectors from BitGoJS modules/utxo-lib/bip-0327/README.md ("BIP 0327 with BitGo legacy p2tr variant", Apache-2.0):
// the two test keys and the aggregate keys it states for the legacy (chains 30/31) and standard (40/41) methods.
test('MuSig2 key aggregation reproduces BitGo bip-0327 README vectors (standard and legacy variant)', () => {
  const user = unhex('02d20a62701c54f6eb3abb9f964b0e29ff90ffa3b4e3fcb73e7c67d4950fa6e3c7');
  const bitgo = unhex('03203ab799ce28e2cca044f594c69275050af4bb0854ad730a8f74622342300e64');
  expect(hex(legacyP2trInternalKey(user, bitgo))).toBe('cc899cac29f6243ef481be86f0d39e173c075cd57193d46332b1ec0b42c439aa');
  expect(hex(legacyP2trInternalKey(bitgo, user))).toBe('cc899cac29f6243ef481be86f0d39e173c075cd57193d46332b1ec0b42c439aa');
  expect(hex(musig2InternalKey(user, bitgo))).toBe('c0e255b4510e041ab81151091d875687a618de314344dff4b73b1bcd366cdbd8');
  expect(hex(keyAgg([bitgo, user]).subarray(1))).toBe('e48d309b535811eb0b148c4b0600a10e82e289899429e40aee05577504eca356');
});

test('BIP327 KeyAgg vectors (key_agg_vectors.json: pubkeys 0,1,2 and 2,1,0 and 0,0,0)', () => {
  // From bitcoin/bips bip-0327/vectors/key_agg_vectors.json (BIP327, BSD-3-Clause): valid_test_cases 0, 1 and 2.
  const pk = [
    '02F9308A019258C31049344F85F89D5229B531C845836F99B08601F113BCE036F9',
    '03DFF1D77F2A671C5F36183726DB2341BE58FEAE1DA2DECED843240F7B502BA659',
    '023590A94E768F8E1815C2F24B4D80A8E3149316C3518CE7B7AD338368D038CA66',
  ].map(unhex);
  const agg = (ids: number[]) => hex(keyAgg(ids.map((i) => pk[i]!)).subarray(1)).toUpperCase();
  expect(agg([0, 1, 2])).toBe('90539EEDE565F5D054F32CC0C220126889ED1E5D193BAF15AEF344FE59D4610C');
  expect(agg([2, 1, 0])).toBe('6204DE8B083426DC6EAF9502D27024D53FC826BF7D2012148A0575435DF54B2B');
  expect(agg([0, 0, 0])).toBe('B436E3BAD62B8CD409969A224731C193D051162D8C5AE8B109306127DA3AA935');
});

test('taproot outputs agree with bitcoinjs-lib payments.p2tr built from the same leaves (independent tree code)', () => {
  const pubs = pubsOf('walletA');
  for (const chain of [30, 31, 40, 41]) {
    for (const index of [0, 1, 999]) {
      const out = walletOutputScript(pubs, chain, index);
      const t = out.taproot!;
      const leaf = (pair: string) => ({ output: t.leaves.find((l) => l.pair.join('+') === pair)!.script });
      const scriptTree =
        chain < 40 ? [leaf('user+bitgo'), [leaf('user+backup'), leaf('backup+bitgo')]] : [leaf('user+backup'), leaf('backup+bitgo')];
      const p = payments.p2tr({ internalPubkey: t.internalKey, scriptTree: scriptTree as never, network: networks.testnet });
      expect(hex(p.output!), `chain ${chain} index ${index}`).toBe(hex(out.scriptPubKey));
      for (const l of t.leaves) {
        const spend = payments.p2tr({ internalPubkey: t.internalKey, scriptTree: scriptTree as never, redeem: { output: l.script }, network: networks.testnet });
        expect(hex(spend.witness!.at(-1)!), `chain ${chain} leaf ${l.pair.join('+')} control block`).toBe(hex(l.controlBlock));
      }
    }
  }
});

test('every chain: type, change flag, path and scripts of the right shape', () => {
  const pubs = pubsOf('walletA');
  for (const chain of WALLET_CHAINS) {
    const out = walletOutputScript(pubs, chain, 5);
    expect(out.isChange).toBe(chain % 2 === 1);
    expect(out.path).toBe(`m/0/0/${chain}/5`);
    const k = deriveWalletKeys(parseXpubTriple(pubs), chain, 5);
    expect(hex(k.user)).toBe(hex(out.pubkeys.user));
    if (out.witnessScript) expect(out.witnessScript.length).toBe(3 + 3 * 34);
    expect(matchWalletScript(pubs, out.scriptPubKey, [{ chain: 20, index: 4 }, { chain, index: 5 }])?.chain).toBe(chain);
    expect(matchWalletScript(pubs, out.scriptPubKey, [{ chain, index: 6 }])).toBeUndefined();
  }
});

test('hostile chains, indexes and keys give coded errors naming the value', () => {
  const pubs = pubsOf('walletA');
  const cases: [() => unknown, string][] = [
    [() => walletOutputScript(pubs, 2, 0), 'wallet_chain_unknown'],
    [() => walletOutputScript(pubs, -1, 0), 'wallet_chain_unknown'],
    [() => walletOutputScript(pubs, Number.NaN, 0), 'wallet_chain_unknown'],
    [() => walletOutputScript(pubs, '20' as unknown as number, 0), 'wallet_chain_unknown'],
    [() => walletOutputScript(pubs, 20, -1), 'wallet_index_invalid'],
    [() => walletOutputScript(pubs, 20, 0x80000000), 'wallet_index_invalid'],
    [() => walletOutputScript(pubs, 20, 1.5), 'wallet_index_invalid'],
    [() => walletOutputScript(pubs.slice(0, 2), 20, 0), 'request_pubs_invalid'],
    [() => walletOutputScript([pubs[0]!, pubs[1]!, 'xpub-not'], 20, 0), 'request_pubs_invalid'],
    [() => keyAgg([]), 'wallet_key_aggregation_failed'],
    [() => keyAgg([new Uint8Array(33)]), 'wallet_key_aggregation_failed'],
    [() => keyAgg([new Uint8Array(32).fill(0xff)]), 'wallet_key_aggregation_failed'],
  ];
  for (const [f, code] of cases) {
    let err: unknown;
    try {
      f();
    } catch (e) {
      err = e;
    }
    expect(err, code).toBeInstanceOf(SignerError);
    expect((err as SignerError).code).toBe(code);
  }
});

test('CKDpub through a cached uncompressed parent equals the bip32 package and the generic path (BIP32 CKDpub)', () => {
  const root = bip32.fromBase58(pubsOf('walletA')[1]!).derive(0).derive(0).derive(20);
  const plain = { publicKey: root.publicKey, chainCode: root.chainCode };
  const fast = { ...plain, uncompressed: ecc.pointCompress(root.publicKey, false) };
  for (const index of [0, 1, 2, 77, 4096, 0x7fffffff]) {
    const want = hex(root.derive(index).publicKey);
    expect(hex(childPublic(plain, index).publicKey), `generic ${index}`).toBe(want);
    expect(hex(childPublic(fast, index).publicKey), `uncompressed parent ${index}`).toBe(want);
  }
});
