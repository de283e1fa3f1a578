// `registry list | add | remove`: the wallet registry file (registry/registry.ts) from the command line. `add`
// checks the user xpub against the key file (the wallet is unlocked with its passphrase, as `keys check` does)
// and BitGo's keySignatures when given, then writes the registry atomically; every run prints its sha256, to
// compare with a second copy.
import { basename } from 'node:path';
import { COINS, type AddedHow, type Coin, type RegisteredWallet } from '../../shared/registry';
import { findWallet, readKeyFile } from '../keystore/keyfile';
import { Vault } from '../keystore/vault';
import { textFile } from '../output/text-file';
import { emptyRegistry, parseRegistry, registryView, RegistryError, serializeRegistry, withoutWallet, withWallet, type Registry } from '../registry/registry';
import { checkPublicKey, hmacSecretFromFile, pinJwtKey, setAuthPolicy, unpinJwtKey } from '../registry/auth-policy';
import { AUTH_REQUIREMENTS, type AuthRequirement } from '../../shared/registry';
import { isRegisteredUserKey } from '../registry/enforce';
import { EXIT_FAILED, EXIT_OK, UsageError, readInputFile, parseCommandArgs, printJson, type CliContext } from './io';
import { resolvePassphrase } from './passphrase';

function readRegistry(path: string, mayBeMissing: boolean): Registry {
  const text = textFile(path).read();
  if (text === undefined) {
    if (mayBeMissing) return emptyRegistry(basename(path));
    throw new RegistryError(`the wallet registry ${basename(path)} does not exist`, 'registry_invalid');
  }
  return parseRegistry(text, basename(path));
}

function save(path: string, registry: Registry): Registry {
  const text = serializeRegistry(registry);
  textFile(path).write(text);
  return parseRegistry(text, basename(path));
}

async function add(values: Record<string, string | boolean | undefined>, ctx: CliContext): Promise<Registry> {
  const need = (k: string) => {
    const v = values[k];
    if (typeof v !== 'string' || v === '') throw new UsageError(`registry add: --${k} is required`);
    return v;
  };
  const path = need('registry');
  const walletId = need('wallet');
  const coin = need('coin');
  if (!(COINS as readonly string[]).includes(coin)) throw new UsageError(`registry add: --coin must be one of ${COINS.join(', ')}`);
  const xpubs = need('xpubs').split(',').map((x) => x.trim());
  if (xpubs.length !== 3) throw new UsageError('registry add: --xpubs takes three comma-separated xpubs: user,backup,bitgo');
  const sigs = typeof values['key-signatures'] === 'string' ? values['key-signatures'].split(',').map((x) => x.trim()) : undefined;
  if (sigs !== undefined && sigs.length !== 2) throw new UsageError('registry add: --key-signatures takes two comma-separated hex signatures: backup,bitgo');
  const how = (values.how as string | undefined) ?? 'cli';
  if (!['keycard', 'wallet-export', 'ceremony', 'cli'].includes(how)) throw new UsageError('registry add: --how must be keycard, wallet-export, ceremony or cli');
  const seed = typeof values['derivation-seed'] === 'string' ? values['derivation-seed'] : undefined;
  const wallet: RegisteredWallet = {
    walletId,
    label: (values.label as string | undefined) ?? walletId,
    coin: coin as Coin,
    xpubs: { user: xpubs[0]!, backup: xpubs[1]!, bitgo: xpubs[2]! },
    ...(sigs ? { keySignatures: { backupPub: sigs[0]!, bitgoPub: sigs[1]! } } : {}),
    ...(seed !== undefined ? { derivationSeed: seed } : {}),
    added: { at: new Date().toISOString(), how: how as AddedHow },
  };
  const registry = withWallet(readRegistry(path, true), wallet); // every check of the entry, before any passphrase
  // The user xpub must be the key file's key for this wallet: unlock it and compare.
  const keyFile = readKeyFile(need('keys'));
  const vault = new Vault({ idleMs: 0 });
  try {
    await vault.unlock(findWallet(keyFile, walletId), await resolvePassphrase(walletId, ctx));
    if (!isRegisteredUserKey(registry.wallets.get(walletId)!, vault.signingXpub(walletId, seed))) {
      throw new RegistryError(`wallet ${walletId}: the user xpub given is not the key file's key for this wallet${seed === undefined ? ' (a derivationSeed wallet registers the key its requests derive: give --derivation-seed)' : ' at that derivationSeed'}; nothing was registered`, 'registry_user_key_mismatch');
    }
  } finally {
    vault.lockAll();
  }
  return save(path, registry);
}

/**
 * `pin-key`: reads an RSA public key (PEM, or a JWK JSON file), checks it (2048 bits or more) and prints its RFC 7638
 * thumbprint; it is pinned only when --fingerprint repeats that thumbprint as read from the sender's second copy.
 */
async function pinKey(values: Record<string, string | boolean | undefined>, ctx: CliContext): Promise<Registry | undefined> {
  const keyPath = values.key;
  if (typeof keyPath !== 'string') throw new UsageError('registry pin-key: --key <public.pem | key.jwk.json> is required');
  const { source, pinned } = await checkPublicKey(readInputFile(keyPath, 'public key', 64 * 1024).toString('utf8'));
  ctx.stderr.write(`key ${pinned.fingerprint} (RSA ${pinned.bits} bits, RFC 7638 SHA-256 thumbprint)\n`);
  if (values.fingerprint !== pinned.fingerprint) {
    ctx.stderr.write('not pinned: compare this thumbprint with the sender\'s copy, then run again with --fingerprint=<thumbprint> (with "=": a thumbprint may start with "-")\n');
    return undefined;
  }
  return pinJwtKey(readRegistry(values.registry as string, false), values.wallet as string, source, pinned.fingerprint, new Date());
}

/** `set-policy`: requireAuthenticatedRequests, maxAgeSeconds and the HMAC secret's sha256 (read from a file, never stored). */
function setPolicy(values: Record<string, string | boolean | undefined>): Registry {
  const req = values.require;
  if (req !== undefined && req !== 'none' && !(AUTH_REQUIREMENTS as readonly unknown[]).includes(req)) throw new UsageError('registry set-policy: --require must be jwt, hmac, either or none');
  const maxAge = values['max-age'] !== undefined ? Number(values['max-age']) : undefined;
  if (maxAge !== undefined && !(Number.isInteger(maxAge) && maxAge > 0)) throw new UsageError('registry set-policy: --max-age takes a whole number of seconds');
  const secretFile = values['hmac-secret'];
  const secretSha = typeof secretFile === 'string' ? hmacSecretFromFile(readInputFile(secretFile, 'HMAC secret file', 1024 * 1024).toString('utf8'), basename(secretFile), values.wallet as string).sha256 : undefined;
  return setAuthPolicy(readRegistry(values.registry as string, false), values.wallet as string, {
    ...(req !== undefined ? { require: req as AuthRequirement | 'none' } : {}),
    ...(maxAge !== undefined ? { maxAgeSeconds: maxAge } : {}),
    ...(secretSha !== undefined ? { hmacSecretSha256: secretSha } : {}),
  });
}

export async function runRegistry(args: string[], ctx: CliContext): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'list' && sub !== 'add' && sub !== 'remove' && sub !== 'pin-key' && sub !== 'unpin-key' && sub !== 'set-policy') throw new UsageError(`registry: expected "list", "add", "remove", "pin-key", "unpin-key" or "set-policy", got ${sub === undefined ? 'nothing' : JSON.stringify(sub)} (see --help)`);
  const { values, positionals } = parseCommandArgs(`registry ${sub}`, rest, {
    registry: { type: 'string' },
    wallet: { type: 'string' },
    coin: { type: 'string' },
    xpubs: { type: 'string' },
    keys: { type: 'string' },
    'derivation-seed': { type: 'string' },
    label: { type: 'string' },
    'key-signatures': { type: 'string' },
    how: { type: 'string' },
    key: { type: 'string' },
    fingerprint: { type: 'string' },
    require: { type: 'string' },
    'max-age': { type: 'string' },
    'hmac-secret': { type: 'string' },
    json: { type: 'boolean', default: false },
  });
  if (positionals.length > 0) throw new UsageError(`registry ${sub}: unexpected argument ${JSON.stringify(positionals[0])}`);
  if (values.registry === undefined) throw new UsageError(`registry ${sub}: --registry <file> is required`);
  let registry: Registry;
  if ((sub === 'pin-key' || sub === 'unpin-key' || sub === 'set-policy') && values.wallet === undefined) throw new UsageError(`registry ${sub}: --wallet <id> is required`);
  if (sub === 'pin-key') {
    const pinned = await pinKey(values, ctx);
    if (!pinned) return EXIT_FAILED;
    registry = save(values.registry, pinned);
  } else if (sub === 'unpin-key') {
    if (typeof values.fingerprint !== 'string') throw new UsageError('registry unpin-key: --fingerprint=<thumbprint> is required (with "=": a thumbprint may start with "-")');
    registry = save(values.registry, unpinJwtKey(readRegistry(values.registry, false), values.wallet!, values.fingerprint));
  } else if (sub === 'set-policy') registry = save(values.registry, setPolicy(values));
  else if (sub === 'add') registry = await add(values, ctx);
  else if (sub === 'remove') {
    if (values.wallet === undefined) throw new UsageError('registry remove: --wallet <id> is required');
    registry = save(values.registry, withoutWallet(readRegistry(values.registry, false), values.wallet));
  } else registry = readRegistry(values.registry, false);
  const view = registryView(registry);
  if (values.json) printJson(ctx, view);
  else {
    ctx.stdout.write(`${view.name}: ${view.wallets.length} wallet${view.wallets.length === 1 ? '' : 's'}, sha256 ${view.sha256}\n`);
    for (const w of view.wallets) {
      ctx.stdout.write(`  ${w.walletId}  "${w.label}"  ${w.coin}  user ${w.fingerprints.user} backup ${w.fingerprints.backup} bitgo ${w.fingerprints.bitgo}  added ${w.added.at} (${w.added.how})${w.keySignatures ? '  keySignatures verified' : ''}\n`);
      if (w.problem) ctx.stdout.write(`    REFUSED: ${w.problem.error}\n`);
    }
  }
  return EXIT_OK;
}
