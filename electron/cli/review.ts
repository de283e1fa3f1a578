// `review`: shows what a request or PSBT would do, with the same checks `sign` must pass; no key file or
// passphrase. Text for people, --json for machines. Exit status: 0 the review allows signing (warnings may
// still need acknowledging), 3 it refuses, 1 the input could not be reviewed (error JSON on stdout), 2 usage.
import { basename } from 'node:path';
import { formatBasisPoints, formatBtc } from '../../shared/amount';
import { payGoBasisWords, type ReviewIssue, type ReviewModel, type ReviewOutput } from '../../shared/review';
import {
  atAGlance,
  btcAndSats,
  chainWords,
  countWords,
  dataText,
  EVIDENCE_WORDS,
  evidenceSummary,
  groupInputs,
  issueWords,
  OUTPUT_KIND_WORDS,
  outputDisplayKind,
  recipientsByAddress,
  SCRIPT_TYPE_WORDS,
} from '../../shared/review-words';
import { parseSigningRequest } from '../intake/request';
import { reviewRequest, type NetworkName } from '../review/build';
import { warningKey } from '../approval/warnings';
import { defaultPolicy, parsePolicyText } from '../review/policy';
import { EXIT_OK, UsageError, parseCommandArgs, printError, printJson, readInputFile, type CliContext } from './io';
import { WALLET_RULE_OPTIONS, walletRules } from './wallet-rules';

/** Exit status when the review refuses the transaction (distinct from "could not read it"). */
export const EXIT_REFUSED = 3;

/** An issue as the app's review says it: the headline in words, then its code and main's message as details. */
function issueLines(i: ReviewIssue, r: ReviewModel, ack?: string): string[] {
  const words = issueWords(i, r);
  return [`  - ${words.headline}`, `    details: ${words.details}${ack !== undefined ? `  {ack: ${ack}}` : ''}`];
}

function outputKindText(o: ReviewOutput, r: ReviewModel): string {
  const kind = outputDisplayKind(o);
  const words = OUTPUT_KIND_WORDS[kind];
  if (kind === 'change' || (kind === 'failed' && o.chain !== undefined)) return `${words}, chain ${o.chain} index ${o.derivationIndex}`;
  if (kind === 'paygo') return `${words}: ${payGoBasisWords(o, r.policy.source)}`;
  if (kind === 'data') {
    const d = dataText(o.opReturnData ?? '');
    return `${words}: ${d.text !== undefined ? `text "${d.text}"` : `${d.bytes} bytes, not text`}, hex ${o.opReturnData}`;
  }
  return words;
}

/**
 * The review for people: fixed layout, the same words as the app's review screen (shared/review-words.ts): the
 * at-a-glance line, refusals and warnings first, every amount in BTC with satoshis ("100,000 sat").
 */
export function formatReview(r: ReviewModel): string {
  const lines: string[] = [];
  lines.push(`Review ${r.fingerprint.short}  (${r.fingerprint.words.join('-')})`);
  lines.push(`At a glance: ${atAGlance(r).text}`);
  const registered = r.registered ? ` "${r.registered.label}" (registered, coin ${r.registered.coin})` : '';
  lines.push(`Wallet ${r.walletId}${registered} on ${r.network === 'bitcoin' ? 'mainnet' : 'testnet'}; script types ${r.scriptTypes.join(', ')}`);
  if (r.txid !== null) lines.push(`Unsigned txid ${r.txid}`);
  lines.push(`Policy ${r.policy.source} sha256 ${r.policy.hash}`);
  if (r.refusals.length > 0) lines.push('', `REFUSED: ${r.refusals.length} problem(s); this transaction will not be signed`, ...r.refusals.flatMap((i) => issueLines(i, r)));
  if (r.warnings.length > 0) lines.push('', `WARNINGS: ${r.warnings.length}, each must be acknowledged`, ...r.warnings.flatMap((w) => issueLines(w, r, warningKey(w))));
  lines.push('', `Inputs (${r.inputs.length}), total ${btcAndSats(r.totals.inputs)}`);
  for (const g of groupInputs(r.inputs)) lines.push(`  ${SCRIPT_TYPE_WORDS[g.scriptType]}, ${chainWords(g.chain)}: ${countWords(g.count, 'input')}, ${btcAndSats(g.total)}; ${evidenceSummary(g.evidence)}`);
  for (const i of r.inputs) {
    lines.push(`  #${i.index} ${formatBtc(i.amount)} BTC  ${i.scriptType} chain ${i.chain} index ${i.derivationIndex}  ${i.txid}:${i.vout}  (${EVIDENCE_WORDS[i.amountEvidence]})`);
  }
  lines.push('', `Outputs (${r.outputs.length}), total ${btcAndSats(r.totals.outputs)}`);
  for (const o of r.outputs) lines.push(`  #${o.index} ${formatBtc(o.amount)} BTC  ${o.address ?? (o.opReturnData !== undefined ? 'OP_RETURN' : `script ${o.script.slice(0, 80)}`)}  ${outputKindText(o, r)}`);
  const recipients = recipientsByAddress(r.outputs);
  if (recipients.some((x) => x.outputs.length > 1)) {
    lines.push('', 'Recipients summed by address');
    for (const x of recipients) lines.push(`  ${x.address}  ${btcAndSats(x.total)}  (output${x.outputs.length === 1 ? '' : 's'} ${x.outputs.join(', ')})`);
  }
  lines.push('');
  lines.push(`Leaving the wallet: ${btcAndSats(r.totals.spend)} (recipients ${btcAndSats(r.totals.external)} + fee)`);
  lines.push(`Fee: ${btcAndSats(r.fee)}, ${r.feeRate.toFixed(2)} sat/vB for ~${r.vsize} vB signed${r.feeBasisPoints !== undefined ? `, ${formatBasisPoints(r.feeBasisPoints)} of the amount leaving` : ''}`);
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
