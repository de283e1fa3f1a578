// `sign`: the command-line external signer. Reads the key file and passphrases the way BitGo Express does,
// signs Express requests (and bare PSBTs) after the engine's checks, and writes results atomically.
import { basename, join } from 'node:path';
import { besideKeyFile } from '../util/paths';
import { existsSync, statSync } from 'node:fs';
import { authAudit, authenticate, consumeAuth, enforceAuthPolicy, type RequestAuth } from '../auth/authenticate';
import { sha256Hex } from '../crypto/hash';
import { ReplayStore } from '../auth/replay';
import { hmacSecretsPathFor, readHmacSecrets, usedTokensPathFor, type HmacSecrets } from '../auth/secrets';
import { SignerError, toErrorData } from '../../shared/errors';
import { approve } from '../approval/gate';
import { parseSigningRequestParallel } from '../intake/request';
import { curvePool } from '../parallel/pool';
import { findWallet, readKeyFile, type KeyFile } from '../keystore/keyfile';
import { Vault } from '../keystore/vault';
import { OutputFileError, writeFileAtomic } from '../output/atomic-write';
import { AuditChain, type AuditHead } from '../output/audit-chain';
import { signedName } from '../output/export';
import { textFile } from '../output/text-file';
import { parsePolicyText, type Policy } from '../review/policy';
import { SigningLedger } from '../signing/ledger';
import { Musig2NonceStore, noncesOnRecord } from '../signing/musig2-nonces';
import { signApproved, signApprovedInThreads, type SignOutcome } from '../signing/sign';
import { EXIT_FAILED, EXIT_OK, UsageError, parseCommandArgs, readInputFile, type CliContext } from './io';
import { resolvePassphrase } from './passphrase';
import { checkReceiptFree, receiptSignerForRun, transactionReceipt, type SignedRun } from './receipt';
import { receiptName } from '../receipts/receipt';
import type { ReceiptSigner } from '../receipts/key';
import { WALLET_RULE_OPTIONS, walletRules, type WalletRules } from './wallet-rules';

/** stdout is text: a binary PSBT is printed as base64 (the common text form); everything else as written. */
function printable(outcome: SignOutcome): string {
  const binary = outcome.format === 'psbt' && outcome.output[0] === 0x70 && outcome.output[4] === 0xff;
  return binary ? Buffer.from(outcome.output).toString('base64') : new TextDecoder().decode(outcome.output);
}

function walletForPsbt(keyFile: KeyFile, chosen: string | undefined): string | undefined {
  if (chosen) return chosen;
  return keyFile.wallets.length === 1 ? keyFile.wallets[0]!.walletId : undefined;
}

interface GateOptions {
  policy?: Policy;
  strict: boolean;
  ledger: SigningLedger;
  /** The kept MuSig2 nonces, read only when a request has MuSig2 key-path inputs. */
  nonces: Musig2NonceStore;
  wallets: WalletRules;
  /** The used JWT ids and HMAC tags (beside the key file, or --used-tokens). */
  replay: ReplayStore;
  hmacSecrets: HmacSecrets;
  /** The hash-chained audit log (beside the key file, or --audit-log): nothing is released that it did not record. */
  audit: SignAudit;
}

/**
 * The audit events `sign` writes: the app's own shapes (workflow/audit.ts AuditEvent, which cli/ may not import;
 * test/unit/cli/sign-audit.spec.ts checks that each is one of them), so one `audit verify` reads both logs alike.
 */
export type SignAuditEvent =
  | { type: 'request-auth'; file: string; sha256: string; result: 'verified' | 'not-authenticated' | 'refused'; code?: string; scheme?: 'jwt' | 'hmac'; key?: string; jti?: string; exp?: number }
  | { type: 'request-signed'; requestId: string; fingerprint: string; musig2?: { step: 'signerNonce' | 'signerSignature'; inputs: number[]; nonces?: string[] } }
  | { type: 'request-sign-failed'; requestId: string; code: string; message: string };

/** The log with the app's must-log rule: `mustRecord` throws audit_unwritable; `record` is kept when it can be. */
class SignAudit {
  readonly #chain: AuditChain<SignAuditEvent>;
  constructor(path: string) {
    this.#chain = new AuditChain<SignAuditEvent>(path);
  }
  /** Appends the event (on disk when this returns) and gives the log's new last entry, for a receipt to anchor. */
  mustRecord(event: SignAuditEvent): AuditHead {
    return this.#chain.append(event, new Date().toISOString());
  }
  /** Which of these MuSig2 nonce ids the log records as used, and when (throws when the log does not verify). */
  releasedNonces(ids: ReadonlySet<string>): Map<string, string> {
    return noncesOnRecord(this.#chain.entries(), ids);
  }
  record(event: SignAuditEvent): void {
    try {
      this.mustRecord(event);
    } catch {
      // what failed is already the outcome; the next signature's mustRecord refuses while the log stays unwritable
    }
  }
}

/** The audit log beside the key file: keys.json -> keys.audit-log.jsonl (its head keys.audit-log.head.json). */
export function defaultAuditLogPath(keysPath: string): string {
  return besideKeyFile(keysPath, 'audit-log.jsonl');
}

/** A failure as the audit records it: its code, and its message with the input's path cut to its name. */
function failedEvent(path: string, e: unknown): SignAuditEvent {
  const data = toErrorData(e);
  return { type: 'request-sign-failed', requestId: basename(path), code: data.code ?? data.name, message: data.error.split(path).join(basename(path)) };
}

/** What stderr says about a request's authentication (never the token). */
function authNote(name: string, auth: RequestAuth): string {
  if (auth.scheme === 'jwt') return `${name}: signed request (JWT RS256), key ${auth.keyFingerprint}, jti ${JSON.stringify(auth.jti)}, expires ${new Date(auth.exp * 1000).toISOString()}\n`;
  if (auth.scheme === 'hmac') return `${name}: HMAC ${auth.version} tagged request, ${auth.method} ${auth.path} at ${auth.at}, secret ${auth.secretId}\n`;
  return `${name}: not authenticated\n`;
}

/**
 * Inputs from which `sign` makes its signatures in worker threads. Measured whole process on 2 cores (2026-12-06):
 * 500 inputs sign in about 560 ms on the command's own thread and 600 ms in threads; at 1000 and 2000 inputs the
 * two are equal within noise. Below it, starting the threads costs more than the second core saves.
 */
export const SIGN_THREADS_MIN_INPUTS = 1000;

/** The ledger beside the key file: keys.json -> keys.ledger.json in the same folder. */
export function defaultLedgerPath(keysPath: string): string {
  return besideKeyFile(keysPath, 'ledger.json');
}

/** The kept MuSig2 nonces beside the key file: keys.json -> keys.musig2-nonces.json in the same folder. */
export function defaultNoncesPath(keysPath: string): string {
  return besideKeyFile(keysPath, 'musig2-nonces.json');
}

/** What the operator does next after a MuSig2 step (stderr; stdout stays the response). */
function musig2Note(outcome: SignOutcome, nonces: Musig2NonceStore): string | undefined {
  const m = outcome.musig2;
  if (!m || m.inputs.length === 0) return undefined;
  const list = m.inputs.join(', ');
  return m.step === 'signerNonce'
    ? `MuSig2 step 1 of 2 (signerNonce): nonces for key-path input(s) ${list}, nothing signed; the secret nonces are kept sealed in ${nonces.name}. Give this response to BitGo, then sign its signerSignature request here, with the same nonces file.\n`
    : `MuSig2 step 2 of 2 (signerSignature): partial signature(s) for key-path input(s) ${list}; their kept nonces are used up.\n`;
}

/**
 * One input: read, learn its wallet (a bare PSBT's from --wallet or the key file's only wallet), unlock it, then
 * the approval gate (approval/gate.ts: BitGo's wallet validation, then the full review from the exact file bytes)
 * and the signer. Refusals stop at the gate; warnings are printed to stderr and block only with --strict or under
 * the policy.
 */
async function signOne(path: string, keyFile: KeyFile, vault: Vault, walletOpt: string | undefined, gate: GateOptions, ctx: CliContext): Promise<{ outcome: SignOutcome; run: SignedRun }> {
  const received = new Uint8Array(readInputFile(path, 'input'));
  const name = basename(path);
  // Authentication first (auth/authenticate.ts): an envelope or a "<name>.jwt" beside the file; what is reviewed
  // and signed is the body's exact bytes.
  const sidecar = existsSync(`${path}.jwt`) ? readInputFile(`${path}.jwt`, 'token file', 64 * 1024).toString('utf8') : undefined;
  const sha256 = sha256Hex(received);
  let bytes: Uint8Array;
  let auth: RequestAuth;
  try {
    ({ body: bytes, auth } = await authenticate(received, name, sidecar, {
      config: (w) => gate.wallets.registry?.wallets.get(w)?.auth,
      hmacSecret: gate.hmacSecrets,
      replay: gate.replay,
      now: () => new Date(),
    }));
  } catch (e) {
    gate.audit.record({ type: 'request-auth', file: name, sha256, result: 'refused', code: e instanceof SignerError ? (e.code ?? e.name) : 'internal_error' });
    throw e;
  }
  // Must-log rule: no passphrase is asked for and nothing is signed while the log cannot be written.
  gate.audit.mustRecord({ type: 'request-auth', file: name, sha256, result: auth.scheme === 'none' ? 'not-authenticated' : 'verified', ...authAudit(auth) });
  ctx.stderr.write(authNote(name, auth));
  // The wallet's keys derived on every core first (parallel/pool.ts); the gate's parse below finds them.
  const pool = curvePool();
  const request = await parseSigningRequestParallel(bytes, name, pool);
  const walletId = request.kind === 'psbt' ? walletForPsbt(keyFile, walletOpt) : request.walletId;
  // Before any passphrase: an unregistered wallet (with --registry) is refused here, and so is a request that is
  // not authenticated the way the wallet's policy requires.
  const rules = gate.wallets.forWallet(walletId);
  if (walletId !== undefined) enforceAuthPolicy(walletId, auth, gate.wallets.registry?.wallets.get(walletId)?.auth?.requireAuthenticatedRequests, name);
  if (walletId !== undefined && !vault.isUnlocked(walletId)) {
    const entry = findWallet(keyFile, walletId);
    await vault.unlock(entry, await resolvePassphrase(walletId, ctx));
    gate.wallets.checkUnlocked(walletId, vault);
  }
  const approved = approve(bytes, vault, {
    name,
    acknowledged: 'all',
    strict: gate.strict,
    ...(gate.policy ? { policy: gate.policy } : {}),
    ...rules,
    ...(request.kind === 'psbt' && walletId !== undefined ? { walletId } : {}),
    musig2Nonces: (w, t, i, n) => gate.nonces.lookup(w, t, i, n),
  });
  for (const w of approved.review.warnings) ctx.stderr.write(`warning (${w.code}): ${w.message}\n`);
  // Past the gate: the request's token or tag is used up before anything is signed (a refusal before this point
  // leaves it usable for another try).
  consumeAuth(auth, gate.replay);
  // Large requests (BitGo's legacy format too) are signed in worker threads, one per core (the same bytes).
  // Signing threads start fresh for each request (their keys end with them), about 45 ms each here before the first
  // signature, so below SIGN_THREADS_MIN_INPUTS the command signs faster on its own thread.
  const outcome =
    pool.threads > 1 && approved.review.inputs.length >= SIGN_THREADS_MIN_INPUTS
      ? await signApprovedInThreads(approved, vault, gate.ledger, gate.nonces, { threads: pool.threads })
      : signApproved(approved, vault, gate.ledger, gate.nonces);
  // The result is released (written or printed) only once this entry is on disk (audit_unwritable otherwise).
  const audit = gate.audit.mustRecord({ type: 'request-signed', requestId: name, fingerprint: approved.review.fingerprint.short, ...(outcome.musig2 && outcome.musig2.inputs.length > 0 ? { musig2: outcome.musig2 } : {}) });
  const note = musig2Note(outcome, gate.nonces);
  if (note) ctx.stderr.write(note);
  const registered = walletId !== undefined ? gate.wallets.registry?.wallets.get(walletId) : undefined;
  return { outcome, run: { received, auth, review: approved.review, output: outcome.output, audit, ...(registered ? { registered } : {}) } };
}

/** Writes a signed result and, with a receipt key, its receipt beside it (both new files, never overwritten). */
function writeSigned(target: string, signed: { outcome: SignOutcome; run: SignedRun }, receipts: ReceiptSigner | undefined, ctx: CliContext): void {
  if (receipts) checkReceiptFree(target);
  // The receipt is made before anything is written. One that cannot be written then leaves the signed file in
  // place (this run's token is used up, so removing it could lose the only copy of the signature) and says so.
  const token = receipts ? transactionReceipt(receipts, target, signed.run) : undefined;
  writeFileAtomic(target, signed.outcome.output);
  if (token === undefined) return;
  try {
    writeFileAtomic(receiptName(target), token);
  } catch (e) {
    const why = e instanceof Error ? e.message : 'unknown error';
    throw new OutputFileError(`${basename(target)} was written, but its receipt could not be (${why}); the signed file stays without its receipt`, e instanceof SignerError && e.code !== undefined ? e.code : 'output_write_failed');
  }
  ctx.stderr.write(`receipt -> ${receiptName(target)}\n`);
}

/** `offline-signer sign` (its --help text is in help.ts). */
export async function runSign(args: string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseCommandArgs('sign', args, {
    keys: { type: 'string' },
    out: { type: 'string' },
    wallet: { type: 'string' },
    policy: { type: 'string' },
    strict: { type: 'boolean', default: false },
    ledger: { type: 'string' },
    nonces: { type: 'string' },
    'used-tokens': { type: 'string' },
    'hmac-secrets': { type: 'string' },
    'audit-log': { type: 'string' },
    'no-receipt': { type: 'boolean', default: false },
    ...WALLET_RULE_OPTIONS,
  });
  if (values.keys === undefined) throw new UsageError('sign: --keys <file> is required');
  // A secrets file named on the command line must exist (only the default one beside the key file is optional).
  if (values['hmac-secrets'] !== undefined && !existsSync(values['hmac-secrets'])) throw new UsageError(`sign: --hmac-secrets ${values['hmac-secrets']} does not exist`);
  const wallets = walletRules('sign', values, values.keys);
  const audit = new SignAudit(values['audit-log'] ?? defaultAuditLogPath(values.keys));
  const gate: GateOptions = { strict: values.strict === true, ledger: new SigningLedger(textFile(values.ledger ?? defaultLedgerPath(values.keys))),
    // The audit log's record of used nonces is asked first: a restored nonces file cannot bring one back.
    nonces: new Musig2NonceStore(textFile(values.nonces ?? defaultNoncesPath(values.keys)), undefined, (ids) => audit.releasedNonces(ids)),
    wallets,
    replay: new ReplayStore(textFile(values['used-tokens'] ?? usedTokensPathFor(values.keys))),
    hmacSecrets: values['hmac-secrets'] !== undefined ? readHmacSecrets(values['hmac-secrets']) : readHmacSecrets(hmacSecretsPathFor(values.keys)),
    audit,
  };
  if (wallets.registry) ctx.stderr.write(`wallet registry ${wallets.registry.name}: ${wallets.registry.wallets.size} wallet(s), sha256 ${wallets.registry.sha256}\n`);
  if (values.policy !== undefined) gate.policy = parsePolicyText(readInputFile(values.policy, 'policy file').toString('utf8'), values.policy);
  if (positionals.length === 0) throw new UsageError('sign: name at least one request or PSBT file');
  const many = positionals.length > 1;
  if (many) {
    if (values.out === undefined) throw new UsageError('sign: with several inputs, --out must name a directory for the results');
    let isDir: boolean;
    try {
      isDir = statSync(values.out).isDirectory();
    } catch {
      isDir = false;
    }
    if (!isDir) throw new UsageError(`sign: --out ${values.out} must be an existing directory when several inputs are given`);
  }
  // The curve threads start now, so their start overlaps reading the key file and the passphrase work.
  curvePool().warm();
  const vault = new Vault({ idleMs: 0 });
  try {
    const keyFile = readKeyFile(values.keys);
    // The receipt key is opened before anything is signed: a wrong or missing passphrase signs nothing.
    const receipts = await receiptSignerForRun(keyFile, { writesFiles: values.out !== undefined, refused: values['no-receipt'] === true }, ctx);
    if (!many) {
      try {
        if (receipts) checkReceiptFree(values.out!);
        const signed = await signOne(positionals[0]!, keyFile, vault, values.wallet, gate, ctx);
        if (values.out !== undefined) writeSigned(values.out, signed, receipts, ctx);
        else ctx.stdout.write(`${printable(signed.outcome)}\n`);
        return EXIT_OK;
      } catch (e) {
        gate.audit.record(failedEvent(positionals[0]!, e));
        const data = toErrorData(e);
        ctx.stdout.write(`${JSON.stringify(data)}\n`);
        // The error goes to the named output too (Express callers read the response file), unless that
        // file exists already: nothing is ever overwritten.
        if (values.out !== undefined && !(e instanceof SignerError && e.code === 'output_exists')) {
          try {
            writeFileAtomic(values.out, `${JSON.stringify(data)}\n`);
          } catch {
            // the error is on stdout already
          }
        }
        return EXIT_FAILED;
      }
    }
    let failed = 0;
    for (const [i, path] of positionals.entries()) {
      ctx.stderr.write(`[${i + 1}/${positionals.length}] ${path}: `);
      try {
        const signed = await signOne(path, keyFile, vault, values.wallet, gate, ctx);
        const { outcome } = signed;
        const target = join(values.out!, signedName(basename(path), outcome.format));
        writeSigned(target, signed, receipts, ctx);
        ctx.stderr.write(`signed ${outcome.inputs.length} input${outcome.inputs.length === 1 ? '' : 's'} -> ${target}\n`);
        ctx.stdout.write(`${JSON.stringify({ input: path, output: target })}\n`);
      } catch (e) {
        gate.audit.record(failedEvent(path, e));
        failed++;
        const data = toErrorData(e);
        const errName = `${basename(path).replace(/\.[^.]*$/, '')}.error.json`;
        ctx.stderr.write(`FAILED: ${data.error}\n`);
        try {
          writeFileAtomic(join(values.out!, errName), `${JSON.stringify(data)}\n`);
        } catch {
          // reported on stdout below
        }
        ctx.stdout.write(`${JSON.stringify({ input: path, error: data })}\n`);
      }
    }
    ctx.stderr.write(`${positionals.length - failed} signed, ${failed} failed\n`);
    return failed === 0 ? EXIT_OK : EXIT_FAILED;
  } finally {
    vault.lockAll();
    await curvePool().close();
  }
}
