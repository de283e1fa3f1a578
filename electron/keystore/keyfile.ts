// The key file BitGo Express reads in external-signer mode (--signerFileSystemPath):
//   { "<walletId>": "<encrypted xprv: an envelope as a JSON string>", ... }
// Parsing is strict and every problem names the wallet id and what is wrong, never the ciphertext.
import { readFileSync, statSync } from 'node:fs';
import { SignerError, type ErrorCode } from '../../shared/errors';
import { isWalletId } from '../../shared/wallet-id';
import { parseJsonStrict } from '../util/json';
import { describeEnvelope, parseEnvelope, type EnvelopeInfo, type ParsedEnvelope } from './envelope';

export class KeyFileError extends SignerError {
  constructor(message: string, code: ErrorCode) {
    super('KeyFileError', message, code);
  }
}

export interface KeyFileEntry {
  walletId: string;
  envelope: ParsedEnvelope;
}

export interface KeyFile {
  /** Where the file came from, as given (used in BitGo's "not in key file" message). */
  source: string;
  wallets: KeyFileEntry[];
  /** The signer's own receipt signing key (electron/receipts/), when the file holds one: never a wallet. */
  receiptKey?: ParsedEnvelope;
}

/**
 * The one entry of a key file that is not a wallet: the receipt key, a v2 envelope of the signer's Ed25519 receipt
 * signing key. Express reads entries by wallet id only, and BitGo ids are hex, so this name (with dashes, never a
 * wallet id) leaves the file Express-compatible. Any other name that is not a wallet id is still refused.
 */
export const RECEIPT_KEY_ENTRY = 'offline-signer-receipt-key';

/** Key files hold a few KB per wallet; anything far larger is not a key file. */
export const MAX_KEY_FILE_BYTES = 4 * 1024 * 1024;

/** Wallet ids become environment variable names (WALLET_<id>_PASSPHRASE): BitGo ids are hex object ids. */

function printable(s: string): string {
  return JSON.stringify(s.length > 40 ? `${s.slice(0, 40)}...` : s);
}

export function parseKeyFile(text: string, source = 'key file'): KeyFile {
  const body = text.replace(/^\uFEFF/, '');
  if (body.trim() === '') throw new KeyFileError(`${source} is empty`, 'key_file_empty');
  const json = parseJsonStrict(body);
  if ('syntax' in json) {
    throw new KeyFileError(`${source} is not valid JSON (${json.syntax.message.replace(/"[^"]{20,}"/g, '"..."').slice(0, 120)})`, 'key_file_malformed_json');
  }
  if ('duplicate' in json) {
    // JSON.parse silently keeps the last one, which would let a second entry shadow a wallet's key.
    throw new KeyFileError(`${source} lists wallet ${printable(json.duplicate.key)} more than once; refusing to guess which key is meant`, 'key_file_duplicate_wallet');
  }
  const raw = json.value;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new KeyFileError(`${source} must be a JSON object mapping wallet ids to encrypted keys, not ${Array.isArray(raw) ? 'an array' : typeof raw}`, 'key_file_not_object');
  }
  const all = Object.entries(raw as Record<string, unknown>);
  const receiptKey = Object.hasOwn(raw, RECEIPT_KEY_ENTRY) ? receiptKeyEnvelope((raw as Record<string, unknown>)[RECEIPT_KEY_ENTRY], source) : undefined;
  const entries = all.filter(([id]) => id !== RECEIPT_KEY_ENTRY);
  if (entries.length === 0) throw new KeyFileError(`${source} contains no wallets`, 'key_file_empty');
  const wallets = entries.map(([walletId, value]): KeyFileEntry => {
    if (!isWalletId(walletId)) {
      throw new KeyFileError(`${source}: wallet id ${printable(walletId)} is not a wallet id (letters and digits only, as BitGo ids are)`, 'key_file_bad_wallet_id');
    }
    if (typeof value !== 'string') {
      const kind = value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
      throw new KeyFileError(
        `${source}: the entry for wallet ${walletId} is ${kind}; it must be the encrypted key as a JSON string (escaped quotes), as BitGo's key file tool writes it`,
        'key_file_entry_not_string',
      );
    }
    return { walletId, envelope: parseEnvelope(value, `${source}, wallet ${walletId}`) };
  });
  return receiptKey ? { source, wallets, receiptKey } : { source, wallets };
}

/** The receipt key entry: a v2 envelope as a JSON string, nothing else (receipt_key_invalid). */
function receiptKeyEnvelope(value: unknown, source: string): ParsedEnvelope {
  if (typeof value !== 'string') throw new KeyFileError(`${source}: the ${RECEIPT_KEY_ENTRY} entry must be the encrypted receipt key as a JSON string`, 'receipt_key_invalid');
  const envelope = parseEnvelope(value, `${source}, ${RECEIPT_KEY_ENTRY}`);
  if (envelope.v !== 2) throw new KeyFileError(`${source}: the ${RECEIPT_KEY_ENTRY} entry must be a v2 (Argon2id) envelope, not v${envelope.v}`, 'receipt_key_invalid');
  return envelope;
}

export function readKeyFile(path: string): KeyFile {
  let size: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new KeyFileError(`key file ${path} is not a regular file`, 'key_file_unreadable');
    size = st.size;
  } catch (e) {
    if (e instanceof SignerError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new KeyFileError(`key file ${path} ${code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? 'error'})`}`, 'key_file_unreadable');
  }
  if (size > MAX_KEY_FILE_BYTES) {
    throw new KeyFileError(`key file ${path} is ${size} bytes, larger than any key file (limit ${MAX_KEY_FILE_BYTES})`, 'key_file_too_large');
  }
  return parseKeyFile(readFileSync(path, 'utf8'), path);
}

/** Express's own error for a wallet the key file does not hold (name "Error", as Express gives it). */
export class WalletNotInKeyFileError extends SignerError {
  constructor(walletId: string, source: string) {
    super('Error', `Could not find a field for walletId: ${walletId} in ${source}`, 'wallet_not_in_key_file');
  }
}

/** Looks a wallet up, failing with Express's own message when it is absent. */
export function findWallet(kf: KeyFile, walletId: string): KeyFileEntry {
  const entry = kf.wallets.find((w) => w.walletId === walletId);
  if (!entry) {
    throw new WalletNotInKeyFileError(walletId, kf.source);
  }
  return entry;
}

export interface KeyFileWalletInfo {
  walletId: string;
  envelope: EnvelopeInfo;
}

/** What `keys list` and the UI show: ids and KDF parameters, nothing secret. */
export function listKeyFile(kf: KeyFile): KeyFileWalletInfo[] {
  return kf.wallets.map((w) => ({ walletId: w.walletId, envelope: describeEnvelope(w.envelope) }));
}
