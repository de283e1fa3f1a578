// The Argon2id derivation of a v2 key envelope, in a worker thread started by argon2-thread.ts: a v2 unlock costs
// 64 MiB and a quarter second at BitGo's defaults, up to 256 MiB and several seconds at BitGo's caps, and in the main
// process that would freeze the window and every IPC call meanwhile.
//
// Plain JavaScript (ES module) so that Node loads it as it is from the sources (tests, the CLI); the built app gets a
// self-contained CommonJS bundle of it (build/scripts/build.mjs -> build/out/main/argon2-worker.cjs).
//
// In: workerData { password: ArrayBuffer (the passphrase's UTF-8 bytes, TRANSFERRED: this thread owns the only copy),
// salt: Uint8Array (copied; public), m, t, p }. Out: one message { key: ArrayBuffer } (32 bytes, transferred) or
// { error: string } (no secret in it). The password bytes and hash-wasm's output are wiped here; hash-wasm's own
// WebAssembly memory (the Argon2 blocks, its copy of the password) goes when the thread ends and its isolate with it.
import { parentPort, workerData } from 'node:worker_threads';
import { argon2id } from 'hash-wasm';

async function derive() {
  const password = new Uint8Array(workerData.password);
  try {
    const hash = await argon2id({
      password,
      salt: workerData.salt,
      memorySize: workerData.m,
      iterations: workerData.t,
      parallelism: workerData.p,
      hashLength: 32,
      outputType: 'binary',
    });
    // hash-wasm returns a 32-byte typed array inside V8's heap; the key leaves in an ArrayBuffer of its own.
    const key = new ArrayBuffer(32);
    new Uint8Array(key).set(hash);
    hash.fill(0);
    parentPort.postMessage({ key }, [key]);
  } finally {
    password.fill(0);
  }
}

derive().catch((e) => parentPort.postMessage({ error: e instanceof Error ? e.message : String(e) }));
