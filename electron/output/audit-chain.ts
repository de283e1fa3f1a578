// The persistent audit log (issue 16 item 5): an append-only file of JSON lines, one per event, each carrying the
// sha256 of the line before it, so an entry edited, removed or moved in the middle breaks the chain where it was.
// A small head file beside it holds the last entry's seq and hash, so cutting whole entries off the end is seen
// too. What this cannot see: someone who rewrites the whole log and its head consistently (there is no key here);
// the README ("Audit log") says so.
//
// Line:   {"seq":1,"at":"<ISO time>","prev":"<64 hex>","event":{"type":...}}\n
//         seq counts from 1; prev is the sha256 (hex) of the previous line's bytes without its newline, and
//         GENESIS for the first line.
// Head:   {"version":1,"seq":<last seq>,"hash":"<sha256 of the last line>"}, replaced atomically
//         (output/atomic-write.ts) after each line is appended and fsynced.
// Order of a write: the line is appended and the log fsynced, then the head replaced. A crash between the two
// leaves one entry past the head: verify accepts exactly one (unconfirmed: 1), and the next open repairs the
// head. A crash during the append leaves a last line without its newline, past the head: the next open cuts it
// off (it was never confirmed), and verify calls it audit_malformed until then.
//
// The events are the session audit's (workflow/audit.ts AuditEvent): identifiers, file names relative to their
// drive, hashes and fingerprints; never a passphrase, a key or a full path.
import * as nodeFs from 'node:fs';
import { createHash } from 'node:crypto';
import { basename, dirname, extname, join } from 'node:path';
import { SignerError, type ErrorCode } from '../../shared/errors';
import { parseJsonStrict } from '../util/json';
import { writeFileAtomic, type AtomicFs } from './atomic-write';

export const AUDIT_HEAD_VERSION = 1;
/** The `prev` of the first entry: no line hashes to it by chance (sha256 preimage). */
export const GENESIS = '0'.repeat(64);
/** The log's file name in the app's data folder; its head is audit-log.head.json beside it. */
export const AUDIT_LOG_NAME = 'audit-log.jsonl';
/** A longer line is not one this app writes (events are capped well below). */
export const MAX_LINE_CHARS = 256 * 1024;

export type AuditChainCode =
  | 'audit_entry_edited'
  | 'audit_entry_missing'
  | 'audit_entries_reordered'
  | 'audit_truncated'
  | 'audit_malformed'
  | 'audit_head_invalid'
  | 'audit_anchor_missing'
  | 'audit_anchor_mismatch'
  | 'audit_unwritable';

export class AuditChainError extends SignerError {
  /** The 1-based line of the log the finding is about (0 when it is about the head file as a whole). */
  readonly line: number;
  constructor(message: string, code: AuditChainCode & ErrorCode, line = 0) {
    super('AuditChainError', message, code);
    this.line = line;
  }
}

export interface AuditHead {
  seq: number;
  hash: string;
}

export interface ChainLine<E> {
  seq: number;
  at: string;
  prev: string;
  event: E;
}

export interface AuditChainReport {
  /** Entries in the log. */
  entries: number;
  /** The last entry's seq and hash (what the head should say). */
  last: AuditHead;
  /** 1 when the log holds one entry past the head (a crash between the append and the head's update), else 0. */
  unconfirmed: number;
}

export const lineHash = (line: string): string => createHash('sha256').update(line, 'utf8').digest('hex');

/** The head file beside a log: audit-log.jsonl -> audit-log.head.json. */
export function headPathFor(logPath: string): string {
  const ext = extname(logPath);
  return join(dirname(logPath), `${basename(logPath, ext === '.jsonl' ? ext : '')}.head.json`);
}

const HEX64 = /^[0-9a-f]{64}$/;
const isSeq = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function parseHead(text: string): AuditHead {
  const bad = (why: string) => new AuditChainError(`the audit log's head file ${why}; it cannot confirm where the log ends`, 'audit_head_invalid');
  const json = parseJsonStrict(text);
  if (!json.ok) throw bad('is not valid JSON');
  const v = json.value;
  if (!isObject(v) || Object.keys(v).sort().join() !== 'hash,seq,version') throw bad('is not {version, seq, hash}');
  if (v.version !== AUDIT_HEAD_VERSION) throw bad(`has version ${JSON.stringify(v.version)}, and this app reads ${AUDIT_HEAD_VERSION}`);
  if (!isSeq(v.seq)) throw bad('has a seq that is not a whole number');
  if (typeof v.hash !== 'string' || !HEX64.test(v.hash)) throw bad('has a hash that is not 64 hex digits');
  return { seq: v.seq, hash: v.hash };
}

function parseLine(text: string, n: number): ChainLine<Record<string, unknown>> {
  const bad = (why: string) => new AuditChainError(`line ${n} of the audit log ${why}`, 'audit_malformed', n);
  if (text.length > MAX_LINE_CHARS) throw bad(`is longer than ${MAX_LINE_CHARS} characters`);
  const json = parseJsonStrict(text);
  if (!json.ok) throw bad('syntax' in json ? 'is not valid JSON' : `lists ${json.duplicate.key} twice`);
  const v = json.value;
  if (!isObject(v) || Object.keys(v).join() !== 'seq,at,prev,event') throw bad('is not {seq, at, prev, event} in that order');
  if (!isSeq(v.seq) || v.seq === 0) throw bad('has a seq that is not a whole number from 1');
  if (typeof v.at !== 'string' || Number.isNaN(Date.parse(v.at))) throw bad('has a time that is not a date');
  if (typeof v.prev !== 'string' || !HEX64.test(v.prev)) throw bad('has a prev that is not 64 hex digits');
  if (!isObject(v.event) || typeof v.event.type !== 'string') throw bad('has an event without a type');
  return { seq: v.seq, at: v.at, prev: v.prev, event: v.event };
}

/**
 * Checks a log's text against its head's text (undefined: no head file) and says what is wrong, first finding
 * first, each as an AuditChainError with its own code and the line it is about:
 * - audit_malformed: a line that is not an entry (or a last line cut short, without its newline);
 * - audit_entries_reordered: an entry out of order (its seq is not the next one, and the expected one comes later);
 * - audit_entry_missing: an entry removed (the seq jumps, and the skipped one is nowhere);
 * - audit_entry_edited: an entry whose bytes are not the ones the next line (or the head) hashed;
 * - audit_truncated: the head says the log went further than it does (entries cut off the end);
 * - audit_head_invalid: the head file is missing (with entries in the log), unreadable, or says an earlier place.
 * Pure: no file access. An empty log with no head (or a head at seq 0) is a good, empty chain.
 */
export function verifyAuditChain(text: string, headText: string | undefined): AuditChainReport {
  return readAuditChain(text, headText).report;
}

/** A log that verified: its report, its entries parsed, and the sha256 of each line (index seq - 1). */
export interface VerifiedChain {
  report: AuditChainReport;
  lines: ChainLine<Record<string, unknown>>[];
  hashes: string[];
}

/** verifyAuditChain, keeping what it read: the entries and their line hashes, for the checks that need them. */
export function readAuditChain(text: string, headText: string | undefined): VerifiedChain {
  const head = headText === undefined ? undefined : parseHead(headText);
  const raw = text === '' ? [] : text.split('\n');
  if (raw.length > 0) {
    if (raw[raw.length - 1] !== '') {
      throw new AuditChainError(`line ${raw.length} of the audit log is cut short (no newline at its end): a write was interrupted, or the file was cut`, 'audit_malformed', raw.length);
    }
    raw.pop();
  }
  const lines = raw.map((t, i) => parseLine(t, i + 1));
  const hashes = raw.map(lineHash);
  const seqs = new Set(lines.map((l) => l.seq));
  for (let i = 0; i < lines.length; i++) {
    const n = i + 1;
    const line = lines[i]!;
    if (line.seq !== n) {
      if (line.seq < n || seqs.has(n)) {
        throw new AuditChainError(`line ${n} of the audit log holds entry ${line.seq} where entry ${n} belongs: entries were reordered or repeated`, 'audit_entries_reordered', n);
      }
      throw new AuditChainError(`entry ${n} is missing from the audit log: line ${n} holds entry ${line.seq}${line.seq > n + 1 ? ` (entries ${n} to ${line.seq - 1} were removed)` : ''}`, 'audit_entry_missing', n);
    }
    const expected = i === 0 ? GENESIS : hashes[i - 1]!;
    if (line.prev !== expected) {
      // The line before was changed (line n records its old hash), unless line n itself was: then its own hash is
      // not the one the next line (or the head) records either.
      const after = i + 1 < lines.length ? lines[i + 1]!.prev : head?.seq === n ? head.hash : undefined;
      const edited = i > 0 && (after === undefined || after === hashes[i]) ? n - 1 : n;
      throw new AuditChainError(`line ${edited} of the audit log was edited: its bytes are not the ones the chain recorded`, 'audit_entry_edited', edited);
    }
  }
  const count = lines.length;
  const last: AuditHead = count === 0 ? { seq: 0, hash: GENESIS } : { seq: count, hash: hashes[count - 1]! };
  if (head === undefined) {
    if (count === 0) return { report: { entries: 0, last, unconfirmed: 0 }, lines, hashes };
    throw new AuditChainError(`the audit log's head file is missing, so the log's end cannot be confirmed (${count} entries)`, 'audit_head_invalid');
  }
  if (head.seq > count) {
    throw new AuditChainError(`the audit log was cut short: it ends at entry ${count} (line ${count}) and its head says entry ${head.seq}; entries ${count + 1} to ${head.seq} are gone`, 'audit_truncated', count);
  }
  const atHead = head.seq === 0 ? GENESIS : hashes[head.seq - 1]!;
  if (head.seq === count && head.hash !== atHead) {
    throw new AuditChainError(`line ${count} of the audit log was edited: its bytes are not the ones the head recorded`, 'audit_entry_edited', count);
  }
  if (head.seq < count - 1 || head.hash !== atHead) {
    throw new AuditChainError(`the audit log's head says entry ${head.seq}, and the log holds ${count} entries that do not end there: the head is stale or was replaced`, 'audit_head_invalid');
  }
  return { report: { entries: count, last, unconfirmed: count - head.seq }, lines, hashes };
}

/** An entry a signed receipt vouches for (its claims auditSeq and auditSha256: the log's head when it was signed). */
export interface AuditAnchor extends AuditHead {
  /** What vouches for it, for messages (a receipt's file name). */
  by: string;
}

/**
 * Checks that a log which verified (readAuditChain) still holds the entries receipts anchored: entry `seq` is
 * there (else audit_anchor_missing: the log was cut short or rewritten shorter) and its line hashes to `hash` (else
 * audit_anchor_mismatch: it, or an entry before it, was rewritten and the chain made consistent again). Each
 * anchored line hashes every line before it through `prev`, so one anchor vouches for the whole log up to it.
 * The first finding is thrown, oldest anchor first; returns the latest anchor (undefined when there is none).
 */
export function checkAuditAnchors(chain: Pick<VerifiedChain, 'hashes'>, anchors: readonly AuditAnchor[]): AuditAnchor | undefined {
  const { hashes } = chain;
  const sorted = [...anchors].sort((a, b) => a.seq - b.seq);
  for (const a of sorted) {
    if (a.seq > hashes.length) {
      throw new AuditChainError(`the audit log ends at entry ${hashes.length}, and receipt ${a.by} vouches for entry ${a.seq}: the log was cut short or rewritten after that receipt was signed`, 'audit_anchor_missing', hashes.length);
    }
    if (hashes[a.seq - 1] !== a.hash) {
      throw new AuditChainError(`entry ${a.seq} of the audit log is not the one receipt ${a.by} vouches for: it, or an entry before it, was rewritten and the chain re-made after that receipt was signed`, 'audit_anchor_mismatch', a.seq);
    }
  }
  return sorted.at(-1);
}

/** The file-system calls the log makes: node:fs by default; tests inject a failing one. */
export type AuditFs = AtomicFs & Pick<typeof nodeFs, 'ftruncateSync' | 'mkdirSync'>;

export interface AuditChainOptions {
  /** The head file (default headPathFor(path)). */
  headPath?: string;
  fs?: AuditFs;
}

/**
 * The appending side: `append` writes one entry and returns once it and the head are on disk, or throws
 * audit_unwritable (nothing is confirmed). The file is read and verified on the first append (and again after a
 * failed one), so a new object on the same file continues its chain, and a log that does not verify is never
 * appended to: move it away (keeping it as evidence) to start a new one.
 */
export class AuditChain<E extends { type: string }> {
  readonly #path: string;
  readonly #headPath: string;
  readonly #fs: AuditFs;
  #last: AuditHead | undefined;

  constructor(path: string, opts: AuditChainOptions = {}) {
    this.#path = path;
    this.#headPath = opts.headPath ?? headPathFor(path);
    this.#fs = opts.fs ?? nodeFs;
  }

  /** The log's file name (never the full path), for messages. */
  get name(): string {
    return basename(this.#path);
  }

  #read(path: string): string | undefined {
    try {
      return this.#fs.readFileSync(path, 'utf8') as string;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
  }

  /** Reads and verifies the log; repairs what a crash leaves (a torn last line, a head one entry behind). */
  #open(): AuditHead {
    this.#fs.mkdirSync(dirname(this.#path), { recursive: true, mode: 0o700 });
    let text = this.#read(this.#path) ?? '';
    const headText = this.#read(this.#headPath);
    const cut = text.lastIndexOf('\n') + 1;
    if (cut < text.length) {
      // A last line without its newline: an append cut short. Only when the rest verifies and the head confirms
      // all of it was that line never acknowledged; then it is cut off.
      const report = verifyAuditChain(text.slice(0, cut), headText);
      if (report.unconfirmed !== 0) verifyAuditChain(text, headText); // throws audit_malformed with the line
      const fd = this.#fs.openSync(this.#path, 'r+');
      try {
        this.#fs.ftruncateSync(fd, Buffer.byteLength(text.slice(0, cut)));
        this.#fs.fsyncSync(fd);
      } finally {
        this.#fs.closeSync(fd);
      }
      text = text.slice(0, cut);
    }
    const report = verifyAuditChain(text, headText);
    if (report.unconfirmed !== 0 || headText === undefined) this.#writeHead(report.last);
    return report.last;
  }

  #writeHead(head: AuditHead): void {
    writeFileAtomic(this.#headPath, `${JSON.stringify({ version: AUDIT_HEAD_VERSION, seq: head.seq, hash: head.hash })}\n`, { overwrite: true, mode: 0o600, fs: this.#fs });
  }

  /**
   * The log's entries as they are on disk now, once the log verifies against its head (audit_unwritable otherwise,
   * naming the finding, as append does); an empty list when there is no log yet. For questions only the whole record
   * answers, such as whether a MuSig2 nonce was ever used (signing/musig2-nonces.ts).
   */
  entries(): ChainLine<Record<string, unknown>>[] {
    try {
      return readAuditChain(this.#read(this.#path) ?? '', this.#read(this.#headPath)).lines;
    } catch (e) {
      throw this.#unusable(e, 'read');
    }
  }

  /** Appends one entry (fsynced), then replaces the head; throws audit_unwritable when either fails. */
  append(event: E, at: string): AuditHead {
    try {
      const last = (this.#last ??= this.#open());
      const line = JSON.stringify({ seq: last.seq + 1, at, prev: last.hash, event } satisfies ChainLine<E>);
      // A line verify would call malformed is never written: the log would stop verifying, and with it signing.
      if (line.length > MAX_LINE_CHARS) {
        throw new AuditChainError(`the audit log ${this.name} is not appended to: this ${event.type} entry would be ${line.length} characters, over the ${MAX_LINE_CHARS} a line may hold`, 'audit_unwritable');
      }
      const bytes = Buffer.from(`${line}\n`, 'utf8');
      // The next open re-reads the file: an append that failed half-way is seen there, never assumed.
      this.#last = undefined;
      const fd = this.#fs.openSync(this.#path, 'a', 0o600);
      try {
        let offset = 0;
        while (offset < bytes.length) offset += this.#fs.writeSync(fd, bytes, offset, bytes.length - offset);
        this.#fs.fsyncSync(fd);
      } finally {
        this.#fs.closeSync(fd);
      }
      const next = { seq: last.seq + 1, hash: lineHash(line) };
      this.#writeHead(next);
      this.#last = next;
      return next;
    } catch (e) {
      throw this.#unusable(e, 'written');
    }
  }

  /**
   * Any failure to use the log, as audit_unwritable (what holds signing back, and keeps a request approved): a
   * verify finding says what is wrong with the log; a file error is named by its code only (node:fs messages carry
   * the full path, which the renderer must not see).
   */
  #unusable(e: unknown, what: 'read' | 'written'): AuditChainError {
    if (e instanceof AuditChainError && e.code === 'audit_unwritable') return e;
    if (e instanceof AuditChainError) {
      return new AuditChainError(`the audit log ${this.name} is not ${what === 'read' ? 'used' : 'appended to'} because it does not verify: ${e.message} (${e.code}). Keep it as evidence and move it and its head away to start a new log`, 'audit_unwritable');
    }
    const why = e instanceof SignerError ? (e.code ?? e.name) : ((e as NodeJS.ErrnoException).code ?? 'unknown error');
    return new AuditChainError(`the audit log ${this.name} could not be ${what} (${why})`, 'audit_unwritable');
  }
}
