// The kept MuSig2 nonces: what lets a signature request (BitGo's signingStep "signerSignature") find the secret
// nonce this signer made for it in the earlier nonce request ("signerNonce"), across the file round trip and a
// restart, and use it at most once. BitGo Express keeps it in memory (abstract-utxo's PSBT_CACHE, by unsigned
// txid); an air-gapped signer is restarted between the two files, so it keeps it on disk, sealed.
//
// ----- SECURITY: do not change without review ---------------------------------------------------------------
// - What is stored per (wallet, unsigned txid, input): the public nonce, the message it was made for (the BIP341
//   key-path signature hash), its state and times, and the secret nonce SEALED by the key store (AES-256-GCM under
//   a key derived from the unlocked wallet key, bound to the session and the public nonce: keystore/signer.ts).
//   Nothing here can open it; the file alone gives nothing.
// - Single use: consume() marks each nonce used and deletes its sealed bytes, and writes that to disk BEFORE the
//   caller may sign with them. If the write fails, nothing is signed; if the process dies after it, the nonce is
//   gone (start again with a nonce request), never usable twice. A used nonce's record stays, so a second
//   signature request for it is refused as used, not as unknown.
// - A later nonce request for the same input replaces the pending nonce: the older one's sealed bytes are deleted.
// - Refusals: no record (made elsewhere, file lost, never made) musig2_nonce_missing; replaced musig2_nonce_missing;
//   used musig2_nonce_used; made for another message (the transaction or its spent amounts changed)
//   musig2_tx_changed. A file that does not read is musig2_nonce_store_invalid: never treated as empty.
// - A restored copy of this file (a backup, a second machine) would bring a used nonce back as pending. So each
//   signature step's audit entry (`request-signed`, on disk before its partial signatures are released) names the
//   nonces it used (nonceId below), and consume() asks that record first (`released`): a nonce on record is
//   refused as used whatever this file says. A restore of the whole data folder, audit log included, is not seen.
// ------------------------------------------------------------------------------------------------------------
import { createHash } from 'node:crypto';
import { SignerError } from '../../shared/errors';
import * as s from '../../shared/schema';
import { WALLET_ID } from '../../shared/wallet-id';
import type { Musig2NonceState, NonceView } from '../intake/musig2-fields';
import { fromHexStrict, toHex } from '../util/bytes';
import { parseJsonStrict } from '../util/json';
import type { LedgerStore } from './ledger';

export const NONCE_STORE_VERSION = 1;

export type NonceStoreCode = 'musig2_nonce_missing' | 'musig2_nonce_used' | 'musig2_tx_changed' | 'musig2_nonce_store_invalid' | 'musig2_nonce_store_unwritable';

export class NonceStoreError extends SignerError {
  readonly inputIndex: number | undefined;
  constructor(message: string, code: NonceStoreCode, inputIndex?: number) {
    super('Musig2Error', message, code);
    this.inputIndex = inputIndex;
  }
}

const HEX = (n: number) => s.string({ min: n, max: n, pattern: /^[0-9a-f]+$/, patternName: `${n / 2} bytes of hex` });
const RECORD = s.object({
  input: s.number({ min: 0, max: 0xffffffff, integer: true }),
  pubNonce: HEX(132),
  msg: HEX(64),
  sealed: s.optional(HEX(252)),
  state: s.literal('pending', 'used', 'replaced'),
  at: s.string({ max: 40 }),
  usedAt: s.optional(s.string({ max: 40 })),
});
const TXID = { min: 64, max: 64, pattern: /^[0-9a-f]{64}$/, patternName: 'a txid (64 hex digits)' };
const FILE = s.object({
  version: s.literal(NONCE_STORE_VERSION),
  wallets: s.record(s.record(s.array(RECORD, { max: 100_000 }), { max: 1_000_000, key: TXID }), { max: 100_000, key: { min: 1, max: 128, pattern: /^[A-Za-z0-9]+$/, patternName: 'a wallet id' } }),
});

type NonceFile = s.Infer<typeof FILE>;
type NonceRecord = s.Infer<typeof RECORD>;

/** A nonce made by the key store, to keep until its signature request. */
export interface NewNonce {
  input: number;
  pubNonce: Uint8Array;
  msg: Uint8Array;
  sealed: Uint8Array;
}

/** What a signature request asks to use: its input, the user's public nonce in the PSBT, the message now. */
export interface NonceUse {
  input: number;
  pubNonce: Uint8Array;
  msg: Uint8Array;
}

/**
 * A nonce's name in the audit log: the first 128 bits of sha256 of its public nonce (public data; short enough for a
 * request of thousands of inputs to fit one audit line, long enough that two nonces never share one by chance).
 */
export const nonceId = (pubNonce: Uint8Array): string => createHash('sha256').update(pubNonce).digest('hex').slice(0, 32);

/** The audit log's record of released nonces: for those of `ids` it names, when each was used. */
export type ReleasedNonces = (ids: ReadonlySet<string>) => Map<string, string>;

/** The nonce ids a log's entries record as used (a signature step's `request-signed` musig2.nonces), with their time. */
export function noncesOnRecord(entries: Iterable<{ at: string; event: unknown }>, ids: ReadonlySet<string>): Map<string, string> {
  const found = new Map<string, string>();
  for (const { at, event } of entries) {
    const m = (event as { type?: unknown; musig2?: { step?: unknown; nonces?: unknown } }).musig2;
    if ((event as { type?: unknown }).type !== 'request-signed' || m?.step !== 'signerSignature' || !Array.isArray(m.nonces)) continue;
    for (const id of m.nonces) if (typeof id === 'string' && ids.has(id) && !found.has(id)) found.set(id, at);
  }
  return found;
}

export class Musig2NonceStore {
  readonly #store: LedgerStore;
  readonly #now: () => Date;
  readonly #released: ReleasedNonces | undefined;

  /** `released`: the audit log's record of used nonces, asked before any nonce is taken (see the header). */
  constructor(store: LedgerStore, now: () => Date = () => new Date(), released?: ReleasedNonces) {
    this.#store = store;
    this.#now = now;
    this.#released = released;
  }

  get name(): string {
    return this.#store.name;
  }

  #load(): NonceFile {
    let text: string | undefined;
    const bad = (why: string) => new NonceStoreError(`the kept MuSig2 nonces ${this.#store.name} ${why}; nothing was signed (restore it from a backup, or move it away and start again with a nonce request)`, 'musig2_nonce_store_invalid');
    try {
      text = this.#store.read();
    } catch (e) {
      throw bad(`could not be read (${(e as NodeJS.ErrnoException).code ?? (e instanceof Error ? e.message : 'unknown error')})`);
    }
    if (text === undefined) return { version: NONCE_STORE_VERSION, wallets: {} };
    const json = parseJsonStrict(text);
    if ('syntax' in json) throw bad('is not valid JSON');
    if ('duplicate' in json) throw bad(`lists ${json.duplicate.path ? `${json.duplicate.path}.` : ''}${json.duplicate.key} twice`);
    return s.parseWith(FILE, json.value, (e) => bad(`is damaged at ${e.path || 'the top'}: ${e.reason}`));
  }

  #save(file: NonceFile, what: string): void {
    try {
      this.#store.write(`${JSON.stringify(file, null, 1)}\n`);
    } catch (e) {
      throw new NonceStoreError(`the kept MuSig2 nonces ${this.#store.name} could not be written (${e instanceof Error ? e.message : 'unknown error'}); ${what}`, 'musig2_nonce_store_unwritable');
    }
  }

  /** What is kept for this public nonce (for the review and the gate); undefined when there is no such record. */
  lookup(walletId: string, txid: string, input: number, pubNonce: Uint8Array): Musig2NonceState | undefined {
    const r = this.#load().wallets[walletId]?.[txid]?.find((x) => x.input === input && x.pubNonce === toHex(pubNonce));
    if (!r) return undefined;
    if (r.state === 'pending') return { state: 'pending', msg: r.msg };
    return r.state === 'used' ? { state: 'used' } : { state: 'replaced' };
  }

  /** One wallet's kept nonces without their sealed bytes, for a review on another thread (review/off-thread.ts). */
  view(walletId: string): NonceView {
    const wallet = this.#load().wallets[walletId] ?? {};
    return Object.fromEntries(Object.entries(wallet).map(([txid, records]) => [txid, records.map(({ input, pubNonce, msg, state }) => ({ input, pubNonce, msg, state }))]));
  }

  /**
   * Keeps new nonces (written before the nonce response is released; throws musig2_nonce_store_unwritable). A
   * pending nonce of the same input is replaced: its sealed bytes are deleted.
   */
  keep(walletId: string, txid: string, nonces: readonly NewNonce[]): void {
    WALLET_ID.parse(walletId);
    const file = this.#load();
    const wallet = (file.wallets[walletId] ??= {});
    const records: NonceRecord[] = (wallet[txid] ??= []);
    const at = this.#now().toISOString();
    for (const n of nonces) {
      for (const old of records) {
        if (old.input === n.input && old.state === 'pending') {
          old.state = 'replaced';
          delete old.sealed;
        }
      }
      records.push({ input: n.input, pubNonce: toHex(n.pubNonce), msg: toHex(n.msg), sealed: toHex(n.sealed), state: 'pending', at });
    }
    this.#save(file, 'the nonce response was not released');
  }

  /**
   * Takes the sealed nonces for a signature request, all or none: each must be pending and made for the same
   * message. They are marked used and their sealed bytes deleted on disk before they are returned.
   */
  consume(walletId: string, txid: string, uses: readonly NonceUse[]): Map<number, Uint8Array> {
    const ids = uses.map((u) => nonceId(u.pubNonce));
    const onRecord = this.#released?.(new Set(ids));
    for (const [k, u] of uses.entries()) {
      const usedAt = onRecord?.get(ids[k]!);
      if (usedAt !== undefined) {
        throw new NonceStoreError(
          `input ${u.input}: the audit log records this nonce as used for a signature on ${usedAt.slice(0, 19)}, though the kept nonces ${this.#store.name} call it unused (restored from an older copy?); a nonce signs once, and nothing was signed. Start again with a nonce request`,
          'musig2_nonce_used',
          u.input,
        );
      }
    }
    const file = this.#load();
    const records = file.wallets[walletId]?.[txid] ?? [];
    const found = uses.map((u) => {
      const r = records.find((x) => x.input === u.input && x.pubNonce === toHex(u.pubNonce));
      if (!r || r.state === 'replaced') {
        throw new NonceStoreError(
          r
            ? `input ${u.input}: the nonce in this request was replaced by a later nonce request for the same transaction; its secret is gone. Start again with a nonce request`
            : `input ${u.input}: no kept nonce matches this request's nonce for transaction ${txid.slice(0, 16)}… (made on another machine, the nonces file was lost or moved, or the nonce step was not done here). Start again with a nonce request`,
          'musig2_nonce_missing',
          u.input,
        );
      }
      if (r.state === 'used') {
        throw new NonceStoreError(`input ${u.input}: this nonce was already used for a signature on ${r.usedAt?.slice(0, 19) ?? 'an earlier run'}; a nonce signs once. Start again with a nonce request`, 'musig2_nonce_used', u.input);
      }
      if (r.msg !== toHex(u.msg)) {
        throw new NonceStoreError(`input ${u.input}: the transaction (or an amount or script it spends) is not the one the nonce was made for; nothing was signed`, 'musig2_tx_changed', u.input);
      }
      const sealed = r.sealed === undefined ? undefined : fromHexStrict(r.sealed);
      if (!sealed) throw new NonceStoreError(`the kept MuSig2 nonces ${this.#store.name}: the pending nonce of input ${u.input} has no sealed secret; nothing was signed`, 'musig2_nonce_store_invalid', u.input);
      return { r, sealed };
    });
    const usedAt = this.#now().toISOString();
    for (const { r } of found) {
      r.state = 'used';
      r.usedAt = usedAt;
      delete r.sealed;
    }
    this.#save(file, 'nothing was signed');
    return new Map(found.map(({ r, sealed }) => [r.input, sealed]));
  }
}

/** A nonce store in memory only (tests). */
export function memoryNonceStore(): LedgerStore & { text: string | undefined } {
  const store = {
    name: 'in memory',
    text: undefined as string | undefined,
    read: () => store.text,
    write: (t: string) => {
      store.text = t;
    },
  };
  return store;
}
