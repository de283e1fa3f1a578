// `keys list` and `keys check`: inspect a BitGo key file and prove each wallet's passphrase opens it.
import { toErrorData, type ErrorData } from '../../shared/errors';
import { findWallet, listKeyFile, readKeyFile, type KeyFileWalletInfo } from '../keystore/keyfile';
import { Vault } from '../keystore/vault';
import { EXIT_FAILED, EXIT_OK, UsageError, parseCommandArgs, printJson, type CliContext } from './io';
import { passphraseVariable, resolvePassphrase } from './passphrase';

function describe(w: KeyFileWalletInfo): string {
  const e = w.envelope;
  return e.version === 1
    ? `v1  ${e.kdf} ${e.iterations} iterations, ${e.cipher}, ${e.tagBits}-bit tag`
    : `v2  ${e.kdf} m=${e.memoryKiB} KiB t=${e.passes} p=${e.parallelism}, ${e.cipher}`;
}

type CheckResult = { walletId: string; ok: true; xpub: string; fingerprint: string } | { walletId: string; ok: false; error: ErrorData };

/** `offline-signer keys` (its --help text is in help.ts). */
export async function runKeys(args: string[], ctx: CliContext): Promise<number> {
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
