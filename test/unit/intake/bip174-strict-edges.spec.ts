// Strict-reader rules that the public vectors do not reach, each shown by one edit to a valid vector: CompactSize
// canonicality, trailing data, versions, global xpub keys, taproot trees, hash preimages, v2 counts, and the
// byte-preserving edit helpers.
import { test, expect } from '@playwright/test';
import { crypto as bcrypto } from 'bitcoinjs-lib';
import { determineLocktime, parsePsbtStrict, type RawEntry, type StrictPsbt } from '../../../electron/intake/psbt-strict';
import { globalXpubs, outputFields } from '../../../electron/intake/psbt-view';
import { insertEntry, partialSigEntry, proprietaryEntry, serializePsbt, withInputEntries } from '../../../electron/intake/psbt-write';
import { PsbtFormatError } from '../../../electron/intake/byte-reader';
import { bytesEqual, compactSizeBytes, concatBytes, u32leBytes } from '../../../electron/util/bytes';
import { b64, loadVectors } from '../../support/psbt-vectors';

const bip174 = loadVectors('bip174_vectors.json').cases;
const bip370 = loadVectors('bip370_psbtv2_vectors.json').cases;
const bip371 = loadVectors('bip371_taproot_vectors.json').cases;
const base = parsePsbtStrict(b64(bip174.find((c) => c.id === 'bip174-37')?.expectedOutputBase64 as string));
const v2 = parsePsbtStrict(b64(bip370.find((c) => c.expect === 'valid')?.psbtBase64 as string));

function entry(keyType: number, keyData: Uint8Array, value: Uint8Array): RawEntry {
  const key = concatBytes([compactSizeBytes(keyType), keyData]);
  return { keyType, key, keyData, value };
}

function refusal(bytes: Uint8Array): string {
  try {
    parsePsbtStrict(bytes);
  } catch (e) {
    expect(e).toBeInstanceOf(PsbtFormatError);
    expect((e as PsbtFormatError).code).toBe('psbt_invalid');
    return (e as PsbtFormatError).message;
  }
  throw new Error('document was accepted');
}

function withGlobal(p: StrictPsbt, extra: RawEntry): Uint8Array {
  return serializePsbt({ ...p, global: [...p.global, extra] });
}

function withOutput0(p: StrictPsbt, extra: RawEntry): Uint8Array {
  return serializePsbt({ ...p, outputs: [[...(p.outputs[0] ?? []), extra], ...p.outputs.slice(1)] });
}

function withInput0(p: StrictPsbt, extra: RawEntry): Uint8Array {
  return serializePsbt({ ...p, inputs: [[...(p.inputs[0] ?? []), extra], ...p.inputs.slice(1)] });
}

test('the base documents are valid and round-trip', () => {
  expect(bytesEqual(serializePsbt(parsePsbtStrict(serializePsbt(base))), serializePsbt(base))).toBe(true);
  expect(v2.version).toBe(2);
});

test('non-canonical CompactSize for a key length is refused', () => {
  const good = serializePsbt(base);
  // The first byte after the magic is the first key's length (1: PSBT_GLOBAL_UNSIGNED_TX); spell it fd 01 00.
  expect(good[5]).toBe(1);
  const bad = concatBytes([good.subarray(0, 5), Uint8Array.of(0xfd, 0x01, 0x00), good.subarray(6)]);
  expect(refusal(bad)).toMatch(/non-canonical CompactSize/);
});

test('non-canonical CompactSize inside the key type is refused', () => {
  const key = Uint8Array.of(0xfd, 0xf0, 0x00); // 0xf0 written in three bytes
  const bad = withGlobal(base, { keyType: 0xf0, key, keyData: new Uint8Array(0), value: Uint8Array.of(1) });
  expect(refusal(bad)).toMatch(/non-canonical CompactSize/);
});

test('multi-byte key types (unknown) are kept and round-trip', () => {
  const bytes = withGlobal(base, entry(0x1234, Uint8Array.of(1, 2), Uint8Array.of(3)));
  expect(bytesEqual(serializePsbt(parsePsbtStrict(bytes)), bytes)).toBe(true);
});

test('extra bytes after the last output map are refused', () => {
  expect(refusal(concatBytes([serializePsbt(base), Uint8Array.of(0x00)]))).toMatch(/extra data after the last output map/);
});

test('PSBT_GLOBAL_VERSION: 1 and other undefined versions, and a short value, are refused', () => {
  expect(refusal(withGlobal(base, entry(0xfb, new Uint8Array(0), u32leBytes(1))))).toMatch(/unsupported PSBT version 1/);
  expect(refusal(withGlobal(base, entry(0xfb, new Uint8Array(0), u32leBytes(3))))).toMatch(/unsupported PSBT version 3/);
  expect(refusal(withGlobal(base, entry(0xfb, new Uint8Array(0), Uint8Array.of(0))))).toMatch(/must be 4 bytes/);
  // Explicit version 0 is the default and fine.
  parsePsbtStrict(withGlobal(base, entry(0xfb, new Uint8Array(0), u32leBytes(0))));
});

test('duplicate unknown keys in the global map are refused', () => {
  const e = entry(0xf0, Uint8Array.of(9), Uint8Array.of(1));
  const bytes = serializePsbt({ ...base, global: [...base.global, e, { ...e, value: Uint8Array.of(2) }] });
  expect(refusal(bytes)).toMatch(/global map: duplicate key/);
});

test('PSBT_GLOBAL_XPUB whose key is not on the curve is refused', () => {
  const xpub = new Uint8Array(78);
  xpub[45] = 0x02; // compressed prefix, x = 0: not a curve point
  expect(refusal(withGlobal(base, entry(0x01, xpub, Uint8Array.of(0, 0, 0, 0))))).toMatch(/PSBT_GLOBAL_XPUB .*extended public key/);
});

test('key origin values must be a fingerprint plus whole path steps', () => {
  const pubkey = base.inputs[0]?.find((e) => e.keyType === 0x06)?.keyData as Uint8Array;
  expect(refusal(withOutput0(base, entry(0x02, pubkey, Uint8Array.of(1, 2, 3, 4, 5))))).toMatch(/key origin must be/);
  expect(refusal(withOutput0(base, entry(0x02, pubkey, new Uint8Array(0))))).toMatch(/key origin must be/);
});

test('hash preimage fields must hash to their key', () => {
  const pre = Uint8Array.of(1, 2, 3);
  parsePsbtStrict(withInput0(base, entry(0x0b, bcrypto.sha256(pre), pre)));
  expect(refusal(withInput0(base, entry(0x0b, bcrypto.sha256(pre), Uint8Array.of(1, 2, 4))))).toMatch(/SHA256 preimage does not hash to the key/);
  expect(refusal(withInput0(base, entry(0x0c, bcrypto.hash160(pre), Uint8Array.of(0))))).toMatch(/HASH160 preimage/);
});

test('PSBT_OUT_TAP_TREE must describe a complete tree in depth-first order', () => {
  const leaf = (depth: number, version = 0xc0) => Uint8Array.of(depth, version, 1, 0x51);
  const tree = (...leaves: Uint8Array[]) => entry(0x06, new Uint8Array(0), concatBytes(leaves));
  for (const ok of [[leaf(0)], [leaf(1), leaf(1)], [leaf(1), leaf(2), leaf(2)], [leaf(2), leaf(2), leaf(1)]]) {
    parsePsbtStrict(withOutput0(base, tree(...ok)));
  }
  expect(refusal(withOutput0(base, tree(leaf(1))))).toMatch(/complete binary tree/);
  expect(refusal(withOutput0(base, tree(leaf(2), leaf(1), leaf(2))))).toMatch(/cannot follow an unfinished subtree/);
  expect(refusal(withOutput0(base, tree(leaf(0), leaf(0))))).toMatch(/already complete/);
  expect(refusal(withOutput0(base, tree(leaf(0, 0xc1))))).toMatch(/low bit set/);
  expect(refusal(withOutput0(base, tree(leaf(129), leaf(129))))).toMatch(/exceeds 128/);
  expect(refusal(withOutput0(base, tree()))).toMatch(/at least one leaf/);
});

test('taproot vectors keep their fields intact through a round-trip', () => {
  for (const c of bip371.filter((x) => x.expect === 'valid')) {
    const bytes = b64(c.psbtBase64 as string);
    expect(bytesEqual(serializePsbt(parsePsbtStrict(bytes)), bytes)).toBe(true);
  }
});

test('v2: declared input/output counts must match the maps present', () => {
  const setCount = (type: number, n: number) =>
    serializePsbt({ ...v2, global: v2.global.map((e) => (e.keyType === type ? { ...e, value: compactSizeBytes(n) } : e)) });
  // One input too many: the first output map is read as an input map and fails somewhere; any refusal will do.
  expect(refusal(setCount(0x04, v2.inputs.length + 1))).toMatch(/^(input|output|PSBT|global)/);
  expect(refusal(setCount(0x04, v2.inputs.length - 1))).toMatch(/extra data/);
  expect(refusal(setCount(0x05, v2.outputs.length + 1))).toMatch(/truncated|declares/);
  expect(refusal(setCount(0x04, 0x7fffffff))).toMatch(/declares/);
});

test('v2: the tx view is assembled from the per-map fields', () => {
  expect(v2.tx.inputs.length).toBe(v2.inputs.length);
  expect(v2.tx.outputs.length).toBe(v2.outputs.length);
  expect(v2.tx.inputs[0]?.prevTxid.length).toBe(32);
  expect(typeof v2.tx.outputs[0]?.value).toBe('bigint');
});

test('v0: determineLocktime is the unsigned tx locktime', () => {
  expect(determineLocktime(base)).toBe(base.tx.locktime);
});

test('insertEntry keeps key order, leaves other bytes alone, and refuses an existing key', () => {
  const map = base.inputs[1] ?? [];
  const pubkey = map.find((e) => e.keyType === 0x06)?.keyData as Uint8Array;
  const added = insertEntry(map, partialSigEntry(pubkey, Uint8Array.of(0x30, 0x01)), 'input 1');
  expect(added.length).toBe(map.length + 1);
  const at = added.findIndex((e) => e.keyType === 0x02);
  expect(added.slice(0, at)).toEqual(map.slice(0, at));
  expect(added.slice(at + 1)).toEqual(map.slice(at));
  let code: string | undefined;
  try {
    insertEntry(added, partialSigEntry(pubkey, Uint8Array.of(0x30, 0x02)), 'input 1');
  } catch (e) {
    code = (e as PsbtFormatError).code;
  }
  expect(code).toBe('psbt_duplicate_key');
});

test('decoded output fields and global xpubs', () => {
  // bip174-26: P2WSH 2-of-2 with global xpubs and output derivations.
  const doc = parsePsbtStrict(b64(bip174.find((c) => c.id === 'bip174-26')?.psbtBase64 as string));
  const xpubs = globalXpubs(doc);
  expect(xpubs.length).toBeGreaterThan(0);
  for (const x of xpubs) {
    expect(x.xpub.length).toBe(78);
    expect(x.masterFingerprint.length).toBe(4);
  }
  for (let i = 0; i < doc.outputs.length; i++) {
    const f = outputFields(doc, i);
    expect(f.value).toBe(doc.tx.outputs[i]?.value);
    expect(bytesEqual(f.script, doc.tx.outputs[i]?.script as Uint8Array)).toBe(true);
    expect(f.bip32Derivation.length).toBe(doc.outputs[i]?.filter((e) => e.keyType === 0x02).length);
  }
  let code: string | undefined;
  try {
    outputFields(doc, doc.outputs.length);
  } catch (e) {
    code = (e as PsbtFormatError).code;
  }
  expect(code).toBe('output_index_out_of_range');
});

test('output proprietary entries decode into identifier, subtype, key data and value (BitGo\'s PayGo proof is one)', () => {
  const doc = parsePsbtStrict(b64(bip174.find((c) => c.id === 'bip174-26')?.psbtBase64 as string));
  const e = proprietaryEntry(new TextEncoder().encode('BITGO'), 4, new Uint8Array(64).fill(7), Uint8Array.of(31, 2, 3));
  const outputs = doc.outputs.map((m, i) => (i === 0 ? insertEntry(m, e, 'output 0') : m));
  const f = outputFields(parsePsbtStrict(serializePsbt({ ...doc, outputs })), 0);
  expect(f.proprietary).toHaveLength(1);
  const [p] = f.proprietary;
  expect(new TextDecoder().decode(p!.identifier)).toBe('BITGO');
  expect(p!.subtype).toBe(4);
  expect(bytesEqual(p!.keyData, new Uint8Array(64).fill(7))).toBe(true);
  expect(bytesEqual(p!.value, Uint8Array.of(31, 2, 3))).toBe(true);
  expect(outputFields(doc, 0).proprietary).toEqual([]);
});

test('taproot output fields decode from the BIP371 valid vectors', () => {
  let seen = 0;
  for (const c of bip371.filter((x) => x.expect === 'valid')) {
    const doc = parsePsbtStrict(b64(c.psbtBase64 as string));
    for (let i = 0; i < doc.outputs.length; i++) {
      const f = outputFields(doc, i);
      for (const d of f.tapBip32Derivation) {
        expect(d.xOnlyPubkey.length).toBe(32);
        expect(d.leafHashes.every((h) => h.length === 32)).toBe(true);
        seen++;
      }
    }
  }
  expect(seen).toBeGreaterThan(0);
});

test('the parsed document does not change when the caller reuses its buffer', () => {
  const bytes = serializePsbt(base);
  const copy = Uint8Array.from(bytes);
  const doc = parsePsbtStrict(bytes);
  bytes.fill(0);
  expect(bytesEqual(serializePsbt(doc), copy)).toBe(true);
});

test('SLIP-0019 ownership fields (listed in BIP174) must have no key data', () => {
  parsePsbtStrict(withGlobal(base, entry(0x07, new Uint8Array(0), Uint8Array.of(1, 2))));
  expect(refusal(withGlobal(base, entry(0x07, Uint8Array.of(1), Uint8Array.of(1))))).toMatch(/PSBT_GLOBAL_OWNERSHIP_COMMITMENT \(0x07\): key must have no key data/);
  parsePsbtStrict(withInput0(base, entry(0x19, new Uint8Array(0), Uint8Array.of(1))));
  expect(refusal(withInput0(base, entry(0x19, Uint8Array.of(1), Uint8Array.of(1))))).toMatch(/PSBT_IN_OWNERSHIP_PROOF \(0x19\): key must have no key data/);
});

test('v2: adding a signature clears the Inputs/Outputs Modifiable flags (BIP370 Signer), other bits kept', () => {
  // bip370-37: every PSBT_GLOBAL_TX_MODIFIABLE bit set.
  const doc = parsePsbtStrict(b64(bip370.find((c) => c.id === 'bip370-37')?.psbtBase64 as string));
  const flags = (p: StrictPsbt) => p.global.find((e) => e.keyType === 0x06)?.value[0];
  expect(flags(doc)).toBe(0xff);
  const pubkey = Uint8Array.from(Buffer.from('029583bf39ae0a609747ad199addd634fa6108559d6c5cd39b4c2183f1ab96e07f', 'hex'));
  const signedDoc = withInputEntries(doc, 0, [partialSigEntry(pubkey, Uint8Array.of(0x30, 0x01))]);
  expect(flags(signedDoc)).toBe(0xfc);
  // A non-signature record (e.g. a proprietary nonce) leaves the flags alone.
  const noted = withInputEntries(doc, 0, [proprietaryEntry(Uint8Array.of(1), 1, new Uint8Array(0), Uint8Array.of(1))]);
  expect(flags(noted)).toBe(0xff);
});
