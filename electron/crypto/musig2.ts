// BIP327 MuSig2, the parts a two-party signer needs: key aggregation with tweaks, nonce generation and
// aggregation, the session values, partial signing, partial-signature verification and aggregation. Pure
// functions over bytes; the curve arithmetic is libsecp256k1's (tiny-secp256k1, crypto/ecc.ts), the scalar
// arithmetic is bigint mod n. Every step follows the BIP's algorithm text (bip-0327.mediawiki, "Algorithms"), whose
// clauses are quoted where a check is made, and is tested against the BIP's own vectors
// (test/unit/crypto/bip327-vectors.spec.ts) and an independent implementation (@scure/btc-signer's musig2).
//
// ----- SECURITY: do not change without review ---------------------------------------------------------------
// A secret nonce signs at most once: partialSign() overwrites the 97 bytes it was given with zeros before it
// returns or throws (BIP327 Sign: "the secret nonce must be set to zero ... after use"), and refuses an all-zero
// one. The randomness of NonceGen comes from the caller (the key store draws 32 fresh bytes per nonce); the secret
// key, the aggregate key, the message and the extra input are mixed in as the BIP specifies, so a weak random
// source alone does not repeat a nonce across sessions. Each partial signature is verified before it is returned.
// ------------------------------------------------------------------------------------------------------------
import { SignerError } from '../../shared/errors';
import { bytesEqual, concatBytes, fromHexStrict } from '../util/bytes';
import { ecc } from './ecc';
import { taggedHash } from './hash';

/** secp256k1 group order n (SEC 2, 2.4.1). */
export const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
/** The generator G, compressed (SEC 2, 2.4.1). */
const G = fromHexStrict('0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798')!;

export type Musig2Code = 'musig2_value_invalid' | 'musig2_contribution_invalid';

/**
 * A MuSig2 computation refused its input. `signer` names the participant whose contribution (public key, public
 * nonce or partial signature) is invalid, as BIP327's InvalidContributionError does; undefined for other faults.
 */
export class Musig2Error extends SignerError {
  readonly signer: number | undefined;
  constructor(message: string, code: Musig2Code, signer?: number) {
    super('Musig2Error', message, code);
    this.signer = signer;
  }
}

const invalid = (message: string) => new Musig2Error(message, 'musig2_value_invalid');
const contribution = (signer: number, what: string) => new Musig2Error(`MuSig2: participant ${signer}'s ${what} is invalid`, 'musig2_contribution_invalid', signer);

// ---- scalars and points -------------------------------------------------------------------------------------

function int(b: Uint8Array): bigint {
  let v = 0n;
  for (const x of b) v = (v << 8n) | BigInt(x);
  return v;
}

export function bytes32(v: bigint): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 31; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

const mod = (a: bigint) => ((a % N) + N) % N;

/** A point as 33 compressed bytes, or null for the point at infinity. */
type Point = Uint8Array | null;

function mul(p: Point, k: bigint): Point {
  const s = mod(k);
  if (p === null || s === 0n) return null;
  return s === 1n ? p : ecc.pointMultiply(p, bytes32(s), true);
}

function add(a: Point, b: Point): Point {
  if (a === null) return b;
  if (b === null) return a;
  return ecc.pointAdd(a, b, true);
}

function baseMul(k: bigint): Point {
  const s = mod(k);
  return s === 0n ? null : ecc.pointFromScalar(bytes32(s), true);
}

function negate(p: Point): Point {
  if (p === null) return null;
  const out = p.slice();
  out[0] = out[0] === 0x02 ? 0x03 : 0x02;
  return out;
}

const hasEvenY = (p: Uint8Array) => p[0] === 0x02;
const xbytes = (p: Uint8Array) => p.subarray(1, 33);

/** BIP327 cpoint: a 33-byte compressed point; fails for anything that is not on the curve. */
function cpoint(b: Uint8Array): Uint8Array | undefined {
  return b.length === 33 && (b[0] === 0x02 || b[0] === 0x03) && ecc.isPoint(b) ? b : undefined;
}

/** BIP327 cpoint_ext: 33 zero bytes is the point at infinity. */
function cpointExt(b: Uint8Array): Point | undefined {
  return b.length === 33 && b.every((x) => x === 0) ? null : cpoint(b);
}

/** BIP327 cbytes_ext: the point at infinity is 33 zero bytes. */
function cbytesExt(p: Point): Uint8Array {
  return p === null ? new Uint8Array(33) : p;
}

// ---- key aggregation (BIP327 "Key Aggregation", "Applying Tweaks") -----------------------------------------

export interface KeyAggContext {
  /** The (tweaked) aggregate point Q, compressed. */
  Q: Uint8Array;
  gacc: bigint;
  tacc: bigint;
}

function keyAggCoefficientList(pubkeys: readonly Uint8Array[]): { L: Uint8Array; second: Uint8Array | undefined } {
  const L = taggedHash('KeyAgg list', ...pubkeys);
  // GetSecondKey: "For j = 2 .. u: If pk_j ≠ pk_1: Return pk_j"; otherwise 33 zero bytes (which no key equals).
  const second = pubkeys.find((pk) => !bytesEqual(pk, pubkeys[0]!));
  return { L, second };
}

function coefficient(L: Uint8Array, second: Uint8Array | undefined, pk: Uint8Array): bigint {
  // KeyAggCoeffInternal: "If pk' = pk2: Return 1"; else int(hash_KeyAgg coefficient(L || pk')) mod n.
  if (second !== undefined && bytesEqual(pk, second)) return 1n;
  return mod(int(taggedHash('KeyAgg coefficient', L, pk)));
}

/** BIP327 KeyAgg over 33-byte plain public keys: "Fail if ... cpoint(pk_i) fails" (blaming participant i). */
export function keyAgg(pubkeys: readonly Uint8Array[]): KeyAggContext {
  if (pubkeys.length === 0) throw invalid('MuSig2 key aggregation needs at least one public key');
  pubkeys.forEach((pk, i) => {
    if (!cpoint(pk)) throw contribution(i, 'public key');
  });
  const { L, second } = keyAggCoefficientList(pubkeys);
  let Q: Point = null;
  for (const pk of pubkeys) Q = add(Q, mul(pk, coefficient(L, second, pk)));
  // "Fail if Q is infinity"
  if (Q === null) throw invalid('MuSig2 key aggregation: the aggregate is the point at infinity');
  return { Q, gacc: 1n, tacc: 0n };
}

/**
 * BIP327 ApplyTweak: "If is_xonly_t and not has_even_y(Q): Let g = -1 mod n, else g = 1"; "Fail if t ≥ n";
 * Q' = g⋅Q + t⋅G, "Fail if is_infinite(Q')"; gacc' = g⋅gacc; tacc' = t + g⋅tacc.
 */
export function applyTweak(ctx: KeyAggContext, tweak: Uint8Array, isXonly: boolean): KeyAggContext {
  if (tweak.length !== 32) throw invalid(`MuSig2 tweak must be 32 bytes, got ${tweak.length}`);
  const g = isXonly && !hasEvenY(ctx.Q) ? N - 1n : 1n;
  const t = int(tweak);
  if (t >= N) throw invalid('MuSig2 tweak is not below the group order');
  const Q = add(mul(ctx.Q, g), baseMul(t));
  if (Q === null) throw invalid('MuSig2 tweak gives the point at infinity');
  return { Q, gacc: mod(g * ctx.gacc), tacc: mod(t + g * ctx.tacc) };
}

/** KeyAgg followed by each tweak in order. */
export function keyAggTweaked(pubkeys: readonly Uint8Array[], tweaks: readonly Uint8Array[] = [], isXonly: readonly boolean[] = []): KeyAggContext {
  if (tweaks.length !== isXonly.length) throw invalid('MuSig2: every tweak needs its x-only flag');
  return tweaks.reduce((ctx, t, i) => applyTweak(ctx, t, isXonly[i]!), keyAgg(pubkeys));
}

// ---- nonces (BIP327 "Nonce Generation", "Nonce Aggregation") -------------------------------------------------

export interface NonceGenInput {
  /** The signer's secret key (optional in the BIP; this signer always gives it). */
  sk?: Uint8Array;
  /** The signer's 33-byte public key. */
  pk: Uint8Array;
  /** The 32-byte x-only aggregate public key (after tweaks), when known. */
  aggpk?: Uint8Array;
  /** The message, when known. */
  msg?: Uint8Array;
  extraIn?: Uint8Array;
  /** rand': 32 bytes drawn fresh from a secure random source for every nonce, never reused. */
  rand: Uint8Array;
}

function u64be(n: number): Uint8Array {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, BigInt(n));
  return b;
}

function u32be(n: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n);
  return b;
}

/**
 * BIP327 NonceGen. Returns secnonce = bytes(32, k1) || bytes(32, k2) || pk (97 bytes) and pubnonce =
 * cbytes(k1⋅G) || cbytes(k2⋅G) (66 bytes). The caller owns secnonce and must wipe it.
 */
export function nonceGen(input: NonceGenInput): { secnonce: Uint8Array; pubnonce: Uint8Array } {
  const { sk, pk, aggpk, msg, extraIn, rand: randPrime } = input;
  if (randPrime.length !== 32) throw invalid('MuSig2 NonceGen needs 32 bytes of fresh randomness');
  if (pk.length !== 33) throw invalid('MuSig2 NonceGen: the public key must be 33 bytes');
  if (sk !== undefined && sk.length !== 32) throw invalid('MuSig2 NonceGen: the secret key must be 32 bytes');
  if (aggpk !== undefined && aggpk.length !== 32) throw invalid('MuSig2 NonceGen: the aggregate key must be 32 bytes (x-only)');
  // "If the optional argument sk is present: Let rand be the byte-wise xor of sk and hash_MuSig/aux(rand')"
  let rand: Uint8Array;
  if (sk !== undefined) {
    rand = taggedHash('MuSig/aux', randPrime);
    for (let i = 0; i < 32; i++) rand[i]! ^= sk[i]!;
  } else {
    rand = randPrime.slice();
  }
  const agg = aggpk ?? new Uint8Array(0);
  // "If the optional argument m is not present: Let m_prefixed = bytes(1, 0); Else: Let m_prefixed = bytes(1, 1)
  // || bytes(8, len(m)) || m"
  const mPrefixed = msg === undefined ? Uint8Array.of(0) : concatBytes([Uint8Array.of(1), u64be(msg.length), msg]);
  const extra = extraIn ?? new Uint8Array(0);
  const k = [0, 1].map((i) =>
    // "k_i = int(hash_MuSig/nonce(rand || bytes(1, len(pk)) || pk || bytes(1, len(aggpk)) || aggpk || m_prefixed ||
    // bytes(4, len(extra_in)) || extra_in || bytes(1, i - 1))) mod n for i = 1,2"
    mod(int(taggedHash('MuSig/nonce', rand, Uint8Array.of(pk.length), pk, Uint8Array.of(agg.length), agg, mPrefixed, u32be(extra.length), extra, Uint8Array.of(i)))),
  );
  rand.fill(0);
  // "Fail if k1 = 0 or k2 = 0" (probability negligible)
  if (k[0] === 0n || k[1] === 0n) throw invalid('MuSig2 NonceGen produced a zero nonce; draw new randomness');
  const pubnonce = concatBytes([baseMul(k[0]!)!, baseMul(k[1]!)!]);
  const secnonce = concatBytes([bytes32(k[0]!), bytes32(k[1]!), pk]);
  return { secnonce, pubnonce };
}

/** BIP327 NonceAgg: R_j = sum of R_i,j; "Fail if cpoint(...) fails" blaming participant i; infinity allowed. */
export function nonceAgg(pubnonces: readonly Uint8Array[]): Uint8Array {
  const sums: Point[] = [null, null];
  pubnonces.forEach((pn, i) => {
    if (pn.length !== 66) throw contribution(i, 'public nonce');
    for (const j of [0, 1]) {
      const R = cpoint(pn.subarray(33 * j, 33 * j + 33));
      if (!R) throw contribution(i, 'public nonce');
      sums[j] = add(sums[j]!, R);
    }
  });
  return concatBytes([cbytesExt(sums[0]!), cbytesExt(sums[1]!)]);
}

// ---- the session (BIP327 "Session Context", "Signing") ------------------------------------------------------

export interface SessionContext {
  aggnonce: Uint8Array;
  pubkeys: readonly Uint8Array[];
  tweaks: readonly Uint8Array[];
  isXonly: readonly boolean[];
  msg: Uint8Array;
}

interface SessionValues {
  Q: Uint8Array;
  gacc: bigint;
  tacc: bigint;
  b: bigint;
  R: Uint8Array;
  e: bigint;
}

/** BIP327 GetSessionValues. */
function sessionValues(s: SessionContext): SessionValues {
  const { Q, gacc, tacc } = keyAggTweaked(s.pubkeys, s.tweaks, s.isXonly);
  if (s.aggnonce.length !== 66) throw new Musig2Error('MuSig2: the aggregate nonce must be 66 bytes', 'musig2_contribution_invalid');
  // "b = int(hash_MuSig/noncecoef(aggnonce || xbytes(Q) || m)) mod n"
  const b = mod(int(taggedHash('MuSig/noncecoef', s.aggnonce, xbytes(Q), s.msg)));
  const R1 = cpointExt(s.aggnonce.subarray(0, 33));
  const R2 = cpointExt(s.aggnonce.subarray(33));
  // "Fail if that fails and blame nonce aggregator for invalid aggnonce."
  if (R1 === undefined || R2 === undefined) throw new Musig2Error('MuSig2: the aggregate nonce is not two points', 'musig2_contribution_invalid');
  // "R' = R'1 + b⋅R'2; If is_infinite(R'): Let final nonce R = G (see Dealing with Infinity in Nonce Aggregation)"
  const R = add(R1, mul(R2, b)) ?? G;
  // "e = int(hash_BIP0340/challenge(xbytes(R) || xbytes(Q) || m)) mod n"
  const e = mod(int(taggedHash('BIP0340/challenge', xbytes(R), xbytes(Q), s.msg)));
  return { Q, gacc, tacc, b, R, e };
}

/** BIP327 GetSessionKeyAggCoeff: the coefficient of `pk`, which must be one of the session's keys. */
function sessionKeyAggCoeff(s: SessionContext, pk: Uint8Array): bigint {
  if (!s.pubkeys.some((x) => bytesEqual(x, pk))) throw invalid("MuSig2: the signer's public key is not one of the session's keys");
  const { L, second } = keyAggCoefficientList(s.pubkeys);
  return coefficient(L, second, pk);
}

/**
 * BIP327 Sign: the 32-byte partial signature of `sk` in session `s`. `secnonce` (97 bytes) is wiped whatever
 * happens; an all-zero one (already used) is refused. The result is checked with PartialSigVerifyInternal before
 * it is returned ("Fail if PartialSigVerifyInternal(psig, pubnonce, pk, session_ctx) fails").
 */
export function partialSign(secnonce: Uint8Array, sk: Uint8Array, s: SessionContext): Uint8Array {
  try {
    if (secnonce.length !== 97) throw invalid('MuSig2 Sign: the secret nonce must be 97 bytes');
    if (sk.length !== 32) throw invalid('MuSig2 Sign: the secret key must be 32 bytes');
    const { Q, gacc, b, R, e } = sessionValues(s);
    // "Let k1' = int(secnonce[0:32]), k2' = int(secnonce[32:64]); Fail if ki' = 0 or ki' ≥ n for i = 1..2"
    const k1p = int(secnonce.subarray(0, 32));
    const k2p = int(secnonce.subarray(32, 64));
    if (k1p === 0n || k2p === 0n || k1p >= N || k2p >= N) throw invalid('MuSig2 Sign: the secret nonce is zero or out of range (already used?)');
    // "k_i = k_i' if has_even_y(R), else n - k_i'"
    const k1 = hasEvenY(R) ? k1p : N - k1p;
    const k2 = hasEvenY(R) ? k2p : N - k2p;
    // "d' = int(sk); Fail if d' = 0 or d' ≥ n; P = d'⋅G; Let pk = secnonce[64:97]; Fail if pk ≠ cbytes(P)"
    const dp = int(sk);
    if (dp === 0n || dp >= N) throw invalid('MuSig2 Sign: the secret key is out of range');
    const pk = baseMul(dp)!;
    if (!bytesEqual(pk, secnonce.subarray(64, 97))) throw invalid('MuSig2 Sign: the secret nonce was made for another key');
    const a = sessionKeyAggCoeff(s, pk);
    // "g = 1 if has_even_y(Q), else n - 1; d = g⋅gacc⋅d' mod n"
    const g = hasEvenY(Q) ? 1n : N - 1n;
    const d = mod(g * gacc * dp);
    // "s = (k1 + b⋅k2 + e⋅a⋅d) mod n"
    const psig = bytes32(mod(k1 + b * k2 + e * a * d));
    const pubnonce = concatBytes([baseMul(k1p)!, baseMul(k2p)!]);
    if (!verifyInternal(psig, pubnonce, pk, s)) throw invalid('MuSig2 Sign: the partial signature does not verify (internal error)');
    return psig;
  } finally {
    secnonce.fill(0);
  }
}

function verifyInternal(psig: Uint8Array, pubnonce: Uint8Array, pk: Uint8Array, s: SessionContext): boolean {
  const { Q, gacc, b, R, e } = sessionValues(s);
  // "Let s = int(psig); fail if s ≥ n"
  if (psig.length !== 32) return false;
  const sv = int(psig);
  if (sv >= N) return false;
  const R1 = cpoint(pubnonce.subarray(0, 33));
  const R2 = cpoint(pubnonce.subarray(33, 66));
  if (pubnonce.length !== 66 || !R1 || !R2) return false;
  // "Re*' = R*1 + b⋅R*2; Re* = Re*' if has_even_y(R), else -Re*'"
  const ReP = add(R1, mul(R2, b));
  const Re = hasEvenY(R) ? ReP : negate(ReP);
  const a = sessionKeyAggCoeff(s, pk);
  // "g = 1 if has_even_y(Q) else n - 1; g' = g⋅gacc mod n; fail if s⋅G ≠ Re* + e⋅a⋅g'⋅P"
  const g = hasEvenY(Q) ? 1n : N - 1n;
  const gp = mod(g * gacc);
  const lhs = baseMul(sv);
  const rhs = add(Re, mul(cpoint(pk) ?? null, mod(e * a * gp)));
  return lhs === null || rhs === null ? lhs === rhs : bytesEqual(lhs, rhs);
}

/**
 * BIP327 PartialSigVerify: is `psig` participant `i`'s valid partial signature, given every participant's public
 * nonce (in `pubkeys` order) and the session's keys, tweaks and message.
 */
export function partialSigVerify(psig: Uint8Array, pubnonces: readonly Uint8Array[], s: Omit<SessionContext, 'aggnonce'>, i: number): boolean {
  const pk = s.pubkeys[i];
  const pn = pubnonces[i];
  if (pk === undefined || pn === undefined || pubnonces.length !== s.pubkeys.length) throw invalid('MuSig2 PartialSigVerify: participant index out of range');
  const aggnonce = nonceAgg(pubnonces);
  return verifyInternal(psig, pn, pk, { ...s, aggnonce });
}

/**
 * BIP327 PartialSigAgg: the 64-byte BIP340 signature. "s = s_1 + ... + s_u + e⋅g⋅tacc mod n, g = 1 if
 * has_even_y(Q) else n - 1"; "Fail if s_i ≥ n" (blaming participant i).
 */
export function partialSigAgg(psigs: readonly Uint8Array[], s: SessionContext): Uint8Array {
  const { Q, tacc, R, e } = sessionValues(s);
  let sum = 0n;
  psigs.forEach((p, i) => {
    const v = p.length === 32 ? int(p) : N;
    if (v >= N) throw contribution(i, 'partial signature');
    sum += v;
  });
  const g = hasEvenY(Q) ? 1n : N - 1n;
  return concatBytes([xbytes(R), bytes32(mod(sum + e * g * tacc))]);
}

/** The x-only form of a key aggregation context's Q (what BIP340 verifies against). */
export function aggregateXonly(ctx: KeyAggContext): Uint8Array {
  return xbytes(ctx.Q).slice();
}
