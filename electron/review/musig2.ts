// The review of BitGo's two-step MuSig2 exchange: which step a request is, and every reason the signer would
// refuse it, with the signer's own codes (signing/sign.ts, signing/musig2.ts, signing/musig2-nonces.ts), so the
// operator is never asked to approve what will not be signed:
// - key-path inputs need a step: signerNonce, then signerSignature (not a plain request, not a bare PSBT, not
//   isLastSignature / returnLegacyFormat): musig2_step_required; cosignerNonce is BitGo's own: musig2_not_supported;
// - a signature request needs the user's nonce and a valid BitGo nonce on each key-path input
//   (musig2_nonce_missing, musig2_cosigner_nonce_invalid), and, when the kept nonces are given to the review, a
//   kept nonce for it that is unused (musig2_nonce_used) and made for this very message (musig2_tx_changed).
import type { ReviewMusig2 } from '../../shared/review';
import { allPrevouts, keyPathMessage, Musig2FieldError, sessionNonces, type Musig2NonceLookup } from '../intake/musig2-fields';
import { inputFields } from '../intake/psbt-view';
import type { SigningRequest } from '../intake/request';
import { SighashCache } from '../intake/sighash';
import { bytesEqual, toHex } from '../util/bytes';
import type { InputResult } from './inputs';
import type { Issues } from './issues';

export function reviewMusig2(request: SigningRequest, inputs: readonly InputResult[], txid: string | null, walletId: string, lookup: Musig2NonceLookup | undefined, issues: Issues): ReviewMusig2 | undefined {
  const step = request.kind === 'express' ? request.signingStep : undefined;
  const keyPath = inputs.filter((x) => x.musig2KeyPath).map((x) => x.model.index);
  if (step === undefined && keyPath.length === 0) return undefined;
  const model: ReviewMusig2 = { step: step ?? 'none', inputs: keyPath };
  if (step === 'cosignerNonce') {
    issues.refuse('musig2_not_supported', 'signingStep cosignerNonce is BitGo’s own step (BitGo adds its nonce online); this signer does not perform it, nothing will be signed');
    return model;
  }
  if (keyPath.length === 0) return model; // Express: a step on a transaction without key-path inputs is a plain request.
  if (request.kind !== 'express') {
    issues.refuse('musig2_step_required', `inputs ${keyPath.join(', ')} are MuSig2 key-path inputs: they are signed through BitGo’s two-step request (signingStep), which a bare PSBT cannot carry`);
    return model;
  }
  if (step === undefined) {
    issues.refuse('musig2_step_required', `inputs ${keyPath.join(', ')} are MuSig2 key-path inputs: the request must be a signerNonce request first, then a signerSignature request with BitGo’s nonce`);
    return model;
  }
  if (request.isLastSignature || request.returnLegacyFormat) {
    issues.refuse('musig2_step_required', 'a transaction with MuSig2 key-path inputs is answered as a PSBT: this signer gives the first signature, BitGo the last (isLastSignature / returnLegacyFormat cannot be honoured)');
    return model;
  }
  if (step !== 'signerSignature') return model;
  const psbt = request.psbt;
  let cache: SighashCache | undefined;
  let prevouts: ReturnType<typeof allPrevouts> | undefined;
  for (const x of inputs) {
    const k = x.musig2;
    if (!k) continue; // a key-path input whose session does not check out is refused already
    const i = x.model.index;
    if (k.partialSigs.some((p) => bytesEqual(p.participant, k.participants[0]))) continue; // already signed: nothing to do
    let user: Uint8Array;
    try {
      user = sessionNonces(i, k).user;
    } catch (e) {
      if (!(e instanceof Musig2FieldError)) throw e;
      issues.refuse(e.code, e.message, { input: i });
      continue;
    }
    if (!lookup || txid === null) continue;
    const kept = lookup(walletId, txid, i, user);
    if (!kept || kept.state === 'replaced') {
      issues.refuse('musig2_nonce_missing', `input ${i}: no kept nonce matches the user nonce of this request (made elsewhere, lost, or replaced by a later nonce request); start again with a nonce request`, { input: i });
    } else if (kept.state === 'used') {
      issues.refuse('musig2_nonce_used', `input ${i}: the user nonce of this request was already used for a signature; a nonce signs once`, { input: i });
    } else {
      try {
        cache ??= new SighashCache(psbt.tx);
        prevouts ??= allPrevouts(psbt);
      } catch {
        continue; // inputs whose spent outputs cannot be read are refused by the input review
      }
      if (kept.msg !== toHex(keyPathMessage(i, inputFields(psbt, i), cache, prevouts).msg)) {
        issues.refuse('musig2_tx_changed', `input ${i}: the transaction (or an amount or script it spends) is not the one the nonce was made for`, { input: i });
      }
    }
  }
  return model;
}
