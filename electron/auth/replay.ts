// The replay store: every JWT id (jti) and every HMAC tag this signer has accepted, per wallet, with the time it
// stops mattering (the token's exp, or the HMAC window's end). BitGo's request-signing document asks that "the
// uniqueness of the JWT ID should be enforced in your system", and Auth V3 "sav[es] all valid HMAC values up to the
// duration of the request validity window". A file travels slower than an HTTP request and the signer restarts, so
// the store is a file (the app's data folder; beside the key file, or --used-tokens, for the command line),
// re-read before each check and replaced atomically when a request is accepted (imported by the app, past the
// approval gate in the command line), before anything is signed: a store that cannot be written means the request
// is refused. Verification only refuses a token already used, so a request refused for another reason can be
// retried with its token. Entries whose time has passed are
// dropped on the next write: such a token is refused as expired anyway.
import * as s from '../../shared/schema';
import { parseJsonStrict } from '../util/json';
import { AuthError } from './errors';

export const REPLAY_VERSION = 1;

export interface ReplayFile {
  read(): string | undefined;
  write(text: string): void;
  readonly name: string;
}

const WALLET_KEY = { min: 1, max: 128, pattern: /^[A-Za-z0-9]+$/, patternName: 'a wallet id' };
const SEEN = s.record(s.number({ min: 0, max: 1e13, integer: true }), { max: 1_000_000, key: { min: 1, max: 512 } });
const STORE = s.object({
  version: s.literal(REPLAY_VERSION),
  jwt: s.record(SEEN, { max: 100_000, key: WALLET_KEY }),
  hmac: s.record(SEEN, { max: 100_000, key: WALLET_KEY }),
});
type StoreDoc = s.Infer<typeof STORE>;

/**
 * A verified token's id, to be used up once its request is accepted (auth/authenticate.ts consumeAuth): the app
 * when the request is imported, the command line when it passes the approval gate. Verification only refuses an
 * id already used, so a request refused later for another reason (an unregistered wallet, a wrong passphrase) can
 * be tried again with the same token.
 */
export interface ReplayClaim {
  kind: 'jwt' | 'hmac';
  walletId: string;
  id: string;
  /** When the entry stops mattering (ms since 1970): the token's exp, or the HMAC window's end. */
  untilMs: number;
}

function replayed(c: ReplayClaim): AuthError {
  return c.kind === 'jwt'
    ? new AuthError(`this request's token (jti ${JSON.stringify(c.id.slice(0, 80))}) was already used for wallet ${c.walletId}; a token is accepted once`, 'auth_jwt_replayed')
    : new AuthError(`this request's HMAC tag was already used for wallet ${c.walletId}; a tagged request is accepted once`, 'auth_hmac_replayed');
}

export class ReplayStore {
  readonly #file: ReplayFile;
  readonly #now: () => Date;

  constructor(file: ReplayFile, now: () => Date = () => new Date()) {
    this.#file = file;
    this.#now = now;
  }

  get name(): string {
    return this.#file.name;
  }

  #load(): StoreDoc {
    let text: string | undefined;
    try {
      text = this.#file.read();
    } catch (e) {
      throw new AuthError(`the used-token store ${this.#file.name} could not be read (${(e as NodeJS.ErrnoException).code ?? 'unknown error'}); no authenticated request is accepted`, 'auth_replay_store_invalid');
    }
    if (text === undefined) return { version: REPLAY_VERSION, jwt: {}, hmac: {} };
    const bad = (why: string) => new AuthError(`the used-token store ${this.#file.name} ${why}; no authenticated request is accepted until it is restored or moved away`, 'auth_replay_store_invalid');
    const json = parseJsonStrict(text);
    if ('syntax' in json) throw bad('is not valid JSON');
    if ('duplicate' in json) throw bad(`lists ${json.duplicate.key} twice`);
    return s.parseWith(STORE, json.value, (e) => bad(`is damaged at ${e.path || 'the top'}: ${e.reason}`));
  }

  /** Whether this id was accepted before for this wallet. */
  seen(kind: 'jwt' | 'hmac', walletId: string, id: string): boolean {
    return Object.hasOwn(this.#load()[kind][walletId] ?? {}, id);
  }

  /** Throws the replay code when the claim's id was accepted before (a verifier's check; nothing is written). */
  refuseSeen(claim: ReplayClaim): void {
    if (this.seen(claim.kind, claim.walletId, claim.id)) throw replayed(claim);
  }

  /**
   * Records the id as used (until `untilMs`), or throws the replay code when it was used before. The store is
   * re-read and written in one step, before the request goes any further.
   */
  use(kind: 'jwt' | 'hmac', walletId: string, id: string, untilMs: number): void {
    const doc = this.#load();
    const wallet = doc[kind][walletId] ?? {};
    if (Object.hasOwn(wallet, id)) throw replayed({ kind, walletId, id, untilMs });
    const now = this.#now().getTime();
    for (const k of ['jwt', 'hmac'] as const) {
      for (const [w, ids] of Object.entries(doc[k])) {
        for (const [seenId, until] of Object.entries(ids)) if (until < now) delete ids[seenId];
        if (Object.keys(ids).length === 0) delete doc[k][w];
      }
    }
    doc[kind][walletId] = { ...(doc[kind][walletId] ?? {}), [id]: Math.ceil(untilMs) };
    try {
      this.#file.write(`${JSON.stringify(doc, null, 1)}\n`);
    } catch (e) {
      throw new AuthError(`the used-token store ${this.#file.name} could not be written (${(e as NodeJS.ErrnoException).code ?? 'unknown error'}); the request was not accepted`, 'auth_replay_store_unwritable');
    }
  }
}
