// Decoded views of the PSBT fields the review and the signer read: plain objects whose bytes stay views into the
// parsed document. The strict reader has already validated every field's shape, so these only decode.
import { ByteReader, PsbtFormatError } from './byte-reader';
import { u32, type RawMap, type StrictPsbt } from './psbt-strict';

export interface InputFields {
  index: number;
  prevTxid: Uint8Array;
  prevIndex: number;
  sequence: number;
  nonWitnessUtxo?: Uint8Array;
  witnessUtxo?: { script: Uint8Array; value: bigint };
  partialSigs: { pubkey: Uint8Array; signature: Uint8Array }[];
  sighashType?: number;
  redeemScript?: Uint8Array;
  witnessScript?: Uint8Array;
  bip32Derivation: { pubkey: Uint8Array; masterFingerprint: Uint8Array; path: number[] }[];
  finalScriptSig?: Uint8Array;
  finalScriptWitness?: Uint8Array;
  tapKeySig?: Uint8Array;
  tapInternalKey?: Uint8Array;
  tapMerkleRoot?: Uint8Array;
  tapLeafScript: { controlBlock: Uint8Array; script: Uint8Array; leafVersion: number }[];
  tapScriptSig: { pubkey: Uint8Array; leafHash: Uint8Array; signature: Uint8Array }[];
  tapBip32Derivation: TapBip32Derivation[];
}

/** PSBT_IN_TAP_BIP32_DERIVATION / PSBT_OUT_TAP_BIP32_DERIVATION (BIP371): x-only key, leaf hashes, key origin. */
export interface TapBip32Derivation {
  xOnlyPubkey: Uint8Array;
  leafHashes: Uint8Array[];
  masterFingerprint: Uint8Array;
  path: number[];
}

/** BIP371: value <compact size #hashes><32-byte leaf hashes><4-byte fingerprint><path>. */
function tapBip32Derivation(keyData: Uint8Array, value: Uint8Array, where: string): TapBip32Derivation {
  const r = new ByteReader(value, where);
  const n = r.compactSize('leaf hash count');
  const leafHashes: Uint8Array[] = [];
  for (let k = 0; k < n; k++) leafHashes.push(r.bytesN(32, 'leaf hash'));
  return { xOnlyPubkey: keyData, leafHashes, ...keyOrigin(value.subarray(r.offset)) };
}

function keyOrigin(v: Uint8Array): { masterFingerprint: Uint8Array; path: number[] } {
  const path: number[] = [];
  for (let o = 4; o + 4 <= v.length; o += 4) path.push(u32(v.subarray(o, o + 4)));
  return { masterFingerprint: v.subarray(0, 4), path };
}

// Each input's fields, by document: the review, the wallet validation and the engine each read every input (three
// decodes of the same maps were 27 ms of a 500-input sign). An entry is used only while the document still holds the
// very map and outpoint it was read from, so a document rebuilt with new entries (the engine, the writer) is read
// afresh. The fields are frozen: every reader shares them, as they already share the document's bytes.
const readFields = new WeakMap<StrictPsbt, { map: RawMap; outpoint: StrictPsbt['tx']['inputs'][number]; fields: InputFields }[]>();

/** The signer-relevant fields of input `index` of a parsed document (read once, then shared; frozen). */
export function inputFields(psbt: StrictPsbt, index: number): InputFields {
  const map = psbt.inputs[index];
  const outpoint = psbt.tx.inputs[index];
  if (!map || !outpoint) throw new PsbtFormatError(`input ${index}: the PSBT has only ${psbt.inputs.length} inputs`, 'input_index_out_of_range');
  let memo = readFields.get(psbt);
  if (!memo) readFields.set(psbt, (memo = []));
  const known = memo[index];
  if (known && known.map === map && known.outpoint === outpoint) return known.fields;
  const fields = decodeInput(map, outpoint, index);
  memo[index] = { map, outpoint, fields };
  return fields;
}

function decodeInput(map: RawMap, outpoint: StrictPsbt['tx']['inputs'][number], index: number): InputFields {
  const f: InputFields = {
    index,
    prevTxid: outpoint.prevTxid,
    prevIndex: outpoint.prevIndex,
    sequence: outpoint.sequence,
    partialSigs: [],
    bip32Derivation: [],
    tapLeafScript: [],
    tapScriptSig: [],
    tapBip32Derivation: [],
  };
  for (const e of map) {
    const empty = e.keyData.length === 0;
    switch (e.keyType) {
      case 0x00: if (empty) f.nonWitnessUtxo = e.value; break;
      case 0x01:
        if (empty) {
          const r = new ByteReader(e.value, `input ${index} witness utxo`);
          const value = r.u64le('amount');
          f.witnessUtxo = { value, script: r.varBytes('script') };
        }
        break;
      case 0x02: f.partialSigs.push({ pubkey: e.keyData, signature: e.value }); break;
      case 0x03: if (empty) f.sighashType = u32(e.value); break;
      case 0x04: if (empty) f.redeemScript = e.value; break;
      case 0x05: if (empty) f.witnessScript = e.value; break;
      case 0x06: f.bip32Derivation.push({ pubkey: e.keyData, ...keyOrigin(e.value) }); break;
      case 0x07: if (empty) f.finalScriptSig = e.value; break;
      case 0x08: if (empty) f.finalScriptWitness = e.value; break;
      case 0x13: if (empty) f.tapKeySig = e.value; break;
      case 0x14: f.tapScriptSig.push({ pubkey: e.keyData.subarray(0, 32), leafHash: e.keyData.subarray(32), signature: e.value }); break;
      case 0x15:
        f.tapLeafScript.push({ controlBlock: e.keyData, script: e.value.subarray(0, e.value.length - 1), leafVersion: e.value[e.value.length - 1] as number });
        break;
      case 0x16: f.tapBip32Derivation.push(tapBip32Derivation(e.keyData, e.value, `input ${index} tap bip32 derivation`)); break;
      case 0x17: if (empty) f.tapInternalKey = e.value; break;
      case 0x18: if (empty) f.tapMerkleRoot = e.value; break;
      default: break;
    }
  }
  for (const list of [f.partialSigs, f.bip32Derivation, f.tapLeafScript, f.tapScriptSig, f.tapBip32Derivation]) Object.freeze(list);
  return Object.freeze(f);
}

export interface OutputFields {
  index: number;
  value: bigint;
  script: Uint8Array;
  redeemScript?: Uint8Array;
  witnessScript?: Uint8Array;
  bip32Derivation: { pubkey: Uint8Array; masterFingerprint: Uint8Array; path: number[] }[];
  tapInternalKey?: Uint8Array;
  tapTree?: Uint8Array;
  tapBip32Derivation: TapBip32Derivation[];
  /** PSBT_OUT_PROPRIETARY entries (BitGo's PayGo address proof is one: review/paygo.ts). */
  proprietary: ProprietaryEntry[];
}

/**
 * BIP174 proprietary entry: key {0xFC}|<compact size identifier length><identifier><compact size subtype><key data>,
 * value as given. The strict reader has checked the key's identifier and subtype can be read.
 */
export interface ProprietaryEntry {
  identifier: Uint8Array;
  subtype: number;
  keyData: Uint8Array;
  value: Uint8Array;
}

function proprietaryEntry(keyData: Uint8Array, value: Uint8Array, where: string): ProprietaryEntry {
  const r = new ByteReader(keyData, where);
  const identifier = r.varBytes('identifier');
  const subtype = r.compactSize('subtype');
  return { identifier, subtype, keyData: keyData.subarray(r.offset), value };
}

/** The change-verification fields of output `index` (amount and script from the tx view). */
export function outputFields(psbt: StrictPsbt, index: number): OutputFields {
  const map = psbt.outputs[index];
  const out = psbt.tx.outputs[index];
  if (!map || !out) throw new PsbtFormatError(`output ${index}: the PSBT has only ${psbt.outputs.length} outputs`, 'output_index_out_of_range');
  const f: OutputFields = { index, value: out.value, script: out.script, bip32Derivation: [], tapBip32Derivation: [], proprietary: [] };
  for (const e of map) {
    const empty = e.keyData.length === 0;
    switch (e.keyType) {
      case 0x00: if (empty) f.redeemScript = e.value; break;
      case 0x01: if (empty) f.witnessScript = e.value; break;
      case 0x02: f.bip32Derivation.push({ pubkey: e.keyData, ...keyOrigin(e.value) }); break;
      case 0x05: if (empty) f.tapInternalKey = e.value; break;
      case 0x06: if (empty) f.tapTree = e.value; break;
      case 0x07: f.tapBip32Derivation.push(tapBip32Derivation(e.keyData, e.value, `output ${index} tap bip32 derivation`)); break;
      case 0xfc: f.proprietary.push(proprietaryEntry(e.keyData, e.value, `output ${index} proprietary key`)); break;
      default: break;
    }
  }
  return f;
}

/** PSBT_GLOBAL_XPUB entries: the 78-byte serialized xpub and its key origin. */
export function globalXpubs(psbt: StrictPsbt): { xpub: Uint8Array; masterFingerprint: Uint8Array; path: number[] }[] {
  return psbt.global.filter((e) => e.keyType === 0x01).map((e) => ({ xpub: e.keyData, ...keyOrigin(e.value) }));
}
