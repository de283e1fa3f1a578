// The vault's signer: the only way a private key is used. It signs 32-byte digests with the child key at a BitGo
// wallet path m/0/0/<chain>/<index> below the wallet's signing key (after any derivationSeed), and wipes what it
// derived itself: each child's private key right after its signature, the chain nodes and a derivationSeed root on
// close(). Callers get signatures and public keys, never key bytes (bitcoinjs-lib's `Signer` idea, extended to
// the wallet's paths).
//
// ----- SECURITY: do not change without review ---------------------------------------------------------------
// Signatures are BitGo's exact bytes: RFC6979 deterministic ECDSA without extra entropy (no low-R grinding) and
// BIP340 Schnorr with 32 zero bytes of auxiliary randomness. The first child of each chain is checked against the
// public key the caller validated (the wallet's user key at that path): a wrong root can never sign.
// ------------------------------------------------------------------------------------------------------------
import type { BIP32Interface } from 'bip32';
import { SignerError } from '../../shared/errors';
import { ecc } from '../crypto/ecc';
import { bytesEqual } from '../util/bytes';
import { childPrivateKey, type PrivNode } from '../wallet/derive';

/** A wallet path below the signing key: m/0/0/<chain>/<index>. */
export interface WalletPathRef {
  chain: number;
  index: number;
}

export interface WalletSigner {
  /** The signing key's public half: what the request's user key (pubs[0]) must be. */
  readonly publicKey: Uint8Array;
  readonly chainCode: Uint8Array;
  /** The 64-byte compact ECDSA signature of `digest` by the child at `path`, whose public key is `expected`. */
  signEcdsa(path: WalletPathRef, digest: Uint8Array, expected: Uint8Array): Uint8Array;
  /** BIP340 Schnorr signature of `digest` by the child at `path`, whose compressed public key is `expected`. */
  signSchnorr(path: WalletPathRef, digest: Uint8Array, expected: Uint8Array): Uint8Array;
  /** Wipes every derived node (and the root when it was derived for this signer). Signing after close throws. */
  close(): void;
}

export class SignerKeyError extends SignerError {
  constructor(message: string, code: 'signing_key_missing' | 'signing_key_mismatch' | 'signer_closed') {
    super('SigningError', message, code);
  }
}

const ZERO_AUX = new Uint8Array(32);

/** Overwrites a BIP32 node's private key and chain code (best effort: see README, "Memory hygiene"). */
export function wipeNode(node: BIP32Interface): void {
  node.privateKey?.fill(0);
  node.chainCode.fill(0);
}

/**
 * A signer over `root`. `ownsRoot`: the root is a copy made for this signer (a derivationSeed child) and is wiped
 * on close; the vault's own key is not.
 */
export function nodeSigner(root: BIP32Interface, ownsRoot: boolean): WalletSigner {
  if (root.isNeutered() || !root.privateKey) throw new SignerKeyError('the signing key has no private key', 'signing_key_missing');
  const chains = new Map<number, { node: PrivNode; checked: boolean }>();
  let closed = false;

  const sign = (path: WalletPathRef, expected: Uint8Array, make: (priv: Uint8Array) => Uint8Array): Uint8Array => {
    if (closed) throw new SignerKeyError('this signer was closed; its keys are wiped', 'signer_closed');
    let c = chains.get(path.chain);
    if (!c) {
      const n = root.derive(0).derive(0).derive(path.chain);
      c = { node: { privateKey: new Uint8Array(n.privateKey!), publicKey: n.publicKey, chainCode: n.chainCode }, checked: false };
      n.privateKey?.fill(0);
      chains.set(path.chain, c);
    }
    const priv = childPrivateKey(c.node, path.index);
    try {
      if (!c.checked) {
        // Belt and braces, once per chain: the private derivation must land on the validated public key.
        if (!bytesEqual(ecc.pointFromScalar(priv, true) ?? new Uint8Array(0), expected)) {
          throw new SignerKeyError(`the derived signing key at chain ${path.chain} index ${path.index} is not the wallet's user key there`, 'signing_key_mismatch');
        }
        c.checked = true;
      }
      return make(priv);
    } finally {
      priv.fill(0);
    }
  };

  return {
    publicKey: root.publicKey,
    chainCode: root.chainCode,
    // RFC6979 deterministic nonce, no extra entropy: BitGo's exact signatures.
    signEcdsa: (path, digest, expected) => sign(path, expected, (priv) => ecc.sign(digest, priv)),
    signSchnorr: (path, digest, expected) => sign(path, expected, (priv) => ecc.signSchnorr(digest, priv, ZERO_AUX)),
    close() {
      closed = true;
      for (const c of chains.values()) c.node.privateKey.fill(0);
      chains.clear();
      if (ownsRoot) wipeNode(root);
    },
  };
}
