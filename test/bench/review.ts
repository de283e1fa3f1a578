// Review of the 500-input BitGo request. Cold = fresh xpub parse, every wallet key
// derived (1500 BIP32 steps) and every PSBT key checked on the curve; warm = the same request reviewed again (the
// review gate before signing, a screen refresh), with the process-wide memos of derived keys, valid points and
// address networks filled by the first look. The sign command's whole path (the approval gate, then the signer:
// what the app and the CLI run) is measured too, against the engine alone.
// The strict PSBT parse that every review starts with is measured alone too (electron/intake/psbt-strict.ts;
// it validates every public key on the curve).
import { readFileSync } from 'node:fs';
import { buildReview, clearReviewCaches, reviewRequest } from '../../electron/review/build';
import { CurvePool } from '../../electron/parallel/pool';
import { warmDerivations } from '../../electron/wallet/keys';
import { measureCurveFloor } from './floor';
import { parseSigningRequest, parseSigningRequestParallel } from '../../electron/intake/request';
import { approve } from '../../electron/approval/gate';
import { nodeSigner } from '../../electron/keystore/signer';
import { memoryLedgerStore, SigningLedger } from '../../electron/signing/ledger';
import { signApproved } from '../../electron/signing/sign';
import { bip32 } from '../../electron/crypto/ecc';
import { measure, type BenchRow, type Section } from './harness';
import { engineSign } from './signing';

const walletA = (JSON.parse(readFileSync(new URL('../fixtures/bitgo/wallets.json', import.meta.url), 'utf8')) as Record<string, { userXprvPlaintextInKeysFile: string }>).walletA!;

const request = readFileSync(new URL('../fixtures/bitgo/cases/large-p2wsh-500.request.json', import.meta.url));
const body0 = JSON.parse(request.toString('utf8')) as { pubs: string[] };

export const reviewSection: Section = {
  name: 'Review model (large-p2wsh-500: 500 inputs, BitGo fixture)',
  async run(): Promise<BenchRow[]> {
    const parseMs = await measure(() => {
      clearReviewCaches();
      return parseSigningRequest(request);
    }, { runs: 9 });
    const coldMs = await measure(() => {
      clearReviewCaches();
      return buildReview(request);
    }, { runs: 5 });
    const warmMs = await measure(() => buildReview(request), { runs: 15 });
    // The app's path (the review thread with its curve threads, started and warmed when the app starts): the same
    // cold review with the wallet's keys derived on both cores first (intake/request.ts parseSigningRequestParallel).
    const pool = new CurvePool();
    let bothMs: number;
    try {
      await warmDerivations(pool);
      bothMs = await measure(async () => {
        clearReviewCaches();
        return reviewRequest(await parseSigningRequestParallel(request, 'bench', pool));
      }, { runs: 7 });
    } finally {
      await pool.close();
    }
    const threads = pool.threads;
    // Its floor, same run: the 1500 public derivations alone (test/bench/floor.ts), split evenly over the threads.
    const floor = await measureCurveFloor(body0.pubs, walletA.userXprvPlaintextInKeysFile);
    const body = JSON.parse(request.toString('utf8')) as { txPrebuild: { txHex: string }; pubs: string[] };
    const signer = bip32.fromBase58(walletA.userXprvPlaintextInKeysFile);
    const engineMs = await measure(() => engineSign(body.txPrebuild.txHex, body.pubs, signer), { runs: 5 });
    // The vault as the gate and the signer see it, holding walletA's key.
    const keys = { signingXpub: () => signer.neutered().toBase58(), signer: () => nodeSigner(signer, false) };
    const gateThenSignMs = await measure(() => {
      clearReviewCaches();
      return signApproved(approve(request, keys, { name: 'bench', acknowledged: 'all' }), keys, new SigningLedger(memoryLedgerStore())).output.length;
    }, { runs: 5 });
    return [
      { name: 'parse (request, wallet keys pre-derived, strict PSBT)', ms: parseMs, extra: { 'us/input': (parseMs * 1000) / 500 } },
      { name: 'review, cold (keys derived)', ms: coldMs, extra: { 'us/input': (coldMs * 1000) / 500 }, goal: { text: 'under 50 ms', met: coldMs < 50 } },
      { name: 'review, warm (same request again)', ms: warmMs, baseline: 'review, cold (keys derived)', goal: { text: 'under 50 ms', met: warmMs < 50 } },
      { name: 'the 1500 public derivations alone, one thread', ms: floor.derivationsMs },
      {
        name: `review, cold, both cores (${threads} threads, warm: the app's review thread)`,
        ms: bothMs,
        baseline: 'review, cold (keys derived)',
        extra: { 'x the derivations split evenly': (bothMs / (floor.derivationsMs / threads)).toFixed(2) },
        goal: { text: `at most 80 ms (issue 17); the derivations alone, split evenly, are ${(floor.derivationsMs / threads).toFixed(0)} ms here`, met: bothMs <= 80 },
      },
      { name: 'engine alone, cold', ms: engineMs },
      { name: 'approval gate then signer, cold (what sign and the app do)', ms: gateThenSignMs, baseline: 'engine alone, cold' },
    ];
  },
};
