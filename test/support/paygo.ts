// BitGo PayGo address proofs for tests, in the format BitGo's SDKs check (electron/review/paygo.ts cites it), signed
// with the test keys of test/fixtures/review/paygo-test-keys.json: "attestation" stands in for BitGo's key (the
// review takes it through the DANGER_payGoAttestationKeys option), "other" is any key that is not it.
import { readFileSync } from 'node:fs';
import { ecc } from '../../electron/crypto/ecc';
import { proprietaryEntry } from '../../electron/intake/psbt-write';
import type { RawEntry } from '../../electron/intake/psbt-strict';
import { PAYGO_PROOF_SUBTYPE, payGoAttestationDigest } from '../../electron/review/paygo';

export type PayGoTestKey = 'attestation' | 'other';
export const PAYGO_TEST_KEYS = JSON.parse(readFileSync(new URL('../fixtures/review/paygo-test-keys.json', import.meta.url), 'utf8')) as Record<PayGoTestKey, { seed: string; privateKey: string; publicKey: string }>;

/** 64 bytes, the entropy BitGo's attestation carries (its value does not matter to the check). */
export const TEST_ENTROPY = new Uint8Array(64).fill(0x5a);

/** A Bitcoin signed-message signature by a test key over the attestation of `address`: header 31 + recovery id. */
export function payGoSignature(key: PayGoTestKey, address: string, entropy: Uint8Array = TEST_ENTROPY): Uint8Array {
  const { signature, recoveryId } = ecc.signRecoverable(payGoAttestationDigest(entropy, address), Buffer.from(PAYGO_TEST_KEYS[key].privateKey, 'hex'));
  return Uint8Array.of(31 + recoveryId, ...signature);
}

/** The PSBT_OUT_PROPRIETARY entry BitGo adds to its fee output: key {"BITGO", 0x04, entropy}, value the signature. */
export function payGoProofEntry(key: PayGoTestKey, address: string, entropy: Uint8Array = TEST_ENTROPY): RawEntry {
  return proprietaryEntry(new TextEncoder().encode('BITGO'), PAYGO_PROOF_SUBTYPE, entropy, payGoSignature(key, address, entropy));
}
