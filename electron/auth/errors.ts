// The authentication room's error: every refusal has its own code (shared/error-codes.ts, room "auth"), so a
// script or the screen can tell an expired token from a forged one without reading the message.
import { SignerError, type ErrorCode } from '../../shared/errors';

export type AuthCode = Extract<ErrorCode, `auth_${string}`>;

export class AuthError extends SignerError {
  constructor(message: string, code: AuthCode) {
    super('AuthError', message, code);
  }
}
