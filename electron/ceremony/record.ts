// The ceremony record: what a "create" step leaves on the air-gapped machine for the later steps (KeyCard, public
// export, key file entry), since BitGo's key only exists once the online side has created the wallet, hours or days
// later. It holds the two new keys' xpubs and their ENCRYPTED private keys (the same envelopes a KeyCard's boxes A
// and B print), how the entropy was gathered, and the self-test's outcome. It holds no seed, no passphrase, no dice
// rolls and no hash of them (with the exported computer entropy, the dice hash alone would rebuild both keys).
// Written once, atomically, mode 0600, never over an existing file; parsed strictly.
//
//   { "format": "offline-signer-ceremony", "version": 1, "createdAt": "<ISO>", "label": "...", "coin": "btc",
//     "entropy": { "operator": "dice" | "text", "bits": 255, "rolls": 99, "mix": "hmac-sha512-v1",
//                  "computerEntropySha256": "<hex: identifies the exported check file, reveals nothing>" },
//     "selfTest": { "ok": true, "checks": 10 },
//     "keys": { "user":   { "xpub": "xpub...", "encryptedPrv": "<BitGo envelope JSON string>" },
//               "backup": { "xpub": "xpub...", "encryptedPrv": "<...>" } } }
import { COIN, WALLET_LABEL, XPUB_TEXT, type Coin } from '../../shared/registry';
import * as s from '../../shared/schema';
import { parseEnvelope } from '../keystore/envelope';
import { parseJsonStrict } from '../util/json';
import { CeremonyError } from './errors';
import { parsePublishedXpub } from './keys';

export const RECORD_FORMAT = 'offline-signer-ceremony';
export const RECORD_VERSION = 1;

const KEY = s.object({ xpub: XPUB_TEXT, encryptedPrv: s.string({ min: 10, max: 16_384 }) });
const RECORD = s.object({
  format: s.literal(RECORD_FORMAT),
  version: s.literal(RECORD_VERSION),
  createdAt: s.string({ min: 1, max: 40 }),
  label: WALLET_LABEL,
  coin: COIN,
  entropy: s.object({
    operator: s.literal('dice', 'text'),
    bits: s.number({ min: 0, max: 1_000_000, integer: true }),
    rolls: s.optional(s.number({ min: 0, max: 1_000_000, integer: true })),
    mix: s.literal('hmac-sha512-v1'),
    computerEntropySha256: s.string({ min: 64, max: 64, pattern: /^[0-9a-f]+$/, patternName: 'sha256 hex' }),
  }),
  selfTest: s.object({ ok: s.literal(true), checks: s.number({ min: 1, max: 1000, integer: true }) }),
  keys: s.object({ user: KEY, backup: KEY }),
});

export type CeremonyRecord = s.Infer<typeof RECORD>;
export interface RecordKey {
  xpub: string;
  encryptedPrv: string;
}

export function parseRecord(text: string, name: string): CeremonyRecord {
  const json = parseJsonStrict(text.replace(/^\uFEFF/, ''));
  if ('syntax' in json) throw new CeremonyError(`${name} is not valid JSON; it is not a ceremony file or it is damaged`, 'ceremony_file_invalid');
  if ('duplicate' in json) throw new CeremonyError(`${name} gives ${json.duplicate.key} twice; refusing to guess which is meant`, 'ceremony_file_invalid');
  const record = s.parseWith(RECORD, json.value, (e) => new CeremonyError(`${name}: ${e.path || 'the file'}: ${e.reason}`, 'ceremony_file_invalid'));
  for (const role of ['user', 'backup'] as const) {
    parsePublishedXpub(record.keys[role].xpub, `${name}: keys.${role}.xpub`);
    try {
      parseEnvelope(record.keys[role].encryptedPrv, `${name}: keys.${role}`);
    } catch (e) {
      throw new CeremonyError(`${name}: keys.${role}.encryptedPrv is not a BitGo envelope (${e instanceof Error ? e.message : 'unreadable'})`, 'ceremony_file_invalid');
    }
  }
  if (record.keys.user.xpub === record.keys.backup.xpub) throw new CeremonyError(`${name}: the user and backup keys are the same key`, 'ceremony_file_invalid');
  return record;
}

export function serializeRecord(record: CeremonyRecord): string {
  return `${JSON.stringify(RECORD.parse(record), null, 2)}\n`;
}

/** A file name from the label: letters, digits, dashes (the label itself stays in the file). */
export function slugOf(label: string): string {
  const slug = label
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .toLowerCase()
    .slice(0, 60);
  return slug === '' ? 'wallet' : slug;
}

export type { Coin };
