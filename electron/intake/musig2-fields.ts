// BitGo's MuSig2 PSBT fields and the key-path session they describe. BitGo predates BIP373 and keeps its MuSig2
// data in proprietary input entries (BIP174 PSBT_IN_PROPRIETARY, key {0xFC}|<len "BITGO">|"BITGO"|<subtype>|<key
// data>), as utxo-lib defines them (modules/utxo-lib/src/bitgo/Musig2.ts, ProprietaryKeySubtype in UtxoPsbt.ts,
// after sanket1729's draft, gist 4b525c6049f4d9e034d27368c49f28a6):
//   0x01 participants:    key data x-only tapOutputKey(32) || x-only tapInternalKey(32); value the two plain
//                         participant keys, user then bitgo (33 + 33)
//   0x02 public nonce:    key data plain participant key(33) || x-only tapOutputKey(32); value the 66-byte nonce
//   0x03 partial sig:     same key data; value 32 bytes (SIGHASH_DEFAULT) or 33 (32 + the sighash byte)
// The key path's signers are the user and BitGo keys at the input's path, aggregated by BIP327 KeyAgg in that
// order (wallet/musig-keyagg.ts) and tweaked by BIP341's TapTweak with the wallet's script tree.
import { SignerError } from '../../shared/errors';
import { bytesEqual, concatBytes } from '../util/bytes';
import type { DerivedKeys } from '../wallet/keys';
import { musig2InternalKey } from '../wallet/musig-keyagg';
import { taggedHash } from '../crypto/hash';
import { Musig2Error, nonceAgg } from '../crypto/musig2';
import { SIGHASH_DEFAULT } from '../util/consensus';
import { checkStrictInput } from './input-checks';
import type { SighashCache } from './sighash';
import { tapTweak } from '../wallet/taproot';
import { ByteReader } from './byte-reader';
import type { RawEntry, StrictPsbt } from './psbt-strict';
import { inputFields, type InputFields } from './psbt-view';
import { proprietaryEntry } from './psbt-write';

/** utxo-lib PSBT_PROPRIETARY_IDENTIFIER. */
export const BITGO_IDENTIFIER = new TextEncoder().encode('BITGO');

export const MUSIG2_SUBTYPE = { participants: 0x01, pubNonce: 0x02, partialSig: 0x03 } as const;

export type Musig2FieldCode = 'musig2_participants_invalid' | 'musig2_cosigner_nonce_invalid' | 'musig2_nonce_missing';

/** A MuSig2 field is missing or does not describe this wallet's key-path session. */
export class Musig2FieldError extends SignerError {
  declare readonly code: Musig2FieldCode;
  readonly inputIndex: number;
  constructor(index: number, message: string, code: Musig2FieldCode) {
    super('Musig2Error', `input ${index}: ${message}`, code);
    this.inputIndex = index;
  }
}

interface Proprietary {
  subtype: number;
  keyData: Uint8Array;
  value: Uint8Array;
}

/** The input's BitGo proprietary entries (other identifiers are left alone, as BIP174 asks). */
function bitgoEntries(map: readonly RawEntry[]): Proprietary[] {
  const out: Proprietary[] = [];
  for (const e of map) {
    if (e.keyType !== 0xfc) continue;
    // BIP174: <compact size identifier length><identifier><compact size subtype><key data>; the strict reader
    // has checked the first three parse.
    const r = new ByteReader(e.keyData, 'proprietary key');
    const id = r.varBytes('identifier');
    if (!bytesEqual(id, BITGO_IDENTIFIER)) continue;
    const subtype = r.compactSize('subtype');
    out.push({ subtype, keyData: e.keyData.subarray(r.offset), value: e.value });
  }
  return out;
}

export interface Musig2Nonce {
  participant: Uint8Array;
  outputKey: Uint8Array;
  pubNonce: Uint8Array;
}

export interface Musig2PartialSig {
  participant: Uint8Array;
  outputKey: Uint8Array;
  /** 32 bytes; the sighash byte, when there was one, is in sighashType. */
  sig: Uint8Array;
  sighashType?: number;
}

/** What a key-path input's session is made of, checked against the wallet's keys at the input's path. */
export interface Musig2KeyPath {
  /** [user, bitgo], 33 bytes each: BIP327 KeyAgg's key order. */
  participants: readonly [Uint8Array, Uint8Array];
  internalKey: Uint8Array;
  merkleRoot: Uint8Array;
  /** The x-only output key Q the aggregate signature must verify under (the spent script's key). */
  outputKey: Uint8Array;
  /** The BIP341 tweak TapTweak(internalKey || merkleRoot), applied to the aggregate as an x-only tweak. */
  tweak: Uint8Array;
  nonces: Musig2Nonce[];
  partialSigs: Musig2PartialSig[];
}

/**
 * The key-path session of input `index` (chain 40/41 without a user leaf), checked the way utxo-lib's
 * assertPsbtMusig2Participants does and further: exactly one participants entry, naming this wallet's user and
 * BitGo keys at the input's path in that order; its internal key is their KeyAgg and the input's tapInternalKey;
 * the merkle root is the wallet's script tree's; the output key is the tweak of both and the spent script's key.
 * Nonce and partial-signature entries are read, each checked to belong to this session. Throws Musig2FieldError.
 */
export function musig2KeyPath(psbt: StrictPsbt, f: InputFields, keys: DerivedKeys, expectedMerkleRoot: Uint8Array): Musig2KeyPath {
  const i = f.index;
  const bad = (why: string) => new Musig2FieldError(i, why, 'musig2_participants_invalid');
  const entries = bitgoEntries(psbt.inputs[i] ?? []);
  const parts = entries.filter((e) => e.subtype === MUSIG2_SUBTYPE.participants);
  if (parts.length !== 1) throw bad(`a MuSig2 key-path input needs one BitGo participants entry, it has ${parts.length}`);
  const p = parts[0]!;
  if (p.keyData.length !== 64 || p.value.length !== 66) throw bad('the participants entry is malformed (64 bytes of key data and two 33-byte keys expected)');
  const participants = [p.value.subarray(0, 33), p.value.subarray(33)] as const;
  if (!bytesEqual(participants[0], keys.user) || !bytesEqual(participants[1], keys.bitgo)) {
    throw bad("the participants are not this wallet's user and BitGo keys at the input's path (in that order)");
  }
  const internalKey = musig2InternalKey(keys.user, keys.bitgo);
  if (!bytesEqual(p.keyData.subarray(32), internalKey) || f.tapInternalKey === undefined || !bytesEqual(f.tapInternalKey, internalKey)) {
    throw bad('the internal key is not the MuSig2 aggregate of the user and BitGo keys');
  }
  if (f.tapMerkleRoot === undefined || !bytesEqual(f.tapMerkleRoot, expectedMerkleRoot)) throw bad("the merkle root is not this wallet's script tree");
  const tweaked = tapTweak(internalKey, expectedMerkleRoot);
  const outputKey = p.keyData.subarray(0, 32);
  const spent = f.witnessUtxo?.script;
  if (!tweaked || !bytesEqual(tweaked.outputKey, outputKey) || !spent || spent.length !== 34 || !bytesEqual(spent.subarray(2), outputKey)) {
    throw bad('the output key is not the tweaked aggregate the input spends');
  }
  const mine = (kd: Uint8Array) => kd.length === 65 && bytesEqual(kd.subarray(33), outputKey) && participants.some((x) => bytesEqual(x, kd.subarray(0, 33)));
  const nonces: Musig2Nonce[] = [];
  const partialSigs: Musig2PartialSig[] = [];
  for (const e of entries) {
    if (e.subtype === MUSIG2_SUBTYPE.pubNonce) {
      if (!mine(e.keyData) || e.value.length !== 66) throw new Musig2FieldError(i, 'a MuSig2 nonce entry is not for this session (participant, output key or length)', 'musig2_cosigner_nonce_invalid');
      nonces.push({ participant: e.keyData.subarray(0, 33), outputKey, pubNonce: e.value });
    } else if (e.subtype === MUSIG2_SUBTYPE.partialSig) {
      if (!mine(e.keyData) || (e.value.length !== 32 && e.value.length !== 33)) throw bad('a MuSig2 partial signature entry is not for this session');
      partialSigs.push({ participant: e.keyData.subarray(0, 33), outputKey, sig: e.value.subarray(0, 32), ...(e.value.length === 33 ? { sighashType: e.value[32]! } : {}) });
    }
  }
  return { participants, internalKey, merkleRoot: expectedMerkleRoot, outputKey, tweak: taggedHash('TapTweak', internalKey, expectedMerkleRoot), nonces, partialSigs };
}

/** The nonce of one participant, if the PSBT has it. */
export function nonceOf(k: Musig2KeyPath, participant: Uint8Array): Uint8Array | undefined {
  return k.nonces.find((n) => bytesEqual(n.participant, participant))?.pubNonce;
}

/** A BitGo MuSig2 proprietary entry for input maps (key 0xFC|05"BITGO"|subtype|participant||outputKey). */
export function musig2Entry(subtype: number, participant: Uint8Array, outputKey: Uint8Array, value: Uint8Array): RawEntry {
  return proprietaryEntry(BITGO_IDENTIFIER, subtype, concatBytes([participant, outputKey]), value);
}

/** What the kept nonces can say about one (wallet, unsigned txid, input, public nonce); see signing/musig2-nonces.ts. */
export type Musig2NonceState = { state: 'pending'; msg: string } | { state: 'used' } | { state: 'replaced' };

/** The kept MuSig2 nonces of one wallet by txid, without their sealed bytes: what a review on another thread looks up. */
export type NonceView = Record<string, { input: number; pubNonce: string; msg: string; state: 'pending' | 'used' | 'replaced' }[]>;

/** Looks up the kept nonce for a signature request; undefined when this signer made no such nonce. */
export type Musig2NonceLookup = (walletId: string, txid: string, input: number, pubNonce: Uint8Array) => Musig2NonceState | undefined;

/** The spent outputs of every input (BIP341 commits to all of them), as the signer checks establish them. */
export function allPrevouts(psbt: StrictPsbt): { script: Uint8Array; value: bigint }[] {
  return psbt.inputs.map((_, i) => {
    const f = inputFields(psbt, i);
    if (f.witnessUtxo) return f.witnessUtxo;
    return checkStrictInput(psbt, i, { DANGER_allowWitnessUtxoForNonSegwit: true }).prevout;
  });
}

/** The BIP341 key-path message of a key-path input (what the MuSig2 signature signs), with its sighash type. */
export function keyPathMessage(index: number, f: Pick<InputFields, 'sighashType'>, cache: SighashCache, prevouts: readonly { script: Uint8Array; value: bigint }[]): { msg: Uint8Array; sighashType: number } {
  const sighashType = f.sighashType ?? SIGHASH_DEFAULT;
  return { msg: cache.taprootKeyPath(index, prevouts, sighashType), sighashType };
}

/**
 * The user's public nonce and BitGo's, checked: what a signature request must carry for a key-path input. A
 * missing or invalid user nonce is musig2_nonce_missing (not the nonce response's transaction); a missing or
 * invalid BitGo nonce is musig2_cosigner_nonce_invalid.
 */
export function sessionNonces(index: number, k: Musig2KeyPath): { user: Uint8Array; bitgo: Uint8Array } {
  const user = nonceOf(k, k.participants[0]);
  if (!user) throw new Musig2FieldError(index, "the request carries no nonce of the user key: this is not the nonce response's transaction, or the nonce step was skipped", 'musig2_nonce_missing');
  const bitgo = nonceOf(k, k.participants[1]);
  if (!bitgo) throw new Musig2FieldError(index, "the request carries no BitGo nonce (BitGo's cosignerNonce step adds it)", 'musig2_cosigner_nonce_invalid');
  try {
    nonceAgg([user, bitgo]);
  } catch (e) {
    if (!(e instanceof Musig2Error)) throw e;
    if (e.signer === 0) throw new Musig2FieldError(index, "the user key's nonce in the request is not a valid nonce", 'musig2_nonce_missing');
    throw new Musig2FieldError(index, "BitGo's nonce is not two valid curve points", 'musig2_cosigner_nonce_invalid');
  }
  return { user, bitgo };
}
