// The baseline of `npm run bench -- "both cores"`: what a straightforward integration of bitcoinjs-lib does with an
// Express request, as one whole process: read the key file, decrypt the wallet's key with SJCL (as BitGo Express
// does), parse the PSBT, sign every input with the HD key (signAllInputsHD: no checks of any kind), print the PSBT.
// Usage: node test/bench/naive-sign.mjs <keys.json> <walletId> <request.json>; passphrase in WALLET_<id>_PASSPHRASE.
import { readFileSync } from 'node:fs';
import { BIP32Factory } from 'bip32';
import { Psbt, initEccLib } from 'bitcoinjs-lib';
import sjcl from 'sjcl';
import * as ecc from 'tiny-secp256k1';

const [keysPath, walletId, requestPath] = process.argv.slice(2);
initEccLib(ecc);
const envelope = JSON.parse(readFileSync(keysPath, 'utf8'))[walletId];
const xprv = sjcl.decrypt(process.env[`WALLET_${walletId}_PASSPHRASE`], envelope);
const root = BIP32Factory(ecc).fromBase58(xprv);
const body = JSON.parse(readFileSync(requestPath, 'utf8'));
const psbt = Psbt.fromHex(body.txPrebuild.txHex);
psbt.signAllInputsHD(root);
process.stdout.write(`${JSON.stringify({ txHex: psbt.toHex() })}\n`);
