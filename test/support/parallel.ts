// Helpers for the worker-thread tests (test/unit/parallel/): the wallet paths a PSBT's inputs name.
import { parsePsbtStrict } from '../../electron/intake/psbt-strict';
import { inputFields } from '../../electron/intake/psbt-view';
import { parseWalletPath } from '../../electron/wallet/chains';

/** (chain, index) of each input, from its first BIP32 derivation that is a BitGo wallet path. */
export function walletInputPaths(psbtBytes: Uint8Array): [number, number][] {
  const psbt = parsePsbtStrict(psbtBytes);
  return psbt.inputs.flatMap((_, i) => {
    for (const d of inputFields(psbt, i).bip32Derivation) {
      const p = parseWalletPath(d.path);
      if (p.ok) return [[p.chain, p.index] as [number, number]];
    }
    return [];
  });
}
