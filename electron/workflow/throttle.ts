// Wrong-passphrase throttling for the unlock screen: each wallet counts its failed attempts and must wait a
// growing delay before the next try (1 s, 2 s, 4 s, ... capped at 60 s). Per wallet, so a typo on one wallet
// never slows another. The delay is enforced in main (the renderer only displays it); a success resets it.
//
// Attempts on one wallet run one at a time (`attempt`): a v2 (Argon2) unlock takes a while, and without this, ten
// guesses sent at once were all checked before the first had failed, so none was delayed.
import { IncorrectPasswordError, SignerError } from '../../shared/errors';

export const BASE_DELAY_MS = 1000;
export const MAX_DELAY_MS = 60_000;

export interface AttemptState {
  failures: number;
  /** Epoch ms before which a new attempt is refused; 0 when free. */
  retryAt: number;
}

export class UnlockThrottledError extends SignerError {
  /** `subject`: what is being unlocked, in words ("wallet <id>", "the receipt key"). */
  constructor(subject: string, waitMs: number, failures: number) {
    super(
      'UnlockThrottledError',
      `${subject}: ${failures} wrong passphrase${failures === 1 ? '' : 's'} so far; wait ${Math.ceil(waitMs / 1000)} s before trying again`,
      'unlock_throttled',
    );
  }
}

export function delayAfter(failures: number): number {
  if (failures <= 0) return 0;
  return Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.min(failures - 1, 16));
}

export class UnlockThrottle {
  #state = new Map<string, AttemptState>();
  /** The last attempt queued per wallet: the next one starts when it settles. */
  #running = new Map<string, Promise<void>>();
  constructor(private readonly now: () => number = Date.now) {}

  /** Throws UnlockThrottledError when the wallet (or what `subject` names) must still wait. */
  check(walletId: string, subject = `wallet ${walletId}`): void {
    const s = this.#state.get(walletId);
    if (s && s.retryAt > this.now()) throw new UnlockThrottledError(subject, s.retryAt - this.now(), s.failures);
  }

  failed(walletId: string): AttemptState {
    const prev = this.#state.get(walletId)?.failures ?? 0;
    const s = { failures: prev + 1, retryAt: this.now() + delayAfter(prev + 1) };
    this.#state.set(walletId, s);
    return { ...s };
  }

  succeeded(walletId: string): void {
    this.#state.delete(walletId);
  }

  /**
   * Runs one unlock attempt for `walletId` after every earlier attempt on that wallet has finished, refusing it when
   * the wallet must still wait. A wrong passphrase (IncorrectPasswordError) counts as a failure before the next
   * attempt is let in; success resets the count. `subject` names what is unlocked in the wait's words (default
   * "wallet <id>").
   */
  async attempt<T>(walletId: string, unlock: () => Promise<T>, subject?: string): Promise<T> {
    const earlier = this.#running.get(walletId) ?? Promise.resolve();
    let done!: () => void;
    const mine = earlier.then(() => new Promise<void>((resolve) => (done = resolve)));
    this.#running.set(walletId, mine);
    await earlier;
    try {
      this.check(walletId, subject);
      const result = await unlock();
      this.succeeded(walletId);
      return result;
    } catch (e) {
      if (e instanceof IncorrectPasswordError) this.failed(walletId);
      throw e;
    } finally {
      done();
      if (this.#running.get(walletId) === mine) this.#running.delete(walletId);
    }
  }

  /** Milliseconds before the wallet may be tried again (0 when free): what the unlock screen counts down. */
  retryInMs(walletId: string): number {
    const s = this.#state.get(walletId);
    return s ? Math.max(0, s.retryAt - this.now()) : 0;
  }

  state(walletId: string): AttemptState {
    const s = this.#state.get(walletId);
    return s ? { ...s } : { failures: 0, retryAt: 0 };
  }
}
