// Writing PSBTs: the raw maps serialized in their stored order, and the constructors of the entries a signer adds.
// A parsed document serializes back to its own bytes; a signed one is the original plus exactly the new entries.
import { bytesEqual, compactSizeBytes, compareBytes, concatBytes } from '../util/bytes';
import { PsbtFormatError } from './byte-reader';
import { parsePsbtStrict, PSBT_MAGIC, shortHex, type RawEntry, type RawMap, type StrictPsbt } from './psbt-strict';

function serializeMap(map: RawMap): Uint8Array[] {
  const parts: Uint8Array[] = [];
  for (const e of map) parts.push(compactSizeBytes(e.key.length), e.key, compactSizeBytes(e.value.length), e.value);
  parts.push(Uint8Array.of(0x00));
  return parts;
}

/** Serializes the raw maps in their stored order. For a parsed document this gives back the original bytes. */
export function serializePsbt(psbt: Pick<StrictPsbt, 'global' | 'inputs' | 'outputs'>): Uint8Array {
  const parts: Uint8Array[] = [PSBT_MAGIC, ...serializeMap(psbt.global)];
  for (const m of psbt.inputs) parts.push(...serializeMap(m));
  for (const m of psbt.outputs) parts.push(...serializeMap(m));
  return concatBytes(parts);
}

/**
 * Returns a copy of `map` with `entry` added, placed before the first entry whose key sorts after it (so a map in
 * the usual ascending key order stays in that order and nothing else moves). Refuses an existing key: BIP174 keys
 * are unique, and silently replacing a signature would hide a conflict.
 */
export function insertEntry(map: RawMap, entry: RawEntry, where: string): RawMap {
  if (map.some((e) => bytesEqual(e.key, entry.key))) throw new PsbtFormatError(`${where}: key ${shortHex(entry.key)} is already present`, 'psbt_duplicate_key');
  const at = map.findIndex((e) => compareBytes(e.key, entry.key) > 0);
  const out = map.slice();
  out.splice(at === -1 ? out.length : at, 0, entry);
  return out;
}

/** A PSBT_IN_PARTIAL_SIG entry (BIP174 key {0x02}|{pubkey}, value {signature incl. sighash byte}). */
export function partialSigEntry(pubkey: Uint8Array, signature: Uint8Array): RawEntry {
  const key = concatBytes([Uint8Array.of(0x02), pubkey]);
  return { keyType: 0x02, key, keyData: key.subarray(1), value: signature };
}

/** A PSBT_IN_TAP_SCRIPT_SIG entry (BIP371 key {0x14}|{xonlypubkey}|{leafhash}, value 64/65-byte signature). */
export function tapScriptSigEntry(xOnlyPubkey: Uint8Array, leafHash: Uint8Array, signature: Uint8Array): RawEntry {
  const key = concatBytes([Uint8Array.of(0x14), xOnlyPubkey, leafHash]);
  return { keyType: 0x14, key, keyData: key.subarray(1), value: signature };
}

/** A PSBT_IN_TAP_KEY_SIG entry (BIP371 key {0x13}, value 64/65-byte signature). */
export function tapKeySigEntry(signature: Uint8Array): RawEntry {
  const key = Uint8Array.of(0x13);
  return { keyType: 0x13, key, keyData: key.subarray(1), value: signature };
}

/**
 * A proprietary entry (BIP174 key {0xFC}|<compact identifier length><identifier><compact subtype><key data>), the
 * form BitGo uses for its MuSig2 nonces and partial signatures.
 */
export function proprietaryEntry(identifier: Uint8Array, subtype: number, keyData: Uint8Array, value: Uint8Array): RawEntry {
  const key = concatBytes([Uint8Array.of(0xfc), compactSizeBytes(identifier.length), identifier, compactSizeBytes(subtype), keyData]);
  return { keyType: 0xfc, key, keyData: key.subarray(1), value };
}

/**
 * A copy of `psbt` with `entries` added to input `index` by insertEntry (key order, nothing else moves; for a v2
 * document that gains a signature, PSBT_GLOBAL_TX_MODIFIABLE is updated as BIP370 requires). A v0 result
 * serializes to the original bytes plus exactly the new key-value pairs: this is how BitGo's own signer
 * output relates to its request in every fixture (test/unit/intake/bip174-bitgo-fixtures.spec.ts), so signing
 * through this helper gives byte-identical responses. Entries are re-checked by parsing the result.
 */
export function withInputEntries(psbt: StrictPsbt, index: number, entries: readonly RawEntry[]): StrictPsbt {
  return withAddedInputEntries(psbt, [{ index, entries }]);
}

const BITGO_PARTIAL_SIG_PREFIX = Uint8Array.of(0xfc, 0x05, 0x42, 0x49, 0x54, 0x47, 0x4f, 0x03); // 0xFC|05|"BITGO"|0x03

/** BitGo's MuSig2 partial signature (a proprietary entry, intake/musig2-fields.ts): a signature as BIP370 counts. */
function isBitgoPartialSig(e: RawEntry): boolean {
  return e.keyType === 0xfc && e.key.length > BITGO_PARTIAL_SIG_PREFIX.length && bytesEqual(e.key.subarray(0, BITGO_PARTIAL_SIG_PREFIX.length), BITGO_PARTIAL_SIG_PREFIX);
}

/** withInputEntries for many inputs at once, with one re-read of the result (large documents stay linear). */
export function withAddedInputEntries(psbt: StrictPsbt, additions: readonly { index: number; entries: readonly RawEntry[] }[]): StrictPsbt {
  const inputs = psbt.inputs.slice();
  let signed = false;
  for (const { index, entries } of additions) {
    const map = inputs[index];
    if (!map) throw new PsbtFormatError(`input ${index}: the PSBT has only ${psbt.inputs.length} inputs`, 'input_index_out_of_range');
    let next = map;
    for (const e of entries) {
      next = insertEntry(next, e, `input ${index}`);
      if (e.keyType === 0x02 || e.keyType === 0x13 || e.keyType === 0x14 || isBitgoPartialSig(e)) signed = true;
    }
    inputs[index] = next;
  }
  let global = psbt.global;
  if (psbt.version === 2 && signed) {
    // BIP370 Signer: "a signer must update the PSBT_GLOBAL_TX_MODIFIABLE field after signing inputs". This project
    // signs only SIGHASH_ALL / SIGHASH_DEFAULT: "If the Signer added a signature that does not use
    // SIGHASH_ANYONECANPAY, the Input Modifiable flag must be set to False. If the Signer added a signature that
    // does not use SIGHASH_NONE, the Outputs Modifiable flag must be set to False." (bits 0 and 1). An absent
    // field already means nothing may be added.
    global = global.map((e) =>
      e.keyType === 0x06 && e.keyData.length === 0 && e.value.length === 1
        ? { ...e, value: Uint8Array.of((e.value[0] as number) & ~0x03) }
        : e,
    );
  }
  // Re-read the whole document so an entry with a malformed key or value can never be written out.
  return parsePsbtStrict(serializePsbt({ ...psbt, global, inputs }));
}
