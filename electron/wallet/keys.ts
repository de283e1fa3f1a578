// A wallet's three root keys (user, backup, bitgo) as public BIP32 nodes, and the public keys derived from them at
// m/0/0/<chain>/<index>. Everything here is public data: the wallet's xpubs and what they derive.
//
// Two process-wide memos make "review, then sign" pay for each key once: parsed xpub triples by their text, and
// derived child keys by (chain node, index). Both are bounded and hold public data only.
import type { BIP32Interface } from 'bip32';
import { networks } from 'bitcoinjs-lib';
import { SignerError } from '../../shared/errors';
import { bip32, ecc, notePointValid } from '../crypto/ecc';
import { BoundedMap } from '../util/memo';
import { HARDENED, ROLES, WALLET_CHAINS, scriptTypeForChain } from './chains';
import { childPublic, type PubNode } from './derive';
import type { CurvePool } from '../parallel/pool';

export interface WalletKeys {
  user: BIP32Interface;
  backup: BIP32Interface;
  bitgo: BIP32Interface;
}

/** The three public keys at one wallet path, compressed, in wallet order. */
export interface DerivedKeys {
  user: Uint8Array;
  backup: Uint8Array;
  bitgo: Uint8Array;
}

/** A request's `pubs` that are not three extended public keys. */
export class WalletKeysError extends SignerError {
  constructor(message: string, code: 'request_pubs_invalid' | 'request_pubs_private') {
    super('RequestError', message, code);
  }
}

/** BitGo's own error for a request without `pubs` (AssertionError, ERR_ASSERTION): scripts depend on it. */
export class PubsRequiredError extends SignerError {
  constructor() {
    super('AssertionError', 'pubs are required for fixed script signing', 'ERR_ASSERTION');
  }
}

/** A chain or index that is not a BitGo wallet path step, or a BIP32 child that does not exist. */
export class WalletPathError extends SignerError {
  constructor(message: string, code: 'wallet_chain_unknown' | 'wallet_index_invalid') {
    super('WalletScriptError', message, code);
  }
}

const MAX_XPUB_CHARS = 200;
const parsedTriples = new BoundedMap<string, WalletKeys>(64);

function parseXpub(p: unknown, i: number): BIP32Interface {
  const role = ROLES[i]!;
  if (typeof p !== 'string' || p.length > MAX_XPUB_CHARS) throw new WalletKeysError(`pubs[${i}] (${role}) is not an xpub string`, 'request_pubs_invalid');
  for (const network of [networks.bitcoin, networks.testnet]) {
    let node: BIP32Interface;
    try {
      node = bip32.fromBase58(p, network);
    } catch {
      continue;
    }
    // A private key where a public one belongs: refuse without echoing it.
    if (!node.isNeutered()) throw new WalletKeysError(`pubs[${i}] (${role}) is a PRIVATE key; requests must carry public keys only`, 'request_pubs_private');
    return node;
  }
  throw new WalletKeysError(`pubs[${i}] (${role}) is not a valid extended public key`, 'request_pubs_invalid');
}

/**
 * A request's `pubs`: exactly three extended public keys, in BitGo's order [user, backup, bitgo]. The same text
 * gives the same node objects each time (so the derivation memo below is shared by every reader of a request).
 * A missing `pubs` keeps BitGo's exact error.
 */
export function parseXpubTriple(pubs: unknown): WalletKeys {
  if (pubs === undefined || pubs === null) throw new PubsRequiredError();
  if (!Array.isArray(pubs) || pubs.length !== 3) {
    throw new WalletKeysError(`pubs must be an array of three xpubs [user, backup, bitgo], got ${Array.isArray(pubs) ? `${pubs.length} entries` : typeof pubs}`, 'request_pubs_invalid');
  }
  const id = pubs.every((p) => typeof p === 'string' && p.length <= MAX_XPUB_CHARS) ? pubs.join(' ') : undefined;
  const hit = id === undefined ? undefined : parsedTriples.get(id);
  if (hit) return hit;
  const [user, backup, bitgo] = pubs.map(parseXpub) as [BIP32Interface, BIP32Interface, BIP32Interface];
  const keys = { user, backup, bitgo };
  if (id !== undefined) parsedTriples.set(id, keys);
  return keys;
}

/** The triple as BitGo's `pubs` strings. */
export function xpubTexts(keys: WalletKeys): [string, string, string] {
  return [keys.user.neutered().toBase58(), keys.backup.neutered().toBase58(), keys.bitgo.neutered().toBase58()];
}

// BIP32 fingerprints by parsed root: bip32's getter hashes the key again on every read (sha256 then ripemd160 in
// JavaScript), which the wallet validation did once per input (27 ms of a 500-input sign).
const fingerprints = new WeakMap<BIP32Interface, Uint8Array>();

/** A root key's BIP32 fingerprint (the first 4 bytes of hash160 of its public key). A copy: callers own it. */
export function fingerprintOf(node: BIP32Interface): Uint8Array {
  let f = fingerprints.get(node);
  if (f === undefined) fingerprints.set(node, (f = Uint8Array.from(node.fingerprint)));
  return f.slice();
}

/** The three BIP32 fingerprints, hex: how PSBT derivation entries name the wallet's keys. */
export function walletFingerprints(keys: WalletKeys): Set<string> {
  return new Set([keys.user, keys.backup, keys.bitgo].map((k) => Buffer.from(fingerprintOf(k)).toString('hex')));
}

export function sameNode(a: Pick<BIP32Interface, 'publicKey' | 'chainCode'>, b: Pick<BIP32Interface, 'publicKey' | 'chainCode'>): boolean {
  return Buffer.compare(a.publicKey, b.publicKey) === 0 && Buffer.compare(a.chainCode, b.chainCode) === 0;
}

/** Checks chain and index before any derivation, naming the bad value. */
/** The same three keys in the same roles (whatever network prefix their text had). */
export function sameKeys(a: WalletKeys, b: WalletKeys): boolean {
  return sameNode(a.user, b.user) && sameNode(a.backup, b.backup) && sameNode(a.bitgo, b.bitgo);
}

export function assertChainIndex(chain: unknown, index: unknown): asserts chain is number {
  if (typeof chain !== 'number' || scriptTypeForChain(chain) === undefined) {
    throw new WalletPathError(`chain ${String(chain)} is not a BitGo wallet chain (expected one of ${WALLET_CHAINS.join(', ')})`, 'wallet_chain_unknown');
  }
  // Unhardened BIP32 index: 0 <= index < 2^31 (BIP32 "Child key derivation").
  if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= HARDENED) {
    throw new WalletPathError(`index ${String(index)} on chain ${chain} is not an unhardened BIP32 index (0 to 2^31-1)`, 'wallet_index_invalid');
  }
}

/**
 * m/0/0/<chain> of each root key, derived once (through the bip32 package) and reused for every index. Keyed by
 * the root's public key and chain code, so every parse of the same xpub shares them. 256 roots at most.
 */
const chainNodes = new BoundedMap<string, Map<number, ChainNode>>(256);

interface ChainNode extends PubNode {
  /** The node's public key and chain code as text: the same node from another parse of the same xpub has the same id. */
  id: string;
}

// Each root's memo key, by the parsed root object (parseXpubTriple hands out the same objects for the same text):
// spelling 65 bytes into a string on every derivation was 5 ms of a cold 500-input review.
const rootIds = new WeakMap<BIP32Interface, string>();

function rootIdOf(root: BIP32Interface): string {
  let id = rootIds.get(root);
  if (id === undefined) rootIds.set(root, (id = String.fromCharCode(...root.publicKey, ...root.chainCode)));
  return id;
}

function chainNode(root: BIP32Interface, chain: number): ChainNode {
  const rootId = rootIdOf(root);
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

// Child public keys by (chain node, index). 96,000 entries (about 20 MB when full) hold the three keys of every
// input of a 32,000-input request whose inputs each have their own path, so the review and then the gate find every
// key again; fewer, and a walk in input order through a bigger request evicts each key before it is read again.
const derivedKeys = new BoundedMap<string, Uint8Array>(96_000);

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

/** The three public keys at m/0/0/<chain>/<index>, in wallet order. */
export function deriveWalletKeys(keys: WalletKeys, chain: number, index: number): DerivedKeys {
  assertChainIndex(chain, index);
  return { user: deriveAt(keys.user, chain, index), backup: deriveAt(keys.backup, chain, index), bitgo: deriveAt(keys.bitgo, chain, index) };
}

/**
 * The three keys at each of `paths` ((chain, index) pairs, checked here), derived into the memo above with the curve
 * work shared between this thread and the pool's workers (the same derivation, the same bytes: the tests compare).
 * Paths already known are skipped; a path that fails its check or an invalid child is left for deriveWalletKeys,
 * which reports it.
 */
export async function deriveWalletKeysParallel(keys: WalletKeys, paths: readonly (readonly [number, number])[], pool: CurvePool): Promise<void> {
  const jobs: Promise<void>[] = [];
  for (const root of [keys.user, keys.backup, keys.bitgo]) {
    const byChain = new Map<number, number[]>();
    for (const [chain, index] of paths) {
      try {
        assertChainIndex(chain, index);
      } catch {
        continue;
      }
      const node = chainNode(root, chain);
      if (derivedKeys.get(`${index}:${node.id}`)) continue;
      let list = byChain.get(chain);
      if (!list) byChain.set(chain, (list = []));
      list.push(index);
    }
    for (const [chain, indexes] of byChain) {
      const node = chainNode(root, chain);
      const local = (index: number): Uint8Array | undefined => {
        try {
          return childPublic(node, index).publicKey;
        } catch {
          return undefined;
        }
      };
      jobs.push(
        pool.derivePublic({ publicKey: node.publicKey, uncompressed: node.uncompressed!, chainCode: node.chainCode }, indexes, local).then((out) => {
          out.forEach((publicKey, k) => {
            if (!publicKey) return;
            derivedKeys.set(`${indexes[k]}:${node.id}`, publicKey);
            notePointValid(publicKey);
          });
        }),
      );
    }
  }
  await Promise.all(jobs);
}

/** Forgets parsed triples, chain nodes and derived keys (the benchmark's cold runs; tests). */
export function clearWalletMemos(): void {
  parsedTriples.clear();
  derivedKeys.clear();
  chainNodes.clear();
}

/**
 * Runs `count` public derivations of a fixed, meaningless parent (the curve's generator with a zero chain code),
 * shared with the pool's workers as real work is (CurvePool.derivePublic), and keeps nothing: a thread's first few
 * hundred derivations run at about half speed while its JavaScript and WebAssembly warm up, so the app has its
 * threads do that before the first request arrives. Public data only.
 */
export async function warmDerivations(pool: CurvePool, count = 384): Promise<void> {
  const publicKey = ecc.pointFromScalar(Uint8Array.from({ length: 32 }, (_, i) => (i === 31 ? 1 : 0)), true)!;
  const parent = { publicKey, uncompressed: ecc.pointCompress(publicKey, false), chainCode: new Uint8Array(32) };
  await pool.derivePublic(parent, Array.from({ length: count }, (_, i) => i), (i) => childPublic(parent, i).publicKey);
}
