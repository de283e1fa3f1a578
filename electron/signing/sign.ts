// Where the signature is made: the one signing entry. It accepts only an ApprovedRequest (approval/gate.ts), so
// every signature this app or the CLI makes is over bytes the gate re-read, validated and re-reviewed. The key
// stays in the vault: the vault's signer signs digests and wipes what it derived when closed.
import { SignerError } from '../../shared/errors';
import { isApproved, type ApprovedRequest } from '../approval/gate';
import type { WalletSigner } from '../keystore/signer';
import { parsePsbtStrict } from '../intake/psbt-strict';
import { toBase64, toHex } from '../util/bytes';
import { signBitgoPsbt, type SignedInputReport } from './engine';
import type { SigningLedger } from './ledger';
import { finalizeAndExtract } from './finalize';
import { psbtToLegacyHalfSigned, signLegacyTransaction } from './legacy';

/** The vault, as the signer sees it. */
export interface SignerSource {
  signer(walletId: string, derivationSeed?: string): WalletSigner;
}

export interface SignOutcome {
  walletId: string;
  /** The file content to write: Express's response JSON, or the PSBT in the input's own encoding. */
  output: Uint8Array;
  /** json for Express responses; psbt for bare PSBTs (binary, base64 or hex as the input was). */
  format: 'json' | 'psbt';
  inputs: SignedInputReport[];
}

export class NotApprovedError extends SignerError {
  constructor() {
    super('SigningError', 'only a request the approval gate let through can be signed; nothing was signed', 'request_not_approved');
  }
}

const json = (walletId: string, txHex: Uint8Array, inputs: SignedInputReport[]): SignOutcome => ({
  walletId,
  output: new TextEncoder().encode(JSON.stringify({ txHex: toHex(txHex) })),
  format: 'json',
  inputs,
});

/**
 * Signs an approved request with its wallet's key. All inputs or none; the signer is closed either way. The
 * signing ledger refuses an outpoint already signed with another amount before any signature, and records this
 * one before the result is returned (signing/ledger.ts).
 */
export function signApproved(approved: ApprovedRequest, keys: SignerSource, ledger: SigningLedger): SignOutcome {
  // The type already says so; this catches a cast or a copy.
  if (!isApproved(approved)) throw new NotApprovedError();
  const { walletId, review } = approved;
  ledger.check(walletId, review);
  const outcome = sign(approved, keys);
  ledger.record(walletId, review);
  return outcome;
}

function sign({ request, wallet, walletId, plans }: ApprovedRequest, keys: SignerSource): SignOutcome {
  const signer = keys.signer(walletId, request.kind === 'psbt' ? undefined : request.derivationSeed);
  try {
    switch (request.kind) {
      case 'express-legacy': {
        // BitGo's pre-PSBT format: answered as BitGo's older SDK did (half-signed network transaction).
        const r = signLegacyTransaction(request.tx, request.unspents, wallet, signer);
        return json(walletId, r.tx, r.inputs);
      }
      case 'express': {
        const r = signBitgoPsbt(request.psbt, wallet, signer, plans);
        // isLastSignature: the finalized network transaction. returnLegacyFormat (BitGo's direct-call option): the
        // same signatures laid out as the legacy half-signed transaction (multisig inputs only).
        if (request.isLastSignature) return json(walletId, finalizeAndExtract(parsePsbtStrict(r.psbt)), r.inputs);
        if (request.returnLegacyFormat) return json(walletId, psbtToLegacyHalfSigned(parsePsbtStrict(r.psbt)), r.inputs);
        return json(walletId, r.psbt, r.inputs);
      }
      case 'psbt': {
        const r = signBitgoPsbt(request.psbt, wallet, signer, plans);
        const output = request.encoding === 'binary' ? r.psbt : new TextEncoder().encode(request.encoding === 'hex' ? toHex(r.psbt) : toBase64(r.psbt));
        return { walletId, output, format: 'psbt', inputs: r.inputs };
      }
    }
  } finally {
    signer.close();
  }
}
