// The key ceremony in the app (issue 15; README "Key ceremony"): the same steps as `offline-signer ceremony`,
// behind the IPC contract. The operator's dice and passphrases enter main through the contract's ceremony
// channels (as a passphrase enters through unlock) and never leave it; what goes back is public: xpubs, the dice
// hash, step outcomes, file names. The ceremony record (xpubs and ENCRYPTED keys) stays here until it is saved to a
// drive with the KeyCard. Every step is recorded in the session audit as a ceremony-step event.
import { join } from 'node:path';
import type { CeremonyAuditView, CeremonyExportView, CeremonyReencryptView, CeremonyShardsVerifyView, CeremonySelfTestView, CeremonyView, KeyCardSaved } from '../../shared/contract';
import type { Coin } from '../../shared/registry';
import { auditKey } from '../ceremony/audit-key';
import { checkNewPassphrase, createKeys, type EnvelopeChoice } from '../ceremony/create';
import { diceEntropy } from '../ceremony/entropy';
import { CeremonyError } from '../ceremony/errors';
import { writeNewFile } from '../ceremony/files';
import { fileFact } from '../ceremony/journal';
import { drawKeyCard } from '../ceremony/keycard';
import { parsePublishedXpub } from '../ceremony/keys';
import { parseEncryptedKey } from '../ceremony/open-key';
import { reencryptKey } from '../ceremony/reencrypt';
import { parseShardSet, verifyShards } from '../ceremony/shards';
import { serializeRecord, slugOf, type CeremonyRecord } from '../ceremony/record';
import { runSelfTest } from '../ceremony/selftest';
import { publicExport, publicExportText, signWalletKeys } from '../ceremony/wallet';
import type { AuditLog } from './audit';
import { redactPath, type DriveRef } from './drive-writes';

export interface CeremonyDeskDeps {
  audit: AuditLog;
  drive: (driveId: string) => DriveRef;
  /** Told before each slow step; the handler forwards it as the ceremonyProgress event. */
  progress?: (p: { step: string; done: number; total: number }) => void;
  /** v2 envelope cost; BitGo's defaults unless a test makes it cheaper. */
  envelope?: EnvelopeChoice;
  now?: () => Date;
}

export class CeremonyDesk {
  #record: CeremonyRecord | undefined;
  #view: CeremonyView | null = null;
  #selfTestOk = false;
  constructor(private readonly deps: CeremonyDeskDeps) {}

  selfTest(): CeremonySelfTestView {
    const report = runSelfTest();
    this.#selfTestOk = report.ok;
    this.deps.audit.record({ type: 'ceremony-step', step: 'selftest', outcome: report.ok ? 'done' : 'failed', ...(report.ok ? {} : { code: 'rng_self_test_failed' }) });
    return { ok: report.ok, checks: report.checks.map((c) => ({ name: c.name, ok: c.ok, detail: c.detail })) };
  }

  async create(input: { label: string; coin: Coin; dice: string; passphrase: string; passphraseAgain: string; allowWeak: boolean }): Promise<CeremonyView> {
    try {
      if (!this.#selfTestOk) throw new CeremonyError('run the self-test first (step 1)', 'ceremony_step_invalid');
      checkNewPassphrase(input.passphrase, input.passphraseAgain, { allowWeak: input.allowWeak });
      const operator = diceEntropy(input.dice);
      const created = await createKeys({
        label: input.label,
        coin: input.coin,
        operator,
        passphrase: input.passphrase,
        envelope: this.deps.envelope ?? { version: 2 },
        ...(this.deps.progress ? { progress: (step: string, done: number, total: number) => this.deps.progress!({ step, done, total }) } : {}),
        ...(this.deps.now ? { now: this.deps.now } : {}),
      });
      created.computerEntropy.fill(0); // the two-laptop check's export is a command-line step
      this.#record = created.record;
      this.#view = {
        label: created.record.label,
        coin: created.record.coin,
        xpubs: { user: created.record.keys.user.xpub, backup: created.record.keys.backup.xpub },
        dice: { rolls: operator.rolls ?? 0, bits: operator.bits, sha256: Buffer.from(operator.sha256).toString('hex') },
        envelope: (this.deps.envelope ?? { version: 2 }).version,
        saved: [],
      };
      this.deps.audit.record({ type: 'ceremony-step', step: 'create', outcome: 'done', label: input.label, xpubs: [this.#view.xpubs.user, this.#view.xpubs.backup] });
      return this.#view;
    } catch (e) {
      this.deps.audit.record({ type: 'ceremony-step', step: 'create', outcome: 'failed', code: (e as { code?: string }).code ?? 'internal_error' });
      throw e;
    }
  }

  /** Issue 15 item 4: opens a pasted box with its passphrase and compares its xpub with the published one. */
  async audit(box: string, passphrase: string, publishedXpub: string): Promise<CeremonyAuditView> {
    try {
      const result = await auditKey(parseEncryptedKey(box, 'the key pasted'), passphrase, publishedXpub, 'the key pasted');
      this.deps.audit.record({ type: 'ceremony-step', step: 'audit', outcome: result.match ? 'match' : 'mismatch', xpubs: [publishedXpub.trim(), ...(result.match ? [] : [result.xpub])] });
      return result;
    } catch (e) {
      this.deps.audit.record({ type: 'ceremony-step', step: 'audit', outcome: 'failed', code: (e as { code?: string }).code ?? 'internal_error' });
      throw e;
    }
  }

  view(): CeremonyView | null {
    return this.#view;
  }

  /**
   * Writes the KeyCard (<slug>.keycard.pdf; with BitGo's xpub when given) and, the first time, the ceremony file
   * and the public export onto the drive, never over existing files.
   */
  async saveKeyCard(driveId: string, bitgoXpub: string | undefined): Promise<KeyCardSaved> {
    const record = this.#record;
    if (!record || !this.#view) {
      this.deps.audit.record({ type: 'ceremony-step', step: 'keycard', outcome: 'failed', code: 'ceremony_step_invalid' });
      throw new CeremonyError('there are no keys to put on a KeyCard: create them first (step 2)', 'ceremony_step_invalid');
    }
    const drive = this.deps.drive(driveId);
    const bitgo = bitgoXpub?.trim() || undefined;
    if (bitgo !== undefined) {
      parsePublishedXpub(bitgo, "BitGo's xpub");
      if (bitgo === record.keys.user.xpub || bitgo === record.keys.backup.xpub) throw new CeremonyError("the BitGo xpub given is this wallet's user or backup key", 'ceremony_xpub_reused');
    }
    const now = (this.deps.now ?? (() => new Date()))();
    const slug = slugOf(record.label);
    const files: { name: string; data: string | Uint8Array }[] = [];
    const pdf = await drawKeyCard({ walletLabel: record.label, userEncryptedPrv: record.keys.user.encryptedPrv, backupEncryptedPrv: record.keys.backup.encryptedPrv, ...(bitgo ? { bitgoXpub: bitgo } : {}), createdAt: now });
    files.push({ name: bitgo ? `${slug}.keycard-with-bitgo.pdf` : `${slug}.keycard.pdf`, data: pdf });
    // The ceremony file and the phase-1 public export go out with the first KeyCard, unless already written.
    if (!this.#view.saved.includes(`${slug}.ceremony.json`)) files.push({ name: `${slug}.ceremony.json`, data: serializeRecord(record) });
    if (!this.#view.saved.includes(`${slug}.public.json`)) files.push({ name: `${slug}.public.json`, data: `${JSON.stringify(publicExport(record), null, 2)}\n` });
    const written: { name: string; sha256: string }[] = [];
    try {
      for (const f of files) written.push(this.#write(drive, f.name, f.data));
    } catch (e) {
      this.deps.audit.record({ type: 'ceremony-step', step: 'keycard', outcome: 'failed', label: record.label, code: (e as { code?: string }).code ?? 'internal_error', ...(written.length ? { files: written } : {}) });
      throw e;
    }
    this.#view = { ...this.#view, saved: [...this.#view.saved, ...written.map((w) => w.name)] };
    this.deps.audit.record({ type: 'ceremony-step', step: 'keycard', outcome: 'done', label: record.label, xpubs: [record.keys.user.xpub, record.keys.backup.xpub, ...(bitgo ? [bitgo] : [])], files: written });
    return { drive: drive.label, files: written, boxes: bitgo ? ['A', 'B', 'C'] : ['A', 'B'] };
  }

  /**
   * Issue 15 item 7, the public export for the online side, as `ceremony export` writes it (electron/ceremony/
   * wallet.ts): before BitGo's key exists, the user and backup xpubs (<slug>.public.json); once BitGo has made the
   * wallet, its xpub (and the wallet id when known) with the user key's keySignatures over the backup and BitGo
   * xpubs, for which the user key is opened with its passphrase (<slug>.public-with-bitgo.json). Never over an
   * existing file. The text comes back (public data) so the screen can show it as a QR code.
   */
  async exportPublic(input: { driveId: string; bitgoXpub?: string | undefined; walletId?: string | undefined; passphrase?: string | undefined }): Promise<CeremonyExportView> {
    const record = this.#record;
    const bitgo = input.bitgoXpub?.trim() || undefined;
    try {
      if (!record || !this.#view) throw new CeremonyError('there are no keys to export: create them first (step 2)', 'ceremony_step_invalid');
      if (input.walletId !== undefined && bitgo === undefined) throw new CeremonyError("the wallet id goes with BitGo's xpub: enter BitGo's xpub too", 'ceremony_step_invalid');
      if (bitgo !== undefined && input.passphrase === undefined) {
        throw new CeremonyError("with BitGo's xpub the user key signs the backup and BitGo keys: enter the wallet passphrase", 'ceremony_step_invalid');
      }
      const drive = this.deps.drive(input.driveId);
      if (bitgo !== undefined) this.deps.progress?.({ step: 'opening the user key to sign the backup and BitGo keys', done: 0, total: 1 });
      const keySignatures = bitgo !== undefined ? await signWalletKeys(record, bitgo, input.passphrase!) : undefined;
      const exp = publicExport(record, { ...(bitgo !== undefined ? { bitgoXpub: bitgo } : {}), ...(keySignatures ? { keySignatures } : {}), ...(input.walletId !== undefined ? { walletId: input.walletId } : {}) });
      const name = `${slugOf(record.label)}.${bitgo !== undefined ? 'public-with-bitgo' : 'public'}.json`;
      // The same layout as the file the KeyCard step writes; the QR carries the compact text (publicExportText).
      const file = this.#write(drive, name, `${JSON.stringify(exp, null, 2)}\n`, 0o644);
      this.#view = { ...this.#view, saved: [...this.#view.saved, file.name] };
      this.deps.audit.record({ type: 'ceremony-step', step: 'export', outcome: 'done', label: record.label, xpubs: [exp.xpubs.user, exp.xpubs.backup, ...(exp.xpubs.bitgo ? [exp.xpubs.bitgo] : [])], files: [file] });
      return { drive: drive.label, file, text: publicExportText(exp), keySignatures: keySignatures !== undefined };
    } catch (e) {
      this.deps.audit.record({ type: 'ceremony-step', step: 'export', outcome: 'failed', ...(record ? { label: record.label } : {}), code: (e as { code?: string }).code ?? 'internal_error' });
      throw e;
    }
  }

  /**
   * Issue 15 item 5 for a KeyCard box A or B (pasted): a new passphrase, or v1 to v2, as `ceremony reencrypt --box`
   * does (electron/ceremony/reencrypt.ts): opened with the old passphrase, encrypted under the new one (typed twice,
   * the create step's strength rule) and opened again before anything is written, into a new file on the drive
   * (key-<fingerprint>.reencrypted-<time>.json); the box pasted is not a file here, so nothing old is touched.
   */
  async reencrypt(input: { driveId: string; box: string; passphrase: string; newPassphrase: string; newPassphraseAgain: string; allowWeak: boolean; envelope: 1 | 2 }): Promise<CeremonyReencryptView> {
    try {
      checkNewPassphrase(input.newPassphrase, input.newPassphraseAgain, { allowWeak: input.allowWeak });
      const envelope = parseEncryptedKey(input.box, 'the key pasted');
      const drive = this.deps.drive(input.driveId);
      // The desk's v2 cost (BitGo's defaults unless a test makes it cheaper) when v2 is chosen.
      const choice: EnvelopeChoice = input.envelope === 1 ? { version: 1 } : this.deps.envelope?.version === 2 ? this.deps.envelope : { version: 2 };
      this.deps.progress?.({ step: `opening the key, encrypting it as v${input.envelope} and opening it again`, done: 0, total: 1 });
      const result = await reencryptKey(envelope, input.passphrase, input.newPassphrase, choice, 'the key pasted');
      const fingerprint = Buffer.from(parsePublishedXpub(result.xpub, 'the key').fingerprint).toString('hex');
      const stamp = (this.deps.now ?? (() => new Date()))().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
      const name = `key-${fingerprint}.reencrypted-${stamp}.json`;
      const file = this.#write(drive, name, `${result.envelope}\n`);
      this.deps.audit.record({ type: 'ceremony-step', step: 'reencrypt', outcome: 'done', xpubs: [result.xpub], files: [file] });
      return { drive: drive.label, file, xpub: result.xpub, fingerprint, envelope: input.envelope };
    } catch (e) {
      this.deps.audit.record({ type: 'ceremony-step', step: 'reencrypt', outcome: 'failed', code: (e as { code?: string }).code ?? 'internal_error' });
      throw e;
    }
  }

  /** Issue 15 item 6: `ceremony verify-shards` (BitGo's verifyShards) on a pasted shard file, one password per shard. */
  async verifyShards(input: { shards: string; passwords: string[]; publishedXpub?: string | undefined }): Promise<CeremonyShardsVerifyView> {
    try {
      const set = parseShardSet(input.shards.trim(), 'the shard file pasted');
      if (input.passwords.length !== set.n) throw new CeremonyError(`the shard file has ${set.n} shards: give one password for each (got ${input.passwords.length})`, 'passphrase_missing');
      this.deps.progress?.({ step: `opening ${set.n} shards and combining every ${set.m}-of-${set.n} set`, done: 0, total: 1 });
      // The core says wallet_passphrase_incorrect, whose words speak of a wallet; here it is one holder's shard,
      // named in the message, which the screen shows as it is.
      const r = await verifyShards(set, input.passwords, input.publishedXpub).catch((e: unknown) => {
        throw (e as { code?: string }).code === 'wallet_passphrase_incorrect' ? new CeremonyError((e as Error).message, 'shard_password_incorrect') : e;
      });
      this.deps.audit.record({ type: 'ceremony-step', step: 'verify-shards', outcome: 'done', xpubs: [r.xpub] });
      return { xpub: r.xpub, m: r.m, n: r.n, combinations: r.combinations };
    } catch (e) {
      this.deps.audit.record({ type: 'ceremony-step', step: 'verify-shards', outcome: 'failed', code: (e as { code?: string }).code ?? 'internal_error' });
      throw e;
    }
  }

  #write(drive: DriveRef, name: string, data: string | Uint8Array, mode?: number): { name: string; sha256: string } {
    const path = join(drive.path, name);
    try {
      writeNewFile(path, data, mode);
    } catch (e) {
      throw redactPath(e, path, `${name} on drive "${drive.label}"`);
    }
    return fileFact(path, data);
  }
}
