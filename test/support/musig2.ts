// BitGo's side of the MuSig2 exchange for tests: its "cosignerNonce" step (BitGo adds its own public nonce to each
// key-path input), played by @scure/btc-signer's independent MuSig2 with BitGo's test key, deterministically.
import { createHash } from 'node:crypto';
import * as scure from '@scure/btc-signer/musig2.js';
import { BITGO_IDENTIFIER, musig2Entry, MUSIG2_SUBTYPE } from '../../electron/intake/musig2-fields';
import { parsePsbtStrict, type RawEntry } from '../../electron/intake/psbt-strict';
import { insertEntry, serializePsbt } from '../../electron/intake/psbt-write';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** A BitGo proprietary input entry (0xFC, "BITGO") of this MuSig2 subtype. */
export const isBitgoMusig2 = (e: RawEntry, subtype: number) => e.keyType === 0xfc && hex(e.keyData).startsWith(`05${hex(BITGO_IDENTIFIER)}0${subtype}`);

/** The PSBT (hex) with BitGo's nonce added to each key-path input, and BitGo's secret nonces by input. */
export function cosignerNonces(psbtHex: string): { psbtHex: string; secrets: Map<number, Uint8Array> } {
  const p = parsePsbtStrict(new Uint8Array(Buffer.from(psbtHex, 'hex')));
  const secrets = new Map<number, Uint8Array>();
  const inputs = p.inputs.map((m, i) => {
    const part = m.find((e) => isBitgoMusig2(e, MUSIG2_SUBTYPE.participants));
    if (!part) return m;
    const outputKey = part.keyData.subarray(7, 39);
    const bitgoPk = part.value.subarray(33);
    const n = scure.nonceGen(bitgoPk, undefined, outputKey, undefined, undefined, createHash('sha256').update(`cosigner/${i}`).digest());
    secrets.set(i, n.secret);
    return insertEntry(m, musig2Entry(MUSIG2_SUBTYPE.pubNonce, bitgoPk, outputKey, n.public), `input ${i}`);
  });
  return { psbtHex: hex(serializePsbt({ ...p, inputs })), secrets };
}
