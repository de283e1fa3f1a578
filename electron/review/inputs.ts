// The review of each input: is it this wallet's (its script re-derives from the three xpubs at the path its
// derivation data claims), how is its amount known, are its sighash types ones we sign, and does BitGo's
// metadata agree with it. What fails is a refusal in words; nothing here throws for a readable request.
import { describeSats, toSafeSats } from '../../shared/amount';
import type { AmountEvidence, ReviewInput, ReviewScriptType } from '../../shared/review';
import { checkStrictInput, InputCheckError } from '../intake/input-checks';
import type { RequestMetadata } from '../intake/express';
import { LegacyRequestError, verifyLegacyInputs } from '../intake/legacy';
import type { ExpressLegacyRequest } from '../intake/request';
import type { StrictPsbt } from '../intake/psbt-strict';
import { txidHex } from '../intake/psbt-tx';
import { inputFields } from '../intake/psbt-view';
import { musig2KeyPath, Musig2FieldError, type Musig2KeyPath } from '../intake/musig2-fields';
import { bytesEqual } from '../util/bytes';
import { SIGHASH_ALL, SIGHASH_DEFAULT } from '../util/consensus';
import type { WalletKeys } from '../wallet/keys';
import type { WalletOutputScript } from '../wallet/scripts';
import { leafPair } from '../wallet/taproot';
import { claimedPath, walletScript } from './claims';
import type { Issues } from './issues';
import type { VsizeInput } from './vsize';

export interface InputResult {
  model: ReviewInput;
  amount: bigint;
  vsize: VsizeInput;
  /** A MuSig2 key-path input: its session as the PSBT describes it (undefined when that did not check out). */
  musig2?: Musig2KeyPath;
  musig2KeyPath: boolean;
}

/** What the input review reads about the wallet. */
export interface WalletView {
  walletId: string;
  keys: WalletKeys;
  /** BIP32 fingerprints of the three keys, hex. */
  fingerprints: ReadonlySet<string>;
}

function isTaprootScript(s: Uint8Array | undefined): boolean {
  return s !== undefined && s.length === 34 && s[0] === 0x51 && s[1] === 0x20;
}

export function reviewInput(psbt: StrictPsbt, i: number, w: WalletView, meta: RequestMetadata, issues: Issues): InputResult {
  const f = inputFields(psbt, i);
  const outpoint = `${txidHex(f.prevTxid)}:${f.prevIndex}`;
  let prevScript = f.witnessUtxo?.script;
  let amount = f.witnessUtxo?.value ?? 0n;
  let evidence: AmountEvidence = 'unverified';
  let segwit = false;
  try {
    // BIP174 signer checks: previous tx txid vs outpoint, witness_utxo vs previous tx, script hashes, sighash
    // type. BitGo's p2sh inputs carry witness_utxo only: allowed here, shown as unverified below.
    const c = checkStrictInput(psbt, i, { DANGER_allowWitnessUtxoForNonSegwit: true });
    prevScript = c.prevout.script;
    amount = c.prevout.value;
    segwit = c.segwit;
    evidence = c.segwit || c.taproot ? 'committed' : c.amountEvidence === 'non_witness_utxo' ? 'previous_tx' : 'unverified';
  } catch (e) {
    if (!(e instanceof InputCheckError)) throw e;
    const code = e.code === 'input_utxo_inconsistent' ? 'amount_evidence_conflict' : e.code;
    issues.refuse(code, e.message, { input: i });
  }

  // Which wallet address this input claims to spend, from the derivation data of our keys.
  const taprootish = isTaprootScript(prevScript) || f.tapLeafScript.length > 0;
  const claim = claimedPath(taprootish ? f.tapBip32Derivation : f.bip32Derivation, w.fingerprints);
  let derived: WalletOutputScript | undefined;
  let keyPath = false;
  let musig2: Musig2KeyPath | undefined;
  let chain = -1;
  let index = -1;
  if (!claim.path) {
    issues.refuse('input_not_wallet', `input ${i} (${outpoint}) carries no derivation for any key of wallet ${w.walletId}: it is not this wallet's`, { input: i });
  } else if (!claim.path.ok) {
    issues.refuse('input_not_wallet', `input ${i} (${outpoint}): ${claim.path.why}`, { input: i });
  } else {
    chain = claim.path.chain;
    index = claim.path.index;
    derived = walletScript(w.keys, chain, index);
    if (claim.inconsistent) issues.refuse('input_not_wallet', `input ${i}: its derivation entries name different paths`, { input: i });
    if (!prevScript || !bytesEqual(derived.scriptPubKey, prevScript)) {
      issues.refuse('input_not_wallet', `input ${i} (${outpoint}) does not spend wallet ${w.walletId}'s ${derived.scriptType} script at chain ${chain} index ${index} (re-derived from the three xpubs)`, { input: i });
    } else {
      // The scripts the signature will commit to must be the wallet's own, not swapped ones.
      const wrongRedeem = f.redeemScript !== undefined && (derived.redeemScript === undefined || !bytesEqual(f.redeemScript, derived.redeemScript));
      const wrongWitness = f.witnessScript !== undefined && (derived.witnessScript === undefined || !bytesEqual(f.witnessScript, derived.witnessScript));
      if (wrongRedeem || wrongWitness) {
        issues.refuse('input_scripts_mismatch', `input ${i}: the ${wrongRedeem ? 'redeem' : 'witness'} script is not the wallet's ${derived.scriptType} script at chain ${chain} index ${index}`, { input: i });
      }
      // The user key signs a tapscript leaf it is part of, or (MuSig2, no leaf) the key path with BitGo's key: its
      // session must be this wallet's (intake/musig2-fields.ts, the wallet validation's own check and code).
      if (derived.scriptType === 'p2trMusig2' && !f.tapLeafScript.some((l) => leafPair(l.script, derived!.pubkeys)?.includes('user'))) {
        if (f.tapLeafScript.length > 0) {
          issues.refuse('input_not_wallet', `input ${i}: no tap leaf of wallet ${w.walletId} at chain ${chain} index ${index} contains the user key`, { input: i });
        } else {
          keyPath = true;
          try {
            musig2 = musig2KeyPath(psbt, f, derived.pubkeys, derived.taproot!.merkleRoot);
          } catch (e) {
            if (!(e instanceof Musig2FieldError)) throw e;
            issues.refuse(e.code, e.message, { input: i });
          }
        }
      }
    }
  }

  // Sighash: ALL for ECDSA, DEFAULT or ALL for Schnorr. Signatures already present count too (a cosigner's
  // NONE/SINGLE/ANYONECANPAY signature lets the transaction be changed after we sign).
  const taproot = derived ? derived.taproot !== undefined : taprootish;
  for (const s of f.partialSigs) {
    const t = s.signature[s.signature.length - 1];
    if (t !== SIGHASH_ALL) issues.refuse('input_sighash_unsupported', `input ${i}: an existing signature uses sighash type 0x${(t ?? 0).toString(16)}, only SIGHASH_ALL is accepted`, { input: i });
  }
  for (const s of [...f.tapScriptSig.map((x) => x.signature), ...(f.tapKeySig ? [f.tapKeySig] : [])]) {
    if (s.length === 65 && s[64] !== SIGHASH_ALL) issues.refuse('input_sighash_unsupported', `input ${i}: an existing Schnorr signature uses sighash type 0x${s[64]!.toString(16)}, only DEFAULT or ALL are accepted`, { input: i });
  }
  if (f.sighashType !== undefined && f.sighashType !== SIGHASH_ALL && !(taproot && f.sighashType === SIGHASH_DEFAULT) && !issues.refusedInput('input_sighash_unsupported', i)) {
    issues.refuse('input_sighash_unsupported', `input ${i}: sighash type ${f.sighashType} requested; only ALL${taproot ? ' or DEFAULT' : ''} is signed`, { input: i });
  }

  // BitGo's metadata for the same outpoint must agree with the PSBT (a different wallet or amount is a lie
  // somewhere on the online side).
  const unspent = meta.unspentById.get(outpoint);
  if (unspent?.wallet !== undefined && unspent.wallet !== w.walletId) {
    issues.refuse('inputs_mixed_wallets', `input ${i} (${outpoint}) belongs to wallet ${unspent.wallet.slice(0, 64)} per txInfo, not ${w.walletId}`, { input: i });
  }
  if (unspent?.value !== undefined && unspent.value !== amount) {
    issues.refuse('amount_evidence_conflict', `input ${i} (${outpoint}): txInfo says ${unspent.value} sat, the PSBT says ${amount} sat`, { input: i });
  }

  const scriptType: ReviewScriptType = derived?.scriptType ?? (taprootish ? 'p2trLegacy' : segwit ? 'p2wsh' : 'p2sh');
  if (evidence === 'unverified') {
    issues.warn('input_amount_unverified', `input ${i} (${scriptType}): the amount ${describeSats(amount)} comes from witness_utxo only; nothing proves it (no previous transaction)`, { input: i });
  }
  const leafCb = f.tapLeafScript[0]?.controlBlock.length;
  const vsize: VsizeInput = {
    scriptType,
    ...(leafCb !== undefined ? { controlBlockLength: leafCb } : {}),
    scriptPath: scriptType === 'p2trMusig2' && f.tapLeafScript.length > 0,
  };
  const model: ReviewInput = {
    index: i,
    txid: txidHex(f.prevTxid),
    vout: f.prevIndex,
    sequence: f.sequence,
    walletId: w.walletId,
    chain,
    derivationIndex: index,
    scriptType,
    amount: toSafeSats(amount, `input ${i} amount`),
    amountEvidence: evidence,
    ...(f.sighashType !== undefined ? { sighashType: f.sighashType } : {}),
    ...(keyPath ? { musig2KeyPath: true as const } : {}),
  };
  return { model, amount, vsize, musig2KeyPath: keyPath, ...(musig2 ? { musig2 } : {}) };
}

/**
 * Inputs of a legacy (pre-PSBT) request: txInfo.unspents[i] claims what input i spends; the intake re-derives
 * every claim from the xpubs (all or nothing: its first failure becomes the refusal). Amounts are claims:
 * committed by segwit v0 / taproot signatures, unverified for p2sh.
 */
export function reviewLegacyInputs(req: ExpressLegacyRequest, w: WalletView, issues: Issues): InputResult[] {
  try {
    verifyLegacyInputs(req.tx, req.unspents, w.keys);
  } catch (e) {
    if (!(e instanceof LegacyRequestError)) throw e;
    const m = /^input (\d+):/.exec(e.message);
    issues.refuse(e.code === 'legacy_unspent_script_mismatch' || e.code === 'legacy_unspent_script_missing' ? 'input_not_wallet' : e.code, e.message, m ? { input: Number(m[1]) } : {});
  }
  return req.tx.inputs.map((x, i) => {
    const u = req.unspents[i];
    const amount = u?.value ?? 0n;
    const claimedWallet = req.metadata.unspents[i]?.wallet;
    if (claimedWallet !== undefined && claimedWallet !== w.walletId) {
      issues.refuse('inputs_mixed_wallets', `input ${i} belongs to wallet ${claimedWallet.slice(0, 64)} per txInfo, not ${w.walletId}`, { input: i });
    }
    const scriptType = u?.scriptType ?? 'p2sh';
    const evidence: AmountEvidence = scriptType === 'p2sh' ? 'unverified' : 'committed';
    if (evidence === 'unverified') {
      issues.warn('input_amount_unverified', `input ${i} (${scriptType}): the amount ${describeSats(amount)} is claimed by txInfo only; nothing proves it`, { input: i });
    }
    return {
      amount,
      musig2KeyPath: false,
      vsize: { scriptType },
      model: {
        index: i,
        txid: txidHex(x.prevTxid),
        vout: x.prevIndex,
        sequence: x.sequence,
        walletId: w.walletId,
        chain: u?.chain ?? -1,
        derivationIndex: u?.index ?? -1,
        scriptType,
        amount: toSafeSats(amount, `input ${i} amount`),
        amountEvidence: evidence,
      },
    };
  });
}
