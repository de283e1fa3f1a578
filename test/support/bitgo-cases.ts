// BitGo's signer fixtures (test/fixtures/bitgo, PROVENANCE.md there) as the signing tests read them: the manifest of
// cases and steps, the passphrases, the key file, and a vault with one wallet unlocked.
import { readFileSync } from 'node:fs';
import { findWallet, parseKeyFile } from '../../electron/keystore/keyfile';
import { Vault } from '../../electron/keystore/vault';

const dir = new URL('../fixtures/bitgo/', import.meta.url);

/** A fixture file's text, by its path in test/fixtures/bitgo. */
export const readBitgo = (p: string): string => readFileSync(new URL(p, dir), 'utf8');

export interface BitgoStep {
  step: string;
  request?: string;
  response?: string;
  status?: number;
  deterministic?: boolean;
}
export interface BitgoCase {
  name: string;
  walletId: string;
  steps: BitgoStep[];
}

export const bitgoManifest = JSON.parse(readBitgo('manifest.json')) as { cases: BitgoCase[] };
export const bitgoEnv = JSON.parse(readBitgo('env.json')) as Record<string, string>;
export const bitgoKeyFile = parseKeyFile(readBitgo('keys.json'), 'keys.json');

/** A vault (no idle lock) with the fixture wallet `walletId` unlocked by its published passphrase. */
export async function unlockedFixtureVault(walletId: string): Promise<Vault> {
  const vault = new Vault({ idleMs: 0 });
  await vault.unlock(findWallet(bitgoKeyFile, walletId), bitgoEnv[`WALLET_${walletId}_PASSPHRASE`]!);
  return vault;
}
