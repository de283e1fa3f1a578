// Unlock times: v1 through SJCL (what BitGo Express uses) vs node:crypto (this app's default), and v2 Argon2id: the
// derivation alone in this thread (what a v2 unlock blocked main for before) and the whole unlock with it in a worker.
import { readFileSync } from 'node:fs';
import { argon2idInThread, decryptV1Native, decryptV2, parseEnvelope, type EnvelopeV1, type EnvelopeV2 } from '../../electron/keystore/envelope';
import { decryptV1Sjcl } from '../../electron/keystore/envelope-sjcl';
import { measure, type BenchRow, type Section } from './harness';

const fixtures = new URL('../fixtures/bitgo/', import.meta.url);
const keys = JSON.parse(readFileSync(new URL('keys.json', fixtures), 'utf8')) as Record<string, string>;
const wallets = JSON.parse(readFileSync(new URL('wallets.json', fixtures), 'utf8')) as Record<string, { walletId: string; passphrase: string }>;

export const keystoreSection: Section = {
  name: 'Key store unlock (one wallet, BitGo fixture keys)',
  async run(): Promise<BenchRow[]> {
    const a = wallets.walletA!;
    const d = wallets.walletD!;
    const v1 = parseEnvelope(keys[a.walletId]!) as EnvelopeV1;
    const v2 = parseEnvelope(keys[d.walletId]!) as EnvelopeV2;
    const sjclMs = await measure(() => decryptV1Sjcl(v1, a.passphrase), { runs: 15 });
    const nativeMs = await measure(() => decryptV1Native(v1, a.passphrase), { runs: 31 });
    const inThreadMs = await measure(() => argon2idInThread(v2, d.passphrase), { runs: 7 });
    const v2Ms = await measure(() => decryptV2(v2, d.passphrase), { runs: 7 });
    return [
      { name: 'v1 SJCL (reference, as Express)', ms: sjclMs },
      { name: 'v1 native (default)', ms: nativeMs, baseline: 'v1 SJCL (reference, as Express)', goal: { text: 'at least 5x faster than SJCL', met: sjclMs / nativeMs >= 5 } },
      { name: 'v2 Argon2id m=64MiB t=3 p=4 in this thread (hash-wasm, derivation only)', ms: inThreadMs, baseline: 'v1 native (default)' },
      { name: 'v2 unlock, Argon2id in a worker thread (default)', ms: v2Ms, baseline: 'v2 Argon2id m=64MiB t=3 p=4 in this thread (hash-wasm, derivation only)' },
    ];
  },
};
