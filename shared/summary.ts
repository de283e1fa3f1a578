// The session summary's words, the same on the screen (renderer/SessionSummary.tsx) and in the exported file
// (electron/workflow/audit.ts summaryText): each state in capitals, amounts in BTC and sats, and each destination.
import { btcAndSats } from './amount';
import type { SummaryOutcome, SummarySend } from './contract';
import { visible } from './text';

/** Each outcome in capitals, as the screen and the exported file say it. */
export const OUTCOME_WORDS: Readonly<Record<SummaryOutcome, string>> = {
  signed: 'SIGNED',
  shown: 'SIGNED, SHOWN AS QR',
  unexported: 'SIGNED, NOT EXPORTED',
  approved: 'APPROVED, NOT SIGNED',
  refused: 'REFUSED',
  rejected: 'REJECTED',
  failed: 'FAILED',
  pending: 'PENDING',
};

export { btcAndSats };

/** One destination in words: "pays <amount> to <address>", escaped as file names are (an address came from outside). */
export function sendWords(send: SummarySend): string {
  const to = send.address !== undefined ? `to ${visible(send.address)}` : 'to a script with no address (data or non-standard)';
  return `${send.kind === 'failed' ? 'FAILED change claim, pays' : 'pays'} ${btcAndSats(send.amount)} ${to}`;
}
