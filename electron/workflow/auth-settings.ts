// The Wallets screen's request-authentication settings for a registered wallet (README "Authenticated requests"):
// check a pasted RSA public key and show its RFC 7638 thumbprint; pin it once the operator has typed the
// thumbprint's last four characters as read from the sender's second copy; unpin a key by typing its thumbprint;
// set requireAuthenticatedRequests and maxAgeSeconds; provision the shared HMAC secret from a file on a listed
// drive. The rules are the command line's (registry/auth-policy.ts); each change is written to the registry file
// and recorded in the audit. The HMAC secret never leaves main: the registry keeps its sha256, the audit its short
// id, and main keeps the secret itself in memory for this session (after a restart the operator's secrets file
// beside the key file, or provisioning again, supplies it).
import type { AuthRequirement, RegistryView } from '../../shared/registry';
import { readRequestFile } from '../files/drives';
import { checkPublicKey, hmacSecretFromFile, pinJwtKey, setAuthPolicy, unpinJwtKey } from '../registry/auth-policy';
import { RegistryError } from '../registry/registry';
import type { AuditLog } from './audit';
import type { WalletRegistration } from './registration';

export interface AuthSettingsDeps {
  registration: WalletRegistration;
  audit: AuditLog;
  /** A listed, connected drive (RequestSession.driveRef). */
  drive: (driveId: string) => { label: string; path: string };
  now?: () => Date;
}

/** How many of the thumbprint's last characters the operator types to pin a key (as first use types an xpub's). */
export const THUMBPRINT_CONFIRM_CHARS = 4;

export class AuthSettings {
  readonly #deps: AuthSettingsDeps;
  /** Secrets provisioned in this session, by wallet: in main's memory only. */
  readonly #secrets = new Map<string, Uint8Array>();

  constructor(deps: AuthSettingsDeps) {
    this.#deps = deps;
  }

  /** A pasted public key's thumbprint and size, for the operator to compare with the sender's copy. */
  async checkKey(walletId: string, text: string): Promise<{ walletId: string; fingerprint: string; bits: number; form: 'pem' | 'jwk' }> {
    this.#deps.registration.entry(walletId);
    const { source, pinned } = await checkPublicKey(text);
    return { walletId, fingerprint: pinned.fingerprint, bits: pinned.bits, form: 'pem' in source ? 'pem' : 'jwk' };
  }

  /** Pins the key when the typed characters are the end of its thumbprint (computed here again, never taken from the renderer). */
  async pinKey(walletId: string, text: string, lastCharacters: string): Promise<RegistryView> {
    this.#deps.registration.entry(walletId);
    const { source, pinned } = await checkPublicKey(text);
    if (pinned.fingerprint.slice(-THUMBPRINT_CONFIRM_CHARS) !== lastCharacters) {
      throw new RegistryError(`the last ${THUMBPRINT_CONFIRM_CHARS} characters typed do not end the key's thumbprint: compare the whole thumbprint with the sender's copy (upper and lower case differ); nothing was pinned`, 'registry_confirmation_mismatch');
    }
    const view = this.#deps.registration.change((r) => pinJwtKey(r, walletId, source, pinned.fingerprint, this.#now()));
    this.#deps.audit.record({ type: 'registry-auth-changed', walletId, change: 'key-pinned', key: pinned.fingerprint, registry: view.sha256 });
    return view;
  }

  /** Unpins a key; the operator types its thumbprint again. */
  unpinKey(walletId: string, fingerprint: string, confirmFingerprint: string): RegistryView {
    if (confirmFingerprint.trim() !== fingerprint) {
      throw new RegistryError(`to unpin key ${fingerprint} from wallet ${walletId}, type its thumbprint exactly; nothing was unpinned`, 'registry_confirmation_mismatch');
    }
    const view = this.#deps.registration.change((r) => unpinJwtKey(r, walletId, fingerprint));
    this.#deps.audit.record({ type: 'registry-auth-changed', walletId, change: 'key-unpinned', key: fingerprint, registry: view.sha256 });
    return view;
  }

  /** requireAuthenticatedRequests ('none' removes it) and maxAgeSeconds (undefined: the default). */
  setPolicy(walletId: string, require: AuthRequirement | 'none', maxAgeSeconds: number | undefined): RegistryView {
    const view = this.#deps.registration.change((r) => setAuthPolicy(r, walletId, { require, maxAgeSeconds: maxAgeSeconds ?? null }));
    this.#deps.audit.record({ type: 'registry-auth-changed', walletId, change: 'policy', require, ...(maxAgeSeconds !== undefined ? { maxAgeSeconds } : {}), registry: view.sha256 });
    return view;
  }

  /** Reads the shared secret from a file on a listed drive; the registry keeps its sha256, main the secret for this session. */
  provisionHmacSecret(walletId: string, driveId: string, file: string): RegistryView {
    this.#deps.registration.entry(walletId);
    const { secret, sha256 } = hmacSecretFromFile(new TextDecoder().decode(readRequestFile(this.#deps.drive(driveId).path, file)), file, walletId);
    const view = this.#deps.registration.change((r) => setAuthPolicy(r, walletId, { hmacSecretSha256: sha256 }));
    this.#secrets.set(walletId, secret);
    this.#deps.audit.record({ type: 'registry-auth-changed', walletId, change: 'hmac-secret', key: sha256.slice(0, 16), registry: view.sha256 });
    return view;
  }

  /** A secret provisioned in this session for the wallet (it takes precedence over the secrets file's). */
  secret(walletId: string): Uint8Array | undefined {
    return this.#secrets.get(walletId);
  }

  /** Another key store opened: its wallets' secrets come from its own file. */
  forget(): void {
    for (const s of this.#secrets.values()) s.fill(0);
    this.#secrets.clear();
  }

  #now(): Date {
    return this.#deps.now?.() ?? new Date();
  }
}
