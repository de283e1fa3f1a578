// `ceremony receipt-key`: the signer's own receipt signing key (README "Signed receipts"). A new Ed25519 key, its
// private half encrypted under its own passphrase (typed twice, or OFFLINE_SIGNER_RECEIPT_PASSPHRASE; the
// ceremony's strength rule) in a v2 envelope, added as the reserved entry of a key file: into a NEW key file
// (--out; every wallet entry copied unchanged) or, with --update-key-file, the key file itself after its old bytes
// are kept beside it, as `ceremony export` does. The public key is written beside the key file as PEM and JWK.
import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { replaceKeepingOld, writeNewFile } from '../ceremony/files';
import { CeremonyError } from '../ceremony/errors';
import { fileFact } from '../ceremony/journal';
import { withAddedEntry } from '../ceremony/reencrypt';
import { parseKeyFile, RECEIPT_KEY_ENTRY } from '../keystore/keyfile';
import { ReceiptError } from '../receipts/errors';
import { createReceiptKey } from '../receipts/key';
import { EXIT_OK, UsageError, printJson, readInputFile, type CliContext } from './io';
import { need, newPassphrase, str, type Journal, type Values } from './ceremony-input';

export const RECEIPT_PASSPHRASE_ENV = 'OFFLINE_SIGNER_RECEIPT_PASSPHRASE';

/** keys.json -> keys.receipt-public.pem and keys.receipt-public.jwk.json, beside it. */
export function publicKeyPaths(keyFilePath: string): { pem: string; jwk: string } {
  const base = join(dirname(keyFilePath), basename(keyFilePath).replace(/(\.json)?$/i, ''));
  return { pem: `${base}.receipt-public.pem`, jwk: `${base}.receipt-public.jwk.json` };
}

export async function receiptKeyStep(values: Values, ctx: CliContext, journal: Journal): Promise<number> {
  const keys = need(values, 'receipt-key', 'keys');
  const out = str(values, 'out');
  const update = values['update-key-file'] === true;
  if ((out === undefined) === !update) throw new UsageError('ceremony receipt-key: give --out <new key file>, or --update-key-file to change --keys itself (its old bytes are kept beside it)');
  const target = out ?? keys;
  const pub = publicKeyPaths(target);
  // Everything that can be refused is refused before the passphrase is asked for; nothing is written over a file.
  for (const p of [...(out !== undefined ? [out] : []), pub.pem, pub.jwk]) {
    if (existsSync(p)) throw new CeremonyError(`${p} already exists; it was left untouched`, 'ceremony_step_invalid');
  }
  const text = readInputFile(keys, 'key file').toString('utf8');
  const kf = parseKeyFile(text, basename(keys));
  if (kf.receiptKey) throw new ReceiptError(`${basename(keys)} already holds a receipt key; it was left untouched (one receipt key per key file)`, 'receipt_key_exists');
  const passphrase = await newPassphrase(ctx, RECEIPT_PASSPHRASE_ENV, 'receipt key passphrase', values['danger-weak-passphrase'] === true);
  ctx.stderr.write('Making the receipt key and encrypting it (Argon2id, a few seconds), then opening it again to check...\n');
  const created = await createReceiptKey(passphrase);
  const next = withAddedEntry(text, basename(target), RECEIPT_KEY_ENTRY, created.envelope);
  if (parseKeyFile(next, basename(target)).receiptKey === undefined) throw new CeremonyError('the new key file did not read back with its receipt key; nothing was written', 'ceremony_file_invalid');
  const written: string[] = [];
  if (out !== undefined) writeNewFile(out, next);
  else written.push(`${replaceKeepingOld(keys, next, new Date())} (the old key file)`);
  written.push(target);
  const jwkText = `${JSON.stringify(created.publicKey.jwk, null, 2)}\n`;
  writeNewFile(pub.pem, created.publicKey.pem, 0o644);
  writeNewFile(pub.jwk, jwkText, 0o644);
  written.push(pub.pem, pub.jwk);
  journal({ outcome: 'done', files: [fileFact(target, next), fileFact(pub.pem, created.publicKey.pem), fileFact(pub.jwk, jwkText)] });
  const result = { written, thumbprint: created.publicKey.thumbprint, publicKeyPem: pub.pem, publicKeyJwk: pub.jwk };
  if (values.json) printJson(ctx, result);
  else {
    ctx.stdout.write(
      `Made the receipt key ${created.publicKey.thumbprint} (Ed25519, RFC 7638 thumbprint) and added it to ${target} as "${RECEIPT_KEY_ENTRY}"; every wallet entry is unchanged.\n` +
        `Wrote ${written.join(', ')}. Give the public key to whoever checks receipts (offline-signer receipt verify, or any JOSE library).\n`,
    );
  }
  return EXIT_OK;
}
