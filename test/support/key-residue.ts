// The parent side of the key-residue test: which secrets to look for in the child (key-residue-child.ts), masked,
// and the run itself. The fixture wallets' keys are public test data (test/fixtures/bitgo/wallets.json).
import { spawnSync } from 'node:child_process';
import { pbkdf2Sync, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { argon2id } from 'hash-wasm';
import { bip32 } from '../../electron/crypto/ecc';
import { derivationPathFromSeed } from '../../electron/keystore/derivation-seed';
import { parseKeyFile } from '../../electron/keystore/keyfile';
import type { ResidueConfig } from './key-residue-child';
import { maskNeedle, type MaskedNeedle, type ScanResult } from './memory-scan';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const keyFile = fileURLToPath(new URL('../fixtures/bitgo/keys.json', import.meta.url));
const child = fileURLToPath(new URL('./key-residue-child.ts', import.meta.url));

export interface FixtureWallet {
  walletId: string;
  passphrase: string;
  userXprvPlaintextInKeysFile: string;
  derivationSeed?: string;
}

export const ascii = (s: string) => new TextEncoder().encode(s);

/**
 * The secrets of one unlock-and-sign, by kind:
 * - root.key / root.chainCode: the key file's key (raw 32 bytes each), root.xprv its base58 text, root.xprvTail
 *   the end of that text;
 * - root.keyHex: the key as hex text (nothing should ever make it);
 * - envelope.aesKey: the key the passphrase derives (PBKDF2 or Argon2id), which opens the key file entry;
 * - seed.key / seed.chainCode: the derivationSeed child, when the wallet has one;
 * - path.key / path.chainCode for m/0, m/0/0 and m/0/0/<chain> below the signing key, and leaf.key: the key that signed.
 * Two more, not secrets of the key: control.random, 32 random bytes that exist only in this process (the scanner
 * must never find them there), and passphrase, its UTF-8 bytes: it arrives as a string (here in the child's config,
 * in the app over IPC, in the CLI from the terminal), which no code can wipe, so it is counted, not required gone.
 */
export async function residueSecrets(w: FixtureWallet, path: { chain: number; index: number }): Promise<{ secrets: [string, Uint8Array][]; expectedPub: Uint8Array }> {
  const root = bip32.fromBase58(w.userXprvPlaintextInKeysFile);
  const secrets: [string, Uint8Array][] = [
    ['root.key', root.privateKey!],
    ['root.chainCode', root.chainCode],
    ['root.xprv', ascii(w.userXprvPlaintextInKeysFile)],
    // The last 64 base58 digits alone encode the low 47 bytes of the payload: checksum, key and part of the chain
    // code. A freed copy of the text whose first bytes the allocator overwrote still matches this.
    ['root.xprvTail', ascii(w.userXprvPlaintextInKeysFile.slice(-64))],
    ['root.keyHex', ascii(Buffer.from(root.privateKey!).toString('hex'))],
  ];
  const entry = parseKeyFile(readFileSync(keyFile, 'utf8')).wallets.find((e) => e.walletId === w.walletId)!;
  const env = entry.envelope;
  const aesKey =
    env.v === 1
      ? pbkdf2Sync(w.passphrase, env.salt, env.iter, env.ks / 8, 'sha256')
      : await argon2id({ password: w.passphrase, salt: env.salt, memorySize: env.m, iterations: env.t, parallelism: env.p, hashLength: 32, outputType: 'binary' });
  secrets.push(['envelope.aesKey', aesKey]);
  let signing = root;
  if (w.derivationSeed !== undefined) {
    signing = root.derivePath(derivationPathFromSeed(w.derivationSeed));
    secrets.push(['seed.key', signing.privateKey!], ['seed.chainCode', signing.chainCode]);
  }
  const steps = [0, 0, path.chain];
  let node = signing;
  steps.forEach((i, depth) => {
    node = node.derive(i);
    const name = `m/${steps.slice(0, depth + 1).join('/')}`;
    secrets.push([`${name}.key`, node.privateKey!], [`${name}.chainCode`, node.chainCode]);
  });
  const leaf = node.derive(path.index);
  secrets.push(['leaf.key', leaf.privateKey!]);
  secrets.push(['control.random', randomBytes(32)], ['passphrase', ascii(w.passphrase)]);
  return { secrets, expectedPub: leaf.publicKey };
}

export interface ResidueRun {
  unlocked: ScanResult;
  locked: ScanResult;
}

/** Runs the child with --expose-gc and returns both scans; throws with the child's stderr when it fails. */
export async function runResidueChild(w: FixtureWallet, path = { chain: 20, index: 7 }): Promise<ResidueRun> {
  const { secrets, expectedPub } = await residueSecrets(w, path);
  const needles: MaskedNeedle[] = secrets.map(([name, bytes]) => maskNeedle(name, bytes));
  const config: ResidueConfig = {
    keyFile,
    walletId: w.walletId,
    passphrase: w.passphrase,
    ...(w.derivationSeed !== undefined ? { derivationSeed: w.derivationSeed } : {}),
    path,
    expectedPub: Buffer.from(expectedPub).toString('hex'),
    needles,
  };
  const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', child], { cwd: repoRoot, input: JSON.stringify(config), encoding: 'utf8', timeout: 300_000 });
  if (r.status !== 0) throw new Error(`key-residue child failed (status ${r.status}, signal ${r.signal}): ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as ResidueRun;
}
