// The BitGo PSBT signing engine: adds the user key's signature to every input of a BitGo 2-of-3 wallet PSBT,
// exactly as BitGo's own signer does (same bytes: deterministic RFC6979 ECDSA without low-R grinding, BIP340
// Schnorr with 32 zero bytes of aux randomness, new key-values inserted in key order and nothing else moved),
// but only after checking, per input, that:
// - the BIP174 signer checks pass (intake/input-checks.ts: UTXO/outpoint, redeem/witness script hashes, taproot
//   commitments, sighash type);
// - the input is this wallet's script at a BitGo path, re-derived from the three xpubs (intake/wallet-inputs.ts,
//   BitGo's own "wallet validation", with BitGo's error when it fails);
// - the key that signs is the request's user key (the vault's signer checks its derivation too).
// Nothing is signed unless every input passes: a request is all or nothing.
import { script as bscript } from 'bitcoinjs-lib';
import { SignerError } from '../../shared/errors';
import type { AmountEvidence, ReviewScriptType } from '../../shared/review';
import { checkStrictInput, checkTransactionForSigning, type CheckedInput } from '../intake/input-checks';
import type { RawEntry, StrictPsbt } from '../intake/psbt-strict';
import { inputFields } from '../intake/psbt-view';
import { insertEntry, partialSigEntry, serializePsbt, tapScriptSigEntry, withAddedInputEntries } from '../intake/psbt-write';
import { validateWalletInputs, type PlannedInput } from '../intake/wallet-inputs';
import type { WalletSigner } from '../keystore/signer';
import { bytesEqual, concatBytes } from '../util/bytes';
import { SIGHASH_ALL } from '../util/consensus';
import { sameNode, type WalletKeys } from '../wallet/keys';
import { hasUserPartialSig, keyPathMessage, Musig2StepError, musig2PartialSigEntry } from './musig2';
import { SighashCache } from './sighash';

export class SigningError extends SignerError {
  constructor(message: string, code: 'signing_key_mismatch' | 'input_utxo_missing') {
    super('SigningError', message, code);
  }
}

export interface SignedInputReport {
  index: number;
  scriptType: ReviewScriptType;
  chain: number;
  derivationIndex: number;
  amount: bigint;
  amountEvidence: AmountEvidence;
  /** The user key had already signed this input (the signature is kept; nothing added). */
  alreadySigned: boolean;
}

/** A signature request's MuSig2 part: the sealed nonces the nonce store gave up, by input (signing/musig2.ts). */
export interface Musig2Signing {
  walletId: string;
  /** The unsigned txid (display hex) the nonces are bound to. */
  txid: string;
  sealed: ReadonlyMap<number, Uint8Array>;
}

export interface EngineResult {
  psbt: Uint8Array;
  inputs: SignedInputReport[];
}

/**
 * Signs every input of a BitGo wallet PSBT with the vault's signer for the wallet `wallet` (the request's pubs),
 * from the wallet validation's plans (validated here when not given). Returns the new PSBT bytes and what was
 * established per input.
 */
export function signBitgoPsbt(psbt: StrictPsbt, wallet: WalletKeys, signer: WalletSigner, validated?: readonly PlannedInput[], musig2?: Musig2Signing): EngineResult {
  checkTransactionForSigning(psbt);
  // Wallet validation first, for every input (BitGo's order: a wrong cosigner set fails on input 0).
  const plans = validated ?? validateWalletInputs(psbt, wallet);
  if (!sameNode(signer, wallet.user)) {
    throw new SigningError("the unlocked key is not this request's user key (pubs[0]); check the wallet id and derivationSeed", 'signing_key_mismatch');
  }
  const checked: CheckedInput[] = plans.map((p) =>
    checkStrictInput(psbt, p.index, {
      // BitGo's p2sh inputs carry only witness_utxo. The script was just re-derived from the wallet's keys, and
      // the amount is reported as unverified: that is the whole of the exception.
      DANGER_allowWitnessUtxoForNonSegwit: p.scriptType === 'p2sh' && p.fields.nonWitnessUtxo === undefined,
    }),
  );

  const cache = new SighashCache(psbt.tx);
  let prevouts: { script: Uint8Array; value: bigint }[] | undefined;
  const additions: { index: number; entry: RawEntry }[] = [];
  const reports: SignedInputReport[] = plans.map((p) => {
    const c = checked[p.index]!;
    const path = { chain: p.chain, index: p.derivationIndex };
    const publicKey = p.keys.user; // CKDpub of the (checked) same root at the same path
    let already: boolean;
    if (p.musig2) {
      // MuSig2 key path: the user's partial signature, with the nonce kept from the nonce request.
      already = hasUserPartialSig(p);
      if (!already) {
        const sealed = musig2?.sealed.get(p.index);
        if (!musig2 || !sealed) throw new Musig2StepError(`input ${p.index} is a MuSig2 key-path input: it is signed only in a signerSignature request, with the nonce kept from its signerNonce request`);
        prevouts ??= psbt.inputs.map((_, i) => checked[i]?.prevout ?? prevoutOf(psbt, i));
        const { msg, sighashType } = keyPathMessage(p.index, p.fields, cache, prevouts);
        additions.push({ index: p.index, entry: musig2PartialSigEntry(p, signer, sealed, musig2.walletId, musig2.txid, msg, sighashType) });
      }
    } else if (p.leafHash) {
      const xOnly = publicKey.subarray(1);
      already = p.fields.tapScriptSig.some((s) => bytesEqual(s.pubkey, xOnly) && bytesEqual(s.leafHash, p.leafHash!));
      if (!already) {
        prevouts ??= psbt.inputs.map((_, i) => checked[i]?.prevout ?? prevoutOf(psbt, i));
        const sig = signer.signSchnorr(path, cache.taprootScriptPath(p.index, prevouts, p.leafHash, c.sighashType), publicKey);
        additions.push({ index: p.index, entry: tapScriptSigEntry(xOnly, p.leafHash, c.sighashType === 0 ? sig : concatBytes([sig, Uint8Array.of(c.sighashType)])) });
      }
    } else {
      already = p.fields.partialSigs.some((s) => bytesEqual(s.pubkey, publicKey));
      if (!already) {
        const hash = p.scriptType === 'p2sh' ? cache.legacy(p.index, p.script) : cache.bip143(p.index, p.script, c.prevout.value);
        additions.push({ index: p.index, entry: partialSigEntry(publicKey, bscript.signature.encode(signer.signEcdsa(path, hash, publicKey), SIGHASH_ALL)) });
      }
    }
    return {
      index: p.index,
      scriptType: p.scriptType,
      chain: p.chain,
      derivationIndex: p.derivationIndex,
      amount: c.prevout.value,
      amountEvidence: c.segwit || c.taproot ? 'committed' : c.amountEvidence === 'non_witness_utxo' ? 'previous_tx' : 'unverified',
      alreadySigned: already,
    };
  });
  if (psbt.version === 2) {
    // BIP370 documents also need PSBT_GLOBAL_TX_MODIFIABLE updated; the writer does that (and re-reads).
    const signedPsbt = withAddedInputEntries(psbt, additions.map((a) => ({ index: a.index, entries: [a.entry] })));
    return { psbt: serializePsbt(signedPsbt), inputs: reports };
  }
  // v0: insert each new key-value in key order; everything else keeps its bytes (BitGo's responses are exactly
  // the request plus these entries).
  const inputs = psbt.inputs.slice();
  for (const a of additions) inputs[a.index] = insertEntry(inputs[a.index]!, a.entry, `input ${a.index}`);
  return { psbt: serializePsbt({ ...psbt, inputs }), inputs: reports };
}

function prevoutOf(psbt: StrictPsbt, index: number): { script: Uint8Array; value: bigint } {
  const f = inputFields(psbt, index);
  if (f.witnessUtxo) return f.witnessUtxo;
  throw new SigningError(`input ${index}: taproot signing needs the spent output of every input, and input ${index} has none`, 'input_utxo_missing');
}
