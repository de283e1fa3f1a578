// The wallet registry file: a plain, versioned JSON file next to the key file, parsed strictly (a repeated wallet
// id or field is refused, unknown fields are refused, every string bounded) and written atomically by the caller
// (its store). Each entry's xpubs must parse and, when BitGo's keySignatures are given, the user key must have
// signed the backup and bitgo xpubs; an entry whose signatures do not verify is kept but refused for signing, so
// the operator sees which wallet and why.
//
// Format (version 1):
//   { "version": 1, "wallets": { "<walletId>": { "label": "...", "coin": "btc" | "tbtc" | "tbtc4",
//       "xpubs": { "user": "xpub...", "backup": "xpub...", "bitgo": "xpub..." },
//       "keySignatures": { "backupPub": "<hex>", "bitgoPub": "<hex>" },      (optional)
//       "derivationSeed": "<the requests' derivationSeed>",                   (optional)
//       "added": { "at": "<ISO time>", "how": "ceremony" | "keycard" | "wallet-export" | "first-use" | "cli" | "demo" } } } }
// Version 2 adds, per wallet, an optional "auth" (request authentication, electron/auth):
//       "auth": { "requireAuthenticatedRequests": "jwt" | "hmac" | "either",          (optional)
//                 "jwtKeys": [ { "pem": "-----BEGIN PUBLIC KEY-----..." | "jwk": { "kty": "RSA", "n", "e" },
//                                "fingerprint": "<RFC 7638 thumbprint>", "added": { "at" } } ],   (optional)
//                 "maxAgeSeconds": <JWT lifetime and HMAC window>,                         (optional)
//                 "hmacSecretSha256": "<sha256 of the shared secret; never the secret>" } (optional)
// A version 1 file still loads (and may not hold "auth"); a registry is written as version 1 while no wallet has
// "auth", so an older signer keeps reading it, and as version 2 once one does (an older signer then refuses it
// rather than sign while ignoring a policy it does not know).
import { createHash } from 'node:crypto';
import { SignerError, type ErrorCode } from '../../shared/errors';
import { ADDED_HOW, COIN, REGISTERED_AUTH, KEY_SIGNATURE, WALLET_LABEL, XPUB_TEXT, type RegisteredAuth, type RegisteredWallet, type RegisteredWalletView, type RegistryView } from '../../shared/registry';
import * as s from '../../shared/schema';
import { WALLET_ID, WALLET_ID_TEXT } from '../../shared/wallet-id';
import { messageSignerHash160 } from '../crypto/bitcoin-message';
import { hash160 } from '../crypto/hash';
import { bytesEqual, fromHexStrict, toHex } from '../util/bytes';
import { parseJsonStrict } from '../util/json';
import { MAX_DERIVATION_SEED_LENGTH } from '../util/limits';
import { parseXpubTriple, type WalletKeys } from '../wallet/keys';

export const REGISTRY_VERSION = 2;
const MAX_WALLETS = 10_000;

export class RegistryError extends SignerError {
  constructor(message: string, code: ErrorCode) {
    super('RegistryError', message, code);
  }
}

const WALLET_FIELDS = {
  label: WALLET_LABEL,
  coin: COIN,
  xpubs: s.object({ user: XPUB_TEXT, backup: XPUB_TEXT, bitgo: XPUB_TEXT }),
  keySignatures: s.optional(s.object({ backupPub: KEY_SIGNATURE, bitgoPub: KEY_SIGNATURE })),
  derivationSeed: s.optional(s.string({ min: 1, max: MAX_DERIVATION_SEED_LENGTH })),
  added: s.object({ at: s.string({ min: 1, max: 40 }), how: s.literal(...ADDED_HOW) }),
};
export const REGISTERED_WALLET = s.object({ ...WALLET_FIELDS, auth: s.optional(REGISTERED_AUTH) });
const REGISTRY_V1 = s.object({ version: s.literal(1), wallets: s.record(s.object(WALLET_FIELDS), { max: MAX_WALLETS, key: WALLET_ID_TEXT }) });
const REGISTRY = s.object({ version: s.literal(1, REGISTRY_VERSION), wallets: s.record(REGISTERED_WALLET, { max: MAX_WALLETS, key: WALLET_ID_TEXT }) });

/** A wallet as the signer enforces it: the entry, its parsed keys, and why it may not be used (if so). */
export interface RegistryEntry extends RegisteredWallet {
  keys: WalletKeys;
  problem?: RegistryError;
}

export interface Registry {
  /** Name for messages (the file's name). */
  name: string;
  /** sha256 of the exact text it was read from (empty registry: of ""). */
  sha256: string;
  wallets: ReadonlyMap<string, RegistryEntry>;
}

/**
 * BitGo's keySignatures check (BitGoJS modules/abstract-utxo src/verifyKey.ts, verifyKeySignature): the signature
 * is a Bitcoin message signature (hex) over the xpub string, by the user key's root public key, with Bitcoin's
 * mainnet message prefix whatever the coin ("BG-5703").
 */
export function keySignatureValid(user: WalletKeys['user'], signedXpub: string, signatureHex: string): boolean {
  const signature = fromHexStrict(signatureHex);
  const signer = signature ? messageSignerHash160(signedXpub, signature) : undefined;
  return signer !== undefined && bytesEqual(signer, hash160(user.publicKey));
}

function entryOf(registryName: string, walletId: string, w: RegisteredWallet): RegistryEntry {
  let keys: WalletKeys;
  try {
    keys = parseXpubTriple([w.xpubs.user, w.xpubs.backup, w.xpubs.bitgo]);
  } catch (e) {
    // parseXpubTriple names the key as a request's pubs[i] (role); here it is the entry's xpubs.<role>.
    const detail = e instanceof Error ? e.message.replace(/^pubs\[\d\] \((\w+)\)/, 'xpubs.$1') : 'the xpubs do not parse';
    throw new RegistryError(`the wallet registry ${registryName}: wallets.${walletId}.${detail}`, 'registry_invalid');
  }
  const entry: RegistryEntry = { ...w, walletId, keys };
  if (w.keySignatures) {
    const bad = (['backup', 'bitgo'] as const).filter((role) => !keySignatureValid(keys.user, w.xpubs[role], w.keySignatures![`${role}Pub`]));
    if (bad.length > 0) {
      entry.problem = new RegistryError(
        `wallet ${walletId}: BitGo's keySignatures do not verify for the ${bad.join(' and ')} key${bad.length > 1 ? 's' : ''}: the registered keys are not the ones the user key signed when the wallet was made; this wallet is refused until its entry is checked`,
        'wallet_key_signatures_invalid',
      );
    }
  }
  return entry;
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Where a key file's registry lives: beside it, named after it (keys.json -> keys.registry.json). */
export function registryPathFor(keyFilePath: string): string {
  return keyFilePath.replace(/(\.json)?$/i, '.registry.json');
}

export function emptyRegistry(name: string): Registry {
  return { name, sha256: sha256Hex(''), wallets: new Map() };
}

/** Parses a registry file's text. Every error is coded and names the field; nothing is guessed. */
export function parseRegistry(text: string, name: string): Registry {
  const json = parseJsonStrict(text.replace(/^\uFEFF/, ''));
  if ('syntax' in json) throw new RegistryError(`the wallet registry ${name} is not valid JSON (${json.syntax.message.slice(0, 120)})`, 'registry_invalid');
  if ('duplicate' in json) {
    const { path, key } = json.duplicate;
    throw new RegistryError(`the wallet registry ${name} lists ${path === '' ? key : `${path}.${key}`} twice; refusing to guess which is meant`, 'registry_invalid');
  }
  const v1 = typeof json.value === 'object' && json.value !== null && (json.value as { version?: unknown }).version === 1;
  const doc: s.Infer<typeof REGISTRY> = s.parseWith<s.Infer<typeof REGISTRY>>(v1 ? REGISTRY_V1 : REGISTRY, json.value, (e) => new RegistryError(`the wallet registry ${name}: ${e.path || 'the file'}: ${e.reason}`, 'registry_invalid'));
  const wallets = new Map<string, RegistryEntry>();
  for (const [walletId, w] of Object.entries(doc.wallets)) wallets.set(walletId, entryOf(name, walletId, { walletId, ...w }));
  return { name, sha256: sha256Hex(text), wallets };
}

/** A wallet's entry exactly as the registry file stores it (what a receipt's policy hash covers). */
export function storedEntry(e: RegisteredWallet): Omit<RegisteredWallet, 'walletId'> {
  return { label: e.label, coin: e.coin, xpubs: e.xpubs, ...(e.keySignatures ? { keySignatures: e.keySignatures } : {}), ...(e.derivationSeed !== undefined ? { derivationSeed: e.derivationSeed } : {}), added: e.added, ...(e.auth ? { auth: e.auth } : {}) };
}

/** The file's text: stable order (wallet ids sorted), one wallet per block, a final newline. */
export function serializeRegistry(registry: Pick<Registry, 'wallets'>): string {
  const wallets: Record<string, Omit<RegisteredWallet, 'walletId'>> = {};
  for (const id of [...registry.wallets.keys()].sort()) wallets[id] = storedEntry(registry.wallets.get(id)!);
  // Version 1 while no wallet has request authentication: the file stays readable by a signer that predates it.
  const version = Object.values(wallets).some((w) => w.auth !== undefined) ? REGISTRY_VERSION : 1;
  return `${JSON.stringify({ version, wallets }, null, 2)}\n`;
}

/**
 * A new registry with `wallet` added (validated as a file entry would be). Refuses a wallet already registered:
 * an entry is removed on purpose before it is replaced.
 */
export function withWallet(registry: Registry, wallet: RegisteredWallet): Registry {
  if (registry.wallets.has(wallet.walletId)) throw new RegistryError(`wallet ${wallet.walletId} is already registered as "${registry.wallets.get(wallet.walletId)!.label}"; remove it first to replace it`, 'registry_wallet_exists');
  const { walletId, ...fields } = wallet;
  s.parseWith(WALLET_ID, walletId, (e) => new RegistryError(`wallet id: ${e.reason}`, 'registry_invalid'));
  const checked = s.parseWith(REGISTERED_WALLET, fields, (e) => new RegistryError(`wallet ${walletId}: ${e.path || 'entry'}: ${e.reason}`, 'registry_invalid'));
  const entry = entryOf(registry.name, walletId, { walletId, ...checked });
  if (entry.problem) throw entry.problem;
  const wallets = new Map(registry.wallets);
  wallets.set(walletId, entry);
  const text = serializeRegistry({ wallets });
  return { name: registry.name, sha256: sha256Hex(text), wallets };
}

export function withoutWallet(registry: Registry, walletId: string): Registry {
  if (!registry.wallets.has(walletId)) throw new RegistryError(`wallet ${walletId} is not in the registry ${registry.name}`, 'wallet_not_registered');
  const wallets = new Map(registry.wallets);
  wallets.delete(walletId);
  return { name: registry.name, sha256: sha256Hex(serializeRegistry({ wallets })), wallets };
}

/** The registry as the screens show it (public data only). */
export function registryView(registry: Registry): RegistryView {
  return {
    name: registry.name,
    sha256: registry.sha256,
    wallets: [...registry.wallets.values()].map((e) => {
      const { keys, problem, ...entry } = e;
      const view: RegisteredWalletView = {
        ...entry,
        fingerprints: { user: toHex(keys.user.fingerprint), backup: toHex(keys.backup.fingerprint), bitgo: toHex(keys.bitgo.fingerprint) },
        ...(problem ? { problem: { code: problem.code!, error: problem.message } } : {}),
      };
      return view;
    }),
  };
}

/**
 * A new registry with the wallet's request authentication changed by `update` (a key pinned, the policy set):
 * validated as a file entry would be. The caller checks a key before it pins it (auth/jwt.ts importPinnedKey).
 */
export function withAuth(registry: Registry, walletId: string, update: (auth: RegisteredAuth) => RegisteredAuth): Registry {
  const entry = registry.wallets.get(walletId);
  if (!entry) throw new RegistryError(`wallet ${walletId} is not in the registry ${registry.name}; register it first`, 'wallet_not_registered');
  const next = update(structuredClone(entry.auth ?? {}));
  const auth = Object.keys(next).length === 0 ? undefined : s.parseWith(REGISTERED_AUTH, next, (e) => new RegistryError(`wallet ${walletId}: auth.${e.path || ''}: ${e.reason}`, 'registry_invalid'));
  const { auth: _old, ...rest } = entry;
  const wallets = new Map(registry.wallets);
  wallets.set(walletId, { ...rest, ...(auth ? { auth } : {}) });
  return { name: registry.name, sha256: sha256Hex(serializeRegistry({ wallets })), wallets };
}
