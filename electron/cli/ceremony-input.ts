// The ceremony commands' inputs: option values, secrets (from a terminal without echo or a variable, never argv),
// new passphrases typed twice and checked, the operator's entropy, and the envelope choice. Shared by the ceremony
// steps in ceremony.ts and the shard steps in ceremony-shards.ts.
import { passphraseStrength } from '../../shared/passphrase-strength';
import { checkNewPassphrase, type EnvelopeChoice } from '../ceremony/create';
import { diceEntropy, textEntropy, type OperatorEntropy } from '../ceremony/entropy';
import { CeremonyError } from '../ceremony/errors';
import type { CeremonyStepEvent } from '../ceremony/journal';
import { UsageError, type CliContext } from './io';

export type Values = Record<string, string | boolean | undefined>;

export type StepNote = Omit<CeremonyStepEvent, 'type' | 'step'>;
/** Records the step's outcome in the ceremony's audit journal (ceremony/journal.ts). */
export type Journal = (note: StepNote) => void;

export function str(values: Values, key: string): string | undefined {
  const v = values[key];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

export function need(values: Values, sub: string, key: string): string {
  const v = str(values, key);
  if (v === undefined) throw new UsageError(`ceremony ${sub}: --${key} is required`);
  return v;
}

/** A secret from the environment, else typed on the terminal; never from argv. */
export async function secret(ctx: CliContext, env: string, question: string, missing: () => Error): Promise<string> {
  const fromEnv = ctx.env[env];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  if (ctx.prompt) {
    const typed = await ctx.prompt(question);
    if (typed !== '') return typed;
  }
  throw missing();
}

/** A new passphrase: typed twice (or the variable, once), and checked by the strength rule. */
export async function newPassphrase(ctx: CliContext, env: string, what: string, allowWeak: boolean): Promise<string> {
  const missing = () => new CeremonyError(`no ${what} was given: type it on a terminal, or set ${env}`, 'passphrase_missing');
  const fromEnv = ctx.env[env];
  let first: string;
  let second: string;
  if (fromEnv !== undefined && fromEnv !== '') {
    first = second = fromEnv;
  } else {
    first = await secret(ctx, env, `New ${what} (not shown): `, missing);
    const s = passphraseStrength(first);
    ctx.stderr.write(`Strength: ${s.rating}, about ${s.bits} bits${s.notes.length ? ` (${s.notes.join('; ')})` : ''}\n`);
    second = await secret(ctx, env, `Type the ${what} again: `, missing);
  }
  checkNewPassphrase(first, second, { allowWeak });
  return first;
}

export async function operatorEntropy(values: Values, ctx: CliContext): Promise<OperatorEntropy> {
  const kind = str(values, 'entropy') ?? 'dice';
  if (kind === 'dice') {
    const rolls = await secret(ctx, 'CEREMONY_DICE', 'Dice rolls, digits 1-6 (at least 99; not shown): ', () => new CeremonyError('no dice rolls were given: type them on a terminal, or set CEREMONY_DICE', 'entropy_insufficient'));
    const e = diceEntropy(rolls);
    ctx.stderr.write(`Dice: ${e.rolls} rolls, ${e.bits} bits. SHA-256 of the rolls (check with: printf %s <rolls> | sha256sum):\n  ${Buffer.from(e.sha256).toString('hex')}\n`);
    return e;
  }
  if (kind === 'text') {
    const bits = Number(str(values, 'claimed-bits') ?? NaN);
    if (!Number.isSafeInteger(bits)) throw new UsageError('ceremony: --entropy text needs --claimed-bits <n> (at least 256)');
    const text = await secret(ctx, 'CEREMONY_ENTROPY_TEXT', 'Entropy text (not shown): ', () => new CeremonyError('no entropy text was given: type it on a terminal, or set CEREMONY_ENTROPY_TEXT', 'entropy_insufficient'));
    const e = textEntropy(text, bits);
    ctx.stderr.write(`Text entropy, claimed ${e.bits} bits. SHA-256 of the text: ${Buffer.from(e.sha256).toString('hex')}\n`);
    return e;
  }
  throw new UsageError('ceremony: --entropy must be dice or text');
}

export function envelopeChoice(values: Values): EnvelopeChoice {
  const v = str(values, 'envelope') ?? 'v2';
  if (v !== 'v1' && v !== 'v2') throw new UsageError('ceremony: --envelope must be v2 (Argon2id, the default) or v1 (SJCL)');
  return { version: v === 'v1' ? 1 : 2 };
}
