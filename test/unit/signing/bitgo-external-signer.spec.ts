// Conformance with BitGo's own external signer: every success case of test/fixtures/bitgo (requests and BitGo SDK
// responses, see PROVENANCE.md there) signed through the real key file, passphrases, approval gate and engine, as
// the CLI signs (every warning acknowledged), must give BitGo's response byte for byte; every refusal gives
// BitGo's error name/code where BitGo has one.
import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { findWallet, parseKeyFile } from '../../../electron/keystore/keyfile';
import { Vault } from '../../../electron/keystore/vault';
import { signThroughGate } from '../../support/signing';
import { parsePsbtStrict, type RawEntry } from '../../../electron/intake/psbt-strict';
import { serializePsbt } from '../../../electron/intake/psbt-write';
import { SignerError } from '../../../shared/errors';

const dir = new URL('../../fixtures/bitgo/', import.meta.url);
const read = (p: string) => readFileSync(new URL(p, dir), 'utf8');
interface Step { step: string; request?: string; response?: string; status?: number; deterministic?: boolean }
interface Case { name: string; walletId: string; steps: Step[] }
const manifest = JSON.parse(read('manifest.json')) as { cases: Case[] };
const env = JSON.parse(read('env.json')) as Record<string, string>;
const keyFile = parseKeyFile(read('keys.json'), 'keys.json');

async function vaultFor(walletId: string): Promise<Vault> {
  const vault = new Vault({ idleMs: 0 });
  await vault.unlock(findWallet(keyFile, walletId), env[`WALLET_${walletId}_PASSPHRASE`]!);
  return vault;
}

async function sign(requestPath: string, walletId: string): Promise<string> {
  const vault = await vaultFor(walletId);
  try {
    const out = signThroughGate(read(requestPath), vault, { name: requestPath });
    return new TextDecoder().decode(out.output);
  } finally {
    vault.lockAll();
  }
}

/** `psbtHex` with the values of its BitGo MuSig2 nonce entries (proprietary subtype 0x02) taken from `reference`. */
function withNonceValuesOf(psbtHex: string, reference: string): string {
  const p = parsePsbtStrict(Buffer.from(psbtHex, 'hex'));
  const r = parsePsbtStrict(Buffer.from(reference, 'hex'));
  const nonce = (e: RawEntry) => e.keyType === 0xfc && Buffer.from(e.keyData).toString('hex').startsWith('05424954474f02');
  const inputs = p.inputs.map((m, i) => m.map((e) => (nonce(e) ? { ...e, value: r.inputs[i]!.find((x) => Buffer.compare(x.key, e.key) === 0)!.value } : e)));
  return Buffer.from(serializePsbt({ ...p, inputs })).toString('hex');
}

/** Cases this project answers differently from the BitGo build that produced the fixture, on purpose. */
const BETTER_THAN_EXPRESS: Record<string, string> = {
  'error-v2-envelope-sync-decrypt': 'older Express cannot read v2 envelopes; this signer decrypts them and signs',
  'error-legacy-txhex': 'current Express refuses the legacy pre-PSBT format; this signer signs it as the older SDK did',
};
/** What a "better than Express" success returns: a half-signed PSBT, or for the legacy format a network tx. */
const BETTER_OUTPUT: Record<string, RegExp> = {
  'error-v2-envelope-sync-decrypt': /^70736274ff/,
  'error-legacy-txhex': /^0[12]000000/,
};

for (const c of manifest.cases) {
  for (const s of c.steps) {
    if (!s.request || !s.response) continue;
    const expected = JSON.parse(read(s.response)) as { txHex?: string; error?: string; name?: string; code?: string };
    const label = `${c.name}${c.steps.length > 1 ? ` step ${s.step}` : ''}`;
    if (expected.txHex !== undefined) {
      test(`${label}: byte-identical to BitGo's response`, async () => {
        if (s.step === 'signerNonce') {
          // Random nonces: BitGo's response with our nonce values in its nonce entries, every other byte BitGo's
          // (the whole exchange: test/unit/signing/musig2-external-signer.spec.ts).
          const ours = (JSON.parse(await sign(s.request!, c.walletId)) as { txHex: string }).txHex;
          expect(ours).not.toBe(expected.txHex);
          expect(withNonceValuesOf(ours, expected.txHex!)).toBe(expected.txHex);
          return;
        }
        if (s.step === 'signerSignature') {
          // BitGo's request carries the nonce BitGo's own signer made and kept; this signer never made it.
          await expect(sign(s.request!, c.walletId)).rejects.toMatchObject({ code: 'musig2_nonce_missing' });
          return;
        }
        expect(JSON.parse(await sign(s.request!, c.walletId))).toEqual({ txHex: expected.txHex });
      });
    } else if (BETTER_THAN_EXPRESS[c.name]) {
      test(`${label}: signs where Express failed (${BETTER_THAN_EXPRESS[c.name]})`, async () => {
        const out = JSON.parse(await sign(s.request!, c.walletId)) as { txHex: string };
        expect(out.txHex).toMatch(BETTER_OUTPUT[c.name]!);
      });
    }
  }
}

test('wrong pubs: BitGo wallet-validation error on input 0, nothing signed', async () => {
  const expected = JSON.parse(read('cases/error-wrong-pubs.response.json')) as { error: string; name: string; code: string };
  await expect(sign('cases/error-wrong-pubs.request.json', manifest.cases[0]!.walletId)).rejects.toMatchObject({ message: expected.error, name: expected.name, code: expected.code });
});

test('missing pubs: BitGo AssertionError ERR_ASSERTION', async () => {
  const expected = JSON.parse(read('cases/error-missing-pubs.response.json')) as { error: string; name: string; code: string };
  await expect(sign('cases/error-missing-pubs.request.json', manifest.cases[0]!.walletId)).rejects.toMatchObject({ message: expected.error, name: expected.name, code: expected.code });
});

test('every refusal is a SignerError with a code (never a crash)', async () => {
  const base = JSON.parse(read('cases/p2wsh.request.json')) as { txPrebuild: Record<string, unknown>; pubs: string[] };
  const walletId = base.txPrebuild.walletId as string;
  const mutations: [string, unknown][] = [
    ['not an object', '[]'],
    ['no txPrebuild', JSON.stringify({ pubs: base.pubs })],
    ['both txHex and txBase64', JSON.stringify({ ...base, txPrebuild: { ...base.txPrebuild, txBase64: 'cHNidP8=' } })],
    ['txHex not hex', JSON.stringify({ ...base, txPrebuild: { ...base.txPrebuild, txHex: 'zz' } })],
    ['truncated PSBT', JSON.stringify({ ...base, txPrebuild: { ...base.txPrebuild, txHex: (base.txPrebuild.txHex as string).slice(0, 200) } })],
    ['pubs not three', JSON.stringify({ ...base, pubs: base.pubs.slice(0, 2) })],
    ['pubs swapped backup/bitgo', JSON.stringify({ ...base, pubs: [base.pubs[0], base.pubs[2], base.pubs[1]] })],
    ['signingStep cosignerNonce', JSON.stringify({ ...base, signingStep: 'cosignerNonce' })],
  ];
  for (const [label, text] of mutations) {
    const vault = await vaultFor(walletId);
    let err: unknown;
    try {
      signThroughGate(text as string, vault, { name: label });
    } catch (e) {
      err = e;
    }
    expect(err, label).toBeInstanceOf(SignerError);
    expect((err as SignerError).code, label).toBeTruthy();
  }
});
