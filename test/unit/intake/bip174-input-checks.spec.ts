// Every coded outcome of electron/intake/input-checks.ts, reached by changing one field of a real input taken
// from the BIP174 role vectors (input 0: P2SH 2-of-2 with non_witness_utxo; input 1: P2SH-P2WSH 2-of-2 with
// witness_utxo). The unchanged inputs must pass, so each case shows the one field that makes the difference.
import { test, expect } from '@playwright/test';
import { crypto as bcrypto, networks } from 'bitcoinjs-lib';
import { bip32 } from '../../../electron/crypto/ecc';
import { ECPair } from '../../support/ecpair';
import { inputFields, type InputFields } from '../../../electron/intake/psbt-view';
import { parsePsbtStrict, type RawEntry, type StrictPsbt } from '../../../electron/intake/psbt-strict';
import { partialSigEntry, serializePsbt, withAddedInputEntries } from '../../../electron/intake/psbt-write';
import { concatBytes } from '../../../electron/util/bytes';
import { parseTx, serializeTxNoWitness, type ParsedTx } from '../../../electron/intake/psbt-tx';
import { InputCheckError, TransactionCheckError, checkTransactionForSigning, checkInputForSigning, checkStrictInput, type InputCheckOptions, type SignerInputView } from '../../../electron/intake/input-checks';
import { MAX_MONEY_SATS as MAX_MONEY } from '../../../shared/amount';
import { assertKeyInInput, deriveInputKey, type Bip174KeyError } from '../../support/bip174-signer';
import { b64, loadVectors, wifsOf } from '../../support/psbt-vectors';

const bip174 = loadVectors('bip174_vectors.json');
const updated = bip174.cases.find((c) => c.id === 'bip174-37');
if (!updated?.psbtBase64) throw new Error('bip174-37 missing from the corpus');
const psbt = parsePsbtStrict(b64(updated.expectedOutputBase64 as string));
const in0: InputFields = inputFields(psbt, 0);
const in1: InputFields = inputFields(psbt, 1);

function codeOf(view: SignerInputView, options?: InputCheckOptions): string | undefined {
  try {
    checkInputForSigning(view, options);
  } catch (e) {
    expect(e).toBeInstanceOf(InputCheckError);
    const err = e as InputCheckError;
    expect(err.message).toMatch(/^input -?\d+: /);
    expect(err.name).toBe('InputCheckError');
    expect(err.toData().code).toBe(err.code);
    return err.code;
  }
  return undefined;
}

const flip = (b: Uint8Array, at: number): Uint8Array => {
  const c = Uint8Array.from(b);
  c[at] = (c[at] as number) ^ 1;
  return c;
};

const p2sh = (script: Uint8Array) => concatBytes([Uint8Array.of(0xa9, 0x14), bcrypto.hash160(script), Uint8Array.of(0x87)]);
const TAP_SPK = concatBytes([Uint8Array.of(0x51, 0x20), new Uint8Array(32).fill(7)]);
const taprootView = (extra: Partial<SignerInputView> = {}): SignerInputView => ({
  index: 2,
  prevTxid: new Uint8Array(32).fill(9),
  prevIndex: 0,
  witnessUtxo: { script: TAP_SPK, value: 50_000n },
  ...extra,
});

test('the unchanged inputs pass and describe themselves', () => {
  const c0 = checkInputForSigning(in0);
  expect(c0).toMatchObject({ index: 0, spendType: 'p2sh', segwit: false, taproot: false, amountEvidence: 'non_witness_utxo', sighashType: 1 });
  const c1 = checkInputForSigning(in1);
  expect(c1).toMatchObject({ index: 1, spendType: 'p2sh-p2wsh', segwit: true, taproot: false, amountEvidence: 'witness_utxo_only', sighashType: 1 });
  expect(c1.prevout.value).toBe(in1.witnessUtxo?.value);
  const prev = parseTx(in0.nonWitnessUtxo as Uint8Array, 'prev', true);
  expect(c0.prevout.value).toBe(prev.outputs[in0.prevIndex]?.value);
});

const cases: [string, SignerInputView, string, InputCheckOptions?][] = [
  ['finalized input (final scriptSig)', { ...in0, finalScriptSig: Uint8Array.of(0x00) }, 'input_finalized'],
  ['finalized input (final witness)', { ...in1, finalScriptWitness: Uint8Array.of(0x01, 0x00) }, 'input_finalized'],
  ['no UTXO at all', { ...in0, nonWitnessUtxo: undefined }, 'input_utxo_missing'],
  ['previous tx does not parse', { ...in0, nonWitnessUtxo: (in0.nonWitnessUtxo as Uint8Array).subarray(0, 40) }, 'input_non_witness_utxo_invalid'],
  ['previous tx is another transaction', { ...in0, nonWitnessUtxo: flip(in0.nonWitnessUtxo as Uint8Array, 50) }, 'input_non_witness_utxo_mismatch'],
  ['outpoint txid is another transaction', { ...in0, prevTxid: flip(in0.prevTxid, 0) }, 'input_non_witness_utxo_mismatch'],
  ['outpoint index beyond the previous tx', { ...in0, prevIndex: 99 }, 'input_prevout_missing'],
  ['P2SH without redeemScript', { ...in0, redeemScript: undefined }, 'input_redeem_script_missing'],
  ['redeemScript one bit off', { ...in0, redeemScript: flip(in0.redeemScript as Uint8Array, 3) }, 'input_redeem_script_mismatch'],
  ['redeemScript on a non-P2SH output', { ...in1, witnessUtxo: { script: TAP_SPK, value: 1n } }, 'input_redeem_script_mismatch'],
  ['P2SH-P2WSH without witnessScript', { ...in1, witnessScript: undefined }, 'input_witness_script_missing'],
  ['witnessScript one bit off', { ...in1, witnessScript: flip(in1.witnessScript as Uint8Array, 5) }, 'input_witness_script_mismatch'],
  ['witnessScript on a non-P2WSH program', { ...in0, witnessScript: in1.witnessScript }, 'input_witness_script_mismatch'],
  ['witness_utxo amount contradicts the previous tx', { ...in0, witnessUtxo: { script: p2sh(in0.redeemScript as Uint8Array), value: 1n } }, 'input_utxo_inconsistent'],
  ['witness_utxo script contradicts the previous tx', { ...in0, witnessUtxo: { script: TAP_SPK, value: checkInputForSigning(in0).prevout.value } }, 'input_utxo_inconsistent'],
  ['legacy spend known only from witness_utxo', { ...in0, nonWitnessUtxo: undefined, witnessUtxo: { script: p2sh(in0.redeemScript as Uint8Array), value: 1000n } }, 'input_witness_utxo_for_non_segwit'],
  ['segwit v0 without previous tx, under the strict option', in1, 'input_non_witness_utxo_required', { requireNonWitnessUtxoForSegwitV0: true }],
  ['SIGHASH_ALL|ANYONECANPAY', { ...in0, sighashType: 0x81 }, 'input_sighash_unsupported'],
  ['SIGHASH_NONE', { ...in1, sighashType: 0x02 }, 'input_sighash_unsupported'],
  ['SIGHASH_SINGLE', { ...in1, sighashType: 0x03 }, 'input_sighash_unsupported'],
  ['SIGHASH_DEFAULT on an ECDSA input', { ...in1, sighashType: 0x00 }, 'input_sighash_unsupported'],
  ['undefined sighash byte 0xe2', { ...in0, sighashType: 0xe2 }, 'input_sighash_unsupported'],
  ['taproot SIGHASH_ALL|ANYONECANPAY', taprootView({ sighashType: 0x81 }), 'input_sighash_unsupported'],
  ['taproot SIGHASH_SINGLE|ANYONECANPAY', taprootView({ sighashType: 0x83 }), 'input_sighash_unsupported'],
  ['P2SH-wrapped taproot', taprootView({ witnessUtxo: { script: p2sh(TAP_SPK), value: 1n }, redeemScript: TAP_SPK }), 'input_script_unsupported'],
  ['witness version 2 program', taprootView({ witnessUtxo: { script: concatBytes([Uint8Array.of(0x52, 0x20), new Uint8Array(32)]), value: 1n } }), 'input_script_unsupported'],
  ['fractional witness_utxo amount', taprootView({ witnessUtxo: { script: TAP_SPK, value: 1.5 } }), 'input_amount_invalid'],
  ['negative input index', { ...in0, index: -1 }, 'input_index_invalid'],
];

for (const [name, view, code, options] of cases) {
  test(`refuses: ${name} -> ${code}`, () => {
    expect(codeOf(view, options)).toBe(code);
  });
}

test('both UTXO forms present and agreeing: a legacy input is accepted with a verified amount', () => {
  const value = checkInputForSigning(in0).prevout.value;
  const c = checkInputForSigning({ ...in0, witnessUtxo: { script: p2sh(in0.redeemScript as Uint8Array), value } });
  expect(c.amountEvidence).toBe('non_witness_utxo');
});

test('taproot: DEFAULT when unset, DEFAULT and ALL accepted, witness_utxo enough even under the strict v0 option', () => {
  expect(checkInputForSigning(taprootView()).sighashType).toBe(0);
  expect(checkInputForSigning(taprootView({ sighashType: 0 })).sighashType).toBe(0);
  expect(checkInputForSigning(taprootView({ sighashType: 1 })).sighashType).toBe(1);
  expect(checkInputForSigning(taprootView(), { requireNonWitnessUtxoForSegwitV0: true })).toMatchObject({ spendType: 'p2tr', taproot: true, segwit: true });
});

test('the named opt-out lets a witness_utxo-only legacy input through, marked unverified', () => {
  const view = { ...in0, nonWitnessUtxo: undefined, witnessUtxo: { script: p2sh(in0.redeemScript as Uint8Array), value: 1000 } };
  expect(checkInputForSigning(view, { DANGER_allowWitnessUtxoForNonSegwit: true })).toMatchObject({ spendType: 'p2sh', amountEvidence: 'witness_utxo_only' });
});

test('checkStrictInput: index out of range', () => {
  for (const i of [-1, 2, 1.5, Number.NaN]) {
    let code: string | undefined;
    try {
      checkStrictInput(psbt, i);
    } catch (e) {
      code = (e as InputCheckError).code;
    }
    expect(code).toBe('input_index_out_of_range');
  }
});

test('inputFields: each input is read once per document and shared frozen; a document with a new entry is read afresh', () => {
  expect(inputFields(psbt, 0)).toBe(in0);
  expect(Object.isFrozen(in0) && Object.isFrozen(in0.partialSigs) && Object.isFrozen(in0.bip32Derivation)).toBe(true);
  expect(() => (in0.partialSigs as unknown[]).push(1)).toThrow(TypeError);
  // The engine's and the writer's way of adding an entry: a new document whose input map is a new array.
  const pubkey = in0.bip32Derivation[0]!.pubkey;
  const signed = withAddedInputEntries(psbt, [{ index: 0, entries: [partialSigEntry(pubkey, Uint8Array.of(0x30, 0x01))] }]);
  expect(inputFields(signed, 0).partialSigs.map((p) => p.pubkey)).toEqual([pubkey]);
  expect(in0.partialSigs).toEqual([]);
  // The same document object with a replaced map (nothing does this today) is not answered from the memo either.
  const copy: StrictPsbt = { ...psbt, inputs: psbt.inputs.slice() };
  expect(inputFields(copy, 1)).not.toBe(in1);
  expect(inputFields(copy, 1)).toEqual(in1);
  copy.inputs[1] = signed.inputs[0]!;
  expect(inputFields(copy, 1).partialSigs.length).toBe(1);
});

// ---- key membership and HD derivation, with the BIP174 master key ----

const master = bip32.fromBase58((bip174 as unknown as { masterKey: { tprv: string } }).masterKey.tprv, networks.testnet);
const signer1 = bip174.cases.find((c) => c.id === 'bip174-38');
const wifs = wifsOf(signer1?.keys);

test('assertKeyInInput: the BIP174 Signer 1 keys belong to their inputs, a foreign key does not', () => {
  expect(wifs.length).toBe(2);
  const keys = wifs.map((w) => ECPair.fromWIF(w, networks.testnet));
  const c0 = checkInputForSigning(in0);
  const c1 = checkInputForSigning(in1);
  const owns = (k: (typeof keys)[number]) => [0, 1].filter((i) => {
    try {
      assertKeyInInput(i === 0 ? c0 : c1, i === 0 ? in0 : in1, k.publicKey);
      return true;
    } catch (e) {
      expect((e as InputCheckError).code).toBe('input_key_not_in_script');
      return false;
    }
  });
  // Signer 1 holds one key of each 2-of-2.
  expect(keys.map(owns).sort()).toEqual([[0], [1]]);
  const foreign = ECPair.makeRandom();
  expect(owns(foreign)).toEqual([]);
});

test('deriveInputKey: finds the key by master fingerprint and path, refuses lies', () => {
  const { node, path } = deriveInputKey(0, master, in0.bip32Derivation);
  expect(in0.bip32Derivation.some((d) => Buffer.from(d.pubkey).equals(Buffer.from(node.publicKey)))).toBe(true);
  expect(path.startsWith("m/0'/0'/")).toBe(true);

  const codeFor = (derivs: Parameters<typeof deriveInputKey>[2]) => {
    try {
      deriveInputKey(0, master, derivs);
    } catch (e) {
      return (e as Bip174KeyError).code;
    }
    return undefined;
  };
  expect(codeFor(undefined)).toBe('input_bip32_derivation_missing');
  expect(codeFor([])).toBe('input_bip32_derivation_missing');
  expect(codeFor(in0.bip32Derivation.map((d) => ({ ...d, masterFingerprint: flip(d.masterFingerprint, 0) })))).toBe('input_bip32_fingerprint_missing');
  expect(codeFor(in0.bip32Derivation.map((d) => ({ ...d, pubkey: flip(d.pubkey, 10) })))).toBe('input_bip32_pubkey_mismatch');
  // A path that changes the derived key (last index + 1) is a lie about the key, not a new key.
  expect(codeFor(in0.bip32Derivation.map((d) => ({ ...d, path: d.path.map((n, k) => (k === d.path.length - 1 ? n + 1 : n)) })))).toBe('input_bip32_pubkey_mismatch');
});

// ---- BIP341 commitments, on the BIP371 vectors that carry leaf scripts and a merkle root ----

const tapDocs = loadVectors('bip371_taproot_vectors.json').cases
  .filter((c) => c.expect === 'valid')
  .map((c) => parsePsbtStrict(b64(c.psbtBase64 as string)));
const withLeaves = tapDocs.map((d) => inputFields(d, 0)).find((f) => f.tapLeafScript.length > 1 && f.tapMerkleRoot);
const keyOnly = tapDocs.map((d) => inputFields(d, 0)).find((f) => f.tapLeafScript.length === 0 && f.tapInternalKey);

test('BIP371 taproot inputs: leaf scripts and internal key commit to the output key', () => {
  expect(withLeaves).toBeDefined();
  expect(keyOnly).toBeDefined();
  expect(checkInputForSigning(withLeaves as InputFields).spendType).toBe('p2tr');
  expect(checkInputForSigning(keyOnly as InputFields).spendType).toBe('p2tr');
});

test('taproot commitment lies are refused', () => {
  const f = withLeaves as InputFields;
  const leaves = f.tapLeafScript;
  const first = leaves[0] as (typeof leaves)[number];
  const tamperLeaf = (patch: Partial<typeof first>) => ({ ...f, tapLeafScript: [{ ...first, ...patch }, ...leaves.slice(1)] });
  expect(codeOf(tamperLeaf({ script: flip(first.script, 0) }))).toBe('input_tap_leaf_mismatch');
  expect(codeOf(tamperLeaf({ controlBlock: flip(first.controlBlock, first.controlBlock.length - 1) }))).toBe('input_tap_leaf_mismatch');
  // Parity bit of the output key.
  expect(codeOf(tamperLeaf({ controlBlock: flip(first.controlBlock, 0) }))).toBe('input_tap_leaf_mismatch');
  expect(codeOf(tamperLeaf({ leafVersion: 0xc2 }))).toBe('input_tap_leaf_mismatch');
  expect(codeOf({ ...f, tapMerkleRoot: flip(f.tapMerkleRoot as Uint8Array, 3) })).toBe('input_tap_key_mismatch');
  const k = keyOnly as InputFields;
  expect(codeOf({ ...k, tapInternalKey: flip(k.tapInternalKey as Uint8Array, 31) })).toBe('input_tap_key_mismatch');
  // A merkle root claimed for a key-path-only output changes the tweak.
  expect(codeOf({ ...k, tapMerkleRoot: new Uint8Array(32) })).toBe('input_tap_key_mismatch');
});

// ---- whole-transaction sanity ----

/** The base document with its unsigned transaction edited (input/output maps stay as they are). */
function withUnsignedTx(edit: (tx: ParsedTx) => void): StrictPsbt {
  const utx = psbt.global.find((e) => e.keyType === 0x00) as RawEntry;
  const tx = parseTx(utx.value, 'unsigned tx', false);
  edit(tx);
  const global = psbt.global.map((e) => (e === utx ? { ...e, value: serializeTxNoWitness(tx) } : e));
  // One output map per output, as BIP174 requires; dropped outputs drop their maps.
  return parsePsbtStrict(serializePsbt({ ...psbt, global, outputs: psbt.outputs.slice(0, tx.outputs.length) }));
}

function txCode(p: StrictPsbt): string | undefined {
  try {
    checkTransactionForSigning(p);
  } catch (e) {
    expect(e).toBeInstanceOf(TransactionCheckError);
    return (e as TransactionCheckError).code;
  }
  return undefined;
}

test('transaction sanity: the BIP174 document passes; each broken rule has its code', () => {
  expect(txCode(psbt)).toBeUndefined();
  const dup = withUnsignedTx((tx) => {
    const a = tx.inputs[0] as ParsedTx['inputs'][number];
    tx.inputs[1] = { ...a, sequence: 0 };
  });
  expect(txCode(dup)).toBe('tx_duplicate_input');
  expect(txCode(withUnsignedTx((tx) => { (tx.outputs[0] as ParsedTx['outputs'][number]).value = MAX_MONEY + 1n; }))).toBe('tx_output_amount_invalid');
  // int64 -1 on the wire.
  expect(txCode(withUnsignedTx((tx) => { (tx.outputs[1] as ParsedTx['outputs'][number]).value = (1n << 64n) - 1n; }))).toBe('tx_output_amount_invalid');
  expect(txCode(withUnsignedTx((tx) => { for (const o of tx.outputs) o.value = MAX_MONEY; }))).toBe('tx_output_total_invalid');
  expect(txCode(withUnsignedTx((tx) => { tx.outputs.length = 0; }))).toBe('tx_no_outputs');
  const noInputs = bip174.cases.find((c) => c.id === 'bip174-30');
  expect(txCode(parsePsbtStrict(b64(noInputs?.psbtBase64 as string)))).toBe('tx_no_inputs');
});

test('an input amount beyond MAX_MONEY (or a negative int64) is refused', () => {
  expect(codeOf(taprootView({ witnessUtxo: { script: TAP_SPK, value: MAX_MONEY + 1n } }))).toBe('input_amount_invalid');
  expect(codeOf(taprootView({ witnessUtxo: { script: TAP_SPK, value: (1n << 64n) - 5n } }))).toBe('input_amount_invalid');
  expect(checkInputForSigning(taprootView({ witnessUtxo: { script: TAP_SPK, value: MAX_MONEY } })).prevout.value).toBe(MAX_MONEY);
});
