// Requests far larger than BitGo's fixtures, for the tests and benches of size (issue 13 item 11): a p2wsh PSBT of
// walletA with n inputs, and the Express request that carries it (the large-p2wsh-500 fixture's wallet and keys).
import { readFileSync } from 'node:fs';
import { payments } from 'bitcoinjs-lib';
import { bip32 } from '../../electron/crypto/ecc';
import { serializePsbt } from '../../electron/intake/psbt-write';
import { type RawEntry } from '../../electron/intake/psbt-strict';
import { serializeTxNoWitness, type ParsedTx } from '../../electron/intake/psbt-tx';
import { concatBytes, u64leBytes } from '../../electron/util/bytes';

/**
 * A p2wsh BitGo-shaped PSBT with n inputs of walletA, written directly as PSBT key-value maps (bitcoinjs-lib's
 * Psbt.addInput is itself quadratic, which would make generating 5000 inputs take minutes). Keys are derived with
 * the bip32 package, laid out as BitGo does (witness_utxo, witnessScript, three BIP32 derivations). `keyIndexes`:
 * the inputs cycle through this many derivation indexes (default n, every input its own), which keeps generating a
 * 100k-input request to seconds; each input still spends its own outpoint with its own amount.
 */
export function generateP2wsh(n: number, pubs: string[], keyIndexes = n): string {
  const roots = pubs.map((p) => bip32.fromBase58(p));
  const chainNodes = roots.map((r) => r.derivePath('m/0/0/20'));
  const entry = (keyType: number, keyData: Uint8Array, value: Uint8Array): RawEntry => ({ keyType, key: Uint8Array.of(keyType, ...keyData), keyData, value });
  const byIndex = new Map<number, { keys: Uint8Array[]; ms: Uint8Array; p2wsh: Uint8Array }>();
  const inputs: RawEntry[][] = [];
  const txInputs: ParsedTx['inputs'] = [];
  for (let i = 0; i < n; i++) {
    const k = i % keyIndexes;
    let d = byIndex.get(k);
    if (!d) {
      const keys = chainNodes.map((c) => c.derive(k).publicKey);
      const ms = payments.p2ms({ m: 2, pubkeys: keys }).output!;
      d = { keys, ms, p2wsh: payments.p2wsh({ redeem: { output: ms } }).output! };
      byIndex.set(k, d);
    }
    const prevTxid = new Uint8Array(32);
    new DataView(prevTxid.buffer).setUint32(0, i + 1, true);
    txInputs.push({ prevTxid, prevIndex: 0, scriptSig: new Uint8Array(0), sequence: 0xfffffffd });
    const origin = (fp: Uint8Array) => {
      const v = new Uint8Array(20);
      v.set(fp, 0);
      new DataView(v.buffer).setUint32(12, 20, true);
      new DataView(v.buffer).setUint32(16, k, true);
      return v;
    };
    const map = [
      entry(0x01, new Uint8Array(0), concatBytes([u64leBytes(10_000n + BigInt(i)), Uint8Array.of(d.p2wsh.length), d.p2wsh])),
      entry(0x05, new Uint8Array(0), d.ms),
      ...d.keys.map((key, j) => entry(0x06, key, origin(roots[j]!.fingerprint))),
    ];
    inputs.push(map.sort((a, b) => Buffer.compare(Buffer.from(a.key), Buffer.from(b.key))));
  }
  const tx: ParsedTx = {
    version: 2,
    inputs: txInputs,
    outputs: [{ value: BigInt(n) * 9_000n, script: Uint8Array.of(0, 0x20, ...new Uint8Array(32).fill(7)) }],
    locktime: 0,
    witnesses: undefined,
  };
  const global = [entry(0x00, new Uint8Array(0), serializeTxNoWitness(tx))];
  return Buffer.from(serializePsbt({ global, inputs, outputs: [[]] })).toString('hex');
}

const LARGE = JSON.parse(readFileSync(new URL('../fixtures/bitgo/cases/large-p2wsh-500.request.json', import.meta.url), 'utf8')) as { txPrebuild: { walletId: string }; pubs: string[] };

/** An Express request of walletA (the large-p2wsh-500 fixture's wallet) whose PSBT has n p2wsh inputs. */
export function bigRequest(n: number, keyIndexes = n): string {
  return JSON.stringify({ txPrebuild: { txHex: generateP2wsh(n, LARGE.pubs, keyIndexes), walletId: LARGE.txPrebuild.walletId }, pubs: LARGE.pubs });
}

/**
 * The same wallet's n p2wsh inputs in BitGo's legacy (pre-PSBT) format: the unsigned network transaction and
 * txInfo.unspents naming each outpoint's chain 20 index (cycling through `keyIndexes`), amount and witness script, as BitGo's older
 * SDK sent them (test/fixtures/bitgo/legacy).
 */
export function bigLegacyRequest(n: number, keyIndexes = n): string {
  const chainNodes = LARGE.pubs.map((p) => bip32.fromBase58(p).derivePath('m/0/0/20'));
  const scripts = new Map<number, string>();
  const witnessScript = (k: number): string => {
    let hex = scripts.get(k);
    if (hex === undefined) scripts.set(k, (hex = Buffer.from(payments.p2ms({ m: 2, pubkeys: chainNodes.map((c) => c.derive(k).publicKey) }).output!).toString('hex')));
    return hex;
  };
  const txInputs: ParsedTx['inputs'] = [];
  const unspents: { id: string; value: number; chain: number; index: number; witnessScript: string }[] = [];
  for (let i = 0; i < n; i++) {
    const prevTxid = new Uint8Array(32);
    new DataView(prevTxid.buffer).setUint32(0, i + 1, true);
    txInputs.push({ prevTxid, prevIndex: 0, scriptSig: new Uint8Array(0), sequence: 0xfffffffd });
    unspents.push({ id: `${Buffer.from(prevTxid).reverse().toString('hex')}:0`, value: 10_000 + i, chain: 20, index: i % keyIndexes, witnessScript: witnessScript(i % keyIndexes) });
  }
  const tx: ParsedTx = { version: 2, inputs: txInputs, outputs: [{ value: BigInt(n) * 9_000n, script: Uint8Array.of(0, 0x20, ...new Uint8Array(32).fill(7)) }], locktime: 0, witnesses: undefined };
  const txHex = Buffer.from(serializeTxNoWitness(tx)).toString('hex');
  return JSON.stringify({ txPrebuild: { txHex, txInfo: { unspents }, walletId: LARGE.txPrebuild.walletId }, pubs: LARGE.pubs });
}

/**
 * The hostile size of issue 13 item 11: an Express request of walletA whose PSBT has n inputs and nothing else in
 * them (41 bytes of transaction each, no amount, no scripts: 100,000 inputs make about 8 MB of hex), so the review
 * refuses every input.
 */
export function bareInputsRequest(n: number): string {
  const txInputs: ParsedTx['inputs'] = [];
  for (let i = 0; i < n; i++) {
    const prevTxid = new Uint8Array(32);
    new DataView(prevTxid.buffer).setUint32(0, i + 1, true);
    txInputs.push({ prevTxid, prevIndex: 0, scriptSig: new Uint8Array(0), sequence: 0xfffffffd });
  }
  const tx: ParsedTx = { version: 2, inputs: txInputs, outputs: [{ value: 1000n, script: Uint8Array.of(0, 0x20, ...new Uint8Array(32).fill(7)) }], locktime: 0, witnesses: undefined };
  const global: RawEntry[] = [{ keyType: 0, key: Uint8Array.of(0), keyData: new Uint8Array(0), value: serializeTxNoWitness(tx) }];
  const txHex = Buffer.from(serializePsbt({ global, inputs: txInputs.map(() => []), outputs: [[]] })).toString('hex');
  return JSON.stringify({ txPrebuild: { txHex, walletId: LARGE.txPrebuild.walletId }, pubs: LARGE.pubs });
}
