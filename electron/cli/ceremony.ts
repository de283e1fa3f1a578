// `ceremony ...`: the key ceremony on the command line (README "Key ceremony"). Secrets never come from argv:
// passphrases, dice rolls and typed entropy come from a terminal without echo, or from environment variables for
// scripted runs (as WALLET_<id>_PASSPHRASE does for `sign`); the computer entropy of the two-laptop check comes
// from a file. Nothing secret is printed on stdout; the dice hash (for the operator to recompute) goes to stderr.
import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { COINS, type Coin } from '../../shared/registry';
import { renderQrMatrix } from '../../shared/qr/image';
import { auditKey } from '../ceremony/audit-key';
import { createKeys, xpubsFor } from '../ceremony/create';
import { formatComputerEntropy, parseComputerEntropy } from '../ceremony/entropy';
import { CeremonyError } from '../ceremony/errors';
import { replaceKeepingOld, writeNewFile } from '../ceremony/files';
import { appendJournal, fileFact, JOURNAL_NAME } from '../ceremony/journal';
import { drawKeyCard } from '../ceremony/keycard';
import { parsePublishedXpub } from '../ceremony/keys';
import { parseEncryptedKey, withRecordedKey } from '../ceremony/open-key';
import { parseRecord, serializeRecord, slugOf, type CeremonyRecord } from '../ceremony/record';
import { reencryptKey, withAddedEntry, withReplacedEntry } from '../ceremony/reencrypt';
import { runSelfTest } from '../ceremony/selftest';
import { serializeShardSet } from '../ceremony/shards';
import { publicExport, publicExportText, registerCeremonyWallet, signWalletKeys } from '../ceremony/wallet';
import { ceremonyPin, withCeremonyPin } from './ceremony-pin';
import { decryptEnvelope, encryptEnvelopeV1 } from '../keystore/envelope';
import { findWallet, parseKeyFile, readKeyFile } from '../keystore/keyfile';
import { emptyRegistry, parseRegistry, registryPathFor, serializeRegistry } from '../registry/registry';
import { textFile } from '../output/text-file';
import { EXIT_FAILED, EXIT_OK, UsageError, parseCommandArgs, printJson, readInputFile, type CliContext } from './io';
import { passphraseFromEnv } from './passphrase';
import { envelopeChoice, need, newPassphrase, operatorEntropy, secret, str, type Journal, type Values } from './ceremony-input';
import { recombine, reshardStep, shardOptions, verifyShardsStep } from './ceremony-shards';
import { receiptKeyStep } from './ceremony-receipt';

export const EXIT_MISMATCH = 3;

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

async function create(values: Values, ctx: CliContext, journal: Journal): Promise<number> {
  const label = need(values, 'create', 'label');
  const coin = need(values, 'create', 'coin');
  if (!(COINS as readonly string[]).includes(coin)) throw new UsageError(`ceremony create: --coin must be one of ${COINS.join(', ')}`);
  const dir = need(values, 'create', 'out-dir');
  const slug = slugOf(label);
  const recordPath = join(dir, `${slug}.ceremony.json`);
  const publicPath = join(dir, `${slug}.public.json`);
  const entropyOut = str(values, 'export-computer-entropy');
  const shardPlan = shardOptions(values);
  const shardsPath = shardPlan ? join(dir, `${slug}.${shardPlan.role}.shards.json`) : undefined;
  // Refuse before any secret is asked for: nothing is ever written over an existing file.
  for (const p of [recordPath, publicPath, ...(entropyOut ? [entropyOut] : []), ...(shardsPath ? [shardsPath] : [])]) {
    if (existsSync(p)) throw new CeremonyError(`${p} already exists; it was left untouched (choose another label or folder)`, 'ceremony_step_invalid');
  }
  const choice = envelopeChoice(values);
  const allowWeak = values['danger-weak-passphrase'] === true;
  const operator = await operatorEntropy(values, ctx);
  const passphrase = await newPassphrase(ctx, 'CEREMONY_PASSPHRASE', 'wallet passphrase (encrypts the user key)', allowWeak);
  const backupPassphrase = values['separate-backup-passphrase'] === true ? await newPassphrase(ctx, 'CEREMONY_BACKUP_PASSPHRASE', 'backup key passphrase', allowWeak) : undefined;
  const shardPasswords: string[] = [];
  if (shardPlan) {
    for (let i = 1; i <= shardPlan.n; i++) shardPasswords.push(await newPassphrase(ctx, `CEREMONY_SHARD_${i}_PASSPHRASE`, `password of shard ${i} of ${shardPlan.n} (its holder's)`, allowWeak));
  }
  const created = await createKeys({
    label,
    coin: coin as Coin,
    operator,
    passphrase,
    ...(backupPassphrase !== undefined ? { backupPassphrase } : {}),
    envelope: choice,
    progress: progress(ctx),
    ...(shardPlan ? { shard: { role: shardPlan.role, m: shardPlan.m, passwords: shardPasswords } } : {}),
  });
  const files: { name: string; sha256: string }[] = [];
  const write = (path: string, text: string, mode?: number) => {
    writeNewFile(path, text, mode);
    files.push(fileFact(path, text));
  };
  try {
    write(recordPath, serializeRecord(created.record));
    write(publicPath, `${JSON.stringify(publicExport(created.record), null, 2)}\n`, 0o644);
    if (shardsPath && created.shards) write(shardsPath, serializeShardSet(created.shards));
    if (entropyOut) writeNewFile(entropyOut, `${formatComputerEntropy(created.computerEntropy)}\n`); // secret: no hash of it in the journal
  } finally {
    created.computerEntropy.fill(0);
  }
  journal({ outcome: 'done', label, xpubs: [created.record.keys.user.xpub, created.record.keys.backup.xpub], files });
  const out = {
    ceremonyFile: recordPath,
    publicFile: publicPath,
    ...(entropyOut ? { computerEntropyFile: entropyOut } : {}),
    ...(shardsPath && created.shards ? { shardsFile: shardsPath, shards: { role: shardPlan!.role, m: created.shards.m, n: created.shards.n } } : {}),
    xpubs: { user: created.record.keys.user.xpub, backup: created.record.keys.backup.xpub },
    envelope: choice.version,
    entropy: created.record.entropy,
    selfTest: created.selfTest,
  };
  if (values.json) printJson(ctx, out);
  else {
    ctx.stdout.write(`Created the user and backup keys of "${label}" (${coin}), envelope v${choice.version}.\n  user   ${out.xpubs.user}\n  backup ${out.xpubs.backup}\nWrote ${recordPath} and ${publicPath}${shardsPath ? ` and the ${shardPlan!.role} key's ${shardPlan!.m}-of-${shardPlan!.n} shards ${shardsPath} (every combination verified)` : ''}${entropyOut ? ` and the computer entropy ${entropyOut} (destroy it after the two-laptop check)` : ''}.\n`);
  }
  return EXIT_OK;
}

async function check(values: Values, ctx: CliContext, journal: Journal): Promise<number> {
  const file = need(values, 'check', 'computer-entropy');
  const computer = parseComputerEntropy(readInputFile(file, 'computer entropy', 4096).toString('utf8'));
  const operator = await operatorEntropy(values, ctx);
  try {
    const xpubs = xpubsFor(computer, operator);
    journal({ outcome: 'done', xpubs: [xpubs.user, xpubs.backup] });
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

async function exportStep(values: Values, ctx: CliContext, journal: Journal): Promise<number> {
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
  const pin = await ceremonyPin(values, ctx);

  const keySignatures = bitgo !== undefined ? await signWalletKeys(record, bitgo, await keyPassphrase(ctx, 'the user key (the wallet passphrase)')) : undefined;
  const exp = publicExport(record, { ...(bitgo !== undefined ? { bitgoXpub: bitgo } : {}), ...(keySignatures ? { keySignatures } : {}), ...(walletId !== undefined ? { walletId } : {}) });
  const exportText = `${JSON.stringify(exp, null, 2)}\n`;
  const written: string[] = [];
  writeNewFile(out, exportText, 0o644);
  written.push(out);
  if (walletId !== undefined && keysPath !== undefined && bitgo !== undefined && keySignatures && registry && registryPath !== undefined) {
    const now = new Date();
    const registered = registerCeremonyWallet(registry, record, walletId, bitgo, keySignatures, now);
    const next = pin ? withCeremonyPin(registered, walletId, pin, now) : registered;
    const keysNext = withAddedEntry(keyFileText, basename(keysPath), walletId, record.keys.user.encryptedPrv);
    parseKeyFile(keysNext, basename(keysPath));
    if (keyFileText === undefined) writeNewFile(keysPath, keysNext);
    else written.push(`${replaceKeepingOld(keysPath, keysNext, now)} (the old key file)`);
    written.push(keysPath);
    textFile(registryPath).write(serializeRegistry(next));
    written.push(registryPath);
  }
  journal({ outcome: 'done', label: record.label, xpubs: [record.keys.user.xpub, record.keys.backup.xpub, ...(bitgo !== undefined ? [bitgo.trim()] : [])], files: [fileFact(out, exportText)] });
  if (values.json) printJson(ctx, { export: exp, written });
  else {
    ctx.stdout.write(`Public export of "${record.label}"${keySignatures ? ' with keySignatures' : ''}:\n${publicExportText(exp)}\nWrote ${written.join(', ')}.\n`);
    if (values.qr) ctx.stdout.write(terminalQr(publicExportText(exp)));
  }
  return EXIT_OK;
}

async function audit(values: Values, ctx: CliContext, journal: Journal): Promise<number> {
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
  journal({ outcome: result.match ? 'match' : 'mismatch', xpubs: [xpub.trim(), ...(result.match ? [] : [result.xpub])] });
  if (values.json) printJson(ctx, result);
  else {
    ctx.stdout.write(result.match ? `MATCH\n${what} is the published key (fingerprint ${result.fingerprint}).\n` : `MISMATCH\n${what} (fingerprint ${result.fingerprint}) is NOT the published key (fingerprint ${result.publishedFingerprint}).\n  decrypted  ${result.xpub}\n  published  ${xpub.trim()}\n`);
  }
  return result.match ? EXIT_OK : EXIT_MISMATCH;
}

async function reencrypt(values: Values, ctx: CliContext, journal: Journal): Promise<number> {
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
    journal({ outcome: 'done', xpubs: [result.xpub], files: [fileFact(out, `${result.envelope}\n`)] });
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
  journal({ outcome: 'done', xpubs: [result.xpub], files: [fileFact(out, next)] });
  if (values.json) printJson(ctx, { written: out, walletId, xpub: result.xpub, envelope: choice.version });
  else ctx.stdout.write(`Re-encrypted wallet ${walletId} (key ${result.xpub}) as v${choice.version} into the new key file ${out}; every other entry is unchanged and ${keys} was not touched.\n`);
  return EXIT_OK;
}

function selftest(values: Values, ctx: CliContext, journal: Journal): number {
  const report = runSelfTest();
  journal({ outcome: report.ok ? 'done' : 'failed', ...(report.ok ? {} : { code: 'rng_self_test_failed' }) });
  if (values.json) printJson(ctx, report);
  else {
    for (const c of report.checks) ctx.stdout.write(`${c.ok ? 'ok    ' : 'FAILED'}  ${c.name}: ${c.detail}\n`);
    ctx.stdout.write(report.ok ? 'Self-test passed.\n' : 'Self-test FAILED: run it once more; if it fails again, do not create keys on this computer.\n');
  }
  return report.ok ? EXIT_OK : EXIT_FAILED;
}
async function keycard(values: Values, ctx: CliContext, journal: Journal): Promise<number> {
  const recordPath = need(values, 'keycard', 'ceremony');
  const record = readRecord(recordPath);
  const out = need(values, 'keycard', 'out');
  if (existsSync(out)) throw new CeremonyError(`${out} already exists; it was left untouched`, 'ceremony_step_invalid');
  const bitgo = str(values, 'bitgo-xpub')?.trim();
  if (bitgo !== undefined) {
    parsePublishedXpub(bitgo, '--bitgo-xpub');
    if (bitgo === record.keys.user.xpub || bitgo === record.keys.backup.xpub) throw new CeremonyError('the BitGo xpub given is this wallet\'s user or backup key', 'ceremony_xpub_reused');
  }
  let encryptedWalletPassword: string | undefined;
  if (values['password-box'] === true) {
    // Box D as BitGo's generateQrData makes it: the wallet password encrypted (bitgo.encrypt, v1) with the passcode
    // encryption code BitGo gave. The password is first proven to be the wallet's: it must open box A.
    const password = await keyPassphrase(ctx, 'the user key (the wallet passphrase)');
    await withRecordedKey(record.keys.user.encryptedPrv, password, record.keys.user.xpub, 'the user key', () => undefined);
    const code = await secret(ctx, 'CEREMONY_PASSCODE_ENCRYPTION_CODE', "BitGo's passcode encryption code (not shown): ", () => new CeremonyError('no passcode encryption code: type it on a terminal, or set CEREMONY_PASSCODE_ENCRYPTION_CODE', 'passphrase_missing'));
    encryptedWalletPassword = encryptEnvelopeV1(password, code);
    if ((await decryptEnvelope(encryptedWalletPassword, code)) !== password) throw new CeremonyError('box D did not decrypt back to the wallet password; nothing was written', 'reencrypt_verify_failed');
  }
  const pdf = await drawKeyCard({
    walletLabel: record.label,
    userEncryptedPrv: record.keys.user.encryptedPrv,
    backupEncryptedPrv: record.keys.backup.encryptedPrv,
    ...(bitgo !== undefined ? { bitgoXpub: bitgo } : {}),
    ...(encryptedWalletPassword !== undefined ? { encryptedWalletPassword } : {}),
    createdAt: new Date(),
  });
  writeNewFile(out, pdf);
  const fact = fileFact(out, pdf);
  const boxes = ['A', 'B', ...(bitgo !== undefined ? ['C'] : []), ...(encryptedWalletPassword !== undefined ? ['D'] : [])];
  journal({ outcome: 'done', label: record.label, xpubs: [record.keys.user.xpub, record.keys.backup.xpub, ...(bitgo !== undefined ? [bitgo] : [])], files: [fact] });
  if (values.json) printJson(ctx, { written: out, sha256: fact.sha256, boxes });
  else ctx.stdout.write(`Wrote the KeyCard of "${record.label}" to ${out} (boxes ${boxes.join(', ')}; sha256 ${fact.sha256}).${bitgo === undefined ? ' Box C (BitGo\'s key) comes once BitGo has made the wallet: run this again with --bitgo-xpub to a new file.' : ''}\n`);
  return EXIT_OK;
}

const SUBS = ['selftest', 'create', 'check', 'keycard', 'export', 'audit', 'reencrypt', 'verify-shards', 'recombine', 'reshard', 'receipt-key'] as const;

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
    'pin-key': { type: 'string' },
    fingerprint: { type: 'string' },
    require: { type: 'string' },
    box: { type: 'string' },
    wallet: { type: 'string' },
    role: { type: 'string' },
    xpub: { type: 'string' },
    qr: { type: 'boolean', default: false },
    shard: { type: 'string' },
    shards: { type: 'string' },
    'password-box': { type: 'boolean', default: false },
    'audit-log': { type: 'string' },
    into: { type: 'string' },
    json: { type: 'boolean', default: false },
  });
  if (positionals.length > 0) throw new UsageError(`ceremony ${sub}: unexpected argument ${JSON.stringify(positionals[0])}`);
  const journalPath = journalFor(sub as Sub, values);
  const journal: Journal = (note) => {
    if (journalPath !== undefined) appendJournal(journalPath, { type: 'ceremony-step', step: sub as Sub, ...note });
  };
  try {
    return await dispatch(sub as Sub, values, ctx, journal);
  } catch (e) {
    // A failed step is recorded too (its code only), unless the command line itself was wrong.
    if (!(e instanceof UsageError) && journalPath !== undefined && existsSync(dirname(journalPath))) {
      journal({ outcome: 'failed', code: (e as { code?: string }).code ?? 'internal_error' });
    }
    throw e;
  }
}

type Sub = (typeof SUBS)[number];

/** The journal: --audit-log, else ceremony-audit.jsonl beside the step's main file (selftest: only with --audit-log). */
function journalFor(sub: Sub, values: Values): string | undefined {
  const explicit = str(values, 'audit-log');
  if (explicit !== undefined) return explicit;
  const anchor: Record<Sub, string | undefined> = {
    selftest: undefined,
    create: str(values, 'out-dir') !== undefined ? join(str(values, 'out-dir')!, 'x') : undefined,
    check: str(values, 'computer-entropy'),
    keycard: str(values, 'ceremony'),
    export: str(values, 'ceremony'),
    audit: str(values, 'box') ?? str(values, 'keys') ?? str(values, 'ceremony'),
    reencrypt: str(values, 'out'),
    'verify-shards': str(values, 'shards'),
    recombine: str(values, 'shards'),
    reshard: str(values, 'shards'),
    'receipt-key': str(values, 'out') ?? str(values, 'keys'),
  };
  const a = anchor[sub];
  return a === undefined ? undefined : join(dirname(a), JOURNAL_NAME);
}

function dispatch(sub: Sub, values: Values, ctx: CliContext, journal: Journal): Promise<number> | number {
  switch (sub) {
    case 'selftest':
      return selftest(values, ctx, journal);
    case 'create':
      return create(values, ctx, journal);
    case 'check':
      return check(values, ctx, journal);
    case 'keycard':
      return keycard(values, ctx, journal);
    case 'export':
      return exportStep(values, ctx, journal);
    case 'audit':
      return audit(values, ctx, journal);
    case 'verify-shards':
      return verifyShardsStep(values, ctx, journal);
    case 'recombine':
      return recombine(values, ctx, journal);
    case 'reshard':
      return reshardStep(values, ctx, journal);
    case 'receipt-key':
      return receiptKeyStep(values, ctx, journal);
    default:
      return reencrypt(values, ctx, journal);
  }
}

export const runCeremony = run;

/** Every subcommand: its --help must name each (test/unit/cli/ceremony.spec.ts). */
export const CEREMONY_SUBCOMMANDS = SUBS;
