// The known PSBT key types (BIP174, BIP370 v2 fields, BIP371 taproot fields, BIP373 MuSig2 fields) with the shape
// rules each BIP states for its key data and value. One table per map, so a reviewer can hold each row against the
// BIP's field table. BIP174: "All keys must have the data that they specify. If any key or value does not match
// the specified format for that type, the PSBT must be considered invalid." Unknown key types are not listed:
// BIP174: "If the signer encounters key-value pairs that it does not understand, it must pass those key-value pairs
// through when re-serializing the transaction."
import { ecc, isPointMemo } from '../crypto/ecc';
import { hash160, hash256, ripemd160, sha256 } from '../crypto/hash';
import { bytesEqual } from '../util/bytes';
import { ByteReader, PsbtFormatError } from './byte-reader';
import { parseTx, readWitnessStack } from './psbt-tx';

export type MapKind = 'global' | 'input' | 'output';

/** Which PSBT versions a field may appear in (BIP370 "Versions Requiring Inclusion / Allowing Inclusion"). */
export type VersionRule = 'all' | 'v0-only' | 'v2-only';

export interface FieldSpec {
  name: string;
  /** Allowed key-data lengths; [0] means "no key data" (BIP174: "{0xNN}" keys with nothing after the type). */
  keyDataLengths?: readonly number[];
  /** Extra key-data check beyond its length (valid point, control block shape, ...). */
  checkKeyData?: (keyData: Uint8Array, where: string) => void;
  /** Value check; throws PsbtFormatError naming `where`. */
  checkValue?: (value: Uint8Array, where: string, keyData: Uint8Array) => void;
  versions: VersionRule;
}

// ---- small assert helpers: each names the field and says what came ----

function fail(where: string, why: string): never {
  throw new PsbtFormatError(`${where}: ${why}`);
}

function valueLength(allowed: readonly number[]) {
  return (value: Uint8Array, where: string): void => {
    if (!allowed.includes(value.length)) fail(where, `value must be ${allowed.join(' or ')} bytes, got ${value.length}`);
  };
}

/** A serialized secp256k1 public key as Bitcoin Core accepts it (CPubKey::IsFullyValid): 33 or 65 bytes, on the curve. */
function assertEcdsaPubkey(b: Uint8Array, where: string): void {
  if (b.length !== 33 && b.length !== 65) fail(where, `public key must be 33 or 65 bytes, got ${b.length}`);
  if (!isPointMemo(b)) fail(where, 'public key is not a valid secp256k1 point');
}

function assertCompressedPubkey(b: Uint8Array, where: string): void {
  if (b.length !== 33) fail(where, `public key must be a 33-byte compressed key, got ${b.length} bytes`);
  if (!ecc.isPointCompressed(b)) fail(where, 'public key is not a valid compressed secp256k1 point');
}

/** BIP174 key origin: <4-byte fingerprint><32-bit LE index>*; Core: "Invalid length for HD key path". */
function checkKeyOrigin(value: Uint8Array, where: string): void {
  if (value.length < 4 || value.length % 4 !== 0) {
    fail(where, `key origin must be a 4-byte fingerprint plus 4 bytes per path step, got ${value.length} bytes`);
  }
}

function checkWholeReader(r: ByteReader, where: string, what: string): void {
  if (!r.atEnd()) fail(where, `${r.remaining} bytes of extra data after the ${what}`);
}

// BIP341: control block = 33 + 32m bytes, 0 <= m <= 128; leaf versions have the low bit clear.
const TAPROOT_CONTROL_BASE = 33;
const TAPROOT_CONTROL_NODE = 32;
const TAPROOT_CONTROL_MAX_NODES = 128;

function checkControlBlock(k: Uint8Array, where: string): void {
  const m = (k.length - TAPROOT_CONTROL_BASE) / TAPROOT_CONTROL_NODE;
  if (k.length < TAPROOT_CONTROL_BASE || !Number.isInteger(m) || m > TAPROOT_CONTROL_MAX_NODES) {
    fail(where, `control block must be 33 + 32*m bytes with m <= 128 (BIP341), got ${k.length} bytes`);
  }
}

/** BIP371 PSBT_IN_TAP_BIP32_DERIVATION / PSBT_OUT_TAP_BIP32_DERIVATION value: <compact n><n leaf hashes><key origin>. */
function checkTapBip32Value(value: Uint8Array, where: string): void {
  const r = new ByteReader(value, where);
  const n = r.compactSize('leaf hash count');
  r.bytesN(n * 32, 'leaf hashes');
  checkKeyOrigin(value.subarray(r.offset), where);
}

/**
 * BIP371 PSBT_OUT_TAP_TREE: one or more {<8-bit depth><8-bit leaf version><compact script>} in depth-first order.
 * The depths must describe a complete binary tree (Bitcoin Core builds it with TaprootBuilder and refuses
 * otherwise); depth <= 128 (BIP341 TAPROOT_CONTROL_MAX_NODE_COUNT); leaf versions have the low bit clear.
 */
function checkTapTree(value: Uint8Array, where: string): void {
  const r = new ByteReader(value, where);
  if (r.atEnd()) fail(where, 'taproot tree must hold at least one leaf');
  // Pending subtree depths, deepest last. A leaf merges with an equal-depth sibling into its parent.
  const stack: number[] = [];
  let leaf = 0;
  while (!r.atEnd()) {
    const depth = r.u8(`leaf ${leaf} depth`);
    const version = r.u8(`leaf ${leaf} version`);
    r.varBytes(`leaf ${leaf} script`);
    if (depth > TAPROOT_CONTROL_MAX_NODES) fail(where, `leaf ${leaf} depth ${depth} exceeds 128`);
    if ((version & 1) !== 0) fail(where, `leaf ${leaf} version 0x${version.toString(16)} has the low bit set (BIP341 leaf versions are even)`);
    const top = stack[stack.length - 1];
    if (top !== undefined && depth < top) fail(where, `leaf ${leaf} depth ${depth} cannot follow an unfinished subtree at depth ${top} (depth-first order)`);
    if (stack.length > 0 && stack[0] === 0) fail(where, `leaf ${leaf} follows a tree that is already complete`);
    stack.push(depth);
    for (;;) {
      const a = stack[stack.length - 1];
      const b = stack[stack.length - 2];
      if (a === undefined || b === undefined || a !== b) break;
      stack.length -= 2;
      stack.push(a - 1);
    }
    leaf++;
  }
  if (stack.length !== 1 || stack[0] !== 0) fail(where, 'leaf depths do not form a complete binary tree');
}

/** Preimage fields (0x0a-0x0d): Bitcoin Core checks that the value hashes to the key ("...preimage does not match"). */
function preimage(name: string, hash: (b: Uint8Array) => Uint8Array) {
  return (value: Uint8Array, where: string, keyData: Uint8Array): void => {
    if (!bytesEqual(hash(value), keyData)) fail(where, `${name} preimage does not hash to the key`);
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Global map. BIP174 "Specification", BIP370 "New Global Types".
export const GLOBAL_FIELDS: ReadonlyMap<number, FieldSpec> = new Map<number, FieldSpec>([
  // BIP174 PSBT_GLOBAL_UNSIGNED_TX = 0x00, key {0x00}; BIP370: "Excluded" from version 2.
  [0x00, {
    name: 'PSBT_GLOBAL_UNSIGNED_TX', keyDataLengths: [0], versions: 'v0-only',
    checkValue: (v, w) => { parseTx(v, `${w} (unsigned tx)`, false); },
  }],
  // BIP174 PSBT_GLOBAL_XPUB = 0x01, key {0x01}|{xpub}: the 78-byte BIP32 serialization of the extended public key.
  // Bitcoin Core also requires the xpub's key to be a valid point (CPubKey::IsFullyValid, "Invalid pubkey").
  // BIP32 serialization: version(4) depth(1) parent fingerprint(4) child number(4) chain code(32) key(33).
  // (BIP174's "The number of 32 bit unsigned integer indexes must match the depth provided in the extended public
  // key" is reported as a warning by the reader, not enforced: BitGo's own derivationSeed requests break it.)
  [0x01, {
    name: 'PSBT_GLOBAL_XPUB', keyDataLengths: [78], versions: 'all',
    checkKeyData: (k, w) => assertCompressedPubkey(k.subarray(45), `${w} extended public key`),
    checkValue: checkKeyOrigin,
  }],
  // BIP370 PSBT_GLOBAL_TX_VERSION = 0x02: 32-bit little-endian signed integer; v2 required, v0 excluded.
  [0x02, { name: 'PSBT_GLOBAL_TX_VERSION', keyDataLengths: [0], versions: 'v2-only', checkValue: valueLength([4]) }],
  // BIP370 PSBT_GLOBAL_FALLBACK_LOCKTIME = 0x03: 32-bit little-endian unsigned integer.
  [0x03, { name: 'PSBT_GLOBAL_FALLBACK_LOCKTIME', keyDataLengths: [0], versions: 'v2-only', checkValue: valueLength([4]) }],
  // BIP370 PSBT_GLOBAL_INPUT_COUNT = 0x04 / OUTPUT_COUNT = 0x05: CompactSize unsigned integers.
  [0x04, { name: 'PSBT_GLOBAL_INPUT_COUNT', keyDataLengths: [0], versions: 'v2-only', checkValue: checkCompactValue }],
  [0x05, { name: 'PSBT_GLOBAL_OUTPUT_COUNT', keyDataLengths: [0], versions: 'v2-only', checkValue: checkCompactValue }],
  // BIP370 PSBT_GLOBAL_TX_MODIFIABLE = 0x06: a one-byte bit field.
  [0x06, { name: 'PSBT_GLOBAL_TX_MODIFIABLE', keyDataLengths: [0], versions: 'v2-only', checkValue: valueLength([1]) }],
  // BIP174 PSBT_GLOBAL_VERSION = 0xFB: 32-bit little-endian unsigned integer; the version rules are applied by the reader.
  // SLIP-0019 PSBT_GLOBAL_OWNERSHIP_COMMITMENT = 0x07 (listed in BIP174's table): no key data.
  [0x07, { name: 'PSBT_GLOBAL_OWNERSHIP_COMMITMENT', keyDataLengths: [0], versions: 'all' }],
  [0xfb, { name: 'PSBT_GLOBAL_VERSION', keyDataLengths: [0], versions: 'all', checkValue: valueLength([4]) }],
  [0xfc, { name: 'PSBT_GLOBAL_PROPRIETARY', checkKeyData: checkProprietaryKey, versions: 'all' }],
]);

function checkCompactValue(v: Uint8Array, where: string): void {
  const r = new ByteReader(v, where);
  r.compactSize('count');
  checkWholeReader(r, where, 'count');
}

/** BIP174 proprietary key data: <compact size identifier length><identifier><compact size subtype><key data>. */
function checkProprietaryKey(k: Uint8Array, where: string): void {
  const r = new ByteReader(k, `${where} proprietary key`);
  r.varBytes('identifier');
  r.compactSize('subtype');
}

// ---------------------------------------------------------------------------------------------------------------
// Per-input map. BIP174 input types, BIP370 0x0e-0x12, BIP371 0x13-0x18, BIP373 0x1a-0x1c.
export const INPUT_FIELDS: ReadonlyMap<number, FieldSpec> = new Map<number, FieldSpec>([
  // BIP174 PSBT_IN_NON_WITNESS_UTXO = 0x00: the full previous transaction in network serialization (it may carry
  // witnesses; the txid is over the non-witness part).
  [0x00, {
    name: 'PSBT_IN_NON_WITNESS_UTXO', keyDataLengths: [0], versions: 'all',
    checkValue: (v, w) => { parseTx(v, `${w} (previous tx)`, true); },
  }],
  // BIP174 PSBT_IN_WITNESS_UTXO = 0x01: one transaction output (amount + scriptPubKey) in network serialization.
  [0x01, {
    name: 'PSBT_IN_WITNESS_UTXO', keyDataLengths: [0], versions: 'all',
    checkValue: (v, w) => {
      const r = new ByteReader(v, w);
      r.u64le('amount');
      r.varBytes('scriptPubKey');
      checkWholeReader(r, w, 'transaction output');
    },
  }],
  // BIP174 PSBT_IN_PARTIAL_SIG = 0x02, key {0x02}|{public key}; value the signature (DER + sighash byte).
  [0x02, {
    name: 'PSBT_IN_PARTIAL_SIG', keyDataLengths: [33, 65], checkKeyData: assertEcdsaPubkey, versions: 'all',
    checkValue: (v, w) => { if (v.length === 0) fail(w, 'signature is empty'); },
  }],
  // BIP174 PSBT_IN_SIGHASH_TYPE = 0x03: 32-bit little-endian unsigned integer.
  [0x03, { name: 'PSBT_IN_SIGHASH_TYPE', keyDataLengths: [0], versions: 'all', checkValue: valueLength([4]) }],
  [0x04, { name: 'PSBT_IN_REDEEM_SCRIPT', keyDataLengths: [0], versions: 'all' }],
  [0x05, { name: 'PSBT_IN_WITNESS_SCRIPT', keyDataLengths: [0], versions: 'all' }],
  // BIP174 PSBT_IN_BIP32_DERIVATION = 0x06, key {0x06}|{public key}.
  [0x06, {
    name: 'PSBT_IN_BIP32_DERIVATION', keyDataLengths: [33, 65], checkKeyData: assertEcdsaPubkey, versions: 'all',
    checkValue: checkKeyOrigin,
  }],
  [0x07, { name: 'PSBT_IN_FINAL_SCRIPTSIG', keyDataLengths: [0], versions: 'all' }],
  // BIP174 PSBT_IN_FINAL_SCRIPTWITNESS = 0x08: the finalized witness stack in network serialization.
  [0x08, {
    name: 'PSBT_IN_FINAL_SCRIPTWITNESS', keyDataLengths: [0], versions: 'all',
    checkValue: (v, w) => {
      const r = new ByteReader(v, w);
      readWitnessStack(r, w);
      checkWholeReader(r, w, 'witness stack');
    },
  }],
  [0x09, { name: 'PSBT_IN_POR_COMMITMENT', keyDataLengths: [0], versions: 'all' }],
  // BIP174 0x0a-0x0d: key {type}|{hash}, value the preimage.
  [0x0a, { name: 'PSBT_IN_RIPEMD160', keyDataLengths: [20], versions: 'all', checkValue: preimage('RIPEMD160', ripemd160) }],
  [0x0b, { name: 'PSBT_IN_SHA256', keyDataLengths: [32], versions: 'all', checkValue: preimage('SHA256', sha256) }],
  [0x0c, { name: 'PSBT_IN_HASH160', keyDataLengths: [20], versions: 'all', checkValue: preimage('HASH160', hash160) }],
  [0x0d, { name: 'PSBT_IN_HASH256', keyDataLengths: [32], versions: 'all', checkValue: preimage('HASH256', hash256) }],
  // BIP370 v2 input fields: required (0x0e, 0x0f) or allowed (0x10-0x12) in v2, "Excluded" from v0.
  [0x0e, { name: 'PSBT_IN_PREVIOUS_TXID', keyDataLengths: [0], versions: 'v2-only', checkValue: valueLength([32]) }],
  [0x0f, { name: 'PSBT_IN_OUTPUT_INDEX', keyDataLengths: [0], versions: 'v2-only', checkValue: valueLength([4]) }],
  [0x10, { name: 'PSBT_IN_SEQUENCE', keyDataLengths: [0], versions: 'v2-only', checkValue: valueLength([4]) }],
  // BIP370: PSBT_IN_REQUIRED_TIME_LOCKTIME "must be greater than or equal to 500000000".
  [0x11, {
    name: 'PSBT_IN_REQUIRED_TIME_LOCKTIME', keyDataLengths: [0], versions: 'v2-only',
    checkValue: (v, w) => {
      valueLength([4])(v, w);
      const t = new ByteReader(v, w).u32le('locktime');
      if (t < 500_000_000) fail(w, `required time locktime ${t} is below 500000000 (BIP370)`);
    },
  }],
  // BIP370: PSBT_IN_REQUIRED_HEIGHT_LOCKTIME "must be greater than 0 and less than 500000000".
  [0x12, {
    name: 'PSBT_IN_REQUIRED_HEIGHT_LOCKTIME', keyDataLengths: [0], versions: 'v2-only',
    checkValue: (v, w) => {
      valueLength([4])(v, w);
      const h = new ByteReader(v, w).u32le('locktime');
      if (h === 0 || h >= 500_000_000) fail(w, `required height locktime ${h} is outside 1..499999999 (BIP370)`);
    },
  }],
  // BIP371 PSBT_IN_TAP_KEY_SIG = 0x13: a 64- or 65-byte BIP340 signature for the key path.
  [0x13, { name: 'PSBT_IN_TAP_KEY_SIG', keyDataLengths: [0], versions: 'all', checkValue: valueLength([64, 65]) }],
  // BIP371 PSBT_IN_TAP_SCRIPT_SIG = 0x14, key {0x14}|{xonlypubkey}|{leafhash}; value 64 or 65 byte signature.
  [0x14, { name: 'PSBT_IN_TAP_SCRIPT_SIG', keyDataLengths: [64], versions: 'all', checkValue: valueLength([64, 65]) }],
  // BIP371 PSBT_IN_TAP_LEAF_SCRIPT = 0x15, key {0x15}|{control block}; value {script}|{8-bit leaf version}.
  [0x15, {
    name: 'PSBT_IN_TAP_LEAF_SCRIPT', checkKeyData: checkControlBlock, versions: 'all',
    checkValue: (v, w) => { if (v.length < 1) fail(w, 'value must hold at least the leaf version byte'); },
  }],
  // BIP371 PSBT_IN_TAP_BIP32_DERIVATION = 0x16, key {0x16}|{xonlypubkey}.
  [0x16, { name: 'PSBT_IN_TAP_BIP32_DERIVATION', keyDataLengths: [32], versions: 'all', checkValue: checkTapBip32Value }],
  // BIP371 PSBT_IN_TAP_INTERNAL_KEY = 0x17: the 32-byte x-only internal key.
  [0x17, { name: 'PSBT_IN_TAP_INTERNAL_KEY', keyDataLengths: [0], versions: 'all', checkValue: valueLength([32]) }],
  // BIP371 PSBT_IN_TAP_MERKLE_ROOT = 0x18: the 32-byte merkle root of the script tree.
  [0x18, { name: 'PSBT_IN_TAP_MERKLE_ROOT', keyDataLengths: [0], versions: 'all', checkValue: valueLength([32]) }],
  // SLIP-0019 PSBT_IN_OWNERSHIP_PROOF = 0x19 (listed in BIP174's table): no key data.
  [0x19, { name: 'PSBT_IN_OWNERSHIP_PROOF', keyDataLengths: [0], versions: 'all' }],
  // BIP373 PSBT_IN_MUSIG2_PARTICIPANT_PUBKEYS = 0x1a, key {0x1a}|{aggregate compressed pubkey};
  // value {compressed pubkey}* (each participant's 33-byte key).
  [0x1a, {
    name: 'PSBT_IN_MUSIG2_PARTICIPANT_PUBKEYS', keyDataLengths: [33], checkKeyData: assertCompressedPubkey, versions: 'all',
    checkValue: checkParticipantList,
  }],
  // BIP373 PSBT_IN_MUSIG2_PUB_NONCE = 0x1b, key {0x1b}|{participant pubkey}|{aggregate pubkey}|{leaf hash}?; 66-byte nonce.
  [0x1b, {
    name: 'PSBT_IN_MUSIG2_PUB_NONCE', keyDataLengths: [66, 98], checkKeyData: checkMusigKeyPair, versions: 'all',
    checkValue: valueLength([66]),
  }],
  // BIP373 PSBT_IN_MUSIG2_PARTIAL_SIG = 0x1c, same key shape; 32-byte partial signature.
  [0x1c, {
    name: 'PSBT_IN_MUSIG2_PARTIAL_SIG', keyDataLengths: [66, 98], checkKeyData: checkMusigKeyPair, versions: 'all',
    checkValue: valueLength([32]),
  }],
  [0xfc, { name: 'PSBT_IN_PROPRIETARY', checkKeyData: checkProprietaryKey, versions: 'all' }],
]);

function checkParticipantList(v: Uint8Array, where: string): void {
  if (v.length === 0 || v.length % 33 !== 0) fail(where, `participant list must be one or more 33-byte compressed keys, got ${v.length} bytes`);
  for (let i = 0; i < v.length; i += 33) assertCompressedPubkey(v.subarray(i, i + 33), `${where} participant ${i / 33}`);
}

function checkMusigKeyPair(k: Uint8Array, where: string): void {
  assertCompressedPubkey(k.subarray(0, 33), `${where} participant key`);
  assertCompressedPubkey(k.subarray(33, 66), `${where} aggregate key`);
}

// ---------------------------------------------------------------------------------------------------------------
// Per-output map. BIP174, BIP370 0x03-0x04, BIP371 0x05-0x07, BIP373 0x08.
export const OUTPUT_FIELDS: ReadonlyMap<number, FieldSpec> = new Map<number, FieldSpec>([
  [0x00, { name: 'PSBT_OUT_REDEEM_SCRIPT', keyDataLengths: [0], versions: 'all' }],
  [0x01, { name: 'PSBT_OUT_WITNESS_SCRIPT', keyDataLengths: [0], versions: 'all' }],
  [0x02, {
    name: 'PSBT_OUT_BIP32_DERIVATION', keyDataLengths: [33, 65], checkKeyData: assertEcdsaPubkey, versions: 'all',
    checkValue: checkKeyOrigin,
  }],
  // BIP370 PSBT_OUT_AMOUNT = 0x03: "64-bit signed little endian integer"; PSBT_OUT_SCRIPT = 0x04. v2 required, v0 excluded.
  [0x03, { name: 'PSBT_OUT_AMOUNT', keyDataLengths: [0], versions: 'v2-only', checkValue: valueLength([8]) }],
  [0x04, { name: 'PSBT_OUT_SCRIPT', keyDataLengths: [0], versions: 'v2-only' }],
  // BIP371 PSBT_OUT_TAP_INTERNAL_KEY = 0x05 (32-byte x-only key), PSBT_OUT_TAP_TREE = 0x06, TAP_BIP32_DERIVATION = 0x07.
  [0x05, { name: 'PSBT_OUT_TAP_INTERNAL_KEY', keyDataLengths: [0], versions: 'all', checkValue: valueLength([32]) }],
  [0x06, { name: 'PSBT_OUT_TAP_TREE', keyDataLengths: [0], versions: 'all', checkValue: checkTapTree }],
  [0x07, { name: 'PSBT_OUT_TAP_BIP32_DERIVATION', keyDataLengths: [32], versions: 'all', checkValue: checkTapBip32Value }],
  [0x08, {
    name: 'PSBT_OUT_MUSIG2_PARTICIPANT_PUBKEYS', keyDataLengths: [33], checkKeyData: assertCompressedPubkey, versions: 'all',
    checkValue: checkParticipantList,
  }],
  [0xfc, { name: 'PSBT_OUT_PROPRIETARY', checkKeyData: checkProprietaryKey, versions: 'all' }],
]);

export const FIELDS: Record<MapKind, ReadonlyMap<number, FieldSpec>> = {
  global: GLOBAL_FIELDS,
  input: INPUT_FIELDS,
  output: OUTPUT_FIELDS,
};

/** Human name for a key type in a map, for messages ("PSBT_IN_WITNESS_UTXO (0x01)" or "unknown type 0xf0"). */
export function fieldLabel(kind: MapKind, type: number): string {
  const spec = FIELDS[kind].get(type);
  const hex = `0x${type.toString(16).padStart(2, '0')}`;
  return spec ? `${spec.name} (${hex})` : `unknown key type ${hex}`;
}
