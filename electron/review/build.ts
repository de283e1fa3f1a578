// The review builder: turns a request (Express body or bare PSBT) into the ReviewModel the operator sees, and the
// rules that refuse or warn. Pure: bytes and plain objects in, plain JSON out; no key material is needed or used
// (the wallet is named by its three xpubs), so a review can run before any passphrase is asked for.
//
// What is checked, and why (issue 4; BIP174 roles; BitGo external signing mode, ../../shared/seeds/000_*):
// - every input is this wallet's: the script it spends re-derives from the three xpubs at the chain/index its
//   derivation data claims (electron/wallet/scripts.ts does the derivation, here it is only compared);
// - every output that carries derivation data re-derives the same way (else it is fake change and refused);
// - amounts: witness_utxo against the full previous transaction (electron/signing/input-checks.ts), and against
//   BitGo's txInfo.unspents metadata when present;
// - sighash types, network, mixed wallets; then fee, fee rate, PayGo, locktime/sequence, dust, OP_RETURN and the
//   policy's limits, as warnings or refusals.
import { address as btcAddress, networks, type Network } from 'bitcoinjs-lib';
import type { BIP32Interface } from 'bip32';
import { basisPoints, describeSats, feeRateHundredths, formatBasisPoints, formatHundredths, toSafeSats } from '../../shared/amount';
import { SignerError } from '../../shared/errors';
import type { AmountEvidence, ReviewInput, ReviewIssue, ReviewModel, ReviewOutput, ReviewScriptType } from '../../shared/review';
import { inputFields, outputFields, type OutputFields, type StrictPsbt } from '../intake/psbt-strict';
import { parseLegacyRequest, type LegacyRequest } from '../intake/legacy';
import { LegacySigningError, verifyLegacyInputs } from '../signing/legacy';
import { bytesEqual, toHex } from '../intake/psbt-bytes';
import { clearPointMemo } from '../crypto/ecc';
import { BoundedMap } from '../crypto/memo';
import { clearDerivationMemo } from '../bitgo/wallet';
import { txidHex } from '../intake/psbt-tx';
import { checkStrictInput, checkTransactionForSigning, InputCheckError, SIGHASH_ALL, SIGHASH_DEFAULT } from '../signing/input-checks';
import { parseSigningInput, type SigningInput } from '../signing/request';
import { parseXpubTriple, scriptTypeForChain, walletOutputScript, type WalletKeys, type WalletOutputScript } from '../wallet/scripts';
import { reviewFingerprint } from './fingerprint';
import { defaultPolicy, rulesFor, type Policy, type PolicyRules } from './policy';
import { estimateSignedSize, type VsizeInput } from './vsize';

export type NetworkName = 'bitcoin' | 'testnet';

export class ReviewError extends SignerError {
  constructor(message: string, code: string) {
    super('ReviewError', message, code);
  }
}

export interface ReviewOptions {
  /** The operator's choice of network (CLI --network / the wallet's coin). Inferred from metadata when absent. */
  network?: NetworkName;
  /** The policy in force; the built-in defaults when absent. */
  policy?: Policy;
  /** Bare PSBTs: the wallet's id (requests name their own). */
  walletId?: string;
  /** Bare PSBTs: the wallet's three xpubs [user, backup, bitgo] (requests carry their own `pubs`). */
  xpubs?: readonly string[];
  /**
   * The unlocked signing key's xpub (after any derivationSeed), when the review runs at signing time: the
   * request's user key must be it, or the inputs are not the unlocked wallet's.
   */
  signerXpub?: string;
  /** A name for the input in error messages (a file's base name). */
  name?: string;
}

const NETWORKS: Record<NetworkName, Network> = { bitcoin: networks.bitcoin, testnet: networks.testnet };
const HARDENED = 0x80000000;
/** Sequence numbers BitGo and wallets use: final, locktime-enabling, and BIP125 replaceable. */
const USUAL_SEQUENCES = new Set([0xffffffff, 0xfffffffe, 0xfffffffd]);
/** BIP65/Core: nLockTime below this is a block height, at or above a unix time. */
const LOCKTIME_THRESHOLD = 500_000_000;
/** A height locktime more than this many blocks past the prebuild's height is unusual (BitGo uses the tip). */
const LOCKTIME_FUTURE_BLOCKS = 6;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Which network an address belongs to, or undefined when it is not a valid address of either. The prefix decides
 * first (BIP173 hrp bc/tb; base58 version bytes 0x00/0x05 -> 1/3, 0x6f/0xc4 -> m,n/2), then the address is
 * decoded for that network only: metadata can list hundreds of addresses.
 */
// Addresses named in metadata (500 unspents of a 500-input request) decode in ~16 us each; a review and the gate
// that follows decode the same ones. A pure function of the text, remembered (bounded; public data).
const addressNetworks = new BoundedMap<string, NetworkName | null>(20_000);

export function addressNetwork(addr: string): NetworkName | undefined {
  let n = addressNetworks.get(addr);
  if (n === undefined) addressNetworks.set(addr, (n = decodeAddressNetwork(addr) ?? null));
  return n ?? undefined;
}

function decodeAddressNetwork(addr: string): NetworkName | undefined {
  const lower = addr.toLowerCase();
  const guess: NetworkName | undefined = lower.startsWith('bc1') || /^[13]/.test(addr) ? 'bitcoin' : lower.startsWith('tb1') || /^[mn2]/.test(addr) ? 'testnet' : undefined;
  if (guess) {
    try {
      btcAddress.toOutputScript(addr, NETWORKS[guess]);
      return guess;
    } catch {
      return undefined;
    }
  }
  for (const n of ['bitcoin', 'testnet'] as const) {
    try {
      btcAddress.toOutputScript(addr, NETWORKS[n]);
      return n;
    } catch {
      // try the next
    }
  }
  return undefined;
}

function addressOf(script: Uint8Array, network: NetworkName): string | undefined {
  try {
    return btcAddress.fromOutputScript(script, NETWORKS[network]);
  } catch {
    return undefined;
  }
}

/** OP_RETURN data: the concatenated pushes after OP_RETURN (hex), or the raw rest when it is not push-only. */
function opReturnData(script: Uint8Array): string {
  const parts: Uint8Array[] = [];
  for (let p = 1; p < script.length; ) {
    const op = script[p]!;
    let len: number;
    let start: number;
    if (op >= 1 && op <= 0x4b) [len, start] = [op, p + 1];
    else if (op === 0x4c && p + 1 < script.length) [len, start] = [script[p + 1]!, p + 2];
    else if (op === 0x4d && p + 2 < script.length) [len, start] = [script[p + 1]! | (script[p + 2]! << 8), p + 3];
    else return toHex(script.subarray(1));
    if (start + len > script.length) return toHex(script.subarray(1));
    parts.push(script.subarray(start, start + len));
    p = start + len;
  }
  return parts.map(toHex).join('');
}

/** PSBT_IN_TAP_BIP32_DERIVATION (BIP371, 0x16): x-only key => <#leaf hashes><hashes><fingerprint><path>. */
function inputTapDerivations(psbt: StrictPsbt, index: number): { fingerprint: Uint8Array; path: number[] }[] {
  const out: { fingerprint: Uint8Array; path: number[] }[] = [];
  for (const e of psbt.inputs[index] ?? []) {
    if (e.keyType !== 0x16) continue;
    const v = e.value;
    const n = v[0] ?? 0;
    if (n >= 0xfd) continue; // the strict parser bounds this; a review never needs 253+ leaves
    const origin = v.subarray(1 + 32 * n);
    const path: number[] = [];
    for (let o = 4; o + 4 <= origin.length; o += 4) path.push((origin[o]! | (origin[o + 1]! << 8) | (origin[o + 2]! << 16) | (origin[o + 3]! << 24)) >>> 0);
    out.push({ fingerprint: origin.subarray(0, 4), path });
  }
  return out;
}

/** The Express request around the PSBT: the metadata the review reads (txInfo, feeInfo, blockHeight). */
interface Metadata {
  walletId?: string;
  pubs?: unknown;
  unspents: { id: string; address?: string; value?: unknown; wallet?: unknown }[];
  /** The same, by outpoint id ("txid:vout"); the first entry wins. */
  unspentById: Map<string, { id: string; address?: string; value?: unknown; wallet?: unknown }>;
  changeAddresses: Set<string>;
  addressDetails: Map<string, { chain: unknown; index: unknown }>;
  payGoFee?: bigint;
  payGoAddress?: string;
  blockHeight?: number;
}

function readMetadata(body: Record<string, unknown> | undefined): Metadata {
  const m: Metadata = { unspents: [], unspentById: new Map(), changeAddresses: new Set(), addressDetails: new Map() };
  if (!body) return m;
  m.pubs = body.pubs;
  const pre = isObject(body.txPrebuild) ? body.txPrebuild : {};
  if (typeof pre.walletId === 'string') m.walletId = pre.walletId;
  if (typeof pre.blockHeight === 'number' && Number.isSafeInteger(pre.blockHeight)) m.blockHeight = pre.blockHeight;
  const info = isObject(pre.txInfo) ? pre.txInfo : {};
  if (Array.isArray(info.unspents)) {
    for (const u of info.unspents) {
      if (isObject(u) && typeof u.id === 'string') m.unspents.push({ id: u.id, ...(typeof u.address === 'string' ? { address: u.address } : {}), value: u.value, wallet: u.wallet });
    }
  }
  for (const u of m.unspents) if (!m.unspentById.has(u.id)) m.unspentById.set(u.id, u);
  if (Array.isArray(info.changeAddresses)) m.changeAddresses = new Set(info.changeAddresses.filter((a): a is string => typeof a === 'string'));
  if (isObject(info.walletAddressDetails)) {
    for (const [a, d] of Object.entries(info.walletAddressDetails)) if (isObject(d)) m.addressDetails.set(a, { chain: d.chain, index: d.index });
  }
  // PayGo (BitGo's fee output): feeInfo.payGoFee in satoshis, optionally feeInfo.payGoAddress.
  const fee = isObject(pre.feeInfo) ? pre.feeInfo : {};
  if (typeof fee.payGoFee === 'number' && Number.isSafeInteger(fee.payGoFee) && fee.payGoFee > 0) m.payGoFee = BigInt(fee.payGoFee);
  if (typeof fee.payGoAddress === 'string') m.payGoAddress = fee.payGoAddress;
  return m;
}

class Issues {
  warnings: ReviewIssue[] = [];
  refusals: ReviewIssue[] = [];
  refuse(code: string, message: string, at: { input?: number; output?: number } = {}): void {
    this.refusals.push({ code, message, ...at });
  }
  warn(code: string, message: string, at: { input?: number; output?: number } = {}): void {
    this.warnings.push({ code, message, ...at });
  }
}

/** Parses the file content for review. MuSig2 signing steps are reviewed like the plain request they carry. */
export function parseForReview(data: Uint8Array | string, name = 'input'): { input: SigningInput; body?: Record<string, unknown> } {
  const text = typeof data === 'string' ? data : data[0] === 0x70 ? undefined : new TextDecoder().decode(data);
  const trimmed = text?.replace(/^\uFEFF/, '').trimStart();
  if (trimmed !== undefined && trimmed.startsWith('{')) {
    let body: unknown;
    try {
      body = JSON.parse(trimmed);
    } catch {
      return { input: parseSigningInput(data, name) }; // the request module names the JSON error
    }
    if (isObject(body)) {
      // The signing step says which MuSig2 round to run; it does not change what the transaction does.
      const { signingStep: _step, ...rest } = body;
      return { input: parseSigningInput(_step === undefined ? trimmed : JSON.stringify(rest), name), body };
    }
  }
  return { input: parseSigningInput(data, name) };
}

function resolveWallet(input: SigningInput, meta: Metadata, opts: ReviewOptions, issues: Issues, legacy?: LegacyRequest): { walletId: string; keys: WalletKeys; xpubText: string[] } {
  const walletId = input.kind === 'psbt' ? opts.walletId : input.walletId;
  if (walletId === undefined) throw new ReviewError('a bare PSBT does not name its wallet: choose the wallet (--wallet <id>)', 'wallet_not_chosen');
  if (input.kind !== 'psbt' && opts.walletId !== undefined && opts.walletId !== walletId) {
    issues.refuse('wallet_mismatch', `the request is for wallet ${walletId}, but wallet ${opts.walletId} was chosen`);
  }
  const pubs = input.kind === 'express' ? input.pubs : legacy ? legacy.pubs : opts.xpubs;
  if (pubs === undefined) throw new ReviewError(`the wallet's three xpubs are needed to review a bare PSBT (wallet ${walletId})`, 'wallet_xpubs_missing');
  if (input.kind !== 'psbt' && opts.xpubs !== undefined && JSON.stringify(opts.xpubs) !== JSON.stringify(pubs)) {
    // The key store knows the wallet's keys; a request naming other cosigners is not this wallet's.
    issues.refuse('wallet_keys_mismatch', `the request's pubs are not the xpubs on record for wallet ${walletId}`);
  }
  const keys = walletKeysCached(pubs);
  if (opts.signerXpub !== undefined) {
    let same: boolean;
    try {
      const signer = walletKeysCached([opts.signerXpub, opts.signerXpub, opts.signerXpub]).user;
      same = bytesEqual(signer.publicKey, keys.user.publicKey) && bytesEqual(signer.chainCode, keys.user.chainCode);
    } catch {
      same = false;
    }
    if (!same) issues.refuse('wallet_not_unlocked_key', `the request's user key (pubs[0]) is not the unlocked key of wallet ${walletId}: its inputs are not this wallet's`);
  }
  return { walletId, keys, xpubText: (pubs as string[]).slice() };
}

// Derived wallet scripts by (wallet keys, chain, index). BIP32 public derivation costs one curve operation per key
// (about 0.25 ms each with tiny-secp256k1 here), so a 500-input review derives 1500 keys; reviewing the same
// request again (review, then sign; the UI re-rendering) reuses them. Public data only; bounded.
const derivedScripts = new WeakMap<WalletKeys, Map<number, WalletOutputScript>>();
const MAX_CACHED_SCRIPTS_PER_WALLET = 50_000;
function walletScript(keys: WalletKeys, chain: number, index: number): WalletOutputScript {
  let m = derivedScripts.get(keys);
  if (!m) derivedScripts.set(keys, (m = new Map()));
  const id = chain * 0x80000000 + index; // chain < 100, index < 2^31: exact in a double
  let s = m.get(id);
  if (!s) {
    s = walletOutputScript(keys, chain, index);
    if (m.size >= MAX_CACHED_SCRIPTS_PER_WALLET) m.clear();
    m.set(id, s);
  }
  return s;
}

/**
 * Forgets parsed xpubs, the process-wide derivation and point-validity memos and the address networks
 * (benchmarks measure a cold review with it).
 */
export function clearReviewCaches(): void {
  parsedWallets.clear();
  clearDerivationMemo();
  clearPointMemo();
  addressNetworks.clear();
}

// Parsed xpub triples by their text: the same node objects each time, so the per-chain derivation caches of
// electron/bitgo/wallet.ts (keyed by node) are reused across reviews of the same wallet. Public data only, bounded.
const parsedWallets = new Map<string, WalletKeys>();
function walletKeysCached(pubs: unknown): WalletKeys {
  const id = Array.isArray(pubs) && pubs.length === 3 && pubs.every((p) => typeof p === 'string' && p.length <= 200) ? pubs.join(' ') : undefined;
  const hit = id === undefined ? undefined : parsedWallets.get(id);
  if (hit) return hit;
  const keys = parseXpubTriple(pubs);
  if (id !== undefined) {
    if (parsedWallets.size >= 32) parsedWallets.clear();
    parsedWallets.set(id, keys);
  }
  return keys;
}

function decideNetwork(meta: Metadata, xpubText: string[], opts: ReviewOptions, issues: Issues): NetworkName {
  const seen = new Map<NetworkName, string>();
  for (const a of [...meta.unspents.map((u) => u.address), ...meta.changeAddresses, ...meta.addressDetails.keys()]) {
    if (a === undefined) continue;
    const n = addressNetwork(a);
    if (n && !seen.has(n)) seen.set(n, a);
  }
  // tpub-style keys are testnet keys (BIP32 version bytes); BitGo itself uses xpub on both networks.
  if (xpubText.some((x) => x.startsWith('tpub')) && !seen.has('testnet')) seen.set('testnet', 'a tpub key in pubs');
  const chosen = opts.network;
  if (chosen) {
    for (const [n, a] of seen) {
      if (n !== chosen) issues.refuse('network_mismatch', `the request is for ${chosen}, but its metadata names ${n === 'bitcoin' ? 'mainnet' : 'testnet'} (${a})`);
    }
    return chosen;
  }
  if (seen.size > 1) {
    issues.refuse('network_mismatch', `the request's metadata mixes networks (${[...seen.values()].join(', ')})`);
    return 'bitcoin';
  }
  const only = [...seen.keys()][0];
  if (only) return only;
  issues.warn('network_assumed', 'nothing in the request names its network; addresses are shown for mainnet (choose --network to override)');
  return 'bitcoin';
}

/** The wallet fingerprints (BIP32 fingerprints of the three xpubs), hex. */
function walletFingerprints(keys: WalletKeys): Set<string> {
  return new Set([keys.user, keys.backup, keys.bitgo].map((k: BIP32Interface) => toHex(k.fingerprint)));
}

type PathVerdict = { ok: true; chain: number; index: number } | { ok: false; code: string; why: string };

/** BitGo wallet paths are exactly m/0/0/<chain>/<index> below each root key, every step unhardened. */
function checkWalletPath(path: readonly number[]): PathVerdict {
  if (path.some((s) => s >= HARDENED)) return { ok: false, code: 'hardened', why: `path m/${path.map((s) => (s >= HARDENED ? `${s - HARDENED}'` : String(s))).join('/')} has a hardened step` };
  if (path.length !== 4 || path[0] !== 0 || path[1] !== 0) return { ok: false, code: 'prefix', why: `path m/${path.join('/')} is not m/0/0/<chain>/<index>` };
  const chain = path[2]!;
  if (scriptTypeForChain(chain) === undefined) return { ok: false, code: 'prefix', why: `chain ${chain} is not a BitGo chain` };
  return { ok: true, chain, index: path[3]! };
}

/** The one path shared by the derivation entries of our keys; undefined when there are none. */
function claimedPath(entries: readonly { fingerprint: Uint8Array; path: number[] }[], fps: Set<string>): { path?: number[]; inconsistent: boolean; foreign: boolean } {
  const ours = entries.filter((e) => fps.has(toHex(e.fingerprint)));
  if (ours.length === 0) return { inconsistent: false, foreign: entries.length > 0 };
  const first = ours[0]!.path;
  const inconsistent = entries.some((e) => e.path.length !== first.length || e.path.some((s, i) => s !== first[i]));
  return { path: first, inconsistent, foreign: ours.length !== entries.length };
}

interface InputResult {
  model: ReviewInput;
  amount: bigint;
  vsize: VsizeInput;
}

function reviewInput(psbt: StrictPsbt, i: number, walletId: string, keys: WalletKeys, fps: Set<string>, meta: Metadata, issues: Issues): InputResult {
  const f = inputFields(psbt, i);
  const outpoint = `${txidHex(f.prevTxid)}:${f.prevIndex}`;
  let prevScript = f.witnessUtxo?.script;
  let amount = f.witnessUtxo?.value ?? 0n;
  let evidence: AmountEvidence = 'unverified';
  let segwit = false;
  try {
    // BIP174 signer checks (C): previous tx txid vs outpoint, witness_utxo vs previous tx, script hashes,
    // sighash type. BitGo's p2sh inputs carry witness_utxo only: allowed here, shown as unverified below.
    const c = checkStrictInput(psbt, i, { DANGER_allowWitnessUtxoForNonSegwit: true });
    prevScript = c.prevout.script;
    amount = c.prevout.value;
    segwit = c.segwit;
    evidence = c.segwit || c.taproot ? 'committed' : c.amountEvidence === 'non_witness_utxo' ? 'previous_tx' : 'unverified';
  } catch (e) {
    if (!(e instanceof InputCheckError)) throw e;
    const code = e.code === 'input_utxo_inconsistent' ? 'amount_evidence_conflict' : (e.code ?? 'input_check_failed');
    issues.refuse(code, e.message, { input: i });
  }

  // Which wallet address this input claims to spend, from the derivation data of our keys.
  const taprootish = prevScript !== undefined && prevScript.length === 34 && prevScript[0] === 0x51;
  const entries = taprootish || f.tapLeafScript.length > 0
    ? inputTapDerivations(psbt, i)
    : f.bip32Derivation.map((d) => ({ fingerprint: d.masterFingerprint, path: d.path }));
  const claim = claimedPath(entries, fps);
  let derived: WalletOutputScript | undefined;
  let chain = -1;
  let index = -1;
  if (!claim.path) {
    issues.refuse('input_not_wallet', `input ${i} (${outpoint}) carries no derivation for any key of wallet ${walletId}: it is not this wallet's`, { input: i });
  } else {
    const p = checkWalletPath(claim.path);
    if (!p.ok) {
      issues.refuse('input_not_wallet', `input ${i} (${outpoint}): ${p.why}`, { input: i });
    } else {
      chain = p.chain;
      index = p.index;
      derived = walletScript(keys, chain, index);
      if (claim.inconsistent) issues.refuse('input_not_wallet', `input ${i}: its derivation entries name different paths`, { input: i });
      if (!prevScript || !bytesEqual(derived.scriptPubKey, prevScript)) {
        issues.refuse('input_not_wallet', `input ${i} (${outpoint}) does not spend wallet ${walletId}'s ${derived.scriptType} script at chain ${chain} index ${index} (re-derived from the three xpubs)`, { input: i });
      } else {
        // The scripts the signature will commit to must be the wallet's own, not swapped ones.
        const wrongRedeem = f.redeemScript !== undefined && (derived.redeemScript === undefined || !bytesEqual(f.redeemScript, derived.redeemScript));
        const wrongWitness = f.witnessScript !== undefined && (derived.witnessScript === undefined || !bytesEqual(f.witnessScript, derived.witnessScript));
        if (wrongRedeem || wrongWitness) {
          issues.refuse('input_scripts_mismatch', `input ${i}: the ${wrongRedeem ? 'redeem' : 'witness'} script is not the wallet's ${derived.scriptType} script at chain ${chain} index ${index}`, { input: i });
        }
      }
    }
  }

  // Sighash: ALL for ECDSA, DEFAULT or ALL for Schnorr (issue 4). Signatures already present count too (a
  // cosigner's NONE/SINGLE/ANYONECANPAY signature lets the transaction be changed after we sign).
  const taproot = derived ? derived.taproot !== undefined : taprootish;
  for (const s of f.partialSigs) {
    const t = s.signature[s.signature.length - 1];
    if (t !== SIGHASH_ALL) issues.refuse('input_sighash_unsupported', `input ${i}: an existing signature uses sighash type 0x${(t ?? 0).toString(16)}, only SIGHASH_ALL is accepted`, { input: i });
  }
  for (const s of [...f.tapScriptSig.map((x) => x.signature), ...(f.tapKeySig ? [f.tapKeySig] : [])]) {
    if (s.length === 65 && s[64] !== SIGHASH_ALL) issues.refuse('input_sighash_unsupported', `input ${i}: an existing Schnorr signature uses sighash type 0x${s[64]!.toString(16)}, only DEFAULT or ALL are accepted`, { input: i });
  }
  if (f.sighashType !== undefined && f.sighashType !== SIGHASH_ALL && !(taproot && f.sighashType === SIGHASH_DEFAULT)) {
    if (!issues.refusals.some((r) => r.input === i && r.code === 'input_sighash_unsupported')) {
      issues.refuse('input_sighash_unsupported', `input ${i}: sighash type ${f.sighashType} requested; only ALL${taproot ? ' or DEFAULT' : ''} is signed`, { input: i });
    }
  }

  // BitGo's metadata for the same outpoint must agree with the PSBT (a different wallet or amount is a lie
  // somewhere on the online side).
  const unspent = meta.unspentById.get(outpoint);
  if (unspent) {
    if (unspent.wallet !== undefined && unspent.wallet !== walletId) {
      issues.refuse('inputs_mixed_wallets', `input ${i} (${outpoint}) belongs to wallet ${String(unspent.wallet).slice(0, 64)} per txInfo, not ${walletId}`, { input: i });
    }
    if (typeof unspent.value === 'number' && BigInt(Math.trunc(unspent.value)) !== amount) {
      issues.refuse('amount_evidence_conflict', `input ${i} (${outpoint}): txInfo says ${unspent.value} sat, the PSBT says ${amount} sat`, { input: i });
    }
  }

  const scriptType = (derived?.scriptType ?? (taprootish ? 'p2trLegacy' : segwit ? 'p2wsh' : 'p2sh')) as ReviewScriptType;
  if (evidence === 'unverified') {
    issues.warn('input_amount_unverified', `input ${i} (${scriptType}): the amount ${describeSats(amount)} comes from witness_utxo only; nothing proves it (no previous transaction)`, { input: i });
  }
  const leafCb = f.tapLeafScript[0]?.controlBlock.length;
  const vsize: VsizeInput = {
    scriptType,
    ...(leafCb !== undefined ? { controlBlockLength: leafCb } : {}),
    scriptPath: scriptType === 'p2trMusig2' && f.tapLeafScript.length > 0,
  };
  const model: ReviewInput = {
    index: i,
    txid: txidHex(f.prevTxid),
    vout: f.prevIndex,
    sequence: f.sequence,
    walletId,
    chain,
    derivationIndex: index,
    scriptType,
    amount: toSafeSats(amount, `input ${i} amount`),
    amountEvidence: evidence,
    ...(f.sighashType !== undefined ? { sighashType: f.sighashType } : {}),
  };
  return { model, amount, vsize };
}

/**
 * Inputs of a legacy (pre-PSBT) request: txInfo.unspents[i] claims what input i spends; signing/legacy.ts
 * re-derives every claim from the xpubs (all or nothing: its first failure becomes the refusal). Amounts are
 * claims: committed by segwit v0 / taproot signatures, unverified for p2sh.
 */
function reviewLegacyInputs(req: LegacyRequest, walletId: string, keys: WalletKeys, meta: Metadata, issues: Issues): InputResult[] {
  try {
    verifyLegacyInputs(req.tx, req.unspents, keys);
  } catch (e) {
    if (!(e instanceof LegacySigningError)) throw e;
    const m = /^input (\d+):/.exec(e.message);
    issues.refuse(e.code === 'legacy_unspent_script_mismatch' || e.code === 'legacy_unspent_script_missing' ? 'input_not_wallet' : (e.code ?? 'legacy_input_invalid'), e.message, m ? { input: Number(m[1]) } : {});
  }
  return req.tx.inputs.map((x, i) => {
    const u = req.unspents[i];
    const amount = u?.value ?? 0n;
    const claimedWallet = meta.unspents[i]?.wallet;
    if (claimedWallet !== undefined && claimedWallet !== walletId) {
      issues.refuse('inputs_mixed_wallets', `input ${i} belongs to wallet ${String(claimedWallet).slice(0, 64)} per txInfo, not ${walletId}`, { input: i });
    }
    const scriptType = (u?.scriptType ?? 'p2sh') as ReviewScriptType;
    const evidence: AmountEvidence = scriptType === 'p2sh' ? 'unverified' : 'committed';
    if (evidence === 'unverified') {
      issues.warn('input_amount_unverified', `input ${i} (${scriptType}): the amount ${describeSats(amount)} is claimed by txInfo only; nothing proves it`, { input: i });
    }
    return {
      amount,
      vsize: { scriptType },
      model: {
        index: i,
        txid: txidHex(x.prevTxid),
        vout: x.prevIndex,
        sequence: x.sequence,
        walletId,
        chain: u?.chain ?? -1,
        derivationIndex: u?.index ?? -1,
        scriptType,
        amount: toSafeSats(amount, `input ${i} amount`),
        amountEvidence: evidence,
      },
    };
  });
}

function reviewOutput(f: OutputFields, walletId: string, keys: WalletKeys, fps: Set<string>, network: NetworkName, meta: Metadata, rules: PolicyRules, issues: Issues): ReviewOutput {
  const o = f.index;
  const address = addressOf(f.script, network);
  const base = { index: o, ...(address !== undefined ? { address } : {}), script: toHex(f.script), amount: toSafeSats(f.value, `output ${o} amount`) };
  if (f.script[0] === 0x6a) {
    const data = opReturnData(f.script);
    issues.warn('op_return_output', `output ${o} is OP_RETURN data (${data.length / 2} bytes: ${data.slice(0, 160)}${data.length > 160 ? '…' : ''})${f.value > 0n ? `, burning ${describeSats(f.value)}` : ''}`, { output: o });
    return { ...base, kind: 'external', opReturnData: data };
  }
  const entries = [
    ...f.bip32Derivation.map((d) => ({ fingerprint: d.masterFingerprint, path: d.path })),
    ...f.tapBip32Derivation.map((d) => ({ fingerprint: d.masterFingerprint, path: d.path })),
  ];
  const claim = claimedPath(entries, fps);
  let claimed: { chain: number; index: number } | undefined;
  if (claim.path) {
    const p = checkWalletPath(claim.path);
    if (!p.ok) {
      issues.refuse(p.code === 'hardened' ? 'change_path_hardened' : 'change_path_unexpected', `output ${o} claims to be wallet ${walletId}'s, but its ${p.why}`, { output: o });
      return { ...base, kind: 'failed' };
    }
    if (claim.inconsistent) {
      issues.refuse('change_path_inconsistent', `output ${o}: its derivation entries name different paths`, { output: o });
      return { ...base, kind: 'failed', chain: p.chain, derivationIndex: p.index };
    }
    claimed = { chain: p.chain, index: p.index };
  } else if (claim.foreign) {
    issues.warn('output_foreign_derivation', `output ${o} carries derivation data for keys that are not wallet ${walletId}'s; it is treated as an external recipient`, { output: o });
  }
  // BitGo's metadata may name the output as change without PSBT derivation data.
  if (!claimed && address !== undefined && meta.changeAddresses.has(address)) {
    const d = meta.addressDetails.get(address);
    if (!d || typeof d.chain !== 'number' || typeof d.index !== 'number' || !Number.isSafeInteger(d.index) || d.index < 0 || d.index >= HARDENED || scriptTypeForChain(d.chain) === undefined) {
      issues.refuse('change_not_wallet', `output ${o} (${address}) is listed as change but carries no usable chain/index to verify it`, { output: o });
      return { ...base, kind: 'failed' };
    }
    claimed = { chain: d.chain, index: d.index };
  }
  if (!claimed) {
    if (f.value === 0n) issues.warn('output_zero_value', `output ${o} pays 0 sat`, { output: o });
    else if (f.value < BigInt(rules.dustSats)) issues.warn('output_dust', `output ${o} pays ${f.value} sat, below the dust limit of ${rules.dustSats} sat`, { output: o });
    return { ...base, kind: 'external' };
  }
  const { chain, index } = claimed;
  const where = { chain, derivationIndex: index };
  const derived = walletScript(keys, chain, index);
  if (!bytesEqual(derived.scriptPubKey, f.script)) {
    issues.refuse('change_not_wallet', `output ${o}${address ? ` (${address})` : ''} claims to be change at chain ${chain} index ${index}, but its script does not re-derive from wallet ${walletId}'s three xpubs`, { output: o });
    return { ...base, kind: 'failed', ...where };
  }
  const wrongRedeem = f.redeemScript !== undefined && (derived.redeemScript === undefined || !bytesEqual(f.redeemScript, derived.redeemScript));
  const wrongWitness = f.witnessScript !== undefined && (derived.witnessScript === undefined || !bytesEqual(f.witnessScript, derived.witnessScript));
  const wrongInternal = f.tapInternalKey !== undefined && (derived.taproot === undefined || !bytesEqual(f.tapInternalKey, derived.taproot.internalKey));
  if (wrongRedeem || wrongWitness || wrongInternal) {
    issues.refuse('change_scripts_mismatch', `output ${o}: the ${wrongRedeem ? 'redeem script' : wrongWitness ? 'witness script' : 'taproot internal key'} is not the wallet's at chain ${chain} index ${index}`, { output: o });
    return { ...base, kind: 'failed', ...where };
  }
  if (chain % 2 === 0) {
    // A receive address of the same wallet: the money stays, but it is not the change the wallet expects.
    issues.warn('output_to_own_receive_address', `output ${o} pays this wallet's own receive address (chain ${chain} index ${index})`, { output: o });
    return { ...base, kind: 'external', ...where };
  }
  if (index > rules.maxChangeIndex) {
    issues.warn('change_index_high', `output ${o}: change index ${index} on chain ${chain} is far beyond normal (policy limit ${rules.maxChangeIndex}); funds sent there may be hard to find`, { output: o });
  }
  if (f.value < BigInt(rules.dustSats)) issues.warn(f.value === 0n ? 'output_zero_value' : 'output_dust', `change output ${o} holds ${f.value} sat, below the dust limit of ${rules.dustSats} sat`, { output: o });
  return { ...base, kind: 'change', ...where };
}

/** The arguments as a caller across a boundary (IPC, tools) may pass them: checked, never trusted. */
function assertReviewArgs(data: unknown, opts: unknown): void {
  const bad = (what: string) => new ReviewError(`review: ${what}`, 'review_argument_invalid');
  if (typeof data !== 'string' && !(data instanceof Uint8Array)) throw bad(`the request must be text or bytes, got ${data === null ? 'null' : typeof data}`);
  if (!isObject(opts)) throw bad('options must be an object');
  const o = opts as Record<string, unknown>;
  if (o.network !== undefined && o.network !== 'bitcoin' && o.network !== 'testnet') throw bad('network must be "bitcoin" or "testnet"');
  for (const k of ['walletId', 'signerXpub', 'name'] as const) if (o[k] !== undefined && typeof o[k] !== 'string') throw bad(`${k} must be a string`);
  if (o.xpubs !== undefined && (!Array.isArray(o.xpubs) || o.xpubs.length !== 3 || !o.xpubs.every((x) => typeof x === 'string'))) throw bad('xpubs must be three strings [user, backup, bitgo]');
  if (o.policy !== undefined && (!isObject(o.policy) || typeof o.policy.hash !== 'string' || !isObject(o.policy.defaults))) throw bad('policy must come from parsePolicy / defaultPolicy');
}

/**
 * Builds the review of one request file's content. Throws a coded SignerError only when the content cannot be
 * read as a request at all; everything about a readable request becomes a refusal or a warning in the model.
 */
export function buildReview(data: Uint8Array | string, opts: ReviewOptions = {}): ReviewModel {
  assertReviewArgs(data, opts);
  const name = opts.name ?? 'input';
  const { input, body } = parseForReview(data, name);
  const meta = readMetadata(input.kind === 'psbt' ? undefined : body);
  const issues = new Issues();
  const legacy = input.kind === 'express-legacy' ? parseLegacyRequest(body) : undefined;
  const { walletId, keys, xpubText } = resolveWallet(input, meta, opts, issues, legacy);
  const psbt = legacy ? undefined : (input as { psbt: StrictPsbt }).psbt;
  const tx = legacy ? legacy.tx : psbt!.tx;
  const policy = opts.policy ?? defaultPolicy();
  const rules = rulesFor(policy, walletId);
  const network = decideNetwork(meta, xpubText, opts, issues);
  const fps = walletFingerprints(keys);

  try {
    // Core's context-free transaction rules (C): no inputs/outputs, duplicate inputs, amounts out of range.
    checkTransactionForSigning({ tx } as StrictPsbt);
  } catch (e) {
    if (!(e instanceof SignerError)) throw e;
    issues.refuse(e.code ?? 'tx_invalid', e.message);
  }

  // Rules the PSBT breaks that do not stop it loading (C's strict parser) are shown too. BitGo's derivationSeed
  // requests list the derived user xpub with an empty path (depth mismatch): expected there, not shown.
  for (const w of psbt?.warnings ?? []) {
    if (w.code === 'psbt_xpub_depth_mismatch' && isObject(body) && typeof body.derivationSeed === 'string') continue;
    issues.warn(w.code, w.message);
  }

  const inputs = legacy ? reviewLegacyInputs(legacy, walletId, keys, meta, issues) : psbt!.inputs.map((_, i) => reviewInput(psbt!, i, walletId, keys, fps, meta, issues));
  const outputFieldList: OutputFields[] = legacy
    ? legacy.tx.outputs.map((x, index) => ({ index, value: x.value, script: x.script, bip32Derivation: [], tapBip32Derivation: [] }))
    : psbt!.outputs.map((_, o) => outputFields(psbt!, o));
  const outputs = outputFieldList.map((f) => reviewOutput(f, walletId, keys, fps, network, meta, rules, issues));

  // Totals, fee, fee rate.
  const totalIn = inputs.reduce((s, x) => s + x.amount, 0n);
  const outValues = tx.outputs.map((x) => x.value);
  const totalOut = outValues.reduce((s, v) => s + v, 0n);
  const change = outputs.reduce((s, x, k) => s + (x.kind === 'change' ? outValues[k]! : 0n), 0n);
  const external = totalOut - change;
  let fee = totalIn - totalOut;
  if (fee < 0n) {
    issues.refuse('outputs_exceed_inputs', `outputs total ${describeSats(totalOut)} but inputs only ${describeSats(totalIn)}`);
    fee = 0n;
  }
  const spend = external + fee;
  const size = estimateSignedSize(inputs.map((x) => x.vsize), tx.outputs.map((x) => x.script.length));
  const rate = feeRateHundredths(fee, size.vsize);
  const feeBp = basisPoints(fee, spend);

  if (rules.maxFeeSats !== null && fee > BigInt(rules.maxFeeSats)) {
    issues.warn('fee_above_max', `fee ${describeSats(fee)} is above the policy limit of ${rules.maxFeeSats} sat`);
  }
  if (feeBp !== undefined && feeBp > rules.maxFeeBasisPoints) {
    issues.warn('fee_percent_high', `fee is ${formatBasisPoints(feeBp)} of the ${describeSats(spend)} leaving the wallet (limit ${formatBasisPoints(rules.maxFeeBasisPoints)})`);
  }
  if (rate > rules.maxFeeRateSatPerVb * 100) {
    issues.warn('fee_rate_high', `fee rate ${formatHundredths(rate)} sat/vB (signed size ${size.vsize} vB) is above the ceiling of ${rules.maxFeeRateSatPerVb} sat/vB`);
  }
  if (rules.maxSpendSats !== null && spend > BigInt(rules.maxSpendSats)) {
    issues.refuse('spend_above_max', `${describeSats(spend)} leaves the wallet, above the policy limit of ${rules.maxSpendSats} sat per transaction`);
  }
  if (rules.allowedDestinations !== null) {
    for (const out of outputs) {
      if (out.kind !== 'external' || out.opReturnData !== undefined) continue;
      if (out.address === undefined || !rules.allowedDestinations.includes(out.address)) {
        issues.refuse('destination_not_allowed', `output ${out.index} pays ${out.address ?? `script ${out.script.slice(0, 80)}`}, which is not on the policy's destination allowlist`, { output: out.index });
      }
    }
  }

  // PayGo: BitGo's fee output named in feeInfo; identified by amount (and address when given), then bounded.
  if (meta.payGoFee !== undefined) {
    const match = outputs.find((x, k) => x.kind === 'external' && outValues[k] === meta.payGoFee && (meta.payGoAddress === undefined || x.address === meta.payGoAddress));
    if (!match) {
      issues.warn('paygo_output_missing', `feeInfo names a PayGo fee of ${meta.payGoFee} sat, but no external output matches it`);
    } else {
      match.payGo = true;
      const bp = basisPoints(meta.payGoFee, spend) ?? 0;
      if (bp > rules.maxPayGoBasisPoints) {
        issues.warn('paygo_fee_high', `the PayGo output ${match.index} is ${formatBasisPoints(bp)} of the amount leaving the wallet (limit ${formatBasisPoints(rules.maxPayGoBasisPoints)})`, { output: match.index });
      }
    }
  }

  // nLockTime / nSequence: BitGo builds with locktime 0 or the current height and sequences 0xfffffffd..f.
  const lockTime = tx.locktime ?? 0;
  if (tx.locktime === undefined) issues.refuse('locktime_conflict', 'the inputs ask for conflicting locktimes (BIP370)');
  else if (lockTime >= LOCKTIME_THRESHOLD) issues.warn('locktime_unusual', `nLockTime ${lockTime} is a unix time (${new Date(lockTime * 1000).toISOString()}): the transaction cannot confirm before then`);
  else if (lockTime > 0 && meta.blockHeight !== undefined && lockTime > meta.blockHeight + LOCKTIME_FUTURE_BLOCKS) {
    issues.warn('locktime_unusual', `nLockTime ${lockTime} is ${lockTime - meta.blockHeight} blocks after the prebuild's height ${meta.blockHeight}: the transaction cannot confirm before then`);
  } else if (lockTime > 0 && meta.blockHeight === undefined && lockTime > 1_000_000) {
    issues.warn('locktime_unusual', `nLockTime ${lockTime} is a block height far in the future`);
  }
  tx.inputs.forEach((x, i) => {
    if (!USUAL_SEQUENCES.has(x.sequence)) {
      issues.warn('sequence_unusual', `input ${i} has nSequence 0x${x.sequence.toString(16).padStart(8, '0')}${(x.sequence & 0x80000000) === 0 ? ' (a BIP68 relative timelock)' : ''}`, { input: i });
    }
  });

  // Policy: warnings it names (or all of them) block like refusals.
  const warnings: ReviewIssue[] = [];
  for (const w of issues.warnings) {
    if (rules.blockWarnings || rules.refuseWarnings.includes(w.code)) issues.refusals.push({ ...w, message: `${w.message} (refused by policy ${policy.source})` });
    else warnings.push(w);
  }

  const scriptTypes = [...new Set(inputs.map((x) => x.model.scriptType))].sort();
  return {
    version: 1,
    network,
    walletId,
    scriptTypes,
    txVersion: tx.version,
    lockTime,
    inputs: inputs.map((x) => x.model),
    outputs,
    totals: {
      inputs: toSafeSats(totalIn, 'input total'),
      outputs: toSafeSats(totalOut, 'output total'),
      change: toSafeSats(change, 'change total'),
      external: toSafeSats(external < 0n ? 0n : external, 'external total'),
      spend: toSafeSats(spend < 0n ? 0n : spend, 'spend total'),
    },
    fee: toSafeSats(fee, 'fee'),
    vsize: size.vsize,
    feeRate: rate / 100,
    ...(feeBp !== undefined ? { feeBasisPoints: feeBp } : {}),
    warnings,
    refusals: issues.refusals,
    fingerprint: reviewFingerprint(data),
    policy: { source: policy.source, hash: policy.hash, rules: { ...rules } as unknown as Record<string, unknown> },
  };
}
