// BIP174 signer checks (electron/intake/input-checks.ts) against the public vectors: the BIP174 signer outputs
// reproduced byte for byte (plain RFC6979 through bitcoinjs-lib, after the checks), and every "must not sign"
// vector refused with a coded reason and no signature added.
import { test, expect } from '@playwright/test';
import { Psbt, crypto as bcrypto, networks } from 'bitcoinjs-lib';
import { bip32 } from '../../../electron/crypto/ecc';
import { ECPair } from '../../support/ecpair';
import { SignerError } from '../../../shared/errors';
import { inputFields, type InputFields } from '../../../electron/intake/psbt-view';
import { insertEntry, partialSigEntry, serializePsbt } from '../../../electron/intake/psbt-write';
import { parsePsbtStrict, type StrictPsbt } from '../../../electron/intake/psbt-strict';
import { bytesEqual, toBase64 } from '../../../electron/util/bytes';
import { InputCheckError, checkInputForSigning, checkStrictInput, type SignerInputView } from '../../../electron/intake/input-checks';
import { assertKeyInInput, Bip174KeyError, deriveInputKey } from '../../support/bip174-signer';
import { b64, loadVectors, wifsOf, type PsbtCase } from '../../support/psbt-vectors';

const NETWORKS = [networks.testnet, networks.bitcoin];

function includes(hay: Uint8Array | undefined, needle: Uint8Array): boolean {
  if (!hay) return false;
  for (let p = 0; p + needle.length <= hay.length; p++) if (bytesEqual(hay.subarray(p, p + needle.length), needle)) return true;
  return false;
}

/**
 * Which inputs a key is meant for, as a BIP174 signer decides before any check: its public key is listed in a
 * BIP32 derivation, or the key or its HASH160 appears in a script the input carries or spends.
 */
function inputWantsKey(f: InputFields, pubkey: Uint8Array): boolean {
  if (f.bip32Derivation.some((d) => bytesEqual(d.pubkey, pubkey))) return true;
  const h = bcrypto.hash160(pubkey);
  const scripts = [f.redeemScript, f.witnessScript, f.witnessUtxo?.script];
  return scripts.some((s) => includes(s, pubkey) || includes(s, h)) || includes(f.nonWitnessUtxo, h);
}

interface SignResult {
  bytes: Uint8Array;
  signed: number[];
  refused: { index: number; code: string | undefined }[];
}

/**
 * The signer role of BIP174 for single keys: for every input a key is meant for, run the input checks; only when
 * they pass, let bitcoinjs-lib make the signature, then add it to the strict reader's raw map so nothing else in
 * the document moves.
 */
function signWithWifs(base64: string, wifs: string[]): SignResult {
  const bytes = b64(base64);
  let psbt: StrictPsbt = parsePsbtStrict(bytes);
  const bjs = Psbt.fromBase64(base64, { network: networks.testnet });
  const signed: number[] = [];
  const refused: SignResult['refused'] = [];
  for (const wif of wifs) {
    const key = ECPair.fromWIF(wif, NETWORKS);
    for (let i = 0; i < psbt.inputs.length; i++) {
      const f = inputFields(psbt, i);
      if (!inputWantsKey(f, key.publicKey)) continue;
      try {
        const checked = checkStrictInput(psbt, i);
        assertKeyInInput(checked, f, key.publicKey);
        // Already signed by this key (Signer-2 outputs fed back in): nothing to add, as Bitcoin Core does.
        if (f.partialSigs.some((s) => bytesEqual(s.pubkey, key.publicKey))) continue;
        bjs.signInput(i, key, [checked.sighashType]);
      } catch (e) {
        if (!(e instanceof SignerError)) throw e;
        refused.push({ index: i, code: e.code });
        continue;
      }
      const sig = bjs.data.inputs[i]?.partialSig?.find((p) => bytesEqual(p.pubkey, key.publicKey));
      if (!sig) throw new Error(`bitcoinjs added no signature to input ${i}`);
      const inputs = psbt.inputs.slice();
      inputs[i] = insertEntry(psbt.inputs[i] ?? [], partialSigEntry(key.publicKey, sig.signature), `input ${i}`);
      psbt = { ...psbt, inputs };
      signed.push(i);
    }
  }
  return { bytes: serializePsbt(psbt), signed, refused };
}

// ---- BIP174 signer role: byte-exact outputs ----

const bip174 = loadVectors('bip174_vectors.json').cases;
const core = loadVectors('core_hwi_rpc_psbt_cases.json').cases;

test.describe('BIP174 signer vectors', () => {
  for (const c of bip174.filter((x) => x.expect === 'sign')) {
    test(`${c.id}: ${c.name}`, () => {
      const out = signWithWifs(c.psbtBase64 as string, wifsOf(c.keys));
      expect(out.refused).toEqual([]);
      expect(out.signed.length).toBeGreaterThan(0);
      expect(toBase64(out.bytes)).toBe(c.expectedOutputBase64);
    });
  }
});

/**
 * Core/HWI signer vectors whose expected bytes this signer cannot produce, with why. They stay in the loop and
 * are asserted to differ only as explained.
 */
const CORE_SIGN_EXPECTED_DIFFERENCES: Record<string, string> = {
  // Bitcoin Core grinds nonces for low-R signatures; this project signs with plain RFC6979 (as BitGo does), so
  // input 0's signature differs. Our output must equal the plain-RFC6979 Signer 2 output instead.
  'core-signer-154': 'low-R grinding',
};

test.describe('Bitcoin Core / HWI signer vectors', () => {
  for (const c of core.filter((x) => x.expect === 'sign')) {
    test(`${c.id}: ${c.name}`, () => {
      const out = signWithWifs(c.psbtBase64 as string, wifsOf(c.keysWif));
      expect(out.refused).toEqual([]);
      const mine = parsePsbtStrict(out.bytes);
      const theirs = parsePsbtStrict(b64(c.expectedOutputBase64 as string));
      if (CORE_SIGN_EXPECTED_DIFFERENCES[c.id]) {
        const plain = bip174.find((x) => x.id === 'bip174-39') as PsbtCase;
        expect(sameContent(mine, parsePsbtStrict(b64(plain.expectedOutputBase64 as string)))).toBe(true);
        expect(sameContent(mine, theirs)).toBe(false);
        return;
      }
      // The Core inputs put SIGHASH_TYPE last; Core re-serializes in key order, we keep the input's order.
      // Compare content (same key-value pairs per map), and bytes when the input order was already canonical.
      expect(sameContent(mine, theirs)).toBe(true);
    });
  }
});

function sameContent(a: StrictPsbt, b: StrictPsbt): boolean {
  const norm = (m: StrictPsbt['global']) =>
    m.map((e) => `${Buffer.from(e.key).toString('hex')}=${Buffer.from(e.value).toString('hex')}`).sort().join(',');
  const maps = (p: StrictPsbt) => [p.global, ...p.inputs, ...p.outputs].map(norm);
  return JSON.stringify(maps(a)) === JSON.stringify(maps(b));
}

// ---- must not sign ----

/** BIP174 "Fails Signer checks" vectors: the offending input and the coded reason expected. */
const BIP174_REFUSALS: Record<string, { index: number; code: string }> = {
  'bip174-31': { index: 0, code: 'input_witness_utxo_for_non_segwit' },
  'bip174-32': { index: 0, code: 'input_redeem_script_mismatch' },
  'bip174-33': { index: 1, code: 'input_redeem_script_mismatch' },
  'bip174-34': { index: 1, code: 'input_witness_script_mismatch' },
};

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(InputCheckError);
    return (e as InputCheckError).code;
  }
  return undefined;
}

test.describe('BIP174 signer_refuse vectors', () => {
  for (const c of [...bip174, ...loadVectors('bitcoinjs_cases.json').cases].filter((x) => x.expect === 'signer_refuse')) {
    const want = BIP174_REFUSALS[c.id] ?? BIP174_REFUSALS[c.sameAsBipVector ?? ''];
    test(`${c.id}: ${c.name}`, () => {
      expect(want, `refusal expectation for ${c.id}`).toBeDefined();
      if (!want) return;
      if (c.inputIndex !== undefined) expect(Number(c.inputIndex)).toBe(want.index);
      const psbt = parsePsbtStrict(b64(c.psbtBase64 as string));
      expect(codeOf(() => checkStrictInput(psbt, want.index))).toBe(want.code);
      // The refusal message names the input.
      try {
        checkStrictInput(psbt, want.index);
      } catch (e) {
        expect((e as Error).message).toMatch(new RegExp(`^input ${want.index}: `));
      }
    });
  }
});

const CORE_NO_CHANGE: Record<string, { index: number; code: string }> = {
  'core-signer-155': { index: 0, code: 'input_witness_utxo_for_non_segwit' },
  'core-signer-156': { index: 0, code: 'input_redeem_script_mismatch' },
  'core-signer-157': { index: 1, code: 'input_redeem_script_mismatch' },
  'core-signer-158': { index: 1, code: 'input_witness_script_mismatch' },
};

test.describe('Bitcoin Core sign_no_change vectors', () => {
  for (const c of core.filter((x) => x.expect === 'sign_no_change')) {
    test(`${c.id}: ${c.name}`, () => {
      const want = CORE_NO_CHANGE[c.id];
      expect(want).toBeDefined();
      const out = signWithWifs(c.psbtBase64 as string, wifsOf(c.keysWif));
      expect(toBase64(out.bytes)).toBe(c.psbtBase64);
      expect(out.refused).toContainEqual(want);
      expect(out.signed).not.toContain(want?.index);
    });
  }
});

// ---- bitcoinjs signInput / signInputHD checks ----
// These fixtures carry a spurious trailing output map (see bip174-parse.spec.ts), so the strict reader refuses them
// as documents; here the same inputs are taken from bitcoinjs's own parse and put through the checks, to show the
// checks alone catch what bitcoinjs's signer catches.

function viewFromBitcoinjs(p: Psbt, index: number): SignerInputView {
  const d = p.data.inputs[index];
  const t = p.txInputs[index];
  if (!d || !t) throw new InputCheckError(index, 'input_index_out_of_range', `no such input: the PSBT has ${p.txInputs.length} inputs`);
  return { ...d, index, prevTxid: t.hash, prevIndex: t.index };
}

/** Expected outcome per bitcoinjs case; `ok` means the checks pass and a signature is made. */
const BJS_SIGN_INPUT: Record<string, string> = {
  'bjs-047': 'input_index_out_of_range',
  'bjs-049': 'input_utxo_missing',
  'bjs-051': 'input_key_not_in_script',
  'bjs-053': 'input_non_witness_utxo_mismatch',
  'bjs-055': 'input_redeem_script_mismatch',
  'bjs-057': 'input_redeem_script_mismatch',
  'bjs-058': 'input_sighash_unsupported',
  // Deliberate divergence: bitcoinjs lets the caller whitelist other sighash types; this project signs only
  // SIGHASH_ALL (ECDSA) and DEFAULT/ALL (taproot), so these positive bitcoinjs cases are refusals here.
  'bjs-059': 'input_sighash_unsupported',
  'bjs-060': 'input_sighash_unsupported',
  'bjs-064': 'input_bip32_derivation_missing',
  'bjs-066': 'input_bip32_fingerprint_missing',
  'bjs-068': 'input_bip32_pubkey_mismatch',
};

test.describe('bitcoinjs signInput / signInputHD checks', () => {
  for (const c of loadVectors('bitcoinjs_cases.json').cases.filter((x) => x.expect === 'sign_input_ok' || x.expect === 'sign_input_throws')) {
    test(`${c.id}: ${c.name}`, () => {
      const p = Psbt.fromBase64(c.psbtBase64 as string, { network: networks.bitcoin });
      const index = Number(c.inputIndex ?? 0);
      const before = p.toBase64();
      let code: string | undefined;
      let signedWith: Uint8Array | undefined;
      try {
        const view = viewFromBitcoinjs(p, index);
        const checked = checkInputForSigning(view);
        if (typeof c.keyXprv === 'string') {
          const { node } = deriveInputKey(index, bip32.fromBase58(c.keyXprv), p.data.inputs[index]?.bip32Derivation);
          assertKeyInInput(checked, view, node.publicKey);
          p.signInput(index, ECPair.fromPrivateKey(node.privateKey as Uint8Array), [checked.sighashType]);
          signedWith = node.publicKey;
        } else if (!checked.taproot) {
          const key = ECPair.fromWIF(c.keyWif as string, NETWORKS);
          assertKeyInInput(checked, view, key.publicKey);
          p.signInput(index, key, [checked.sighashType]);
          signedWith = key.publicKey;
        }
      } catch (e) {
        if (!(e instanceof InputCheckError || e instanceof Bip174KeyError)) throw e;
        code = e.code;
      }
      const expected = BJS_SIGN_INPUT[c.id];
      if (expected) {
        expect(code).toBe(expected);
        expect(p.toBase64()).toBe(before);
        return;
      }
      expect(c.expect).toBe('sign_input_ok');
      expect(code).toBeUndefined();
      if (signedWith) {
        expect(p.data.inputs[index]?.partialSig?.some((s) => bytesEqual(s.pubkey, signedWith as Uint8Array))).toBe(true);
        if (typeof c.expectedOutputBase64 === 'string') expect(p.toBase64()).toBe(c.expectedOutputBase64);
      }
    });
  }
});
