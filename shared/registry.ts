// The wallet registry as both sides see it: what the signer knows about each wallet it signs for, fixed when the
// wallet was registered (at the key ceremony, from a KeyCard or wallet export, or at first use after the operator
// confirmed every key), so that a request cannot choose its own keys or network. Public data only.
import * as s from './schema';

/** BitGo's coin names for UTXO Bitcoin wallets (as in Express's /api/v2/:coin/sign). */
export const COINS = ['btc', 'tbtc', 'tbtc4'] as const;
export type Coin = (typeof COINS)[number];

/** The network a coin's addresses and keys are on (testnet4 uses testnet's address and key formats). */
export function networkOfCoin(coin: Coin): 'bitcoin' | 'testnet' {
  return coin === 'btc' ? 'bitcoin' : 'testnet';
}

export const COIN = s.literal(...COINS);
/** An extended public key as typed or pasted (base58; BitGo's xpubs are 111 characters). */
export const XPUB_TEXT = s.string({ min: 100, max: 120, pattern: /^[1-9A-HJ-NP-Za-km-z]+$/, patternName: 'an extended public key (base58)' });
/** A Bitcoin message signature (65 bytes) in hex, as BitGo's keySignatures hold them. */
export const KEY_SIGNATURE = s.string({ min: 130, max: 130, pattern: /^[0-9a-f]+$/, patternName: 'a 65-byte signature in hex' });
export const WALLET_LABEL = s.string({ min: 1, max: 80 });

/** How a wallet came into the registry. */
export const ADDED_HOW = ['ceremony', 'keycard', 'wallet-export', 'first-use', 'cli', 'demo'] as const;
export type AddedHow = (typeof ADDED_HOW)[number];

/** requireAuthenticatedRequests: which request authentication a wallet insists on (unset: none required). */
export const AUTH_REQUIREMENTS = ['jwt', 'hmac', 'either'] as const;
export type AuthRequirement = (typeof AUTH_REQUIREMENTS)[number];

/** A pinned JWT public key: PEM (SPKI) text or an RSA JWK, with its RFC 7638 thumbprint shown when it was pinned. */
export interface PinnedJwtKey {
  pem?: string;
  jwk?: { kty: 'RSA'; n: string; e: string; kid?: string };
  fingerprint: string;
  added: { at: string };
}

/** A wallet's request authentication (registry version 2). Never holds a secret: the HMAC secret's sha256 only. */
export interface RegisteredAuth {
  requireAuthenticatedRequests?: AuthRequirement;
  jwtKeys?: PinnedJwtKey[];
  /** The longest a JWT may live (exp - iat) and the HMAC timestamp window, in seconds. */
  maxAgeSeconds?: number;
  /** sha256 (hex) of the wallet's shared HMAC secret, so a wrong secrets file is named as such. */
  hmacSecretSha256?: string;
}

const BASE64URL = { pattern: /^[A-Za-z0-9_-]+$/, patternName: 'base64url' };
export const REGISTERED_AUTH = s.object({
  requireAuthenticatedRequests: s.optional(s.literal(...AUTH_REQUIREMENTS)),
  jwtKeys: s.optional(
    s.array(
      s.object({
        pem: s.optional(s.string({ min: 100, max: 20_000, pattern: /^-----BEGIN PUBLIC KEY-----[A-Za-z0-9+/=\s]+-----END PUBLIC KEY-----\s*$/, patternName: 'a PEM public key (SPKI)' })),
        jwk: s.optional(s.object({ kty: s.literal('RSA'), n: s.string({ min: 16, max: 2800, ...BASE64URL }), e: s.string({ min: 1, max: 16, ...BASE64URL }), kid: s.optional(s.string({ min: 1, max: 200 })) })),
        fingerprint: s.string({ min: 43, max: 43, ...BASE64URL }),
        added: s.object({ at: s.string({ min: 1, max: 40 }) }),
      }),
      { max: 16 },
    ),
  ),
  maxAgeSeconds: s.optional(s.number({ min: 1, max: 30 * 24 * 3600, integer: true })),
  hmacSecretSha256: s.optional(s.string({ min: 64, max: 64, pattern: /^[0-9a-f]{64}$/, patternName: 'a sha256 (64 hex digits)' })),
});

export interface RegisteredWallet {
  walletId: string;
  label: string;
  coin: Coin;
  /** The three xpubs in BitGo's role order. */
  xpubs: { user: string; backup: string; bitgo: string };
  /**
   * BitGo's keySignatures: the user key's Bitcoin message signatures (hex) over the backup and bitgo xpubs, made
   * when BitGo created the wallet. When present they are verified, and a bad one refuses the wallet.
   */
  keySignatures?: { backupPub: string; bitgoPub: string };
  /**
   * For a wallet whose requests carry a derivationSeed: the seed, so the registered user xpub (the key its requests
   * derive) can be checked against the key store's key when the wallet is unlocked.
   */
  derivationSeed?: string;
  added: { at: string; how: AddedHow };
  /** Request authentication (registry version 2): pinned JWT keys, the policy, the HMAC secret's sha256. */
  auth?: RegisteredAuth;
}

/** A registered wallet as screens show it: the entry, its keys' BIP32 fingerprints, and whether it may be used. */
export interface RegisteredWalletView extends RegisteredWallet {
  fingerprints: { user: string; backup: string; bitgo: string };
  /** Absent when the wallet may be used; else why not (e.g. a keySignature that does not verify). */
  problem?: { code: string; error: string };
}

export interface RegistryView {
  /** Where it lives, by name (never a path). */
  name: string;
  /** sha256 (hex) of the registry file's exact bytes, to compare with a second copy. */
  sha256: string;
  wallets: RegisteredWalletView[];
}
