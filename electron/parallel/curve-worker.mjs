// The curve worker: BIP32 public derivations and signatures on another core, started by electron/parallel/pool.ts.
// The same libraries and the same steps as the main thread (electron/wallet/derive.ts childPublic and
// childPrivateKey, electron/keystore/signer.ts): tiny-secp256k1 (libsecp256k1 in WebAssembly) and node:crypto's
// HMAC-SHA512, so every key and signature is the same byte for byte (test/unit/parallel/ checks it on BitGo's
// fixtures). Plain JavaScript (ES module) so that Node loads it as it is from the sources (tests, `npm run cli`);
// the built app and command line get a self-contained CommonJS bundle of it (build/scripts/build.mjs ->
// curve-worker.cjs, the curve's WebAssembly inside).
//
// Messages in, each answered by one message { id, ... } out:
// - { op: 'derive', id, parent: { publicKey (33), uncompressed (65), chainCode (32) }, indexes: Uint32Array }:
//   the compressed public keys of the children, 33 bytes each in index order ({ keys }), and the indexes whose child
//   is invalid ({ invalid }: their 33 bytes are zero). Public data only.
// - { op: 'keys', id, secrets: ArrayBuffer (TRANSFERRED), chains: number[] }: the private chain nodes
//   m/0/0/<chain> of the wallet's signing key, 97 bytes each (key 32 | chain code 32 | public key 33), in `chains`
//   order. This thread owns the only copy of that buffer; it is wiped by 'forget', by a failed check, and when the
//   thread ends.
// - { op: 'sign', id, jobs: { chain: Uint8Array (position in `chains`), index: Uint32Array, kind: Uint8Array
//   (0 ECDSA, 1 BIP340 Schnorr), digest: Uint8Array (32 each), expected: Uint8Array (33 each, the public key the
//   caller validated at that path) } }: 64-byte signatures in job order ({ sigs }), or { error: { code, message } }.
//   The first child of each chain is checked against `expected` (as the vault's signer does): a wrong key never signs.
// - { op: 'forget', id }: wipes the chain nodes and the curve library's scratch memory.
//
// ----- SECURITY: do not change without review ---------------------------------------------------------------
// Secrets here: the chain nodes (one transferred buffer) and each leaf key, which lives in an ArrayBuffer of its own
// (outside V8's moving heap, electron/util/secret.ts) and is wiped right after its signature; the HMAC output is
// wiped; privateAdd's result is copied out and wiped at once; after each batch the curve library's stack is
// overwritten with the public scalar 1 (electron/crypto/ecc.ts scrubCurveScratch explains why that works).
// ------------------------------------------------------------------------------------------------------------
import { createHmac } from 'node:crypto';
import { parentPort } from 'node:worker_threads';
import * as ecc from 'tiny-secp256k1';

const NODE_BYTES = 97;
const ONE = Uint8Array.from({ length: 32 }, (_, i) => (i === 31 ? 1 : 0));
const ZERO32 = new Uint8Array(32);

/** @type {Uint8Array | undefined} */
let secrets;
/** @type {number[]} */
let chains = [];
/** @type {Set<number>} chains whose first child was checked against the validated public key */
let checked = new Set();

function scrub() {
  ecc.pointFromScalar(ONE, true);
  ecc.privateAdd(ONE, ONE);
  ecc.sign(ZERO32, ONE);
  ecc.signSchnorr(ZERO32, ONE, ZERO32);
}

function forget() {
  secrets?.fill(0);
  secrets = undefined;
  chains = [];
  checked = new Set();
  scrub();
}

function ckd(chainCode, pub, index) {
  const data = Buffer.allocUnsafe(37);
  data.set(pub, 0);
  data.writeUInt32BE(index, 33);
  return createHmac('sha512', chainCode).update(data).digest();
}

function derive({ parent, indexes }) {
  const keys = new Uint8Array(indexes.length * 33);
  const invalid = [];
  for (let i = 0; i < indexes.length; i++) {
    const I = ckd(parent.chainCode, parent.publicKey, indexes[i]);
    const IL = I.subarray(0, 32);
    // As electron/wallet/derive.ts childPublic: point(IL) + K_par through the uncompressed parent.
    const key = ecc.isPrivate(IL) ? ecc.pointAdd(parent.uncompressed, ecc.pointFromScalar(IL, false), true) : ecc.pointAddScalar(parent.publicKey, IL, true);
    if (key) keys.set(key, i * 33);
    else invalid.push(indexes[i]);
  }
  return { keys, invalid };
}

class SignError extends Error {
  constructor(message, code) {
    super(message);
    this.code = code;
  }
}

const eq = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);

function sign({ jobs }) {
  if (!secrets) throw new SignError('the signing worker holds no key', 'signing_key_missing');
  const n = jobs.index.length;
  const sigs = new Uint8Array(n * 64);
  const leaf = new Uint8Array(new ArrayBuffer(32));
  try {
    for (let j = 0; j < n; j++) {
      const at = jobs.chain[j];
      const node = secrets.subarray(at * NODE_BYTES, (at + 1) * NODE_BYTES);
      const I = ckd(node.subarray(32, 64), node.subarray(64, 97), jobs.index[j]);
      try {
        const IL = I.subarray(0, 32);
        const sum = ecc.isPrivate(IL) ? ecc.privateAdd(node.subarray(0, 32), IL) : null;
        if (!sum) throw new SignError(`BIP32 child ${jobs.index[j]} is invalid for this key`, 'derivation_invalid');
        leaf.set(sum);
        sum.fill(0);
      } finally {
        I.fill(0);
      }
      const expected = jobs.expected.subarray(j * 33, (j + 1) * 33);
      if (!checked.has(at)) {
        const pub = ecc.pointFromScalar(leaf, true);
        if (!pub || !eq(pub, expected)) {
          throw new SignError(`the derived signing key at chain ${chains[at]} index ${jobs.index[j]} is not the wallet's user key there`, 'signing_key_mismatch');
        }
        checked.add(at);
      }
      const digest = jobs.digest.subarray(j * 32, (j + 1) * 32);
      // RFC6979 without extra entropy; BIP340 with 32 zero bytes of aux randomness: BitGo's exact signatures.
      sigs.set(jobs.kind[j] === 1 ? ecc.signSchnorr(digest, leaf, ZERO32) : ecc.sign(digest, leaf), j * 64);
      leaf.fill(0);
    }
    return { sigs };
  } finally {
    leaf.fill(0);
    scrub();
  }
}

parentPort.on('message', (msg) => {
  const { id } = msg;
  try {
    if (msg.op === 'derive') {
      const out = derive(msg);
      parentPort.postMessage({ id, ...out }, [out.keys.buffer]);
    } else if (msg.op === 'keys') {
      forget();
      secrets = new Uint8Array(msg.secrets);
      chains = msg.chains;
      parentPort.postMessage({ id });
    } else if (msg.op === 'sign') {
      const out = sign(msg);
      parentPort.postMessage({ id, sigs: out.sigs }, [out.sigs.buffer]);
    } else if (msg.op === 'forget') {
      forget();
      parentPort.postMessage({ id });
    } else throw new SignError(`unknown operation ${String(msg.op)}`, 'internal_error');
  } catch (e) {
    if (msg.op === 'sign') forget(); // a failed check or an invalid child: this key is not used again
    parentPort.postMessage({ id, error: { message: e instanceof Error ? e.message : String(e), code: e instanceof SignError ? e.code : 'internal_error' } });
  }
});
