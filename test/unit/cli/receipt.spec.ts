// Signed receipts on the command line, through the real CLI processes: `ceremony receipt-key` adds the receipt key
// to a new key file (the wallets' entries unchanged, Express's key file still, `keys list` shows only wallets) and
// writes the public key as PEM and JWK; `sign --out` then writes <out>.receipt.jwt beside each signed file; `receipt
// verify` accepts it and refuses, each with its code, a tampered receipt, a swapped signed file, another receipt
// key and a malformed one. The receipt is also checked with `jose` directly, as any JOSE library would, and its
// claims against `review --json` and the registry file. What `sign` does without the passphrase, with
// --no-receipt, to stdout, with no receipt key, and when the receipt name is taken. Each receipt vouches for its
// signature's audit entry, and `audit verify --receipts` finds a log rewritten or cut consistently, head and all.
import { test, expect } from '@playwright/test';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeProtectedHeader, importJWK, importSPKI, jwtVerify } from 'jose';
import { canonicalJson } from '../../../electron/review/policy';
import { runCliProcess, type CliRun } from '../../support/cli';

const fixtures = fileURLToPath(new URL('../../fixtures/bitgo/', import.meta.url));
const fx = (p: string) => join(fixtures, p);
const env = JSON.parse(readFileSync(fx('env.json'), 'utf8')) as Record<string, string>;
const wallets = JSON.parse(readFileSync(fx('wallets.json'), 'utf8')) as Record<string, { walletId: string }>;
const walletA = wallets.walletA!.walletId;
const walletEnv = Object.fromEntries(Object.entries(env).filter(([k]) => k.startsWith('WALLET_')));
const RECEIPT_PASS = 'the receipt key passphrase, long enough';
const sha = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');
const codeOf = (r: CliRun) => (r.json() as { code?: string }).code;

/** A folder with the fixtures' key file and registry, and a receipt key made into keys-r.json (the registry copied beside it). */
function withReceiptKey() {
  const dir = mkdtempSync(join(tmpdir(), 'cli-receipt-'));
  copyFileSync(fx('keys.json'), join(dir, 'keys.json'));
  copyFileSync(fx('keys.registry.json'), join(dir, 'keys-r.registry.json'));
  const made = runCliProcess(['ceremony', 'receipt-key', '--keys', join(dir, 'keys.json'), '--out', join(dir, 'keys-r.json'), '--json'], { OFFLINE_SIGNER_RECEIPT_PASSPHRASE: RECEIPT_PASS });
  expect(made.status, made.stdout + made.stderr).toBe(0);
  return { dir, keys: join(dir, 'keys-r.json'), made: made.json() as { thumbprint: string; publicKeyPem: string; publicKeyJwk: string; written: string[] } };
}

test('receipt-key: a new key file with the reserved entry, wallets unchanged, public key as PEM and JWK; nothing overwritten', () => {
  const { dir, keys, made } = withReceiptKey();
  const before = readFileSync(fx('keys.json'), 'utf8');
  expect(readFileSync(join(dir, 'keys.json'), 'utf8')).toBe(before);
  const original = JSON.parse(before) as Record<string, string>;
  const next = JSON.parse(readFileSync(keys, 'utf8')) as Record<string, string>;
  expect(Object.keys(next)).toEqual([...Object.keys(original), 'offline-signer-receipt-key']);
  for (const id of Object.keys(original)) expect(next[id]).toBe(original[id]);
  expect(JSON.parse(next['offline-signer-receipt-key']!)).toMatchObject({ v: 2, m: 65536, t: 3, p: 4 });
  expect(made.publicKeyPem).toBe(join(dir, 'keys-r.receipt-public.pem'));
  expect(readFileSync(made.publicKeyPem, 'utf8')).toMatch(/^-----BEGIN PUBLIC KEY-----/);
  expect(JSON.parse(readFileSync(made.publicKeyJwk, 'utf8'))).toMatchObject({ kty: 'OKP', crv: 'Ed25519', kid: made.thumbprint, alg: 'EdDSA' });
  // The key file is still a key file of wallets: the receipt key is not listed as one.
  const list = runCliProcess(['keys', 'list', '--keys', keys, '--json']);
  expect(list.status, list.stdout).toBe(0);
  expect((list.json() as { wallets: { walletId: string }[] }).wallets.map((w) => w.walletId)).toEqual(Object.keys(original));
  // One receipt key per key file; no file is written over; a weak passphrase is refused.
  const again = runCliProcess(['ceremony', 'receipt-key', '--keys', keys, '--out', join(dir, 'keys-r2.json')], { OFFLINE_SIGNER_RECEIPT_PASSPHRASE: RECEIPT_PASS });
  expect(codeOf(again)).toBe('receipt_key_exists');
  expect(existsSync(join(dir, 'keys-r2.json'))).toBe(false);
  expect(codeOf(runCliProcess(['ceremony', 'receipt-key', '--keys', join(dir, 'keys.json'), '--out', keys], { OFFLINE_SIGNER_RECEIPT_PASSPHRASE: RECEIPT_PASS }))).toBe('ceremony_step_invalid');
  expect(codeOf(runCliProcess(['ceremony', 'receipt-key', '--keys', join(dir, 'keys.json'), '--out', join(dir, 'k3.json')], { OFFLINE_SIGNER_RECEIPT_PASSPHRASE: 'password1' }))).toBe('passphrase_weak');
  expect(codeOf(runCliProcess(['ceremony', 'receipt-key', '--keys', join(dir, 'keys.json'), '--out', join(dir, 'k4.json')], {}))).toBe('passphrase_missing');
  // --update-key-file: the key file itself gets the entry, its old bytes kept beside it first.
  const inPlace = mkdtempSync(join(tmpdir(), 'cli-receipt-update-'));
  copyFileSync(fx('keys.json'), join(inPlace, 'keys.json'));
  const updated = runCliProcess(['ceremony', 'receipt-key', '--keys', join(inPlace, 'keys.json'), '--update-key-file', '--json'], { OFFLINE_SIGNER_RECEIPT_PASSPHRASE: RECEIPT_PASS });
  expect(updated.status, updated.stdout + updated.stderr).toBe(0);
  const kept = readdirSync(inPlace).filter((f) => /^keys\.before-\d{8}T\d{6}Z\.json$/.test(f));
  expect(kept).toHaveLength(1);
  expect(readFileSync(join(inPlace, kept[0]!), 'utf8')).toBe(before);
  expect(Object.keys(JSON.parse(readFileSync(join(inPlace, 'keys.json'), 'utf8')) as object)).toContain('offline-signer-receipt-key');
  expect(existsSync(join(inPlace, 'keys.receipt-public.pem'))).toBe(true);
  expect(runCliProcess(['ceremony', 'receipt-key', '--keys', join(inPlace, 'keys.json')]).status).toBe(2);

  // The ceremony journal records the step, with the files' hashes and no secret.
  const journal = readFileSync(join(dir, 'ceremony-audit.jsonl'), 'utf8');
  expect(journal).toContain('"step":"receipt-key"');
  expect(journal).not.toContain(RECEIPT_PASS);
});

test('sign writes <out>.receipt.jwt; receipt verify and jose accept it; its claims match the review and the registry', async () => {
  const { dir, keys, made } = withReceiptKey();
  const request = fx('cases/p2wsh.request.json');
  const out = join(dir, 'p2wsh.signed.json');
  const r = runCliProcess(['sign', '--keys', keys, '--out', out, request], { ...walletEnv, OFFLINE_SIGNER_RECEIPT_PASSPHRASE: RECEIPT_PASS });
  expect(r.status, r.stdout + r.stderr).toBe(0);
  expect(readFileSync(out, 'utf8')).toBe(JSON.stringify(JSON.parse(readFileSync(fx('cases/p2wsh.response.json'), 'utf8'))));
  expect(r.stderr).toContain(`receipt key ${made.thumbprint}`);
  for (const s of [r.stdout, r.stderr]) expect(s).not.toContain(RECEIPT_PASS);
  const token = readFileSync(`${out}.receipt.jwt`, 'utf8').trim();
  expect(decodeProtectedHeader(token)).toEqual({ alg: 'EdDSA', typ: 'JWT', kid: made.thumbprint });

  const v = runCliProcess(['receipt', 'verify', '--receipt', `${out}.receipt.jwt`, '--signed', out, '--public-key', made.publicKeyPem]);
  expect(v.status, v.stdout + v.stderr).toBe(0);
  expect(v.stderr).toContain('VERIFIED');
  const claims = v.json() as Record<string, unknown>;
  const review = runCliProcess(['review', '--json', '--registry', join(dir, 'keys-r.registry.json'), request]).json() as { txid: string; fingerprint: { sha256: string }; policy: { source: string; rules: Record<string, unknown> } };
  const entry = (JSON.parse(readFileSync(join(dir, 'keys-r.registry.json'), 'utf8')) as { wallets: Record<string, unknown> }).wallets[walletA];
  expect(claims).toMatchObject({
    iss: 'offline-signer',
    kind: 'signed-transaction',
    kid: made.thumbprint,
    walletId: walletA,
    fileName: 'p2wsh.signed.json',
    fileSha256: sha(readFileSync(out)),
    requestSha256: sha(readFileSync(request)),
    unsignedTxid: review.txid,
    reviewFingerprint: review.fingerprint.sha256,
    policySource: 'default',
    policySha256: sha(canonicalJson({ version: 1, walletId: walletA, rules: review.policy.rules, registry: entry })),
  });
  expect(claims.requestJti).toBeUndefined();
  // Any JOSE library, with only the exported public key (PEM and JWK files).
  const pem = await jwtVerify(token, await importSPKI(readFileSync(made.publicKeyPem, 'utf8'), 'EdDSA'), { algorithms: ['EdDSA'] });
  const jwk = await jwtVerify(token, await importJWK(JSON.parse(readFileSync(made.publicKeyJwk, 'utf8')) as Record<string, string>, 'EdDSA'), { algorithms: ['EdDSA'] });
  expect(pem.payload.fileSha256).toBe(sha(readFileSync(out)));
  expect(jwk.payload).toEqual(pem.payload);
  // The JWK file verifies through the command too.
  expect(runCliProcess(['receipt', 'verify', '--receipt', `${out}.receipt.jwt`, '--signed', out, '--public-key', made.publicKeyJwk]).status).toBe(0);

  // Refusals, exit 1 with the code: a tampered payload, another signed file, another receipt key, a malformed file.
  const [h, p, s] = token.split('.') as [string, string, string];
  const payload = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
  const tampered = join(dir, 'tampered.receipt.jwt');
  writeFileSync(tampered, `${h}.${Buffer.from(JSON.stringify({ ...payload, unsignedTxid: '00'.repeat(32) })).toString('base64url')}.${s}\n`);
  const verify = (receipt: string, signed: string, key = made.publicKeyPem) => runCliProcess(['receipt', 'verify', '--receipt', receipt, '--signed', signed, '--public-key', key]);
  const t = verify(tampered, out);
  expect([t.status, codeOf(t)]).toEqual([1, 'receipt_signature_invalid']);
  const swapped = join(dir, 'other.signed.json');
  writeFileSync(swapped, readFileSync(fx('cases/p2sh.response.json')));
  expect(codeOf(verify(`${out}.receipt.jwt`, swapped))).toBe('receipt_file_mismatch');
  const stranger = withReceiptKey();
  expect(codeOf(verify(`${out}.receipt.jwt`, out, stranger.made.publicKeyPem))).toBe('receipt_wrong_key');
  const garbage = join(dir, 'garbage.receipt.jwt');
  writeFileSync(garbage, 'not a receipt\n');
  expect(codeOf(verify(garbage, out))).toBe('receipt_malformed');
  expect(codeOf(verify(`${out}.receipt.jwt`, out, request))).toBe('receipt_public_key_invalid');
  expect(runCliProcess(['receipt', 'verify', '--receipt', garbage]).status).toBe(2);
});

test('sign with several inputs writes a receipt beside each result', () => {
  const { dir, keys, made } = withReceiptKey();
  const outDir = mkdtempSync(join(dir, 'out-'));
  const r = runCliProcess(['sign', '--keys', keys, '--out', outDir, fx('cases/p2wsh.request.json'), fx('cases/p2sh.request.json')], { ...walletEnv, OFFLINE_SIGNER_RECEIPT_PASSPHRASE: RECEIPT_PASS });
  expect(r.status, r.stdout + r.stderr).toBe(0);
  const outputs = r.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { output: string }).output);
  expect(outputs).toHaveLength(2);
  for (const target of outputs) {
    const v = runCliProcess(['receipt', 'verify', '--receipt', `${target}.receipt.jwt`, '--signed', target, '--public-key', made.publicKeyJwk]);
    expect(v.status, `${target}: ${v.stdout}`).toBe(0);
  }
});

test('each receipt vouches for its signature\'s audit entry; audit verify --receipts finds a log rewritten consistently', () => {
  const { dir, keys, made } = withReceiptKey();
  const outDir = mkdtempSync(join(dir, 'out-'));
  const log = join(dir, 'audit-log.jsonl');
  const r = runCliProcess(['sign', '--keys', keys, '--audit-log', log, '--out', outDir, fx('cases/p2wsh.request.json'), fx('cases/p2sh.request.json')], { ...walletEnv, OFFLINE_SIGNER_RECEIPT_PASSPHRASE: RECEIPT_PASS });
  expect(r.status, r.stdout + r.stderr).toBe(0);
  const lines = readFileSync(log, 'utf8').split('\n').slice(0, -1);
  const entries = lines.map((l) => JSON.parse(l) as { seq: number; at: string; prev: string; event: { type: string; requestId?: string } });
  // The receipt beside each result names the request-signed entry of its request: seq and the sha256 of its line.
  for (const input of ['p2wsh.request.json', 'p2sh.request.json']) {
    const signedAt = entries.find((e) => e.event.type === 'request-signed' && e.event.requestId === input)!;
    const result = (r.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { output: string }).output)).find((o) => o.includes(input.split('.')[0]!))!;
    const v = runCliProcess(['receipt', 'verify', '--receipt', `${result}.receipt.jwt`, '--signed', result, '--public-key', made.publicKeyPem]);
    expect(v.json()).toMatchObject({ auditSeq: signedAt.seq, auditSha256: sha(lines[signedAt.seq - 1]!) });
  }
  const verify = (...extra: string[]) => runCliProcess(['audit', 'verify', '--log', log, ...extra]);
  const ok = verify('--receipts', outDir, '--public-key', made.publicKeyJwk);
  expect(ok.status, ok.stdout + ok.stderr).toBe(0);
  expect(ok.json()).toMatchObject({ entries: 4, receipts: { checked: 2, anchored: 2, latest: { seq: 4 }, notAnchored: [] } });

  // Someone rewrites the first entry and re-chains the rest, head included: the chain alone is whole again.
  const rechain = (kept: typeof entries) => {
    let prev = '0'.repeat(64);
    const text = kept.map((e) => {
      const line = JSON.stringify({ ...e, prev });
      prev = sha(line);
      return `${line}\n`;
    });
    writeFileSync(log, text.join(''));
    writeFileSync(join(dir, 'audit-log.head.json'), `${JSON.stringify({ version: 1, seq: kept.length, hash: prev })}\n`);
  };
  rechain(entries.map((e, i) => (i === 0 ? { ...e, at: '2020-01-01T00:00:00.000Z' } : e)));
  expect(verify().status).toBe(0);
  const found = verify('--receipts', outDir, '--public-key', made.publicKeyPem);
  expect([found.status, codeOf(found)]).toEqual([1, 'audit_anchor_mismatch']);
  expect(found.json()).toMatchObject({ line: 2 });
  // Cut back to its first entry, consistently: shorter than the receipts say.
  rechain(entries.slice(0, 1));
  expect(verify().status).toBe(0);
  expect(codeOf(verify('--receipts', join(outDir, readdirSync(outDir).find((f) => f.endsWith('.receipt.jwt'))!), '--public-key', made.publicKeyPem))).toBe('audit_anchor_missing');
  // Receipts checked with another receipt key vouch for nothing; the two options come together.
  const stranger = withReceiptKey();
  const wrong = verify('--receipts', outDir, '--public-key', stranger.made.publicKeyPem);
  expect([wrong.status, codeOf(wrong)]).toEqual([1, 'receipt_wrong_key']);
  expect((wrong.json() as { error: string }).error).toMatch(/^receipt .*\.receipt\.jwt: /);
  expect(verify('--receipts', outDir).status).toBe(2);
  expect(verify('--receipts', dir, '--public-key', made.publicKeyPem).status).toBe(2);
});

test('sign: no passphrase signs nothing; --no-receipt, stdout and a key file without a receipt key sign without one and say so', () => {
  const { dir, keys } = withReceiptKey();
  const request = fx('cases/p2wsh.request.json');
  const out = join(dir, 'a.signed.json');
  const missing = runCliProcess(['sign', '--keys', keys, '--out', out, request], walletEnv);
  expect([missing.status, codeOf(missing)]).toEqual([1, 'receipt_passphrase_missing']);
  expect(existsSync(out)).toBe(false);
  const wrong = runCliProcess(['sign', '--keys', keys, '--out', out, request], { ...walletEnv, OFFLINE_SIGNER_RECEIPT_PASSPHRASE: 'not the receipt passphrase' });
  expect(codeOf(wrong)).toBe('wallet_passphrase_incorrect');
  expect(existsSync(out)).toBe(false);

  const opted = runCliProcess(['sign', '--keys', keys, '--out', out, '--no-receipt', request], walletEnv);
  expect(opted.status, opted.stdout + opted.stderr).toBe(0);
  expect(opted.stderr).toContain('no receipt: --no-receipt was given');
  expect(existsSync(`${out}.receipt.jwt`)).toBe(false);

  const stdout = runCliProcess(['sign', '--keys', keys, request], walletEnv);
  expect(stdout.status).toBe(0);
  expect(stdout.stderr).toContain('no receipt: the result goes to stdout');

  const plain = runCliProcess(['sign', '--keys', join(dir, 'keys.json'), '--out', join(dir, 'b.signed.json'), request], walletEnv);
  expect(plain.status, plain.stdout + plain.stderr).toBe(0);
  expect(plain.stderr).toContain('no receipt: the key file holds no receipt key');
  expect(existsSync(join(dir, 'b.signed.json.receipt.jwt'))).toBe(false);

  // The receipt's name is taken: refused before signing, the result file not written, the other file untouched.
  const c = join(dir, 'c.signed.json');
  writeFileSync(`${c}.receipt.jwt`, 'someone else\'s file\n');
  const taken = runCliProcess(['sign', '--keys', keys, '--out', c, request], { ...walletEnv, OFFLINE_SIGNER_RECEIPT_PASSPHRASE: RECEIPT_PASS });
  expect(codeOf(taken)).toBe('output_exists');
  expect(existsSync(c)).toBe(false);
  expect(readFileSync(`${c}.receipt.jwt`, 'utf8')).toBe('someone else\'s file\n');
  // A result name whose receipt name would not fit on a drive (255 bytes): refused before signing; the named
  // output gets the error, as every failed single-input run's does (Express callers read the response file).
  const long = join(dir, `${'x'.repeat(245)}.json`);
  const tooLong = runCliProcess(['sign', '--keys', keys, '--out', long, request], { ...walletEnv, OFFLINE_SIGNER_RECEIPT_PASSPHRASE: RECEIPT_PASS });
  expect(codeOf(tooLong)).toBe('output_name_too_long');
  expect(JSON.parse(readFileSync(long, 'utf8'))).toMatchObject({ code: 'output_name_too_long' });
});
