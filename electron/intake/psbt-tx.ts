// A strict reader for the two transactions a PSBT carries: the v0 unsigned transaction (PSBT_GLOBAL_UNSIGNED_TX)
// and full previous transactions (PSBT_IN_NON_WITNESS_UTXO). Own code rather than bitcoinjs-lib's Transaction so
// that every malformation becomes a coded PsbtFormatError with the field named, and so the txid is computed from
// exactly the bytes that were read.
import { hash256 } from '../crypto/hash';
import { compactSizeBytes, concatBytes, toHex, u32leBytes, u64leBytes } from '../util/bytes';
import { ByteReader, PsbtFormatError } from './byte-reader';

export interface TxInput {
  /** Previous txid in serialization (internal, little-endian) byte order, as it sits in the transaction. */
  prevTxid: Uint8Array;
  prevIndex: number;
  scriptSig: Uint8Array;
  sequence: number;
}

export interface TxOutput {
  /** Satoshis. bigint: an int64 on the wire, and amounts must never pass through floating point. */
  value: bigint;
  script: Uint8Array;
}

export interface ParsedTx {
  version: number;
  inputs: TxInput[];
  outputs: TxOutput[];
  locktime: number;
  /** Witness stacks per input when the transaction used the BIP144 witness serialization, else undefined. */
  witnesses: Uint8Array[][] | undefined;
}

/**
 * Reads one transaction that must fill `bytes` exactly. `allowWitness` = false refuses the BIP144 extended format
 * (BIP174: the unsigned transaction "must be in the old serialization format (without witnesses)").
 */
export function parseTx(bytes: Uint8Array, where: string, allowWitness: boolean): ParsedTx {
  try {
    return readTx(bytes, where, allowWitness);
  } catch (e) {
    // Name the cause when it is this: a well-formed witness-serialized tx, read in the old format, fails
    // somewhere confusing. Only when the extended read succeeds, so other faults keep their own message.
    if (!allowWitness && e instanceof PsbtFormatError && bytes[4] === 0x00 && bytes[5] === 0x01 && readsAsWitnessTx(bytes, where)) {
      throw new PsbtFormatError(`${where}: uses the BIP144 witness serialization (marker 0x00, flag 0x01); BIP174 requires the unsigned transaction "in the old serialization format (without witnesses)"`);
    }
    throw e;
  }
}

function readsAsWitnessTx(bytes: Uint8Array, where: string): boolean {
  try {
    return readTx(bytes, where, true, true).witnesses !== undefined;
  } catch {
    return false;
  }
}

function readTx(bytes: Uint8Array, where: string, allowWitness: boolean, allowEmptyWitnesses = false): ParsedTx {
  const r = new ByteReader(bytes, where);
  const version = r.i32le('transaction version');
  let segwit = false;
  // BIP144: marker 0x00 then flag 0x01 after the version. The unsigned tx (allowWitness = false) is always read
  // in the old format, as Bitcoin Core does (TX_NO_WITNESS): there a leading 0x00 is an empty input list (BIP174
  // has valid vectors with zero inputs), and a witness-format tx then fails as trailing data. A previous tx may
  // use the extended format; a 0x00 there must be followed by the 0x01 flag.
  if (allowWitness && r.remaining >= 2 && bytes[r.offset] === 0x00) {
    const flag = bytes[r.offset + 1];
    if (flag !== 0x01) throw new PsbtFormatError(`${where}: BIP144 witness flag must be 0x01, got 0x${toHex(Uint8Array.of(flag ?? 0))}`);
    r.u8('witness marker');
    r.u8('witness flag');
    segwit = true;
  }
  const nIn = r.compactSize('input count');
  // Each input needs at least 41 bytes; checking first means a hostile count cannot make us allocate.
  if (nIn * 41 > r.remaining) throw new PsbtFormatError(`${where}: input count ${nIn} exceeds the data left (${r.remaining} bytes)`);
  const inputs: TxInput[] = [];
  for (let i = 0; i < nIn; i++) {
    const prevTxid = r.bytesN(32, `input ${i} previous txid`);
    const prevIndex = r.u32le(`input ${i} previous output index`);
    const scriptSig = r.varBytes(`input ${i} scriptSig`);
    const sequence = r.u32le(`input ${i} sequence`);
    inputs.push({ prevTxid, prevIndex, scriptSig, sequence });
  }
  const nOut = r.compactSize('output count');
  if (nOut * 9 > r.remaining) throw new PsbtFormatError(`${where}: output count ${nOut} exceeds the data left (${r.remaining} bytes)`);
  const outputs: TxOutput[] = [];
  for (let i = 0; i < nOut; i++) {
    const value = r.u64le(`output ${i} amount`);
    const script = r.varBytes(`output ${i} scriptPubKey`);
    outputs.push({ value, script });
  }
  let witnesses: Uint8Array[][] | undefined;
  if (segwit) {
    witnesses = [];
    let any = false;
    for (let i = 0; i < nIn; i++) {
      const stack = readWitnessStack(r, `input ${i} witness`);
      if (stack.length > 0) any = true;
      witnesses.push(stack);
    }
    // Bitcoin Core refuses the extended format with every witness empty ("Superfluous witness record").
    if (!any && !allowEmptyWitnesses) throw new PsbtFormatError(`${where}: witness serialization with every witness empty (superfluous witness record)`);
  }
  const locktime = r.u32le('locktime');
  if (!r.atEnd()) throw new PsbtFormatError(`${where}: ${r.remaining} bytes of extra data after the transaction`);
  return { version, inputs, outputs, locktime, witnesses };
}

export function readWitnessStack(r: ByteReader, what: string): Uint8Array[] {
  const n = r.compactSize(`${what} item count`);
  if (n > r.remaining) throw new PsbtFormatError(`${what}: item count ${n} exceeds the data left`);
  const items: Uint8Array[] = [];
  for (let k = 0; k < n; k++) items.push(r.varBytes(`${what} item ${k}`));
  return items;
}

/** What the txid commits to: a transaction's fields without witnesses (scriptSigs empty when absent: unsigned). */
export interface TxidFields {
  version: number;
  inputs: readonly { prevTxid: Uint8Array; prevIndex: number; scriptSig?: Uint8Array; sequence: number }[];
  outputs: readonly { value: bigint; script: Uint8Array }[];
  locktime: number;
}

/** The transaction without witnesses (what the txid commits to). */
export function serializeTxNoWitness(tx: TxidFields): Uint8Array {
  const parts: Uint8Array[] = [u32leBytes(tx.version >>> 0), compactSizeBytes(tx.inputs.length)];
  const empty = new Uint8Array(0);
  for (const i of tx.inputs) {
    const scriptSig = i.scriptSig ?? empty;
    parts.push(i.prevTxid, u32leBytes(i.prevIndex), compactSizeBytes(scriptSig.length), scriptSig, u32leBytes(i.sequence));
  }
  parts.push(compactSizeBytes(tx.outputs.length));
  for (const o of tx.outputs) parts.push(u64leBytes(o.value), compactSizeBytes(o.script.length), o.script);
  parts.push(u32leBytes(tx.locktime));
  return concatBytes(parts);
}

/** txid in internal byte order (compare with an outpoint's bytes directly; reverse for display). */
export function txidOf(tx: TxidFields): Uint8Array {
  return hash256(serializeTxNoWitness(tx));
}

/** Display form of an internal-order txid (the reversed hex that explorers and RPCs print). */
export function txidHex(internal: Uint8Array): string {
  return toHex(Uint8Array.from(internal).reverse());
}
