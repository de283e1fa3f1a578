// The size estimate is checked against bitcoinjs-lib's own BIP141 weight of a transaction built item by item
// with the same shapes a finalized BitGo input has (independent serialization code), over random mixes.
import { test, expect } from '@playwright/test';
import { Transaction } from 'bitcoinjs-lib';
import { estimateSignedSize, type VsizeInput } from '../../../electron/review/vsize';
import type { ReviewScriptType } from '../../../shared/review';

const TYPES: ReviewScriptType[] = ['p2sh', 'p2shP2wsh', 'p2wsh', 'p2trLegacy', 'p2trMusig2'];
const bytes = (n: number, fill = 0x11) => Buffer.alloc(n, fill);

function push(b: Buffer): Buffer {
  if (b.length < 0x4c) return Buffer.concat([Buffer.of(b.length), b]);
  return Buffer.concat([Buffer.of(0x4c, b.length), b]);
}

/** A transaction whose inputs carry placeholder items of the real finalized sizes. */
function build(inputs: VsizeInput[], outLens: number[]): Transaction {
  const tx = new Transaction();
  tx.version = 2;
  const sig = bytes(72);
  const ms = bytes(105);
  inputs.forEach((inp, i) => {
    tx.addInput(bytes(32, i & 0xff), i, 0xfffffffd);
    switch (inp.scriptType) {
      case 'p2sh':
        tx.setInputScript(i, Buffer.concat([Buffer.of(0), push(sig), push(sig), push(ms)]));
        break;
      case 'p2shP2wsh':
        tx.setInputScript(i, push(bytes(34)));
        tx.setWitness(i, [Buffer.alloc(0), sig, sig, ms]);
        break;
      case 'p2wsh':
        tx.setWitness(i, [Buffer.alloc(0), sig, sig, ms]);
        break;
      default:
        tx.setWitness(i, inp.scriptType === 'p2trMusig2' && !inp.scriptPath ? [bytes(64)] : [bytes(64), bytes(64), bytes(68), bytes(inp.controlBlockLength ?? 65)]);
    }
  });
  for (const len of outLens) tx.addOutput(bytes(len), 1000n);
  return tx;
}

function prng(seed: number) {
  let s = seed >>> 0 || 1;
  return (n: number) => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) % n;
  };
}

test('single inputs of each BitGo script type match bitcoinjs-lib weights', () => {
  for (const t of TYPES) {
    const inputs = [{ scriptType: t }];
    const est = estimateSignedSize(inputs, [22]);
    const tx = build(inputs, [22]);
    expect(est.weight, t).toBe(tx.weight());
    expect(est.vsize, t).toBe(tx.virtualSize());
  }
});

test('known vsizes: 1-in 1-out p2wsh and p2trMusig2 key path', () => {
  // p2wsh 2-of-3: 10.5 vB overhead + 41 vB outpoint + 254/4 witness; output p2wpkh 31 vB.
  expect(estimateSignedSize([{ scriptType: 'p2wsh' }], [22]).vsize).toBe(Math.ceil((4 * (4 + 1 + 41 + 1 + 31 + 4) + 2 + 254) / 4));
  // Taproot key path: 57.5 vB input (BIP341: 64-byte signature alone in the witness).
  expect(estimateSignedSize([{ scriptType: 'p2trMusig2' }], [34]).weight).toBe(4 * (4 + 1 + 41 + 1 + 43 + 4) + 2 + 66);
});

test('random mixes of 1 to 300 inputs and outputs (including legacy-only and >252 counts) match', () => {
  const r = prng(4242);
  for (let round = 0; round < 60; round++) {
    const nIn = 1 + r(round % 10 === 0 ? 300 : 12);
    const inputs: VsizeInput[] = Array.from({ length: nIn }, () => {
      const scriptType = TYPES[r(round % 7 === 0 ? 1 : TYPES.length)]!;
      return { scriptType, controlBlockLength: [65, 97][r(2)], scriptPath: r(2) === 1 };
    });
    const outs = Array.from({ length: 1 + r(round % 13 === 0 ? 260 : 4) }, () => [22, 23, 34, 25, 80][r(5)]!);
    const tx = build(inputs, outs);
    const est = estimateSignedSize(inputs, outs);
    expect(est.weight, `round ${round}`).toBe(tx.weight());
    expect(est.vsize, `round ${round}`).toBe(tx.virtualSize());
  }
});
