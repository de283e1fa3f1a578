// Type test: signApproved accepts nothing but what the approval gate returns. `npm run typecheck` (and the
// static test) compile this file: each @ts-expect-error line must be an error, or the check fails. The approval
// gate spec compiles it again without those markers and counts the errors.
import type { ApprovedRequest } from '../../electron/approval/gate';
import type { SigningRequest } from '../../electron/intake/request';
import type { SigningLedger } from '../../electron/signing/ledger';
import type { SignerSource } from '../../electron/signing/sign';
import { signApproved } from '../../electron/signing/sign';

export function cannotSignUnapproved(request: SigningRequest, keys: SignerSource, ledger: SigningLedger): ApprovedRequest | undefined {
  // A parsed request that never went through the gate:
  // @ts-expect-error a SigningRequest is not an ApprovedRequest
  signApproved(request, keys, ledger);
  // An object shaped like an approval, built outside the gate (its brand symbol is not exported):
  // @ts-expect-error a look-alike without the gate's brand is not an ApprovedRequest
  signApproved({ request, walletId: 'w', wallet: undefined, plans: undefined, review: undefined, fingerprint: '', acknowledged: [] }, keys, ledger);
  // Raw bytes:
  // @ts-expect-error bytes are not an ApprovedRequest
  signApproved(new Uint8Array(0), keys, ledger);
  return undefined;
}
