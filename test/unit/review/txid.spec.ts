// The review's txid (electron/review/build.ts): the unsigned transaction's id, the same whatever container carried
// it (an Express request, a bare PSBT in any encoding, BitGo's legacy transaction) and whatever signatures it
// holds, checked against bitcoinjs-lib's own computation. The signing ledger records it.
import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { Psbt, Transaction } from 'bitcoinjs-lib';
import { buildReview } from '../../../electron/review/build';

const fixtures = new URL('../../fixtures/bitgo/', import.meta.url);
const read = (p: string) => readFileSync(new URL(p, fixtures), 'utf8');
const WALLETS = JSON.parse(read('wallets.json')) as Record<string, { walletId: string; xpubs: { user: string; backup: string; bitgo: string } }>;
const A = WALLETS.walletA!;

test('one transaction, one txid: request, bare PSBT (hex, base64, binary) and bitcoinjs-lib agree', () => {
  const body = JSON.parse(read('cases/p2wsh.request.json')) as { txPrebuild: { txHex: string } };
  const psbt = Psbt.fromHex(body.txPrebuild.txHex);
  const bjsTxid = Transaction.fromBuffer((psbt.data.globalMap.unsignedTx as unknown as { toBuffer(): Buffer }).toBuffer()).getId();
  const fromRequest = buildReview(read('cases/p2wsh.request.json')).txid;
  expect(fromRequest).toBe(bjsTxid);
  const bare = { walletId: A.walletId, xpubs: [A.xpubs.user, A.xpubs.backup, A.xpubs.bitgo], network: 'testnet' as const };
  for (const data of [body.txPrebuild.txHex, psbt.toBase64(), psbt.toBuffer()]) expect(buildReview(data, bare).txid).toBe(fromRequest);
});

test('signatures do not change it: BitGo\'s half-signed response has the request\'s txid', () => {
  const response = JSON.parse(read('cases/p2wsh.response.json')) as { txHex: string };
  const bare = { walletId: A.walletId, xpubs: [A.xpubs.user, A.xpubs.backup, A.xpubs.bitgo], network: 'testnet' as const };
  expect(buildReview(response.txHex, bare).txid).toBe(buildReview(read('cases/p2wsh.request.json')).txid);
});

test('the legacy format gives its PSBT twin\'s txid', () => {
  expect(buildReview(read('legacy/legacy-p2wsh.request.json')).txid).toBe(buildReview(read('cases/p2wsh.request.json')).txid);
});
