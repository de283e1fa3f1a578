// The one rule for a wallet id, wherever one arrives (key file, request body, policy file, IPC): BitGo's ids are
// 24 to 32 hex digits; any 1 to 128 letters and digits are accepted, so an id is always safe in a file name, a
// passphrase variable (WALLET_<id>_PASSPHRASE) and a message.
import * as s from './schema';

export const WALLET_ID_TEXT: s.StringOpts = { min: 1, max: 128, pattern: /^[A-Za-z0-9]+$/, patternName: 'a wallet id (letters and digits only)' };
export const WALLET_ID = s.string(WALLET_ID_TEXT);

export function isWalletId(v: unknown): v is string {
  return typeof v === 'string' && v.length >= 1 && v.length <= 128 && /^[A-Za-z0-9]+$/.test(v);
}
