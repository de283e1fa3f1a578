// Shards in the app (issue 15 item 6; README "Key ceremony"): making a key's m-of-n shards from the ceremony just
// run, rebuilding the key from m holders (recombine) and regenerating the shards (reshard), with the cores the
// command line uses (electron/ceremony/shards.ts: BitGo's splitSecret format, every m-of-n combination verified
// before a file is written). The holders' passwords and the new passphrase enter main through the contract's
// shard channels and are never returned; what comes back is the shard set's public facts and the file names.
import type { CeremonyRecombineView, CeremonyShardsView } from '../../shared/contract';
import { checkNewPassphrase, encryptVerified } from '../ceremony/create';
import type { KeyRole } from '../ceremony/entropy';
import { CeremonyError } from '../ceremony/errors';
import { parsePublishedXpub } from '../ceremony/keys';
import { slugOf } from '../ceremony/record';
import { parseShardSet, recombineShards, reshard, serializeShardSet, splitSeed, type ShardSet } from '../ceremony/shards';
import { auditedStep, deskNow, envelopeFor, fileStamp, writeOnDrive, type DeskBaseDeps } from './ceremony-steps';

export interface ShardDeskDeps extends DeskBaseDeps {
  /**
   * The ceremony just run: its label, a role's xpub, and its seed lent to `use` (wiped after); undefined when no
   * ceremony has run in this session. BitGo shards the seed, not the xprv, so shards are made only from here.
   */
  ceremony: () => { label: string; xpub: (role: KeyRole) => string; withSeed: <T>(role: KeyRole, use: (seed: Uint8Array) => Promise<T>) => Promise<T> } | undefined;
}

/** Each holder's password typed twice, under the create step's strength rule; the failure names the shard. */
function holderPasswords(passwords: readonly string[], again: readonly string[], allowWeak: boolean): string[] {
  if (again.length !== passwords.length) throw new CeremonyError(`each of the ${passwords.length} holders types their password twice; ${again.length} repeats came`, 'passphrase_mismatch');
  passwords.forEach((p, i) => {
    try {
      checkNewPassphrase(p, again[i]!, { allowWeak });
    } catch (e) {
      throw new CeremonyError(`shard ${i + 1}: ${(e as Error).message}`, (e as CeremonyError).code!);
    }
  });
  return [...passwords];
}

/** The shard file pasted and its holders' passwords (empty: that holder is absent), m of them at least. */
function openedSet(text: string, passwords: readonly string[]): { set: ShardSet; given: (string | undefined)[]; count: number } {
  const set = parseShardSet(text.trim(), 'the shard file pasted');
  if (passwords.length !== set.n) throw new CeremonyError(`the shard file has ${set.n} shards: give one password field for each, empty for an absent holder (got ${passwords.length})`, 'passphrase_missing');
  const given = passwords.map((p) => (p === '' ? undefined : p));
  const count = given.filter((p) => p !== undefined).length;
  if (count < set.m) throw new CeremonyError(`${set.m} shards are needed to rebuild the key, ${count} passwords were given`, 'passphrase_missing');
  return { set, given, count };
}

/** The core says wallet_passphrase_incorrect (its words speak of a wallet); here it is one holder's shard, named. */
export function asShardError(e: unknown): never {
  throw (e as { code?: string }).code === 'wallet_passphrase_incorrect' ? new CeremonyError((e as Error).message, 'shard_password_incorrect') : e;
}

export class ShardDesk {
  constructor(private readonly deps: ShardDeskDeps) {}

  /** Splits a key of the ceremony just run into m-of-n shards, verified, into `<slug>.<role>.shards.json`. */
  async create(input: { driveId: string; role: KeyRole; m: number; passwords: string[]; passwordsAgain: string[]; allowWeak: boolean }): Promise<CeremonyShardsView> {
    const ceremony = this.deps.ceremony();
    return auditedStep(
      this.deps.audit,
      'shards',
      async () => {
        if (!ceremony) throw new CeremonyError('there is no key to split: create the keys first (step 2); a KeyCard box holds the private key, not the seed BitGo shards', 'ceremony_step_invalid');
        const passwords = holderPasswords(input.passwords, input.passwordsAgain, input.allowWeak);
        const drive = this.deps.drive(input.driveId);
        this.deps.progress?.({ step: `Splitting the ${input.role} key into ${input.m}-of-${passwords.length} shards and verifying every combination`, done: 0, total: 1 });
        const set = await ceremony.withSeed(input.role, (seed) => splitSeed(seed, passwords, input.m));
        if (set.xpub !== ceremony.xpub(input.role)) throw new CeremonyError(`the ${input.role} key's shards rebuild another key; nothing was written`, 'shards_inconsistent');
        const file = writeOnDrive(drive, `${slugOf(ceremony.label)}.${input.role}.shards.json`, serializeShardSet(set));
        return { drive: drive.label, file, xpub: set.xpub, m: set.m, n: set.n, role: input.role };
      },
      (r) => ({ label: ceremony!.label, xpubs: [r.xpub], files: [r.file] }),
      ceremony ? { label: ceremony.label } : {},
    );
  }

  /** Rebuilds the key from m holders, refused unless it is the file's xpub, encrypted under a new passphrase. */
  async recombine(input: { driveId: string; shards: string; passwords: string[]; newPassphrase: string; newPassphraseAgain: string; allowWeak: boolean; envelope: 1 | 2 }): Promise<CeremonyRecombineView> {
    return auditedStep(
      this.deps.audit,
      'recombine',
      async () => {
        const { set, given, count } = openedSet(input.shards, input.passwords);
        checkNewPassphrase(input.newPassphrase, input.newPassphraseAgain, { allowWeak: input.allowWeak });
        const drive = this.deps.drive(input.driveId);
        const choice = envelopeFor(input.envelope, this.deps);
        this.deps.progress?.({ step: `Rebuilding the key from ${count} shards, encrypting it as v${input.envelope} and opening it again`, done: 0, total: 1 });
        const envelope = await recombineShards(set, given, (node) => encryptVerified(node.toBase58(), input.newPassphrase, choice)).catch(asShardError);
        const fingerprint = Buffer.from(parsePublishedXpub(set.xpub, 'the key').fingerprint).toString('hex');
        const file = writeOnDrive(drive, `key-${fingerprint}.recombined-${fileStamp(deskNow(this.deps))}.json`, `${envelope}\n`);
        return { drive: drive.label, file, xpub: set.xpub, fingerprint, shardsUsed: count, envelope: input.envelope };
      },
      (r) => ({ xpubs: [r.xpub], files: [r.file] }),
    );
  }

  /** m old holders -> m'-of-n' new shards of the same key, verified, into a new file; the old file is untouched. */
  async reshard(input: { driveId: string; shards: string; passwords: string[]; m: number; newPasswords: string[]; newPasswordsAgain: string[]; allowWeak: boolean }): Promise<CeremonyShardsView> {
    return auditedStep(
      this.deps.audit,
      'reshard',
      async () => {
        const { set, given, count } = openedSet(input.shards, input.passwords);
        const fresh = holderPasswords(input.newPasswords, input.newPasswordsAgain, input.allowWeak);
        const drive = this.deps.drive(input.driveId);
        this.deps.progress?.({ step: `Rebuilding the key from ${count} shards, splitting it ${input.m}-of-${fresh.length} and verifying every combination`, done: 0, total: 1 });
        const next = await reshard(set, given, fresh, input.m).catch(asShardError);
        const fingerprint = Buffer.from(parsePublishedXpub(next.xpub, 'the key').fingerprint).toString('hex');
        const file = writeOnDrive(drive, `key-${fingerprint}.shards-${next.m}-of-${next.n}-${fileStamp(deskNow(this.deps))}.json`, serializeShardSet(next));
        return { drive: drive.label, file, xpub: next.xpub, m: next.m, n: next.n };
      },
      (r) => ({ xpubs: [r.xpub], files: [r.file] }),
    );
  }
}
