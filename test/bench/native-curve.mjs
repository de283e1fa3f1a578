// libsecp256k1's own speed on this machine, as context for the curve floor of issue 17 (README "Performance"):
// the native library against the WebAssembly build the signer uses (tiny-secp256k1), one operation at a time, in
// the same run. The native library is NOT a dependency of this project (README says why); this script loads a
// binding the person measuring fetched into a scratch folder, e.g.
//   cd "$(mktemp -d)" && npm pack secp256k1@5.0.2 && tar xzf secp256k1-5.0.2.tgz
//   node <repo>/test/bench/native-curve.mjs "$PWD/package/prebuilds/linux-x64/secp256k1.glibc.node"
// It measures the operations a signed input costs: a fixed-base multiplication (public key from a scalar: the
// heart of each BIP32 derivation) and an RFC6979 ECDSA signature, and checks both libraries give the same bytes.
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import * as tiny from 'tiny-secp256k1';

const addon = process.argv[2];
if (!addon) {
  process.stderr.write('usage: node test/bench/native-curve.mjs <path to a secp256k1-node binding (.node)>\n');
  process.exit(2);
}
const binding = createRequire(import.meta.url)(addon);
const native = new binding.Secp256k1();
const N = 3000;
const sha = (s) => new Uint8Array(createHash('sha256').update(s).digest());
const scalars = Array.from({ length: N }, (_, i) => sha(`scalar ${i}`));
const digest = sha('message');

const nativePub = (k) => {
  const out = new Uint8Array(33);
  if (native.publicKeyCreate(out, k) !== 0) throw new Error('native publicKeyCreate failed');
  return out;
};
const nativeSign = (k) => {
  const out = { signature: new Uint8Array(64), recid: null };
  if (native.ecdsaSign(out, digest, k, undefined, undefined) !== 0) throw new Error('native ecdsaSign failed');
  return out.signature;
};
const hex = (b) => Buffer.from(b).toString('hex');
for (const k of scalars.slice(0, 20)) {
  if (hex(nativePub(k)) !== hex(tiny.pointFromScalar(k, true))) throw new Error('public keys differ');
  if (hex(nativeSign(k)) !== hex(tiny.sign(digest, k))) throw new Error('signatures differ');
}

/** Median microseconds per operation over interleaved rounds. */
function time(rows) {
  const times = rows.map(() => []);
  for (let round = 0; round < 7; round++) {
    rows.forEach(([, f], i) => {
      const started = process.hrtime.bigint();
      for (const k of scalars) f(k);
      if (round > 1) times[i].push(Number(process.hrtime.bigint() - started) / 1000 / N);
    });
  }
  return rows.map(([name], i) => [name, times[i].sort((a, b) => a - b)[Math.floor(times[i].length / 2)]]);
}

const results = time([
  ['public key from a scalar, WebAssembly (tiny-secp256k1)', (k) => tiny.pointFromScalar(k, true)],
  ['public key from a scalar, native libsecp256k1', nativePub],
  ['ECDSA signature, WebAssembly (tiny-secp256k1)', (k) => tiny.sign(digest, k)],
  ['ECDSA signature, native libsecp256k1', nativeSign],
]);
process.stdout.write('| operation | us each |\n|---|---:|\n');
for (const [name, us] of results) process.stdout.write(`| ${name} | ${us.toFixed(1)} |\n`);
process.stdout.write(`\nnative vs WebAssembly: public key ${(results[0][1] / results[1][1]).toFixed(1)}x, signature ${(results[2][1] / results[3][1]).toFixed(1)}x faster (same bytes on 20 keys)\n`);
