// Virtual size of the FULLY SIGNED transaction (both wallet signatures, finalized), estimated from the script
// types alone, so the review can show a fee rate before anything is signed.
//
// BIP141: weight = 4 × (size without witness data) + (size of the witness data, including the 2-byte marker and
// flag when any input has a witness, and a 1-byte empty stack for every non-witness input of such a tx);
// vsize = ceil(weight / 4).
//
// Signature sizes: ECDSA signatures are DER with low S (BIP62/BIP146), at most 72 bytes with the sighash byte
// (6 bytes framing + a 33-byte R when its top bit is set + 32-byte S + 1); we count the maximum, as BitGo's fee
// estimation does, so the shown fee rate is never above the real one by more than a byte per signature. Schnorr
// signatures (BIP340) are 64 bytes with SIGHASH_DEFAULT (BIP341), 65 with an explicit sighash byte.
import type { ReviewScriptType } from '../../shared/review';

/** DER ECDSA signature with low S and its sighash byte, maximum. */
export const ECDSA_SIG_MAX = 72;
/** BIP340 signature, SIGHASH_DEFAULT (no sighash byte). */
export const SCHNORR_SIG = 64;
/** OP_2 <33> <33> <33> OP_3 OP_CHECKMULTISIG. */
export const MULTISIG_2OF3_SCRIPT = 1 + 3 * 34 + 2;
/** <32> OP_CHECKSIGVERIFY <32> OP_CHECKSIG. */
export const TAP_2OF2_LEAF = 68;
/** BIP341 control block of a leaf at depth 1: (version|parity) + internal key + one 32-byte sibling hash. */
export const CONTROL_BLOCK_DEPTH1 = 33 + 32;

export interface VsizeInput {
  scriptType: ReviewScriptType;
  /** taproot script path: the control block of the leaf that will be spent (default: depth 1, 65 bytes). */
  controlBlockLength?: number;
  /** p2trMusig2 inputs spent through a leaf (script path) rather than the MuSig2 key path. */
  scriptPath?: boolean;
}

/** CompactSize length of n (Bitcoin's varint). */
export function compactSizeLength(n: number): number {
  return n < 0xfd ? 1 : n <= 0xffff ? 3 : n <= 0xffffffff ? 5 : 9;
}

/** A push of `n` bytes inside a script (OP_PUSHBYTES / OP_PUSHDATA1 / OP_PUSHDATA2). */
function pushLength(n: number): number {
  return (n < 0x4c ? 1 : n <= 0xff ? 2 : 3) + n;
}

/** A witness stack: item count, then each item with its CompactSize length. */
function witnessLength(items: readonly number[]): number {
  return compactSizeLength(items.length) + items.reduce((s, n) => s + compactSizeLength(n) + n, 0);
}

interface InputSize {
  /** scriptSig bytes. */
  scriptSig: number;
  /** witness bytes (stack count + items), 0 for no witness. */
  witness: number;
}

/** scriptSig and witness sizes of one fully signed BitGo wallet input. */
export function signedInputSize(input: VsizeInput): InputSize {
  const multisigStack = [0, ECDSA_SIG_MAX, ECDSA_SIG_MAX, MULTISIG_2OF3_SCRIPT];
  switch (input.scriptType) {
    case 'p2sh':
      // scriptSig: OP_0 <sig> <sig> <redeemScript> (the OP_0 feeds OP_CHECKMULTISIG's extra pop).
      return { scriptSig: 1 + pushLength(ECDSA_SIG_MAX) * 2 + pushLength(MULTISIG_2OF3_SCRIPT), witness: 0 };
    case 'p2shP2wsh':
      // scriptSig: <0 <sha256(witnessScript)>> (a 34-byte push); witness [<>, <sig>, <sig>, <witnessScript>].
      return { scriptSig: pushLength(34), witness: witnessLength(multisigStack) };
    case 'p2wsh':
      return { scriptSig: 0, witness: witnessLength(multisigStack) };
    case 'p2trLegacy':
      return { scriptSig: 0, witness: witnessLength([SCHNORR_SIG, SCHNORR_SIG, TAP_2OF2_LEAF, input.controlBlockLength ?? CONTROL_BLOCK_DEPTH1]) };
    case 'p2trMusig2':
      // BIP341 key path: a single 64-byte aggregate signature; the script path spends a 2-of-2 leaf.
      if (input.scriptPath) return { scriptSig: 0, witness: witnessLength([SCHNORR_SIG, SCHNORR_SIG, TAP_2OF2_LEAF, input.controlBlockLength ?? CONTROL_BLOCK_DEPTH1]) };
      return { scriptSig: 0, witness: witnessLength([SCHNORR_SIG]) };
  }
}

export interface SizeEstimate {
  weight: number;
  vsize: number;
}

/**
 * Weight and vsize of the signed transaction with these inputs and output scripts (lengths in bytes).
 * Version and locktime are 4 bytes each whatever their values.
 */
export function estimateSignedSize(inputs: readonly VsizeInput[], outputScriptLengths: readonly number[]): SizeEstimate {
  let base = 4 + compactSizeLength(inputs.length) + compactSizeLength(outputScriptLengths.length) + 4;
  let witness = 0;
  let anyWitness = false;
  for (const input of inputs) {
    const s = signedInputSize(input);
    // outpoint 36 + scriptSig (CompactSize + bytes) + nSequence 4.
    base += 36 + compactSizeLength(s.scriptSig) + s.scriptSig + 4;
    if (s.witness > 0) anyWitness = true;
    witness += s.witness;
  }
  for (const len of outputScriptLengths) base += 8 + compactSizeLength(len) + len;
  if (anyWitness) {
    // BIP144: marker + flag, and an empty stack (one 0x00 byte) for every input without a witness.
    witness += 2 + inputs.filter((i) => signedInputSize(i).witness === 0).length;
  }
  const weight = base * 4 + witness;
  return { weight, vsize: Math.ceil(weight / 4) };
}
