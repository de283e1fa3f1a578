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
//
// MuSig2 (BIP327) secret nonces never leave this module in the clear. musig2Nonce draws 32 fresh random bytes,
// runs NonceGen with the child's key, the aggregate key, the message and the caller's extra input, and returns the
// public nonce with the secret nonce SEALED: AES-256-GCM under a key derived from the wallet's signing key
// (HMAC-SHA256(key, "offline-signer/musig2-nonce-seal/v1")), bound by its associated data to the session the
// caller names (wallet, unsigned txid, input, keys, message) and to the public nonce. musig2Sign opens it only for
// that same binding, signs once (crypto/musig2.ts wipes the secret nonce) and wipes what it opened. Whoever keeps
// the sealed bytes (signing/musig2-nonces.ts) holds nothing usable without the unlocked wallet; keeping them
// single-use is that keeper's job.
// ------------------------------------------------------------------------------------------------------------
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { SignerError } from '../../shared/errors';
import { ecc, scrubCurveScratch } from '../crypto/ecc';
import { nonceGen, partialSign, type SessionContext } from '../crypto/musig2';
import { bytesEqual, concatBytes } from '../util/bytes';
import { secretBytes, secretCopy } from '../util/secret';
import { childPrivateKey, childPrivateNode, type PrivNode } from '../wallet/derive';
import { signInThreads, type SignThreadsOptions } from '../parallel/sign-threads';
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
  /**
   * BIP327 NonceGen for the child at `path` (public key `expected`) in the session `ctx`; returns the public nonce
   * and the secret nonce sealed under the wallet key, bound to `binding` and the public nonce.
   */
  musig2Nonce(path: WalletPathRef, expected: Uint8Array, ctx: Musig2NonceContext, binding: Uint8Array): { pubNonce: Uint8Array; sealed: Uint8Array };
  /**
   * BIP327 Sign with the sealed secret nonce made by musig2Nonce for the same `binding` and `pubNonce`: the 32-byte
   * partial signature, verified before it is returned. Throws `musig2_nonce_store_invalid` when the sealed nonce
   * does not open for this wallet and binding.
   */
  musig2Sign(path: WalletPathRef, expected: Uint8Array, sealed: Uint8Array, binding: Uint8Array, pubNonce: Uint8Array, session: SessionContext): Uint8Array;
  /**
   * Many signatures at once, made in worker threads started for this call (parallel/sign-threads.ts), so the calling
   * thread's event loop keeps turning: the same signatures signEcdsa/signSchnorr make, in job order. The private
   * chain nodes m/0/0/<chain> the jobs need go to each thread once (transferred, wiped there); leaf keys exist only
   * in the threads. Rejects with `signing_canceled` when `opts.canceled()` turns true between chunks.
   */
  signBatch(jobs: readonly BatchJob[], opts: SignThreadsOptions): Promise<Uint8Array[]>;
  /** Wipes every derived node (and the root when it was derived for this signer). Signing after close throws. */
  close(): void;
}

/** One signature of a batch: at `path`, over `digest`, by the key whose public key is `expected`. */
export interface BatchJob {
  path: WalletPathRef;
  digest: Uint8Array;
  expected: Uint8Array;
  kind: 'ecdsa' | 'schnorr';
}

/** What a MuSig2 nonce is generated for (BIP327 NonceGen's optional inputs, all given). */
export interface Musig2NonceContext {
  /** The x-only aggregate key after tweaks: the taproot output key. */
  aggregateKey: Uint8Array;
  /** The 32-byte message: the BIP341 key-path signature hash. */
  msg: Uint8Array;
  extraIn: Uint8Array;
}

/** A sealed secret nonce that does not open: damaged, edited, or made by another wallet key or for another session. */
export class Musig2SealError extends SignerError {
  constructor(message: string) {
    super('SigningError', message, 'musig2_nonce_store_invalid');
  }
}

const SEAL_VERSION = 0x01;
const SEAL_LENGTH = 1 + 12 + 97 + 16;
const SEAL_LABEL = new TextEncoder().encode('offline-signer/musig2-nonce-seal/v1');

/** The seal key, in a secretBytes() array (util/secret.ts); the caller wipes it. */
function sealKey(rootKey: Uint8Array): Uint8Array {
  const d = createHmac('sha256', rootKey).update(SEAL_LABEL).digest();
  try {
    return secretCopy(d);
  } finally {
    d.fill(0);
  }
}

/** version(1) || iv(12) || AES-256-GCM(secnonce)(97) || tag(16), associated data binding || pubNonce. */
function seal(key: Uint8Array, secnonce: Uint8Array, aad: Uint8Array): Uint8Array {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key, iv);
  c.setAAD(aad);
  const ct = concatBytes([c.update(secnonce), c.final()]);
  return concatBytes([Uint8Array.of(SEAL_VERSION), iv, ct, c.getAuthTag()]);
}

function open(key: Uint8Array, sealed: Uint8Array, aad: Uint8Array): Uint8Array {
  if (sealed.length !== SEAL_LENGTH || sealed[0] !== SEAL_VERSION) throw new Musig2SealError('a kept MuSig2 nonce is malformed; nothing was signed');
  try {
    const d = createDecipheriv('aes-256-gcm', key, sealed.subarray(1, 13));
    d.setAAD(aad);
    d.setAuthTag(sealed.subarray(SEAL_LENGTH - 16));
    const a = d.update(sealed.subarray(13, SEAL_LENGTH - 16));
    const b = d.final();
    const out = secretBytes(a.length + b.length);
    out.set(a);
    out.set(b, a.length);
    a.fill(0);
    b.fill(0);
    return out;
  } catch {
    throw new Musig2SealError('a kept MuSig2 nonce does not open for this wallet and transaction input (edited, or made by another key); nothing was signed');
  }
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

  const sign = <T>(path: WalletPathRef, expected: Uint8Array, make: (priv: Uint8Array) => T): T => {
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
    musig2Nonce: (path, expected, ctx, binding) =>
      sign(path, expected, (priv) => {
        const rand = randomBytes(32);
        const { secnonce, pubnonce } = nonceGen({ sk: priv, pk: expected, aggpk: ctx.aggregateKey, msg: ctx.msg, extraIn: ctx.extraIn, rand });
        rand.fill(0);
        const key = sealKey(rootKey);
        try {
          return { pubNonce: pubnonce, sealed: seal(key, secnonce, concatBytes([binding, pubnonce])) };
        } finally {
          key.fill(0);
          secnonce.fill(0);
        }
      }),
    musig2Sign: (path, expected, sealed, binding, pubNonce, session) =>
      sign(path, expected, (priv) => {
        const key = sealKey(rootKey);
        let secnonce: Uint8Array;
        try {
          secnonce = open(key, sealed, concatBytes([binding, pubNonce]));
        } finally {
          key.fill(0);
        }
        // partialSign wipes the secret nonce, also when it throws.
        return partialSign(secnonce, priv, session);
      }),
    async signBatch(jobs, opts) {
      if (closed) throw new SignerKeyError('this signer was closed; its keys are wiped', 'signer_closed');
      const chainList = [...new Set(jobs.map((j) => j.path.chain))];
      const nodes = chainList.map((c) => chainNode(c).node);
      const position = new Map(chainList.map((c, i) => [c, i]));
      // One fresh buffer per thread, transferred to it: key 32 | chain code 32 | public key 33 per chain node.
      const secrets = (): ArrayBuffer => {
        if (closed) throw new SignerKeyError('this signer was closed; its keys are wiped', 'signer_closed');
        const buffer = new ArrayBuffer(nodes.length * 97);
        const view = new Uint8Array(buffer);
        nodes.forEach((n, i) => {
          view.set(n.privateKey, i * 97);
          view.set(n.chainCode, i * 97 + 32);
          view.set(n.publicKey, i * 97 + 64);
        });
        return buffer;
      };
      try {
        return await signInThreads(
          secrets,
          chainList,
          jobs.map((j) => ({ chain: position.get(j.path.chain)!, index: j.path.index, digest: j.digest, expected: j.expected, kind: j.kind })),
          // Locking the wallet (close) stops the threads at the next chunk.
          { ...opts, canceled: () => closed || opts.canceled?.() === true },
        );
      } catch (e) {
        if (closed) throw new SignerKeyError('the wallet locked while this request was being signed; nothing of it was kept', 'signer_closed');
        throw e;
      }
    },
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
