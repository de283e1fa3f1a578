// Where a new key's seed comes from: the operating system's CSPRNG mixed with the operator's own entropy (dice
// rolls, or typed text), so that neither a weak RNG nor a compromised laptop alone decides the key.
//
// - Dice (Coldcard's "verifiable dice"): the rolls are the digits 1-6 as rolled, spaces and line breaks ignored.
//   Their SHA-256 is the hash of exactly that ASCII string, so an operator can recompute it anywhere
//   (`printf %s 3615243... | sha256sum`) and see that the app used the rolls it was given. 99 rolls carry
//   99 * log2(6) = 255.9 bits, the minimum accepted (BIP39's and Coldcard's figure for 256 bits is 99-100 rolls).
// - Text: SHA-256 of the text exactly as typed (UTF-8, no normalisation), with the number of bits the operator
//   claims it holds; at least 256 must be claimed. The app cannot check a claim: dice are the better source.
// - The computer's part: 32 bytes from node:crypto's randomBytes (the OS CSPRNG), after the self-test
//   (./selftest.ts).
//
// Mixing, a fixed and documented formula so that a second laptop, or any HMAC tool, can reproduce it:
//
//     seed(role) = HMAC-SHA512(key = "Offline Signer key ceremony v1",
//                              message = computerEntropy(32) || sha256(operator entropy)(32) || role ("user" | "backup"))
//
// Each seed is 64 bytes, what BitGo's generateKeyPair passes to BIP32.fromSeed (BitGoJS modules/abstract-utxo
// src/abstractUtxoCoin.ts: "512 bits is therefore the maximum entropy"). HMAC-SHA512 keeps the seed uniform if
// either input is: dice the laptop never saw cannot be predicted by it, and a careless operator's dice are still
// covered by the OS's 256 bits.
//
// Two-laptop check (Glacier's parallel stacks): the computer entropy can be exported; a second laptop given the
// same dice rolls and the same computer entropy must show byte-identical xpubs. A laptop that ignored the dice,
// used other randomness or altered the formula is caught by the mismatch. The exported entropy is as secret as the
// keys themselves: it is shown or written once for the check and must be destroyed afterwards.
import { createHmac, randomBytes } from 'node:crypto';
import { sha256 } from '../crypto/hash';
import { fromHexStrict, toHex } from '../util/bytes';
import { CeremonyError } from './errors';

export const MIN_DICE_ROLLS = 99;
export const MIN_CLAIMED_BITS = 256;
/** A cap far beyond any real input, so a pasted file cannot make the app hash megabytes of text. */
export const MAX_OPERATOR_ENTROPY_CHARS = 100_000;
export const COMPUTER_ENTROPY_BYTES = 32;
export const MIX_KEY = 'Offline Signer key ceremony v1';
export const KEY_ROLES = ['user', 'backup'] as const;
export type KeyRole = (typeof KEY_ROLES)[number];

export interface OperatorEntropy {
  kind: 'dice' | 'text';
  /** SHA-256 of the normalised dice string or of the text: shown to the operator, recorded in the audit. */
  sha256: Uint8Array;
  /** Dice: rolls * log2(6), rounded down; text: what the operator claimed. */
  bits: number;
  /** Dice only: how many rolls. */
  rolls?: number;
}

/** The dice string that is hashed: the digits 1-6 in the order rolled, whitespace removed. */
export function normaliseDice(text: string): string {
  if (text.length > MAX_OPERATOR_ENTROPY_CHARS) throw new CeremonyError(`the dice rolls are longer than ${MAX_OPERATOR_ENTROPY_CHARS} characters`, 'dice_rolls_invalid');
  let out = '';
  let position = 0;
  for (const ch of text) {
    position++;
    if (/\s/u.test(ch)) continue;
    // The character itself is not quoted: the rolls are secret until the key is made.
    if (ch < '1' || ch > '6') throw new CeremonyError(`character ${position} of the dice rolls is not a die face (1 to 6)`, 'dice_rolls_invalid');
    out += ch;
  }
  return out;
}

export function diceEntropy(text: string): OperatorEntropy {
  const rolls = normaliseDice(text);
  if (rolls.length < MIN_DICE_ROLLS) {
    throw new CeremonyError(`${rolls.length} dice rolls give ${Math.floor(rolls.length * Math.log2(6))} bits; at least ${MIN_DICE_ROLLS} rolls (256 bits) are needed`, 'entropy_insufficient');
  }
  return { kind: 'dice', sha256: sha256(new TextEncoder().encode(rolls)), bits: Math.floor(rolls.length * Math.log2(6)), rolls: rolls.length };
}

export function textEntropy(text: string, claimedBits: number): OperatorEntropy {
  if (text.length > MAX_OPERATOR_ENTROPY_CHARS) throw new CeremonyError(`the entropy text is longer than ${MAX_OPERATOR_ENTROPY_CHARS} characters`, 'entropy_insufficient');
  if (!Number.isSafeInteger(claimedBits) || claimedBits < MIN_CLAIMED_BITS) {
    throw new CeremonyError(`typed entropy must be claimed to hold at least ${MIN_CLAIMED_BITS} bits`, 'entropy_insufficient');
  }
  if (text.trim() === '') throw new CeremonyError('the entropy text is empty', 'entropy_insufficient');
  return { kind: 'text', sha256: sha256(new TextEncoder().encode(text)), bits: claimedBits };
}

/** 32 fresh bytes from the OS CSPRNG (run the self-test first: ./selftest.ts). */
export function freshComputerEntropy(): Uint8Array {
  return new Uint8Array(randomBytes(COMPUTER_ENTROPY_BYTES));
}

/** The exported computer entropy, as written for the second laptop: 64 hex digits (spaces and line breaks ignored). */
export function parseComputerEntropy(text: string): Uint8Array {
  const hex = text.replace(/\s+/g, '').toLowerCase();
  const bytes = hex.length === COMPUTER_ENTROPY_BYTES * 2 ? fromHexStrict(hex) : undefined;
  if (!bytes) throw new CeremonyError(`the computer entropy must be ${COMPUTER_ENTROPY_BYTES * 2} hex digits`, 'os_entropy_invalid');
  return bytes;
}

export function formatComputerEntropy(bytes: Uint8Array): string {
  return toHex(bytes).replace(/(.{8})(?!$)/g, '$1 ');
}

/** The 64-byte BIP32 seed of one role (formula above). The caller wipes it once the key is made. */
export function mixSeed(computer: Uint8Array, operator: OperatorEntropy, role: KeyRole): Uint8Array {
  if (computer.length !== COMPUTER_ENTROPY_BYTES) throw new CeremonyError(`computer entropy must be ${COMPUTER_ENTROPY_BYTES} bytes`, 'os_entropy_invalid');
  const mac = createHmac('sha512', MIX_KEY);
  mac.update(computer);
  mac.update(operator.sha256);
  mac.update(role, 'ascii');
  return new Uint8Array(mac.digest());
}
