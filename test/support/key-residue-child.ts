// The child process of the key-residue test (test/unit/keystore/memory-residue.spec.ts), run as
//   node --expose-gc --import tsx test/support/key-residue-child.ts  < config.json
// It does what the app does with a wallet: reads the key file, unlocks the wallet through the real Vault, asks for
// its signing xpub, signs a digest (ECDSA and Schnorr) at a wallet path through the vault's signer, on this thread
// and in a signing worker thread (as the app signs), closes the signer. Then it scans its own memory
// (test/support/memory-scan.ts) while the wallet is unlocked, locks it, forces garbage collection and scans again. It prints one JSON line: the counts per secret at both points.
//
// The secrets arrive masked (memory-scan.ts); the child never reads wallets.json, so the only plaintext key material
// in this process is what the product itself decrypts and derives.
import { readFileSync } from 'node:fs';
import { readKeyFile, findWallet } from '../../electron/keystore/keyfile';
import { Vault } from '../../electron/keystore/vault';
import { scanOwnMemory, type MaskedNeedle } from './memory-scan';

export interface ResidueConfig {
  keyFile: string;
  walletId: string;
  passphrase: string;
  derivationSeed?: string;
  path: { chain: number; index: number };
  /** Compressed public key of the child at `path` (public data: the signer checks it). */
  expectedPub: string;
  needles: MaskedNeedle[];
}

const gc = (globalThis as { gc?: (opts?: { type: 'major'; execution: 'sync' }) => void }).gc;
if (!gc) throw new Error('run with --expose-gc');

async function collect(): Promise<void> {
  // Let pending promise jobs and timers drop their references, then full collections (a second one frees what the
  // first one only finalised, e.g. WebAssembly memories behind FinalizationRegistry-like cleanup).
  for (let i = 0; i < 4; i++) {
    await new Promise((resolve) => setImmediate(resolve));
    gc!({ type: 'major', execution: 'sync' });
  }
}

async function main(): Promise<void> {
  const config = JSON.parse(readFileSync(0, 'utf8')) as ResidueConfig;
  const vault = new Vault({ idleMs: 0 });
  await vault.unlock(findWallet(readKeyFile(config.keyFile), config.walletId), config.passphrase);
  vault.signingXpub(config.walletId, config.derivationSeed);
  const signer = vault.signer(config.walletId, config.derivationSeed);
  const expected = Buffer.from(config.expectedPub, 'hex');
  const digest = new Uint8Array(32).fill(7);
  signer.signEcdsa(config.path, digest, expected);
  signer.signSchnorr(config.path, digest, expected);
  // The app's way (electron/parallel/sign-threads.ts): the chain node transferred to a signing thread, which
  // signs, wipes and ends; its copies are looked for in this process's memory like every other.
  await signer.signBatch(
    [
      { path: config.path, digest, expected, kind: 'ecdsa' },
      { path: config.path, digest, expected, kind: 'schnorr' },
    ],
    { threads: 1 },
  );
  signer.close();
  await collect();
  const unlocked = scanOwnMemory(config.needles);
  vault.lock(config.walletId);
  await collect();
  const locked = scanOwnMemory(config.needles);
  process.stdout.write(`${JSON.stringify({ unlocked, locked })}\n`);
}

await main();
