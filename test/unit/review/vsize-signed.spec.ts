// The fee-rate size estimate against REAL fully signed BitGo transactions: fixture requests signed by the engine
// with the user key, co-signed here with bitcoinjs-lib using the cosigner key of each input's leaf / script,
// finalized by the engine's finalizer; bitcoinjs-lib then measures the network transaction. The estimate counts
// 72-byte ECDSA signatures (the DER maximum with low S), so it may exceed the real size by under one vbyte per
// ECDSA signature and must never be below it; Schnorr signatures are exact.
import { test, expect } from '@playwright/test';
import { createHash } from 'node:crypto';
import { Psbt, Transaction, script as bscript, crypto as bcrypto } from 'bitcoinjs-lib';
import { bip32 } from '../../../electron/crypto/ecc';
import { parsePsbtStrict } from '../../../electron/intake/psbt-strict';
import { inputFields } from '../../../electron/intake/psbt-view';
import { buildReview } from '../../../electron/review/build';
import { signBitgoPsbt } from '../../../electron/signing/engine';
import { finalizeAndExtract } from '../../../electron/signing/finalize';
import { parseXpubTriple } from '../../../electron/wallet/keys';
import { caseText, WALLETS } from '../../support/review-helpers';
import { nodeSigner } from '../../../electron/keystore/signer';

// wallets.json: the fixture keys are BIP32.fromSeed(sha256("bitgo-dev/walletA/{user|backup|bitgo}")).
const root = (role: string) => bip32.fromSeed(createHash('sha256').update(`bitgo-dev/walletA/${role}`).digest());
const roots = { user: root('user'), backup: root('backup'), bitgo: root('bitgo') };
const leafHash = (s: Uint8Array) => bcrypto.taggedHash('TapLeaf', Buffer.concat([Buffer.of(0xc0, s.length), s]));

for (const name of ['p2sh', 'p2shP2wsh', 'p2wsh', 'p2trLegacy', 'mixed-all-but-musig2', 'p2trMusig2ScriptPath']) {
  test(`estimate vs the real fully signed transaction: ${name}`, () => {
    const A = WALLETS.walletA!;
    expect(roots.user.neutered().toBase58()).toBe(A.xpubs.user);
    const body = JSON.parse(caseText(name));
    const wallet = parseXpubTriple(body.pubs);
    const signed = signBitgoPsbt(parsePsbtStrict(Buffer.from(body.txPrebuild.txHex, 'hex')), wallet, nodeSigner(roots.user, false));
    const strict = parsePsbtStrict(signed.psbt);
    const both = Psbt.fromBuffer(Buffer.from(signed.psbt));
    const unsigned = Transaction.fromBuffer((both.data.globalMap.unsignedTx as unknown as { toBuffer(): Buffer }).toBuffer());
    let ecdsaSigs = 0;
    signed.inputs.forEach((rep, i) => {
      const path = `m/0/0/${rep.chain}/${rep.derivationIndex}`;
      const f = inputFields(strict, i);
      if (f.tapLeafScript.length > 0) {
        // Co-sign the leaf the user signed with its other key.
        const leaf = f.tapLeafScript.find((l) => f.tapScriptSig.some((s) => Buffer.compare(Buffer.from(s.leafHash), Buffer.from(leafHash(l.script))) === 0))!;
        const other = (['backup', 'bitgo'] as const).map((r) => roots[r].derivePath(path)).find((k) => Buffer.from(leaf.script).includes(Buffer.from(k.publicKey.subarray(1))))!;
        both.signTaprootInput(i, { publicKey: other.publicKey, signSchnorr: (h: Uint8Array) => other.signSchnorr(h) } as never, Buffer.from(leafHash(leaf.script)));
      } else {
        ecdsaSigs += 2;
        const key = roots.bitgo.derivePath(path);
        const ms = f.witnessScript ?? f.redeemScript!;
        const hash = f.witnessScript
          ? unsigned.hashForWitnessV0(i, Buffer.from(ms), f.witnessUtxo!.value, 1)
          : unsigned.hashForSignature(i, Buffer.from(ms), 1);
        both.updateInput(i, { partialSig: [{ pubkey: Buffer.from(key.publicKey), signature: bscript.signature.encode(Buffer.from(key.sign(hash)), 1) }] });
      }
    });
    const finalTx = Transaction.fromBuffer(Buffer.from(finalizeAndExtract(parsePsbtStrict(both.toBuffer()))));
    const review = buildReview(caseText(name));
    const realWeight = finalTx.weight();
    expect(review.vsize * 4).toBeGreaterThanOrEqual(realWeight);
    // At most one byte short per ECDSA signature (71 vs 72 bytes), counted at 4 weight units each when in the
    // scriptSig (p2sh) — plus the final rounding up to whole vbytes.
    expect(review.vsize * 4 - realWeight).toBeLessThanOrEqual(ecdsaSigs * 4 + 3);
    if (ecdsaSigs === 0) expect(review.vsize).toBe(finalTx.virtualSize());
  });
}
