// The key ceremony in the app (issue 15; README "Key ceremony"): the same steps as `offline-signer ceremony`,
// behind the IPC contract. The operator's dice and passphrases enter main through the contract's ceremony
// channels (as a passphrase enters through unlock) and never leave it; what goes back is public: xpubs, the dice
// hash, step outcomes, file names. The ceremony record (xpubs and ENCRYPTED keys) stays here until it is saved to a
// drive with the KeyCard. Every step is recorded in the session audit as a ceremony-step event.
import type { CeremonyAuditView, CeremonyCheckView, CeremonyExportView, CeremonyReencryptView, CeremonyShardsVerifyView, CeremonySelfTestView, CeremonyView, KeyCardSaved } from '../../shared/contract';
import type { Coin, RegistryView } from '../../shared/registry';
import { auditKey } from '../ceremony/audit-key';
import { checkNewPassphrase, createKeys, xpubsFor } from '../ceremony/create';
import { diceEntropy, formatComputerEntropy, mixSeed, parseComputerEntropy, type KeyRole, type OperatorEntropy } from '../ceremony/entropy';
import { CeremonyError } from '../ceremony/errors';
import { drawKeyCard } from '../ceremony/keycard';
import { parsePublishedXpub } from '../ceremony/keys';
import { parseEncryptedKey } from '../ceremony/open-key';
import { keyFileText, reencryptKey } from '../ceremony/reencrypt';
import { parseShardSet, verifyShards } from '../ceremony/shards';
import { serializeRecord, slugOf, type CeremonyRecord } from '../ceremony/record';
import { runSelfTest } from '../ceremony/selftest';
import { publicExport, publicExportText, registerCeremonyWallet, signWalletKeys } from '../ceremony/wallet';
import type { KeySignatures } from '../ceremony/keys';
import type { ParsedEnvelope } from '../keystore/envelope';
import { parseKeyFile } from '../keystore/keyfile';
import type { Registry } from '../registry/registry';
import { auditedStep, deskNow, envelopeFor, fileStamp, writeOnDrive, type DeskBaseDeps } from './ceremony-steps';
import { asShardError, ShardDesk } from './ceremony-shard-desk';

export interface CeremonyDeskDeps extends DeskBaseDeps {
  /** A wallet's encrypted key in the open key store (throws when none is open or it is not there). */
  keyStoreEntry?: (walletId: string) => ParsedEnvelope;
  /**
   * Runs a passphrase attempt on a key store wallet under the unlock screen's throttle (workflow/throttle.ts), so
   * re-encrypting is no way around its growing delay after wrong passphrases.
   */
  keyStoreAttempt?: <T>(walletId: string, attempt: () => Promise<T>) => Promise<T>;
  /** Enters a wallet into the open key store's registry (throws when no key store is open). */
  register?: (build: (registry: Registry) => Registry) => RegistryView;
  /** The wallets' idle-lock time (0 = off): the ceremony's secrets are forgotten after as long without a step. */
  idleMs?: () => number;
}

interface ReencryptInput {
  driveId: string;
  passphrase: string;
  newPassphrase: string;
  newPassphraseAgain: string;
  allowWeak: boolean;
  envelope: 1 | 2;
}

export class CeremonyDesk {
  #record: CeremonyRecord | undefined;
  #view: CeremonyView | null = null;
  #selfTestOk = false;
  /**
   * The ceremony's computer entropy and the dice's hash, from which its seeds come again (entropy.ts mixSeed): kept
   * in main, never returned, for its shards and the two-laptop check's export. BitGo shards the seed, which exists
   * nowhere else. Forgotten (overwritten) at the next create, by forgetSecrets() ("Lock all", another key store
   * opened) and after the wallets' idle-lock time without a ceremony step, as an unlocked wallet's key would be.
   */
  #entropy: { computer: Uint8Array; operator: OperatorEntropy } | undefined;
  #forgetTimer: ReturnType<typeof setTimeout> | undefined;
  /** The last public export with BitGo's key and the wallet id: what "enter it into the registry" enters. */
  #signed: { walletId: string; bitgoXpub: string; keySignatures: KeySignatures } | undefined;
  readonly shards: ShardDesk;
  constructor(private readonly deps: CeremonyDeskDeps) {
    this.shards = new ShardDesk({ ...deps, ceremony: () => this.#ceremony() });
  }

  /** Overwrites and drops the ceremony's computer entropy and dice hash; its record (public keys, files) stays. */
  forgetSecrets(): void {
    clearTimeout(this.#forgetTimer);
    this.#forgetTimer = undefined;
    this.#entropy?.computer.fill(0);
    this.#entropy?.operator.sha256.fill(0);
    this.#entropy = undefined;
  }

  /** Restarts the idle countdown after each step that used the secrets. */
  #touchSecrets(): void {
    clearTimeout(this.#forgetTimer);
    const ms = this.deps.idleMs?.() ?? 0;
    if (this.#entropy && ms > 0) {
      this.#forgetTimer = setTimeout(() => this.forgetSecrets(), ms);
      this.#forgetTimer.unref?.();
    }
  }

  #ceremony() {
    const record = this.#record;
    const entropy = this.#entropy;
    if (!record || !entropy) return undefined;
    this.#touchSecrets();
    return {
      label: record.label,
      xpub: (role: KeyRole) => record.keys[role].xpub,
      withSeed: async <T>(role: KeyRole, use: (seed: Uint8Array) => Promise<T>): Promise<T> => {
        const seed = mixSeed(entropy.computer, entropy.operator, role);
        try {
          return await use(seed);
        } finally {
          seed.fill(0);
        }
      },
    };
  }

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
      this.forgetSecrets();
      this.#entropy = { computer: created.computerEntropy, operator };
      this.#touchSecrets();
      this.#signed = undefined;
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
    const written: { name: string; sha256: string }[] = [];
    // Every failure is in the audit, the files already written included (a refused xpub, a missing drive too).
    try {
      if (!record || !this.#view) throw new CeremonyError('there are no keys to put on a KeyCard: create them first (step 2)', 'ceremony_step_invalid');
      const drive = this.deps.drive(driveId);
      const bitgo = bitgoXpub?.trim() || undefined;
      if (bitgo !== undefined) {
        parsePublishedXpub(bitgo, "BitGo's xpub");
        if (bitgo === record.keys.user.xpub || bitgo === record.keys.backup.xpub) throw new CeremonyError("the BitGo xpub given is this wallet's user or backup key", 'ceremony_xpub_reused');
      }
      const now = deskNow(this.deps);
      const slug = slugOf(record.label);
      const files: { name: string; data: string | Uint8Array }[] = [];
      const pdf = await drawKeyCard({ walletLabel: record.label, userEncryptedPrv: record.keys.user.encryptedPrv, backupEncryptedPrv: record.keys.backup.encryptedPrv, ...(bitgo ? { bitgoXpub: bitgo } : {}), createdAt: now });
      files.push({ name: bitgo ? `${slug}.keycard-with-bitgo.pdf` : `${slug}.keycard.pdf`, data: pdf });
      // The ceremony file and the phase-1 public export go out with the first KeyCard, unless already written.
      if (!this.#view.saved.includes(`${slug}.ceremony.json`)) files.push({ name: `${slug}.ceremony.json`, data: serializeRecord(record) });
      if (!this.#view.saved.includes(`${slug}.public.json`)) files.push({ name: `${slug}.public.json`, data: `${JSON.stringify(publicExport(record), null, 2)}\n` });
      for (const f of files) written.push(writeOnDrive(drive, f.name, f.data));
      this.#view = { ...this.#view, saved: [...this.#view.saved, ...written.map((w) => w.name)] };
      this.deps.audit.record({ type: 'ceremony-step', step: 'keycard', outcome: 'done', label: record.label, xpubs: [record.keys.user.xpub, record.keys.backup.xpub, ...(bitgo ? [bitgo] : [])], files: written });
      return { drive: drive.label, files: written, boxes: bitgo ? ['A', 'B', 'C'] : ['A', 'B'] };
    } catch (e) {
      this.deps.audit.record({ type: 'ceremony-step', step: 'keycard', outcome: 'failed', ...(record ? { label: record.label } : {}), code: (e as { code?: string }).code ?? 'internal_error', ...(written.length ? { files: written } : {}) });
      throw e;
    }
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
      const file = writeOnDrive(drive, name, `${JSON.stringify(exp, null, 2)}\n`, 0o644);
      this.#view = { ...this.#view, saved: [...this.#view.saved, file.name] };
      if (keySignatures && exp.walletId !== undefined) this.#signed = { walletId: exp.walletId, bitgoXpub: exp.xpubs.bitgo!, keySignatures };
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
  async reencrypt(input: ReencryptInput & { box: string }): Promise<CeremonyReencryptView> {
    return this.#reencrypt(input, () => parseEncryptedKey(input.box, 'the key pasted'), (envelope, fingerprint, stamp) => ({ name: `key-${fingerprint}.reencrypted-${stamp}.json`, data: `${envelope}\n` }));
  }

  /**
   * Issue 15 item 5 for a wallet of the open key store, as `ceremony reencrypt --keys` does: its entry opened with
   * the old passphrase, encrypted under the new one and opened again, then written as a NEW key file on the drive,
   * `keys-<walletId>.reencrypted-<time>.json` in Express's format holding that wallet only (the app keeps the open
   * key file parsed, not its bytes, and other wallets' keys have no business on this drive); mode 0600, never over
   * a file. The open key file is not touched.
   */
  async reencryptKeyFileEntry(input: ReencryptInput & { walletId: string }): Promise<CeremonyReencryptView> {
    return this.#reencrypt(
      input,
      () => {
        if (!this.deps.keyStoreEntry) throw new CeremonyError('no key store is open; open a key file first', 'key_store_not_open');
        return this.deps.keyStoreEntry(input.walletId);
      },
      (envelope, _fingerprint, stamp) => {
        const name = `keys-${input.walletId}.reencrypted-${stamp}.json`;
        const data = keyFileText([[input.walletId, envelope]]);
        parseKeyFile(data, name); // the new key file reads as one, before it is written
        return { name, data };
      },
      input.walletId,
    );
  }

  async #reencrypt(input: ReencryptInput, envelopeOf: () => ParsedEnvelope, fileOf: (envelope: string, fingerprint: string, stamp: string) => { name: string; data: string }, walletId?: string): Promise<CeremonyReencryptView> {
    return auditedStep(
      this.deps.audit,
      'reencrypt',
      async () => {
        checkNewPassphrase(input.newPassphrase, input.newPassphraseAgain, { allowWeak: input.allowWeak });
        const envelope = envelopeOf();
        const drive = this.deps.drive(input.driveId);
        const choice = envelopeFor(input.envelope, this.deps);
        this.deps.progress?.({ step: `opening the key, encrypting it as v${input.envelope} and opening it again`, done: 0, total: 1 });
        const open = () => reencryptKey(envelope, input.passphrase, input.newPassphrase, choice, walletId !== undefined ? `wallet ${walletId}'s key` : 'the key pasted');
        const result = walletId !== undefined && this.deps.keyStoreAttempt ? await this.deps.keyStoreAttempt(walletId, open) : await open();
        const fingerprint = Buffer.from(parsePublishedXpub(result.xpub, 'the key').fingerprint).toString('hex');
        const out = fileOf(result.envelope, fingerprint, fileStamp(deskNow(this.deps)));
        const file = writeOnDrive(drive, out.name, out.data);
        return { drive: drive.label, file, xpub: result.xpub, fingerprint, envelope: input.envelope, ...(walletId !== undefined ? { walletId } : {}) };
      },
      (r) => ({ xpubs: [r.xpub], files: [r.file] }),
    );
  }

  /**
   * Issue 15 item 1, the two-laptop check on the second laptop (`ceremony check`): the first laptop's dice and its
   * exported computer entropy give the xpubs again, nothing encrypted or kept; compared with the xpubs typed from
   * the first laptop's screen. A mismatch is an answer (MISMATCH), not an error: one laptop lied.
   */
  async check(input: { dice: string; computerEntropy: string; user: string; backup: string }): Promise<CeremonyCheckView> {
    let typed: { user: string; backup: string } | undefined;
    return auditedStep(
      this.deps.audit,
      'check',
      async () => {
        typed = { user: parsePublishedXpub(input.user, "the first laptop's user xpub").neutered().toBase58(), backup: parsePublishedXpub(input.backup, "the first laptop's backup xpub").neutered().toBase58() };
        const operator = diceEntropy(input.dice);
        const computer = parseComputerEntropy(input.computerEntropy);
        try {
          const xpubs = xpubsFor(computer, operator);
          const user = xpubs.user === typed.user;
          const backup = xpubs.backup === typed.backup;
          return { xpubs, user, backup, match: user && backup, dice: { rolls: operator.rolls ?? 0, sha256: Buffer.from(operator.sha256).toString('hex') } };
        } finally {
          computer.fill(0);
          operator.sha256.fill(0);
        }
      },
      (r) => ({ outcome: r.match ? 'match' : 'mismatch', xpubs: [r.xpubs.user, r.xpubs.backup, ...(r.match ? [] : [typed!.user, typed!.backup])] }),
    );
  }

  /** The computer entropy of the ceremony just run, for the second laptop (as `create --export-computer-entropy`). */
  async saveComputerEntropy(driveId: string): Promise<{ drive: string; file: string }> {
    return auditedStep(
      this.deps.audit,
      'entropy-export',
      async () => {
        const record = this.#record;
        if (!record || !this.#entropy) throw new CeremonyError('there is no computer entropy to export: create the keys first (step 2)', 'ceremony_step_invalid');
        const drive = this.deps.drive(driveId);
        // Secret (with the dice it rebuilds both keys): no hash of it in the audit, only its name.
        const file = writeOnDrive(drive, `${slugOf(record.label)}.computer-entropy.txt`, `${formatComputerEntropy(this.#entropy.computer)}\n`);
        return { drive: drive.label, file: file.name };
      },
      () => ({ label: this.#record!.label }),
    );
  }

  /**
   * Issue 15 item 7, the new wallet into the open key store's registry ("how": "ceremony"), as `ceremony export
   * --keys` does: from the last public export with BitGo's key and the wallet id, whose keySignatures the user key
   * made when it was opened with the wallet passphrase (the registry verifies them again). The operator confirms by
   * typing the wallet id shown. The key file is not changed here.
   */
  async register(confirmWalletId: string): Promise<RegistryView> {
    const record = this.#record;
    const signed = this.#signed;
    return auditedStep(
      this.deps.audit,
      'register',
      async () => {
        if (!record || !signed) throw new CeremonyError("there is no wallet to enter: save the public export with BitGo's xpub and the wallet id first", 'ceremony_step_invalid');
        if (confirmWalletId.trim() !== signed.walletId) throw new CeremonyError(`type the wallet id ${signed.walletId} exactly to enter it into the registry; nothing was entered`, 'registry_confirmation_mismatch');
        if (!this.deps.register) throw new CeremonyError('no key store is open; open a key file first', 'key_store_not_open');
        const view = this.deps.register((registry) => registerCeremonyWallet(registry, record, signed.walletId, signed.bitgoXpub, signed.keySignatures, deskNow(this.deps)));
        this.deps.audit.record({ type: 'wallet-registered', walletId: signed.walletId, coin: record.coin, how: 'ceremony', registry: view.sha256 });
        return view;
      },
      () => ({ label: record!.label, xpubs: [record!.keys.user.xpub, record!.keys.backup.xpub, signed!.bitgoXpub] }),
      record ? { label: record.label } : {},
    );
  }

  /**
   * Issue 15 item 2 in the app: the new wallet's user key as a key file in Express's format ({"<walletId>":
   * "<envelope>"}, the envelope the ceremony made, unchanged), onto a drive for the signer that will hold it (this
   * app's "Open a key file…", or Express's --signerFileSystemPath). A new file, mode 0600, never over one; parsed by
   * the key store's own reader before it is written. Needs the wallet id, so after the public export with BitGo's xpub.
   */
  async saveKeyFile(driveId: string): Promise<{ drive: string; file: { name: string; sha256: string }; walletId: string }> {
    const record = this.#record;
    const signed = this.#signed;
    return auditedStep(
      this.deps.audit,
      'key-file',
      async () => {
        if (!record || !signed) throw new CeremonyError("there is no wallet id for the key file yet: save the public export with BitGo's xpub and the wallet id first", 'ceremony_step_invalid');
        const name = `${slugOf(record.label)}.keys.json`;
        const text = keyFileText([[signed.walletId, record.keys.user.encryptedPrv]]);
        parseKeyFile(text, name);
        const drive = this.deps.drive(driveId);
        return { drive: drive.label, file: writeOnDrive(drive, name, text), walletId: signed.walletId };
      },
      (r) => ({ label: record!.label, xpubs: [record!.keys.user.xpub], files: [r.file] }),
      record ? { label: record.label } : {},
    );
  }

  /** Issue 15 item 6: `ceremony verify-shards` (BitGo's verifyShards) on a pasted shard file, one password per shard. */
  async verifyShards(input: { shards: string; passwords: string[]; publishedXpub?: string | undefined }): Promise<CeremonyShardsVerifyView> {
    try {
      const set = parseShardSet(input.shards.trim(), 'the shard file pasted');
      if (input.passwords.length !== set.n) throw new CeremonyError(`the shard file has ${set.n} shards: give one password for each (got ${input.passwords.length})`, 'passphrase_missing');
      this.deps.progress?.({ step: `opening ${set.n} shards and combining every ${set.m}-of-${set.n} set`, done: 0, total: 1 });
      const r = await verifyShards(set, input.passwords, input.publishedXpub).catch(asShardError);
      this.deps.audit.record({ type: 'ceremony-step', step: 'verify-shards', outcome: 'done', xpubs: [r.xpub] });
      return { xpub: r.xpub, m: r.m, n: r.n, combinations: r.combinations };
    } catch (e) {
      this.deps.audit.record({ type: 'ceremony-step', step: 'verify-shards', outcome: 'failed', code: (e as { code?: string }).code ?? 'internal_error' });
      throw e;
    }
  }
}
