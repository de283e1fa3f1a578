// The --help texts of the command-line signer's commands, apart from their code so that printing them loads
// nothing else (see commands.ts).

/** The wallet-rule options sign and review share (wallet-rules.ts). */
export const WALLET_RULES_HELP = `  --registry <file> the wallet registry (see "offline-signer registry --help"): every request's wallet must be
                    registered; its registered keys and coin are enforced (wallet_keys_mismatch,
                    network_mismatch) and a bare PSBT takes them from the registry
  --coin <name>     btc, tbtc or tbtc4, for a run without a registry: the network every request must be for`;


export const KEYS_HELP = `Usage:
  offline-signer keys list  --keys <file> [--json]
  offline-signer keys check --keys <file> [--json] [walletId ...]

keys list    Lists the wallets in a BitGo key file (the file BitGo Express reads with
             --signerFileSystemPath): wallet id, envelope version and key-derivation
             parameters. Needs no passphrase and shows nothing secret.
keys check   Unlocks each wallet (all of them, or the ids given) and prints the wallet
             key's xpub and fingerprint, so an operator can compare them with BitGo's
             records before a ceremony or a signing session.
             Passphrases come from WALLET_<walletId>_PASSPHRASE, as with BitGo Express
             (an empty value counts as missing); when stdin is a terminal, a missing
             one is asked for without echo.

Options:
  --keys <file>   the key file (required)
  --json          machine-readable output

Exit status: 0 all good; 1 the file is invalid or any wallet failed to unlock
(each failure is listed with its error); 2 usage error.
`;

export const SIGN_HELP = `Usage:
  offline-signer sign --keys <keys.json> [--registry <file> | --coin <name>] [--out <file-or-dir>] [--wallet <id>]
                      [--policy <file>] [--strict] [--ledger <file>] [--nonces <file>]
                      [--used-tokens <file>] [--hmac-secrets <file>] [--audit-log <file>] [--no-receipt]
                      <request-or-psbt> [more ...]

Without --out, the result is printed on stdout (a binary PSBT as base64).

Signs BitGo Express external-signer requests ({"txPrebuild": {...}, "pubs": [...], ...}) with the user key
from the key file, after checking that every input is the wallet's own script (re-derived from the request's
three xpubs) and passes the BIP174 signer checks. The response is BitGo's: {"txHex":"<half-signed PSBT hex>"},
byte-identical to what BitGo's own signer returns; with "isLastSignature": true it is the finalized network
transaction; with "returnLegacyFormat": true, the half-signed legacy transaction. Requests in BitGo's legacy
pre-PSBT format (txHex a network transaction plus txInfo.unspents) are signed as BitGo's older SDK did.
Bare PSBT files (binary, base64 or hex) are signed too: the result keeps the input's encoding.

Passphrases come from WALLET_<walletId>_PASSPHRASE (an empty value counts as missing); on a terminal a missing
one is asked for without echo.

Options:
  --keys <file>     the key file, as BitGo Express reads it (required)
  --out <path>      one input: the file to write (never overwritten); without it the result goes to stdout.
                    several inputs: an existing directory; each result is written there as
                    <input name>.signed.json (requests) or <input name>.signed<same extension> (PSBTs)
  --wallet <id>     the wallet to sign a bare PSBT with (requests name their own); optional when the key
                    file holds a single wallet
  --policy <file>   the signing policy (see README, "Policy"); default: the built-in defaults
  --strict          every review warning refuses the signature (without it, warnings are printed to stderr)
  --ledger <file>   the signing ledger (default: beside the key file, keys.json -> keys.ledger.json). Every
                    signed input's outpoint and amount is recorded there before the result is written; a request
                    spending an outpoint this wallet already signed with another amount is refused
                    (signed_amount_conflict): two such signatures could be combined into a transaction with a fee
                    nobody reviewed.
  --nonces <file>   the kept MuSig2 nonces (default: beside the key file, keys.json -> keys.musig2-nonces.json).
                    BitGo taproot MuSig2 inputs (chains 40/41 key path) take two requests: signingStep
                    "signerNonce" answers with the user's nonces and signs nothing (the secret nonces are kept
                    here, sealed under the wallet key); BitGo then adds its nonce, and the "signerSignature"
                    request gets the user's partial signatures, using each kept nonce once. Keep this file
                    between the two runs; without it the second request is refused (musig2_nonce_missing).
  --used-tokens <file>  the JWT ids and HMAC tags already accepted (default: beside the key file, keys.json ->
                    keys.used-tokens.json); a token is accepted once (auth_jwt_replayed, auth_hmac_replayed)
  --hmac-secrets <file>  the operator's shared HMAC secrets, {"<walletId>": "<secret>"} (default: beside the key
                    file, keys.json -> keys.hmac-secrets.json, when it exists). Never stored in the registry.
  --audit-log <file>  the hash-chained audit log, as the app keeps (default: beside the key file, keys.json ->
                    keys.audit-log.jsonl, its head keys.audit-log.head.json). Each input's authentication result,
                    signature or failure is appended; a result is written or printed only once its
                    request-signed entry is on disk, and nothing is signed while the log cannot be written
                    (audit_unwritable). Check it with "offline-signer audit verify --log <file>".
  --no-receipt      sign without receipts although the key file holds a receipt key (see Receipts below)
${WALLET_RULES_HELP}

Authenticated requests: a request may come as {"signature": "<JWT>", "body": <request>} (RS256, verified with
the keys pinned for the wallet in the registry; claims jti, iat, exp, bodySha256 = sha256 of the body's exact
bytes, walletId), with its token in <file>.jwt beside it, or as {"hmac": "<hex>", "authVersion": "2.0"|"3.0",
"method", "timestamp", "path", "body": <request>} (HMAC-SHA256 with the wallet's shared secret). Who
authenticated it is printed on stderr. A wallet whose registry entry sets requireAuthenticatedRequests (jwt,
hmac or either) refuses any other request (auth_required); without it a plain request signs as before.

Receipts: when the key file holds a receipt key (ceremony receipt-key) and results are written to files (--out),
<result>.receipt.jwt is written beside each signed file (EdDSA JWS; see "offline-signer receipt --help"). The
receipt key's passphrase comes from OFFLINE_SIGNER_RECEIPT_PASSPHRASE or is typed on a terminal, once, before
anything is signed; without it nothing is signed (receipt_passphrase_missing) unless --no-receipt is given. A
receipt name that exists already refuses that input (output_exists). With no receipt key, or results on stdout,
no receipt is written, and stderr says so (for a result on stdout, only when the key file holds a receipt key).

Without --registry, the registry beside the key file is used when it exists (keys.json -> keys.registry.json,
where the app keeps it). Without any registry or --coin the request's own pubs and metadata name the wallet's
keys and network, as BitGo Express trusts them; with them, the signer knows its wallets instead of believing the
request. The registry used and its sha256 are printed on stderr.

Before any signature, each input goes through the same review as the review command: a refusal (fake change,
foreign inputs, contradictory amounts, unsupported sighash, wrong network, ...) stops it with its code.

Cores: requests of 48 inputs or more derive the wallet's keys on every core, and those of 1000 inputs or more make
their signatures on every core too (worker threads; the same bytes as on one). OFFLINE_SIGNER_THREADS=<n> sets how many threads share the work (default:
the machine's cores, at most 8); OFFLINE_SIGNER_THREADS=1 keeps everything on one thread.

Failure: exit status 1 and the error as JSON {"error","name","code"} on stdout, also written to the --out file
when one input and --out were given. With several inputs each failure is written as <input name>.error.json
and the others are still signed. Inputs are never modified; nothing partial is left at any output path.
`;

export const REVIEW_HELP = `Usage:
  offline-signer review [--json] [--policy <file>] [--registry <file> | --coin <name> | --network bitcoin|testnet]
                        [--wallet <id> --xpubs <user,backup,bitgo>] <request-or-psbt>

Shows what a BitGo Express external-signer request (or a bare PSBT) does before anything is signed, in the app's
review words: a line at a glance, refusals and warnings in words (each code and message in a details line),
inputs grouped by script type and chain with how each amount is known, outputs as Recipient / BitGo fee (PayGo) /
Change (verified) / FAILED verification / Data, no value (OP_RETURN, its text made visible), fee, fee rate of the
fully signed transaction, the policy in force with its hash, and the review fingerprint (a hash of the exact bytes
reviewed; sign refuses bytes that differ). No key file or passphrase is needed.

Options:
  --json               print the review model as JSON (amounts in integer satoshis)
  --policy <file>      signing policy JSON (see electron/review/policy.ts); built-in defaults without it
  --network <name>     bitcoin or testnet; inferred from the request's metadata when omitted
  --wallet <id>        bare PSBTs: the wallet id (requests name their own)
  --xpubs <a,b,c>      bare PSBTs: the wallet's xpubs, user,backup,bitgo (requests carry their own pubs)
${WALLET_RULES_HELP}

Exit status: 0 signable (warnings still need acknowledging), 3 refused, 1 unreadable input (error JSON on
stdout, like sign), 2 usage error.
`;

export const REGISTRY_HELP = `Usage:
  offline-signer registry list   --registry <file> [--json]
  offline-signer registry add    --registry <file> --wallet <id> --coin <btc|tbtc|tbtc4> --xpubs <user,backup,bitgo>
                                 --keys <keys.json> [--derivation-seed <seed>] [--label <text>]
                                 [--key-signatures <backupHex,bitgoHex>] [--how keycard|wallet-export|ceremony|cli]
  offline-signer registry remove --registry <file> --wallet <id>
  offline-signer registry pin-key --registry <file> --wallet <id> --key <public.pem | key.jwk.json> [--fingerprint=<thumbprint>]
  offline-signer registry unpin-key --registry <file> --wallet <id> --fingerprint=<thumbprint>
  offline-signer registry set-policy --registry <file> --wallet <id> [--require jwt|hmac|either|none]
                                 [--max-age <seconds>] [--hmac-secret <secret file | secrets file>]

The wallet registry says, for each wallet this signer signs for, its three keys (user, backup, bitgo), its coin
and where they came from. With it (sign --registry, review --registry, and always in the app) a request must be
for a registered wallet, its pubs must be the registered keys and its network the registered coin's.

add     registers a wallet. The xpubs come from a second source (a KeyCard, BitGo's wallet export, the key
        ceremony); the user xpub must be the key file's key for the wallet (after --derivation-seed for a
        derivationSeed wallet), which is checked by unlocking it (WALLET_<id>_PASSPHRASE, or asked on a terminal).
        BitGo's keySignatures (the user key's signatures over the backup and bitgo xpubs), when given, must verify.
        The file is created when missing and replaced atomically, never partly written.
remove  removes a wallet's entry (to replace it, remove it, then add it again).
list    shows every entry, its keys' fingerprints and whether it may be used.
pin-key pins an RSA public key (2048 bits or more) that signs this wallet's requests (JWT RS256). It prints the
        key's RFC 7638 thumbprint and pins it only when --fingerprint=<thumbprint> repeats it, as read from the
        sender's copy (write the "=": a base64url thumbprint may start with "-"; without it the value is refused
        as a usage error, exit 2; a thumbprint that does not match: exit 1; nothing written either way).
unpin-key removes the pinned key with that thumbprint (registry_key_not_pinned when the wallet has none such).
set-policy sets requireAuthenticatedRequests (none removes it), the JWT lifetime / HMAC window in seconds
        (default 3600), and the sha256 of the wallet's shared HMAC secret (the secret itself is never stored),
        read from a file holding the secret alone on one line, or from the secrets file {"<walletId>": "<secret>"}.

Every command that succeeds prints the registry's sha256 (of the file's exact bytes); pin-key without a matching
--fingerprint prints only the key's thumbprint and exits 1.
`;

export const CEREMONY_HELP = `Usage:
  offline-signer ceremony selftest [--json]
  offline-signer ceremony create   --label <text> --coin <btc|tbtc|tbtc4> --out-dir <dir>
                                   [--entropy dice|text] [--claimed-bits <n>] [--envelope v2|v1]
                                   [--separate-backup-passphrase] [--export-computer-entropy <file>]
                                   [--shard user|backup --shards <m>-of-<n>]
                                   [--danger-weak-passphrase] [--json]
  offline-signer ceremony check    --computer-entropy <file> [--entropy dice|text] [--claimed-bits <n>] [--json]
  offline-signer ceremony keycard  --ceremony <file> --out <card.pdf> [--bitgo-xpub <xpub>] [--password-box] [--json]
  offline-signer ceremony export   --ceremony <file> --out <file> [--bitgo-xpub <xpub>]
                                   [--wallet-id <id> --keys <keys.json> [--update-key-file] [--registry <file>]
                                    [--pin-key <public.pem|key.jwk.json> --fingerprint=<thumbprint> [--require jwt|hmac|either]]]
                                   [--qr] [--json]
  offline-signer ceremony audit    (--box <file> | --keys <keys.json> --wallet <id> | --ceremony <file> --role user|backup)
                                   --xpub <published xpub> [--json]
  offline-signer ceremony reencrypt (--box <file> | --keys <keys.json> --wallet <id>) --out <file>
                                   [--envelope v2|v1] [--danger-weak-passphrase] [--json]
  offline-signer ceremony verify-shards --shards <file> [--xpub <published xpub>] [--json]
  offline-signer ceremony recombine --shards <file> --out <file> [--envelope v2|v1] [--danger-weak-passphrase] [--json]
  offline-signer ceremony reshard  --shards <file> --into <m>-of-<n> --out <file> [--danger-weak-passphrase] [--json]
  offline-signer ceremony receipt-key --keys <keys.json> (--out <new key file> | --update-key-file)
                                   [--danger-weak-passphrase] [--json]
Every step but selftest appends its outcome to ceremony-audit.jsonl beside its main file (or --audit-log <file>).

Key ceremonies on the air-gapped machine, compatible with BitGo's formats. Nothing here uses the network.

selftest   Runs the random number generator's self-test (FIPS 140-2 statistics, continuous test) and the known-answer
           tests of SHA-256, HMAC-SHA512, BIP32, message signing and this ceremony's seed mixing.
create     Makes a new wallet's user and backup keys: self-test, then each key's 64-byte seed from the OS random
           generator mixed with your entropy (HMAC-SHA512, README "Key ceremony"): at least 99 dice rolls (digits
           1-6; their SHA-256 is shown so you can recompute it), or typed text you claim holds at least 256 bits
           (--entropy text --claimed-bits 256). Each private key is encrypted with the passphrase you type twice
           (BitGo's v2 envelope, Argon2id + AES-256-GCM; --envelope v1 for SJCL), and opened again to prove it.
           Writes <slug>.ceremony.json (xpubs and encrypted keys, mode 0600) and <slug>.public.json (the xpubs for
           the online side) into --out-dir; never over existing files. --separate-backup-passphrase asks for a
           second passphrase for the backup key (BitGo uses the wallet password for both).
           --shard backup --shards 2-of-3 also splits that key's seed into shards in BitGo's splitSecret format
           (<slug>.<role>.shards.json: {xpub, m, n, seedShares}), each share encrypted with its holder's password;
           every m-of-n combination is verified before anything is written. Only here: the seed exists only now.
           --export-computer-entropy <file> also writes the computer's 32 bytes for the two-laptop check: as
           secret as the keys; destroy it after the check.
check      The second laptop's side of the two-laptop check: the same dice (or text) and the exported computer
           entropy give the same two xpubs, printed for comparison. Writes nothing.
keycard    The KeyCard PDF, in BitGo's layout: box A the user key and B the backup key (encrypted, as in the
           ceremony file), C BitGo's xpub with --bitgo-xpub (once BitGo made the wallet; until then a card without
           C), D with --password-box: the wallet password encrypted with BitGo's passcode encryption code (asks for
           both; the password must open box A). Each box as QR code(s) of at most 1,500 characters and as text.
export     The public export for the online side (xpubs; a file, and a QR code on the terminal with --qr). With
           --bitgo-xpub (BitGo's key, once BitGo made the wallet) the user key signs the backup and BitGo xpubs
           (keySignatures, as BitGo's SDK does; asks for the key's passphrase). With --wallet-id, the user key's
           envelope is added to --keys (BitGo Express's key file format; a new file is created, an existing one is
           changed only with --update-key-file, after its old bytes are kept as <name>.before-<time>.json) and the
           wallet to the wallet registry beside it (or --registry), "how": "ceremony". --pin-key pins the
           wallet's request-signing key (RSA, PEM or JWK) in that entry, as "registry pin-key" does: its
           thumbprint is printed and the key is pinned only when --fingerprint=<thumbprint> repeats it as read
           from the sender's second copy (registry_confirmation_mismatch otherwise, before any passphrase or
           file); --require sets requireAuthenticatedRequests for the wallet at the same time.
audit      Opens an encrypted key (a KeyCard box A or B saved as a file, a key file entry, or a ceremony file's key)
           with its passphrase and compares its xpub with the published one: prints MATCH or MISMATCH.
reencrypt  Changes a key's passphrase, or upgrades v1 to v2: opens it with the old passphrase, encrypts it with the
           new one (typed twice), opens it again to prove it, then writes --out: a new key file with every other
           entry unchanged (for --keys), or the new box text (for --box). The old file is never changed.
verify-shards  BitGo's verifyShards: opens every shard with its holder's password and combines every m of them;
           prints VERIFIED when all rebuild the same key and it is the file's xpub (and --xpub's).
recombine  Rebuilds the key from at least m shards (an empty password skips an absent holder), checks it is the
           file's xpub, and writes it encrypted with a new passphrase (typed twice) to --out, for audit or a key file.
reshard    Regenerates the shards: the key rebuilt from at least m old shards is split anew --into m-of-n under the
           new holders' passwords (typed twice, or CEREMONY_NEW_SHARD_<i>_PASSPHRASE), every combination verified,
           into a new file with the same xpub; the old file is not changed.
receipt-key  Makes this signer's receipt signing key (Ed25519): its private key encrypted under its own passphrase
           (typed twice, or OFFLINE_SIGNER_RECEIPT_PASSPHRASE; a v2 envelope, Argon2id) as the key file's reserved
           "offline-signer-receipt-key" entry, which BitGo Express never reads. Into a new key file (--out; every
           wallet entry copied unchanged), or into --keys itself with --update-key-file after its old bytes are kept
           as <name>.before-<time>.json. The public key is written beside it as <name>.receipt-public.pem and
           <name>.receipt-public.jwk.json, and its RFC 7638 thumbprint printed: give them to whoever checks
           receipts. A key file holds one receipt key (receipt_key_exists). See "offline-signer receipt --help".

Secrets (never on the command line):
  new passphrase          typed twice on the terminal, or CEREMONY_PASSPHRASE
  backup passphrase       typed twice, or CEREMONY_BACKUP_PASSPHRASE (with --separate-backup-passphrase)
  an existing key's       WALLET_<id>_PASSPHRASE for a key file entry, else CEREMONY_KEY_PASSPHRASE, else typed
  new passphrase (reencrypt) typed twice, or CEREMONY_NEW_PASSPHRASE
  dice rolls / text       typed without echo, or CEREMONY_DICE / CEREMONY_ENTROPY_TEXT
  shard i's password      typed (twice when new), or CEREMONY_SHARD_<i>_PASSPHRASE
  passcode encryption code (keycard --password-box) typed, or CEREMONY_PASSCODE_ENCRYPTION_CODE
  receipt key passphrase  typed twice, or OFFLINE_SIGNER_RECEIPT_PASSPHRASE
A passphrase under 12 characters or estimated under 50 bits is refused unless --danger-weak-passphrase is given.

Exit status: 0 done (audit: MATCH); 3 audit MISMATCH; 1 failed (JSON error on stdout); 2 usage error.
`;

export const AUDIT_HELP = `Usage:
  offline-signer audit verify --log <audit-log.jsonl> [--receipts <file-or-folder> ... --public-key <pem|jwk>]
  offline-signer audit export --log <audit-log.jsonl> --out <folder-or-file>

The app keeps an append-only audit log in its data folder (audit-log.jsonl, with its head audit-log.head.json
beside it): one JSON line per event (unlock and lock, import, review fingerprint, authentication, approval,
rejection with its reason, signature, export, key ceremony step), each carrying the sha256 of the line before.
No passphrase, key or full path is ever in it.

audit verify   Checks the log against its head (the file beside it, <name>.head.json). Prints
               {"entries": N, "last": {"seq", "hash"}, "unconfirmed": 0|1} and exits 0 when the chain is
               whole; otherwise prints the first finding as {"error", "name", "code", "line"} and exits 1:
                 audit_entry_edited       an entry's bytes changed after it was written
                 audit_entry_missing      an entry was removed from the middle
                 audit_entries_reordered  entries were moved or repeated
                 audit_truncated          entries were cut off the end (the head says it went further)
                 audit_malformed          a line is not an entry (damaged, or cut short)
                 audit_head_invalid       the head is missing, damaged or does not match the log's end
               Alone it cannot see a log and head rewritten together, consistently, from some entry on.
  --receipts <file-or-folder>  (repeatable; a folder: its *.receipt.jwt files) signed receipts, checked
               with --public-key (the receipt key's PEM or JWK). Each receipt made with this log names
               its last entry when it was signed (claims auditSeq, auditSha256); the log must still hold
               that entry, byte for byte, and so every entry before it. Adds {"receipts": {"checked",
               "anchored", "latest": {"seq", "receipt"}, "notAnchored": [names]}} to the report. Findings:
                 audit_anchor_missing     the log ends before an entry a receipt vouches for
                 audit_anchor_mismatch    an entry a receipt vouches for was rewritten (or one before it)
                 receipt_*                a receipt that does not verify with the key (README "Signed receipts")
               Give the receipts made with this log (the app's for its log; sign's for the log beside the
               key file or its --audit-log): another log's receipts are findings here.
               Entries after the latest receipt are vouched for by nothing: keep receipts and exported
               copies of the log elsewhere (README "Audit log").
audit export   Copies the log and its head to --out (a folder: same names inside it; a file: the log's
               name, with the head beside it as <name>.head.json), never over an existing file, then
               verifies the copy as written and reports as verify does.

Exit status: 0 the chain verifies; 1 a finding, or a file that cannot be read or written; 2 usage error.
`;

export const RECEIPT_HELP = `Usage:
  offline-signer receipt verify --receipt <file.receipt.jwt> --signed <file> --public-key <key.pem|key.jwk.json>

A receipt is a compact JWS (EdDSA, Ed25519) that this signer writes beside each signed file it writes
(<name>.receipt.jwt) when its key file holds a receipt key (ceremony receipt-key). Header {alg: "EdDSA", typ:
"JWT", kid: <RFC 7638 thumbprint of the receipt key>}; claims: iss "offline-signer", jti, iat, kind
("signed-transaction" or "session-summary"), fileName, fileSha256 (sha256 of the file beside it), and for a
transaction walletId, requestSha256 (the request file's bytes as received), requestJti (when the request came
with a verified JWT), unsignedTxid, reviewFingerprint, policySha256 and policySource (README "Signed receipts").

receipt verify  Checks the receipt with the receipt public key given (PEM or JWK, as ceremony receipt-key wrote
                them): only EdDSA is accepted, the receipt's kid must be that key's thumbprint, the signature
                must verify, and --signed must have the sha256 the receipt signed. Prints the claims as JSON
                on stdout (and VERIFIED on stderr) and exits 0; otherwise prints the error JSON and exits 1:
                  receipt_signature_invalid  the receipt was changed after signing (or forged)
                  receipt_wrong_key          it was signed by another receipt key than the one given
                  receipt_file_mismatch      the file given is not the one the receipt was signed for
                  receipt_alg_refused        another algorithm than EdDSA (none, HS256, ...)
                  receipt_malformed          not a compact JWS, or without a receipt's claims
                  receipt_public_key_invalid the key given is not an Ed25519 public key

Exit status: 0 verified; 1 refused, or a file that cannot be read; 2 usage error.
`;
