// Consensus constants the intake checks, the review and the signer all read (Bitcoin Core script/interpreter.h,
// BIP341). MAX_MONEY lives with the amount helpers in shared/amount.ts (MAX_MONEY_SATS).

/** BIP341: a Schnorr signature without a sighash byte, committing like SIGHASH_ALL. */
export const SIGHASH_DEFAULT = 0x00;
/** The only sighash type this signer makes or accepts for ECDSA: the signature commits to every input and output. */
export const SIGHASH_ALL = 0x01;

/** BIP65 / Bitcoin Core: an nLockTime below this is a block height, at or above it a unix time. */
export const LOCKTIME_THRESHOLD = 500_000_000;
