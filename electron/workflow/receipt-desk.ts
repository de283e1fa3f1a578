// The open key store's receipt key in the app (README "Signed receipts"): locked when the store opens, unlocked
// with its passphrase through the same rules as a wallet (the passphrase enters main once, on its own channel, is
// never returned or logged; wrong ones are throttled), and used by the export of signed files and of the session
// summary to write `<name>.receipt.jwt` beside each file. While a store holds a receipt key and it is locked,
// exports are refused (receipt_key_locked): whoever set up receipts expects every exported file to carry one.
import type { ReceiptKeyView } from '../../shared/contract';
import { IncorrectPasswordError, SignerError } from '../../shared/errors';
import type { ParsedEnvelope } from '../keystore/envelope';
import { ReceiptError } from '../receipts/errors';
import { openReceiptKey, type ReceiptSigner } from '../receipts/key';
import type { AuditLog } from './audit';
import type { UnlockThrottle } from './throttle';

/** The throttle's key for the receipt key (never a wallet id: it has dashes). */
const THROTTLE_KEY = 'receipt-key';

export class ReceiptDesk {
  #envelope: ParsedEnvelope | undefined;
  #signer: ReceiptSigner | undefined;

  #timer: ReturnType<typeof setTimeout> | undefined;
  /** Counts locks and key stores opened: an unlock that ends after one of them is not kept. */
  #generation = 0;
  #locksAt: number | undefined;

  /**
   * `idleMs`: the wallets' idle auto-lock setting (the vault's), read at each use: the receipt key locks itself
   * after that long unused, as a wallet does (0: never). `onIdleLock`: told when it did (the window's status poll
   * shows it; tests wait on it).
   */
  constructor(
    private readonly audit: AuditLog,
    private readonly throttle: UnlockThrottle,
    private readonly idleMs: () => number = () => 0,
    private readonly onIdleLock: () => void = () => undefined,
  ) {}

  /** A key store was opened: its receipt key (or none), locked. */
  use(envelope: ParsedEnvelope | undefined): void {
    this.#generation++;
    this.#disarm();
    this.#signer = undefined;
    this.#envelope = envelope;
  }

  /** (Re)starts the idle timer from now: after an unlock and after each use. */
  #arm(): void {
    this.#disarm();
    const ms = this.idleMs();
    if (ms <= 0) return;
    this.#locksAt = Date.now() + ms;
    this.#timer = setTimeout(() => {
      this.lock('idle');
      this.onIdleLock();
    }, ms);
    this.#timer.unref?.();
  }

  #disarm(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#locksAt = undefined;
  }

  view(): ReceiptKeyView | undefined {
    if (!this.#envelope) return undefined;
    const wait = this.#signer ? 0 : this.throttle.retryInMs(THROTTLE_KEY);
    const unlocked = this.#signer ? { thumbprint: this.#signer.publicKey.thumbprint, ...(this.#locksAt !== undefined ? { locksAt: this.#locksAt } : {}) } : {};
    return { unlocked: this.#signer !== undefined, ...unlocked, ...(wait > 0 ? { unlockRetryInMs: wait } : {}) };
  }

  #require(): ParsedEnvelope {
    if (!this.#envelope) throw new ReceiptError('the open key store holds no receipt key (make one with: offline-signer ceremony receipt-key)', 'receipt_key_missing');
    return this.#envelope;
  }

  async unlock(passphrase: string): Promise<ReceiptKeyView> {
    const envelope = this.#require();
    const generation = this.#generation;
    let signer: ReceiptSigner;
    try {
      signer = await this.throttle.attempt(THROTTLE_KEY, () => openReceiptKey(envelope, passphrase), 'the receipt key');
    } catch (e) {
      this.audit.record({ type: 'receipt-key-unlock-failed', reason: e instanceof SignerError ? (e.code ?? e.name) : 'internal_error' });
      if (e instanceof IncorrectPasswordError) throw new SignerError('IncorrectPasswordError', 'that passphrase does not unlock the receipt key. Check Caps Lock and the keyboard layout, then try again.', 'wallet_passphrase_incorrect');
      throw e;
    }
    // Locked ("Lock all") or another key store opened while Argon2id ran: that wins, the key opened is dropped.
    if (generation !== this.#generation) {
      throw new ReceiptError('the receipt key was locked while it was being opened (Lock all, or another key store opened); unlock it again if you still want it', 'receipt_key_locked');
    }
    this.#signer = signer;
    this.audit.record({ type: 'receipt-key-unlocked', key: signer.publicKey.thumbprint });
    this.#arm();
    return this.view()!;
  }

  lock(reason?: string): ReceiptKeyView | undefined {
    this.#generation++;
    this.#disarm();
    if (this.#signer) this.audit.record({ type: 'receipt-key-locked', key: this.#signer.publicKey.thumbprint, ...(reason ? { reason } : {}) });
    this.#signer = undefined;
    return this.view();
  }

  /**
   * What an export signs its receipts with: undefined when the store holds no receipt key (no receipt), the signer
   * when it is unlocked; a locked one refuses the export before anything is written.
   */
  forExport(what: string): ReceiptSigner | undefined {
    if (!this.#envelope) return undefined;
    if (!this.#signer) throw new ReceiptError(`${what} was not written: the receipt key is locked, and every export carries a signed receipt; unlock it in step 2, Unlock (its “Receipt key” row), then export again`, 'receipt_key_locked');
    this.#arm();
    return this.#signer;
  }
}
