// The output scripts and addresses of a BitGo 2-of-3 wallet at (chain, index): what an input must spend and what a
// change output must pay to. The one place that turns the three xpubs into scripts; the intake's wallet
// validation, the legacy format and the review's change verification all call it.
//
// Script shapes (BitGoJS utxo-lib `outputScripts`):
// - p2sh      (0/1):   scriptPubKey OP_HASH160 <hash160(ms)> OP_EQUAL, redeemScript = ms
// - p2shP2wsh (10/11): scriptPubKey OP_HASH160 <hash160(p2wsh(ms))> OP_EQUAL, redeemScript = 0 <sha256(ms)>,
//                      witnessScript = ms
// - p2wsh     (20/21): scriptPubKey 0 <sha256(ms)>, witnessScript = ms
//   where ms = OP_2 <user> <backup> <bitgo> OP_3 OP_CHECKMULTISIG (wallet order, not sorted).
// - p2trLegacy (30/31): BIP341 output; internal key = BitGo's legacy MuSig aggregate of user+bitgo; tree of three
//   2-of-2 leaves, user+bitgo at depth 1, user+backup and backup+bitgo at depth 2.
// - p2trMusig2 (40/41): BIP341 output; internal key = BIP327 KeyAgg(user, bitgo) (the key path BitGo signs with
//   MuSig2); tree of two leaves at depth 1, user+backup and backup+bitgo (the script-path fallbacks).
import { address as btcAddress, networks, type Network } from 'bitcoinjs-lib';
import { SignerError } from '../../shared/errors';
import { hash160, sha256 } from '../crypto/hash';
import { bytesEqual, concatBytes } from '../util/bytes';
import { formatPath, isChangeChain, scriptTypeForChain, walletPath, type ScriptType } from './chains';
import { deriveWalletKeys, parseXpubTriple, type DerivedKeys, type WalletKeys } from './keys';
import { legacyP2trInternalKey, musig2InternalKey } from './musig-keyagg';
import { buildTaproot, LEGACY_TREE, MUSIG2_TREE, type TaprootInfo } from './taproot';

export interface WalletOutputScript {
  chain: number;
  index: number;
  scriptType: ScriptType;
  isChange: boolean;
  /** m/0/0/<chain>/<index> below each root key. */
  path: string;
  pubkeys: DerivedKeys;
  scriptPubKey: Uint8Array;
  /** p2sh: the multisig script; p2shP2wsh: the witness program script 0 <sha256(witnessScript)>. */
  redeemScript?: Uint8Array;
  /** p2shP2wsh and p2wsh: the multisig script. */
  witnessScript?: Uint8Array;
  taproot?: TaprootInfo;
}

/** The wallet's three keys: parsed nodes, or the request's `pubs` strings (parsed, with BitGo's errors). */
export type WalletKeySource = WalletKeys | readonly string[];

/** A script that cannot be made: no address form, or a taproot tweak that fails. */
export class WalletScriptError extends SignerError {
  constructor(message: string, code: 'wallet_script_invalid' | 'wallet_key_aggregation_failed') {
    super('WalletScriptError', message, code);
  }
}

function toWalletKeys(keys: WalletKeySource): WalletKeys {
  return Array.isArray(keys) ? parseXpubTriple(keys) : (keys as WalletKeys);
}

const OP_0 = 0x00;
const OP_1 = 0x51;
const OP_2 = 0x52;
const OP_3 = 0x53;
const OP_HASH160 = 0xa9;
const OP_EQUAL = 0x87;
const OP_CHECKMULTISIG = 0xae;

/** OP_2 <user> <backup> <bitgo> OP_3 OP_CHECKMULTISIG, the script of p2sh, p2shP2wsh and p2wsh wallet addresses. */
export function multisigScript(k: DerivedKeys): Uint8Array {
  return concatBytes([Uint8Array.of(OP_2), ...[k.user, k.backup, k.bitgo].flatMap((pk) => [Uint8Array.of(pk.length), pk]), Uint8Array.of(OP_3, OP_CHECKMULTISIG)]);
}

/** 0 <sha256(witnessScript)>: a P2WSH program. */
export function p2wshProgram(witnessScript: Uint8Array): Uint8Array {
  return concatBytes([Uint8Array.of(OP_0, 32), sha256(witnessScript)]);
}

function p2shOutput(redeem: Uint8Array): Uint8Array {
  return concatBytes([Uint8Array.of(OP_HASH160, 20), hash160(redeem), Uint8Array.of(OP_EQUAL)]);
}

/** Everything about the wallet output at (chain, index): scripts, keys, taproot tree. */
export function walletOutputScript(keys: WalletKeySource, chain: number, index: number): WalletOutputScript {
  const pubkeys = deriveWalletKeys(toWalletKeys(keys), chain, index); // checks chain and index first
  const scriptType = scriptTypeForChain(chain)!;
  const base = { chain, index, scriptType, isChange: isChangeChain(chain), path: formatPath(walletPath(chain, index)), pubkeys };
  switch (scriptType) {
    case 'p2sh': {
      const ms = multisigScript(pubkeys);
      return { ...base, scriptPubKey: p2shOutput(ms), redeemScript: ms };
    }
    case 'p2shP2wsh': {
      const ms = multisigScript(pubkeys);
      const redeem = p2wshProgram(ms);
      return { ...base, scriptPubKey: p2shOutput(redeem), redeemScript: redeem, witnessScript: ms };
    }
    case 'p2wsh': {
      const ms = multisigScript(pubkeys);
      return { ...base, scriptPubKey: p2wshProgram(ms), witnessScript: ms };
    }
    case 'p2trLegacy':
    case 'p2trMusig2': {
      const taproot =
        scriptType === 'p2trLegacy'
          ? buildTaproot(legacyP2trInternalKey(pubkeys.user, pubkeys.bitgo), LEGACY_TREE, pubkeys)
          : buildTaproot(musig2InternalKey(pubkeys.user, pubkeys.bitgo), MUSIG2_TREE, pubkeys);
      if (!taproot) throw new WalletScriptError('taproot tweak produced an invalid output key', 'wallet_key_aggregation_failed');
      // BIP341 output: OP_1 <32-byte output key>.
      return { ...base, scriptPubKey: concatBytes([Uint8Array.of(OP_1, 32), taproot.outputKey]), taproot };
    }
  }
}

/** The address of a scriptPubKey on a network (base58 p2sh, bech32 v0, bech32m v1). */
export function scriptAddress(scriptPubKey: Uint8Array, network: Network = networks.bitcoin): string {
  try {
    return btcAddress.fromOutputScript(scriptPubKey, network);
  } catch {
    throw new WalletScriptError('script has no address form on this network', 'wallet_script_invalid');
  }
}

/** The wallet address at (chain, index) on `network` (testnet for tbtc). */
export function walletAddress(keys: WalletKeySource, chain: number, index: number, network: Network = networks.bitcoin): string {
  return scriptAddress(walletOutputScript(keys, chain, index).scriptPubKey, network);
}

/**
 * Finds which (chain, index) of this wallet a scriptPubKey pays to, trying the given candidates (e.g. from a
 * PSBT's bip32 derivation). Returns undefined when none matches: the caller decides whether that is an error.
 */
export function matchWalletScript(keys: WalletKeySource, scriptPubKey: Uint8Array, candidates: readonly { chain: number; index: number }[]): WalletOutputScript | undefined {
  const k = toWalletKeys(keys);
  for (const { chain, index } of candidates) {
    if (scriptTypeForChain(chain) === undefined) continue;
    const out = walletOutputScript(k, chain, index);
    if (bytesEqual(out.scriptPubKey, scriptPubKey)) return out;
  }
  return undefined;
}
