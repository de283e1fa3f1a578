// BitGo fixture requests for the specs that review, approve or sign them (review, approval, CLI, workflow, e2e):
// load one and mutate its PSBT at the byte-map level (the strict parser's raw maps and the unsigned transaction),
// so every mutation is exactly the one named.
import { readFileSync } from 'node:fs';
import { parsePsbtStrict, type RawEntry } from '../../electron/intake/psbt-strict';
import { serializePsbt } from '../../electron/intake/psbt-write';
import { parseTx, serializeTxNoWitness, type ParsedTx } from '../../electron/intake/psbt-tx';

export const CASES = new URL('../fixtures/bitgo/cases/', import.meta.url);
export const WALLETS = JSON.parse(readFileSync(new URL('../fixtures/bitgo/wallets.json', import.meta.url), 'utf8')) as Record<string, { walletId: string; xpubs: { user: string; backup: string; bitgo: string } }>;

export function caseText(name: string): string {
  return readFileSync(new URL(`${name}.request.json`, CASES), 'utf8');
}

export interface Doc {
  global: RawEntry[];
  inputs: RawEntry[][];
  outputs: RawEntry[][];
  tx: ParsedTx;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** Loads fixture `name`, applies `fn` to its PSBT maps / unsigned tx / JSON body, and returns the new request text. */
export function mutateRequest(name: string, fn: (d: Doc) => void): string {
  return mutateText(caseText(name), fn);
}

/** mutateRequest on a PSBT request's text. */
export function mutateText(text: string, fn: (d: Doc) => void): string {
  const body = JSON.parse(text);
  const p = parsePsbtStrict(Buffer.from(body.txPrebuild.txHex, 'hex'));
  const txEntry = p.global.find((e) => e.keyType === 0 && e.keyData.length === 0)!;
  const d: Doc = { global: p.global.slice(), inputs: p.inputs.map((m) => m.slice()), outputs: p.outputs.map((m) => m.slice()), tx: parseTx(txEntry.value, 'tx', false), body };
  fn(d);
  d.global = d.global.map((e) => (e === txEntry ? { ...e, value: serializeTxNoWitness(d.tx) } : e));
  body.txPrebuild.txHex = hex(serializePsbt(d));
  return JSON.stringify(body);
}

/** Sets (or adds) the entry with this key type and key data in a map. */
export function setEntry(map: RawEntry[], keyType: number, keyData: Uint8Array, value: Uint8Array): void {
  const key = Uint8Array.of(keyType, ...keyData);
  const at = map.findIndex((e) => Buffer.compare(Buffer.from(e.key), Buffer.from(key)) === 0);
  const entry = { keyType, key, keyData, value };
  if (at >= 0) map[at] = entry;
  else map.push(entry);
}

export function entries(map: RawEntry[], keyType: number): RawEntry[] {
  return map.filter((e) => e.keyType === keyType);
}

/** BIP174 key origin value: fingerprint then little-endian u32 path steps. */
export function keyOrigin(fingerprint: Uint8Array, path: number[]): Uint8Array {
  const out = Buffer.alloc(4 + 4 * path.length);
  Buffer.from(fingerprint).copy(out, 0);
  path.forEach((s, i) => out.writeUInt32LE(s >>> 0, 4 + 4 * i));
  return out;
}
