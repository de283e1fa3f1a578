// BitGo 2-of-3 UTXO wallets: the three roles, the chain codes that say which script type an address uses, and the
// path rule. Written once here; the intake's pre-derivation, the review and the signing engine all read paths
// through `parseWalletPath`.
//
// Chains (BitGoJS utxo-lib `scriptTypeForChain`): 0/1 p2sh, 10/11 p2shP2wsh, 20/21 p2wsh, 30/31 p2trLegacy
// (taproot, script path), 40/41 p2trMusig2 (taproot, MuSig2 key path with script-path fallbacks). Even chains
// receive, odd chains are change. Every wallet script is derived at m/0/0/<chain>/<index> below each root key,
// every step unhardened.
import type { ReviewScriptType } from '../../shared/review';

export type ScriptType = ReviewScriptType;

const CHAINS: Readonly<Record<number, ScriptType>> = {
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

/** The chains BitGo defines, ascending. */
export const WALLET_CHAINS: readonly number[] = Object.keys(CHAINS).map(Number);

export function scriptTypeForChain(chain: number): ScriptType | undefined {
  return Object.hasOwn(CHAINS, chain) ? CHAINS[chain] : undefined;
}

export function isChangeChain(chain: number): boolean {
  return scriptTypeForChain(chain) !== undefined && chain % 2 === 1;
}

export function isTaproot(type: ScriptType): type is 'p2trLegacy' | 'p2trMusig2' {
  return type === 'p2trLegacy' || type === 'p2trMusig2';
}

export type Role = 'user' | 'backup' | 'bitgo';
/** BitGo's key order everywhere: request `pubs`, multisig scripts, KeyCards. */
export const ROLES: readonly Role[] = ['user', 'backup', 'bitgo'];

/** BIP32: indexes at or above 2^31 are hardened. */
export const HARDENED = 0x80000000;

/** The unhardened path below each root key at which BitGo derives a wallet script. */
export function walletPath(chain: number, index: number): number[] {
  return [0, 0, chain, index];
}

export function formatPath(path: readonly number[]): string {
  return `m/${path.map((s) => (s >= HARDENED ? `${s - HARDENED}'` : String(s))).join('/')}`;
}

export type WalletPathVerdict =
  | { ok: true; chain: number; index: number; scriptType: ScriptType }
  | { ok: false; problem: 'hardened' | 'not_wallet_path'; why: string };

/** Reads a derivation path below a root key as a BitGo wallet path: exactly [0, 0, chain, index], unhardened. */
export function parseWalletPath(path: readonly number[]): WalletPathVerdict {
  if (path.some((s) => s >= HARDENED)) return { ok: false, problem: 'hardened', why: `path ${formatPath(path)} has a hardened step` };
  if (path.length !== 4 || path[0] !== 0 || path[1] !== 0) return { ok: false, problem: 'not_wallet_path', why: `path ${formatPath(path)} is not m/0/0/<chain>/<index>` };
  const chain = path[2]!;
  const scriptType = scriptTypeForChain(chain);
  if (scriptType === undefined) return { ok: false, problem: 'not_wallet_path', why: `chain ${chain} is not a BitGo chain` };
  return { ok: true, chain, index: path[3]!, scriptType };
}
