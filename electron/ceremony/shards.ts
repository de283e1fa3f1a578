// Key shards (issue 15 item 6) in BitGo's format, so that BitGo's SDK reconstitutes and verifies ours and we read
// BitGo's (BitGoJS sdk-api src/bitgoAPI.ts: splitSecret, reconstituteSecret, verifyShards):
//   - what is shared is the key's BIP32 seed as hex; the key is BIP32.fromSeed(seed) (BitGo: HDNode.fromSeedHex),
//     so a shard set can only be made while the seed exists: when the key is created (create.ts);
//   - Shamir's scheme is secrets.js-grempe's share(seedHex, n, m), the library BitGo calls, with its defaults:
//     GF(2^8), each share "8" + a two-hex-digit id + the data in hex, the secret padded to a multiple of 128 bits;
//   - each share is encrypted with its holder's own password by bitgo.encrypt (the v1 SJCL envelope);
//   - the set is what splitSecret returns: { xpub, m, n, seedShares }, the shares in id order.
// verifyShards is BitGo's rule: every m-of-n combination of the opened shares combines to the same seed, and that
// seed's xpub is the set's. A split is verified that way here before it is returned, so a bad split is never kept.
//
// Secrets: the seed and the opened shares are hex strings inside secrets.js (it works on strings), which JavaScript
// cannot wipe (README "Memory hygiene"); the seed bytes and the rebuilt key we hold are wiped after use.
import type { BIP32Interface } from 'bip32';
import secrets from 'secrets.js-grempe';
import { IncorrectPasswordError } from '../../shared/errors';
import { XPUB_TEXT } from '../../shared/registry';
import * as s from '../../shared/schema';
import { decryptEnvelope, parseEnvelope } from '../keystore/envelope';
import { parseJsonStrict } from '../util/json';
import { encryptVerified, type EnvelopeChoice } from './create';
import { CeremonyError } from './errors';
import { keyFromSeed, wipeKey } from './keys';

export const SHARD_SET_FORMAT_NOTE = 'BitGo splitSecret: { xpub, m, n, seedShares }';
/** Every m-of-n combination is combined to verify a set; beyond this many that would take minutes. */
export const MAX_COMBINATIONS = 20_000;
/** BitGo's shares are encrypted with bitgo.encrypt: the v1 (SJCL) envelope. */
export const SHARD_ENVELOPE: EnvelopeChoice = { version: 1 };

export interface ShardSet {
  xpub: string;
  m: number;
  n: number;
  /** One envelope (JSON string) per share, in share id order (1..n). */
  seedShares: string[];
}

const SHARE_TEXT = /^8[0-9a-f]{2}[0-9a-f]+$/;

function binomial(n: number, k: number): number {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return Math.round(r);
}

/** Every k-element subset of 0..n-1, in lexicographic order (the order BitGo's generateCombinations makes). */
export function combinations(n: number, k: number): number[][] {
  const out: number[][] = [];
  const pick = (start: number, chosen: number[]) => {
    if (chosen.length === k) {
      out.push(chosen);
      return;
    }
    for (let i = start; i < n; i++) pick(i + 1, [...chosen, i]);
  };
  pick(0, []);
  return out;
}

export function checkThreshold(m: number, n: number): void {
  if (!Number.isSafeInteger(m) || !Number.isSafeInteger(n) || m < 2 || m > n || n > 255) {
    throw new CeremonyError(`${m}-of-${n} is not a shard split: it needs 2 <= m <= n <= 255`, 'shard_threshold_invalid');
  }
  if (binomial(n, m) > MAX_COMBINATIONS) {
    throw new CeremonyError(`${m}-of-${n} has ${binomial(n, m)} combinations to verify, more than ${MAX_COMBINATIONS}; choose fewer shards`, 'shard_threshold_invalid');
  }
}

function initSecrets(): void {
  // secrets.js keeps its field size and generator in module state; BitGo uses the defaults.
  secrets.init(8, 'nodeCryptoRandomBytes');
}

function combineHex(shares: string[]): string {
  initSecrets();
  return secrets.combine(shares);
}

function xpubOfSeedHex(seedHex: string): string {
  const seed = Buffer.from(seedHex, 'hex');
  const node = keyFromSeed(seed);
  seed.fill(0);
  try {
    return node.neutered().toBase58();
  } finally {
    wipeKey(node);
  }
}

/** An opened share must be one of secrets.js's 8-bit shares; its id says which one it is. */
function shareId(share: string, what: string): number {
  if (!SHARE_TEXT.test(share)) throw new CeremonyError(`${what} opened, but is not a share in BitGo's format (secrets.js, 8 bits)`, 'shard_invalid');
  return parseInt(share.slice(1, 3), 16);
}

/**
 * Splits a seed into n shares, any m of which rebuild it, each encrypted with its own password (passwords[i] for
 * share i+1). The split is verified before it is returned: every m-of-n combination rebuilds the seed, and every
 * envelope opens to its share.
 */
export async function splitSeed(seed: Uint8Array, passwords: readonly string[], m: number, choice: EnvelopeChoice = SHARD_ENVELOPE): Promise<ShardSet> {
  const n = passwords.length;
  checkThreshold(m, n);
  passwords.forEach((p, i) => {
    if (p.length === 0) throw new CeremonyError(`the password of shard ${i + 1} is empty`, 'passphrase_weak');
  });
  const seedHex = Buffer.from(seed).toString('hex');
  initSecrets();
  const shares = secrets.share(seedHex, n, m);
  for (const combo of combinations(n, m)) {
    if (combineHex(combo.map((i) => shares[i]!)) !== seedHex) throw new CeremonyError(`shards ${combo.map((i) => i + 1).join(', ')} did not rebuild the key; nothing was kept`, 'shards_inconsistent');
  }
  const seedShares: string[] = [];
  for (const [i, share] of shares.entries()) seedShares.push(await encryptVerified(share, passwords[i]!, choice));
  return { xpub: xpubOfSeedHex(seedHex), m, n, seedShares };
}

const SET = s.object({
  xpub: XPUB_TEXT,
  m: s.number({ min: 2, max: 255, integer: true }),
  n: s.number({ min: 2, max: 255, integer: true }),
  seedShares: s.array(s.string({ min: 10, max: 16_384 }), { min: 2, max: 255 }),
});

export function parseShardSet(text: string, name: string): ShardSet {
  const json = parseJsonStrict(text.replace(/^\uFEFF/, ''));
  if ('syntax' in json) throw new CeremonyError(`${name} is not valid JSON; it is not a shard file or it is damaged`, 'shard_invalid');
  if ('duplicate' in json) throw new CeremonyError(`${name} gives ${json.duplicate.key} twice; refusing to guess which is meant`, 'shard_invalid');
  const set = s.parseWith(SET, json.value, (e) => new CeremonyError(`${name}: ${e.path || 'the file'}: ${e.reason}`, 'shard_invalid'));
  checkThreshold(set.m, set.n);
  if (set.seedShares.length !== set.n) throw new CeremonyError(`${name}: n is ${set.n} but it holds ${set.seedShares.length} shares`, 'shard_invalid');
  set.seedShares.forEach((env, i) => {
    try {
      parseEnvelope(env, `${name}: shard ${i + 1}`);
    } catch (e) {
      throw new CeremonyError(`${name}: shard ${i + 1} is not a BitGo envelope (${e instanceof Error ? e.message : 'unreadable'})`, 'shard_invalid');
    }
  });
  return set;
}

export function serializeShardSet(set: ShardSet): string {
  return `${JSON.stringify({ xpub: set.xpub, m: set.m, n: set.n, seedShares: set.seedShares }, null, 2)}\n`;
}

/** Opens the shards whose password is given (undefined: that holder is absent); a wrong password names its shard. */
async function openShares(set: ShardSet, passwords: readonly (string | undefined)[]): Promise<{ index: number; share: string }[]> {
  if (passwords.length !== set.n) throw new CeremonyError(`${set.n} passwords were expected (one per shard, empty for an absent one), got ${passwords.length}`, 'shard_invalid');
  const opened: { index: number; share: string }[] = [];
  const ids = new Set<number>();
  for (const [i, password] of passwords.entries()) {
    if (password === undefined || password === '') continue;
    const what = `shard ${i + 1}`;
    let share: string;
    try {
      share = (await decryptEnvelope(set.seedShares[i]!, password, what)).trim();
    } catch (e) {
      // The envelope's own error says "wallet passphrase" and no shard: say which shard's password failed.
      if (e instanceof IncorrectPasswordError) throw new CeremonyError(`the password given for ${what} does not open it`, 'wallet_passphrase_incorrect');
      throw e;
    }
    const id = shareId(share, what);
    if (ids.has(id)) throw new CeremonyError(`${what} is a copy of another shard (share id ${id})`, 'shards_inconsistent');
    ids.add(id);
    opened.push({ index: i, share });
  }
  return opened;
}

export interface VerifyResult {
  ok: true;
  xpub: string;
  m: number;
  n: number;
  /** How many m-of-n combinations were combined (all of them). */
  combinations: number;
}

/**
 * BitGo's verifyShards: every shard is opened with its password, every m-of-n combination combines to the same
 * seed, and that seed's xpub is the set's (and `publishedXpub`'s, when given). Throws shards_inconsistent naming the
 * first combination that differs.
 */
export async function verifyShards(set: ShardSet, passwords: readonly string[], publishedXpub?: string): Promise<VerifyResult> {
  checkThreshold(set.m, set.n);
  const opened = await openShares(set, passwords);
  if (opened.length !== set.n) throw new CeremonyError(`verifying needs every shard's password; ${set.n - opened.length} missing`, 'passphrase_missing');
  const want = publishedXpub?.trim() ?? set.xpub;
  if (want !== set.xpub) throw new CeremonyError(`the shard file's xpub is not the published one`, 'shards_inconsistent');
  const combos = combinations(set.n, set.m);
  let first: string | undefined;
  for (const combo of combos) {
    const seedHex = combineHex(combo.map((i) => opened[i]!.share));
    if (first === undefined) {
      first = seedHex;
      if (xpubOfSeedHex(seedHex) !== set.xpub) throw new CeremonyError(`shards ${combo.map((i) => i + 1).join(', ')} rebuild another key than the set's xpub`, 'shards_inconsistent');
    } else if (seedHex !== first) throw new CeremonyError(`shards ${combo.map((i) => i + 1).join(', ')} rebuild another key than shards ${combos[0]!.map((i) => i + 1).join(', ')}`, 'shards_inconsistent');
  }
  return { ok: true, xpub: set.xpub, m: set.m, n: set.n, combinations: combos.length };
}

/**
 * Rebuilds the key from at least m shards (passwords[i] for shard i+1; undefined or empty for an absent holder),
 * refuses it unless it is the set's xpub, and hands the key to `use` (wiped when it returns).
 */
export async function recombineShards<T>(set: ShardSet, passwords: readonly (string | undefined)[], use: (node: BIP32Interface) => T | Promise<T>): Promise<T> {
  return withRecombinedSeed(set, passwords, (_seed, node) => use(node));
}

/**
 * Regenerates a key's shards (BitGo's Offline Vault Console: "regenerate key shards"): the seed rebuilt from at
 * least m of the old shards (checked against the set's xpub) is split anew, m'-of-n' under the new holders'
 * passwords, and verified like any split. The new set has the same xpub; the old shares do not combine with it.
 */
export async function reshard(set: ShardSet, passwords: readonly (string | undefined)[], newPasswords: readonly string[], newM: number, choice: EnvelopeChoice = SHARD_ENVELOPE): Promise<ShardSet> {
  checkThreshold(newM, newPasswords.length);
  const next = await withRecombinedSeed(set, passwords, (seed) => splitSeed(seed, newPasswords, newM, choice));
  if (next.xpub !== set.xpub) throw new CeremonyError('the new shards rebuild another key than the old ones; nothing was kept', 'shards_inconsistent');
  return next;
}

async function withRecombinedSeed<T>(set: ShardSet, passwords: readonly (string | undefined)[], use: (seed: Uint8Array, node: BIP32Interface) => T | Promise<T>): Promise<T> {
  checkThreshold(set.m, set.n);
  const opened = await openShares(set, passwords);
  if (opened.length < set.m) throw new CeremonyError(`${set.m} shards are needed to rebuild the key, ${opened.length} were opened`, 'passphrase_missing');
  // Every m of the opened shards must agree, not only their union: a foreign shard among more than m is caught.
  let seedHex: string | undefined;
  for (const combo of combinations(opened.length, set.m)) {
    const got = combineHex(combo.map((i) => opened[i]!.share));
    if (seedHex === undefined) seedHex = got;
    else if (got !== seedHex) throw new CeremonyError(`shards ${combo.map((i) => opened[i]!.index + 1).join(', ')} rebuild another key than the others`, 'shards_inconsistent');
  }
  const seed = Buffer.from(seedHex!, 'hex');
  const node = keyFromSeed(seed);
  try {
    if (node.neutered().toBase58() !== set.xpub) throw new CeremonyError(`the shards rebuild another key than the set's xpub`, 'shards_inconsistent');
    return await use(seed, node);
  } finally {
    seed.fill(0);
    wipeKey(node);
  }
}
