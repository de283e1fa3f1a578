// The signing ledger: what this signer has already signed, per wallet, so two signatures cannot be combined into
// a transaction nobody reviewed. BIP143 (segwit v0) signatures commit to each input's own amount only: two
// requests for the same transaction, each under-stating a different input, each review a small fee; both
// signatures together complete a transaction with a far larger fee (the "segwit fee attack"). Taproot commits to
// every amount, and p2sh to none, so the same rule serves all three: an outpoint this wallet has signed for, with
// one amount, is never signed for again with another amount, and an unsigned transaction signed once is only
// signed again with the same amounts.
//
// Entries: wallet -> outpoint ("txid:vout", display order) -> { amount in satoshis, the unsigned txid it was signed
// in, when }. Spending an outpoint again in another transaction with the same amount (a fee bump) is allowed.
// The ledger is read before each signature and written, atomically, before the signed result is handed out; a
// ledger that cannot be written means nothing is signed. Stored as plain versioned JSON (LedgerStore); it is as
// trustworthy as the folder it lives in (the tamper-evident audit trail is separate).
import { SignerError } from '../../shared/errors';
import type { ReviewModel } from '../../shared/review';
import * as s from '../../shared/schema';
import { WALLET_ID } from '../../shared/wallet-id';
import { parseJsonStrict } from '../util/json';

export const LEDGER_VERSION = 1;

export class LedgerError extends SignerError {
  constructor(message: string, code: 'signed_amount_conflict' | 'ledger_invalid' | 'ledger_unwritable') {
    super('LedgerError', message, code);
  }
}

/** Where the ledger's text lives: a file in the app's data folder, beside the key file, or memory in tests. */
export interface LedgerStore {
  /** The stored text, or undefined when there is none yet. */
  read(): string | undefined;
  /** Replaces the stored text atomically. */
  write(text: string): void;
  /** How to name the store in messages (a file's name, never a full path). */
  readonly name: string;
}

const TXID = s.string({ min: 64, max: 64, pattern: /^[0-9a-f]{64}$/, patternName: 'a txid (64 hex digits)' });
const ENTRY = s.object({ amount: s.string({ max: 20, pattern: /^[0-9]+$/, patternName: 'a whole number of satoshis' }), txid: TXID, at: s.string({ max: 40 }) });
const OUTPOINT = { max: 80, pattern: /^[0-9a-f]{64}:[0-9]{1,10}$/, patternName: 'an outpoint (txid:vout)' };
const LEDGER = s.object({
  version: s.literal(LEDGER_VERSION),
  wallets: s.record(s.record(ENTRY, { max: 10_000_000, key: OUTPOINT }), { max: 100_000, key: { min: 1, max: 128, pattern: /^[A-Za-z0-9]+$/, patternName: 'a wallet id' } }),
});

type LedgerFile = s.Infer<typeof LEDGER>;

/** What the ledger reads of a reviewed request: its unsigned txid and each input's outpoint and amount. */
export interface LedgerSpends {
  readonly txid: string | null;
  readonly inputs: readonly Pick<ReviewModel['inputs'][number], 'txid' | 'vout' | 'amount'>[];
}

/** The inputs of a reviewed request, as the ledger records them. */
function spends(review: LedgerSpends): { outpoint: string; amount: string }[] {
  return review.inputs.map((i) => ({ outpoint: `${i.txid}:${i.vout}`, amount: String(i.amount) }));
}

export class SigningLedger {
  readonly #store: LedgerStore;
  readonly #now: () => Date;

  constructor(store: LedgerStore, now: () => Date = () => new Date()) {
    this.#store = store;
    this.#now = now;
  }

  #load(): LedgerFile {
    let text: string | undefined;
    try {
      text = this.#store.read();
    } catch (e) {
      const why = (e as NodeJS.ErrnoException).code ?? (e instanceof Error ? e.message : 'unknown error');
      throw new LedgerError(`the signing ledger ${this.#store.name} could not be read (${why}); nothing was signed`, 'ledger_invalid');
    }
    if (text === undefined) return { version: LEDGER_VERSION, wallets: {} };
    const json = parseJsonStrict(text);
    const bad = (why: string) => new LedgerError(`the signing ledger ${this.#store.name} ${why}; nothing was signed (restore it from a backup, or move it away to start a new one)`, 'ledger_invalid');
    if ('syntax' in json) throw bad('is not valid JSON');
    if ('duplicate' in json) throw bad(`lists ${json.duplicate.path ? `${json.duplicate.path}.` : ''}${json.duplicate.key} twice`);
    return s.parseWith(LEDGER, json.value, (e) => bad(`is damaged at ${e.path || 'the top'}: ${e.reason}`));
  }

  /**
   * Throws `signed_amount_conflict` when this wallet has signed one of these outpoints with another amount (in
   * this or another transaction). Reads the store afresh.
   */
  check(walletId: string, review: LedgerSpends): void {
    WALLET_ID.parse(walletId);
    const signed = this.#load().wallets[walletId];
    if (!signed) return;
    for (const { outpoint, amount } of spends(review)) {
      const before = Object.hasOwn(signed, outpoint) ? signed[outpoint] : undefined;
      if (before && before.amount !== amount) {
        throw new LedgerError(
          `input ${outpoint} was signed on ${before.at.slice(0, 10)} as spending ${before.amount} sat (transaction ${before.txid.slice(0, 16)}…), and this request says ${amount} sat. ` +
            'Two signatures over different amounts of one output can be combined into a transaction with a fee nobody reviewed; nothing was signed',
          'signed_amount_conflict',
        );
      }
    }
  }

  /** Records the request as signed (every outpoint with its amount and the unsigned txid); throws when it cannot. */
  record(walletId: string, review: LedgerSpends): void {
    const ledger = this.#load();
    const wallet = (ledger.wallets[walletId] ??= {});
    const at = this.#now().toISOString();
    const txid = review.txid;
    // The review refuses conflicting lock times, so an approved request always has a txid.
    if (txid === null) throw new Error('signing ledger: a request without a txid cannot have been approved');
    for (const { outpoint, amount } of spends(review)) wallet[outpoint] = { amount, txid, at };
    try {
      this.#store.write(`${JSON.stringify(ledger, null, 1)}\n`);
    } catch (e) {
      const why = e instanceof Error ? e.message : 'unknown error';
      throw new LedgerError(`the signing ledger ${this.#store.name} could not be written (${why}); the signature was not released`, 'ledger_unwritable');
    }
  }
}

/** A ledger kept in memory only (tests; a CLI run told to keep none is not offered). */
export function memoryLedgerStore(): LedgerStore & { text: string | undefined } {
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
