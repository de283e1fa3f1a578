// Strict PSBT reader (BIP174 v0, BIP370 v2, BIP371 taproot fields, BIP373 MuSig2 fields).
//
// bitcoinjs-lib parses through the `bip174` package, which is lenient in places (it accepts trailing data, and
// some malformed fields only fail later or not at all). Everything that enters the signer passes through here
// first. The reader keeps the raw key-value maps in file order, so an accepted PSBT re-serializes to the identical
// bytes (HWI's conformance rule) and edits (adding a partial signature) can leave every other byte alone.
//
// Each check carries the BIP clause it enforces. Failures are PsbtFormatError, code `psbt_invalid`, with a message
// naming the map (global / input N / output N), the key type and why.
import type { ReviewWarningCode } from '../../shared/error-codes';
import { bytesEqual, fromBase64Strict, fromHexStrict, toHex } from '../util/bytes';
import { ByteReader, PsbtFormatError } from './byte-reader';
import { FIELDS, fieldLabel, type MapKind } from './psbt-fields';
import { parseTx, txidHex, txidOf, type ParsedTx } from './psbt-tx';

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
  code: ReviewWarningCode;
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

/** A key or value for an error message, cut to 80 hex digits. */
export function shortHex(b: Uint8Array): string {
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

/** A 4-byte little-endian field value. */
export function u32(value: Uint8Array): number {
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
 * the inputs' requirements cannot be met together, PsbtFormatError `locktime_conflict`.
 */
export function determineLocktime(psbt: StrictPsbt): number {
  if (psbt.version === 0) return psbt.tx.locktime ?? 0;
  const lt = computeLocktimeV2(psbt.global, psbt.inputs);
  if (!lt.ok) throw new PsbtFormatError(`PSBT version 2 locktime: ${lt.reason} (BIP370 "Determining Lock Time")`, 'locktime_conflict');
  return lt.locktime;
}
