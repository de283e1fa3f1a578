// The command table of the command-line signer. A new command is one entry here, its --help text in help.ts and
// its module. A command's module is imported only when the command runs: `--help`, a command's --help and usage
// errors then load nothing of the signing stack (bitcoinjs-lib, the WebAssembly curve, Argon2), which is most of
// a command's start-up time (README "Performance", command-line start).
import { AUDIT_HELP, CEREMONY_HELP, KEYS_HELP, RECEIPT_HELP, REGISTRY_HELP, REVIEW_HELP, SIGN_HELP } from './help';
import type { Command } from './io';

export const commands: readonly Command[] = [
  {
    name: 'keys',
    summary: 'list the wallets of a key file, or check that their passphrases unlock them',
    help: KEYS_HELP,
    run: async (args, ctx) => (await import('./keys')).runKeys(args, ctx),
  },
  {
    name: 'registry',
    summary: 'the wallets this signer signs for (keys, coin), their pinned request keys and authentication policy',
    help: REGISTRY_HELP,
    run: async (args, ctx) => (await import('./registry')).runRegistry(args, ctx),
  },
  {
    name: 'sign',
    summary: 'sign BitGo Express external-signer requests or bare PSBT files with the key file',
    help: SIGN_HELP,
    run: async (args, ctx) => (await import('./sign')).runSign(args, ctx),
  },
  {
    name: 'review',
    summary: 'show what a request or PSBT does, with the checks sign applies (no passphrase needed)',
    help: REVIEW_HELP,
    run: async (args, ctx) => (await import('./review')).runReview(args, ctx),
  },
  {
    name: 'ceremony',
    summary: 'key ceremony: create keys, two-laptop check, KeyCard, shards, public export, audit and re-encrypt keys',
    help: CEREMONY_HELP,
    run: async (args, ctx) => (await import('./ceremony')).runCeremony(args, ctx),
  },
  {
    name: 'audit',
    summary: 'verify the app\'s hash-chained audit log, or export it to a drive and verify the copy',
    help: AUDIT_HELP,
    run: async (args, ctx) => (await import('./audit')).runAudit(args, ctx),
  },
  {
    name: 'receipt',
    summary: 'verify a signed receipt (<file>.receipt.jwt) against its file and the receipt public key',
    help: RECEIPT_HELP,
    run: async (args, ctx) => (await import('./receipt')).runReceipt(args, ctx),
  },
];
