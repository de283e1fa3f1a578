// The output scripts and addresses of a BitGo 2-of-3 wallet at (chain, index): what an input must spend and what a
// change output must pay to. This is the one place that turns the three xpubs into scripts; the signing engine,
// the legacy format and the review (change verification) all call it.
//
// Key derivation, chain table and leaf scripts live in ../bitgo/wallet (shared with the PSBT engine); this module
// adds the full output description: scriptPubKey, redeem/witness scripts, the taproot tree and address encoding.
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
import { createHash } from 'node:crypto';
import { address as btcAddress, networks, type Network } from 'bitcoinjs-lib';
import type { BIP32Interface } from 'bip32';
import { SignerError } from '../../shared/errors';
import { ecc } from '../crypto/ecc';
import {
  deriveWalletKeys as deriveFromNodes,
  isChangeChain,
  multisigScript,
  parseXpubTriple,
  scriptTypeForChain,
  twoOfTwoLeaf,
  walletPath,
  type DerivedKeys,
  type Role,
  type ScriptType,
  type WalletKeys,
} from '../bitgo/wallet';
import { legacyP2trInternalKey, musig2InternalKey, taggedHash } from './musig-keyagg';

export { isChangeChain, parseXpubTriple, scriptTypeForChain, walletPath };
export type { DerivedKeys, Role, ScriptType, WalletKeys };

/** The chains BitGo defines, ascending. */
export const WALLET_CHAINS: readonly number[] = [0, 1, 10, 11, 20, 21, 30, 31, 40, 41];

/** BIP341 leaf version of every BitGo tapscript leaf. */
export const TAPSCRIPT_LEAF_VERSION = 0xc0;

export interface TapLeafInfo {
  /** The two wallet keys of this 2-of-2 leaf, in the order they appear in the script. */
  pair: [Role, Role];
  script: Uint8Array;
  leafVersion: number;
  /** BIP341 tapleaf hash. */
  leafHash: Uint8Array;
  /** Depth in the tree (1 = child of the root). */
  depth: number;
  /** BIP341 control block for spending this leaf: (leafVersion | parity) || internal key || merkle path. */
  controlBlock: Uint8Array;
}

export interface TaprootInfo {
  internalKey: Uint8Array;
  /** x-only output key Q = P + H_TapTweak(P || root)·G (BIP341). */
  outputKey: Uint8Array;
  /** 0 or 1: parity of Q's Y coordinate (goes into every control block). */
  parity: number;
  merkleRoot: Uint8Array;
  leaves: TapLeafInfo[];
}

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

/** Anything that names a wallet's three keys: parsed nodes or the request's `pubs` strings. */
export type WalletKeySource = WalletKeys | readonly [BIP32Interface, BIP32Interface, BIP32Interface] | readonly string[];

function scriptError(message: string, code: string): SignerError {
  return new SignerError('WalletScriptError', message, code);
}

// Parsed xpub triples by their text, so repeated calls with the request's `pubs` reuse the derivation caches of
// ../bitgo/wallet (which are keyed by node). Public data only; bounded so a long session cannot grow it forever.
const parsedTriples = new Map<string, WalletKeys>();
const MAX_PARSED_TRIPLES = 64;

function toWalletKeys(keys: WalletKeySource): WalletKeys {
  if (Array.isArray(keys)) {
    if (keys.every((k) => typeof k === 'string')) {
      const id = keys.join(' ');
      let parsed = parsedTriples.get(id);
      if (!parsed) {
        parsed = parseXpubTriple(keys);
        if (parsedTriples.size >= MAX_PARSED_TRIPLES) parsedTriples.clear();
        parsedTriples.set(id, parsed);
      }
      return parsed;
    }
    const [user, backup, bitgo] = keys as readonly BIP32Interface[];
    if (!user || !backup || !bitgo || keys.length !== 3) throw scriptError(`a wallet has three keys [user, backup, bitgo], got ${keys.length}`, 'wallet_keys_invalid');
    return { user, backup, bitgo };
  }
  return keys as WalletKeys;
}

/** Checks chain and index before any derivation, naming the bad value. */
export function assertChainIndex(chain: unknown, index: unknown): asserts chain is number {
  if (typeof chain !== 'number' || scriptTypeForChain(chain) === undefined) {
    throw scriptError(`chain ${String(chain)} is not a BitGo wallet chain (expected one of ${WALLET_CHAINS.join(', ')})`, 'wallet_chain_unknown');
  }
  // Unhardened BIP32 index: 0 <= index < 2^31 (BIP32 "Child key derivation").
  if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= 0x80000000) {
    throw scriptError(`index ${String(index)} on chain ${chain} is not an unhardened BIP32 index (0 to 2^31-1)`, 'wallet_index_invalid');
  }
}

/** The three public keys at m/0/0/<chain>/<index>, in wallet order. */
export function deriveWalletKeys(keys: WalletKeySource, chain: number, index: number): DerivedKeys {
  assertChainIndex(chain, index);
  return deriveFromNodes(toWalletKeys(keys), chain, index);
}

const sha256 = (b: Uint8Array): Uint8Array => new Uint8Array(createHash('sha256').update(b).digest());
const hash160 = (b: Uint8Array): Uint8Array => new Uint8Array(createHash('ripemd160').update(sha256(b)).digest());

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function compare(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

const OP_0 = 0x00;
const OP_1 = 0x51;
const OP_HASH160 = 0xa9;
const OP_EQUAL = 0x87;

const p2shOutput = (redeem: Uint8Array) => concat(Uint8Array.of(OP_HASH160, 20), hash160(redeem), Uint8Array.of(OP_EQUAL));
const p2wshOutput = (witness: Uint8Array) => concat(Uint8Array.of(OP_0, 32), sha256(witness));

/** BIP341 TapLeaf hash of a tapscript (the script is always < 253 bytes here: 68-byte leaves). */
export function tapLeafHash(script: Uint8Array, leafVersion = TAPSCRIPT_LEAF_VERSION): Uint8Array {
  if (script.length >= 0xfd) throw scriptError('tapscript longer than 252 bytes is not a BitGo leaf', 'wallet_script_invalid');
  return taggedHash('TapLeaf', Uint8Array.of(leafVersion, script.length), script);
}

/** BIP341 TapBranch: the two child hashes in lexicographic order. */
function tapBranch(a: Uint8Array, b: Uint8Array): Uint8Array {
  return compare(a, b) <= 0 ? taggedHash('TapBranch', a, b) : taggedHash('TapBranch', b, a);
}

/** A tree node: a leaf (pair of roles) or two subtrees. */
type Tree = [Role, Role] | { left: Tree; right: Tree };

// BitGo's trees (utxo-lib outputScripts: legacy p2tr uses Huffman weights [2, 1, 1], MuSig2 two equal leaves).
const LEGACY_TREE: Tree = { left: ['user', 'bitgo'], right: { left: ['user', 'backup'], right: ['backup', 'bitgo'] } };
const MUSIG2_TREE: Tree = { left: ['user', 'backup'], right: ['backup', 'bitgo'] };

function buildTaproot(internalKey: Uint8Array, tree: Tree, k: DerivedKeys): TaprootInfo {
  const leaves: { pair: [Role, Role]; script: Uint8Array; leafHash: Uint8Array; depth: number; path: Uint8Array[] }[] = [];
  // Returns the node hash; records for every leaf the sibling hashes from the leaf up (the merkle path).
  const walk = (node: Tree, depth: number): { hash: Uint8Array; leafIds: number[] } => {
    if (Array.isArray(node)) {
      const script = twoOfTwoLeaf(k[node[0]], k[node[1]]);
      const leafHash = tapLeafHash(script);
      leaves.push({ pair: node, script, leafHash, depth, path: [] });
      return { hash: leafHash, leafIds: [leaves.length - 1] };
    }
    const l = walk(node.left, depth + 1);
    const r = walk(node.right, depth + 1);
    for (const id of l.leafIds) leaves[id]!.path.push(r.hash);
    for (const id of r.leafIds) leaves[id]!.path.push(l.hash);
    return { hash: tapBranch(l.hash, r.hash), leafIds: [...l.leafIds, ...r.leafIds] };
  };
  const merkleRoot = walk(tree, 0).hash;
  const tweak = taggedHash('TapTweak', internalKey, merkleRoot);
  const tweaked = ecc.xOnlyPointAddTweak(internalKey, tweak);
  if (!tweaked) throw scriptError('taproot tweak produced an invalid output key', 'wallet_key_aggregation_failed');
  const outputKey = new Uint8Array(tweaked.xOnlyPubkey);
  const parity = tweaked.parity;
  return {
    internalKey,
    outputKey,
    parity,
    merkleRoot,
    leaves: leaves.map((l) => ({
      pair: l.pair,
      script: l.script,
      leafVersion: TAPSCRIPT_LEAF_VERSION,
      leafHash: l.leafHash,
      depth: l.depth,
      controlBlock: concat(Uint8Array.of(TAPSCRIPT_LEAF_VERSION | parity), internalKey, ...l.path),
    })),
  };
}

/** Everything about the wallet output at (chain, index): scripts, keys, taproot tree. */
export function walletOutputScript(keys: WalletKeySource, chain: number, index: number): WalletOutputScript {
  assertChainIndex(chain, index);
  const scriptType = scriptTypeForChain(chain)!;
  const pubkeys = deriveFromNodes(toWalletKeys(keys), chain, index);
  const base = { chain, index, scriptType, isChange: isChangeChain(chain), path: `m/${walletPath(chain, index).join('/')}`, pubkeys };
  switch (scriptType) {
    case 'p2sh': {
      const ms = multisigScript(pubkeys);
      return { ...base, scriptPubKey: p2shOutput(ms), redeemScript: ms };
    }
    case 'p2shP2wsh': {
      const ms = multisigScript(pubkeys);
      const redeem = p2wshOutput(ms);
      return { ...base, scriptPubKey: p2shOutput(redeem), redeemScript: redeem, witnessScript: ms };
    }
    case 'p2wsh': {
      const ms = multisigScript(pubkeys);
      return { ...base, scriptPubKey: p2wshOutput(ms), witnessScript: ms };
    }
    case 'p2trLegacy':
    case 'p2trMusig2': {
      const taproot =
        scriptType === 'p2trLegacy'
          ? buildTaproot(legacyP2trInternalKey(pubkeys.user, pubkeys.bitgo), LEGACY_TREE, pubkeys)
          : buildTaproot(musig2InternalKey(pubkeys.user, pubkeys.bitgo), MUSIG2_TREE, pubkeys);
      // BIP341 output: OP_1 <32-byte output key>.
      return { ...base, scriptPubKey: concat(Uint8Array.of(OP_1, 32), taproot.outputKey), taproot };
    }
  }
}

/** The address of a scriptPubKey on a network (base58 p2sh, bech32 v0, bech32m v1). */
export function scriptAddress(scriptPubKey: Uint8Array, network: Network = networks.bitcoin): string {
  try {
    return btcAddress.fromOutputScript(scriptPubKey, network);
  } catch {
    throw scriptError('script has no address form on this network', 'wallet_script_invalid');
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
export function matchWalletScript(
  keys: WalletKeySource,
  scriptPubKey: Uint8Array,
  candidates: readonly { chain: number; index: number }[],
): WalletOutputScript | undefined {
  const k = toWalletKeys(keys);
  for (const { chain, index } of candidates) {
    if (scriptTypeForChain(chain) === undefined) continue;
    const out = walletOutputScript(k, chain, index);
    if (compare(out.scriptPubKey, scriptPubKey) === 0) return out;
  }
  return undefined;
}
