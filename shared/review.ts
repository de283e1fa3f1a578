// The review model: what the operator is shown before anything is signed, and what the sign step re-checks.
// Computed in main (electron/review/), sent across IPC and printed by the CLI as plain JSON: no bigint, no
// Uint8Array, no Map, and never any secret (only public scripts, addresses, amounts and xpub-derived facts).
//
// Amounts are integer numbers of satoshis (see shared/amount.ts: every valid amount is below 2^53, larger values
// are refused when the model is built, never rounded).

import type { ErrorCode } from './error-codes';
import type { Coin } from './registry';

/** One refusal or warning. `code` is stable (shared/error-codes.ts); the UI switches on it, never on `message`. */
export interface ReviewIssue {
  code: ErrorCode;
  message: string;
  /** Input index the issue is about, when it is about one input. */
  input?: number;
  /** Output index the issue is about, when it is about one output. */
  output?: number;
  /** A warning the policy turned into a refusal: the policy's source ("default" or its file name). */
  policy?: string;
}

/** How an input's amount is known. */
export type AmountEvidence =
  /** segwit v0 / taproot: the signature commits to the amount (BIP143 / BIP341), a lie makes it invalid. */
  | 'committed'
  /** the full previous transaction is in the request, its txid matches the outpoint and the amount matches. */
  | 'previous_tx'
  /** p2sh with witness_utxo only (as BitGo sends): nothing proves the amount; shown as unverified. */
  | 'unverified';

export type ReviewScriptType = 'p2sh' | 'p2shP2wsh' | 'p2wsh' | 'p2trLegacy' | 'p2trMusig2';

export interface ReviewInput {
  index: number;
  /** Outpoint txid in the usual display (big-endian) hex. */
  txid: string;
  vout: number;
  sequence: number;
  walletId: string;
  chain: number;
  /** Derivation index below the chain (m/0/0/<chain>/<derivationIndex>). */
  derivationIndex: number;
  scriptType: ReviewScriptType;
  amount: number;
  amountEvidence: AmountEvidence;
  /** PSBT_IN_SIGHASH_TYPE when present. */
  sighashType?: number;
  /** A MuSig2 key-path input (chains 40/41 spent by the user and BitGo keys together, in two steps). */
  musig2KeyPath?: true;
}

/**
 * Which step of BitGo's two-step MuSig2 exchange a request is (Express's `signingStep`): signerNonce gives BitGo
 * the user's nonces and signs nothing; signerSignature signs, with BitGo's nonce and the kept one.
 */
export interface ReviewMusig2 {
  step: 'signerNonce' | 'signerSignature' | 'cosignerNonce' | 'none';
  /** The key-path inputs the step is about. */
  inputs: number[];
}

/** external: a recipient; change: verified to re-derive from the wallet's three xpubs; failed: claimed wallet
 * data that does not verify (always also a refusal). */
export type OutputKind = 'external' | 'change' | 'failed';

export interface ReviewOutput {
  index: number;
  /** Address on the request's network, or undefined for scripts without one (OP_RETURN, non-standard). */
  address?: string;
  /** scriptPubKey hex (always present, so non-standard outputs are still shown exactly). */
  script: string;
  amount: number;
  kind: OutputKind;
  /** change: the verified chain/index. failed: what was claimed, when it could be read. */
  chain?: number;
  derivationIndex?: number;
  /** OP_RETURN outputs: the pushed data, hex. */
  opReturnData?: string;
  /**
   * This external output is BitGo's PayGo fee: its address is proven to be BitGo's (`payGoBasis`). The request's
   * word (feeInfo.payGoFee) alone never sets it.
   */
  payGo?: boolean;
  /**
   * What proves the address is BitGo's: `bitgo_attestation`, BitGo's PayGo address proof in the PSBT signed by the
   * key BitGo pins for the network (electron/review/paygo.ts); `policy`, the address is in the operator's policy
   * (`payGoAddresses`). Present exactly when `payGo` is.
   */
  payGoBasis?: 'bitgo_attestation' | 'policy';
}

export interface ReviewTotals {
  /** Sum of input amounts. */
  inputs: number;
  /** Sum of all outputs. */
  outputs: number;
  /** Sum of verified change outputs. */
  change: number;
  /** Sum of external outputs (recipients, PayGo, OP_RETURN), i.e. what leaves the wallet besides the fee. */
  external: number;
  /** external + fee: the amount leaving the wallet. */
  spend: number;
}

export interface ReviewFingerprint {
  /** sha256 over the exact bytes reviewed, hex (64 chars). */
  sha256: string;
  /** First 8 bytes as 4 groups of 4 hex digits, for people to compare ("1a2b-3c4d-5e6f-7a8b"). */
  short: string;
  /** The same 8 bytes as words, a second way to read it out. */
  words: string[];
}

export interface ReviewPolicyRef {
  /** Where the policy came from ("default" or a file name, never a full path). */
  source: string;
  /** sha256 of the canonical JSON of the effective policy, hex. */
  hash: string;
  /** The effective rules applied to this wallet (plain JSON). */
  rules: Record<string, unknown>;
}

export interface ReviewModel {
  /** Model format version. */
  version: 1;
  network: 'bitcoin' | 'testnet';
  walletId: string;
  /** The wallet as the registry holds it; absent when no registry was in force (the CLI without --registry). */
  registered?: { label: string; coin: Coin };
  /** Script types of the wallet inputs, sorted, unique. */
  scriptTypes: ReviewScriptType[];
  txVersion: number;
  lockTime: number;
  /**
   * The unsigned transaction's txid (display hex): the same whatever container carried it (request, PSBT, legacy
   * transaction) and whatever signatures it holds. Null when the inputs' lock times conflict (BIP370).
   */
  txid: string | null;
  inputs: ReviewInput[];
  outputs: ReviewOutput[];
  totals: ReviewTotals;
  fee: number;
  /** Estimated virtual size of the fully signed transaction (BIP141 weight / 4, rounded up). */
  vsize: number;
  /** sat/vB, fee / vsize, 2 decimals, rounded up. */
  feeRate: number;
  /** fee as basis points of `totals.spend` (rounded up); undefined when nothing leaves the wallet. */
  feeBasisPoints?: number;
  /** Present when the request names a MuSig2 step or has MuSig2 key-path inputs. */
  musig2?: ReviewMusig2;
  warnings: ReviewIssue[];
  refusals: ReviewIssue[];
  fingerprint: ReviewFingerprint;
  policy: ReviewPolicyRef;
}

/** What proves a PayGo output is BitGo's fee, in the operator's words (the app's output list and the CLI). */
export function payGoBasisWords(o: Pick<ReviewOutput, 'payGoBasis'>, policySource: string): string {
  return o.payGoBasis === 'policy' ? `address pinned in policy ${policySource}` : 'address proven by BitGo’s PayGo key';
}

/** What the review says about a MuSig2 request: which of BitGo's steps it is, and what it does to which inputs. */
export function musig2StepWords(m: ReviewMusig2): string {
  const inputs = m.inputs.length === 0 ? 'no MuSig2 key-path inputs' : `MuSig2 key-path input${m.inputs.length === 1 ? '' : 's'} ${m.inputs.join(', ')}`;
  switch (m.step) {
    case 'signerNonce':
      return `Step 1 of 2 (nonce): nothing is signed; the answer gives BitGo the user key's nonces for ${inputs}. BitGo then sends the signature request.`;
    case 'signerSignature':
      return `Step 2 of 2 (signature): the user key signs ${inputs} with the nonces kept from step 1 (each is used once), and signs every other input as usual.`;
    case 'cosignerNonce':
      return 'BitGo’s own step (cosignerNonce): not done here.';
    case 'none':
      return `${inputs}: signed only in BitGo’s two steps (nonce, then signature).`;
  }
}

/** True when the review blocks signing whatever the operator acknowledges. */
export function isRefused(review: Pick<ReviewModel, 'refusals'>): boolean {
  return review.refusals.length > 0;
}

/**
 * Who authenticated a request (electron/auth): the JWT's pinned key (RFC 7638 thumbprint), its jti and expiry;
 * the HMAC's version, path, time and which secret (first 16 hex digits of its sha256); or "not authenticated".
 */
export type RequestAuthView =
  | { scheme: 'jwt'; keyFingerprint: string; jti: string; expires: string }
  | { scheme: 'hmac'; version: '2.0' | '3.0'; path: string; at: string; secretId: string }
  | { scheme: 'none' };
