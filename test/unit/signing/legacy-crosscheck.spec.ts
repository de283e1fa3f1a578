// Cross-check of the legacy signer against BitGo's PSBT responses: a PSBT request and a legacy request for the
// same transaction and the same spent outputs have the same digests (legacy SignatureHash, BIP143, BIP341), and
// both signers are deterministic (RFC6979 without extra entropy; BIP340 with zero aux), so the user signature in
// our half-signed legacy transaction must equal, byte for byte, the signature BitGo's SDK added to the PSBT
// (manifest.json `addedKeyVals`). This covers what the six legacy fixtures do not: derivationSeed (walletB), a
// non-ASCII passphrase (walletC), a v2 envelope (walletD), high indexes, mixed script types and 500 inputs.
//
// The legacy bodies are built here from each PSBT request: txHex = PSBT_GLOBAL_UNSIGNED_TX; unspents[i] = the
// outpoint of input i, the chain/index/value listed in the manifest, and the address of the PSBT's witness_utxo
// script (decoded by bitcoinjs-lib, not by electron/wallet).
import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { Transaction, address as btcAddress, networks, script as bscript } from 'bitcoinjs-lib';
import { findWallet, parseKeyFile } from '../../../electron/keystore/keyfile';
import { Vault } from '../../../electron/keystore/vault';
import { inputFields } from '../../../electron/intake/psbt-view';
import { parsePsbtStrict } from '../../../electron/intake/psbt-strict';
import { fromHexStrict, fromBase64Strict, toHex } from '../../../electron/util/bytes';
import { txidHex } from '../../../electron/intake/psbt-tx';
import { responseOf, signThroughGate } from '../../support/signing';

const dir = new URL('../../fixtures/bitgo/', import.meta.url);
const read = (p: string) => readFileSync(new URL(p, dir), 'utf8');
interface KeyVal { map: string; index: number; type: string; keydata: string; value: string }
interface Step { step: string; request?: string; status?: number; addedKeyVals?: KeyVal[] }
interface Case { name: string; walletId: string; inputs?: { chain: number; index: number; value: number }[]; steps: Step[] }
const manifest = JSON.parse(read('manifest.json')) as { cases: Case[] };
const env = JSON.parse(read('env.json')) as Record<string, string>;
const keyFile = parseKeyFile(read('keys.json'), 'keys.json');

const cases = manifest.cases.filter(
  (c) =>
    c.steps.length === 1 &&
    c.steps[0]!.status === 200 &&
    (c.steps[0]!.addedKeyVals?.length ?? 0) > 0 &&
    (c.inputs ?? []).every((i) => i.chain < 40), // MuSig2 outputs (40/41) have no legacy form
);

test('the cross-check covers every single-step PSBT success case without MuSig2 inputs', () => {
  expect(cases.map((c) => c.name).sort()).toEqual(
    [
      'large-p2wsh-100',
      'large-p2wsh-500',
      'mixed-all-but-musig2',
      'p2sh',
      'p2sh-sequence-locktime',
      'p2shP2wsh',
      'p2trLegacy',
      'p2wsh',
      'p2wsh-bitgo-signed-first',
      'p2wsh-derivation-seed',
      'p2wsh-high-index',
      'p2wsh-unicode-passphrase',
      'p2wsh-v2-envelope',
    ].sort(),
  );
});

/** The legacy request for the same transaction as a PSBT request. */
function legacyBodyOf(c: Case, req: Record<string, unknown>): Record<string, unknown> {
  const prebuild = req.txPrebuild as { txHex?: string; txBase64?: string; walletId: string };
  const bytes = prebuild.txHex !== undefined ? fromHexStrict(prebuild.txHex)! : fromBase64Strict(prebuild.txBase64!)!;
  const psbt = parsePsbtStrict(bytes);
  const unsigned = psbt.global.find((e) => e.keyType === 0x00)!.value; // PSBT_GLOBAL_UNSIGNED_TX (BIP174)
  const unspents = psbt.tx.inputs.map((inp, i) => {
    const m = c.inputs![i]!;
    const utxo = inputFields(psbt, i).witnessUtxo!;
    expect(utxo.value, `${c.name} input ${i} amount`).toBe(BigInt(m.value));
    return {
      id: `${txidHex(inp.prevTxid)}:${inp.prevIndex}`,
      value: m.value,
      chain: m.chain,
      index: m.index,
      address: btcAddress.fromOutputScript(utxo.script, networks.testnet),
    };
  });
  // Everything else of txPrebuild (walletId, feeInfo, ...) is kept; the PSBT text is replaced by the network tx.
  const rest = Object.fromEntries(Object.entries(prebuild).filter(([k]) => k !== 'txHex' && k !== 'txBase64'));
  return {
    txPrebuild: { ...rest, txHex: toHex(unsigned), txInfo: { unspents } },
    pubs: req.pubs,
    ...(req.derivationSeed !== undefined ? { derivationSeed: req.derivationSeed } : {}),
  };
}

/** The user signature slot of input i of our half-signed legacy transaction. */
function userSlot(tx: Transaction, i: number): Uint8Array {
  const inp = tx.ins[i]!;
  if (inp.witness.length === 0) return bscript.decompile(inp.script)![1] as Uint8Array; // p2sh: OP_0 <user> ...
  return inp.witness[1]!; // p2wsh / p2shP2wsh: "" <user> "" "" ws; taproot: <bitgo ""> <user> leaf cb
}

for (const c of cases) {
  test(`${c.name}: the legacy signer's user signatures equal BitGo's PSBT signatures`, async () => {
    const req = JSON.parse(read(c.steps[0]!.request!)) as Record<string, unknown>;
    const body = legacyBodyOf(c, req);
    const vault = new Vault({ idleMs: 0 });
    await vault.unlock(findWallet(keyFile, c.walletId), env[`WALLET_${c.walletId}_PASSPHRASE`]!);
    let txHex: string;
    try {
      txHex = responseOf(signThroughGate(JSON.stringify(body), vault)).txHex;
    } finally {
      vault.lockAll();
    }
    const tx = Transaction.fromHex(txHex);
    const added = c.steps[0]!.addedKeyVals!.filter((k) => k.map === 'input');
    expect(added.length).toBe(tx.ins.length); // the user signs every input
    for (const k of added) {
      expect(['PARTIAL_SIG', 'TAP_SCRIPT_SIG']).toContain(k.type);
      expect(toHex(userSlot(tx, k.index)), `${c.name} input ${k.index}`).toBe(k.value);
    }
  });
}
