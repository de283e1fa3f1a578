// BitGo's legacy (pre-PSBT) format: every request of test/fixtures/bitgo/legacy (BitGo's older SDK output, see
// PROVENANCE.md there) must be signed byte for byte; every signature must verify against a digest computed by
// bitcoinjs-lib's Transaction (not our sighash module) with @bitcoinerlab/secp256k1 (noble, not the wasm library
// that signed); and every false claim in txInfo.unspents is a coded refusal naming the input.
import { test, expect } from '@playwright/test';
import { readFileSync, readdirSync } from 'node:fs';
import * as verifier from '@bitcoinerlab/secp256k1';
import { Transaction, address as addressLib, crypto as bcrypto, networks, script as bscript } from 'bitcoinjs-lib';
import { bip32 } from '../../../electron/crypto/ecc';
import { parseXpubTriple } from '../../../electron/wallet/keys';
import { parsePsbtStrict } from '../../../electron/intake/psbt-strict';
import { withInputEntries } from '../../../electron/intake/psbt-write';
import { fromHexStrict, toHex } from '../../../electron/util/bytes';
import { signBitgoPsbt } from '../../../electron/signing/engine';
import { findWallet, parseKeyFile } from '../../../electron/keystore/keyfile';
import { Vault } from '../../../electron/keystore/vault';
import { psbtToLegacyHalfSigned, signLegacyTransaction } from '../../../electron/signing/legacy';
import { legacyRequest, responseOf, signerFor, signThroughGate } from '../../support/signing';

const dir = new URL('../../fixtures/bitgo/', import.meta.url);
const read = (p: string) => readFileSync(new URL(p, dir), 'utf8');
const wallets = JSON.parse(read('wallets.json')) as Record<string, { walletId: string; userXprvPlaintextInKeysFile: string }>;
const legacyNames = readdirSync(new URL('legacy/', dir))
  .filter((f) => f.endsWith('.request.json'))
  .map((f) => f.replace(/\.request\.json$/, ''))
  .sort();

type Body = { txPrebuild: { walletId: string; txHex: string; txInfo?: { unspents: Record<string, unknown>[] } }; pubs: string[] };
const body = (name: string) => JSON.parse(read(`legacy/${name}.request.json`)) as Body;
const expected = (name: string) => (JSON.parse(read(`legacy/${name}.response.json`)) as { txHex: string }).txHex;
function userKey(walletId: string) {
  const w = Object.values(wallets).find((x) => x.walletId === walletId);
  if (!w) throw new Error(`no test wallet ${walletId}`);
  return bip32.fromBase58(w.userXprvPlaintextInKeysFile);
}
function sign(b: Body): { txHex: string; inputs: ReturnType<typeof signLegacyTransaction>['inputs'] } {
  const req = legacyRequest(b);
  const r = signLegacyTransaction(req.tx, req.unspents, req.wallet, signerFor(userKey(b.txPrebuild.walletId)));
  return { txHex: toHex(r.tx), inputs: r.inputs };
}

/** The Express path: the approval gate, then the signer, with the vault's key. */
function signExpress(b: unknown, v: Vault): { walletId: string; txHex: string; inputs: ReturnType<typeof signLegacyTransaction>['inputs'] } {
  const out = signThroughGate(JSON.stringify(b), v);
  return { walletId: out.walletId, txHex: responseOf(out).txHex, inputs: out.inputs };
}
const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

test('the legacy fixture set is complete (six BitGo legacy cases)', () => {
  expect(legacyNames).toEqual([
    'legacy-p2sh',
    'legacy-p2sh-sequence-locktime',
    'legacy-p2shP2wsh',
    'legacy-p2trLegacy',
    'legacy-p2wsh',
    'legacy-p2wsh-returnLegacyFormat',
  ]);
});

/** The amount and scriptPubKey BitGo says input i spends, for the independent digests. */
function prevoutsOf(b: Body, signed: Transaction): { value: bigint; script: Uint8Array }[] {
  // Independent of electron/wallet: scriptPubKeys rebuilt from the scripts the final transaction itself carries
  // (p2sh/p2wsh hashes), taproot from the address in the request (bech32m decoding by bitcoinjs-lib).
  return signed.ins.map((_, i) => {
    const u = b.txPrebuild.txInfo!.unspents[i]!;
    return { value: BigInt(u.value as number), script: outputScriptOfAddress(u.address as string) };
  });
}
function outputScriptOfAddress(a: string): Uint8Array {
  return addressLib.toOutputScript(a, a.startsWith('tb') || a.startsWith('2') ? networks.testnet : networks.bitcoin);
}

for (const name of legacyNames) {
  test(`${name}: byte-identical to BitGo's half-signed legacy transaction`, () => {
    const b = body(name);
    const out = sign(b);
    expect(out.txHex).toBe(expected(name));
    expect(out.inputs.map((r) => r.index)).toEqual(b.txPrebuild.txInfo!.unspents.map((_, i) => i));
  });

  test(`${name}: every user signature verifies independently (bitcoinjs-lib digests, noble verifier)`, () => {
    const b = body(name);
    verifyUserSignatures(b, sign(b).txHex);
  });
}

/** Checks the placeholder layout of every input and verifies the user signature in it against an independent digest. */
function verifyUserSignatures(b: Body, txHex: string): void {
  {
    const signed = Transaction.fromHex(txHex);
    const prevouts = prevoutsOf(b, signed);
    signed.ins.forEach((inp, i) => {
      const u = b.txPrebuild.txInfo!.unspents[i]!;
      const chain = u.chain as number;
      if (chain === 30 || chain === 31) {
        // [bitgo slot (empty), user sig, leaf script, control block]; leaf = <user> CHECKSIGVERIFY <bitgo> CHECKSIG.
        expect(inp.witness.length).toBe(4);
        expect(inp.witness[0]!.length).toBe(0);
        const leaf = inp.witness[2]!;
        const leafHash = tapLeafHashOf(leaf);
        const hash = signed.hashForWitnessV1(i, prevouts.map((p) => p.script), prevouts.map((p) => p.value), Transaction.SIGHASH_DEFAULT, leafHash);
        expect(inp.witness[1]!.length).toBe(64);
        expect(verifier.verifySchnorr(hash, leaf.subarray(1, 33), inp.witness[1]!)).toBe(true);
        return;
      }
      let ms: Uint8Array;
      let sigItem: Uint8Array;
      if (chain === 0 || chain === 1) {
        const chunks = bscript.decompile(inp.script)!;
        // OP_0 <user sig> OP_0 OP_0 <redeemScript>: the empty slots are OP_0, not pushes.
        expect(chunks.length).toBe(5);
        expect([chunks[0], chunks[2], chunks[3]]).toEqual([0, 0, 0]);
        sigItem = chunks[1] as Uint8Array;
        ms = chunks[4] as Uint8Array;
        expect(inp.witness.length).toBe(0);
      } else {
        expect(inp.witness.length).toBe(5);
        expect([inp.witness[0]!.length, inp.witness[2]!.length, inp.witness[3]!.length]).toEqual([0, 0, 0]);
        sigItem = inp.witness[1]!;
        ms = inp.witness[4]!;
      }
      const { signature, hashType } = bscript.signature.decode(sigItem);
      expect(hashType).toBe(Transaction.SIGHASH_ALL);
      const userPub = ms.subarray(2, 35);
      const hash =
        chain === 0 || chain === 1
          ? signed.hashForSignature(i, ms, Transaction.SIGHASH_ALL)
          : signed.hashForWitnessV0(i, ms, prevouts[i]!.value, Transaction.SIGHASH_ALL);
      expect(verifier.verify(hash, userPub, signature, true)).toBe(true);
    });
  }
}

function tapLeafHashOf(script: Uint8Array): Uint8Array {
  // BIP341 tapleaf hash with leaf version 0xc0; scripts here are 68 bytes (one-byte compact size).
  return bcrypto.taggedHash('TapLeaf', Uint8Array.from([0xc0, script.length, ...script]));
}

// ---------------------------------------------------------------------------------------------------------------
// Claims in txInfo.unspents that are false: coded refusals naming the input

function refusal(b: Body): unknown {
  try {
    sign(b);
  } catch (e) {
    return e;
  }
  return undefined;
}

test('a wrong chain claim (receive 0 claimed as change 1) is refused for that input', () => {
  const b = body('legacy-p2sh');
  b.txPrebuild.txInfo!.unspents[2]!.chain = 1;
  expect(refusal(b)).toMatchObject({ code: 'legacy_unspent_script_mismatch', message: expect.stringContaining('input 2:') });
});

test('a wrong index claim is refused, with or without scripts, for every script type', () => {
  for (const name of ['legacy-p2sh', 'legacy-p2shP2wsh', 'legacy-p2wsh', 'legacy-p2trLegacy']) {
    const b = body(name);
    const u = b.txPrebuild.txInfo!.unspents[1]!;
    u.index = (u.index as number) + 1;
    expect(refusal(b), name).toMatchObject({ code: 'legacy_unspent_script_mismatch', message: expect.stringContaining('input 1:') });
    // Address only: still re-derived and compared.
    delete u.redeemScript;
    delete u.witnessScript;
    expect(refusal(b), `${name} address only`).toMatchObject({ code: 'legacy_unspent_script_mismatch' });
    // Nothing that binds chain/index to the output: refused rather than signed blind.
    delete u.address;
    expect(refusal(b), `${name} no claim`).toMatchObject({ code: 'legacy_unspent_script_missing', message: expect.stringContaining('input 1:') });
  }
});

test("a script that is another wallet path's is refused even when chain/index are right", () => {
  const b = body('legacy-p2wsh');
  const us = b.txPrebuild.txInfo!.unspents;
  us[0]!.witnessScript = us[1]!.witnessScript;
  expect(refusal(b)).toMatchObject({ code: 'legacy_unspent_script_mismatch', message: expect.stringContaining('input 0:') });
});

test('an unspent id that is not the outpoint the input spends is refused', () => {
  const b = body('legacy-p2shP2wsh');
  const us = b.txPrebuild.txInfo!.unspents;
  us[1]!.id = (us[1]!.id as string).replace(/:(\d+)$/, (_, v: string) => `:${Number(v) + 1}`);
  expect(refusal(b)).toMatchObject({ code: 'legacy_unspent_id_mismatch', message: expect.stringContaining('input 1:') });
  // Swapping two unspents (both genuine) is a mismatch too: BitGo pairs them by position.
  const c = body('legacy-p2shP2wsh');
  const cu = c.txPrebuild.txInfo!.unspents;
  [cu[0], cu[1]] = [cu[1]!, cu[0]!];
  expect(refusal(c)).toMatchObject({ code: 'legacy_unspent_id_mismatch', message: expect.stringContaining('input 0:') });
});

test('missing unspents: no txInfo, an empty list, or fewer unspents than inputs', () => {
  const a = body('legacy-p2wsh');
  delete a.txPrebuild.txInfo;
  expect(refusal(a)).toMatchObject({ code: 'legacy_unspents_missing' });
  const b = body('legacy-p2wsh');
  b.txPrebuild.txInfo!.unspents = [];
  expect(refusal(b)).toMatchObject({ code: 'legacy_unspents_missing' });
  const c = body('legacy-p2wsh');
  c.txPrebuild.txInfo!.unspents.pop();
  expect(refusal(c)).toMatchObject({ code: 'legacy_unspents_missing' });
  const d = body('legacy-p2wsh');
  d.txPrebuild.txInfo!.unspents.push(clone(d.txPrebuild.txInfo!.unspents[0]!));
  expect(refusal(d)).toMatchObject({ code: 'legacy_unspents_count_mismatch' });
});

test('a wrong amount for a segwit input is not silent: the signature commits to the claimed amount', () => {
  const b = body('legacy-p2wsh');
  const real = sign(b);
  const m = clone(b);
  m.txPrebuild.txInfo!.unspents[0]!.value = (b.txPrebuild.txInfo!.unspents[0]!.value as number) + 1;
  const lied = sign(m);
  expect(lied.inputs[0]).toMatchObject({ amount: BigInt((m.txPrebuild.txInfo!.unspents[0]!.value as number)), amountEvidence: 'committed' });
  const t = Transaction.fromHex(lied.txHex);
  const sig = bscript.signature.decode(t.ins[0]!.witness[1]!).signature;
  const ms = t.ins[0]!.witness[4]!;
  const pub = ms.subarray(2, 35);
  const realAmount = BigInt(b.txPrebuild.txInfo!.unspents[0]!.value as number);
  // Valid only for the claimed amount: against the real amount the network would reject it.
  expect(verifier.verify(t.hashForWitnessV0(0, ms, realAmount + 1n, Transaction.SIGHASH_ALL), pub, sig, true)).toBe(true);
  expect(verifier.verify(t.hashForWitnessV0(0, ms, realAmount, Transaction.SIGHASH_ALL), pub, sig, true)).toBe(false);
  expect(lied.txHex).not.toBe(real.txHex);
});

test('a wrong amount for a taproot input changes every taproot signature (BIP341 commits to all amounts)', () => {
  const b = body('legacy-p2trLegacy');
  const real = Transaction.fromHex(sign(b).txHex);
  const m = clone(b);
  m.txPrebuild.txInfo!.unspents[0]!.value = (b.txPrebuild.txInfo!.unspents[0]!.value as number) - 1;
  const lied = Transaction.fromHex(sign(m).txHex);
  real.ins.forEach((inp, i) => expect(toHex(lied.ins[i]!.witness[1]!), `input ${i}`).not.toBe(toHex(inp.witness[1]!)));
});

test('a p2sh amount is reported unverified: the legacy sighash does not commit to it', () => {
  const b = body('legacy-p2sh');
  const m = clone(b);
  m.txPrebuild.txInfo!.unspents[0]!.value = 1;
  const lied = sign(m);
  expect(lied.txHex).toBe(expected('legacy-p2sh'));
  expect(lied.inputs.map((r) => r.amountEvidence)).toEqual(['unverified', 'unverified', 'unverified']);
  expect(lied.inputs[0]!.amount).toBe(1n);
});

test('hostile unspents and transactions are coded refusals', () => {
  const cases: [string, (b: Body) => void, string][] = [
    // Shapes every Express body must have are the intake's (request_field_invalid, the field's path named);
    // what only the legacy format requires is the legacy reader's.
    ['value as float', (b) => (b.txPrebuild.txInfo!.unspents[0]!.value = 1000.5), 'request_field_invalid'],
    ['value zero', (b) => (b.txPrebuild.txInfo!.unspents[0]!.value = 0), 'legacy_unspent_invalid'],
    ['value above MAX_MONEY', (b) => (b.txPrebuild.txInfo!.unspents[0]!.value = '2100000000000001'), 'legacy_unspent_invalid'],
    ['value missing', (b) => delete b.txPrebuild.txInfo!.unspents[0]!.value, 'legacy_unspent_invalid'],
    ['id not txid:vout', (b) => (b.txPrebuild.txInfo!.unspents[0]!.id = 'abc:0'), 'legacy_unspent_invalid'],
    ['unknown chain', (b) => (b.txPrebuild.txInfo!.unspents[0]!.chain = 2), 'legacy_unspent_invalid'],
    ['hardened index', (b) => (b.txPrebuild.txInfo!.unspents[0]!.index = 0x80000000), 'legacy_unspent_invalid'],
    ['negative index', (b) => (b.txPrebuild.txInfo!.unspents[0]!.index = -1), 'legacy_unspent_invalid'],
    ['script not hex', (b) => (b.txPrebuild.txInfo!.unspents[0]!.witnessScript = 'zz'), 'legacy_unspent_invalid'],
    ['unspent not an object', (b) => (b.txPrebuild.txInfo!.unspents[0] = 7 as unknown as Record<string, unknown>), 'request_field_invalid'],
    ['MuSig2 chain 40', (b) => Object.assign(b.txPrebuild.txInfo!.unspents[0]!, { chain: 40, redeemScript: undefined, witnessScript: undefined }), 'legacy_script_type_unsupported'],
    ['txHex not hex', (b) => (b.txPrebuild.txHex = 'xyz'), 'request_field_invalid'],
    ['txHex truncated', (b) => (b.txPrebuild.txHex = b.txPrebuild.txHex.slice(0, -2)), 'legacy_tx_invalid'],
    ['txHex with trailing bytes', (b) => (b.txPrebuild.txHex += '00'), 'legacy_tx_invalid'],
    ['txHex already signed', (b) => (b.txPrebuild.txHex = expected('legacy-p2sh')), 'legacy_tx_not_unsigned'],
  ];
  for (const [what, mutate, code] of cases) {
    const b = body(what === 'txHex already signed' ? 'legacy-p2sh' : 'legacy-p2wsh');
    mutate(b);
    expect(refusal(b), what).toMatchObject({ code });
  }
});

test('a key that is not the request user key signs nothing', () => {
  const b = body('legacy-p2wsh');
  const other = Object.values(wallets).find((w) => w.walletId !== b.txPrebuild.walletId)!;
  const req = legacyRequest(b);
  expect(() => signLegacyTransaction(req.tx, req.unspents, req.wallet, signerFor(bip32.fromBase58(other.userXprvPlaintextInKeysFile)))).toThrow(
    expect.objectContaining({ code: 'signing_key_mismatch' }) as unknown as Error,
  );
  expect(() => signLegacyTransaction(req.tx, req.unspents, req.wallet, signerFor(userKey(b.txPrebuild.walletId).neutered()))).toThrow(
    expect.objectContaining({ code: 'signing_key_missing' }) as unknown as Error,
  );
});

test('refusal messages never echo the key or whole scripts', () => {
  const b = body('legacy-p2wsh');
  b.txPrebuild.txInfo!.unspents[0]!.index = 5;
  const e = refusal(b) as Error;
  const xprv = Object.values(wallets).find((w) => w.walletId === b.txPrebuild.walletId)!.userXprvPlaintextInKeysFile;
  expect(e.message).not.toContain(xprv.slice(4, 30));
  expect(e.message).not.toContain(b.txPrebuild.txInfo!.unspents[0]!.witnessScript as string);
});

// ---------------------------------------------------------------------------------------------------------------
// returnLegacyFormat: the PSBT request of the same transaction, signed by the engine, then rewritten

test("p2wsh-returnLegacyFormat: the engine's signed PSBT rewritten is BitGo's legacy response, byte for byte", () => {
  const req = JSON.parse(read('cases/p2wsh-returnLegacyFormat.request.json')) as { txPrebuild: { txHex: string; walletId: string }; pubs: string[]; returnLegacyFormat: boolean };
  expect(req.returnLegacyFormat).toBe(true);
  const psbt = parsePsbtStrict(fromHexStrict(req.txPrebuild.txHex)!);
  const signed = signBitgoPsbt(psbt, parseXpubTriple(req.pubs), signerFor(userKey(req.txPrebuild.walletId)));
  const legacy = psbtToLegacyHalfSigned(parsePsbtStrict(signed.psbt));
  const want = (JSON.parse(read('cases/p2wsh-returnLegacyFormat.response.json')) as { txHex: string }).txHex;
  expect(toHex(legacy)).toBe(want);
  // And the legacy request of the same transaction gives the same bytes.
  expect(sign(body('legacy-p2wsh-returnLegacyFormat')).txHex).toBe(want);
});

test('returnLegacyFormat with a taproot input is refused: BitGo has a legacy form for multisig inputs only', () => {
  const req = JSON.parse(read('cases/p2trLegacy.request.json')) as { txPrebuild: { txHex: string; walletId: string }; pubs: string[] };
  const psbt = parsePsbtStrict(fromHexStrict(req.txPrebuild.txHex)!);
  const signed = signBitgoPsbt(psbt, parseXpubTriple(req.pubs), signerFor(userKey(req.txPrebuild.walletId)));
  expect(() => psbtToLegacyHalfSigned(parsePsbtStrict(signed.psbt))).toThrow(expect.objectContaining({ code: 'legacy_format_unsupported_input' }) as unknown as Error);
});

test('returnLegacyFormat places signatures by key position: an unsigned PSBT gives all-empty slots', () => {
  const req = JSON.parse(read('cases/p2wsh-returnLegacyFormat.request.json')) as { txPrebuild: { txHex: string } };
  const t = Transaction.fromBuffer(Buffer.from(psbtToLegacyHalfSigned(parsePsbtStrict(fromHexStrict(req.txPrebuild.txHex)!))));
  for (const inp of t.ins) {
    const items = inp.witness.length > 0 ? inp.witness.slice(0, 4) : (bscript.decompile(inp.script)!.slice(0, 4) as unknown[]);
    expect(items.map((x) => (typeof x === 'number' ? x : (x as Uint8Array).length))).toEqual([0, 0, 0, 0]);
  }
});

// ---------------------------------------------------------------------------------------------------------------
// The Express path through the real key file, passphrase and vault

async function withVault<T>(walletId: string, f: (v: Vault) => T): Promise<T> {
  const env = JSON.parse(read('env.json')) as Record<string, string>;
  const vault = new Vault({ idleMs: 0 });
  await vault.unlock(findWallet(parseKeyFile(read('keys.json'), 'keys.json'), walletId), env[`WALLET_${walletId}_PASSPHRASE`]!);
  try {
    return f(vault);
  } finally {
    vault.lockAll();
  }
}

test('the Express path (gate, then signer): key file + passphrase + vault give BitGo\'s legacy response', async () => {
  const b = body('legacy-p2shP2wsh');
  const out = await withVault(b.txPrebuild.walletId, (v) => signExpress(b, v));
  expect(out.walletId).toBe(b.txPrebuild.walletId);
  expect(out.txHex).toBe(expected('legacy-p2shP2wsh'));
});

test('error-legacy-txhex (refused by current Express) is signed here, and its signatures verify', async () => {
  const b = JSON.parse(read('cases/error-legacy-txhex.request.json')) as Body;
  const out = await withVault(b.txPrebuild.walletId, (v) => signExpress(b, v));
  verifyUserSignatures(b, out.txHex);
  expect(out.inputs.length).toBe(b.txPrebuild.txInfo!.unspents.length);
});

test('a legacy body asking for the last signature is refused (this signer only makes the first)', async () => {
  const b = { ...body('legacy-p2wsh'), isLastSignature: true };
  await expect(withVault(b.txPrebuild.walletId, (v) => signExpress(b, v))).rejects.toMatchObject({ code: 'legacy_last_signature_unsupported' });
});

test('a legacy body with another wallet\'s pubs is refused before signing', async () => {
  const b = body('legacy-p2wsh');
  b.pubs = [b.pubs[1]!, b.pubs[0]!, b.pubs[2]!];
  // The gate: the request's user key is not the unlocked key.
  await expect(withVault(b.txPrebuild.walletId, (v) => signExpress(b, v))).rejects.toMatchObject({ code: 'wallet_not_unlocked_key' });
  // The signer on its own refuses too (belt and braces under the gate).
  const req = legacyRequest(b);
  expect(() => signLegacyTransaction(req.tx, req.unspents, req.wallet, signerFor(userKey(b.txPrebuild.walletId)))).toThrow(expect.objectContaining({ code: 'signing_key_mismatch' }) as unknown as Error);
});

test('returnLegacyFormat refuses a finalized input (no partial signatures left to place)', () => {
  const req = JSON.parse(read('cases/p2wsh-returnLegacyFormat.request.json')) as { txPrebuild: { txHex: string; walletId: string }; pubs: string[] };
  const signed = parsePsbtStrict(signBitgoPsbt(parsePsbtStrict(fromHexStrict(req.txPrebuild.txHex)!), parseXpubTriple(req.pubs), signerFor(userKey(req.txPrebuild.walletId))).psbt);
  // PSBT_IN_FINAL_SCRIPTWITNESS (BIP174 type 0x08) on input 1.
  const finalized = withInputEntries(signed, 1, [{ keyType: 0x08, key: Uint8Array.of(0x08), keyData: new Uint8Array(0), value: Uint8Array.of(0x00) }]);
  expect(() => psbtToLegacyHalfSigned(finalized)).toThrow(expect.objectContaining({ code: 'legacy_format_unsupported_input', message: expect.stringContaining('input 1') }) as unknown as Error);
});
