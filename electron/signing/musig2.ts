// BitGo's MuSig2 key path (chains 40/41), as BitGo Express's external signer does it in two calls
// (modules/abstract-utxo signTransaction, signingStep):
// - "signerNonce": add the user key's public nonce to every key-path input (BitGo proprietary subtype 0x02, keyed
//   by user key || output key, utxo-lib setAllInputsMusig2NonceHD) and nothing else; the secret nonce is kept
//   (Express: in memory by unsigned txid; here: sealed on disk, signing/musig2-nonces.ts).
// - (BitGo adds its own nonce online: "cosignerNonce".)
// - "signerSignature": every input is signed as usual, and each key-path input gets the user's BIP327 partial
//   signature (subtype 0x03, utxo-lib signTaprootMusig2Input) over the BIP341 key-path signature hash, in the
//   session KeyAgg([user, bitgo]) tweaked by TapTweak(internal key || merkle root), with the two nonces.
// Transactions without key-path inputs: "signerNonce" returns the PSBT unchanged (Express's no-op), and
// "signerSignature" signs as a request without a step does.
import { SignerError } from '../../shared/errors';
import { nonceAgg } from '../crypto/musig2';
import { sha256 } from '../crypto/hash';
import { checkStrictInput, checkTransactionForSigning } from '../intake/input-checks';
import { allPrevouts, keyPathMessage, MUSIG2_SUBTYPE, musig2Entry, sessionNonces, type Musig2KeyPath } from '../intake/musig2-fields';
export { allPrevouts, keyPathMessage, sessionNonces } from '../intake/musig2-fields';
import type { RawEntry, StrictPsbt } from '../intake/psbt-strict';
import { insertEntry, serializePsbt } from '../intake/psbt-write';
import type { PlannedInput } from '../intake/wallet-inputs';
import type { WalletSigner } from '../keystore/signer';
import { bytesEqual, concatBytes, fromHexStrict, u32leBytes } from '../util/bytes';
import { SIGHASH_DEFAULT } from '../util/consensus';
import type { NewNonce } from './musig2-nonces';
import { SighashCache } from './sighash';

/** A MuSig2 key-path input asked to be signed outside the two-step exchange, or in BitGo's own (online) step. */
export class Musig2StepError extends SignerError {
  constructor(message: string, code: 'musig2_step_required' | 'musig2_not_supported' = 'musig2_step_required') {
    super('Musig2Error', message, code);
  }
}

const BINDING_LABEL = new TextEncoder().encode('offline-signer/musig2-session/v1');

/**
 * What a kept nonce is bound to (the associated data of its seal, with the public nonce): the wallet, the unsigned
 * txid, the input, the two participants, the output key and the message. A sealed nonce opens for nothing else.
 */
export function nonceBinding(walletId: string, txid: string, input: number, k: Musig2KeyPath, msg: Uint8Array): Uint8Array {
  const id = new TextEncoder().encode(walletId);
  return sha256(concatBytes([BINDING_LABEL, Uint8Array.of(id.length), id, fromHexStrict(txid)!, u32leBytes(input), k.participants[0], k.participants[1], k.outputKey, msg]));
}

/**
 * The nonce step: the PSBT with the user's public nonce on every key-path input (an earlier user nonce entry is
 * replaced, as utxo-lib's addOrUpdateProprietaryKeyValToInput does) and the nonces to keep. Nothing is signed.
 */
export function addMusig2Nonces(psbt: StrictPsbt, plans: readonly PlannedInput[], signer: WalletSigner, walletId: string, txid: string): { psbt: Uint8Array; nonces: NewNonce[] } {
  checkTransactionForSigning(psbt);
  const keyPath = plans.filter((p) => p.musig2);
  for (const p of keyPath) checkStrictInput(psbt, p.index);
  const cache = new SighashCache(psbt.tx);
  const prevouts = allPrevouts(psbt);
  const inputs = psbt.inputs.slice();
  const nonces: NewNonce[] = [];
  for (const p of keyPath) {
    const k = p.musig2!;
    const { msg } = keyPathMessage(p.index, p.fields, cache, prevouts);
    const path = { chain: p.chain, index: p.derivationIndex };
    // BIP327 NonceGen's extra input: the unsigned txid and the input index (one more thing no other session shares).
    const extraIn = concatBytes([fromHexStrict(txid)!, u32leBytes(p.index)]);
    const { pubNonce, sealed } = signer.musig2Nonce(path, p.keys.user, { aggregateKey: k.outputKey, msg, extraIn }, nonceBinding(walletId, txid, p.index, k, msg));
    const entry = musig2Entry(MUSIG2_SUBTYPE.pubNonce, p.keys.user, k.outputKey, pubNonce);
    inputs[p.index] = upsert(inputs[p.index]!, entry, `input ${p.index}`);
    nonces.push({ input: p.index, pubNonce, msg, sealed });
  }
  return { psbt: serializePsbt({ ...psbt, inputs }), nonces };
}

/** The map with `entry` added in key order, or its value replaced where the key is already there. */
function upsert(map: readonly RawEntry[], entry: RawEntry, where: string): RawEntry[] {
  const at = map.findIndex((e) => bytesEqual(e.key, entry.key));
  if (at < 0) return insertEntry(map as RawEntry[], entry, where);
  const out = map.slice();
  out[at] = entry;
  return out;
}

/**
 * The partial-signature entry of the user key for one key-path input, with the sealed nonce the nonce store gave
 * up for it. The signer opens it only for this binding, signs once and verifies the result.
 */
export function musig2PartialSigEntry(p: PlannedInput, signer: WalletSigner, sealed: Uint8Array, walletId: string, txid: string, msg: Uint8Array, sighashType: number): RawEntry {
  const k = p.musig2!;
  const { user, bitgo } = sessionNonces(p.index, k);
  const session = { aggnonce: nonceAgg([user, bitgo]), pubkeys: k.participants, tweaks: [k.tweak], isXonly: [true], msg };
  const psig = signer.musig2Sign({ chain: p.chain, index: p.derivationIndex }, p.keys.user, sealed, nonceBinding(walletId, txid, p.index, k, msg), user, session);
  // utxo-lib: the sighash byte follows the 32 bytes unless it is SIGHASH_DEFAULT.
  const value = sighashType === SIGHASH_DEFAULT ? psig : concatBytes([psig, Uint8Array.of(sighashType)]);
  return musig2Entry(MUSIG2_SUBTYPE.partialSig, p.keys.user, k.outputKey, value);
}

/** The user key has already given its partial signature on this input. */
export function hasUserPartialSig(p: PlannedInput): boolean {
  const k = p.musig2!;
  return k.partialSigs.some((x) => bytesEqual(x.participant, k.participants[0]));
}
