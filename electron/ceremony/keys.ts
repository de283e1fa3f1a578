// A new BitGo key from its 64-byte seed, and the keySignatures the user key makes over the other two keys.
//
// BitGo's generateKeyPair (BitGoJS modules/abstract-utxo src/abstractUtxoCoin.ts) is BIP32.fromSeed(seed) on the
// default (Bitcoin mainnet) version bytes, for every coin: BitGo's testnet wallets also hold "xpub"/"xprv" keys,
// and the coin is said by the wallet, not by the key. So is this.
//
// keySignatures (BitGoJS modules/sdk-core src/bitgo/wallet/wallets.ts, generateWallet): the user key's Bitcoin
// message signatures, in hex, over the backup and the BitGo xpub strings, with Bitcoin's mainnet prefix ("BG-5703").
// BitGo's wallet API takes them as { backup, bitgo }; the wallet it returns carries them as { backupPub, bitgoPub },
// which is what the wallet registry stores and verifies (registry/registry.ts keySignatureValid).
import type { BIP32Interface } from 'bip32';
import { signBitcoinMessage } from '../crypto/bitcoin-message';
import { bip32 } from '../crypto/ecc';
import { keySignatureValid } from '../registry/registry';
import { toHex } from '../util/bytes';
import { CeremonyError } from './errors';

export interface KeySignatures {
  backupPub: string;
  bitgoPub: string;
}

export function keyFromSeed(seed: Uint8Array): BIP32Interface {
  if (seed.length < 16 || seed.length > 64) throw new CeremonyError(`a BIP32 seed is 16 to 64 bytes, got ${seed.length}`, 'rng_self_test_failed');
  return bip32.fromSeed(Buffer.from(seed));
}

/** Overwrites the private key and chain code bytes a node holds (best effort: README "Memory hygiene"). */
export function wipeKey(node: BIP32Interface): void {
  (node.privateKey as Uint8Array | undefined)?.fill(0);
  (node.chainCode as Uint8Array).fill(0);
}

/** An xpub given by the operator (typed, pasted, scanned): public, BIP32, Bitcoin mainnet version bytes as BitGo's. */
export function parsePublishedXpub(text: string, what: string): BIP32Interface {
  const trimmed = text.trim();
  if (/^[xt]prv/.test(trimmed)) throw new CeremonyError(`${what} is a private key (xprv); give its public key (xpub)`, 'ceremony_xpub_private');
  let node: BIP32Interface;
  try {
    node = bip32.fromBase58(trimmed);
  } catch {
    throw new CeremonyError(`${what} is not an extended public key (xpub...)`, 'ceremony_xpub_invalid');
  }
  if (!node.isNeutered()) throw new CeremonyError(`${what} is a private key; give its public key (xpub)`, 'ceremony_xpub_private');
  if (node.depth !== 0) throw new CeremonyError(`${what} is a derived key (depth ${node.depth}); BitGo wallet keys are root keys`, 'ceremony_xpub_invalid');
  return node;
}

/** The user key's signatures over the backup and BitGo xpubs, checked with the registry's own verifier before they are returned. */
export function makeKeySignatures(user: BIP32Interface, backupXpub: string, bitgoXpub: string): KeySignatures {
  if (!user.privateKey) throw new CeremonyError('the user key has no private part: it cannot sign the other keys', 'ceremony_key_mismatch');
  const sigs: KeySignatures = {
    backupPub: toHex(signBitcoinMessage(backupXpub, user.privateKey)),
    bitgoPub: toHex(signBitcoinMessage(bitgoXpub, user.privateKey)),
  };
  const userPublic = bip32.fromBase58(user.neutered().toBase58());
  if (!keySignatureValid(userPublic, backupXpub, sigs.backupPub) || !keySignatureValid(userPublic, bitgoXpub, sigs.bitgoPub)) {
    throw new CeremonyError('the keySignatures made by the user key do not verify; nothing was exported', 'rng_self_test_failed');
  }
  return sigs;
}
