// Every code an error or a review issue carries, by the room that raises it, with the words an operator reads.
// The UI and scripts switch on codes, never on message text; a code is part of the contract. SignerError's code
// is typed by this table (shared/errors.ts), so a code that is not registered here does not compile, and a test
// checks that every registered code is raised somewhere and every code raised is registered.
//
// Words: what happened, in the operator's terms, without naming a file (the message from main does that).

export const ERROR_CODES = {
  /** Reading what arrived: request bodies, PSBTs, legacy transactions, BIP174 signer checks. */
  intake: {
    request_malformed_json: 'The request is not valid JSON: the file may be damaged or cut short.',
    request_not_object: 'The request is JSON but not a signing request (not an object).',
    request_too_large: 'The request is larger than any signing request this app accepts.',
    request_field_missing: 'The request lacks a field every signing request has.',
    request_field_invalid: 'A field of the request has the wrong form.',
    request_duplicate_field: 'A field appears twice in the request: two readers could see two different requests.',
    psbt_invalid: 'The PSBT breaks the PSBT format (BIP174/370/371): it cannot be read safely.',
    psbt_encoding_unknown: 'This is neither a signing request (JSON) nor a PSBT (binary, base64 or hex).',
    psbt_too_large: 'The PSBT is larger than this app accepts.',
    psbt_duplicate_key: 'The PSBT already holds that entry; nothing was added.',
    psbt_xpub_depth_mismatch: 'A global xpub of the PSBT is listed at a depth its path does not have.',
    psbt_wallet_keys_missing: 'The PSBT does not list its wallet’s three keys.',
    psbt_wallet_keys_ambiguous: 'The PSBT’s keys do not tell which is the user key: choose the wallet and unlock it.',
    psbt_not_this_wallet: 'The PSBT is not a transaction of this wallet.',
    locktime_conflict: 'The inputs ask for lock times that cannot hold together (BIP370).',
    input_index_invalid: 'An input index is not a number the PSBT can have.',
    input_index_out_of_range: 'The PSBT has no such input.',
    output_index_out_of_range: 'The PSBT has no such output.',
    input_finalized: 'An input is already finalized; it must not be signed again.',
    input_utxo_missing: 'An input does not say which output it spends, so its amount is unknown.',
    input_non_witness_utxo_invalid: 'An input’s previous transaction cannot be read.',
    input_non_witness_utxo_mismatch: 'An input’s previous transaction is not the one it spends.',
    input_prevout_missing: 'An input spends an output its previous transaction does not have.',
    input_utxo_inconsistent: 'An input states two different amounts or scripts for what it spends.',
    input_amount_invalid: 'An input spends an amount outside 0 to 21 million BTC.',
    input_redeem_script_missing: 'A P2SH input lacks its redeem script.',
    input_redeem_script_mismatch: 'An input’s redeem script is not the one its output commits to.',
    input_witness_script_missing: 'A P2WSH input lacks its witness script.',
    input_witness_script_mismatch: 'An input’s witness script is not the one its output commits to.',
    input_witness_utxo_for_non_segwit: 'A non-segwit input comes without its previous transaction; its amount is unproven.',
    input_non_witness_utxo_required: 'A segwit input comes without its previous transaction, and this check asks for it.',
    input_script_unsupported: 'An input spends an output type this signer does not sign.',
    input_sighash_unsupported: 'An input asks for a signature type other than ALL: the transaction could be changed after signing.',
    input_tap_leaf_mismatch: 'A taproot leaf script does not belong to the output it claims to spend.',
    input_tap_key_mismatch: 'A taproot internal key does not belong to the output it claims to spend.',
    tx_no_inputs: 'The transaction has no inputs.',
    tx_no_outputs: 'The transaction has no outputs: everything would go to fees.',
    tx_duplicate_input: 'The transaction spends the same output twice.',
    tx_output_amount_invalid: 'An output pays an amount outside 0 to 21 million BTC.',
    tx_output_total_invalid: 'The outputs together pay more than 21 million BTC.',
    legacy_tx_invalid: 'The legacy transaction cannot be read as an unsigned transaction.',
    legacy_tx_not_unsigned: 'The legacy transaction is already signed; only unsigned ones are signed here.',
    legacy_unspents_missing: 'The legacy request does not say what each input spends (txInfo.unspents).',
    legacy_unspents_count_mismatch: 'The legacy request lists more spent outputs than the transaction has inputs.',
    legacy_unspent_invalid: 'An entry of the legacy request’s spent outputs has the wrong form.',
    legacy_unspent_id_mismatch: 'A spent-output entry of the legacy request is not the one its input spends.',
    legacy_unspent_script_missing: 'A spent-output entry gives nothing its wallet path could be checked against.',
    legacy_unspent_script_mismatch: 'A spent-output entry claims a wallet path whose script is not the one spent.',
    legacy_script_type_unsupported: 'This script type has no legacy form: ask for a PSBT request.',
    legacy_last_signature_unsupported: 'A legacy request can only get the first signature here, not the last.',
    'ParseTransactionError.Input/ParseInputError.WalletValidation': 'An input is not a script of this wallet’s three keys (BitGo’s wallet validation).',
  },
  /** The wallet's keys, paths and scripts. */
  wallet: {
    ERR_ASSERTION: 'The request does not carry the wallet’s three keys (pubs), as BitGo requires.',
    request_pubs_invalid: 'The request’s keys (pubs) are not three extended public keys.',
    request_pubs_private: 'The request carries a PRIVATE key where a public one belongs. Treat the sender as compromised.',
    wallet_chain_unknown: 'A wallet path names a chain BitGo does not use.',
    wallet_index_invalid: 'A wallet path index is out of range.',
    wallet_script_invalid: 'A wallet script has no address form.',
    wallet_key_aggregation_failed: 'The wallet’s taproot keys could not be combined.',
    derivation_index_invalid: 'A key derivation index is out of range.',
    derivation_invalid: 'A key derivation landed on an invalid key (astronomically rare): this index cannot be used.',
  },
  /** The key file, envelopes and the vault. */
  keystore: {
    key_file_unreadable: 'The key file cannot be read.',
    key_file_too_large: 'The key file is larger than any key file this app accepts.',
    key_file_empty: 'The key file is empty.',
    key_file_malformed_json: 'The key file is not valid JSON.',
    key_file_not_object: 'The key file is not a key file (not a JSON object of wallets).',
    key_file_duplicate_wallet: 'The key file lists the same wallet twice.',
    key_file_bad_wallet_id: 'The key file has an entry whose name is not a wallet id.',
    key_file_entry_not_string: 'A key file entry is not an encrypted key.',
    wallet_not_in_key_file: 'This wallet is not in the key file.',
    envelope_malformed_json: 'An encrypted key is damaged (not valid JSON).',
    envelope_unknown_version: 'An encrypted key uses a format version this app does not know.',
    envelope_unsupported: 'An encrypted key uses a cipher or mode this app does not read.',
    envelope_bad_field: 'An encrypted key has a damaged field.',
    envelope_truncated: 'An encrypted key is cut short.',
    envelope_cost_out_of_range: 'An encrypted key asks for an unreasonable amount of work to open; refused.',
    envelope_kdf_failed: 'The passphrase could not be turned into a key on this machine (not enough memory?); nothing was unlocked.',
    envelope_bad_plaintext: 'The key decrypted, but to something that is not a key.',
    key_not_xprv: 'The key decrypted, but it is not an extended private key.',
    passphrase_missing: 'No passphrase was given.',
    wallet_passphrase_incorrect: 'That passphrase did not unlock this wallet.',
    wallet_locked: 'The wallet is locked: unlock it first.',
    idle_lock_invalid: 'The idle lock time is out of range.',
    derivation_seed_invalid: 'The request’s derivationSeed is empty or too long.',
    signing_key_missing: 'The key has no private part: it cannot sign.',
    signing_key_mismatch: 'The unlocked key is not the request’s user key: nothing is signed.',
    signer_closed: 'The signer was closed (the wallet locked); sign again.',
  },
  /** What the review refuses or warns about, and its own errors. */
  review: {
    review_argument_invalid: 'The review was asked with invalid options.',
    wallet_not_chosen: 'A bare PSBT does not say which wallet it is for: choose the wallet.',
    wallet_xpubs_missing: 'The wallet’s three keys are needed to review a bare PSBT.',
    wallet_mismatch: 'The request names another wallet than the one chosen.',
    wallet_keys_mismatch: 'The request’s keys are not the keys on record for this wallet.',
    wallet_not_unlocked_key: 'The request’s user key is not this wallet’s unlocked key: its inputs are not this wallet’s.',
    network_mismatch: 'The request is for another network than the one chosen, or mixes networks.',
    network_assumed: 'Nothing says which network this is for; addresses are shown for mainnet.',
    input_not_wallet: 'An input is not this wallet’s: its script does not re-derive from the wallet’s keys.',
    input_scripts_mismatch: 'An input’s scripts are not the wallet’s own at its path.',
    inputs_mixed_wallets: 'The inputs belong to more than one wallet.',
    input_amount_unverified: 'An input’s amount is claimed, not proven (no previous transaction).',
    amount_evidence_conflict: 'Two sources disagree about an input’s amount.',
    change_not_wallet: 'An output claims to be change but is not the wallet’s: it would pay someone else.',
    change_path_hardened: 'A change output claims a hardened path, which wallet change never has.',
    change_path_unexpected: 'A change output claims a path that is not a wallet path.',
    change_path_inconsistent: 'A change output’s key paths disagree with each other.',
    change_scripts_mismatch: 'A change output’s scripts are not the wallet’s at its path.',
    change_index_high: 'Change goes to an index far beyond normal; it may be hard to find later.',
    output_to_own_receive_address: 'An output pays this wallet’s own receive address.',
    output_foreign_derivation: 'An output carries key paths for other keys; it is treated as a recipient.',
    output_zero_value: 'An output pays nothing.',
    output_dust: 'An output pays less than the dust limit.',
    op_return_output: 'An output carries data (OP_RETURN) instead of paying an address.',
    outputs_exceed_inputs: 'The outputs pay more than the inputs hold.',
    fee_above_max: 'The fee is above the policy’s limit.',
    fee_percent_high: 'The fee is a large share of what leaves the wallet.',
    fee_rate_high: 'The fee rate is far above normal.',
    spend_above_max: 'More leaves the wallet than the policy allows per transaction.',
    destination_not_allowed: 'An output pays an address that is not on the policy’s allowlist.',
    paygo_output_missing: 'BitGo’s fee (PayGo) is announced but no output pays it.',
    paygo_fee_high: 'BitGo’s fee (PayGo) output is above its usual share.',
    paygo_unverified: 'The request calls an output BitGo’s fee (PayGo) but does not prove it: it is shown as a recipient.',
    locktime_unusual: 'The transaction cannot confirm until a future time or block.',
    sequence_unusual: 'An input has an unusual sequence number (a relative timelock).',
    policy_invalid: 'The policy file has an invalid rule.',
    policy_unknown_field: 'The policy file has a field this app does not know (a typo would disable a limit).',
    policy_duplicate_field: 'A rule appears twice in the policy file; each rule must be given once.',
    policy_version_unsupported: 'The policy file is of a version this app does not read.',
    policy_malformed_json: 'The policy file is not valid JSON.',
    policy_too_large: 'The policy file is larger than this app accepts.',
  },
  /** The wallet registry: which wallets this signer signs for, with their keys and coin. */
  registry: {
    registry_invalid: 'The wallet registry file is damaged or has an invalid entry; nothing was guessed.',
    registry_wallet_exists: 'That wallet is already registered; remove its entry first to replace it.',
    wallet_not_registered: 'This wallet is not in the wallet registry: register it (confirming each key) before signing for it.',
    wallet_key_signatures_invalid: 'BitGo’s key signatures do not verify: the registered keys are not the ones the wallet was made with.',
    registry_user_key_mismatch: 'The user key given is not the key file’s key for this wallet; nothing was registered.',
    registry_confirmation_mismatch: 'The characters typed do not match the key shown: check the key against its second source.',
  },
  /** The operator's approval, checked again on the exact bytes. */
  approval: {
    review_bytes_changed: 'The request changed after it was reviewed: review it again.',
    review_warnings_unacknowledged: 'Not every warning was acknowledged.',
    review_warnings_strict: 'Strict mode: warnings block signing.',
  },
  /** Making signatures. */
  signing: {
    request_not_approved: 'Only an approved request is signed.',
    signed_amount_conflict: 'An input was already signed with another amount: two such signatures could pay a fee nobody reviewed.',
    ledger_invalid: 'The signing ledger (what was already signed) is damaged; nothing is signed until it is restored or moved away.',
    ledger_unwritable: 'The signing ledger could not be written, so the signature was not released.',
    finalize_incomplete: 'The transaction lacks a signature it needs to be final.',
    legacy_format_unsupported_input: 'An input has no legacy half-signed form: ask for a PSBT response.',
    legacy_signature_foreign_key: 'An input carries a signature by a key not in its script.',
    legacy_script_missing: 'A legacy input lacks the script it needs.',
    legacy_script_too_large: 'A script is larger than a transaction may carry.',
  },
  /** MuSig2 key-path signing of BitGo taproot wallets (chains 40/41): the two-step exchange and its kept nonces. */
  musig2: {
    musig2_not_supported: 'This MuSig2 step is BitGo’s own (cosignerNonce, done online); this signer does not perform it. Nothing is signed.',
    musig2_step_required: 'MuSig2 inputs are signed in two steps: the request must ask for signingStep signerNonce first, then signerSignature.',
    musig2_participants_invalid: 'A MuSig2 input does not name this wallet’s user and BitGo keys as its two signers.',
    musig2_cosigner_nonce_invalid: 'BitGo’s MuSig2 nonce is missing or invalid; nothing is signed. Ask for a new signature round.',
    musig2_nonce_missing: 'No kept nonce matches this signature request (made on another machine, lost, or replaced by a later nonce step). Start again with the nonce step.',
    musig2_nonce_used: 'This MuSig2 nonce was already used for a signature; a nonce signs once. Start again with the nonce step.',
    musig2_tx_changed: 'The transaction is not the one the MuSig2 nonce was made for; nothing is signed.',
    musig2_nonce_store_invalid: 'The kept MuSig2 nonces file is damaged; nothing is signed until it is restored or moved away.',
    musig2_nonce_store_unwritable: 'The kept MuSig2 nonces file could not be written, so the nonce or signature was not released.',
    musig2_value_invalid: 'A MuSig2 value is malformed (a key, nonce, tweak or signature out of range).',
    musig2_contribution_invalid: 'A MuSig2 participant’s key, nonce or partial signature is invalid.',
  },
  /** The key ceremony: creating, backing up, auditing and re-encrypting keys, KeyCards and shards. */
  ceremony: {
    dice_rolls_invalid: 'The dice rolls may hold only the digits 1 to 6 (spaces and line breaks are ignored).',
    entropy_insufficient: 'Not enough of your own entropy: roll at least 99 dice, or type text you judge to hold at least 256 bits.',
    os_entropy_invalid: 'The computer entropy to check against is not 64 hex digits: it is damaged or not the exported one.',
    rng_self_test_failed: 'The random number generator or the key code failed its self-test: do not create keys on this computer.',
    passphrase_mismatch: 'The two passphrases typed are not the same: type them again.',
    passphrase_weak: 'The passphrase is too short or too simple for a key that guards funds: choose a longer one.',
    ceremony_file_invalid: 'The ceremony file is damaged or is not a ceremony file; nothing was guessed.',
    ceremony_key_mismatch: 'The decrypted key is not the key on record: the file, the box or the passphrase belongs to another key.',
    ceremony_xpub_invalid: 'That is not an extended public key (xpub) of the kind BitGo uses.',
    ceremony_xpub_private: 'That is a PRIVATE key where a public one belongs: do not share it, and do not use it here.',
    ceremony_xpub_reused: 'The same key is given for two roles of the wallet; each of user, backup and BitGo must be its own key.',
    audit_input_invalid: 'The key to audit is not an encrypted BitGo key (a KeyCard box A or B, or a key file entry).',
    reencrypt_verify_failed: 'The re-encrypted key did not decrypt back to the same key; nothing was written.',
    key_file_entry_exists: 'The key file already holds a key for that wallet; it was left untouched.',
    keycard_invalid: 'The KeyCard could not be made from what was given.',
    shard_invalid: 'A shard is damaged or is not a shard in BitGo’s format.',
    shards_inconsistent: 'The shards do not all rebuild the same key: some belong to another split or are damaged.',
    shard_threshold_invalid: 'The number of shards needed (m) and made (n) must satisfy 2 ≤ m ≤ n ≤ 255.',
    ceremony_step_invalid: 'That ceremony step cannot run now: an earlier step is missing or was already done.',
  },
  /** Removable drives and the files on them. */
  files: {
    file_outside_drive: 'That file is not on the drive.',
    file_missing: 'The file is no longer on the drive (was it removed?).',
    file_not_regular: 'That is not a file.',
    file_too_large: 'The file is larger than any signing request this app accepts.',
  },
  /** Writing results. */
  output: {
    output_exists: 'A file with that name is already there; it was left untouched.',
    output_name_too_long: 'The file name is longer than a drive allows (255 bytes): rename the request and import it again.',
    output_write_failed: 'The file could not be written.',
    output_verify_failed: 'The written file did not read back the same; it was removed.',
  },
  /** The operator's session in the app. */
  workflow: {
    drive_unknown: 'That drive is not in the current list: refresh the drives.',
    drive_missing: 'The drive is no longer connected.',
    drive_built_in_read_only: 'The demo’s built-in requests are not a USB drive: nothing can be written there. Show signed results as QR codes, or choose a USB drive.',
    request_unknown: 'That request was not imported in this session.',
    request_already_imported: 'A file with the same content is already imported.',
    request_state_invalid: 'That request is not in a state that allows this.',
    request_not_signed: 'That request is not signed yet.',
    request_scanned_no_drive: 'A scanned request has no drive: show its result as QR codes.',
    review_fingerprint_mismatch: 'The approval was for another review: open the review again.',
    acknowledgement_unknown: 'An acknowledged warning is not one of this review’s.',
    sign_in_progress: 'Signing is already running.',
    sign_canceled: 'Signing was canceled before this request; it stays approved.',
    unlock_throttled: 'Too many wrong passphrases: wait before trying again.',
    wallet_not_in_key_store: 'That wallet is not in the open key store.',
    qr_nothing_waiting: 'No scanned PSBT is waiting for a wallet: scan it again.',
    internal_error: 'Something went wrong inside the app. Try again; if it repeats, restart the app.',
  },
  /** The IPC router and handlers. */
  ipc: {
    ipc_payload_invalid: 'The app sent an invalid request to its main process.',
    ipc_unknown_channel: 'The app asked its main process for something that does not exist.',
    ipc_sender_not_top_frame: 'A request came from a part of the page that may not ask.',
    ipc_sender_wrong_origin: 'A request came from a page that is not the app.',
    ipc_refused: 'The main process refused the request.',
    ipc_response_withheld: 'The main process withheld an answer that looked like key material.',
    key_store_not_open: 'No key store is open: open a key file first.',
    demo_not_enabled: 'The demo key store is only available in demo mode.',
    demo_real_key_store_refused: 'In demo mode only the demo key store opens: start the app without --demo for real keys.',
  },
  /** The command-line signer. */
  cli: {
    usage: 'The command line is not valid: see --help.',
    input_not_file: 'That path is not a file.',
    input_unreadable: 'That file cannot be read.',
    input_too_large: 'That file is larger than this command accepts.',
    wallet_passphrase_missing: 'The wallet’s passphrase variable is not set (WALLET_<id>_PASSPHRASE).',
    prompt_cancelled: 'Passphrase entry was cancelled.',
  },
  /** Amounts, schemas and QR transport (shared by main and the renderer). */
  shared: {
    amount_invalid: 'An amount is not a number of satoshis.',
    amount_negative: 'An amount is negative.',
    amount_above_max_money: 'An amount is above the 21 million BTC supply.',
    amount_unsafe_integer: 'An amount is too large to show exactly.',
    vsize_invalid: 'A transaction size could not be computed.',
    qr_part_corrupt: 'A QR code could not be decoded; keep scanning.',
    qr_transfer_too_large: 'The QR transfer is larger than this app accepts.',
    qr_type_unsupported: 'The QR code carries a kind of data this app does not accept.',
    qr_payload_invalid: 'The QR transfer completed, but its content is not what it claims to be.',
    qr_encode_invalid: 'The QR codes could not be made at this density.',
    qr_format_unavailable: 'This QR format is not available here.',
  },
  /** The renderer's own (the bridge to main, the screens). */
  renderer: {
    bridge_missing: 'The app’s bridge to its main process is missing: restart the app.',
    unknown_error: 'The main process gave no code for this error; its message says what happened.',
  },
} as const satisfies Record<string, Record<string, string>>;

/**
 * The codes the review gives as warnings (the operator acknowledges each; a policy may turn any of them into a
 * refusal with `refuseWarnings`, which accepts only these).
 */
export const REVIEW_WARNING_CODES = [
  'change_index_high',
  'fee_above_max',
  'fee_percent_high',
  'fee_rate_high',
  'input_amount_unverified',
  'locktime_unusual',
  'network_assumed',
  'op_return_output',
  'output_dust',
  'output_foreign_derivation',
  'output_to_own_receive_address',
  'output_zero_value',
  'paygo_fee_high',
  'paygo_output_missing',
  'paygo_unverified',
  'psbt_xpub_depth_mismatch',
  'sequence_unusual',
] as const satisfies readonly ErrorCode[];

export type ReviewWarningCode = (typeof REVIEW_WARNING_CODES)[number];

export type ErrorRoom = keyof typeof ERROR_CODES;
export type ErrorCode = { [R in ErrorRoom]: keyof (typeof ERROR_CODES)[R] }[ErrorRoom] & string;

const WORDS: ReadonlyMap<string, string> = new Map(Object.values(ERROR_CODES).flatMap((room) => Object.entries(room)));

export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && WORDS.has(code);
}

/** The operator's words for a code, or undefined for a code this table does not know. */
export function wordsFor(code: string | undefined): string | undefined {
  return code === undefined ? undefined : WORDS.get(code);
}
