// BitGo's PayGo fee output, and what proves an output is it. A request may name any output as BitGo's fee
// (txPrebuild.feeInfo.payGoFee / payGoAddress); that is a claim of the online side. An output is shown as BitGo's
// fee only when its address is proven to be BitGo's: by BitGo's PayGo address attestation signed with the key BitGo
// pins for the network, or by the operator's policy (`payGoAddresses`). Otherwise it stays a recipient, and a claim
// that does not hold is a warning.
//
// BitGo's attestation, as BitGo's SDKs write and check it (BitGo/BitGoJS at d91999cd, 2026-08-21, and
// BitGo/BitGoWASM at 7a2b4d10, 2026-06-30):
// - BitGoJS modules/utxo-lib/src/bitgo/PsbtUtil.ts: BitGo's proprietary PSBT keys have the identifier "BITGO";
//   subtype PAYGO_ADDRESS_ATTESTATION_PROOF = 0x04.
// - BitGoJS modules/utxo-core/src/paygo/psbt/payGoAddressProof.ts (addPayGoAddressProof, verifyPayGoAddressProof):
//   the proof is one PSBT_OUT_PROPRIETARY entry of the fee output, key data = the attestation's entropy, value = the
//   signature; none or more than one in the output is an error; the message is rebuilt from the output's own
//   address on the PSBT's network.
// - BitGoJS modules/utxo-core/src/paygo/attestation.ts (createPayGoAttestationBuffer): message = entropy || address
//   (its text, UTF-8) || "00000000-0000-0000-0000-000000000000" (the nil UUID).
// - BitGoJS modules/utxo-core/src/bip32utils.ts (verifyMessage): a Bitcoin signed message (bitcoinjs-message) with
//   the prefix "\x18Bitcoin Signed Message:\n", checked against the P2PKH hash of the pinned public key.
// - BitGoWASM packages/wasm-utxo/src/paygo/{mod,attestation,verify,psbt}.rs: the same format in Rust; entropy is
//   exactly 64 bytes; the signature is 65 bytes, header 27 + recovery id (+ 4 for a compressed key), then r, s;
//   the digest is SHA256d(prefix || compact size(message length) || message). src/fixed_script_wallet/bitgo_psbt/
//   psbt_wallet_output.rs sets an output's `paygo` when its proof verifies against the keys the caller passes.
// - BitGoJS modules/statics/src/networks.ts (BitcoinTestnet.paygoAddressAttestationPubkey) and
//   modules/abstract-utxo/src/transaction/getPayGoVerificationPubkey.ts: the key is pinned for testnet only; for
//   mainnet the function returns undefined, so BitGo's SDK has never verified a mainnet PayGo proof.
// - BitGoJS modules/abstract-utxo/src/transaction/fixedScript/explainTransaction.ts checked the proof with that key
//   from commit a3203bc59a ("feat(abstract-utxo): verify paygo", 2025-07) until commit 3454b9d645 deleted that path
//   (2026-05); explainPsbtWasm.ts now calls wasm-utxo's parseTransactionWithWalletKeys without payGoPubkeys, so
//   the SDK checks no proof today. fixedScript/verifyTransaction.ts bounds the outputs the user did not ask for at
//   150 basis points of the intended spend (getPayGoLimit): this review's `paygo_fee_high`.
// BitGo's own PayGo fixture (BitGoJS commit a3203bc59a, payGoPSBTHexFixture/psbtHexProof.ts: a PSBT built in
// BitGo's test environment) was checked with this module while writing it: its proof on output 0 verifies against
// the pinned testnet key, and fails over any other output's address. It is BitGo's data and is not copied here.
//
// What the attestation proves: BitGo's key signed this address. It does not sign the amount, the transaction or the
// wallet, so the amount is only bounded (maxPayGoBasisPoints), and a proof copied from another transaction proves
// the same address again (it is still BitGo's). A testnet proof never verifies on mainnet: the address text differs.
import { basisPoints, formatBasisPoints } from '../../shared/amount';
import type { ReviewOutput } from '../../shared/review';
import { bip32, ecc } from '../crypto/ecc';
import { bitcoinMessageHash } from '../crypto/bitcoin-message';
import type { RequestMetadata } from '../intake/express';
import type { ProprietaryEntry } from '../intake/psbt-view';
import { bytesEqual, concatBytes, fromHexStrict } from '../util/bytes';
import type { Issues } from './issues';
import type { NetworkName } from './network';
import type { PolicyRules } from './policy';

/** BitGo's proprietary key identifier and the PayGo proof's subtype (modules/utxo-lib/src/bitgo/PsbtUtil.ts). */
const BITGO = new TextEncoder().encode('BITGO');
export const PAYGO_PROOF_SUBTYPE = 0x04;
/** wasm-utxo src/paygo/mod.rs ENTROPY_LENGTH. */
const ENTROPY_BYTES = 64;
const NIL_UUID = new TextEncoder().encode('00000000-0000-0000-0000-000000000000');

/**
 * BitGo's PayGo address attestation keys, as BitGo pins them. Do not change without review: a key here makes any
 * address it signs show as BitGo's fee.
 * - testnet: BitGo/BitGoJS modules/statics/src/networks.ts, class BitcoinTestnet, paygoAddressAttestationPubkey
 *   (also modules/abstract-utxo/src/transaction/getPayGoVerificationPubkey.ts, BITGOPAYGOATTESTATIONPUBKEY); the
 *   proof is checked against this xpub's own public key, not a child (explainTransaction.ts: `.publicKey`).
 * - bitcoin (mainnet): none. BitGo publishes no mainnet key (getPayGoVerificationPubkey returns undefined), so no
 *   mainnet output is ever shown as BitGo's fee from a proof; the operator can pin addresses in the policy.
 */
export const BITGO_PAYGO_ATTESTATION_XPUBS: Readonly<Record<NetworkName, readonly string[]>> = Object.freeze({
  bitcoin: [],
  testnet: ['xpub6BKRgmCPX5oQiJgJ6Vq6BF8tDvZhwQki5dVVQohckK2ZJXtxj8K6M9pavLwt9piW33hZz17SWmG8QWsjJ1tHdde2Fs5UA3DFbApCtbdaGKn'],
});

/** The pinned keys' compressed public keys, per network (parsed once). */
let pinned: Record<NetworkName, Uint8Array[]> | undefined;
export function pinnedPayGoKeys(network: NetworkName): readonly Uint8Array[] {
  const keys = (xpubs: readonly string[]) => xpubs.map((x) => Uint8Array.from(bip32.fromBase58(x).publicKey));
  pinned ??= { bitcoin: keys(BITGO_PAYGO_ATTESTATION_XPUBS.bitcoin), testnet: keys(BITGO_PAYGO_ATTESTATION_XPUBS.testnet) };
  return pinned[network];
}

/** The digest BitGo's key signs for an address: SHA256d of the signed-message form of entropy || address || nil UUID. */
export function payGoAttestationDigest(entropy: Uint8Array, address: string): Uint8Array {
  return bitcoinMessageHash(concatBytes([entropy, new TextEncoder().encode(address), NIL_UUID]));
}

export function isPayGoProof(e: ProprietaryEntry): boolean {
  return e.subtype === PAYGO_PROOF_SUBTYPE && bytesEqual(e.identifier, BITGO);
}

/** Whether an output's address is proven to be BitGo's PayGo address, and if not, why not (for the warning). */
export type PayGoProof = { proven: 'bitgo_attestation' | 'policy' } | { proven: false; why: string };

/**
 * Checks the PayGo proofs among an output's proprietary entries against `keys` (compressed public keys), as
 * verifyPayGoAddressProof does: exactly one proof, 64 bytes of entropy, a 65-byte signed-message signature whose
 * recovered compressed key is one of `keys`. Only a compressed-key header (31..34) can match: utxo-core compares
 * the P2PKH hash of the recovered key with the pinned compressed key's, and the segwit headers (35..42) are
 * checked against a P2PKH address there, which they never match.
 */
export function checkPayGoProof(entries: readonly ProprietaryEntry[], address: string, keys: readonly Uint8Array[], network: NetworkName): PayGoProof {
  const proofs = entries.filter(isPayGoProof);
  if (proofs.length === 0) return { proven: false, why: 'it carries no BitGo address proof' };
  if (proofs.length > 1) return { proven: false, why: `it carries ${proofs.length} BitGo address proofs, where BitGo writes one` };
  if (keys.length === 0) return { proven: false, why: `BitGo publishes no PayGo attestation key for ${network === 'bitcoin' ? 'mainnet' : network}, so its address proof cannot be checked` };
  const { keyData: entropy, value: sig } = proofs[0]!;
  if (entropy.length !== ENTROPY_BYTES) return { proven: false, why: `its address proof has ${entropy.length} bytes of entropy, not ${ENTROPY_BYTES}` };
  const header = sig[0] ?? 0;
  if (sig.length !== 65 || header < 31 || header > 34) return { proven: false, why: 'its address proof is not a compressed-key signed-message signature (65 bytes, header 31 to 34)' };
  let recovered: Uint8Array | null = null;
  try {
    recovered = ecc.recover(payGoAttestationDigest(entropy, address), sig.subarray(1), (header - 31) as 0 | 1 | 2 | 3, true);
  } catch {
    recovered = null; // r or s out of range: no key signed this
  }
  if (recovered === null || !keys.some((k) => bytesEqual(k, recovered))) {
    return { proven: false, why: `its address proof is not a signature of BitGo's PayGo key over this address (${address})` };
  }
  return { proven: 'bitgo_attestation' };
}

/** Review options that replace BitGo's pinned keys: tests only (a fixture key whose private half they hold). */
export function payGoKeysFromOption(hex: readonly string[]): Uint8Array[] {
  return hex.map((h) => fromHexStrict(h)!);
}

export interface PayGoOutput {
  output: ReviewOutput;
  value: bigint;
  proprietary: readonly ProprietaryEntry[];
}

/**
 * Marks the outputs proven to be BitGo's PayGo address (`payGo`), holds feeInfo's claim against them, and bounds a
 * PayGo output's share of the spend. With a claim, only a proven output paying exactly the claimed fee (at the
 * claimed address, when one is named) is BitGo's fee; a claimed output that is not proven, and a proven output the
 * claim does not match, stay recipients with `paygo_unverified`.
 */
export function reviewPayGo(outs: readonly PayGoOutput[], spend: bigint, meta: RequestMetadata, rules: PolicyRules, keys: readonly Uint8Array[], network: NetworkName, issues: Issues): void {
  const proofs = outs.map(({ output: o, proprietary }): PayGoProof => {
    if (o.kind !== 'external') return { proven: false, why: 'it is not an external output' };
    if (o.opReturnData !== undefined || o.address === undefined) return { proven: false, why: 'it pays no address a proof could be over' };
    if (rules.payGoAddresses?.includes(o.address)) return { proven: 'policy' };
    return checkPayGoProof(proprietary, o.address, keys, network);
  });
  const claimed = (k: number) => meta.payGoFee !== undefined && outs[k]!.value === meta.payGoFee && (meta.payGoAddress === undefined || outs[k]!.output.address === meta.payGoAddress);
  const candidates = outs.map((_, k) => k).filter((k) => outs[k]!.output.kind === 'external' && claimed(k));
  const chosen = meta.payGoFee === undefined ? undefined : (candidates.find((k) => proofs[k]!.proven) ?? candidates[0]);

  outs.forEach(({ output: o, value }, k) => {
    const proof = proofs[k]!;
    const at = { output: o.index };
    const where = `output ${o.index} (${o.address ?? 'no address'})`;
    if (k === chosen && !proof.proven) {
      issues.warn('paygo_unverified', `the request says ${where} is BitGo's PayGo fee of ${meta.payGoFee} sat, but ${proof.why}: it is shown as a recipient`, at);
      return;
    }
    if (!proof.proven) return;
    if (meta.payGoFee !== undefined && k !== chosen) {
      const named = meta.payGoAddress === undefined ? '' : ` at ${meta.payGoAddress}`;
      const but = claimed(k) ? `the request names one PayGo fee, which output ${outs[chosen!]!.output.index} already pays` : `it pays ${value} sat where the request names a PayGo fee of ${meta.payGoFee} sat${named}`;
      issues.warn('paygo_unverified', `${where} is proven to be BitGo's PayGo address, but ${but}: it is shown as a recipient`, at);
      return;
    }
    o.payGo = true;
    o.payGoBasis = proof.proven;
    const bp = basisPoints(value, spend) ?? 0;
    if (bp > rules.maxPayGoBasisPoints) {
      issues.warn('paygo_fee_high', `the PayGo output ${o.index} is ${formatBasisPoints(bp)} of the amount leaving the wallet (limit ${formatBasisPoints(rules.maxPayGoBasisPoints)})`, at);
    }
  });
  if (meta.payGoFee !== undefined && candidates.length === 0) {
    issues.warn('paygo_output_missing', `feeInfo names a PayGo fee of ${meta.payGoFee} sat${meta.payGoAddress === undefined ? '' : ` at ${meta.payGoAddress}`}, but no external output pays it`);
  }
}
