// A generic BIP174 HD signer's key checks, for running public PSBT vectors (BIP174, HWI, bitcoinjs-lib, hardware
// signer attack cases) through the product's input checks. The product never needs these: a BitGo wallet's key is
// located by its path rule and re-derived from the wallet's xpubs (electron/intake/wallet-inputs.ts).
import { crypto as bcrypto } from 'bitcoinjs-lib';
import type { CheckedInput, SignerInputView } from '../../electron/intake/input-checks';
import { bytesEqual, toHex } from '../../electron/util/bytes';

/** A key check of the generic signer failed for one input; codes are this helper's own (input_bip32_*, input_key_*). */
export class Bip174KeyError extends Error {
  readonly inputIndex: number;
  readonly code: string;
  constructor(inputIndex: number, code: string, message: string) {
    super(`input ${inputIndex}: ${message}`);
    this.name = 'Bip174KeyError';
    this.inputIndex = inputIndex;
    this.code = code;
  }
}

/** A BIP32 key as bip32's BIP32Interface exposes it (only what the derivation check needs). */
export interface Bip32Node {
  fingerprint: Uint8Array;
  publicKey: Uint8Array;
  derivePath(path: string): Bip32Node;
}

export interface Bip32DerivationEntry {
  pubkey: Uint8Array;
  masterFingerprint: Uint8Array;
  path: string | number[];
}

function pathString(path: string | number[]): string {
  if (typeof path === 'string') return path;
  return ['m', ...path.map((n) => (n >= 0x80000000 ? `${n - 0x80000000}'` : String(n)))].join('/');
}

/**
 * BIP174 Signer with an HD key: pick the PSBT_IN_BIP32_DERIVATION entry whose master fingerprint is `root`'s,
 * derive its path, and require the derived public key to equal the listed one (a mismatch means the PSBT lies
 * about which key the input needs, so nothing is signed). Returns the derived node to sign with.
 * Codes: `input_bip32_derivation_missing`, `input_bip32_fingerprint_missing`, `input_bip32_pubkey_mismatch`.
 */
export function deriveInputKey<N extends Bip32Node>(index: number, root: N, derivations: readonly Bip32DerivationEntry[] | undefined): { node: N; path: string } {
  if (!derivations || derivations.length === 0) {
    throw new Bip174KeyError(index, 'input_bip32_derivation_missing', 'no BIP32 derivation is given, so the signing key cannot be located');
  }
  const mine = derivations.filter((d) => bytesEqual(d.masterFingerprint, root.fingerprint));
  if (mine.length === 0) {
    throw new Bip174KeyError(index, 'input_bip32_fingerprint_missing', `no BIP32 derivation names this key's master fingerprint ${toHex(root.fingerprint)}`);
  }
  for (const d of mine) {
    const path = pathString(d.path);
    let node: N;
    try {
      node = root.derivePath(path) as N;
    } catch {
      throw new Bip174KeyError(index, 'input_bip32_path_invalid', `BIP32 derivation path ${path} cannot be derived from this key`);
    }
    if (bytesEqual(node.publicKey, d.pubkey)) return { node, path };
  }
  throw new Bip174KeyError(index, 'input_bip32_pubkey_mismatch', `the public key derived at the listed path does not match the BIP32 derivation's public key`);
}

/** Pushes of `pubkey` inside `script` (any of the direct push opcodes 0x01-0x4b), without parsing the script. */
function scriptPushesKey(script: Uint8Array, pubkey: Uint8Array): boolean {
  const n = pubkey.length;
  for (let p = 0; p + n < script.length; p++) {
    if (script[p] === n && bytesEqual(script.subarray(p + 1, p + 1 + n), pubkey)) return true;
  }
  return false;
}

/**
 * The key is one the input's script actually needs (bitcoinjs's "Can not sign for this input with the key"):
 * HASH160(pubkey) for P2PKH / P2WPKH / P2SH-P2WPKH, a push of the key in the redeem/witness script for script
 * spends. Taproot is not covered here (key-path keys are tweaked; the engine checks them). Code
 * `input_key_not_in_script`.
 */
export function assertKeyInInput(checked: CheckedInput, input: SignerInputView, pubkey: Uint8Array): void {
  const i = checked.index;
  const miss = (where: string): never => {
    throw new Bip174KeyError(i, 'input_key_not_in_script', `the signing key ${toHex(pubkey)} does not appear in the ${where}`);
  };
  switch (checked.spendType) {
    case 'p2pkh':
      if (!bytesEqual(bcrypto.hash160(pubkey), checked.prevout.script.subarray(3, 23))) miss('spent P2PKH output');
      return;
    case 'p2wpkh':
      if (!bytesEqual(bcrypto.hash160(pubkey), checked.prevout.script.subarray(2))) miss('spent P2WPKH output');
      return;
    case 'p2sh-p2wpkh':
      if (!input.redeemScript || !bytesEqual(bcrypto.hash160(pubkey), input.redeemScript.subarray(2))) miss('P2SH-P2WPKH redeemScript');
      return;
    case 'p2sh':
      if (!input.redeemScript || !scriptPushesKey(input.redeemScript, pubkey)) miss('redeemScript');
      return;
    case 'p2wsh':
    case 'p2sh-p2wsh':
      if (!input.witnessScript || !scriptPushesKey(input.witnessScript, pubkey)) miss('witnessScript');
      return;
    case 'bare':
      if (!scriptPushesKey(checked.prevout.script, pubkey)) miss('spent output script');
      return;
    case 'p2tr':
      throw new Bip174KeyError(i, 'input_script_unsupported', 'taproot key membership is checked by the engine, not by assertKeyInInput');
  }
}

