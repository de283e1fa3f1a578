// What the operator reads for the codes main sends: why something failed, and a request's state. Errors from main
// are data with a stable code ({ error, name, code }, shared/errors.ts); the code picks the words here, never the
// text. A code without an entry shows main's own message, which names the file, wallet or drive and the reason.
// Every screen goes through wordsFor, so a code reads the same wherever it appears.
import type { RequestStatus, RequestView } from '../shared/contract';
import type { ErrorCode, ErrorData } from '../shared/errors';
import { visible } from '../shared/text';
import { ApiError } from './api';

/** What an entry may use besides the code: main's message, and the request file the error is about. */
export interface ErrorContext {
  message: string;
  /** The file's name when the screen knows it (an import result), else "This file". */
  file: string;
}

export type OperatorWords = string | ((context: ErrorContext) => string);

/**
 * The codes the renderer has its own words for (with the file's name, or what to press next), keyed by the code
 * main sends; every key is a registered code (shared/error-codes.ts), or this does not compile.
 */
export const OPERATOR_WORDS: Readonly<Partial<Record<ErrorCode, OperatorWords>>> = {
  wallet_passphrase_incorrect: 'That passphrase did not unlock this wallet. Check Caps Lock and the keyboard layout, then try again.',
  // Main's message starts with the wallet ("wallet <id>: ..."), which the form it appears under already names.
  unlock_throttled: ({ message }) => `Too many wrong passphrases. ${message.replace(/^wallet \S+: /, '')}`,
  key_store_not_open: 'Open a key file first.',
  request_malformed_json: ({ file }) =>
    `${file} is not a signing request this app can read: it is not valid JSON (the file may be damaged or cut short). Ask for the request again.`,
  wallet_not_chosen: ({ file }) =>
    `${file} is a bare PSBT: it does not say which wallet it is for, and no unlocked wallet's key is in it. Choose its wallet below, or unlock its wallet (step 2, Unlock) and import it again.`,
  psbt_encoding_unknown: ({ file }) =>
    `${file} is not a signing request this app can read: it is neither a request (JSON) nor a PSBT (binary, base64 or hex). Check that it is the right file, or ask for it again.`,
  output_exists: ({ message }) =>
    `${message}. Nothing was overwritten and the signed result is kept: move or rename that file on the drive, then press "Export signed files" again.`,
  // Main's message says what waits for the unlock (signing, a registration); this says where wallets are unlocked.
  wallet_locked: ({ message }) => `${message}. Wallets are unlocked in step 2, Unlock.`,
  // Main's message already says what to do; it only lacks the full stop.
  drive_missing: ({ message }) => `${message}.`,
  drive_unknown: ({ message }) => `${message}.`,
};

/** For a failure that is not main's coded error (a bug, a thrown non-error), unless the screen knows better. */
export const SOMETHING_WENT_WRONG = 'Something went wrong. Try again; if it repeats, restart the app.';

function isErrorData(e: unknown): e is ErrorData {
  return typeof e === 'object' && e !== null && typeof (e as ErrorData).error === 'string' && typeof (e as ErrorData).name === 'string';
}

/**
 * The operator's words for `error`: an ApiError thrown by a call to main, or the error data of a per-file result.
 * `file` names the request file the error is about; `otherwise` replaces the generic words for anything that is not
 * main's error (the camera's, the QR drawing's), whose own message is never shown.
 */
export function wordsFor(error: unknown, { file, otherwise }: { file?: string; otherwise?: string } = {}): string {
  const data: ErrorData | null = error instanceof ApiError ? { error: error.message, name: error.name, code: error.code } : isErrorData(error) ? error : null;
  if (data === null) return otherwise ?? SOMETHING_WENT_WRONG;
  // Own keys only: a code such as "constructor" must not find Object.prototype's.
  const words = data.code !== undefined && Object.hasOwn(OPERATOR_WORDS, data.code) ? OPERATOR_WORDS[data.code as ErrorCode] : undefined;
  // Main's messages quote file names and drive labels: shown with their invisible characters made visible.
  if (words === undefined) return visible(data.error);
  return visible(typeof words === 'string' ? words : words({ message: data.error, file: file ?? 'This file' }));
}

/** A request's state, as the list, the review and the results say it. */
export const STATUS_WORDS: Readonly<Record<RequestStatus, string>> = {
  imported: 'Waiting for review',
  approved: 'Approved, not signed yet',
  rejected: 'Rejected',
  signed: 'Signed, not exported yet',
  failed: 'Signing failed',
  exported: 'Signed and exported',
  shown: 'Signed and shown as QR code',
};

/**
 * A request's state in the list and the results: a signed request with no drive (scanned, or the demo's built-in
 * ones) is waiting to be shown as QR codes, not to be exported.
 */
export function statusWords(r: Pick<RequestView, 'status' | 'via'>): string {
  if (r.status === 'signed' && r.via !== undefined) return 'Signed, not shown as QR code yet';
  return STATUS_WORDS[r.status];
}
