// The floor of issue 17's targets with this curve library, measured in the same run as the rows it bounds: the
// curve operations a checked signing of BitGo's 500-input request cannot do without, and nothing else (no parsing,
// hashing, memo or allocation of ours). Each input's script is re-derived from the wallet's three xpubs (three
// BIP32 public steps: one fixed-base multiplication and one point addition each, as electron/wallet/derive.ts
// childPublic does them) and signed once (RFC6979 ECDSA). The HMAC-SHA512 that gives each step its scalar is
// computed before the clock starts. "Split over N threads" is the one-thread figure divided by N: no thread
// start, no messages, no second thread's compiler, so no real split reaches it.
import { createHash, createHmac } from 'node:crypto';
import { bip32, ecc } from '../../electron/crypto/ecc';
import { measure } from './harness';

const INPUTS = 500;
const ROLES = 3;

interface Work {
  steps: { parent: Uint8Array; scalar: Uint8Array }[];
  digests: Uint8Array[];
  key: Uint8Array;
}

function work(pubs: readonly string[], xprv: string): Work {
  const steps: Work['steps'] = [];
  for (const pub of pubs.slice(0, ROLES)) {
    const chain = bip32.fromBase58(pub).derive(0).derive(0).derive(20);
    const parent = ecc.pointCompress(chain.publicKey, false);
    for (let i = 0; i < INPUTS; i++) {
      const data = Buffer.alloc(37);
      data.set(chain.publicKey, 0);
      data.writeUInt32BE(i, 33);
      const scalar = new Uint8Array(createHmac('sha512', chain.chainCode).update(data).digest().subarray(0, 32));
      steps.push({ parent, scalar });
    }
  }
  const digests = Array.from({ length: INPUTS }, (_, i) => new Uint8Array(createHash('sha256').update(`input ${i}`).digest()));
  const key = new Uint8Array(bip32.fromBase58(xprv).derive(0).derive(0).derive(20).derive(0).privateKey!);
  return { steps, digests, key };
}

export interface CurveFloor {
  /** Median ms of the 1500 public steps alone, one thread, warm. */
  derivationsMs: number;
  /** Median ms of the 500 signatures alone, one thread, warm. */
  signaturesMs: number;
}

/** Measures the floor on this thread (warm: the curve's WebAssembly is tiered up by the warm-up runs). */
export async function measureCurveFloor(pubs: readonly string[], xprv: string): Promise<CurveFloor> {
  const w = work(pubs, xprv);
  const derivationsMs = await measure(() => {
    for (const s of w.steps) ecc.pointAdd(s.parent, ecc.pointFromScalar(s.scalar, false)!, true);
  }, { runs: 7, warmup: 2 });
  const signaturesMs = await measure(() => {
    for (const d of w.digests) ecc.sign(d, w.key);
  }, { runs: 7, warmup: 2 });
  return { derivationsMs, signaturesMs };
}
