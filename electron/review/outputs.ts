// The review of each output: a recipient, verified change (its script re-derives from the wallet's three xpubs at
// the path its derivation data or BitGo's metadata claims), or FAILED change verification (always a refusal).
import { describeSats, toSafeSats } from '../../shared/amount';
import type { ReviewOutput } from '../../shared/review';
import type { RequestMetadata } from '../intake/express';
import type { OutputFields } from '../intake/psbt-view';
import { bytesEqual, toHex } from '../util/bytes';
import { scriptTypeForChain } from '../wallet/chains';
import { claimedPath, walletScript } from './claims';
import type { WalletView } from './inputs';
import type { Issues } from './issues';
import { addressOf, futureWitnessVersion, type NetworkName } from './network';
import type { PolicyRules } from './policy';

const OP_RETURN = 0x6a;

/** OP_RETURN data: the concatenated pushes after OP_RETURN (hex), or the raw rest when it is not push-only. */
export function opReturnData(script: Uint8Array): string {
  const parts: Uint8Array[] = [];
  for (let p = 1; p < script.length; ) {
    const op = script[p]!;
    let len: number;
    let start: number;
    if (op >= 1 && op <= 0x4b) [len, start] = [op, p + 1];
    else if (op === 0x4c && p + 1 < script.length) [len, start] = [script[p + 1]!, p + 2];
    else if (op === 0x4d && p + 2 < script.length) [len, start] = [script[p + 1]! | (script[p + 2]! << 8), p + 3];
    else return toHex(script.subarray(1));
    if (start + len > script.length) return toHex(script.subarray(1));
    parts.push(script.subarray(start, start + len));
    p = start + len;
  }
  return parts.map(toHex).join('');
}

/** BitGo's metadata may name an output as change without PSBT derivation data: its chain/index, when usable. */
function metadataChangePath(address: string, meta: RequestMetadata): { chain: number; index: number } | 'unusable' | undefined {
  if (!meta.changeAddresses.has(address)) return undefined;
  const d = meta.addressDetails.get(address);
  if (d?.chain === undefined || d.index === undefined || d.index >= 0x80000000 || scriptTypeForChain(d.chain) === undefined) return 'unusable';
  return { chain: d.chain, index: d.index };
}

export function reviewOutput(f: OutputFields, w: WalletView, network: NetworkName, meta: RequestMetadata, rules: PolicyRules, issues: Issues): ReviewOutput {
  const o = f.index;
  const at = { output: o };
  const address = addressOf(f.script, network);
  const base = { index: o, ...(address !== undefined ? { address } : {}), script: toHex(f.script), amount: toSafeSats(f.value, `output ${o} amount`) };
  if (f.script[0] === OP_RETURN) {
    const data = opReturnData(f.script);
    issues.warn('op_return_output', `output ${o} is OP_RETURN data (${data.length / 2} bytes: ${data.slice(0, 160)}${data.length > 160 ? '…' : ''})${f.value > 0n ? `, burning ${describeSats(f.value)}` : ''}`, at);
    return { ...base, kind: 'external', opReturnData: data };
  }
  const future = futureWitnessVersion(f.script);
  if (future !== undefined) {
    issues.warn('output_future_segwit', `output ${o}${address ? ` (${address})` : ''} pays a segwit version ${future} program of ${f.script.length - 2} bytes: no consensus rules govern it today, so anyone may be able to spend it`, at);
  }
  const claim = claimedPath([...f.bip32Derivation, ...f.tapBip32Derivation], w.fingerprints);
  let claimed: { chain: number; index: number } | undefined;
  if (claim.path) {
    const p = claim.path;
    if (!p.ok) {
      issues.refuse(p.problem === 'hardened' ? 'change_path_hardened' : 'change_path_unexpected', `output ${o} claims to be wallet ${w.walletId}'s, but its ${p.why}`, at);
      return { ...base, kind: 'failed' };
    }
    if (claim.inconsistent) {
      issues.refuse('change_path_inconsistent', `output ${o}: its derivation entries name different paths`, at);
      return { ...base, kind: 'failed', chain: p.chain, derivationIndex: p.index };
    }
    claimed = { chain: p.chain, index: p.index };
  } else if (claim.foreign) {
    issues.warn('output_foreign_derivation', `output ${o} carries derivation data for keys that are not wallet ${w.walletId}'s; it is treated as an external recipient`, at);
  }
  if (!claimed && address !== undefined) {
    const fromMetadata = metadataChangePath(address, meta);
    if (fromMetadata === 'unusable') {
      issues.refuse('change_not_wallet', `output ${o} (${address}) is listed as change but carries no usable chain/index to verify it`, at);
      return { ...base, kind: 'failed' };
    }
    claimed = fromMetadata;
  }
  if (!claimed) {
    if (f.value === 0n) issues.warn('output_zero_value', `output ${o} pays 0 sat`, at);
    else if (f.value < BigInt(rules.dustSats)) issues.warn('output_dust', `output ${o} pays ${f.value} sat, below the dust limit of ${rules.dustSats} sat`, at);
    return { ...base, kind: 'external' };
  }
  const { chain, index } = claimed;
  const where = { chain, derivationIndex: index };
  const derived = walletScript(w.keys, chain, index);
  if (!bytesEqual(derived.scriptPubKey, f.script)) {
    issues.refuse('change_not_wallet', `output ${o}${address ? ` (${address})` : ''} claims to be change at chain ${chain} index ${index}, but its script does not re-derive from wallet ${w.walletId}'s three xpubs`, at);
    return { ...base, kind: 'failed', ...where };
  }
  const wrongRedeem = f.redeemScript !== undefined && (derived.redeemScript === undefined || !bytesEqual(f.redeemScript, derived.redeemScript));
  const wrongWitness = f.witnessScript !== undefined && (derived.witnessScript === undefined || !bytesEqual(f.witnessScript, derived.witnessScript));
  const wrongInternal = f.tapInternalKey !== undefined && (derived.taproot === undefined || !bytesEqual(f.tapInternalKey, derived.taproot.internalKey));
  if (wrongRedeem || wrongWitness || wrongInternal) {
    issues.refuse('change_scripts_mismatch', `output ${o}: the ${wrongRedeem ? 'redeem script' : wrongWitness ? 'witness script' : 'taproot internal key'} is not the wallet's at chain ${chain} index ${index}`, at);
    return { ...base, kind: 'failed', ...where };
  }
  if (chain % 2 === 0) {
    // A receive address of the same wallet: the money stays, but it is not the change the wallet expects.
    issues.warn('output_to_own_receive_address', `output ${o} pays this wallet's own receive address (chain ${chain} index ${index})`, at);
    return { ...base, kind: 'external', ...where };
  }
  if (index > rules.maxChangeIndex) {
    issues.warn('change_index_high', `output ${o}: change index ${index} on chain ${chain} is far beyond normal (policy limit ${rules.maxChangeIndex}); funds sent there may be hard to find`, at);
  }
  if (f.value < BigInt(rules.dustSats)) issues.warn(f.value === 0n ? 'output_zero_value' : 'output_dust', `change output ${o} holds ${f.value} sat, below the dust limit of ${rules.dustSats} sat`, at);
  return { ...base, kind: 'change', ...where };
}
