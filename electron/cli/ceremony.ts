// `ceremony ...`: the key ceremony on the command line (README "Key ceremony"). Secrets never come from argv:
// passphrases, dice rolls and typed entropy come from a terminal without echo, or from environment variables for
// scripted runs (as WALLET_<id>_PASSPHRASE does for `sign`); the computer entropy of the two-laptop check comes
// from a file. Nothing secret is printed on stdout; the dice hash (for the operator to recompute) goes to stderr.
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { passphraseStrength } from '../../shared/passphrase-strength';
import { COINS, type Coin } from '../../shared/registry';
import { renderQrMatrix } from '../../shared/qr/image';
import { auditKey } from '../ceremony/audit-key';
import { checkNewPassphrase, createKeys, xpubsFor, type EnvelopeChoice } from '../ceremony/create';
import { diceEntropy, formatComputerEntropy, parseComputerEntropy, textEntropy, type OperatorEntropy } from '../ceremony/entropy';
import { CeremonyError } from '../ceremony/errors';
import { replaceKeepingOld, writeNewFile } from '../ceremony/files';
import { parseEncryptedKey } from '../ceremony/open-key';
import { parseRecord, serializeRecord, slugOf, type CeremonyRecord } from '../ceremony/record';
import { reencryptKey, withAddedEntry, withReplacedEntry } from '../ceremony/reencrypt';
import { runSelfTest } from '../ceremony/selftest';
import { publicExport, publicExportText, registerCeremonyWallet, signWalletKeys } from '../ceremony/wallet';
import { findWallet, parseKeyFile, readKeyFile } from '../keystore/keyfile';
import { emptyRegistry, parseRegistry, registryPathFor, serializeRegistry } from '../registry/registry';
import { textFile } from '../output/text-file';
import { EXIT_FAILED, EXIT_OK, UsageError, parseCommandArgs, printJson, readInputFile, type CliContext } from './io';
import { passphraseFromEnv } from './passphrase';

export const EXIT_MISMATCH = 3;


type Values = Record<string, string | boolean | undefined>;

function str(values: Values, key: string): string | undefined {
  const v = values[key];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function need(values: Values, sub: string, key: string): string {
  const v = str(values, key);
  if (v === undefined) throw new UsageError(`ceremony ${sub}: --${key} is required`);
  return v;
}

/** A secret from the environment, else typed on the terminal; never from argv. */
async function secret(ctx: CliContext, env: string, question: string, missing: () => Error): Promise<string> {
  const fromEnv = ctx.env[env];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  if (ctx.prompt) {
    const typed = await ctx.prompt(question);
    if (typed !== '') return typed;
  }
  throw missing();
}

/** A new passphrase: typed twice (or the variable, once), and checked by the strength rule. */
async function newPassphrase(ctx: CliContext, env: string, what: string, allowWeak: boolean): Promise<string> {
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

async function operatorEntropy(values: Values, ctx: CliContext): Promise<OperatorEntropy> {
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

function envelopeChoice(values: Values): EnvelopeChoice {
  const v = str(values, 'envelope') ?? 'v2';
  if (v !== 'v1' && v !== 'v2') throw new UsageError('ceremony: --envelope must be v2 (Argon2id, the default) or v1 (SJCL)');
  return { version: v === 'v1' ? 1 : 2 };
}

function readRecord(path: string): CeremonyRecord {
  return parseRecord(readInputFile(path, 'ceremony file', 1024 * 1024).toString('utf8'), basename(path));
}

const progress = (ctx: CliContext) => (step: string, done: number, total: number) => ctx.stderr.write(`[${done}/${total}] ${step}\n`);

/** A QR code drawn with Unicode half blocks, two modules a character row, with the 4-module quiet zone. */
export function terminalQr(text: string): string {
  const matrix = renderQrMatrix(text, 'low');
  const n = matrix.length + 8;
  const dark = (r: number, c: number) => r >= 4 && c >= 4 && r < n - 4 && c < n - 4 && matrix[r - 4]![c - 4] === true;
  const lines: string[] = [];
  for (let r = 0; r < n; r += 2) {
    let line = '';
    for (let c = 0; c < n; c++) {
      const top = dark(r, c);
      const bottom = r + 1 < n && dark(r + 1, c);
      // Light modules are drawn (the terminal's background may be dark): full block = both light.
      line += top ? (bottom ? ' ' : '▄') : bottom ? '▀' : '█';
    }
    lines.push(line);
  }
  return `${lines.join('\n')}\n`;
}

async function create(values: Values, ctx: CliContext): Promise<number> {
  const label = need(values, 'create', 'label');
  const coin = need(values, 'create', 'coin');
  if (!(COINS as readonly string[]).includes(coin)) throw new UsageError(`ceremony create: --coin must be one of ${COINS.join(', ')}`);
  const dir = need(values, 'create', 'out-dir');
  const slug = slugOf(label);
  const recordPath = join(dir, `${slug}.ceremony.json`);
  const publicPath = join(dir, `${slug}.public.json`);
  const entropyOut = str(values, 'export-computer-entropy');
  // Refuse before any secret is asked for: nothing is ever written over an existing file.
  for (const p of [recordPath, publicPath, ...(entropyOut ? [entropyOut] : [])]) {
    if (existsSync(p)) throw new CeremonyError(`${p} already exists; it was left untouched (choose another label or folder)`, 'ceremony_step_invalid');
  }
  const choice = envelopeChoice(values);
  const allowWeak = values['danger-weak-passphrase'] === true;
  const operator = await operatorEntropy(values, ctx);
  const passphrase = await newPassphrase(ctx, 'CEREMONY_PASSPHRASE', 'wallet passphrase (encrypts the user key)', allowWeak);
  const backupPassphrase = values['separate-backup-passphrase'] === true ? await newPassphrase(ctx, 'CEREMONY_BACKUP_PASSPHRASE', 'backup key passphrase', allowWeak) : undefined;
  const created = await createKeys({ label, coin: coin as Coin, operator, passphrase, ...(backupPassphrase !== undefined ? { backupPassphrase } : {}), envelope: choice, progress: progress(ctx) });
  try {
    writeNewFile(recordPath, serializeRecord(created.record));
    writeNewFile(publicPath, `${JSON.stringify(publicExport(created.record), null, 2)}\n`, 0o644);
    if (entropyOut) writeNewFile(entropyOut, `${formatComputerEntropy(created.computerEntropy)}\n`);
  } finally {
    created.computerEntropy.fill(0);
  }
  const out = {
    ceremonyFile: recordPath,
    publicFile: publicPath,
    ...(entropyOut ? { computerEntropyFile: entropyOut } : {}),
    xpubs: { user: created.record.keys.user.xpub, backup: created.record.keys.backup.xpub },
    envelope: choice.version,
    entropy: created.record.entropy,
    selfTest: created.selfTest,
  };
  if (values.json) printJson(ctx, out);
  else {
    ctx.stdout.write(`Created the user and backup keys of "${label}" (${coin}), envelope v${choice.version}.\n  user   ${out.xpubs.user}\n  backup ${out.xpubs.backup}\nWrote ${recordPath} and ${publicPath}${entropyOut ? ` and the computer entropy ${entropyOut} (destroy it after the two-laptop check)` : ''}.\n`);
  }
  return EXIT_OK;
}

async function check(values: Values, ctx: CliContext): Promise<number> {
  const file = need(values, 'check', 'computer-entropy');
  const computer = parseComputerEntropy(readInputFile(file, 'computer entropy', 4096).toString('utf8'));
  const operator = await operatorEntropy(values, ctx);
  try {
    const xpubs = xpubsFor(computer, operator);
    if (values.json) printJson(ctx, { xpubs });
    else ctx.stdout.write(`Compare with the first laptop, character by character:\n  user   ${xpubs.user}\n  backup ${xpubs.backup}\n`);
  } finally {
    computer.fill(0);
  }
  return EXIT_OK;
}

/** The passphrase of an existing key: the wallet's variable for a key file entry, else CEREMONY_KEY_PASSPHRASE, else typed. */
async function keyPassphrase(ctx: CliContext, what: string, walletId?: string): Promise<string> {
  if (walletId !== undefined) {
    const fromWallet = passphraseFromEnv(walletId, ctx.env);
    if (fromWallet !== undefined) return fromWallet;
  }
  return secret(ctx, 'CEREMONY_KEY_PASSPHRASE', `Passphrase of ${what} (not shown): `, () => new CeremonyError(`no passphrase for ${what}: type it on a terminal, or set ${walletId !== undefined ? `WALLET_${walletId}_PASSPHRASE or ` : ''}CEREMONY_KEY_PASSPHRASE`, 'passphrase_missing'));
}

async function exportStep(values: Values, ctx: CliContext): Promise<number> {
  const record = readRecord(need(values, 'export', 'ceremony'));
  const out = need(values, 'export', 'out');
  const bitgo = str(values, 'bitgo-xpub');
  const walletId = str(values, 'wallet-id');
  const keysPath = str(values, 'keys');
  if (walletId !== undefined && (bitgo === undefined || keysPath === undefined)) throw new UsageError('ceremony export: --wallet-id needs --bitgo-xpub and --keys');
  if (existsSync(out)) throw new CeremonyError(`${out} already exists; it was left untouched`, 'ceremony_step_invalid');
  // Everything that can be refused without the passphrase is refused first.
  let keyFileText: string | undefined;
  if (keysPath !== undefined && walletId !== undefined) {
    keyFileText = textFile(keysPath).read();
    if (keyFileText !== undefined) {
      parseKeyFile(keyFileText, basename(keysPath));
      if (values['update-key-file'] !== true) throw new UsageError(`ceremony export: ${keysPath} exists; add --update-key-file to add the wallet to it (its old bytes are kept beside it)`);
    }
    withAddedEntry(keyFileText, basename(keysPath), walletId, record.keys.user.encryptedPrv);
  }
  const registryPath = str(values, 'registry') ?? (keysPath !== undefined ? registryPathFor(keysPath) : undefined);
  const registryText = registryPath !== undefined && walletId !== undefined ? textFile(registryPath).read() : undefined;
  const registry = registryPath === undefined ? undefined : registryText === undefined ? emptyRegistry(basename(registryPath)) : parseRegistry(registryText, basename(registryPath));
  if (registry && walletId !== undefined && registry.wallets.has(walletId)) throw new CeremonyError(`wallet ${walletId} is already in ${registry.name}; nothing was written`, 'ceremony_step_invalid');

  const keySignatures = bitgo !== undefined ? await signWalletKeys(record, bitgo, await keyPassphrase(ctx, 'the user key (the wallet passphrase)')) : undefined;
  const exp = publicExport(record, { ...(bitgo !== undefined ? { bitgoXpub: bitgo } : {}), ...(keySignatures ? { keySignatures } : {}), ...(walletId !== undefined ? { walletId } : {}) });
  const written: string[] = [];
  writeNewFile(out, `${JSON.stringify(exp, null, 2)}\n`, 0o644);
  written.push(out);
  if (walletId !== undefined && keysPath !== undefined && bitgo !== undefined && keySignatures && registry && registryPath !== undefined) {
    const now = new Date();
    const next = registerCeremonyWallet(registry, record, walletId, bitgo, keySignatures, now);
    const keysNext = withAddedEntry(keyFileText, basename(keysPath), walletId, record.keys.user.encryptedPrv);
    parseKeyFile(keysNext, basename(keysPath));
    if (keyFileText === undefined) writeNewFile(keysPath, keysNext);
    else written.push(`${replaceKeepingOld(keysPath, keysNext, now)} (the old key file)`);
    written.push(keysPath);
    textFile(registryPath).write(serializeRegistry(next));
    written.push(registryPath);
  }
  if (values.json) printJson(ctx, { export: exp, written });
  else {
    ctx.stdout.write(`Public export of "${record.label}"${keySignatures ? ' with keySignatures' : ''}:\n${publicExportText(exp)}\nWrote ${written.join(', ')}.\n`);
    if (values.qr) ctx.stdout.write(terminalQr(publicExportText(exp)));
  }
  return EXIT_OK;
}

async function audit(values: Values, ctx: CliContext): Promise<number> {
  const xpub = need(values, 'audit', 'xpub');
  const box = str(values, 'box');
  const keys = str(values, 'keys');
  const ceremony = str(values, 'ceremony');
  if ([box, keys, ceremony].filter((x) => x !== undefined).length !== 1) throw new UsageError('ceremony audit: give one of --box <file>, --keys <file> --wallet <id>, --ceremony <file> --role user|backup');
  let envelope;
  let what: string;
  let walletId: string | undefined;
  if (box !== undefined) {
    what = `the box in ${basename(box)}`;
    envelope = parseEncryptedKey(readInputFile(box, 'KeyCard box', 1024 * 1024).toString('utf8'), what);
  } else if (keys !== undefined) {
    walletId = need(values, 'audit', 'wallet');
    what = `wallet ${walletId}'s key`;
    envelope = findWallet(readKeyFile(keys), walletId).envelope;
  } else {
    const role = need(values, 'audit', 'role');
    if (role !== 'user' && role !== 'backup') throw new UsageError('ceremony audit: --role must be user or backup');
    what = `the ${role} key`;
    envelope = parseEncryptedKey(readRecord(ceremony!).keys[role].encryptedPrv, what);
  }
  const result = await auditKey(envelope, await keyPassphrase(ctx, what, walletId), xpub, what);
  if (values.json) printJson(ctx, result);
  else {
    ctx.stdout.write(result.match ? `MATCH\n${what} is the published key (fingerprint ${result.fingerprint}).\n` : `MISMATCH\n${what} (fingerprint ${result.fingerprint}) is NOT the published key (fingerprint ${result.publishedFingerprint}).\n  decrypted  ${result.xpub}\n  published  ${xpub.trim()}\n`);
  }
  return result.match ? EXIT_OK : EXIT_MISMATCH;
}

async function reencrypt(values: Values, ctx: CliContext): Promise<number> {
  const out = need(values, 'reencrypt', 'out');
  const box = str(values, 'box');
  const keys = str(values, 'keys');
  if ((box === undefined) === (keys === undefined)) throw new UsageError('ceremony reencrypt: give --box <file> or --keys <file> --wallet <id>');
  if (existsSync(out)) throw new CeremonyError(`${out} already exists; it was left untouched (the re-encrypted key goes to a new file)`, 'ceremony_step_invalid');
  const choice = envelopeChoice(values);
  const allowWeak = values['danger-weak-passphrase'] === true;
  if (box !== undefined) {
    const what = `the box in ${basename(box)}`;
    const envelope = parseEncryptedKey(readInputFile(box, 'KeyCard box', 1024 * 1024).toString('utf8'), what);
    const old = await keyPassphrase(ctx, what);
    const fresh = await newPassphrase(ctx, 'CEREMONY_NEW_PASSPHRASE', 'passphrase for the key', allowWeak);
    ctx.stderr.write(`Re-encrypting (${choice.version === 2 ? 'Argon2id, a few seconds' : 'PBKDF2'}) and opening it again to check...\n`);
    const result = await reencryptKey(envelope, old, fresh, choice, what);
    writeNewFile(out, `${result.envelope}\n`);
    if (values.json) printJson(ctx, { written: out, xpub: result.xpub, envelope: choice.version });
    else ctx.stdout.write(`Re-encrypted ${what} (key ${result.xpub}) as v${choice.version}; wrote ${out}. The old box is unchanged.\n`);
    return EXIT_OK;
  }
  const walletId = need(values, 'reencrypt', 'wallet');
  const text = readInputFile(keys!, 'key file').toString('utf8');
  const entry = findWallet(parseKeyFile(text, basename(keys!)), walletId);
  const what = `wallet ${walletId}'s key`;
  const old = await keyPassphrase(ctx, what, walletId);
  const fresh = await newPassphrase(ctx, 'CEREMONY_NEW_PASSPHRASE', `new passphrase for wallet ${walletId}`, allowWeak);
  ctx.stderr.write(`Re-encrypting (${choice.version === 2 ? 'Argon2id, a few seconds' : 'PBKDF2'}) and opening it again to check...\n`);
  const result = await reencryptKey(entry.envelope, old, fresh, choice, what);
  const next = withReplacedEntry(text, basename(keys!), walletId, result.envelope);
  parseKeyFile(next, basename(out));
  writeNewFile(out, next);
  if (values.json) printJson(ctx, { written: out, walletId, xpub: result.xpub, envelope: choice.version });
  else ctx.stdout.write(`Re-encrypted wallet ${walletId} (key ${result.xpub}) as v${choice.version} into the new key file ${out}; every other entry is unchanged and ${keys} was not touched.\n`);
  return EXIT_OK;
}

function selftest(values: Values, ctx: CliContext): number {
  const report = runSelfTest();
  if (values.json) printJson(ctx, report);
  else {
    for (const c of report.checks) ctx.stdout.write(`${c.ok ? 'ok    ' : 'FAILED'}  ${c.name}: ${c.detail}\n`);
    ctx.stdout.write(report.ok ? 'Self-test passed.\n' : 'Self-test FAILED: run it once more; if it fails again, do not create keys on this computer.\n');
  }
  return report.ok ? EXIT_OK : EXIT_FAILED;
}

const SUBS = ['selftest', 'create', 'check', 'export', 'audit', 'reencrypt'] as const;

async function run(args: string[], ctx: CliContext): Promise<number> {
  const [sub, ...rest] = args;
  if (!(SUBS as readonly (string | undefined)[]).includes(sub)) throw new UsageError(`ceremony: expected one of ${SUBS.join(', ')}, got ${sub === undefined ? 'nothing' : JSON.stringify(sub)} (see --help)`);
  const { values, positionals } = parseCommandArgs(`ceremony ${sub}`, rest, {
    label: { type: 'string' },
    coin: { type: 'string' },
    'out-dir': { type: 'string' },
    out: { type: 'string' },
    entropy: { type: 'string' },
    'claimed-bits': { type: 'string' },
    envelope: { type: 'string' },
    'separate-backup-passphrase': { type: 'boolean', default: false },
    'export-computer-entropy': { type: 'string' },
    'computer-entropy': { type: 'string' },
    'danger-weak-passphrase': { type: 'boolean', default: false },
    ceremony: { type: 'string' },
    'bitgo-xpub': { type: 'string' },
    'wallet-id': { type: 'string' },
    keys: { type: 'string' },
    'update-key-file': { type: 'boolean', default: false },
    registry: { type: 'string' },
    box: { type: 'string' },
    wallet: { type: 'string' },
    role: { type: 'string' },
    xpub: { type: 'string' },
    qr: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  });
  if (positionals.length > 0) throw new UsageError(`ceremony ${sub}: unexpected argument ${JSON.stringify(positionals[0])}`);
  switch (sub) {
    case 'selftest':
      return selftest(values, ctx);
    case 'create':
      return create(values, ctx);
    case 'check':
      return check(values, ctx);
    case 'export':
      return exportStep(values, ctx);
    case 'audit':
      return audit(values, ctx);
    default:
      return reencrypt(values, ctx);
  }
}

export const runCeremony = run;

/** For tests: the README's section names the same subcommands. */
export const CEREMONY_SUBCOMMANDS = SUBS;
