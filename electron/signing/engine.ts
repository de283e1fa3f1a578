// The BitGo PSBT signing engine: adds the user key's signature to every input of a BitGo 2-of-3 wallet PSBT,
// exactly as BitGo's own signer does (same bytes: deterministic RFC6979 ECDSA without low-R grinding, BIP340
// Schnorr with 32 zero bytes of aux randomness, new key-values inserted in key order and nothing else moved),
// but only after checking, per input, that:
// - the BIP174 signer checks pass (input-checks.ts: UTXO/outpoint, redeem/witness script hashes, taproot
//   commitments, sighash type);
// - the user key's derivation path is a BitGo wallet path m/0/0/<chain>/<index> (known chain, unhardened);
// - the script being signed is this wallet's script at that path, re-derived from the three xpubs (the same
//   "wallet validation" BitGo does, with BitGo's error when it fails);
// - the key that signs is the request's user key.
// Nothing is signed unless every input passes: a request is all or nothing.
import type { BIP32Interface } from 'bip32';
import { crypto as bcrypto, script as bscript } from 'bitcoinjs-lib';
import { SignerError } from '../../shared/errors';
import { ecc } from '../crypto/ecc';
import { bytesEqual, concatBytes } from '../intake/psbt-bytes';
import {
  inputFields,
  partialSigEntry,
  serializePsbt,
  insertEntry,
  tapScriptSigEntry,
  withAddedInputEntries,
  type InputFields,
  type RawEntry,
  type StrictPsbt,
} from '../intake/psbt-strict';
import { checkStrictInput, checkTransactionForSigning, type CheckedInput } from './input-checks';
import { SighashCache, SIGHASH_ALL, tapLeafHash } from './sighash';
import {
  deriveWalletKeys,
  leafPair,
  multisigScript,
  scriptTypeForChain,
  type DerivedKeys,
  type ScriptType,
  type WalletKeys,
} from '../bitgo/wallet';
import { childPrivateKey, type PrivNode } from '../bitgo/derive';

/** BitGo's wallet-validation failure, with BitGo's exact message and code (cases/error-wrong-pubs). */
export class WalletValidationError extends SignerError {
  readonly inputIndex: number;
  constructor(index: number, detail?: string) {
    super('Error', `Input ${index}: wallet validation failed: no derivation path matched wallet keys`, 'ParseTransactionError.Input/ParseInputError.WalletValidation');
    this.inputIndex = index;
    if (detail) this.detail = detail;
  }
  /** Our own diagnosis (which check failed); kept out of the BitGo-compatible message. */
  detail?: string;
}

export class SigningError extends SignerError {
  constructor(message: string, code: string) {
    super('SigningError', message, code);
  }
}

/** How the amount an input spends is known; the review shows it. */
export type AmountEvidence =
  /** segwit v0 / taproot: the signature commits to the amount (taproot: to every input's amount). */
  | 'committed'
  /** the full previous transaction is present and its txid matches the outpoint. */
  | 'previous_tx'
  /** p2sh with witness_utxo only (as BitGo sends): nothing proves the amount. */
  | 'unverified';

export interface SignedInputReport {
  index: number;
  scriptType: ScriptType;
  chain: number;
  derivationIndex: number;
  amount: bigint;
  amountEvidence: AmountEvidence;
  /** The user key had already signed this input (the signature is kept; nothing added). */
  alreadySigned: boolean;
}

export interface EngineResult {
  psbt: Uint8Array;
  inputs: SignedInputReport[];
}

const pathError = (index: number, why: string) => new WalletValidationError(index, why);

interface TapDerivation {
  xOnly: Uint8Array;
  leafHashes: Uint8Array[];
  fingerprint: Uint8Array;
  path: number[];
}

/** PSBT_IN_TAP_BIP32_DERIVATION (BIP371 0x16): key <x-only pubkey>, value <hashes len><leaf hashes><fingerprint><path>. */
function tapDerivations(psbt: StrictPsbt, index: number): TapDerivation[] {
  const out: TapDerivation[] = [];
  for (const e of psbt.inputs[index] ?? []) {
    if (e.keyType !== 0x16) continue;
    const v = e.value;
    const n = v[0]!; // the strict reader has validated the layout (compact size < 0xfd here: at most 252 leaves)
    const leafHashes: Uint8Array[] = [];
    for (let i = 0; i < n; i++) leafHashes.push(v.subarray(1 + 32 * i, 33 + 32 * i));
    const origin = v.subarray(1 + 32 * n);
    const path: number[] = [];
    for (let o = 4; o + 4 <= origin.length; o += 4) path.push(new DataView(origin.buffer, origin.byteOffset + o, 4).getUint32(0, true));
    out.push({ xOnly: e.keyData, leafHashes, fingerprint: origin.subarray(0, 4), path });
  }
  return out;
}

/** The BitGo chain and index from a derivation path below the user key: exactly [0, 0, chain, index], unhardened. */
function bitgoPath(index: number, path: readonly number[]): { chain: number; derivationIndex: number; scriptType: ScriptType } {
  if (path.length !== 4 || path[0] !== 0 || path[1] !== 0) {
    throw pathError(index, `derivation path ${path.join('/')} is not m/0/0/<chain>/<index>`);
  }
  const chain = path[2]!;
  const derivationIndex = path[3]!;
  if (derivationIndex >= 0x80000000 || chain >= 0x80000000) throw pathError(index, 'hardened step in a wallet path');
  const scriptType = scriptTypeForChain(chain);
  if (!scriptType) throw pathError(index, `chain ${chain} is not a BitGo chain`);
  return { chain, derivationIndex, scriptType };
}

interface PlannedInput {
  index: number;
  fields: InputFields;
  scriptType: ScriptType;
  chain: number;
  derivationIndex: number;
  keys: DerivedKeys;
  /** p2sh / p2shP2wsh / p2wsh: the multisig script; taproot: the leaf script signed. */
  script: Uint8Array;
  leafHash?: Uint8Array;
}

/** Locates the user key's derivation in input `index` and checks the input's script against the wallet's. */
function planInput(psbt: StrictPsbt, index: number, wallet: WalletKeys, userFingerprint: Uint8Array): PlannedInput {
  const fields = inputFields(psbt, index);
  const taproot = fields.tapLeafScript.length > 0 || fields.tapInternalKey !== undefined || (fields.witnessUtxo?.script[0] === 0x51 && fields.witnessUtxo.script.length === 34);
  if (taproot) {
    const mine = tapDerivations(psbt, index).filter((d) => bytesEqual(d.fingerprint, userFingerprint));
    if (mine.length === 0) throw pathError(index, 'no taproot derivation for the user key');
    const d = mine[0]!;
    const { chain, derivationIndex, scriptType } = bitgoPath(index, d.path);
    if (scriptType !== 'p2trLegacy' && scriptType !== 'p2trMusig2') throw pathError(index, `taproot input on a ${scriptType} chain`);
    const keys = deriveWalletKeys(wallet, chain, derivationIndex);
    if (!bytesEqual(keys.user.subarray(1), d.xOnly)) throw pathError(index, 'derived user key differs from the derivation entry');
    // The user signs a leaf it is part of; BitGo's user+bitgo leaf (p2trLegacy) or user+backup leaf (MuSig2
    // script path). A MuSig2 key-path spend has no such leaf.
    const leaves = fields.tapLeafScript.filter((l) => {
      const pair = leafPair(l.script, keys);
      return pair !== undefined && pair.includes('user') && l.leafVersion === 0xc0;
    });
    if (leaves.length === 0) {
      if (scriptType === 'p2trMusig2') {
        throw new SigningError(`input ${index}: MuSig2 key-path signing (chain ${chain}) is not supported yet; no signature was made`, 'musig2_not_supported');
      }
      throw pathError(index, 'no tap leaf of this wallet contains the user key');
    }
    const leaf = leaves[0]!;
    const leafHash = tapLeafHash(leaf.script, leaf.leafVersion);
    if (!d.leafHashes.some((h) => bytesEqual(h, leafHash))) throw pathError(index, 'the user key derivation does not list the leaf it would sign');
    return { index, fields, scriptType, chain, derivationIndex, keys, script: leaf.script, leafHash };
  }
  const mine = fields.bip32Derivation.filter((d) => bytesEqual(d.masterFingerprint, userFingerprint));
  if (mine.length === 0) throw pathError(index, 'no derivation for the user key');
  const d = mine[0]!;
  const { chain, derivationIndex, scriptType } = bitgoPath(index, d.path);
  if (scriptType === 'p2trLegacy' || scriptType === 'p2trMusig2') throw pathError(index, `non-taproot input on taproot chain ${chain}`);
  const keys = deriveWalletKeys(wallet, chain, derivationIndex);
  if (!bytesEqual(keys.user, d.pubkey)) throw pathError(index, 'derived user key differs from the derivation entry');
  const ms = multisigScript(keys);
  const p2wshProgram = concatBytes([Uint8Array.of(0x00, 0x20), bcrypto.sha256(ms)]);
  const ok =
    scriptType === 'p2sh'
      ? fields.redeemScript !== undefined && bytesEqual(fields.redeemScript, ms) && fields.witnessScript === undefined
      : scriptType === 'p2shP2wsh'
        ? fields.witnessScript !== undefined && bytesEqual(fields.witnessScript, ms) && fields.redeemScript !== undefined && bytesEqual(fields.redeemScript, p2wshProgram)
        : fields.witnessScript !== undefined && bytesEqual(fields.witnessScript, ms) && fields.redeemScript === undefined;
  if (!ok) throw pathError(index, `the input's scripts are not this wallet's ${scriptType} script at chain ${chain} index ${derivationIndex}`);
  return { index, fields, scriptType, chain, derivationIndex, keys, script: ms };
}

/**
 * BitGo's wallet validation alone (no key needed): each listed input (all by default) must be this wallet's
 * script at a BitGo path. Throws WalletValidationError naming the first input that is not.
 */
export function validateWalletInputs(psbt: StrictPsbt, wallet: WalletKeys, indexes?: readonly number[]): void {
  for (const i of indexes ?? psbt.inputs.map((_, k) => k)) planInput(psbt, i, wallet, wallet.user.fingerprint);
}

/** Child key of the signing root at m/0/0/<chain>/<index>, the chain node derived once per chain. */
class ChildKeys {
  #chains = new Map<number, PrivNode>();
  constructor(private readonly root: BIP32Interface) {}
  privateKeyAt(chain: number, index: number): Uint8Array {
    let c = this.#chains.get(chain);
    if (!c) {
      const n = this.root.derive(0).derive(0).derive(chain);
      this.#chains.set(chain, (c = { privateKey: new Uint8Array(n.privateKey!), publicKey: n.publicKey, chainCode: n.chainCode }));
      n.privateKey?.fill(0);
    }
    return childPrivateKey(c, index);
  }
  wipe(): void {
    for (const c of this.#chains.values()) c.privateKey.fill(0);
    this.#chains.clear();
  }
}

const ZERO_AUX = new Uint8Array(32);

/**
 * Signs every input of a BitGo wallet PSBT with `signer` (the user's private key, after any derivationSeed), the
 * wallet being `wallet` (the request's pubs). Returns the new PSBT bytes and what was established per input.
 */
export function signBitgoPsbt(psbt: StrictPsbt, wallet: WalletKeys, signer: BIP32Interface): EngineResult {
  if (signer.isNeutered() || !signer.privateKey) throw new SigningError('the signing key has no private key', 'signing_key_missing');
  checkTransactionForSigning(psbt);
  // Wallet validation first, for every input (BitGo's order: a wrong cosigner set fails on input 0).
  const userFingerprint = wallet.user.fingerprint;
  const plans = psbt.inputs.map((_, i) => planInput(psbt, i, wallet, userFingerprint));
  if (!bytesEqual(signer.publicKey, wallet.user.publicKey) || !bytesEqual(signer.chainCode, wallet.user.chainCode)) {
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
  const children = new ChildKeys(signer);
  const additions: { index: number; entry: RawEntry }[] = [];
  const reports: SignedInputReport[] = [];
  try {
    for (const p of plans) {
      const c = checked[p.index]!;
      const priv = children.privateKeyAt(p.chain, p.derivationIndex);
      const publicKey = p.keys.user; // CKDpub of the (checked) same root at the same path
      if (p === plans[0] && !bytesEqual(ecc.pointFromScalar(priv, true) ?? new Uint8Array(0), publicKey)) {
        // Belt and braces, once per request: the private derivation must land on the validated public key.
        throw new SigningError(`input ${p.index}: the derived signing key does not match the wallet's user key`, 'signing_key_mismatch');
      }
      let entry: RawEntry | undefined;
      let already: boolean;
      if (p.leafHash) {
        const xOnly = publicKey.subarray(1);
        already = p.fields.tapScriptSig.some((s) => bytesEqual(s.pubkey, xOnly) && bytesEqual(s.leafHash, p.leafHash!));
        if (!already) {
          prevouts ??= psbt.inputs.map((_, i) => checked[i]?.prevout ?? prevoutOf(psbt, i));
          const hash = cache.taprootScriptPath(p.index, prevouts, p.leafHash, c.sighashType);
          const sig = ecc.signSchnorr(hash, priv, ZERO_AUX);
          entry = tapScriptSigEntry(xOnly, p.leafHash, c.sighashType === 0 ? sig : concatBytes([sig, Uint8Array.of(c.sighashType)]));
        }
      } else {
        already = p.fields.partialSigs.some((s) => bytesEqual(s.pubkey, publicKey));
        if (!already) {
          const hash = p.scriptType === 'p2sh' ? cache.legacy(p.index, p.script) : cache.bip143(p.index, p.script, c.prevout.value);
          // RFC6979 deterministic nonce, no extra entropy: BitGo's exact signatures (no low-R grinding).
          const sig = ecc.sign(hash, priv);
          entry = partialSigEntry(publicKey, bscript.signature.encode(sig, SIGHASH_ALL));
        }
      }
      if (entry) additions.push({ index: p.index, entry });
      priv.fill(0);
      reports.push({
        index: p.index,
        scriptType: p.scriptType,
        chain: p.chain,
        derivationIndex: p.derivationIndex,
        amount: c.prevout.value,
        amountEvidence: c.segwit || c.taproot ? 'committed' : c.amountEvidence === 'non_witness_utxo' ? 'previous_tx' : 'unverified',
        alreadySigned: already,
      });
    }
  } finally {
    children.wipe();
  }
  if (psbt.version === 2) {
    // BIP370 documents also need PSBT_GLOBAL_TX_MODIFIABLE updated; the strict module does that (and re-reads).
    const signedPsbt = withAddedInputEntries(psbt, additions.map((a) => ({ index: a.index, entries: [a.entry] })));
    return { psbt: serializePsbt(signedPsbt), inputs: reports };
  }
  // v0: insert each new key-value in key order; everything else keeps its bytes (BitGo's responses are exactly
  // the request plus these entries). The entries are built by the strict module's constructors.
  const inputs = psbt.inputs.slice();
  for (const a of additions) inputs[a.index] = insertEntry(inputs[a.index]!, a.entry, `input ${a.index}`);
  return { psbt: serializePsbt({ ...psbt, inputs }), inputs: reports };
}

function prevoutOf(psbt: StrictPsbt, index: number): { script: Uint8Array; value: bigint } {
  const f = inputFields(psbt, index);
  if (f.witnessUtxo) return f.witnessUtxo;
  throw new SigningError(`input ${index}: taproot signing needs the spent output of every input, and input ${index} has none`, 'input_utxo_missing');
}
