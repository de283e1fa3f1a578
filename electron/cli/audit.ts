// `audit verify | export`: the app's hash-chained audit log (output/audit-chain.ts) from the command line. verify
// reads a log and its head and says how many entries they hold, or the first finding (edited, missing, reordered,
// truncated, malformed, head) as coded error JSON naming the line. export copies both to a drive, never over a
// file, and verifies the copy as it landed.
import { existsSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { toErrorData } from '../../shared/errors';
import { OutputFileError, writeFileAtomic } from '../output/atomic-write';
import { AuditChainError, headPathFor, verifyAuditChain, type AuditChainReport } from '../output/audit-chain';
import { EXIT_FAILED, EXIT_OK, UsageError, parseCommandArgs, printJson, readInputFile, type CliContext } from './io';

/** A log of years of sessions is still far below this; a larger file is not one the app wrote. */
const MAX_LOG_BYTES = 512 * 1024 * 1024;
const MAX_HEAD_BYTES = 4096;

/** The head beside `log`, or undefined when there is none (verify then says whether one was needed). */
function readPair(log: string): { head: Buffer | undefined; text: Buffer } {
  const headPath = headPathFor(log);
  // The head first: an app appending meanwhile leaves the log at most one entry past it, which verify accepts.
  const head = existsSync(headPath) ? readInputFile(headPath, 'the audit log head', MAX_HEAD_BYTES) : undefined;
  return { head, text: readInputFile(log, 'the audit log', MAX_LOG_BYTES) };
}

const verifyBytes = (text: Buffer, head: Buffer | undefined): AuditChainReport => verifyAuditChain(text.toString('utf8'), head?.toString('utf8'));

/** A finding as BitGo-shaped error JSON, with the line it is about. */
function printFinding(ctx: CliContext, e: unknown): number {
  if (!(e instanceof AuditChainError)) throw e;
  ctx.stdout.write(`${JSON.stringify({ ...toErrorData(e), line: e.line })}\n`);
  return EXIT_FAILED;
}

function report(ctx: CliContext, r: AuditChainReport, extra: Record<string, string> = {}): number {
  printJson(ctx, { entries: r.entries, last: r.last, unconfirmed: r.unconfirmed, ...extra });
  if (r.unconfirmed > 0) ctx.stderr.write('the last entry is past the head (the app stopped between writing it and its head); the app confirms it when it next writes\n');
  return EXIT_OK;
}

function exportTo(log: string, out: string, ctx: CliContext): number {
  const outLog = existsSync(out) && statSync(out).isDirectory() ? join(out, basename(log)) : out;
  const outHead = headPathFor(outLog);
  const { head, text } = readPair(log);
  // Checked before either is written, so a taken head name does not leave a lone copy of the log behind.
  for (const p of [outLog, ...(head ? [outHead] : [])]) {
    if (existsSync(p)) throw new OutputFileError(`${p} already exists; it was left untouched and nothing was exported (choose another name or folder)`, 'output_exists');
  }
  writeFileAtomic(outLog, text);
  if (head) writeFileAtomic(outHead, head);
  ctx.stderr.write(`wrote ${outLog}${head ? ` and ${outHead}` : ''}\n`);
  // The copy as it landed on the drive, read back: what a reader of the drive will verify.
  const copy = readPair(outLog);
  try {
    return report(ctx, verifyBytes(copy.text, copy.head), { log: outLog, ...(head ? { head: outHead } : {}) });
  } catch (e) {
    return printFinding(ctx, e);
  }
}

export async function runAudit(args: string[], ctx: CliContext): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'verify' && sub !== 'export') throw new UsageError(`audit: expected "verify" or "export", got ${sub === undefined ? 'nothing' : JSON.stringify(sub)} (see --help)`);
  const { values, positionals } = parseCommandArgs(`audit ${sub}`, rest, { log: { type: 'string' }, out: { type: 'string' } });
  if (positionals.length > 0) throw new UsageError(`audit ${sub}: unexpected argument ${JSON.stringify(positionals[0])}`);
  if (values.log === undefined) throw new UsageError(`audit ${sub}: --log <file> is required`);
  if (sub === 'export') {
    if (values.out === undefined) throw new UsageError('audit export: --out <folder-or-file> is required');
    return exportTo(values.log, values.out, ctx);
  }
  if (values.out !== undefined) throw new UsageError('audit verify: --out is for audit export');
  const { head, text } = readPair(values.log);
  try {
    return report(ctx, verifyBytes(text, head));
  } catch (e) {
    return printFinding(ctx, e);
  }
}
