// The step after BitGo has made the wallet (issue 15 item 7): BitGo's key (its xpub, entered or scanned) and the
// wallet id come back to the air-gapped machine. The user key then signs the backup and BitGo xpubs (keySignatures,
// ./keys.ts), the public export for the online side is made, the user key's envelope goes into the key file under
// the wallet id (BitGo Express's format), and the wallet goes into the wallet registry ("how": "ceremony") with
// exactly the keySignatures the registry verifies.
//
// The public export (a file and a QR code; public data only):
//   { "format": "offline-signer-ceremony-public", "version": 1, "label", "coin", "walletId"?,
//     "xpubs": { "user", "backup", "bitgo"? },
//     "keySignatures"?: { "backupPub": "<hex>", "bitgoPub": "<hex>" } }
// Before BitGo's key exists (phase 1) it carries the user and backup xpubs only, which the online side gives BitGo
// (keychains().add({ pub })). keySignatures are named as a BitGo wallet carries them; BitGo's wallet API takes the
// same two values as { backup, bitgo } (BitGoJS sdk-core iWallets.ts keySignatures).
import type { Coin, RegisteredWallet } from '../../shared/registry';
import { isWalletId } from '../../shared/wallet-id';
import { parseEnvelope } from '../keystore/envelope';
import { withWallet, type Registry } from '../registry/registry';
import { CeremonyError } from './errors';
import { makeKeySignatures, parsePublishedXpub, type KeySignatures } from './keys';
import { withRecordedKey } from './open-key';
import type { CeremonyRecord } from './record';

export const PUBLIC_FORMAT = 'offline-signer-ceremony-public';

export interface PublicExport {
  format: typeof PUBLIC_FORMAT;
  version: 1;
  label: string;
  coin: Coin;
  walletId?: string;
  xpubs: { user: string; backup: string; bitgo?: string };
  keySignatures?: KeySignatures;
}

export function checkBitgoXpub(record: CeremonyRecord, bitgoXpub: string): string {
  const xpub = parsePublishedXpub(bitgoXpub, "BitGo's key").neutered().toBase58();
  if (xpub === record.keys.user.xpub || xpub === record.keys.backup.xpub) {
    throw new CeremonyError("BitGo's key given is the wallet's own user or backup key; each role must be its own key", 'ceremony_xpub_reused');
  }
  return xpub;
}

export function checkWalletId(walletId: string): string {
  if (!isWalletId(walletId)) throw new CeremonyError('the wallet id must be letters and digits, as BitGo wallet ids are', 'ceremony_step_invalid');
  return walletId;
}

/** The user key signs the backup and BitGo xpubs; the key must open with the passphrase and be the key on record. */
export async function signWalletKeys(record: CeremonyRecord, bitgoXpub: string, passphrase: string): Promise<KeySignatures> {
  const bitgo = checkBitgoXpub(record, bitgoXpub);
  return withRecordedKey(parseEnvelope(record.keys.user.encryptedPrv, 'the ceremony file, keys.user'), passphrase, record.keys.user.xpub, 'the user key', (node) =>
    makeKeySignatures(node, record.keys.backup.xpub, bitgo),
  );
}

export function publicExport(record: CeremonyRecord, extra: { bitgoXpub?: string; keySignatures?: KeySignatures; walletId?: string } = {}): PublicExport {
  if (extra.keySignatures && extra.bitgoXpub === undefined) throw new CeremonyError('keySignatures need the BitGo key they sign', 'ceremony_step_invalid');
  return {
    format: PUBLIC_FORMAT,
    version: 1,
    label: record.label,
    coin: record.coin,
    ...(extra.walletId !== undefined ? { walletId: checkWalletId(extra.walletId) } : {}),
    xpubs: { user: record.keys.user.xpub, backup: record.keys.backup.xpub, ...(extra.bitgoXpub !== undefined ? { bitgo: checkBitgoXpub(record, extra.bitgoXpub) } : {}) },
    ...(extra.keySignatures ? { keySignatures: extra.keySignatures } : {}),
  };
}

/** The text of the export file; the same text is what the QR code carries. */
export function publicExportText(exp: PublicExport): string {
  return JSON.stringify(exp);
}

/** The registry with the new wallet, its keySignatures verified by the registry's own rules (withWallet). */
export function registerCeremonyWallet(registry: Registry, record: CeremonyRecord, walletId: string, bitgoXpub: string, keySignatures: KeySignatures, now: Date): Registry {
  const wallet: RegisteredWallet = {
    walletId: checkWalletId(walletId),
    label: record.label,
    coin: record.coin,
    xpubs: { user: record.keys.user.xpub, backup: record.keys.backup.xpub, bitgo: checkBitgoXpub(record, bitgoXpub) },
    keySignatures,
    added: { at: now.toISOString(), how: 'ceremony' },
  };
  return withWallet(registry, wallet);
}
