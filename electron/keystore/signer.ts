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
import { SignerError } from '../../shared/errors';
import { ecc, scrubCurveScratch } from '../crypto/ecc';
import { bytesEqual } from '../util/bytes';
import { childPrivateKey, childPrivateNode, type PrivNode } from '../wallet/derive';
import { wipeKey } from './xprv';

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

/**
 * A key the signer can sign below: the vault's ExtendedPrivateKey (xprv.ts), or any BIP32 node with a private key
 * (the tests' keys).
 */
export interface SigningRoot {
  readonly privateKey?: Uint8Array | undefined;
  readonly publicKey: Uint8Array;
  readonly chainCode: Uint8Array;
}

/**
 * A signer over `root`. `ownsRoot`: the root is a copy made for this signer (a derivationSeed child) and is wiped
 * on close; the vault's own key is not.
 *
 * Memory (README, "Memory hygiene"): m/0/0 and each chain node m/0/0/<chain> are derived once into secretBytes()
 * arrays (util/secret.ts) and wiped on close, m/0 right after use; each leaf key is wiped right after its signature;
 * close() overwrites the curve library's scratch memory (crypto/ecc.ts scrubCurveScratch).
 */
export function nodeSigner(root: SigningRoot, ownsRoot: boolean): WalletSigner {
  const rootKey = root.privateKey;
  if (!rootKey) throw new SignerKeyError('the signing key has no private key', 'signing_key_missing');
  const base: PrivNode = { privateKey: rootKey, publicKey: root.publicKey, chainCode: root.chainCode };
  const chains = new Map<number, { node: PrivNode; checked: boolean }>();
  let walletBase: PrivNode | undefined; // m/0/0
  let closed = false;

  const chainNode = (chain: number): { node: PrivNode; checked: boolean } => {
    let c = chains.get(chain);
    if (!c) {
      if (!walletBase) {
        const m0 = childPrivateNode(base, 0);
        try {
          walletBase = childPrivateNode(m0, 0);
        } finally {
          wipeKey(m0);
        }
      }
      c = { node: childPrivateNode(walletBase, chain), checked: false };
      chains.set(chain, c);
    }
    return c;
  };

  const sign = (path: WalletPathRef, expected: Uint8Array, make: (priv: Uint8Array) => Uint8Array): Uint8Array => {
    if (closed) throw new SignerKeyError('this signer was closed; its keys are wiped', 'signer_closed');
    const c = chainNode(path.chain);
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
      for (const c of chains.values()) wipeKey(c.node);
      chains.clear();
      if (walletBase) wipeKey(walletBase);
      walletBase = undefined;
      if (ownsRoot) wipeKey(base);
      scrubCurveScratch();
    },
  };
}
