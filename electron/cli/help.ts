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
                      [--policy <file>] [--strict] [--ledger <file>] [--nonces <file>] <request-or-psbt> [more ...]

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
${WALLET_RULES_HELP}

Without --registry, the registry beside the key file is used when it exists (keys.json -> keys.registry.json,
where the app keeps it). Without any registry or --coin the request's own pubs and metadata name the wallet's
keys and network, as BitGo Express trusts them; with them, the signer knows its wallets instead of believing the
request. The registry used and its sha256 are printed on stderr.

Before any signature, each input goes through the same review as the review command: a refusal (fake change,
foreign inputs, contradictory amounts, unsupported sighash, wrong network, ...) stops it with its code.

Failure: exit status 1 and the error as JSON {"error","name","code"} on stdout, also written to the --out file
when one input and --out were given. With several inputs each failure is written as <input name>.error.json
and the others are still signed. Inputs are never modified; nothing partial is left at any output path.
`;

export const REVIEW_HELP = `Usage:
  offline-signer review [--json] [--policy <file>] [--registry <file> | --coin <name> | --network bitcoin|testnet]
                        [--wallet <id> --xpubs <user,backup,bitgo>] <request-or-psbt>

Shows what a BitGo Express external-signer request (or a bare PSBT) does before anything is signed: inputs and
how each amount is known, outputs as external / verified change / FAILED, fee, fee rate of the fully signed
transaction, warnings and refusals, the policy in force with its hash, and the review fingerprint (a hash of the
exact bytes reviewed; sign refuses bytes that differ). No key file or passphrase is needed.

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

Every command prints the registry's sha256 (of the file's exact bytes).
`;
