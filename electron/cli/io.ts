// Shared plumbing for the command-line signer: the context a command runs in (so tests can run commands in
// process or spawn the real CLI), argument parsing with clear errors, and the output conventions:
// results on stdout, progress on stderr, failures as BitGo-shaped error JSON on stdout with a non-zero status.
import { readFileSync, statSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { SignerError, toErrorData, type ErrorCode, type ErrorData } from '../../shared/errors';

/** An input file named on the command line that cannot be read. */
export class InputFileError extends SignerError {
  constructor(message: string, code: ErrorCode) {
    super('InputFileError', message, code);
  }
}

export interface CliContext {
  env: Record<string, string | undefined>;
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
  /** Present only when the CLI may prompt (stdin is a terminal). */
  prompt?: (question: string) => Promise<string>;
}

export interface Command {
  name: string;
  /** One line for the command list. */
  summary: string;
  /** Full `--help` text of the command. */
  help: string;
  run(args: string[], ctx: CliContext): Promise<number>;
}

/** Exit statuses: 0 success, 1 an operation failed (bad input, wrong passphrase...), 2 usage error. */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

export class UsageError extends SignerError {
  constructor(message: string) {
    super('UsageError', message, 'usage');
  }
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** node:util parseArgs with strict checking, turning its errors into a UsageError that names the command. */
export function parseCommandArgs<O extends Options>(command: string, args: string[], options: O) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new UsageError(`${command}: ${why} (see --help)`);
  }
}

export function printJson(ctx: CliContext, value: unknown): void {
  ctx.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function errorJson(e: unknown): ErrorData {
  return toErrorData(e);
}

/** Prints the error as `{ error, name, code? }` on stdout and returns the exit status for it. */
export function printError(ctx: CliContext, e: unknown): number {
  ctx.stdout.write(`${JSON.stringify(toErrorData(e))}\n`);
  return e instanceof UsageError ? EXIT_USAGE : EXIT_FAILED;
}

/** Largest input file the CLI reads (a 5000-input PSBT is about 1.5 MB; key files are a few KB). */
export const MAX_INPUT_BYTES = 16 * 1024 * 1024;

/** Reads a whole input file with a size cap, with errors that name the file and say why. */
export function readInputFile(path: string, what: string, maxBytes = MAX_INPUT_BYTES): Buffer {
  let size: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new InputFileError(`${what} ${path} is not a regular file`, 'input_not_file');
    size = st.size;
  } catch (e) {
    if (e instanceof SignerError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'does not exist' : code === 'EACCES' ? 'is not readable (permission denied)' : `cannot be read (${code ?? 'unknown error'})`;
    throw new InputFileError(`${what} ${path} ${why}`, 'input_unreadable');
  }
  if (size > maxBytes) {
    throw new InputFileError(`${what} ${path} is ${size} bytes, more than the ${maxBytes}-byte limit`, 'input_too_large');
  }
  try {
    return readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputFileError(`${what} ${path} cannot be read (${code ?? 'unknown error'})`, 'input_unreadable');
  }
}
