// Creating a new wallet's user and backup keys (issue 15 items 1 and 2): self-test, mix the computer's and the
// operator's entropy (./entropy.ts), BIP32 keys from the seeds, each private key encrypted with the operator's
// passphrase (BitGo's v2 envelope by default, v1 on request) and decrypted again to prove the envelope opens to the
// same key before anything is kept. Seeds and private keys are wiped when done (best effort, README "Memory
// hygiene"); what comes out is public data and envelopes.
import { createHash } from 'node:crypto';
import { passphraseStrength } from '../../shared/passphrase-strength';
import type { Coin } from '../../shared/registry';
import { decryptEnvelope, encryptEnvelopeV1, encryptEnvelopeV2, type EncryptV2Options } from '../keystore/envelope';
import { toHex } from '../util/bytes';
import { freshComputerEntropy, KEY_ROLES, mixSeed, type KeyRole, type OperatorEntropy } from './entropy';
import { CeremonyError } from './errors';
import { keyFromSeed, wipeKey } from './keys';
import { RECORD_FORMAT, RECORD_VERSION, type CeremonyRecord } from './record';
import { requireSelfTest, type RandomSource, type SelfTestReport } from './selftest';
import { checkThreshold, splitSeed, type ShardSet } from './shards';

export type EnvelopeVersion = 1 | 2;

export interface EnvelopeChoice {
  version: EnvelopeVersion;
  /** v2 Argon2id cost; BitGo's defaults (m=64 MiB, t=3, p=4) when absent. Tests use cheaper ones. */
  v2?: Pick<EncryptV2Options, 'memoryKiB' | 'passes' | 'parallelism'>;
}

/** Checks a new passphrase: typed twice the same, and strong enough unless the operator overrode the rule. */
export function checkNewPassphrase(passphrase: string, repeated: string, opts: { allowWeak?: boolean } = {}): void {
  if (passphrase !== repeated) throw new CeremonyError('the two passphrases typed differ', 'passphrase_mismatch');
  if (passphrase.length === 0) throw new CeremonyError('the passphrase is empty', 'passphrase_weak');
  const strength = passphraseStrength(passphrase);
  if (strength.refused && !opts.allowWeak) {
    throw new CeremonyError(`the passphrase is ${strength.rating} (about ${strength.bits} bits: ${strength.notes.join('; ')}); choose a longer one, or override this rule explicitly`, 'passphrase_weak');
  }
}

/** Encrypts an xprv and proves the envelope opens to it again with the same passphrase before returning it. */
export async function encryptVerified(xprv: string, passphrase: string, choice: EnvelopeChoice): Promise<string> {
  const envelope = choice.version === 1 ? encryptEnvelopeV1(xprv, passphrase) : await encryptEnvelopeV2(xprv, passphrase, choice.v2 ?? {});
  const back = await decryptEnvelope(envelope, passphrase);
  if (back !== xprv) throw new CeremonyError('the new envelope did not decrypt back to the same key; nothing was kept', 'reencrypt_verify_failed');
  return envelope;
}

export interface CreateInput {
  label: string;
  coin: Coin;
  operator: OperatorEntropy;
  /** The user key's passphrase (BitGo: the wallet password). */
  passphrase: string;
  /** The backup key's, when it differs (BitGo encrypts both with the wallet password). */
  backupPassphrase?: string;
  envelope: EnvelopeChoice;
  /** For the two-laptop check's second run only; otherwise fresh from the OS. */
  computerEntropy?: Uint8Array;
  /** The self-test's source (tests inject a broken one). */
  rng?: RandomSource;
  now?: () => Date;
  /** Told before each slow step ("Encrypting the user key (Argon2id)"). */
  progress?: (step: string, done: number, total: number) => void;
  /**
   * Also split one key's seed into m-of-n shards in BitGo's format (./shards.ts), each under its holder's password.
   * Only here: the seed exists only while the key is made.
   */
  shard?: { role: KeyRole; m: number; passwords: readonly string[]; envelope?: EnvelopeChoice };
}

export interface Created {
  record: CeremonyRecord;
  selfTest: SelfTestReport;
  /** The computer entropy used, for the two-laptop check export; the caller shows or writes it once and wipes it. */
  computerEntropy: Uint8Array;
  /** The shard set of `input.shard.role`'s key, verified (every combination), when asked for. */
  shards?: ShardSet;
}

/** The two xpubs of a set of inputs, nothing encrypted or kept: the second laptop's side of the two-laptop check. */
export function xpubsFor(computer: Uint8Array, operator: OperatorEntropy): Record<KeyRole, string> {
  const out = {} as Record<KeyRole, string>;
  for (const role of KEY_ROLES) {
    const seed = mixSeed(computer, operator, role);
    const node = keyFromSeed(seed);
    seed.fill(0);
    out[role] = node.neutered().toBase58();
    wipeKey(node);
  }
  return out;
}

export async function createKeys(input: CreateInput): Promise<Created> {
  const total = 1 + KEY_ROLES.length + (input.shard ? 1 : 0);
  if (input.shard) checkThreshold(input.shard.m, input.shard.passwords.length);
  let shards: ShardSet | undefined;
  input.progress?.('Self-test of the random number generator and the key code', 0, total);
  const selfTest = requireSelfTest(input.rng);
  const computer = input.computerEntropy ? Uint8Array.from(input.computerEntropy) : freshComputerEntropy();
  const keys = {} as Record<KeyRole, { xpub: string; encryptedPrv: string }>;
  for (const [i, role] of KEY_ROLES.entries()) {
    const seed = mixSeed(computer, input.operator, role);
    const node = keyFromSeed(seed);
    try {
      if (input.shard?.role === role) {
        input.progress?.(`Splitting the ${role} key into ${input.shard.m}-of-${input.shard.passwords.length} shards and verifying every combination`, KEY_ROLES.length + 1, total);
        shards = await splitSeed(seed, input.shard.passwords, input.shard.m, input.shard.envelope);
        if (shards.xpub !== node.neutered().toBase58()) throw new CeremonyError(`the ${role} key's shards rebuild another key; nothing was kept`, 'shards_inconsistent');
      }
      seed.fill(0);
      input.progress?.(`Encrypting the ${role} key (${input.envelope.version === 2 ? 'Argon2id, a few seconds' : 'PBKDF2'})`, 1 + i, total);
      const passphrase = role === 'backup' && input.backupPassphrase !== undefined ? input.backupPassphrase : input.passphrase;
      keys[role] = { xpub: node.neutered().toBase58(), encryptedPrv: await encryptVerified(node.toBase58(), passphrase, input.envelope) };
    } finally {
      seed.fill(0);
      wipeKey(node);
    }
  }
  if (keys.user.xpub === keys.backup.xpub) throw new CeremonyError('the user and backup keys came out equal', 'rng_self_test_failed');
  input.progress?.('Done', total, total);
  const record: CeremonyRecord = {
    format: RECORD_FORMAT,
    version: RECORD_VERSION,
    createdAt: (input.now ?? (() => new Date()))().toISOString(),
    label: input.label,
    coin: input.coin,
    entropy: {
      operator: input.operator.kind,
      bits: input.operator.bits,
      ...(input.operator.rolls !== undefined ? { rolls: input.operator.rolls } : {}),
      mix: 'hmac-sha512-v1',
      computerEntropySha256: toHex(new Uint8Array(createHash('sha256').update(computer).digest())),
    },
    selfTest: { ok: true, checks: selfTest.checks.length },
    keys,
  };
  return { record, selfTest, computerEntropy: computer, ...(shards ? { shards } : {}) };
}
