// `audit verify | export`: the app's hash-chained audit log (output/audit-chain.ts) from the command line. verify
// reads a log and its head and says how many entries they hold, or the first finding (edited, missing, reordered,
// truncated, malformed, head) as coded error JSON naming the line. export copies both to a drive, never over a
// file, and verifies the copy as it landed. verify --receipts also checks that the log still holds every entry the
// given signed receipts vouch for (their auditSeq and auditSha256), which finds a log rewritten consistently, with
// its head, after a receipt left the machine.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { toErrorData } from '../../shared/errors';
import { OutputFileError, writeFileAtomic } from '../output/atomic-write';
import { AuditChainError, checkAuditAnchors, headPathFor, readAuditChain, verifyAuditChain, type AuditAnchor, type AuditChainReport } from '../output/audit-chain';
import { ReceiptError, type ReceiptCode } from '../receipts/errors';
import { parsePublicKey, type ReceiptPublicKey } from '../receipts/key';
import { verifyReceiptToken } from '../receipts/receipt';
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

/** The receipt files named: a file as it is, a folder's *.receipt.jwt files (not its subfolders), in name order. */
function receiptFiles(paths: readonly string[]): string[] {
  return paths.flatMap((p) =>
    existsSync(p) && statSync(p).isDirectory()
      ? readdirSync(p)
          .filter((f) => f.endsWith('.receipt.jwt'))
          .sort()
          .map((f) => join(p, f))
      : [p],
  );
}

interface ReceiptsChecked {
  /** Receipts whose signature verified. */
  checked: number;
  /** Those that anchor an entry of the log (receipts made before anchors existed, or without a log, do not). */
  anchors: AuditAnchor[];
  notAnchored: string[];
}

/** Verifies each receipt's signature with the pinned key; a receipt that does not verify is a finding of its own. */
async function readReceipts(paths: readonly string[], publicKey: ReceiptPublicKey): Promise<ReceiptsChecked> {
  const files = receiptFiles(paths);
  if (files.length === 0) throw new UsageError(`audit verify: --receipts ${paths.join(', ')} names no receipt (a <name>.receipt.jwt file, or a folder holding some)`);
  const out: ReceiptsChecked = { checked: 0, anchors: [], notAnchored: [] };
  for (const file of files) {
    const by = basename(file);
    let claims: Awaited<ReturnType<typeof verifyReceiptToken>>;
    try {
      claims = await verifyReceiptToken(readInputFile(file, 'receipt', 64 * 1024).toString('utf8'), publicKey);
    } catch (e) {
      if (e instanceof ReceiptError) throw new ReceiptError(`receipt ${by}: ${e.message}`, e.code as ReceiptCode);
      throw e;
    }
    out.checked++;
    if (claims.auditSeq !== undefined && claims.auditSha256 !== undefined) out.anchors.push({ seq: claims.auditSeq, hash: claims.auditSha256, by });
    else out.notAnchored.push(by);
  }
  return out;
}

function report(ctx: CliContext, r: AuditChainReport, extra: Record<string, unknown> = {}): number {
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
  const { values, positionals } = parseCommandArgs(`audit ${sub}`, rest, {
    log: { type: 'string' },
    out: { type: 'string' },
    receipts: { type: 'string', multiple: true },
    'public-key': { type: 'string' },
  });
  if (positionals.length > 0) throw new UsageError(`audit ${sub}: unexpected argument ${JSON.stringify(positionals[0])}`);
  if (values.log === undefined) throw new UsageError(`audit ${sub}: --log <file> is required`);
  if (sub === 'export') {
    if (values.receipts !== undefined || values['public-key'] !== undefined) throw new UsageError('audit export: --receipts and --public-key are for audit verify');
    if (values.out === undefined) throw new UsageError('audit export: --out <folder-or-file> is required');
    return exportTo(values.log, values.out, ctx);
  }
  if (values.out !== undefined) throw new UsageError('audit verify: --out is for audit export');
  if ((values.receipts === undefined) !== (values['public-key'] === undefined)) throw new UsageError('audit verify: --receipts and --public-key <pem|jwk> come together (the receipt key that signed them)');
  // The receipts first: one that does not verify with the pinned key vouches for nothing.
  const receipts = values.receipts && (await readReceipts(values.receipts, await parsePublicKey(readInputFile(values['public-key']!, 'public key', 64 * 1024).toString('utf8'))));
  const { head, text } = readPair(values.log);
  try {
    if (!receipts) return report(ctx, verifyBytes(text, head));
    const chain = readAuditChain(text.toString('utf8'), head?.toString('utf8'));
    const r = chain.report;
    const latest = checkAuditAnchors(chain, receipts.anchors);
    ctx.stderr.write(`${receipts.anchors.length} of ${receipts.checked} receipt(s) vouch for entries of this log, all still in it${latest ? ` (the latest, ${latest.by}, for entries 1 to ${latest.seq})` : ''}\n`);
    return report(ctx, r, { receipts: { checked: receipts.checked, anchored: receipts.anchors.length, latest: latest ? { seq: latest.seq, receipt: latest.by } : null, notAnchored: receipts.notAnchored } });
  } catch (e) {
    return printFinding(ctx, e);
  }
}
