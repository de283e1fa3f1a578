// `ceremony create --shard`, `verify-shards`, `recombine` and `reshard`: a key's seed in BitGo's splitSecret shards
// (README "Key ceremony"). Each shard's password comes from CEREMONY_SHARD_<i>_PASSPHRASE or a terminal, never argv;
// new files only, never over an existing one.
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { encryptVerified } from '../ceremony/create';
import { CeremonyError } from '../ceremony/errors';
import { writeNewFile } from '../ceremony/files';
import { fileFact } from '../ceremony/journal';
import { parsePublishedXpub } from '../ceremony/keys';
import { parseShardSet, recombineShards, reshard, serializeShardSet, verifyShards, type ShardSet } from '../ceremony/shards';
import { EXIT_OK, UsageError, printJson, readInputFile, type CliContext } from './io';
import { envelopeChoice, need, newPassphrase, str, type Journal, type Values } from './ceremony-input';

/** `--shard user|backup --shards <m>-of-<n>`: which new key to split at create, and how. */
export function shardOptions(values: Values): { role: 'user' | 'backup'; m: number; n: number } | undefined {
  const role = str(values, 'shard');
  const spec = str(values, 'shards');
  if (role === undefined && spec === undefined) return undefined;
  if (role !== 'user' && role !== 'backup') throw new UsageError('ceremony create: --shard must be user or backup (the key whose seed is split)');
  const m = /^(\d{1,3})-of-(\d{1,3})$/.exec(spec ?? '');
  if (!m) throw new UsageError('ceremony create: --shards must say <m>-of-<n>, e.g. 2-of-3');
  return { role, m: Number(m[1]), n: Number(m[2]) };
}

function readShards(path: string): ShardSet {
  return parseShardSet(readInputFile(path, 'shard file', 4 * 1024 * 1024).toString('utf8'), basename(path));
}

/** Each shard's password: CEREMONY_SHARD_<i>_PASSPHRASE, else typed; with `mayBeAbsent`, empty means that holder is absent. */
async function shardPasswords(ctx: CliContext, set: ShardSet, mayBeAbsent: boolean): Promise<(string | undefined)[]> {
  const out: (string | undefined)[] = [];
  for (let i = 1; i <= set.n; i++) {
    const env = `CEREMONY_SHARD_${i}_PASSPHRASE`;
    const fromEnv = ctx.env[env];
    if (fromEnv !== undefined && fromEnv !== '') out.push(fromEnv);
    else if (ctx.prompt) {
      const typed = await ctx.prompt(`Password of shard ${i} of ${set.n}${mayBeAbsent ? ' (empty: its holder is not here)' : ''} (not shown): `);
      out.push(typed === '' ? undefined : typed);
    } else out.push(undefined);
  }
  if (!mayBeAbsent) {
    const missing = out.flatMap((p, i) => (p === undefined ? [i + 1] : []));
    if (missing.length > 0) throw new CeremonyError(`verifying needs every shard's password; none for shard ${missing.join(', ')} (type them, or set CEREMONY_SHARD_<i>_PASSPHRASE)`, 'passphrase_missing');
  }
  return out;
}

export async function verifyShardsStep(values: Values, ctx: CliContext, journal: Journal): Promise<number> {
  const path = need(values, 'verify-shards', 'shards');
  const set = readShards(path);
  const xpub = str(values, 'xpub');
  if (xpub !== undefined) parsePublishedXpub(xpub, '--xpub');
  const passwords = (await shardPasswords(ctx, set, false)) as string[];
  ctx.stderr.write(`Opening ${set.n} shards and combining every ${set.m} of them...\n`);
  const result = await verifyShards(set, passwords, xpub);
  journal({ outcome: 'done', xpubs: [result.xpub], files: [fileFact(path, readInputFile(path, 'shard file', 4 * 1024 * 1024))] });
  if (values.json) printJson(ctx, result);
  else ctx.stdout.write(`VERIFIED\nAll ${result.combinations} combinations of ${result.m} of the ${result.n} shards rebuild the same key, ${result.xpub}${xpub !== undefined ? ' (the published xpub)' : ''}.\n`);
  return EXIT_OK;
}

export async function recombine(values: Values, ctx: CliContext, journal: Journal): Promise<number> {
  const path = need(values, 'recombine', 'shards');
  const out = need(values, 'recombine', 'out');
  if (existsSync(out)) throw new CeremonyError(`${out} already exists; it was left untouched (the rebuilt key goes to a new file)`, 'ceremony_step_invalid');
  const set = readShards(path);
  const choice = envelopeChoice(values);
  const passwords = await shardPasswords(ctx, set, true);
  const given = passwords.filter((p) => p !== undefined).length;
  if (given < set.m) throw new CeremonyError(`${set.m} shards are needed to rebuild the key, ${given} passwords were given`, 'passphrase_missing');
  const fresh = await newPassphrase(ctx, 'CEREMONY_NEW_PASSPHRASE', 'passphrase for the rebuilt key', values['danger-weak-passphrase'] === true);
  ctx.stderr.write(`Rebuilding the key from ${given} shards, then encrypting it (${choice.version === 2 ? 'Argon2id, a few seconds' : 'PBKDF2'}) and opening it again to check...\n`);
  const envelope = await recombineShards(set, passwords, (node) => encryptVerified(node.toBase58(), fresh, choice));
  writeNewFile(out, `${envelope}\n`);
  journal({ outcome: 'done', xpubs: [set.xpub], files: [fileFact(out, `${envelope}\n`)] });
  if (values.json) printJson(ctx, { written: out, xpub: set.xpub, envelope: choice.version, shardsUsed: given });
  else ctx.stdout.write(`Rebuilt the key ${set.xpub} from ${given} of ${set.n} shards and wrote it, encrypted (v${choice.version}), to ${out}: a KeyCard box or key file entry for \`ceremony audit --box\`.\n`);
  return EXIT_OK;
}

export async function reshardStep(values: Values, ctx: CliContext, journal: Journal): Promise<number> {
  const path = need(values, 'reshard', 'shards');
  const out = need(values, 'reshard', 'out');
  const into = /^(\d{1,3})-of-(\d{1,3})$/.exec(need(values, 'reshard', 'into'));
  if (!into) throw new UsageError('ceremony reshard: --into must say <m>-of-<n>, e.g. 3-of-5');
  if (existsSync(out)) throw new CeremonyError(`${out} already exists; it was left untouched (the new shards go to a new file)`, 'ceremony_step_invalid');
  const set = readShards(path);
  const [m, n] = [Number(into[1]), Number(into[2])];
  const passwords = await shardPasswords(ctx, set, true);
  const given = passwords.filter((p) => p !== undefined).length;
  if (given < set.m) throw new CeremonyError(`${set.m} shards are needed to rebuild the key, ${given} passwords were given`, 'passphrase_missing');
  const allowWeak = values['danger-weak-passphrase'] === true;
  const fresh: string[] = [];
  for (let i = 1; i <= n; i++) fresh.push(await newPassphrase(ctx, `CEREMONY_NEW_SHARD_${i}_PASSPHRASE`, `password of new shard ${i} of ${n} (its holder's)`, allowWeak));
  ctx.stderr.write(`Rebuilding the key from ${given} shards, splitting it ${m}-of-${n} and verifying every combination...\n`);
  const next = await reshard(set, passwords, fresh, m);
  const text = serializeShardSet(next);
  writeNewFile(out, text);
  journal({ outcome: 'done', xpubs: [next.xpub], files: [fileFact(out, text)] });
  if (values.json) printJson(ctx, { written: out, xpub: next.xpub, m: next.m, n: next.n });
  else ctx.stdout.write(`New ${m}-of-${n} shards of ${next.xpub} written to ${out} (every combination verified). ${path} is unchanged: destroy the old shards once the new ones are with their holders.\n`);
  return EXIT_OK;
}
