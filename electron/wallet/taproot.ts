// BIP341 taproot for BitGo wallets: leaf and branch hashes, the output-key tweak, BitGo's 2-of-2 tapscript leaves
// and the two script trees. The one copy of each; the intake's commitment checks, the engine, the finalizer and
// the wallet scripts all use it.
import { ecc } from '../crypto/ecc';
import { taggedHash } from '../crypto/hash';
import { bytesEqual, compactSizeBytes, compareBytes, concatBytes } from '../util/bytes';
import { ROLES, type Role } from './chains';
import type { DerivedKeys } from './keys';

/** BIP341 leaf version of every BitGo tapscript leaf (BIP342 tapscript). */
export const TAPSCRIPT_LEAF_VERSION = 0xc0;

/** BIP341: tapleaf hash = hashTapLeaf(leaf version || compact size(script) || script). */
export function tapLeafHash(script: Uint8Array, leafVersion = TAPSCRIPT_LEAF_VERSION): Uint8Array {
  return taggedHash('TapLeaf', Uint8Array.of(leafVersion), compactSizeBytes(script.length), script);
}

/** BIP341: a branch hashes its two children in lexicographic order. */
export function tapBranch(a: Uint8Array, b: Uint8Array): Uint8Array {
  return compareBytes(a, b) <= 0 ? taggedHash('TapBranch', a, b) : taggedHash('TapBranch', b, a);
}

/**
 * BIP341 output key: Q = P + hashTapTweak(P || merkle root)·G (no root: the tweak hashes P alone). Undefined when
 * P is not an x-only point or the tweak fails.
 */
export function tapTweak(internalKey: Uint8Array, merkleRoot?: Uint8Array): { outputKey: Uint8Array; parity: number } | undefined {
  if (internalKey.length !== 32 || !ecc.isXOnlyPoint(internalKey)) return undefined;
  const t = merkleRoot ? taggedHash('TapTweak', internalKey, merkleRoot) : taggedHash('TapTweak', internalKey);
  const r = ecc.xOnlyPointAddTweak(internalKey, t);
  return r ? { outputKey: new Uint8Array(r.xOnlyPubkey), parity: r.parity } : undefined;
}

/** x-only (BIP340) form of a 33-byte compressed key; a 32-byte key is returned as it is. */
export function xOnly(pk: Uint8Array): Uint8Array {
  return pk.length === 33 ? pk.subarray(1) : pk;
}

const OP_CHECKSIG = 0xac;
const OP_CHECKSIGVERIFY = 0xad;

/** `<x(a)> OP_CHECKSIGVERIFY <x(b)> OP_CHECKSIG`: a BitGo 2-of-2 tapscript leaf. */
export function twoOfTwoLeaf(a: Uint8Array, b: Uint8Array): Uint8Array {
  return concatBytes([Uint8Array.of(32), xOnly(a), Uint8Array.of(OP_CHECKSIGVERIFY, 32), xOnly(b), Uint8Array.of(OP_CHECKSIG)]);
}

/** The two keys of a 2-of-2 leaf, or undefined when the script is not of that form. */
export function parseTwoOfTwoLeaf(script: Uint8Array): [Uint8Array, Uint8Array] | undefined {
  if (script.length !== 68 || script[0] !== 32 || script[33] !== OP_CHECKSIGVERIFY || script[34] !== 32 || script[67] !== OP_CHECKSIG) return undefined;
  return [script.subarray(1, 33), script.subarray(35, 67)];
}

/**
 * Which pair of wallet keys a taproot leaf belongs to (BitGo's leaves: user+bitgo, user+backup, backup+bitgo, in
 * that key order within the leaf), or undefined when the leaf is not one of this wallet's at this path.
 */
export function leafPair(script: Uint8Array, k: DerivedKeys): [Role, Role] | undefined {
  const keys = parseTwoOfTwoLeaf(script);
  if (!keys) return undefined;
  const role = (xk: Uint8Array): Role | undefined => ROLES.find((r) => bytesEqual(xOnly(k[r]), xk));
  const a = role(keys[0]);
  const b = role(keys[1]);
  return a && b && a !== b ? [a, b] : undefined;
}

export interface TapLeafInfo {
  /** The two wallet keys of this 2-of-2 leaf, in the order they appear in the script. */
  pair: [Role, Role];
  script: Uint8Array;
  leafVersion: number;
  leafHash: Uint8Array;
  /** Depth in the tree (1 = child of the root). */
  depth: number;
  /** BIP341 control block for spending this leaf: (leafVersion | parity) || internal key || merkle path. */
  controlBlock: Uint8Array;
}

export interface TaprootInfo {
  internalKey: Uint8Array;
  /** x-only output key Q (BIP341). */
  outputKey: Uint8Array;
  /** 0 or 1: parity of Q's Y coordinate (goes into every control block). */
  parity: number;
  merkleRoot: Uint8Array;
  leaves: TapLeafInfo[];
}

/** A tree node: a leaf (pair of roles) or two subtrees. */
export type TapTree = [Role, Role] | { left: TapTree; right: TapTree };

// BitGo's trees (utxo-lib outputScripts: legacy p2tr uses Huffman weights [2, 1, 1], MuSig2 two equal leaves).
export const LEGACY_TREE: TapTree = { left: ['user', 'bitgo'], right: { left: ['user', 'backup'], right: ['backup', 'bitgo'] } };
export const MUSIG2_TREE: TapTree = { left: ['user', 'backup'], right: ['backup', 'bitgo'] };

/** The tree's leaves, merkle root, output key and control blocks for one wallet path. */
export function buildTaproot(internalKey: Uint8Array, tree: TapTree, k: DerivedKeys): TaprootInfo | undefined {
  const leaves: { pair: [Role, Role]; script: Uint8Array; leafHash: Uint8Array; depth: number; path: Uint8Array[] }[] = [];
  // Returns the node hash; records for every leaf the sibling hashes from the leaf up (the merkle path).
  const walk = (node: TapTree, depth: number): { hash: Uint8Array; leafIds: number[] } => {
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
  const tweaked = tapTweak(internalKey, merkleRoot);
  if (!tweaked) return undefined;
  const { outputKey, parity } = tweaked;
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
      controlBlock: concatBytes([Uint8Array.of(TAPSCRIPT_LEAF_VERSION | parity), internalKey, ...l.path]),
    })),
  };
}
