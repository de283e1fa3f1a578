// Signing in tests through the product's own entry points: the approval gate then the signer, as the app and the
// CLI do, and the engine's lower-level functions with a test key wrapped in the vault's signer.
import type { BIP32Interface } from 'bip32';
import { approve, type ApprovalOptions } from '../../electron/approval/gate';
import { parseSigningRequest, type ExpressLegacyRequest } from '../../electron/intake/request';
import { nodeSigner, type WalletSigner } from '../../electron/keystore/signer';
import type { Vault } from '../../electron/keystore/vault';
import { memoryLedgerStore, SigningLedger } from '../../electron/signing/ledger';
import { memoryNonceStore, Musig2NonceStore } from '../../electron/signing/musig2-nonces';
import { signApproved, type SignOutcome } from '../../electron/signing/sign';

/** A test key as the engine takes keys: behind the vault's signer (the key is not wiped on close). */
export function signerFor(node: BIP32Interface): WalletSigner {
  return nodeSigner(node, false);
}

/**
 * The gate, every warning acknowledged (as the CLI without --strict), then the signer, with a fresh ledger and
 * fresh kept MuSig2 nonces unless the test gives them (the gate looks the nonces up, as the app and CLI do).
 */
export function signThroughGate(data: Uint8Array | string, vault: Vault, opts: Partial<ApprovalOptions> = {}, ledger = new SigningLedger(memoryLedgerStore()), nonces = new Musig2NonceStore(memoryNonceStore())): SignOutcome {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  const approved = approve(bytes, vault, { name: 'request', acknowledged: 'all', musig2Nonces: (w, t, i, n) => nonces.lookup(w, t, i, n), ...opts });
  return signApproved(approved, vault, ledger, nonces);
}

/** The Express response body of a signed request, parsed. */
export function responseOf(outcome: SignOutcome): { txHex: string } {
  return JSON.parse(new TextDecoder().decode(outcome.output)) as { txHex: string };
}

/** A legacy-format Express body, through the intake. */
export function legacyRequest(body: unknown): ExpressLegacyRequest {
  const r = parseSigningRequest(JSON.stringify(body), 'legacy request');
  if (r.kind !== 'express-legacy') throw new Error(`expected a legacy request, got ${r.kind}`);
  return r;
}
