// BitGo 2-of-3 UTXO wallets: the three root keys (user, backup, bitgo), the chain codes that say which script
// type an address uses, and the scripts derived at m/0/0/<chain>/<index> from each root key.
//
// Chains (BitGoJS utxo-lib, `scriptTypeForChain`): 0/1 p2sh, 10/11 p2shP2wsh, 20/21 p2wsh, 30/31 p2trLegacy
// (taproot, script path), 40/41 p2trMusig2 (taproot, MuSig2 key path with script-path fallbacks). Even chains
// receive, odd chains are change.
//
// Multisig scripts list the keys in wallet order, not sorted: OP_2 <user> <backup> <bitgo> OP_3 OP_CHECKMULTISIG.
// Taproot leaves are 2-of-2 tapscripts `<x(a)> OP_CHECKSIGVERIFY <x(b)> OP_CHECKSIG`.
import type { BIP32Interface } from 'bip32';
import { SignerError } from '../../shared/errors';
import { bip32, ecc, notePointValid } from '../crypto/ecc';
import { BoundedMap } from '../crypto/memo';
import { bytesEqual, concatBytes } from '../intake/psbt-bytes';
import { networks } from 'bitcoinjs-lib';
import { childPublic, type PubNode } from './derive';

export type ScriptType = 'p2sh' | 'p2shP2wsh' | 'p2wsh' | 'p2trLegacy' | 'p2trMusig2';
export const CHAINS: Readonly<Record<number, ScriptType>> = {
  0: 'p2sh',
  1: 'p2sh',
  10: 'p2shP2wsh',
  11: 'p2shP2wsh',
  20: 'p2wsh',
  21: 'p2wsh',
  30: 'p2trLegacy',
  31: 'p2trLegacy',
  40: 'p2trMusig2',
  41: 'p2trMusig2',
};

export function scriptTypeForChain(chain: number): ScriptType | undefined {
  return CHAINS[chain];
}

export function isChangeChain(chain: number): boolean {
  return scriptTypeForChain(chain) !== undefined && chain % 2 === 1;
}

export type Role = 'user' | 'backup' | 'bitgo';
export const ROLES: readonly Role[] = ['user', 'backup', 'bitgo'];

export interface WalletKeys {
  user: BIP32Interface;
  backup: BIP32Interface;
  bitgo: BIP32Interface;
}

/**
 * The request's `pubs`: exactly three extended public keys, in BitGo's order [user, backup, bitgo]. The missing
 * case keeps BitGo's exact error (AssertionError, ERR_ASSERTION) because scripts depend on it.
 */
export function parseXpubTriple(pubs: unknown): WalletKeys {
  if (pubs === undefined || pubs === null) {
    throw new SignerError('AssertionError', 'pubs are required for fixed script signing', 'ERR_ASSERTION');
  }
  if (!Array.isArray(pubs) || pubs.length !== 3) {
    throw new SignerError('RequestError', `pubs must be an array of three xpubs [user, backup, bitgo], got ${Array.isArray(pubs) ? `${pubs.length} entries` : typeof pubs}`, 'request_pubs_invalid');
  }
  const nodes = pubs.map((p, i) => {
    const role = ROLES[i]!;
    if (typeof p !== 'string' || p.length > 200) throw new SignerError('RequestError', `pubs[${i}] (${role}) is not an xpub string`, 'request_pubs_invalid');
    for (const network of [networks.bitcoin, networks.testnet]) {
      try {
        const node = bip32.fromBase58(p, network);
        if (!node.isNeutered()) {
          // A private key where a public one belongs: refuse without echoing it.
          throw new SignerError('RequestError', `pubs[${i}] (${role}) is a PRIVATE key; requests must carry public keys only`, 'request_pubs_private');
        }
        return node;
      } catch (e) {
        if (e instanceof SignerError) throw e;
      }
    }
    throw new SignerError('RequestError', `pubs[${i}] (${role}) is not a valid extended public key`, 'request_pubs_invalid');
  });
  return { user: nodes[0]!, backup: nodes[1]!, bitgo: nodes[2]! };
}

/** The unhardened path below each root key at which BitGo derives a wallet script. */
export function walletPath(chain: number, index: number): number[] {
  return [0, 0, chain, index];
}

export interface DerivedKeys {
  user: Uint8Array;
  backup: Uint8Array;
  bitgo: Uint8Array;
}

/**
 * m/0/0/<chain> of each root key, derived once (through the bip32 package) and reused for every index. Keyed by
 * the root's public key and chain code, so every parse of the same xpub (pre-derivation, review, gate, engine)
 * shares them. Public data only; 256 roots at most.
 */
const chainNodes = new BoundedMap<string, Map<number, ChainNode>>(256);

interface ChainNode extends PubNode {
  /** The node's public key and chain code as text: the same node from another parse of the same xpub has the same id. */
  id: string;
}

function chainNode(root: BIP32Interface, chain: number): ChainNode {
  const rootId = String.fromCharCode(...root.publicKey, ...root.chainCode);
  let m = chainNodes.get(rootId);
  if (!m) chainNodes.set(rootId, (m = new Map()));
  let node = m.get(chain);
  if (!node) {
    const n = (root.isNeutered() ? root : root.neutered()).derive(0).derive(0).derive(chain);
    const id = String.fromCharCode(...n.publicKey, ...n.chainCode);
    m.set(chain, (node = { publicKey: n.publicKey, chainCode: n.chainCode, uncompressed: ecc.pointCompress(n.publicKey, false), id }));
  }
  return node;
}

// Child public keys by (chain node, index), shared by every caller in the process: the review, the review gate
// and the engine each parse `pubs` into their own BIP32 objects, but derive the same keys. Public data only; a
// key is the node's public key + chain code + index, so two different nodes never share an entry. 48000 entries
// cover review + signing of a 5000-input request three times over (~10 MB).
const derivedKeys = new BoundedMap<string, Uint8Array>(48_000);

function deriveAt(root: BIP32Interface, chain: number, index: number): Uint8Array {
  const node = chainNode(root, chain);
  const key = `${index}:${node.id}`;
  const hit = derivedKeys.get(key);
  // A copy: callers own what they are given, and the table must not change under them.
  if (hit) return hit.slice();
  const publicKey = childPublic(node, index).publicKey;
  derivedKeys.set(key, publicKey.slice());
  notePointValid(publicKey);
  return publicKey;
}

/** Forgets the shared derivations and chain nodes (the benchmark's cold runs; tests). */
export function clearDerivationMemo(): void {
  derivedKeys.clear();
  chainNodes.clear();
}

export function deriveWalletKeys(keys: WalletKeys, chain: number, index: number): DerivedKeys {
  return { user: deriveAt(keys.user, chain, index), backup: deriveAt(keys.backup, chain, index), bitgo: deriveAt(keys.bitgo, chain, index) };
}

const OP_2 = 0x52;
const OP_3 = 0x53;
const OP_CHECKMULTISIG = 0xae;
const OP_CHECKSIG = 0xac;
const OP_CHECKSIGVERIFY = 0xad;

/** OP_2 <user> <backup> <bitgo> OP_3 OP_CHECKMULTISIG, the script of p2sh, p2shP2wsh and p2wsh wallet addresses. */
export function multisigScript(k: DerivedKeys): Uint8Array {
  return concatBytes([Uint8Array.of(OP_2), ...[k.user, k.backup, k.bitgo].flatMap((pk) => [Uint8Array.of(pk.length), pk]), Uint8Array.of(OP_3, OP_CHECKMULTISIG)]);
}

/** `<x(a)> OP_CHECKSIGVERIFY <x(b)> OP_CHECKSIG`: a BitGo 2-of-2 tapscript leaf. */
export function twoOfTwoLeaf(a: Uint8Array, b: Uint8Array): Uint8Array {
  const x = (pk: Uint8Array) => (pk.length === 33 ? pk.subarray(1) : pk);
  return concatBytes([Uint8Array.of(32), x(a), Uint8Array.of(OP_CHECKSIGVERIFY, 32), x(b), Uint8Array.of(OP_CHECKSIG)]);
}

/** The two keys of a 2-of-2 leaf, or undefined when the script is not of that form. */
export function parseTwoOfTwoLeaf(script: Uint8Array): [Uint8Array, Uint8Array] | undefined {
  if (script.length !== 68 || script[0] !== 32 || script[33] !== OP_CHECKSIGVERIFY || script[34] !== 32 || script[67] !== OP_CHECKSIG) return undefined;
  return [script.subarray(1, 33), script.subarray(35, 67)];
}

/**
 * Which pair of wallet keys a taproot leaf belongs to (BitGo's leaves: user+bitgo, user+backup, backup+bitgo,
 * in that key order within the leaf), or undefined when the leaf is not one of this wallet's at this path.
 */
export function leafPair(script: Uint8Array, k: DerivedKeys): [Role, Role] | undefined {
  const keys = parseTwoOfTwoLeaf(script);
  if (!keys) return undefined;
  const x = (pk: Uint8Array) => pk.subarray(1);
  const role = (xk: Uint8Array): Role | undefined => ROLES.find((r) => bytesEqual(x(k[r]), xk));
  const a = role(keys[0]);
  const b = role(keys[1]);
  return a && b && a !== b ? [a, b] : undefined;
}
