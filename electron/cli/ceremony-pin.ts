// Pinning the wallet's request-signing key at the key ceremony (issue 16: "public keys pinned per wallet in the
// registry, added at the ceremony or by the operator with fingerprint confirmation"): `ceremony export --wallet-id
// ... --pin-key <public.pem | key.jwk.json> --fingerprint=<thumbprint> [--require jwt|hmac|either]`. The key is
// read and checked (RSA, 2048 bits or more), its RFC 7638 thumbprint printed and compared with the one the
// operator read from the sender's second copy, all before a passphrase is asked for or a file written; then it
// goes into the new registry entry with the wallet, as `registry pin-key` and `registry set-policy --require` would.
import { AUTH_REQUIREMENTS, type AuthRequirement } from '../../shared/registry';
import type { PinnedKeySource } from '../auth/jwt';
import { checkPublicKey, pinJwtKey, setAuthPolicy } from '../registry/auth-policy';
import { RegistryError, type Registry } from '../registry/registry';
import { str, type Values } from './ceremony-input';
import { UsageError, readInputFile, type CliContext } from './io';

export interface CeremonyPin {
  source: PinnedKeySource;
  fingerprint: string;
  require?: AuthRequirement;
}

/** The key to pin, checked and confirmed (undefined without --pin-key); refuses before anything is asked or written. */
export async function ceremonyPin(values: Values, ctx: CliContext): Promise<CeremonyPin | undefined> {
  const keyPath = str(values, 'pin-key');
  const require = str(values, 'require');
  if (keyPath === undefined) {
    if (require !== undefined || values.fingerprint !== undefined) throw new UsageError('ceremony export: --require and --fingerprint go with --pin-key');
    return undefined;
  }
  if (values['wallet-id'] === undefined) throw new UsageError('ceremony export: --pin-key needs --wallet-id (the key is pinned in the wallet\'s registry entry)');
  if (require !== undefined && !(AUTH_REQUIREMENTS as readonly string[]).includes(require)) throw new UsageError(`ceremony export: --require must be one of ${AUTH_REQUIREMENTS.join(', ')}`);
  const { source, pinned } = await checkPublicKey(readInputFile(keyPath, 'public key', 64 * 1024).toString('utf8'));
  ctx.stderr.write(`request-signing key ${pinned.fingerprint} (RSA ${pinned.bits} bits, RFC 7638 SHA-256 thumbprint)\n`);
  const given = str(values, 'fingerprint');
  if (given !== pinned.fingerprint) {
    throw new RegistryError(
      given === undefined
        ? 'the request-signing key was not confirmed: compare the thumbprint above with the sender\'s copy, then run again with --fingerprint=<thumbprint> (with "="); nothing was written'
        : `--fingerprint is not this key's thumbprint (${pinned.fingerprint}): check the key against its second source; nothing was written`,
      'registry_confirmation_mismatch',
    );
  }
  return { source, fingerprint: pinned.fingerprint, ...(require !== undefined ? { require: require as AuthRequirement } : {}) };
}

/** The registry with the ceremony's pinned key (and its requirement) on the wallet just registered. */
export function withCeremonyPin(registry: Registry, walletId: string, pin: CeremonyPin, now: Date): Registry {
  const pinnedRegistry = pinJwtKey(registry, walletId, pin.source, pin.fingerprint, now);
  return pin.require !== undefined ? setAuthPolicy(pinnedRegistry, walletId, { require: pin.require }) : pinnedRegistry;
}
