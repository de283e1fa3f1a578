// The key ceremony's errors: one class, a registered code each (shared/error-codes.ts, room "ceremony"). Messages
// name files, boxes and roles, never a passphrase, a seed, dice rolls, a shard's plaintext or a private key.
import { SignerError, type ErrorCode } from '../../shared/errors';

export class CeremonyError extends SignerError {
  constructor(message: string, code: ErrorCode) {
    super('CeremonyError', message, code);
  }
}
