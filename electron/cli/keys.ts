// `keys list` and `keys check`: inspect a BitGo key file and prove each wallet's passphrase opens it.
import { toErrorData, type ErrorData } from '../../shared/errors';
import { findWallet, listKeyFile, readKeyFile, type KeyFileWalletInfo } from '../keystore/keyfile';
import { Vault } from '../keystore/vault';
import { EXIT_FAILED, EXIT_OK, UsageError, parseCommandArgs, printJson, type CliContext, type Command } from './io';
import { passphraseVariable, resolvePassphrase } from './passphrase';

const HELP = `Usage:
  offline-signer keys list  --keys <file> [--json]
  offline-signer keys check --keys <file> [--json] [walletId ...]

keys list    Lists the wallets in a BitGo key file (the file BitGo Express reads with
             --signerFileSystemPath): wallet id, envelope version and key-derivation
             parameters. Needs no passphrase and shows nothing secret.
keys check   Unlocks each wallet (all of them, or the ids given) and prints the wallet
             key's xpub and fingerprint, so an operator can compare them with BitGo's
             records before a ceremony or a signing session.
             Passphrases come from WALLET_<walletId>_PASSPHRASE, as with BitGo Express
             (an empty value counts as missing); when stdin is a terminal, a missing
             one is asked for without echo.

Options:
  --keys <file>   the key file (required)
  --json          machine-readable output

Exit status: 0 all good; 1 the file is invalid or any wallet failed to unlock
(each failure is listed with its error); 2 usage error.
`;

function describe(w: KeyFileWalletInfo): string {
  const e = w.envelope;
  return e.version === 1
    ? `v1  ${e.kdf} ${e.iterations} iterations, ${e.cipher}, ${e.tagBits}-bit tag`
    : `v2  ${e.kdf} m=${e.memoryKiB} KiB t=${e.passes} p=${e.parallelism}, ${e.cipher}`;
}

type CheckResult = { walletId: string; ok: true; xpub: string; fingerprint: string } | { walletId: string; ok: false; error: ErrorData };

async function run(args: string[], ctx: CliContext): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'list' && sub !== 'check') throw new UsageError(`keys: expected "list" or "check", got ${sub === undefined ? 'nothing' : JSON.stringify(sub)} (see --help)`);
  const { values, positionals } = parseCommandArgs(`keys ${sub}`, rest, {
    keys: { type: 'string' },
    json: { type: 'boolean', default: false },
  });
  if (values.keys === undefined) throw new UsageError(`keys ${sub}: --keys <file> is required`);
  const keyFile = readKeyFile(values.keys);

  if (sub === 'list') {
    if (positionals.length > 0) throw new UsageError(`keys list: unexpected argument ${JSON.stringify(positionals[0])}`);
    const wallets = listKeyFile(keyFile);
    if (values.json) printJson(ctx, { keyFile: keyFile.source, wallets: wallets.map((w) => ({ ...w, passphraseVariable: passphraseVariable(w.walletId) })) });
    else {
      ctx.stdout.write(`${keyFile.source}: ${wallets.length} wallet${wallets.length === 1 ? '' : 's'}\n`);
      for (const w of wallets) ctx.stdout.write(`  ${w.walletId}  ${describe(w)}\n`);
    }
    return EXIT_OK;
  }

  const ids = positionals.length > 0 ? positionals : keyFile.wallets.map((w) => w.walletId);
  const vault = new Vault({ idleMs: 0 });
  const results: CheckResult[] = [];
  for (const walletId of ids) {
    try {
      const entry = findWallet(keyFile, walletId);
      const info = await vault.unlock(entry, await resolvePassphrase(walletId, ctx));
      vault.lock(walletId);
      results.push({ walletId, ok: true, xpub: info.xpub, fingerprint: info.fingerprint });
    } catch (e) {
      results.push({ walletId, ok: false, error: toErrorData(e) });
    }
    if (!values.json) {
      const r = results[results.length - 1]!;
      ctx.stdout.write(r.ok ? `ok      ${r.walletId}  fingerprint ${r.fingerprint}  ${r.xpub}\n` : `FAILED  ${r.walletId}  ${r.error.name}: ${r.error.error}\n`);
    }
  }
  vault.lockAll();
  const failed = results.filter((r) => !r.ok).length;
  if (values.json) printJson(ctx, { keyFile: keyFile.source, ok: failed === 0, wallets: results });
  else ctx.stdout.write(`${results.length - failed} unlocked, ${failed} failed\n`);
  return failed === 0 ? EXIT_OK : EXIT_FAILED;
}

export const keysCommand: Command = {
  name: 'keys',
  summary: 'list the wallets of a key file, or check that their passphrases unlock them',
  help: HELP,
  run,
};
