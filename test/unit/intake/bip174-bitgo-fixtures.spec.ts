// The strict reader and the signer input checks on every PSBT in BitGo's external-signer fixtures
// (test/fixtures/bitgo, see its PROVENANCE.md): requests and BitGo's own half-signed responses must load and
// re-serialize byte for byte, and every input must pass the checks, except that BitGo's p2sh inputs carry only
// witness_utxo and are refused unless the engine uses the named opt-out.
import { test, expect } from '@playwright/test';
import { readFileSync, readdirSync } from 'node:fs';
import { decodePsbtText, parsePsbtStrict, type RawEntry } from '../../../electron/intake/psbt-strict';
import { serializePsbt, withAddedInputEntries } from '../../../electron/intake/psbt-write';
import { bytesEqual, toHex } from '../../../electron/util/bytes';
import { InputCheckError, checkForSigning, checkStrictInput, checkTransactionForSigning } from '../../../electron/intake/input-checks';

const dir = new URL('../../fixtures/bitgo/cases/', import.meta.url);

interface Doc {
  file: string;
  text: string;
}

const docs: Doc[] = [];
for (const file of readdirSync(dir).sort()) {
  const j = JSON.parse(readFileSync(new URL(file, dir), 'utf8')) as { txHex?: string; txPrebuild?: { txHex?: string; txBase64?: string } };
  const text = j.txPrebuild?.txHex ?? j.txPrebuild?.txBase64 ?? j.txHex;
  // The legacy (pre-PSBT) format is a network transaction; it is handled elsewhere and is not a PSBT.
  if (typeof text === 'string' && /^(70736274ff|cHNidP8)/i.test(text)) docs.push({ file, text });
}

test('the BitGo fixture set holds PSBT requests and responses', () => {
  expect(docs.filter((d) => d.file.endsWith('.request.json')).length).toBeGreaterThan(10);
  expect(docs.filter((d) => d.file.endsWith('.response.json')).length).toBeGreaterThan(10);
});

for (const d of docs) {
  test(`${d.file}: strict parse, exact round-trip, input checks`, () => {
    const { bytes } = decodePsbtText(d.text);
    const psbt = parsePsbtStrict(bytes);
    expect(bytesEqual(serializePsbt(psbt), bytes)).toBe(true);
    expect(psbt.version).toBe(0);
    // BitGo's derivationSeed wallets put a depth-3 xpub with an empty path in the global map: BIP174 wants the
    // path length to equal the depth, so the reader loads it with a warning instead of refusing it.
    if (d.file.startsWith('p2wsh-derivation-seed.')) {
      expect(psbt.warnings.map((w) => w.code)).toEqual(['psbt_xpub_depth_mismatch']);
      expect(psbt.warnings[0]?.message).toMatch(/^global map PSBT_GLOBAL_XPUB \(0x01\): derivation path has 0 steps but the extended public key's depth is 3$/);
    } else {
      expect(psbt.warnings).toEqual([]);
    }
    checkTransactionForSigning(psbt);
    for (let i = 0; i < psbt.inputs.length; i++) {
      let checked;
      try {
        checked = checkStrictInput(psbt, i);
      } catch (e) {
        // Only BitGo's p2sh inputs may fail, and only for the witness_utxo-only reason.
        expect(e).toBeInstanceOf(InputCheckError);
        expect((e as InputCheckError).code).toBe('input_witness_utxo_for_non_segwit');
        checked = checkStrictInput(psbt, i, { DANGER_allowWitnessUtxoForNonSegwit: true });
        expect(checked.spendType).toBe('p2sh');
      }
      expect(['p2sh', 'p2sh-p2wsh', 'p2wsh', 'p2tr']).toContain(checked.spendType);
      expect(checked.sighashType).toBe(checked.taproot ? 0 : 1);
    }
    // The one-call form agrees, input by input, once the p2sh opt-out is given.
    const all = checkForSigning(psbt, undefined, { DANGER_allowWitnessUtxoForNonSegwit: true });
    expect(all.map((c) => c.index)).toEqual(psbt.inputs.map((_, i) => i));
  });
}

// BitGo's signer output is its request plus new key-value pairs, each inserted in key order, with nothing
// removed or moved (finding used by the engine: withInputEntries gives byte-identical responses).
const pairs: { name: string; request: string; response: string }[] = [];
for (const d of docs.filter((x) => x.file.endsWith('.request.json'))) {
  const res = docs.find((x) => x.file === d.file.replace('.request.json', '.response.json'));
  if (res) pairs.push({ name: d.file.replace('.request.json', ''), request: d.text, response: res.text });
}

const entryId = (e: RawEntry) => `${toHex(e.key)}=${toHex(e.value)}`;

test('BitGo request/response pairs are present', () => {
  expect(pairs.length).toBeGreaterThan(10);
});

for (const pair of pairs) {
  test(`${pair.name}: BitGo's response is the request plus ordered insertions only`, () => {
    const req = parsePsbtStrict(decodePsbtText(pair.request).bytes);
    const resBytes = decodePsbtText(pair.response).bytes;
    const res = parsePsbtStrict(resBytes);
    expect(serializePsbt({ global: res.global, inputs: [], outputs: res.outputs })).toEqual(serializePsbt({ global: req.global, inputs: [], outputs: req.outputs }));
    const additions: { index: number; entries: RawEntry[] }[] = [];
    const addedTypes = new Set<number>();
    req.inputs.forEach((map, i) => {
      const before = new Set(map.map(entryId));
      const after = res.inputs[i] ?? [];
      const afterIds = new Set(after.map(entryId));
      expect(map.every((e) => afterIds.has(entryId(e))), `input ${i}: nothing removed or changed`).toBe(true);
      const added = after.filter((e) => !before.has(entryId(e)));
      added.forEach((e) => addedTypes.add(e.keyType));
      additions.push({ index: i, entries: added });
    });
    const rebuilt = withAddedInputEntries(req, additions);
    expect(bytesEqual(serializePsbt(rebuilt), resBytes)).toBe(true);
    // Signatures (ECDSA partial sigs, taproot script-path sigs) or BitGo's proprietary MuSig2 records only.
    expect([...addedTypes].every((t) => t === 0x02 || t === 0x14 || t === 0xfc)).toBe(true);
    expect(addedTypes.size).toBeGreaterThan(0);
  });
}
