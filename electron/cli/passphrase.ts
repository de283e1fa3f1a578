// Wallet passphrases for the command-line signer, the way BitGo Express external-signer mode takes them:
// from WALLET_<walletId>_PASSPHRASE, or (an addition) a no-echo prompt when stdin is a terminal.
import { SignerError } from '../../shared/errors';
import type { CliContext } from './io';

export class PromptAbortedError extends SignerError {
  constructor() {
    super('PromptAborted', 'passphrase entry was cancelled', 'prompt_cancelled');
  }
}

export function passphraseVariable(walletId: string): string {
  return `WALLET_${walletId}_PASSPHRASE`;
}

/** Express's exact message (cases/error-missing-env), name "Error"; the code is this project's addition. */
export class PassphraseNotInEnvironmentError extends SignerError {
  constructor(walletId: string) {
    super('Error', `Could not find wallet passphrase ${passphraseVariable(walletId)} in environment`, 'wallet_passphrase_missing');
  }
}

/** The passphrase from the environment; an empty value counts as missing (BitGo refuses empty passphrases). */
export function passphraseFromEnv(walletId: string, env: CliContext['env']): string | undefined {
  const value = env[passphraseVariable(walletId)];
  return value === undefined || value === '' ? undefined : value;
}

/** Environment first, then a no-echo prompt when interactive; otherwise Express's missing-variable error. */
export async function resolvePassphrase(walletId: string, ctx: CliContext): Promise<string> {
  const fromEnv = passphraseFromEnv(walletId, ctx.env);
  if (fromEnv !== undefined) return fromEnv;
  if (ctx.prompt) {
    const typed = await ctx.prompt(`Passphrase for wallet ${walletId} (${passphraseVariable(walletId)} is not set): `);
    if (typed !== '') return typed;
  }
  throw new PassphraseNotInEnvironmentError(walletId);
}

/**
 * Reads one line from the terminal without echoing it (raw mode, so nothing is shown, not even asterisks:
 * an over-the-shoulder observer learns nothing about the length). Ctrl-C or Ctrl-D aborts.
 */
export function promptHidden(question: string): Promise<string> {
  const stdin = process.stdin;
  return new Promise((resolve, reject) => {
    process.stderr.write(question);
    const wasRaw = stdin.isRaw;
    stdin.setRawMode?.(true);
    stdin.resume();
    let typed = '';
    const done = (err?: Error) => {
      stdin.off('data', onData);
      stdin.setRawMode?.(wasRaw);
      stdin.pause();
      process.stderr.write('\n');
      if (err) reject(err);
      else resolve(typed);
      typed = '';
    };
    const onData = (chunk: Buffer) => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return done();
        if (ch === '\u0003' || ch === '\u0004') return done(new PromptAbortedError());
        if (ch === '\u007f' || ch === '\b') typed = [...typed].slice(0, -1).join('');
        else if (ch >= ' ') typed += ch;
      }
    };
    stdin.on('data', onData);
  });
}
