// The signature hashes live in intake/sighash.ts, below the review: the review needs the taproot key-path hash to
// tell whether a MuSig2 nonce was made for this very transaction (review/musig2.ts). Signing imports them here.
export { SighashCache, SighashError } from '../intake/sighash';
