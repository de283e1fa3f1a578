// Receipts on the command line (README "Signed receipts"): `receipt verify`, and what `sign` does with the key
// file's receipt key: opens it once per run (OFFLINE_SIGNER_RECEIPT_PASSPHRASE, else typed on a terminal), then
// writes `<signed file>.receipt.jwt` beside every signed file it writes, atomically and never over a file.
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import type { RequestAuth } from '../auth/authenticate';
import type { KeyFile } from '../keystore/keyfile';
import { NAME_MAX_BYTES, OutputFileError } from '../output/atomic-write';
import type { RegistryEntry } from '../registry/registry';
import { transactionClaims, type AuditHead } from '../receipts/claims';
import { ReceiptError } from '../receipts/errors';
import { openReceiptKey, parsePublicKey, type ReceiptSigner } from '../receipts/key';
import { sha256Hex } from '../crypto/hash';
import { receiptName, signReceipt, verifyReceipt } from '../receipts/receipt';
import type { ReviewModel } from '../../shared/review';
import { EXIT_OK, UsageError, parseCommandArgs, printJson, readInputFile, type CliContext } from './io';
import { RECEIPT_PASSPHRASE_ENV } from './ceremony-receipt';

/**
 * The receipt key for a `sign` run, or undefined when the run writes no file (stdout: nothing to put a receipt
 * beside; said on stderr when the key file holds a receipt key), when the key file holds none, or with --no-receipt
 * (both said on stderr). A key file that holds one and a run that writes files needs its passphrase: without it
 * nothing is signed (receipt_passphrase_missing).
 */
export async function receiptSignerForRun(keyFile: KeyFile, opts: { writesFiles: boolean; refused: boolean }, ctx: CliContext): Promise<ReceiptSigner | undefined> {
  // A run that prints its result has nowhere to put a receipt; it says so only when a receipt key is there.
  if (!opts.writesFiles) {
    if (keyFile.receiptKey) ctx.stderr.write('no receipt: the result goes to stdout; give --out to have <out>.receipt.jwt written beside it\n');
    return undefined;
  }
  if (!keyFile.receiptKey) {
    ctx.stderr.write('no receipt: the key file holds no receipt key (ceremony receipt-key makes one)\n');
    return undefined;
  }
  if (opts.refused) {
    ctx.stderr.write('no receipt: --no-receipt was given\n');
    return undefined;
  }
  let passphrase = ctx.env[RECEIPT_PASSPHRASE_ENV];
  if ((passphrase === undefined || passphrase === '') && ctx.prompt) passphrase = await ctx.prompt(`Receipt key passphrase (${RECEIPT_PASSPHRASE_ENV} is not set): `);
  if (passphrase === undefined || passphrase === '') {
    throw new ReceiptError(`the key file holds a receipt key, and its passphrase was not given: set ${RECEIPT_PASSPHRASE_ENV} or type it on a terminal (or give --no-receipt to sign without receipts); nothing was signed`, 'receipt_passphrase_missing');
  }
  const signer = await openReceiptKey(keyFile.receiptKey, passphrase);
  ctx.stderr.write(`receipt key ${signer.publicKey.thumbprint}: a receipt is written beside each signed file\n`);
  return signer;
}

/** Refuses a receipt name that is taken (nothing is ever written over a file) or too long, before the signed file is written. */
export function checkReceiptFree(signedPath: string): void {
  const name = basename(receiptName(signedPath));
  if (existsSync(receiptName(signedPath))) throw new OutputFileError(`${name} already exists; it was left untouched and nothing was written for ${basename(signedPath)}`, 'output_exists');
  if (Buffer.byteLength(name) > NAME_MAX_BYTES) throw new OutputFileError(`the receipt's name ${name} would be longer than the ${NAME_MAX_BYTES} bytes a drive allows; nothing was written for ${basename(signedPath)} (choose a shorter name)`, 'output_name_too_long');
}

export interface SignedRun {
  received: Uint8Array;
  auth: RequestAuth;
  review: ReviewModel;
  registered?: RegistryEntry;
  output: Uint8Array;
  /** The audit log's entry for this signature (request-signed), which the receipt anchors. */
  audit: AuditHead;
}

/** The receipt token (its file's text, `<signedPath>.receipt.jwt`) for the signed file about to be written. */
export function transactionReceipt(signer: ReceiptSigner, signedPath: string, run: SignedRun): string {
  const claims = transactionClaims({
    fileName: basename(signedPath),
    signed: run.output,
    requestSha256: sha256Hex(run.received),
    ...(run.auth.scheme === 'jwt' ? { requestJti: run.auth.jti } : {}),
    review: run.review,
    ...(run.registered ? { registered: run.registered } : {}),
    audit: run.audit,
  });
  return `${signReceipt(signer, claims)}\n`;
}

/** `offline-signer receipt verify` (its --help text is in help.ts). */
export async function runReceipt(args: string[], ctx: CliContext): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'verify') throw new UsageError(`receipt: expected verify, got ${sub === undefined ? 'nothing' : JSON.stringify(sub)} (see --help)`);
  const { values, positionals } = parseCommandArgs('receipt verify', rest, {
    receipt: { type: 'string' },
    signed: { type: 'string' },
    'public-key': { type: 'string' },
  });
  if (positionals.length > 0) throw new UsageError(`receipt verify: unexpected argument ${JSON.stringify(positionals[0])}`);
  for (const k of ['receipt', 'signed', 'public-key'] as const) if (values[k] === undefined) throw new UsageError(`receipt verify: --${k} is required`);
  const publicKey = await parsePublicKey(readInputFile(values['public-key']!, 'public key', 64 * 1024).toString('utf8'));
  const token = readInputFile(values.receipt!, 'receipt', 64 * 1024).toString('utf8');
  const claims = await verifyReceipt({ token, publicKey, file: new Uint8Array(readInputFile(values.signed!, 'signed file')) });
  ctx.stderr.write(`VERIFIED: ${basename(values.signed!)} is the file this receipt was signed for, by receipt key ${publicKey.thumbprint}, at ${new Date(claims.iat * 1000).toISOString()}\n`);
  printJson(ctx, claims);
  return EXIT_OK;
}
