// Strict PSBT reader (BIP174 v0, BIP370 v2, BIP371 taproot fields, BIP373 MuSig2 fields).
//
// bitcoinjs-lib parses through the `bip174` package, which is lenient in places (it accepts trailing data, and
// some malformed fields only fail later or not at all). Everything that enters the signer passes through here
// first. The reader keeps the raw key-value maps in file order, so an accepted PSBT re-serializes to the identical
// bytes (HWI's conformance rule) and edits (adding a partial signature) can leave every other byte alone.
//
// Each check carries the BIP clause it enforces. Failures are PsbtFormatError, code `psbt_invalid`, with a message
// naming the map (global / input N / output N), the key type and why.
import {
  ByteReader,
  PsbtFormatError,
  bytesEqual,
  compactSizeBytes,
  compareBytes,
  concatBytes,
  fromBase64Strict,
  fromHexStrict,
  toHex,
} from './psbt-bytes';
import { FIELDS, fieldLabel, type MapKind } from './psbt-fields';
import { parseTx, txidHex, txidOf, type ParsedTx } from './psbt-tx';

export { PsbtFormatError } from './psbt-bytes';

/** BIP174: "magic bytes which are ASCII for psbt followed by a separator of 0xFF" = 0x70 0x73 0x62 0x74 0xFF. */
export const PSBT_MAGIC = Uint8Array.of(0x70, 0x73, 0x62, 0x74, 0xff);

/**
 * Refuse documents above this size before parsing. A BitGo PSBT with hundreds of inputs, each carrying its full
 * previous transaction, stays far below it; the limit only bounds memory on hostile input.
 */
export const MAX_PSBT_BYTES = 64 * 1024 * 1024;

export interface RawEntry {
  /** Key type (the CompactSize at the start of the key). */
  keyType: number;
  /** The whole key as serialized: <keytype><keydata>. Map keys are unique on these bytes. */
  key: Uint8Array;
  keyData: Uint8Array;
  value: Uint8Array;
}

export type RawMap = RawEntry[];

export interface TxView {
  version: number;
  /** v0: the unsigned tx's nLockTime. v2: the BIP370 computed locktime, or undefined when the inputs conflict. */
  locktime: number | undefined;
  inputs: { prevTxid: Uint8Array; prevIndex: number; sequence: number }[];
  outputs: { value: bigint; script: Uint8Array }[];
}

/** A rule the document breaks that does not stop it loading; for the review model to show. */
export interface PsbtWarning {
  code: string;
  /** Names the map and field, like error messages do. */
  message: string;
}

export interface StrictPsbt {
  version: 0 | 2;
  warnings: PsbtWarning[];
  global: RawMap;
  inputs: RawMap[];
  outputs: RawMap[];
  /** The transaction being signed, from PSBT_GLOBAL_UNSIGNED_TX (v0) or the v2 per-map fields. */
  tx: TxView;
}

// ---------------------------------------------------------------------------------------------------------------
// Text detection

export type PsbtEncoding = 'binary' | 'base64' | 'hex';

/**
 * Accepts a PSBT as raw bytes, base64 text or hex text and returns the binary document. Detection is by content,
 * never by file name: binary starts with the magic; base64 of the magic starts "cHNidP8"; hex of the magic starts
 * "70736274ff". Text may carry a UTF-8 byte-order mark and whitespace anywhere (editors add a BOM, and `base64`
 * wraps lines at 76 columns); the decoding itself is strict. Anything else is `psbt_encoding_unknown`.
 */
export function decodePsbtText(input: Uint8Array | string): { bytes: Uint8Array; encoding: PsbtEncoding } {
  if (typeof input !== 'string' && !(input instanceof Uint8Array)) {
    throw new PsbtFormatError('not a PSBT: expected bytes or text', 'psbt_encoding_unknown');
  }
  if (input instanceof Uint8Array) {
    if (input.length > MAX_PSBT_BYTES * 2) {
      throw new PsbtFormatError(`PSBT file is ${input.length} bytes, above the ${MAX_PSBT_BYTES * 2}-byte limit`, 'psbt_too_large');
    }
    if (startsWith(input, PSBT_MAGIC)) return { bytes: input, encoding: 'binary' };
    const body = startsWith(input, UTF8_BOM) ? input.subarray(UTF8_BOM.length) : input;
    // Text must be ASCII; decode only when every byte is printable or whitespace, so binary junk is not "text".
    for (const b of body) {
      if (b > 0x7e || (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d)) {
        throw new PsbtFormatError('not a PSBT: binary data without the PSBT magic bytes (70736274ff)', 'psbt_encoding_unknown');
      }
    }
    return decodePsbtText(new TextDecoder('utf-8', { fatal: true }).decode(body));
  }
  if (input.length > MAX_PSBT_BYTES * 2 + 1024 * 1024) {
    throw new PsbtFormatError(`PSBT text is ${input.length} characters, above the limit`, 'psbt_too_large');
  }
  const text = input.replace(/^\uFEFF/, '').replace(/[ \t\r\n]+/g, '');
  if (text.length > MAX_PSBT_BYTES * 2) {
    throw new PsbtFormatError(`PSBT text is ${text.length} characters, above the ${MAX_PSBT_BYTES * 2}-character limit`, 'psbt_too_large');
  }
  if (/^70736274ff/i.test(text)) {
    const bytes = fromHexStrict(text);
    if (!bytes) throw new PsbtFormatError('PSBT hex text is malformed (odd length or a non-hex character)', 'psbt_encoding_unknown');
    return { bytes, encoding: 'hex' };
  }
  if (text.startsWith('cHNidP8')) {
    const bytes = fromBase64Strict(text);
    if (!bytes) throw new PsbtFormatError('PSBT base64 text is malformed (bad character, padding or length)', 'psbt_encoding_unknown');
    return { bytes, encoding: 'base64' };
  }
  throw new PsbtFormatError('not a PSBT: expected binary, base64 ("cHNidP8...") or hex ("70736274ff...")', 'psbt_encoding_unknown');
}

const UTF8_BOM = Uint8Array.of(0xef, 0xbb, 0xbf);

function startsWith(b: Uint8Array, prefix: Uint8Array): boolean {
  return b.length >= prefix.length && bytesEqual(b.subarray(0, prefix.length), prefix);
}

// ---------------------------------------------------------------------------------------------------------------
// Reading

function mapLabel(kind: MapKind, index: number): string {
  return kind === 'global' ? 'global map' : `${kind} ${index}`;
}

/** Reads one key-value map up to its 0x00 separator, refusing duplicates and malformed known fields. */
function readMap(r: ByteReader, kind: MapKind, index: number, version: 0 | 2 | undefined): RawMap {
  const where = mapLabel(kind, index);
  const entries: RawMap = [];
  const seen = new Set<string>();
  for (;;) {
    if (r.atEnd()) throw new PsbtFormatError(`${where}: truncated, the map ends without its 0x00 separator`);
    // BIP174: <keypair> := <key> <value>; <key> := <keylen> <keytype> <keydata>. A zero keylen is the separator.
    const key = r.varBytes(`${where} key`);
    if (key.length === 0) break;
    const kr = new ByteReader(key, `${where} key`);
    const keyType = kr.compactSize('key type');
    const keyData = key.subarray(kr.offset);
    const value = r.varBytes(`${where} ${fieldLabel(kind, keyType)} value`);
    // BIP174: "Keys within each scope should never be duplicated; all keys in the format are unique. PSBTs
    // containing duplicate keys are invalid."
    const id = toHex(key);
    if (seen.has(id)) throw new PsbtFormatError(`${where}: duplicate key ${fieldLabel(kind, keyType)} (key ${shortHex(key)})`);
    seen.add(id);
    const entry: RawEntry = { keyType, key, keyData, value };
    if (version !== undefined) checkEntry(entry, kind, index, version);
    entries.push(entry);
  }
  return entries;
}

function shortHex(b: Uint8Array): string {
  const h = toHex(b);
  return h.length > 80 ? `${h.slice(0, 76)}...` : h;
}

function checkEntry(e: RawEntry, kind: MapKind, index: number, version: 0 | 2): void {
  const spec = FIELDS[kind].get(e.keyType);
  if (!spec) return; // BIP174: unknown keys are kept and passed on.
  const where = `${mapLabel(kind, index)} ${spec.name} (0x${e.keyType.toString(16).padStart(2, '0')})`;
  // BIP370 field tables: fields with "Versions Requiring Exclusion" 0 (the v2 tx fields) must not appear in v0
  // documents, and PSBT_GLOBAL_UNSIGNED_TX is excluded from v2.
  if (spec.versions === 'v2-only' && version === 0) throw new PsbtFormatError(`${where}: field is only allowed in PSBT version 2 (BIP370), this is version 0`);
  if (spec.versions === 'v0-only' && version === 2) throw new PsbtFormatError(`${where}: field must not appear in PSBT version 2 (BIP370)`);
  if (spec.keyDataLengths && !spec.keyDataLengths.includes(e.keyData.length)) {
    const want = spec.keyDataLengths.map((n) => (n === 0 ? 'no key data' : `${n} bytes of key data`)).join(' or ');
    throw new PsbtFormatError(`${where}: key must have ${want}, got ${e.keyData.length} bytes`);
  }
  spec.checkKeyData?.(e.keyData, `${where} key`);
  spec.checkValue?.(e.value, `${where}`, e.keyData);
}

function findSingle(map: RawMap, type: number): RawEntry | undefined {
  // Only for key types whose key data must be empty: uniqueness of the key makes the entry unique.
  return map.find((e) => e.keyType === type && e.keyData.length === 0);
}

function u32(value: Uint8Array): number {
  return new ByteReader(value, 'field').u32le('value');
}

function compactValue(value: Uint8Array, where: string): number {
  return new ByteReader(value, where).compactSize('count');
}

/**
 * Parses a binary PSBT strictly. Throws PsbtFormatError (`psbt_invalid`) naming the map, key type and reason.
 * An accepted document satisfies `serializePsbt(parsePsbtStrict(b))` equal to `b` byte for byte.
 */
export function parsePsbtStrict(bytes: Uint8Array): StrictPsbt {
  if (!(bytes instanceof Uint8Array)) throw new PsbtFormatError('PSBT must be given as bytes');
  if (bytes.length > MAX_PSBT_BYTES) throw new PsbtFormatError(`PSBT is ${bytes.length} bytes, above the ${MAX_PSBT_BYTES}-byte limit`, 'psbt_too_large');
  // BIP174: "<magic> := 0x70 0x73 0x62 0x74 0xFF".
  if (!startsWith(bytes, PSBT_MAGIC)) throw new PsbtFormatError('bad magic: the data does not start with the PSBT magic bytes 70736274ff');
  // Every byte string in the result is a view into this private copy, so a caller that later reuses or changes
  // its buffer cannot change a document that has already been checked (and perhaps reviewed).
  const own = bytes.slice();
  const r = new ByteReader(own.subarray(PSBT_MAGIC.length), 'PSBT');

  // The global map is read before its version is known; its entries are checked right after.
  const global = readMap(r, 'global', 0, undefined);
  const versionEntry = findSingle(global, 0xfb);
  let version: 0 | 2 = 0;
  if (versionEntry) {
    if (versionEntry.value.length !== 4) throw new PsbtFormatError(`global map PSBT_GLOBAL_VERSION (0xfb): value must be 4 bytes, got ${versionEntry.value.length}`);
    const v = u32(versionEntry.value);
    // BIP174 "Version Numbers": "If a parser encounters a version number it does not recognize, it should exit
    // immediately". Only 0 (BIP174) and 2 (BIP370) are defined.
    if (v !== 0 && v !== 2) throw new PsbtFormatError(`global map PSBT_GLOBAL_VERSION (0xfb): unsupported PSBT version ${v} (only 0 and 2 are defined)`, 'psbt_invalid');
    version = v;
  }
  for (const e of global) checkEntry(e, 'global', 0, version);

  let tx: TxView;
  let nIn: number;
  let nOut: number;
  let unsigned: ParsedTx | undefined;
  if (version === 0) {
    // BIP174 "Version 0": "Version 0 PSBTs must include PSBT_GLOBAL_UNSIGNED_TX, if omitted, the PSBT is invalid."
    const utx = findSingle(global, 0x00);
    if (!utx) throw new PsbtFormatError('global map: PSBT_GLOBAL_UNSIGNED_TX (0x00) is missing; version 0 requires the unsigned transaction');
    unsigned = parseTx(utx.value, 'global map PSBT_GLOBAL_UNSIGNED_TX (0x00) unsigned tx', false);
    // BIP174 PSBT_GLOBAL_UNSIGNED_TX: "The scriptSigs and witnesses for each input must be empty. The transaction
    // must be in the old serialization format (without witnesses)." (The format is enforced by parseTx.)
    unsigned.inputs.forEach((i, n) => {
      if (i.scriptSig.length > 0) throw new PsbtFormatError(`global map PSBT_GLOBAL_UNSIGNED_TX (0x00): input ${n} of the unsigned tx has a non-empty scriptSig (${i.scriptSig.length} bytes); BIP174 requires empty scriptSigs`);
    });
    nIn = unsigned.inputs.length;
    nOut = unsigned.outputs.length;
    tx = {
      version: unsigned.version,
      locktime: unsigned.locktime,
      inputs: unsigned.inputs.map((i) => ({ prevTxid: i.prevTxid, prevIndex: i.prevIndex, sequence: i.sequence })),
      outputs: unsigned.outputs.map((o) => ({ value: o.value, script: o.script })),
    };
  } else {
    // BIP370: PSBT_GLOBAL_TX_VERSION, PSBT_GLOBAL_INPUT_COUNT and PSBT_GLOBAL_OUTPUT_COUNT are required in v2.
    const txv = requireGlobal(global, 0x02);
    nIn = compactValue(requireGlobal(global, 0x04).value, 'global map PSBT_GLOBAL_INPUT_COUNT');
    nOut = compactValue(requireGlobal(global, 0x05).value, 'global map PSBT_GLOBAL_OUTPUT_COUNT');
    // Each map needs at least its separator byte; refuse impossible counts before reading.
    if (nIn + nOut > r.remaining) throw new PsbtFormatError(`global map: PSBT declares ${nIn} inputs and ${nOut} outputs but only ${r.remaining} bytes follow`);
    tx = { version: u32(txv.value) | 0, locktime: undefined, inputs: [], outputs: [] };
  }

  const inputs: RawMap[] = [];
  for (let i = 0; i < nIn; i++) inputs.push(readMap(r, 'input', i, version));
  const outputs: RawMap[] = [];
  for (let i = 0; i < nOut; i++) outputs.push(readMap(r, 'output', i, version));
  // BIP174 has no room for anything after the last output map; Bitcoin Core: "extra data after PSBT".
  if (!r.atEnd()) throw new PsbtFormatError(`PSBT: ${r.remaining} bytes of extra data after the last output map (the document declares ${nIn} inputs and ${nOut} outputs)`);

  if (version === 2) {
    inputs.forEach((m, i) => {
      // BIP370: PSBT_IN_PREVIOUS_TXID and PSBT_IN_OUTPUT_INDEX are required in v2.
      const prev = requireIn(m, 'input', i, 0x0e);
      const idx = requireIn(m, 'input', i, 0x0f);
      const seq = findSingle(m, 0x10);
      // BIP174/370 PSBT_IN_SEQUENCE: "If omitted, the sequence number is assumed to be the final sequence number
      // (0xffffffff)."
      tx.inputs.push({ prevTxid: prev.value, prevIndex: u32(idx.value), sequence: seq ? u32(seq.value) : 0xffffffff });
    });
    outputs.forEach((m, i) => {
      // BIP370: PSBT_OUT_AMOUNT and PSBT_OUT_SCRIPT are required in v2.
      const amt = requireIn(m, 'output', i, 0x03);
      const spk = requireIn(m, 'output', i, 0x04);
      tx.outputs.push({ value: new ByteReader(amt.value, `output ${i}`).u64le('amount'), script: spk.value });
    });
    const lt = computeLocktimeV2(global, inputs);
    tx.locktime = lt.ok ? lt.locktime : undefined;
  }

  // Bitcoin Core (PartiallySignedTransaction::Unserialize) refuses a NON_WITNESS_UTXO that is not the transaction
  // the input spends: "Non-witness UTXO does not match outpoint hash" / "Input specifies output index that does
  // not exist". BIP174 makes the same check a Signer duty; doing it at parse time means no later stage can
  // accidentally read amounts from an unrelated transaction.
  inputs.forEach((m, i) => {
    const nwu = findSingle(m, 0x00);
    const outpoint = tx.inputs[i];
    if (!nwu || !outpoint) return;
    const prev = parseTx(nwu.value, `input ${i} PSBT_IN_NON_WITNESS_UTXO (0x00)`, true);
    const txid = txidOf(prev);
    if (!bytesEqual(txid, outpoint.prevTxid)) {
      throw new PsbtFormatError(`input ${i} PSBT_IN_NON_WITNESS_UTXO (0x00): previous transaction ${txidHex(txid)} is not the one the input spends (${txidHex(outpoint.prevTxid)})`);
    }
    if (outpoint.prevIndex >= prev.outputs.length) {
      throw new PsbtFormatError(`input ${i} PSBT_IN_NON_WITNESS_UTXO (0x00): the input spends output ${outpoint.prevIndex} but the previous transaction has only ${prev.outputs.length} outputs`);
    }
  });

  const warnings: PsbtWarning[] = [];
  // BIP174 PSBT_GLOBAL_XPUB: "The number of 32 bit unsigned integer indexes must match the depth provided in the
  // extended public key." A warning, not a refusal: BitGo's requests for wallets whose keys come from a
  // derivationSeed carry depth-3 xpubs with an empty path (test/fixtures/bitgo p2wsh-derivation-seed), and a
  // BitGo-compatible signer must load them. The mismatch only weakens change detection from the global xpubs.
  global.forEach((e) => {
    if (e.keyType !== 0x01) return;
    const depth = e.keyData[4] as number;
    const steps = (e.value.length - 4) / 4;
    if (steps !== depth) {
      warnings.push({ code: 'psbt_xpub_depth_mismatch', message: `global map PSBT_GLOBAL_XPUB (0x01): derivation path has ${steps} steps but the extended public key's depth is ${depth}` });
    }
  });

  return { version, warnings, global, inputs, outputs, tx };
}

function requireGlobal(global: RawMap, type: number): RawEntry {
  const e = findSingle(global, type);
  if (!e) throw new PsbtFormatError(`global map: ${fieldLabel('global', type)} is required in PSBT version 2 (BIP370) but missing`);
  return e;
}

function requireIn(map: RawMap, kind: 'input' | 'output', i: number, type: number): RawEntry {
  const e = findSingle(map, type);
  if (!e) throw new PsbtFormatError(`${kind} ${i}: ${fieldLabel(kind, type)} is required in PSBT version 2 (BIP370) but missing`);
  return e;
}

// ---------------------------------------------------------------------------------------------------------------
// BIP370 "Determining Lock Time"

type LocktimeResult = { ok: true; locktime: number } | { ok: false; reason: string };

function computeLocktimeV2(global: RawMap, inputs: RawMap[]): LocktimeResult {
  const fallbackEntry = findSingle(global, 0x03);
  // "If PSBT_GLOBAL_FALLBACK_LOCKTIME is not provided, then it is assumed to be 0."
  const fallback = fallbackEntry ? u32(fallbackEntry.value) : 0;
  let anyLock = false;
  let heightPossible = true;
  let timePossible = true;
  let maxHeight = 0;
  let maxTime = 0;
  for (const m of inputs) {
    const t = findSingle(m, 0x11);
    const h = findSingle(m, 0x12);
    if (!t && !h) continue; // "Inputs not specifying a lock time field can take both types of lock times".
    anyLock = true;
    if (t) maxTime = Math.max(maxTime, u32(t.value));
    else timePossible = false;
    if (h) maxHeight = Math.max(maxHeight, u32(h.value));
    else heightPossible = false;
  }
  // "If none of the inputs have a PSBT_IN_REQUIRED_TIME_LOCKTIME and PSBT_IN_REQUIRED_HEIGHT_LOCKTIME, then
  // PSBT_GLOBAL_FALLBACK_LOCKTIME must be used."
  if (!anyLock) return { ok: true, locktime: fallback };
  // "If a PSBT has both types of locktimes possible ... then locktime determined by looking at the
  // PSBT_IN_REQUIRED_HEIGHT_LOCKTIME fields of the inputs must be chosen."
  if (heightPossible) return { ok: true, locktime: maxHeight };
  // "The lock time chosen is then the maximum value of the chosen type of lock time."
  if (timePossible) return { ok: true, locktime: maxTime };
  return { ok: false, reason: 'some inputs require a height locktime and others a time locktime; no single nLockTime satisfies both' };
}

/**
 * The nLockTime of the transaction a PSBT describes. v0: the unsigned tx's field. v2: the BIP370 algorithm; when
 * the inputs' requirements cannot be met together, PsbtFormatError `psbt_locktime_conflict`.
 */
export function determineLocktime(psbt: StrictPsbt): number {
  if (psbt.version === 0) return psbt.tx.locktime ?? 0;
  const lt = computeLocktimeV2(psbt.global, psbt.inputs);
  if (!lt.ok) throw new PsbtFormatError(`PSBT version 2 locktime: ${lt.reason} (BIP370 "Determining Lock Time")`, 'psbt_locktime_conflict');
  return lt.locktime;
}

// ---------------------------------------------------------------------------------------------------------------
// Writing

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
 * output relates to its request in every fixture (test/unit/psbt-bitgo.spec.ts), so signing through this helper
 * gives byte-identical responses. Entries are re-checked by parsing the result.
 */
export function withInputEntries(psbt: StrictPsbt, index: number, entries: readonly RawEntry[]): StrictPsbt {
  return withAddedInputEntries(psbt, [{ index, entries }]);
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
      if (e.keyType === 0x02 || e.keyType === 0x13 || e.keyType === 0x14) signed = true;
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

// ---------------------------------------------------------------------------------------------------------------
// Decoded views of the fields the signer needs (plain objects; bytes stay views into the parsed document).

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
}

function keyOrigin(v: Uint8Array): { masterFingerprint: Uint8Array; path: number[] } {
  const path: number[] = [];
  for (let o = 4; o + 4 <= v.length; o += 4) path.push(u32(v.subarray(o, o + 4)));
  return { masterFingerprint: v.subarray(0, 4), path };
}

/** The signer-relevant fields of input `index` of a parsed document. */
export function inputFields(psbt: StrictPsbt, index: number): InputFields {
  const map = psbt.inputs[index];
  const outpoint = psbt.tx.inputs[index];
  if (!map || !outpoint) throw new PsbtFormatError(`input ${index}: the PSBT has only ${psbt.inputs.length} inputs`, 'input_index_out_of_range');
  const f: InputFields = {
    index,
    prevTxid: outpoint.prevTxid,
    prevIndex: outpoint.prevIndex,
    sequence: outpoint.sequence,
    partialSigs: [],
    bip32Derivation: [],
    tapLeafScript: [],
    tapScriptSig: [],
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
      case 0x17: if (empty) f.tapInternalKey = e.value; break;
      case 0x18: if (empty) f.tapMerkleRoot = e.value; break;
      default: break;
    }
  }
  return f;
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
  tapBip32Derivation: { xOnlyPubkey: Uint8Array; leafHashes: Uint8Array[]; masterFingerprint: Uint8Array; path: number[] }[];
}

/** The change-verification fields of output `index` (amount and script from the tx view). */
export function outputFields(psbt: StrictPsbt, index: number): OutputFields {
  const map = psbt.outputs[index];
  const out = psbt.tx.outputs[index];
  if (!map || !out) throw new PsbtFormatError(`output ${index}: the PSBT has only ${psbt.outputs.length} outputs`, 'output_index_out_of_range');
  const f: OutputFields = { index, value: out.value, script: out.script, bip32Derivation: [], tapBip32Derivation: [] };
  for (const e of map) {
    const empty = e.keyData.length === 0;
    switch (e.keyType) {
      case 0x00: if (empty) f.redeemScript = e.value; break;
      case 0x01: if (empty) f.witnessScript = e.value; break;
      case 0x02: f.bip32Derivation.push({ pubkey: e.keyData, ...keyOrigin(e.value) }); break;
      case 0x05: if (empty) f.tapInternalKey = e.value; break;
      case 0x06: if (empty) f.tapTree = e.value; break;
      case 0x07: {
        const r = new ByteReader(e.value, `output ${index} tap bip32 derivation`);
        const n = r.compactSize('leaf hash count');
        const leafHashes: Uint8Array[] = [];
        for (let k = 0; k < n; k++) leafHashes.push(r.bytesN(32, 'leaf hash'));
        f.tapBip32Derivation.push({ xOnlyPubkey: e.keyData, leafHashes, ...keyOrigin(e.value.subarray(r.offset)) });
        break;
      }
      default: break;
    }
  }
  return f;
}

/** PSBT_GLOBAL_XPUB entries: the 78-byte serialized xpub and its key origin. */
export function globalXpubs(psbt: StrictPsbt): { xpub: Uint8Array; masterFingerprint: Uint8Array; path: number[] }[] {
  return psbt.global.filter((e) => e.keyType === 0x01).map((e) => ({ xpub: e.keyData, ...keyOrigin(e.value) }));
}
