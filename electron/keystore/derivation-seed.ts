// BitGo's `derivationSeed`: some wallets keep a ROOT key in the key file and each request says which child key
// signs, by a seed string. BitGoJS (sdk-core keychains deriveKeyWithSeed) hashes the seed twice with SHA-256 and
// reads two 28-bit numbers from the first 14 hex digits:
//   h = hex(sha256(sha256(utf8(seed))));  path = m/999999/int(h[0..7], 16)/int(h[7..14], 16)   (all unhardened)
// Vectors: test/fixtures/bitgo/crypto/derive-key-with-seed-vectors.json.
import { createHash } from 'node:crypto';
import { SignerError } from '../../shared/errors';
import { MAX_DERIVATION_SEED_LENGTH } from '../util/limits';
import { deriveDescendant, type ExtendedPrivateKey } from './xprv';

export class DerivationSeedError extends SignerError {
  constructor(message: string) {
    super('DerivationSeedError', message, 'derivation_seed_invalid');
  }
}


/** The three unhardened indexes below the root: [999999, int(h[0..7]), int(h[7..14])]. */
export function derivationIndexesFromSeed(seed: string): number[] {
  if (typeof seed !== 'string' || seed.length === 0 || seed.length > MAX_DERIVATION_SEED_LENGTH) {
    throw new DerivationSeedError(`derivationSeed must be a non-empty string of at most ${MAX_DERIVATION_SEED_LENGTH} characters`);
  }
  const once = createHash('sha256').update(seed, 'utf8').digest();
  const h = createHash('sha256').update(once).digest('hex');
  return [999999, parseInt(h.slice(0, 7), 16), parseInt(h.slice(7, 14), 16)];
}

export function derivationPathFromSeed(seed: string): string {
  return `m/${derivationIndexesFromSeed(seed).join('/')}`;
}

/** The signing key for `seed` below the key file's root key, in arrays the caller wipes (xprv.ts wipeKey). */
export function deriveWithSeed(root: ExtendedPrivateKey, seed: string): ExtendedPrivateKey {
  return deriveDescendant(root, derivationIndexesFromSeed(seed));
}
