// Errors cross every boundary (IPC, CLI stdout, files) as data in BitGo's API error shape:
// { error, name, code? }. The UI and scripts switch on `name`/`code`, never on the message text. Every code is
// registered, with the operator's words, in ./error-codes.ts; a SignerError with another code does not compile.
import type { ErrorCode } from './error-codes';

export type { ErrorCode } from './error-codes';

export interface ErrorData {
  /** Human-readable message. Never contains secrets or ciphertext. */
  error: string;
  /** Stable class name, e.g. "IncorrectPasswordError". */
  name: string;
  /**
   * Stable machine code, e.g. "wallet_passphrase_incorrect": one of shared/error-codes.ts when this process made
   * it; text from across a boundary is not trusted to be one (look it up, never assume).
   */
  code?: string;
}

/** An error whose name and code are part of the project's contract. */
export class SignerError extends Error {
  readonly code: ErrorCode | undefined;

  constructor(name: string, message: string, code?: ErrorCode) {
    super(message);
    this.name = name;
    this.code = code;
  }

  toData(): ErrorData {
    return this.code === undefined
      ? { error: this.message, name: this.name }
      : { error: this.message, name: this.name, code: this.code };
  }
}

/** Wrong passphrase, with BitGo's exact message, name and code. */
export class IncorrectPasswordError extends SignerError {
  constructor() {
    super('IncorrectPasswordError', 'unable to decrypt keychain with the given wallet passphrase', 'wallet_passphrase_incorrect');
  }
}

/**
 * Converts anything thrown into error data. Unknown errors keep their name but get a generic code, and their
 * message is kept only when it is an Error (never a thrown object that could carry a secret).
 */
export function toErrorData(e: unknown): ErrorData {
  if (e instanceof SignerError) return e.toData();
  if (e instanceof Error) return { error: e.message, name: e.name || 'Error', code: 'internal_error' };
  return { error: 'unexpected failure', name: 'Error', code: 'internal_error' };
}
