// Where a request becomes the review model the operator sees. Pure: a parsed SigningRequest (intake/) and plain
// options in, plain JSON out; no key material is needed or used (the wallet is named by its three xpubs), so a
// review can run before any passphrase is asked for. The approval gate (approval/gate.ts) builds it again from the
// exact bytes it is about to sign.
//
// What is checked, and where:
// - inputs.ts: every input is this wallet's (its script re-derives from the three xpubs at the chain/index its
//   derivation data claims), its amount evidence (BIP174 signer checks, BitGo's txInfo), its sighash types;
// - outputs.ts: every output that carries wallet derivation data re-derives the same way (else fake change);
// - network.ts: the network the request is for; amounts.ts: fee, fee rate, timelocks and the policy's limits;
//   paygo.ts: which output is BitGo's PayGo fee (proven by BitGo's attestation key or the policy, never by the
//   request's word); then the policy may turn warnings into refusals.
import { toSafeSats } from '../../shared/amount';
import { SignerError, type ErrorCode } from '../../shared/errors';
import type { Coin } from '../../shared/registry';
import type { ReviewModel } from '../../shared/review';
import { clearPointMemo } from '../crypto/ecc';
import { checkTransactionForSigning, TransactionCheckError } from '../intake/input-checks';
import { emptyMetadata } from '../intake/express';
import { parseSigningRequest, type SigningRequest } from '../intake/request';
import type { StrictPsbt } from '../intake/psbt-strict';
import { txidHex, txidOf } from '../intake/psbt-tx';
import { outputFields, type OutputFields } from '../intake/psbt-view';
import { clearWalletMemos, parseXpubTriple, sameNode, walletFingerprints, type WalletKeys } from '../wallet/keys';
import { reviewAmounts, reviewTimelocks } from './amounts';
import { reviewFingerprint } from './fingerprint';
import { reviewInput, reviewLegacyInputs, type WalletView } from './inputs';
import { reviewMusig2 } from './musig2';
import type { Musig2NonceLookup } from '../intake/musig2-fields';
import { Issues } from './issues';
import { clearAddressMemo, decideNetwork, type NetworkName } from './network';
import { reviewOutput } from './outputs';
import { payGoKeysFromOption, pinnedPayGoKeys, reviewPayGo } from './paygo';
import { defaultPolicy, rulesFor, type Policy } from './policy';

export type { NetworkName } from './network';

export class ReviewError extends SignerError {
  constructor(message: string, code: 'wallet_not_chosen' | 'wallet_xpubs_missing' | 'review_argument_invalid') {
    super('ReviewError', message, code);
  }
}

export interface ReviewOptions {
  /** The operator's choice of network (CLI --network, the import's choice). Inferred from metadata when absent. */
  network?: NetworkName;
  /** The policy in force; the built-in defaults when absent. */
  policy?: Policy;
  /** Bare PSBTs: the wallet's id (requests name their own; a different one here is refused). */
  walletId?: string;
  /**
   * The wallet's three xpubs [user, backup, bitgo]: a bare PSBT's keys, or for a request the keys on record (its
   * `pubs` must be these).
   */
  xpubs?: readonly string[];
  /**
   * The unlocked signing key's xpub (after any derivationSeed), when the review runs at signing time: the
   * request's user key must be it, or the inputs are not the unlocked wallet's.
   */
  signerXpub?: string;
  /** A name for the input in error messages (a file's base name). */
  name?: string;
  /**
   * The wallet as the registry holds it (registry/): shown in the review, and refused when its entry is not usable.
   * Its keys and coin reach the review as `xpubs` and `network` (registry/enforce.ts), which the request must match.
   */
  registered?: { label: string; coin: Coin; problem?: { code: ErrorCode; message: string } };
  /**
   * The kept MuSig2 nonces (signing/musig2-nonces.ts), so a signature request whose nonce is unknown, used or made
   * for another transaction is refused here as the signer would refuse it.
   */
  musig2Nonces?: Musig2NonceLookup;
  /**
   * DANGER, tests only: compressed public keys (hex) that replace BitGo's pinned PayGo attestation keys
   * (review/paygo.ts) for the request's network, so a test can sign a proof with a key whose private half it
   * holds. Any key here makes every address it signs show as BitGo's fee. Never set by the app or the CLI.
   */
  DANGER_payGoAttestationKeys?: readonly string[];
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The options as a caller across a boundary (IPC, tools) may pass them: checked, never trusted. */
function assertReviewOptions(opts: unknown): void {
  const bad = (what: string) => new ReviewError(`review: ${what}`, 'review_argument_invalid');
  if (!isObject(opts)) throw bad('options must be an object');
  if (opts.network !== undefined && opts.network !== 'bitcoin' && opts.network !== 'testnet') throw bad('network must be "bitcoin" or "testnet"');
  for (const k of ['walletId', 'signerXpub', 'name'] as const) if (opts[k] !== undefined && typeof opts[k] !== 'string') throw bad(`${k} must be a string`);
  if (opts.xpubs !== undefined && (!Array.isArray(opts.xpubs) || opts.xpubs.length !== 3 || !opts.xpubs.every((x) => typeof x === 'string'))) throw bad('xpubs must be three strings [user, backup, bitgo]');
  if (opts.musig2Nonces !== undefined && typeof opts.musig2Nonces !== 'function') throw bad('musig2Nonces must be the kept nonces\' lookup');
  const keys = opts.DANGER_payGoAttestationKeys;
  if (keys !== undefined && (!Array.isArray(keys) || !keys.every((k) => typeof k === 'string' && /^0[23][0-9a-f]{64}$/.test(k)))) throw bad('DANGER_payGoAttestationKeys must be compressed public keys in hex');
  if (opts.policy !== undefined && (!isObject(opts.policy) || typeof opts.policy.hash !== 'string' || !isObject(opts.policy.defaults))) throw bad('policy must come from parsePolicy / defaultPolicy');
}

/** The wallet a request is reviewed against: the request's own keys, or the chosen wallet's for a bare PSBT. */
function resolveWallet(request: SigningRequest, opts: ReviewOptions, issues: Issues): WalletView & { xpubs: readonly string[] } {
  let walletId: string;
  let keys: WalletKeys;
  let xpubs: readonly string[];
  if (request.kind === 'psbt') {
    if (opts.walletId === undefined) throw new ReviewError('a bare PSBT does not name its wallet: choose the wallet (--wallet <id>)', 'wallet_not_chosen');
    if (opts.xpubs === undefined) throw new ReviewError(`the wallet's three xpubs are needed to review a bare PSBT (wallet ${opts.walletId})`, 'wallet_xpubs_missing');
    walletId = opts.walletId;
    keys = parseXpubTriple(opts.xpubs);
    xpubs = opts.xpubs;
  } else {
    ({ walletId, wallet: keys, xpubs } = request);
    if (opts.walletId !== undefined && opts.walletId !== walletId) {
      issues.refuse('wallet_mismatch', `the request is for wallet ${walletId}, but wallet ${opts.walletId} was chosen`);
    }
    if (opts.xpubs !== undefined && opts.xpubs.join(' ') !== xpubs.join(' ')) {
      // The key store knows the wallet's keys; a request naming other cosigners is not this wallet's.
      issues.refuse('wallet_keys_mismatch', `the request's pubs are not the xpubs on record for wallet ${walletId}`);
    }
  }
  if (opts.signerXpub !== undefined) {
    let same: boolean;
    try {
      same = sameNode(parseXpubTriple([opts.signerXpub, opts.signerXpub, opts.signerXpub]).user, keys.user);
    } catch {
      same = false;
    }
    if (!same) issues.refuse('wallet_not_unlocked_key', `the request's user key (pubs[0]) is not the unlocked key of wallet ${walletId}: its inputs are not this wallet's`);
  }
  return { walletId, keys, xpubs, fingerprints: walletFingerprints(keys) };
}

/**
 * Reviews a parsed request. Throws a coded SignerError only when there is no wallet to review it against (a bare
 * PSBT without one); everything about a readable request becomes a refusal or a warning in the model.
 */
export function reviewRequest(request: SigningRequest, opts: ReviewOptions = {}): ReviewModel {
  assertReviewOptions(opts);
  const issues = new Issues();
  const wallet = resolveWallet(request, opts, issues);
  const meta = request.kind === 'psbt' ? emptyMetadata() : request.metadata;
  const policy = opts.policy ?? defaultPolicy();
  const rules = rulesFor(policy, wallet.walletId);
  const network = decideNetwork(meta, wallet.xpubs, opts.network, issues);
  if (opts.registered?.problem) issues.refuse(opts.registered.problem.code, opts.registered.problem.message);
  const psbt: StrictPsbt | undefined = request.kind === 'express-legacy' ? undefined : request.psbt;
  const tx = request.kind === 'express-legacy' ? request.tx : request.psbt.tx;

  try {
    // Bitcoin Core's context-free transaction rules: no inputs/outputs, duplicate inputs, amounts out of range.
    checkTransactionForSigning({ tx } as StrictPsbt);
  } catch (e) {
    if (!(e instanceof TransactionCheckError)) throw e;
    issues.refuse(e.code, e.message);
  }
  // Rules the PSBT breaks that do not stop it loading are shown too. BitGo's derivationSeed requests list the
  // derived user xpub with an empty path (depth mismatch): expected there, not shown.
  for (const w of psbt?.warnings ?? []) {
    if (w.code === 'psbt_xpub_depth_mismatch' && request.kind === 'express' && request.derivationSeed !== undefined) continue;
    issues.warn(w.code, w.message);
  }

  const inputs = request.kind === 'express-legacy' ? reviewLegacyInputs(request, wallet, issues) : request.psbt.inputs.map((_, i) => reviewInput(request.psbt, i, wallet, meta, issues));
  const outputFieldList: OutputFields[] =
    request.kind === 'express-legacy'
      ? request.tx.outputs.map((x, index) => ({ index, value: x.value, script: x.script, bip32Derivation: [], tapBip32Derivation: [], proprietary: [] }))
      : request.psbt.outputs.map((_, o) => outputFields(request.psbt, o));
  const outputs = outputFieldList.map((f) => reviewOutput(f, wallet, network, meta, rules, issues));
  const a = reviewAmounts(tx, inputs, outputs, rules, issues);
  const payGoKeys = opts.DANGER_payGoAttestationKeys === undefined ? pinnedPayGoKeys(network) : payGoKeysFromOption(opts.DANGER_payGoAttestationKeys);
  const payGoOutputs = outputs.map((output, k) => ({ output, value: outputFieldList[k]!.value, proprietary: outputFieldList[k]!.proprietary }));
  reviewPayGo(payGoOutputs, a.spend, meta, rules, payGoKeys, network, issues);
  const lockTime = reviewTimelocks(tx, meta, issues);
  const txid = tx.locktime === undefined ? null : txidHex(txidOf({ ...tx, inputs: tx.inputs.map(({ prevTxid, prevIndex, sequence }) => ({ prevTxid, prevIndex, sequence })), locktime: tx.locktime }));
  const musig2 = reviewMusig2(request, inputs, txid, wallet.walletId, opts.musig2Nonces, issues);

  // Policy: warnings it names (or all of them) block like refusals.
  const warnings = issues.warnings.filter((w) => {
    const blocks = rules.blockWarnings || rules.refuseWarnings.includes(w.code);
    if (blocks) issues.refusals.push({ ...w, message: `${w.message} (refused by policy ${policy.source})`, policy: policy.source });
    return !blocks;
  });

  return {
    version: 1,
    network,
    walletId: wallet.walletId,
    ...(opts.registered ? { registered: { label: opts.registered.label, coin: opts.registered.coin } } : {}),
    scriptTypes: [...new Set(inputs.map((x) => x.model.scriptType))].sort(),
    txVersion: tx.version,
    lockTime,
    txid,
    inputs: inputs.map((x) => x.model),
    outputs,
    totals: {
      inputs: toSafeSats(a.totalIn, 'input total'),
      outputs: toSafeSats(a.totalOut, 'output total'),
      change: toSafeSats(a.change, 'change total'),
      external: toSafeSats(a.external < 0n ? 0n : a.external, 'external total'),
      spend: toSafeSats(a.spend < 0n ? 0n : a.spend, 'spend total'),
    },
    fee: toSafeSats(a.fee, 'fee'),
    vsize: a.vsize,
    feeRate: a.rate / 100,
    ...(a.feeBasisPoints !== undefined ? { feeBasisPoints: a.feeBasisPoints } : {}),
    ...(musig2 ? { musig2 } : {}),
    warnings,
    refusals: issues.refusals,
    fingerprint: reviewFingerprint(request.bytes),
    policy: { source: policy.source, hash: policy.hash, rules: { ...rules } as unknown as Record<string, unknown> },
  };
}

/**
 * Parses and reviews one request file's content (the CLI's `review`, tests). Throws a coded SignerError when the
 * content cannot be read as a request at all.
 */
export function buildReview(data: Uint8Array | string, opts: ReviewOptions = {}): ReviewModel {
  if (typeof data !== 'string' && !(data instanceof Uint8Array)) {
    throw new ReviewError(`review: the request must be text or bytes, got ${data === null ? 'null' : typeof data}`, 'review_argument_invalid');
  }
  assertReviewOptions(opts);
  return reviewRequest(parseSigningRequest(data, opts.name ?? 'input'), opts);
}

/** Forgets the process-wide memos of public data (benchmarks measure a cold review with it). */
export function clearReviewCaches(): void {
  clearWalletMemos();
  clearPointMemo();
  clearAddressMemo();
}
