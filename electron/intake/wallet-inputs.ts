// BitGo's "wallet validation" of a PSBT: each input must spend this wallet's own script at the BitGo path its
// derivation data names, re-derived from the three xpubs. The review shows what fails in words; the approval gate
// runs this first so BitGo's own error (name, code and message) comes back where Express would give it; the
// engine signs from the plan it returns.
import type { ReviewScriptType } from '../../shared/review';
import { SignerError } from '../../shared/errors';
import { bytesEqual } from '../util/bytes';
import { isTaproot, parseWalletPath } from '../wallet/chains';
import { deriveWalletKeys, fingerprintOf, type DerivedKeys, type WalletKeys } from '../wallet/keys';
import { multisigScript, p2wshProgram } from '../wallet/scripts';
import { musig2InternalKey } from '../wallet/musig-keyagg';
import { buildTaproot, leafPair, MUSIG2_TREE, tapLeafHash, TAPSCRIPT_LEAF_VERSION } from '../wallet/taproot';
import { musig2KeyPath, type Musig2KeyPath } from './musig2-fields';
import type { StrictPsbt } from './psbt-strict';
import { inputFields, type InputFields } from './psbt-view';

/** BitGo's wallet-validation failure, with BitGo's exact message and code (cases/error-wrong-pubs). */
export class WalletValidationError extends SignerError {
  readonly inputIndex: number;
  /** Our own diagnosis (which check failed); kept out of the BitGo-compatible message. */
  readonly detail: string;
  constructor(index: number, detail: string) {
    super('Error', `Input ${index}: wallet validation failed: no derivation path matched wallet keys`, 'ParseTransactionError.Input/ParseInputError.WalletValidation');
    this.inputIndex = index;
    this.detail = detail;
  }
}

/** What the engine needs to sign one input, established by the wallet validation. */
export interface PlannedInput {
  index: number;
  fields: InputFields;
  scriptType: ReviewScriptType;
  chain: number;
  derivationIndex: number;
  keys: DerivedKeys;
  /** p2sh / p2shP2wsh / p2wsh: the multisig script; taproot: the leaf script signed. */
  script: Uint8Array;
  leafHash?: Uint8Array;
  /** A MuSig2 key-path input (chains 40/41 spent without a leaf): its session's keys, tweak and BitGo fields. */
  musig2?: Musig2KeyPath;
}

function walletPathOf(index: number, path: readonly number[]): { chain: number; derivationIndex: number; scriptType: ReviewScriptType } {
  const p = parseWalletPath(path);
  if (!p.ok) throw new WalletValidationError(index, p.why);
  return { chain: p.chain, derivationIndex: p.index, scriptType: p.scriptType };
}

/** Locates the user key's derivation in input `index` and checks the input's scripts against the wallet's. */
export function planInput(psbt: StrictPsbt, index: number, wallet: WalletKeys): PlannedInput {
  const fields = inputFields(psbt, index);
  const userFingerprint = fingerprintOf(wallet.user);
  const fail = (why: string) => new WalletValidationError(index, why);
  const taproot = fields.tapLeafScript.length > 0 || fields.tapInternalKey !== undefined || (fields.witnessUtxo?.script[0] === 0x51 && fields.witnessUtxo.script.length === 34);
  if (taproot) {
    const d = fields.tapBip32Derivation.find((x) => bytesEqual(x.masterFingerprint, userFingerprint));
    if (!d) throw fail('no taproot derivation for the user key');
    const { chain, derivationIndex, scriptType } = walletPathOf(index, d.path);
    if (!isTaproot(scriptType)) throw fail(`taproot input on a ${scriptType} chain`);
    const keys = deriveWalletKeys(wallet, chain, derivationIndex);
    if (!bytesEqual(keys.user.subarray(1), d.xOnlyPubkey)) throw fail('derived user key differs from the derivation entry');
    // The user signs a leaf it is part of: BitGo's user+bitgo leaf (p2trLegacy) or user+backup leaf (MuSig2 script
    // path). A MuSig2 key-path spend has no such leaf.
    const leaf = fields.tapLeafScript.find((l) => l.leafVersion === TAPSCRIPT_LEAF_VERSION && leafPair(l.script, keys)?.includes('user'));
    if (!leaf) {
      if (scriptType === 'p2trMusig2' && fields.tapLeafScript.length === 0) {
        // The MuSig2 key path: the user and BitGo keys sign together (two steps, signing/musig2.ts).
        const merkleRoot = buildTaproot(musig2InternalKey(keys.user, keys.bitgo), MUSIG2_TREE, keys)?.merkleRoot;
        if (!merkleRoot) throw fail('the wallet taproot tree cannot be built at this path');
        const musig2 = musig2KeyPath(psbt, fields, keys, merkleRoot);
        return { index, fields, scriptType, chain, derivationIndex, keys, script: new Uint8Array(0), musig2 };
      }
      throw fail('no tap leaf of this wallet contains the user key');
    }
    const leafHash = tapLeafHash(leaf.script, leaf.leafVersion);
    if (!d.leafHashes.some((h) => bytesEqual(h, leafHash))) throw fail('the user key derivation does not list the leaf it would sign');
    return { index, fields, scriptType, chain, derivationIndex, keys, script: leaf.script, leafHash };
  }
  const d = fields.bip32Derivation.find((x) => bytesEqual(x.masterFingerprint, userFingerprint));
  if (!d) throw fail('no derivation for the user key');
  const { chain, derivationIndex, scriptType } = walletPathOf(index, d.path);
  if (isTaproot(scriptType)) throw fail(`non-taproot input on taproot chain ${chain}`);
  const keys = deriveWalletKeys(wallet, chain, derivationIndex);
  if (!bytesEqual(keys.user, d.pubkey)) throw fail('derived user key differs from the derivation entry');
  const ms = multisigScript(keys);
  const same = (a: Uint8Array | undefined, b: Uint8Array | undefined) => (a === undefined ? b === undefined : b !== undefined && bytesEqual(a, b));
  const expected = {
    p2sh: { redeem: ms, witness: undefined },
    p2shP2wsh: { redeem: p2wshProgram(ms), witness: ms },
    p2wsh: { redeem: undefined, witness: ms },
  }[scriptType];
  if (!same(fields.redeemScript, expected.redeem) || !same(fields.witnessScript, expected.witness)) {
    throw fail(`the input's scripts are not this wallet's ${scriptType} script at chain ${chain} index ${derivationIndex}`);
  }
  return { index, fields, scriptType, chain, derivationIndex, keys, script: ms };
}

/**
 * BitGo's wallet validation of every input (or the listed ones), in input order: a wrong cosigner set fails on
 * input 0, as BitGo's does. Returns the plans; throws WalletValidationError naming the first input that fails.
 */
export function validateWalletInputs(psbt: StrictPsbt, wallet: WalletKeys, indexes?: readonly number[]): PlannedInput[] {
  return (indexes ?? psbt.inputs.map((_, k) => k)).map((i) => planInput(psbt, i, wallet));
}
