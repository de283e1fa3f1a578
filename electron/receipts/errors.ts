// The receipts room's error: each refusal of a receipt or its key has its own code (shared/error-codes.ts, room
// "receipts"), so a script can tell a forged receipt from a swapped file without reading the message.
import { SignerError, type ErrorCode } from '../../shared/errors';

export type ReceiptCode = Extract<ErrorCode, `receipt_${string}`>;

export class ReceiptError extends SignerError {
  constructor(message: string, code: ReceiptCode) {
    super('ReceiptError', message, code);
  }
}
