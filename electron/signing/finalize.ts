// Finalizer and extractor (BIP174 roles) for BitGo wallet inputs carrying their two signatures, used when a
// request asks for the last signature (`isLastSignature`): the response is then the network transaction.
// - p2sh:       scriptSig OP_0 <sig> <sig> <redeemScript>
// - p2shP2wsh:  scriptSig <redeemScript>, witness [<>, <sig>, <sig>, <witnessScript>]
// - p2wsh:      witness [<>, <sig>, <sig>, <witnessScript>]
// - taproot script path, leaf <A> OP_CHECKSIGVERIFY <B> OP_CHECKSIG: witness [<sig B>, <sig A>, <leaf>, <control>]
// Multisig signatures go in the order of the keys in the script (OP_CHECKMULTISIG walks keys and signatures in
// step; the leading OP_0 is the extra item its off-by-one pops).
import { script as bscript } from 'bitcoinjs-lib';
import { SignerError } from '../../shared/errors';
import type { StrictPsbt } from '../intake/psbt-strict';
import { inputFields } from '../intake/psbt-view';
import { bytesEqual, compactSizeBytes, concatBytes, u32leBytes, u64leBytes } from '../util/bytes';
import { parseTwoOfTwoLeaf, tapLeafHash } from '../wallet/taproot';

export class FinalizeError extends SignerError {
  constructor(message: string, code: 'finalize_incomplete' | 'locktime_conflict' = 'finalize_incomplete') {
    super('FinalizeError', message, code);
  }
}

/** The keys pushed by a multisig script, in script order. */
function multisigKeys(script: Uint8Array): Uint8Array[] {
  const keys: Uint8Array[] = [];
  for (let p = 1; p < script.length - 2; ) {
    const n = script[p]!;
    if (n !== 33 && n !== 65) break;
    keys.push(script.subarray(p + 1, p + 1 + n));
    p += 1 + n;
  }
  return keys;
}

function requiredSigs(script: Uint8Array): number {
  const op = script[0]!;
  return op >= 0x51 && op <= 0x60 ? op - 0x50 : 0;
}

interface FinalInput {
  scriptSig: Uint8Array;
  witness: Uint8Array[];
}

function finalizeInput(psbt: StrictPsbt, index: number): FinalInput {
  const f = inputFields(psbt, index);
  if (f.tapLeafScript.length > 0) {
    for (const leaf of f.tapLeafScript) {
      const keys = parseTwoOfTwoLeaf(leaf.script);
      if (!keys) continue;
      const lh = tapLeafHash(leaf.script, leaf.leafVersion);
      const sigFor = (xk: Uint8Array) => f.tapScriptSig.find((s) => bytesEqual(s.pubkey, xk) && bytesEqual(s.leafHash, lh))?.signature;
      const a = sigFor(keys[0]);
      const b = sigFor(keys[1]);
      if (a && b) return { scriptSig: new Uint8Array(0), witness: [b, a, leaf.script, leaf.controlBlock] };
    }
    throw new FinalizeError(`input ${index}: no tap leaf has both of its signatures`);
  }
  const script = f.witnessScript ?? f.redeemScript;
  if (!script) throw new FinalizeError(`input ${index}: no redeem or witness script to finalize with`);
  const need = requiredSigs(script);
  const sigs = multisigKeys(script)
    .map((k) => f.partialSigs.find((s) => bytesEqual(s.pubkey, k))?.signature)
    .filter((s): s is Uint8Array => s !== undefined)
    .slice(0, need);
  if (need === 0 || sigs.length < need) throw new FinalizeError(`input ${index}: has ${sigs.length} of the ${need} signatures it needs`);
  if (f.witnessScript) {
    const witness = [new Uint8Array(0), ...sigs, f.witnessScript];
    const scriptSig = f.redeemScript ? bscript.compile([f.redeemScript]) : new Uint8Array(0);
    return { scriptSig, witness };
  }
  return { scriptSig: bscript.compile([bscript.OPS.OP_0!, ...sigs, script]), witness: [] };
}

/** Finalizes every input and serializes the network transaction (BIP144 format when any input has a witness). */
export function finalizeAndExtract(psbt: StrictPsbt): Uint8Array {
  const finals = psbt.inputs.map((_, i) => finalizeInput(psbt, i));
  const tx = psbt.tx;
  if (tx.locktime === undefined) throw new FinalizeError('the inputs require conflicting lock times (BIP370)', 'locktime_conflict');
  const segwit = finals.some((f) => f.witness.length > 0);
  const parts: Uint8Array[] = [u32leBytes(tx.version)];
  if (segwit) parts.push(Uint8Array.of(0x00, 0x01));
  parts.push(compactSizeBytes(tx.inputs.length));
  tx.inputs.forEach((inp, i) => {
    const s = finals[i]!.scriptSig;
    parts.push(inp.prevTxid, u32leBytes(inp.prevIndex), compactSizeBytes(s.length), s, u32leBytes(inp.sequence));
  });
  parts.push(compactSizeBytes(tx.outputs.length));
  for (const o of tx.outputs) parts.push(u64leBytes(o.value), compactSizeBytes(o.script.length), o.script);
  if (segwit) {
    for (const f of finals) {
      parts.push(compactSizeBytes(f.witness.length));
      for (const item of f.witness) parts.push(compactSizeBytes(item.length), item);
    }
  }
  parts.push(u32leBytes(tx.locktime));
  return concatBytes(parts);
}
