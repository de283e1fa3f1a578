// Wallet keys derived BEFORE the strict PSBT parse, so that the parse's curve check of each key the PSBT names
// (BIP174: a BIP32 derivation's key data "MUST be a valid public key") is a lookup instead of a square root.
//
// Why this is safe: it changes no answer, only the order of work. It reads the raw key-value pairs without
// trusting them, derives this wallet's own keys at the (chain, index) pairs the PSBT claims, and records those
// derived keys as valid points (they are, by construction). The strict parse then checks every key exactly as
// before; a key that is not one of ours still goes to ecc.isPoint. The review and the engine then re-derive and
// compare as before, and find the keys in the derivation memo. A hostile PSBT can only make us derive keys of our
// own wallet at paths it names, which the review would derive anyway; the count is capped.
import { parseWalletPath } from '../wallet/chains';
import type { CurvePool } from '../parallel/pool';
import { deriveWalletKeys, deriveWalletKeysParallel, parseXpubTriple } from '../wallet/keys';
import { ByteReader } from './byte-reader';

/** 5000 inputs' worth of distinct paths; beyond it the rest is simply left to the parse. */
const MAX_PATHS = 5000;
const PSBT_IN_BIP32_DERIVATION = 0x06;
const PSBT_OUT_BIP32_DERIVATION = 0x02;

/**
 * Best effort: never throws, never decides anything. `pubs` is the request's unparsed `pubs` field, `psbt` the
 * PSBT's bytes (magic included). Returns how many (chain, index) paths were derived (for tests).
 */
export function prederiveWalletKeys(psbt: Uint8Array, pubs: unknown): number {
  let keys;
  try {
    keys = parseXpubTriple(pubs);
  } catch {
    return 0; // the request's own checks will say what is wrong with pubs
  }
  const paths = new Set<number>();
  for (const [chain, index] of claimedWalletPaths(psbt)) {
    // chain < 64 and index < 2^31: one number per pair.
    const id = index * 64 + chain;
    if (paths.has(id)) continue;
    if (paths.size >= MAX_PATHS) break;
    paths.add(id);
    try {
      deriveWalletKeys(keys, chain, index);
    } catch {
      // an invalid child (probability < 2^-127) is reported by the engine, not here
    }
  }
  return paths.size;
}

/**
 * The same pre-derivation with the curve work shared between this thread and the pool's workers (parallel/pool.ts):
 * the keys land in the same memo, so the parse and everything after it find them. Best effort too: never throws.
 */
export async function prederiveWalletKeysParallel(psbt: Uint8Array, pubs: unknown, pool: CurvePool, maxPaths = MAX_PATHS): Promise<number> {
  let keys;
  try {
    keys = parseXpubTriple(pubs);
  } catch {
    return 0;
  }
  const paths = new Map<number, [number, number]>();
  for (const [chain, index] of claimedWalletPaths(psbt)) {
    if (paths.size >= maxPaths) break;
    paths.set(index * 64 + chain, [chain, index]);
  }
  try {
    await deriveWalletKeysParallel(keys, [...paths.values()], pool);
  } catch {
    // a worker that failed: the parse derives what is missing on this thread
  }
  return paths.size;
}

/** (chain, index) of every BIP32 derivation entry shaped like a BitGo wallet path m/0/0/<chain>/<index>. */
function* claimedWalletPaths(psbt: Uint8Array): Generator<[number, number]> {
  const r = new ByteReader(psbt, 'PSBT (pre-derivation scan)');
  try {
    r.bytesN(5, 'magic'); // the strict parse checks it
    while (!r.atEnd()) {
      const keyLen = r.compactSize('key length');
      if (keyLen === 0) continue; // end of a map: the next map starts
      const key = r.bytesN(keyLen, 'key');
      const value = r.varBytes('value');
      // <type><33-byte key> -> <4-byte fingerprint><4 steps of 4 bytes>
      if (keyLen !== 34 || value.length !== 20 || (key[0] !== PSBT_IN_BIP32_DERIVATION && key[0] !== PSBT_OUT_BIP32_DERIVATION)) continue;
      const dv = new DataView(value.buffer, value.byteOffset, 20);
      const path = parseWalletPath([4, 8, 12, 16].map((o) => dv.getUint32(o, true)));
      if (path.ok) yield [path.chain, path.index];
    }
  } catch {
    // truncated or malformed: stop; the strict parse reports it
  }
}
