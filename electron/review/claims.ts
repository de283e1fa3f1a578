// What an input or output claims about the wallet, and the wallet's own script to hold it against. PSBT derivation
// entries name a key by its master fingerprint and a path; the entries for this wallet's keys must agree on one
// path, and that path must be a BitGo wallet path (wallet/chains.ts) whose re-derived script is the one spent or
// paid.
import { toHex } from '../util/bytes';
import { parseWalletPath, type WalletPathVerdict } from '../wallet/chains';
import type { WalletKeys } from '../wallet/keys';
import { walletOutputScript, type WalletOutputScript } from '../wallet/scripts';

export interface DerivationClaim {
  masterFingerprint: Uint8Array;
  path: number[];
}

export interface ClaimedPath {
  /** The path of the first entry for one of the wallet's keys; absent when none names the wallet. */
  path?: WalletPathVerdict;
  /** The wallet's entries name different paths. */
  inconsistent: boolean;
  /** Some entries name keys that are not the wallet's. */
  foreign: boolean;
}

/** The one path shared by the derivation entries of our keys (`fingerprints`: the wallet's, hex). */
export function claimedPath(entries: readonly DerivationClaim[], fingerprints: ReadonlySet<string>): ClaimedPath {
  const ours = entries.filter((e) => fingerprints.has(toHex(e.masterFingerprint)));
  if (ours.length === 0) return { inconsistent: false, foreign: entries.length > 0 };
  const first = ours[0]!.path;
  const inconsistent = entries.some((e) => e.path.length !== first.length || e.path.some((s, i) => s !== first[i]));
  return { path: parseWalletPath(first), inconsistent, foreign: ours.length !== entries.length };
}

// Derived wallet scripts by (wallet keys, chain, index). The same request is reviewed at import and again by the
// approval gate, and parsed xpub triples are the same objects each time (wallet/keys.ts), so a WeakMap keyed by
// them finds the scripts again. Public data only; bounded per wallet.
const derivedScripts = new WeakMap<WalletKeys, Map<number, WalletOutputScript>>();
const MAX_CACHED_SCRIPTS_PER_WALLET = 50_000;

export function walletScript(keys: WalletKeys, chain: number, index: number): WalletOutputScript {
  let m = derivedScripts.get(keys);
  if (!m) derivedScripts.set(keys, (m = new Map()));
  const id = chain * 0x80000000 + index; // chain < 100, index < 2^31: exact in a double
  let s = m.get(id);
  if (!s) {
    s = walletOutputScript(keys, chain, index);
    if (m.size >= MAX_CACHED_SCRIPTS_PER_WALLET) m.clear();
    m.set(id, s);
  }
  return s;
}
