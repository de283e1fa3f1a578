// The operator's USB workflow, as one session object the IPC handlers call: drives -> import -> review ->
// approve / reject -> sign -> export -> session summary. Data flows one way through the rooms: files/ (where a
// request file is found), intake/ (where it becomes a SigningRequest), review/ (where it becomes a review model),
// approval/ (where the operator's approval is checked, again, on the exact bytes), signing/ (where the signature
// is made) and output/ (where the result leaves).
//
// What the renderer sees: drive ids and labels, file names relative to their drive, request ids, review models
// and coded errors. Mount paths stay here; keys stay in the vault; nothing returned contains a path or a secret.
//
// Why this file is past the ~400-line rule: it is the one place that holds a request's state through every step,
// so the order of the steps and each state change can be read in one class. What is not the state machine lives
// beside it: its free types and helpers in session-parts.ts, the drives in session-drives.ts, the writing of
// results to a drive in session-export.ts.
import { dirname, join } from 'node:path';
import type {
  CandidateFileView,
  DriveView,
  ImportFileResult,
  RequestActionResult,
  RequestGroup,
  RequestReview,
  RequestStatus,
  RequestView,
  SessionSummary,
  SignProgressEvent,
} from '../../shared/contract';
import { SignerError, toErrorData } from '../../shared/errors';
import { authAudit, authenticate, authView, consumeAuth, enforceAuthPolicy, type RequestAuth } from '../auth/authenticate';
import { ReplayStore } from '../auth/replay';
import { readRequestFile } from '../files/drives';
import { assertSignable, warningKey } from '../approval/warnings';
import { registeredOptions } from '../registry/enforce';
import { parseXpubTriple, sameKeys } from '../wallet/keys';
import type { NetworkName } from '../review/build';
import { intakeOnThread } from './review-thread';
import { signApprovedRecord } from './session-sign';
import type { ReviewModel } from '../../shared/review';
import { reviewPage, reviewSummary } from '../review/pages';
import type { ReviewPageOf, ReviewPart } from '../../shared/review-page';
import { textFile } from '../output/text-file';
import { SigningLedger } from '../signing/ledger';
import { Musig2NonceStore } from '../signing/musig2-nonces';
import { configuredThreads } from '../parallel/pool';
import { sha256Hex } from '../crypto/hash';
import { MAX_REASON_CHARS, STAYS_APPROVED } from './audit';
import { barePsbtWallet } from './bare-psbt-wallet';
import { redactPath } from './drive-writes';
import { asData, importedResult, importFailedResult, noDrive, requestView, SCANNED_PATH, walletOf, type RequestRecord, type SessionDeps } from './session-parts';
import { exportSigned, exportSummaryFile, sessionSummary } from './session-export';
import { SessionDrives, sidecarJwt } from './session-drives';
import { WorkflowError } from './workflow-error';

export { WorkflowError } from './workflow-error';
export type { SessionDeps } from './session-parts';

export class RequestSession {
  readonly #deps: SessionDeps;
  readonly #ledger: SigningLedger;
  readonly #nonces: Musig2NonceStore;
  readonly #replay: ReplayStore;
  readonly #drives: SessionDrives;
  #requests = new Map<string, RequestRecord>();
  #next = 1;
  /** The signing batch running now (one at a time); `canceled` is read between requests. */
  #batch: { id: string; canceled: boolean; current?: string } | null = null;
  #nextBatch = 1;

  constructor(deps: SessionDeps) {
    this.#deps = deps;
    this.#drives = new SessionDrives(deps.driveEnv, deps.builtInRequests);
    this.#ledger = new SigningLedger(textFile(deps.ledgerPath));
    // The audit log's record of used nonces is asked before a kept nonce is taken: a restored nonces file cannot
    // bring one back (signing/musig2-nonces.ts).
    this.#nonces = new Musig2NonceStore(textFile(deps.noncesPath ?? join(dirname(deps.ledgerPath), 'musig2-nonces.json')), undefined, (ids) => deps.audit.releasedNonces(ids));
    this.#replay = new ReplayStore(textFile(deps.replayPath ?? join(dirname(deps.ledgerPath), 'used-request-tokens.json')), deps.now);
  }

  /** Lists the drives afresh; the ids stay valid until the next listing. */
  listDrives(): DriveView[] {
    return this.#drives.list();
  }

  /** A listed, connected drive, for other main-side writers (the key ceremony's KeyCard); never sent to the renderer. */
  driveRef(driveId: string): { label: string; path: string } {
    return this.#drives.writable(driveId);
  }

  listFiles(driveId: string): CandidateFileView[] {
    return this.#drives.files(driveId);
  }

  async importFiles(driveId: string, files: string[], psbtWallet?: string, psbtNetwork?: NetworkName): Promise<ImportFileResult[]> {
    const listed = this.#drives.listed(driveId);
    const drive = listed.builtIn ? listed : this.#drives.writable(driveId);
    const results: ImportFileResult[] = [];
    for (const file of files) {
      let bytes: Uint8Array | undefined;
      try {
        bytes = listed.builtIn ? this.#drives.builtInFile(file) : readRequestFile(drive.path, file);
        results.push(importedResult(await this.#importOne(drive, file, bytes, psbtWallet, psbtNetwork)));
      } catch (e) {
        results.push(importFailedResult(this.#deps, file, asData(redactPath(e, drive.path, drive.label), file), walletOf(e), bytes));
      }
    }
    return results;
  }

  /**
   * A request that arrived by camera (workflow/qr-intake.ts hands over the assembled bytes): the file import's
   * own checks, duplicate rule, review and audit, under `name` ("QR code 1"), with no drive to write back to.
   */
  async importScanned(bytes: Uint8Array, name: string, source: string, psbtWallet?: string, psbtNetwork?: NetworkName): Promise<ImportFileResult> {
    try {
      return importedResult(await this.#importOne({ label: source, path: SCANNED_PATH }, name, bytes, psbtWallet, psbtNetwork));
    } catch (e) {
      return importFailedResult(this.#deps, name, asData(e, name), walletOf(e), bytes);
    }
  }

  /** The signed result of a request (what export writes), for the QR send screen. */
  signedOutput(requestId: string): { file: string; output: Uint8Array; format: 'json' | 'psbt' } {
    const r = this.#get(requestId);
    if (!r.signed || (r.status !== 'signed' && r.status !== 'shown' && r.status !== 'exported')) {
      throw new WorkflowError(`${r.file} is ${r.status}; only a signed request has a result to show`, 'request_not_signed');
    }
    return { file: r.file, output: r.signed.output, format: r.signed.format };
  }

  /**
   * The QR send screen drew this request's signed result: a signed request becomes "shown" (delivered as QR codes),
   * which the summary counts as signed. An exported one stays exported (its file is the record); shown stays shown.
   */
  markShown(requestId: string): void {
    const r = this.#get(requestId);
    if (r.status !== 'signed') return;
    r.status = 'shown';
    delete r.error;
    this.#deps.audit.record({ type: 'request-shown', requestId, fingerprint: r.review.fingerprint.short });
    this.#deps.changed?.(requestView(r));
  }

  async #importOne(drive: { label: string; path: string }, file: string, scanned?: Uint8Array, psbtWallet?: string, psbtNetwork?: NetworkName): Promise<RequestRecord> {
    const received = scanned ?? readRequestFile(drive.path, file);
    const sha256 = sha256Hex(received);
    this.#notImportedYet(file, sha256);
    // Authentication first (auth/authenticate.ts): an envelope's body bytes are what is reviewed and signed.
    let bytes: Uint8Array;
    let auth: RequestAuth;
    try {
      ({ body: bytes, auth } = await authenticate(received, file, sidecarJwt(drive, file), {
        config: (walletId) => [...this.#deps.registration.entries()].find((e) => e.walletId === walletId)?.auth,
        hmacSecret: (walletId) => this.#deps.hmacSecret?.(walletId),
        replay: this.#replay,
        now: this.#deps.now ?? (() => new Date()),
      }));
    } catch (e) {
      this.#deps.audit.record({ type: 'request-auth', file, sha256, result: 'refused', code: e instanceof SignerError ? (e.code ?? e.name) : 'internal_error' });
      throw e;
    }
    this.#deps.audit.record({ type: 'request-auth', file, sha256, result: auth.scheme === 'none' ? 'not-authenticated' : 'verified', ...authAudit(auth) });
    // Parsed and reviewed on the review thread (workflow/review-thread.ts): main keeps serving IPC meanwhile. The
    // steps and their errors are the same as in-thread: parse, the wallet, the registry, then the review.
    const parsed = await intakeOnThread(bytes, file);
    let review: ReviewModel;
    let walletId: string;
    const facts = parsed.facts;
    try {
      const bare = facts.psbtXpubs ? barePsbtWallet(parseXpubTriple(facts.psbtXpubs), file, psbtWallet, { ...this.#deps, registeredWallets: () => this.#deps.registration.entries() }) : undefined;
      walletId = bare ? bare.walletId : facts.walletId!;
      // A request for a wallet the open key store does not hold is another store's: refused here, by its own code,
      // rather than reviewed against keys this app cannot sign with.
      const inStore = this.#deps.keyStoreWallets?.();
      if (inStore !== undefined && !inStore.includes(walletId)) {
        throw new WorkflowError(`${file} is a request for wallet ${walletId}, which is not in the open key store: this app holds no key for it, so it was not imported`, 'wallet_not_in_key_store');
      }
      // The wallet must be registered: its keys and coin are the registry's, not the request's.
      const entry = this.#deps.registration.require(walletId, bare ? { xpubs: bare.xpubs } : { xpubs: facts.xpubs!, ...(facts.derivationSeed !== undefined ? { derivationSeed: facts.derivationSeed } : {}) });
      const registered = registeredOptions(entry);
      enforceAuthPolicy(walletId, auth, entry.auth?.requireAuthenticatedRequests, file);
      if (bare && !sameKeys(parseXpubTriple(bare.xpubs), entry.keys)) {
        throw new WorkflowError(`${file}: this PSBT's keys are not the keys registered for wallet ${walletId} ("${entry.label}"); it is not that wallet's transaction`, 'wallet_keys_mismatch');
      }
      if (psbtNetwork !== undefined && psbtNetwork !== registered.network) {
        throw new WorkflowError(`${file}: wallet ${walletId} is registered for ${entry.coin}, not for ${psbtNetwork === 'bitcoin' ? 'mainnet' : 'testnet'}`, 'network_mismatch');
      }
      // The review is built at import: a request that cannot even be reviewed is a per-file import error.
      const id = walletId;
      review = await parsed.review({ name: file, ...registered }, () => this.#nonces.view(id));
    } catch (e) {
      parsed.forget();
      throw e;
    }
    // Again: another import of the same bytes may have finished while this one waited for the review thread.
    this.#notImportedYet(file, sha256);
    // Accepted: its token or tag is used up now (a refusal above left it usable for a retry).
    consumeAuth(auth, this.#replay);
    const record: RequestRecord = {
      requestId: `req-${this.#next++}`,
      file,
      driveLabel: drive.label,
      drivePath: drive.path,
      bytes,
      sha256,
      walletId,
      ...(facts.derivationSeed !== undefined ? { derivationSeed: facts.derivationSeed } : {}),
      review,
      status: 'imported',
      acknowledged: [],
      auth,
    };
    this.#requests.set(record.requestId, record);
    this.#deps.audit.record({
      type: 'request-imported',
      requestId: record.requestId,
      file,
      sha256,
      walletId,
      fingerprint: review.fingerprint.short,
      ...(review.refusals.length > 0 ? { refusals: review.refusals.map((x) => x.message) } : {}),
      sends: review.outputs.filter((o) => o.kind !== 'change').map((o) => ({ ...(o.address !== undefined ? { address: o.address } : {}), amount: o.amount, kind: o.kind as 'external' | 'failed' })),
      change: review.totals.change,
      fee: review.fee,
    });
    return record;
  }

  #notImportedYet(file: string, sha256: string): void {
    const same = [...this.#requests.values()].find((r) => r.sha256 === sha256 && r.status !== 'rejected');
    if (same) throw new WorkflowError(`${file} has the same content as ${same.file}, already imported in this session`, 'request_already_imported');
  }

  #get(requestId: string): RequestRecord {
    const r = this.#requests.get(requestId);
    if (!r) throw new WorkflowError(`request ${requestId} was not imported in this session`, 'request_unknown');
    return r;
  }

  list(): RequestGroup[] {
    const groups = new Map<string, RequestView[]>();
    for (const r of this.#requests.values()) {
      const g = groups.get(r.walletId) ?? [];
      g.push(requestView(r));
      groups.set(r.walletId, g);
    }
    return [...groups.entries()].map(([walletId, requests]) => ({ walletId, requests }));
  }

  review(requestId: string): RequestReview {
    const r = this.#get(requestId);
    const txid = r.review.txid;
    // The same unsigned transaction in another container (request, binary or base64 PSBT) has other bytes, so the
    // content rule at import lets it in; the txid names it whatever carried it.
    const sameTransaction = txid === null ? [] : [...this.#requests.values()].filter((o) => o !== r && o.review.txid === txid).map((o) => ({ requestId: o.requestId, file: o.file, status: o.status }));
    const review = reviewSummary(r.review);
    return { request: requestView(r), review, warningKeys: review.warnings.map(warningKey), sameTransaction, auth: authView(r.auth) };
  }

  /** More rows of a request's review (review/pages.ts): the screen asks for the ones it shows. */
  reviewPage<P extends ReviewPart>(requestId: string, part: P, offset: number, limit: number, group?: string): ReviewPageOf<P> {
    return reviewPage(this.#get(requestId).review, part, offset, limit, group);
  }

  approve(requestId: string, fingerprint: string, acknowledged: string[]): RequestView {
    const r = this.#get(requestId);
    if (r.status !== 'imported') throw new WorkflowError(`${r.file} is ${r.status}; only a newly imported request can be approved`, 'request_state_invalid');
    // The operator approves what they saw: the fingerprint on their screen must be the one of these bytes.
    if (fingerprint !== r.review.fingerprint.sha256) {
      throw new WorkflowError(`${r.file}: the review you approved (fingerprint mismatch) is not this request's review; open its review again`, 'review_fingerprint_mismatch');
    }
    const known = new Set(r.review.warnings.map(warningKey));
    const unknown = acknowledged.find((k) => !known.has(k));
    if (unknown !== undefined) throw new WorkflowError(`${r.file}: acknowledged warning ${JSON.stringify(unknown.slice(0, 80))} is not one of this review's warnings`, 'acknowledgement_unknown');
    // Refusals block whatever is acknowledged; every warning must be acknowledged (approval/warnings.ts).
    assertSignable(r.review, { acknowledged });
    r.status = 'approved';
    r.acknowledged = [...acknowledged];
    r.approvedFingerprint = fingerprint;
    delete r.error;
    this.#deps.audit.record({ type: 'request-approved', requestId, fingerprint: r.review.fingerprint.short, acknowledged: r.acknowledged });
    return requestView(r);
  }

  reject(requestId: string, reason = ''): RequestView {
    const r = this.#get(requestId);
    if (r.status !== 'imported' && r.status !== 'approved') {
      throw new WorkflowError(`${r.file} is ${r.status}; only a request not yet signed can be rejected`, 'request_state_invalid');
    }
    // Its signatures are being made now (main keeps serving the window meanwhile): rejecting it here would be
    // overwritten when they are done. Cancel first (nothing of it is kept), then reject.
    if (this.#batch?.current === requestId) {
      throw new WorkflowError(`${r.file} is being signed now; cancel the signing first (nothing of it is kept), then reject it`, 'sign_in_progress');
    }
    r.status = 'rejected';
    r.rejectReason = reason.slice(0, MAX_REASON_CHARS);
    this.#deps.audit.record({ type: 'request-rejected', requestId, fingerprint: r.review.fingerprint.short, reason: r.rejectReason || 'rejected by the operator' });
    return requestView(r);
  }

  #targets(requestIds: string[] | undefined, status: RequestStatus): RequestRecord[] {
    if (requestIds === undefined) return [...this.#requests.values()].filter((r) => r.status === status);
    return requestIds.map((id) => this.#get(id));
  }

  /**
   * Signs the approved requests (or the ones named), one at a time, reporting progress. Each request's signatures
   * are made in worker threads (signing/sign.ts signApprovedInThreads), so main's event loop keeps serving the
   * window and IPC meanwhile, with progress after each chunk of inputs. A cancel stops the batch within the current
   * request (at the next chunk: none of that request's signatures are kept, it stays approved with the code
   * signing_canceled) or between requests; the requests not reached stay approved (their result says so).
   */
  async sign(requestIds?: string[], onProgress?: (p: SignProgressEvent) => void | Promise<void>): Promise<RequestActionResult[]> {
    if (this.#batch) throw new WorkflowError('signing is already running; wait for it to finish or cancel it', 'sign_in_progress');
    const targets = this.#targets(requestIds, 'approved');
    const batch: { id: string; canceled: boolean; current?: string } = { id: `batch-${this.#nextBatch++}`, canceled: false };
    this.#batch = batch;
    const results: RequestActionResult[] = [];
    const progress = (state: SignProgressEvent['state'], current?: RequestRecord, inputs?: SignProgressEvent['inputs']) =>
      onProgress?.({ batchId: batch.id, done: results.length, total: targets.length, state, ...(current ? { current: { requestId: current.requestId, file: current.file } } : {}), ...(inputs ? { inputs } : {}), ...(state === 'running' ? {} : ended()) });
    // The batch's end says what was signed, not only what was tried: a locked wallet signs nothing.
    const ended = () => ({
      signed: results.filter((x) => x.ok).length,
      lockedWallets: [...new Set(results.flatMap((x, i) => (!x.ok && x.error.code === 'wallet_locked' ? [targets[i]!.walletId] : [])))],
    });
    try {
      for (const r of targets) {
        // A macrotask, not a microtask: IPC messages queued during the last signature are dispatched first.
        await new Promise<void>((resolve) => setTimeout(resolve, 0));
        if (batch.canceled) break;
        await progress('running', r);
        if (batch.canceled) break; // canceled while the screen was being told: this one is not started either
        batch.current = r.requestId;
        results.push(
          await this.#signResult(r, {
            canceled: () => batch.canceled,
            onProgress: (done, total) => void progress('running', r, { done, total }),
          }),
        );
        delete batch.current;
      }
    } finally {
      this.#batch = null;
    }
    const notReached = targets.slice(results.length);
    if (batch.canceled) this.#deps.audit.record({ type: 'sign-canceled', signed: results.filter((x) => x.ok).length, notReached: notReached.map((r) => r.requestId) });
    await progress(batch.canceled ? 'canceled' : 'finished');
    for (const r of notReached) {
      results.push({
        requestId: r.requestId,
        ok: false,
        error: { error: `${r.file}: not signed because signing was canceled; it is still approved and signs with the next "Sign approved requests"`, name: 'WorkflowError', code: 'sign_canceled' },
      });
    }
    return results;
  }

  /** Cancels the running batch after its current request; false when that batch is not running (any more). */
  cancelSign(batchId: string): { canceled: boolean } {
    if (this.#batch === null || this.#batch.id !== batchId) return { canceled: false };
    this.#batch.canceled = true;
    return { canceled: true };
  }

  async #signResult(r: RequestRecord, opts: { canceled: () => boolean; onProgress: (done: number, total: number) => void }): Promise<RequestActionResult> {
    try {
      await this.#signOne(r, opts);
      return { requestId: r.requestId, ok: true, request: requestView(r) };
    } catch (e) {
      const error = toErrorData(e);
      // Only an approved request was attempted; a request in another state is left as it is (e.g. rejected).
      if (r.status === 'approved') {
        // A locked wallet, a cancel or an unwritable audit log leave it approved (audit.ts STAYS_APPROVED).
        if (!STAYS_APPROVED.has(error.code ?? '')) r.status = 'failed';
        r.error = error;
        this.#deps.audit.record({ type: 'request-sign-failed', requestId: r.requestId, code: error.code ?? error.name, message: error.error });
      }
      return { requestId: r.requestId, ok: false, error };
    }
  }

  async #signOne(r: RequestRecord, opts: { canceled: () => boolean; onProgress: (done: number, total: number) => void }): Promise<void> {
    if (r.status !== 'approved' || r.approvedFingerprint === undefined) {
      throw new WorkflowError(`${r.file} is ${r.status}; only approved requests are signed`, 'request_not_approved');
    }
    const { vault } = this.#deps;
    if (!vault.isUnlocked(r.walletId)) {
      throw new WorkflowError(`wallet ${r.walletId} is locked: unlock it, then sign ${r.file} again (nothing was signed)`, 'wallet_locked');
    }
    // The gate runs again on the exact bytes about to be signed, with the unlocked key: the approved bytes, BitGo's
    // wallet validation, no refusal, every warning acknowledged, and the request's user key is this wallet's.
    // The registry as it is now: an entry removed or changed since the import refuses or re-checks the request.
    const entry = this.#deps.registration.entry(r.walletId);
    // And the wallet's authentication policy as it is now: one set since the import refuses a request it would have.
    enforceAuthPolicy(r.walletId, r.auth, entry.auth?.requireAuthenticatedRequests, r.file);
    const gate = { name: r.file, approvedFingerprint: r.approvedFingerprint, acknowledged: r.acknowledged, ...registeredOptions(entry) };
    const outcome = await signApprovedRecord(r, gate, { vault, audit: this.#deps.audit, ledger: this.#ledger, nonces: this.#nonces }, { threads: configuredThreads(), ...(this.#deps.signingSpares ? { spares: this.#deps.signingSpares } : {}), ...opts });
    this.#deps.audit.mustRecord({ type: 'request-signed', requestId: r.requestId, fingerprint: r.review.fingerprint.short, ...(outcome.musig2 ? { musig2: outcome.musig2 } : {}) });
    r.signed = { output: outcome.output, format: outcome.format };
    r.status = 'signed';
    delete r.error;
  }

  export(requestIds?: string[]): RequestActionResult[] {
    // "Export all" means the file requests signed (or already shown as QR codes) and not written yet; a scanned or
    // built-in one has no drive (named explicitly, it says so).
    const targets =
      requestIds === undefined ? [...this.#requests.values()].filter((r) => (r.status === 'signed' || r.status === 'shown') && !noDrive(r)) : requestIds.map((id) => this.#get(id));
    return targets.map((r) => {
      try {
        exportSigned(r, this.#deps, this.#now());
        return { requestId: r.requestId, ok: true, request: requestView(r) };
      } catch (e) {
        const error = toErrorData(e);
        r.error = error;
        return { requestId: r.requestId, ok: false, error };
      }
    });
  }

  #now(): Date {
    return (this.#deps.now ?? (() => new Date()))();
  }

  summary(): SessionSummary {
    return sessionSummary(this.#deps.audit.entries());
  }

  /** Writes the summary text at the top of the drive, as session-summary-<UTC time>.txt (never over a file). */
  exportSummary(driveId: string): { file: string; receipt?: string } {
    return exportSummaryFile(this.#drives.writable(driveId), this.#deps, this.#now());
  }
}
