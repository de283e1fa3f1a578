// A bare PSBT names no wallet: its three keys are its PSBT_GLOBAL_XPUB entries, in the one order
// [user, backup, bitgo] that re-derives input 0's script by BitGo's wallet validation (scripts list the keys in
// wallet order; BitGo orders the global xpubs differently).
import type { BIP32Interface } from 'bip32';
import { SignerError } from '../../shared/errors';
import { bip32 } from '../crypto/ecc';
import { sameNode, type WalletKeys } from '../wallet/keys';
import type { StrictPsbt } from './psbt-strict';
import { globalXpubs } from './psbt-view';
import { validateWalletInputs } from './wallet-inputs';

/** A bare PSBT whose wallet keys cannot be told. */
export class BarePsbtError extends SignerError {
  constructor(message: string, code: 'psbt_wallet_keys_missing' | 'psbt_not_this_wallet' | 'psbt_wallet_keys_ambiguous') {
    super('RequestError', message, code);
  }
}

function threeXpubs(psbt: StrictPsbt): BIP32Interface[] {
  // A global xpub is the 78-byte BIP32 serialization: chain code at 13..45, key at 45..78.
  const xpubs = globalXpubs(psbt).map((g) => bip32.fromPublicKey(g.xpub.subarray(45, 78), g.xpub.subarray(13, 45)));
  if (xpubs.length !== 3) {
    throw new BarePsbtError(`this PSBT lists ${xpubs.length} global xpubs; a BitGo wallet PSBT lists its three keys (user, backup, bitgo)`, 'psbt_wallet_keys_missing');
  }
  return xpubs;
}

function validatesInput0(psbt: StrictPsbt, keys: WalletKeys): boolean {
  try {
    validateWalletInputs(psbt, keys, [0]);
    return true;
  } catch {
    return false;
  }
}

/**
 * The wallet keys when the user key is known (the unlocked wallet's): it must be one of the global xpubs, and the
 * other two are told apart by which order re-derives input 0.
 */
export function barePsbtKeysForUser(psbt: StrictPsbt, user: Pick<BIP32Interface, 'publicKey' | 'chainCode'>): WalletKeys {
  const xpubs = threeXpubs(psbt);
  const userIdx = xpubs.findIndex((x) => sameNode(x, user));
  if (userIdx < 0) throw new BarePsbtError("none of this PSBT's global xpubs is the unlocked wallet's key: it is not this wallet's transaction", 'psbt_not_this_wallet');
  const [a, b] = xpubs.filter((_, i) => i !== userIdx) as [BIP32Interface, BIP32Interface];
  const u = xpubs[userIdx]!;
  const match = [{ user: u, backup: a, bitgo: b }, { user: u, backup: b, bitgo: a }].find((k) => validatesInput0(psbt, k));
  if (!match) throw new BarePsbtError("input 0 is not a script of this PSBT's wallet keys", 'psbt_not_this_wallet');
  return match;
}

/**
 * The wallet keys without a known user key: of the six orders of the three global xpubs, the one that re-derives
 * input 0's script. Refused when no order, or more than one, does.
 */
export function barePsbtKeysByScript(psbt: StrictPsbt): WalletKeys {
  const x = threeXpubs(psbt);
  const orders = [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]].map(([u, b, g]) => ({ user: x[u!]!, backup: x[b!]!, bitgo: x[g!]! }));
  const fits = orders.filter((k) => validatesInput0(psbt, k));
  if (fits.length === 0) throw new BarePsbtError("input 0 is not a script of this PSBT's three global xpubs: it is not a BitGo wallet PSBT", 'psbt_not_this_wallet');
  if (fits.length > 1) throw new BarePsbtError("this PSBT's global xpubs do not tell the user key apart; choose the wallet and unlock it", 'psbt_wallet_keys_ambiguous');
  return fits[0]!;
}
