// `review`: shows what a request or PSBT would do, with the same checks `sign` must pass; no key file or
// passphrase. Text for people, --json for machines. Exit status: 0 the review allows signing (warnings may
// still need acknowledging), 3 it refuses, 1 the input could not be reviewed (error JSON on stdout), 2 usage.
import { basename } from 'node:path';
import { describeSats, formatBasisPoints, formatBtc } from '../../shared/amount';
import { payGoBasisWords, type ReviewIssue, type ReviewModel } from '../../shared/review';
import { parseSigningRequest } from '../intake/request';
import { reviewRequest, type NetworkName } from '../review/build';
import { warningKey } from '../approval/warnings';
import { defaultPolicy, parsePolicyText } from '../review/policy';
import { EXIT_OK, UsageError, parseCommandArgs, printError, printJson, readInputFile, type CliContext } from './io';
import { WALLET_RULE_OPTIONS, walletRules } from './wallet-rules';

/** Exit status when the review refuses the transaction (distinct from "could not read it"). */
export const EXIT_REFUSED = 3;

function issueLine(i: ReviewIssue): string {
  const at = i.input !== undefined ? `input ${i.input}` : i.output !== undefined ? `output ${i.output}` : 'transaction';
  return `  [${i.code}] (${at}) ${i.message}`;
}

/** The review for people: fixed layout, every amount in BTC with satoshis, refusals and warnings first. */
export function formatReview(r: ReviewModel): string {
  const lines: string[] = [];
  lines.push(`Review ${r.fingerprint.short}  (${r.fingerprint.words.join('-')})`);
  const registered = r.registered ? ` "${r.registered.label}" (registered, coin ${r.registered.coin})` : '';
  lines.push(`Wallet ${r.walletId}${registered} on ${r.network === 'bitcoin' ? 'mainnet' : 'testnet'}; script types ${r.scriptTypes.join(', ')}`);
  if (r.txid !== null) lines.push(`Unsigned txid ${r.txid}`);
  lines.push(`Policy ${r.policy.source} sha256 ${r.policy.hash}`);
  if (r.refusals.length > 0) lines.push('', `REFUSED: ${r.refusals.length} problem(s); this transaction will not be signed`, ...r.refusals.map(issueLine));
  if (r.warnings.length > 0) lines.push('', `WARNINGS: ${r.warnings.length}, each must be acknowledged`, ...r.warnings.map((w) => `${issueLine(w)}  {ack: ${warningKey(w)}}`));
  lines.push('', `Inputs (${r.inputs.length}), total ${describeSats(r.totals.inputs)}`);
  for (const i of r.inputs) {
    const ev = i.amountEvidence === 'unverified' ? 'UNVERIFIED amount' : i.amountEvidence === 'previous_tx' ? 'amount proven by previous tx' : 'amount committed by signature';
    lines.push(`  #${i.index} ${formatBtc(i.amount)} BTC  ${i.scriptType} chain ${i.chain} index ${i.derivationIndex}  ${i.txid}:${i.vout}  (${ev})`);
  }
  lines.push('', `Outputs (${r.outputs.length}), total ${describeSats(r.totals.outputs)}`);
  for (const o of r.outputs) {
    const kind = o.kind === 'change' ? `CHANGE (verified, chain ${o.chain} index ${o.derivationIndex})` : o.kind === 'failed' ? 'FAILED change verification' : o.payGo ? `external (BitGo PayGo fee: ${payGoBasisWords(o, r.policy.source)})` : o.opReturnData !== undefined ? `OP_RETURN data ${o.opReturnData.slice(0, 80)}` : 'external';
    lines.push(`  #${o.index} ${formatBtc(o.amount)} BTC  ${o.address ?? `script ${o.script.slice(0, 80)}`}  ${kind}`);
  }
  lines.push('');
  lines.push(`Leaving the wallet: ${describeSats(r.totals.spend)} (recipients ${describeSats(r.totals.external)} + fee)`);
  lines.push(`Fee: ${describeSats(r.fee)}, ${r.feeRate.toFixed(2)} sat/vB for ~${r.vsize} vB signed${r.feeBasisPoints !== undefined ? `, ${formatBasisPoints(r.feeBasisPoints)} of the amount leaving` : ''}`);
  lines.push(r.refusals.length > 0 ? 'Verdict: REFUSED' : r.warnings.length > 0 ? 'Verdict: signable after acknowledging the warnings' : 'Verdict: signable');
  return `${lines.join('\n')}\n`;
}

/** `offline-signer review` (its --help text is in help.ts). */
export async function runReview(args: string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseCommandArgs('review', args, {
    json: { type: 'boolean' },
    policy: { type: 'string' },
    network: { type: 'string' },
    wallet: { type: 'string' },
    xpubs: { type: 'string' },
    ...WALLET_RULE_OPTIONS,
  });
  if (positionals.length !== 1) throw new UsageError('review: name exactly one request or PSBT file');
  const network = values.network;
  if (network !== undefined && network !== 'bitcoin' && network !== 'testnet') throw new UsageError(`review: --network must be bitcoin or testnet, got ${network}`);
  const xpubs = values.xpubs?.split(',').map((s) => s.trim());
  if (xpubs !== undefined && xpubs.length !== 3) throw new UsageError('review: --xpubs takes three comma-separated xpubs: user,backup,bitgo');
  if ((values.registry !== undefined || values.coin !== undefined) && (network !== undefined || xpubs !== undefined)) {
    throw new UsageError('review: --registry and --coin set the keys and network; do not combine them with --network or --xpubs');
  }
  try {
    const wallets = walletRules('review', values);
    const policy = values.policy === undefined ? defaultPolicy() : parsePolicyText(readInputFile(values.policy, 'policy file', 1024 * 1024).toString('utf8'), basename(values.policy));
    const path = positionals[0]!;
    const name = basename(path);
    const request = parseSigningRequest(new Uint8Array(readInputFile(path, 'input')), name);
    const review = reviewRequest(request, {
      name,
      policy,
      ...(network !== undefined ? { network: network as NetworkName } : {}),
      ...(values.wallet !== undefined ? { walletId: values.wallet } : {}),
      ...(xpubs !== undefined ? { xpubs } : {}),
      ...wallets.forWallet(request.kind === 'psbt' ? values.wallet : request.walletId),
    });
    if (values.json) printJson(ctx, review);
    else ctx.stdout.write(formatReview(review));
    return review.refusals.length > 0 ? EXIT_REFUSED : EXIT_OK;
  } catch (e) {
    return printError(ctx, e);
  }
}
