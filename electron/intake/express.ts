// BitGo Express's external-signer request body, read once, with shared/schema.ts:
//   { txPrebuild: { txHex | txBase64, walletId, txInfo?, feeInfo?, blockHeight?, ... }, pubs, derivationSeed?,
//     signingStep?, isLastSignature?, returnLegacyFormat? }
// BitGo owns this format and adds fields to it, so unknown fields are kept (and ignored) while every known field is
// checked: types, bounds, and the wallet id rule. The metadata the review compares with the transaction
// (txInfo.unspents, changeAddresses, walletAddressDetails, feeInfo's PayGo fee, blockHeight) comes out typed.
import { SignerError } from '../../shared/errors';
import * as s from '../../shared/schema';
import { WALLET_ID } from '../../shared/wallet-id';
import { parseJsonStrict } from '../util/json';
import { MAX_DERIVATION_SEED_LENGTH } from '../util/limits';

/** Request files are at most 16 MB on a drive; a QR transfer at most 4 MiB. This bounds any other caller. */
export const MAX_REQUEST_CHARS = 64 * 1024 * 1024;
const MAX_ITEMS = 100_000;
const ADDRESS = s.string({ max: 100 });
const SATS = s.number({ min: 0, max: Number.MAX_SAFE_INTEGER, integer: true });
/** An amount as BitGo writes it: a safe integer, or a decimal string (read exactly, never through a float). */
export const SATS_OR_DECIMAL = s.oneOf(SATS, s.string({ max: 20, pattern: /^[0-9]+$/, patternName: 'a whole number of satoshis' }));

export type RequestCode = 'request_duplicate_field' | 'request_field_missing' | 'request_field_invalid' | 'request_malformed_json' | 'request_not_object' | 'request_too_large';

export class RequestError extends SignerError {
  constructor(message: string, code: RequestCode) {
    super('RequestError', message, code);
  }
}

// One unspent as the PSBT-era txInfo lists it (the legacy format reads its own stricter record: intake/legacy.ts).
const METADATA_UNSPENT = s.object(
  {
    id: s.string({ max: 75 }),
    address: s.optional(ADDRESS),
    value: s.optional(SATS_OR_DECIMAL),
    wallet: s.optional(s.string({ max: 128 })),
  },
  { unknownFields: 'keep' },
);

const TX_INFO = s.object(
  {
    unspents: s.optional(s.array(METADATA_UNSPENT, { max: MAX_ITEMS })),
    changeAddresses: s.optional(s.array(ADDRESS, { max: MAX_ITEMS })),
    // chain and index are checked by the review, which refuses a listed change address it cannot verify.
    walletAddressDetails: s.optional(
      s.record(s.object({ chain: s.optional(s.number({ min: 0, max: 1000, integer: true })), index: s.optional(s.number({ min: 0, max: Number.MAX_SAFE_INTEGER, integer: true })) }, { unknownFields: 'keep' }), {
        max: MAX_ITEMS,
        key: { max: 100 },
      }),
    ),
  },
  { unknownFields: 'keep' },
);

export const EXPRESS_BODY = s.object(
  {
    txPrebuild: s.object(
      {
        walletId: WALLET_ID,
        txHex: s.optional(s.string({ max: MAX_REQUEST_CHARS })),
        txBase64: s.optional(s.string({ max: MAX_REQUEST_CHARS })),
        txInfo: s.optional(TX_INFO),
        feeInfo: s.optional(s.object({ payGoFee: s.optional(SATS), payGoAddress: s.optional(ADDRESS) }, { unknownFields: 'keep' })),
        blockHeight: s.optional(s.number({ min: 0, max: 0xffffffff, integer: true })),
      },
      { unknownFields: 'keep' },
    ),
    // BitGo's own checks and errors (AssertionError when missing): wallet/keys.ts parseXpubTriple.
    pubs: s.optional(s.unchecked()),
    derivationSeed: s.optional(s.string({ min: 1, max: MAX_DERIVATION_SEED_LENGTH })),
    signingStep: s.optional(s.literal('signerNonce', 'signerSignature', 'cosignerNonce')),
    isLastSignature: s.optional(s.boolean()),
    returnLegacyFormat: s.optional(s.boolean()),
  },
  { unknownFields: 'keep' },
);

export type ExpressBody = s.Infer<typeof EXPRESS_BODY>;

export interface MetadataUnspent {
  id: string;
  address?: string;
  value?: bigint;
  wallet?: string;
}

/** What the request says around its transaction; the review checks each claim against the transaction. */
export interface RequestMetadata {
  /** txInfo.unspents in order (legacy requests pair them with inputs by index). */
  unspents: MetadataUnspent[];
  /** The same by outpoint id ("txid:vout"); the first entry wins. */
  unspentById: Map<string, MetadataUnspent>;
  changeAddresses: Set<string>;
  addressDetails: Map<string, { chain?: number; index?: number }>;
  /** BitGo's PayGo fee output, named in feeInfo. */
  payGoFee?: bigint;
  payGoAddress?: string;
  blockHeight?: number;
}

export function emptyMetadata(): RequestMetadata {
  return { unspents: [], unspentById: new Map(), changeAddresses: new Set(), addressDetails: new Map() };
}

/** Parses the body's text: JSON, one object, every known field well-formed. `name` names it in errors. */
export function parseExpressBody(text: string, name: string): ExpressBody {
  if (text.length > MAX_REQUEST_CHARS) throw new RequestError(`${name}: the request is larger than ${MAX_REQUEST_CHARS} characters`, 'request_too_large');
  const json = parseJsonStrict(text);
  if ('syntax' in json) throw new RequestError(`${name} is not valid JSON (${json.syntax.message.slice(0, 120)})`, 'request_malformed_json');
  if ('duplicate' in json) {
    // Two parsers could read two different requests from one file (JSON.parse keeps the last value).
    const { path, key } = json.duplicate;
    throw new RequestError(`${name}: ${path === '' ? key : `${path}.${key}`} appears twice; a request names each field once`, 'request_duplicate_field');
  }
  const body = json.value;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new RequestError(`${name}: a signing request must be a JSON object`, 'request_not_object');
  const parsed = s.parseWith(EXPRESS_BODY, body, (e) => new RequestError(`${name}: ${e.path || 'request'}: ${e.reason}`, e.problem === 'required' ? 'request_field_missing' : 'request_field_invalid'));
  const pre = parsed.txPrebuild;
  if ((pre.txHex === undefined) === (pre.txBase64 === undefined)) {
    throw new RequestError(`${name}: txPrebuild must carry exactly one of txHex and txBase64`, pre.txHex === undefined ? 'request_field_missing' : 'request_field_invalid');
  }
  return parsed;
}

export function readMetadata(body: ExpressBody): RequestMetadata {
  const m = emptyMetadata();
  const pre = body.txPrebuild;
  if (pre.blockHeight !== undefined) m.blockHeight = pre.blockHeight;
  for (const u of pre.txInfo?.unspents ?? []) {
    const entry = { id: u.id, ...(u.address !== undefined ? { address: u.address } : {}), ...(u.value !== undefined ? { value: BigInt(u.value) } : {}), ...(u.wallet !== undefined ? { wallet: u.wallet } : {}) };
    m.unspents.push(entry);
    if (!m.unspentById.has(u.id)) m.unspentById.set(u.id, entry);
  }
  m.changeAddresses = new Set(pre.txInfo?.changeAddresses ?? []);
  for (const [address, d] of Object.entries(pre.txInfo?.walletAddressDetails ?? {})) {
    m.addressDetails.set(address, { ...(d.chain !== undefined ? { chain: d.chain } : {}), ...(d.index !== undefined ? { index: d.index } : {}) });
  }
  if (pre.feeInfo?.payGoFee !== undefined && pre.feeInfo.payGoFee > 0) m.payGoFee = BigInt(pre.feeInfo.payGoFee);
  if (pre.feeInfo?.payGoAddress !== undefined) m.payGoAddress = pre.feeInfo.payGoAddress;
  return m;
}
