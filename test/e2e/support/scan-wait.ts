// Waiting for a camera scan without assuming the machine's speed: a scan ends when the scanner's status says so,
// and it may take as long as it keeps making progress (the scan region's text changes as parts arrive: "Parts
// received: 7 of 20"). Only a scan whose region stops changing for a long time fails, with its last status.
// Fixed short waits failed here when the machine was busy (the animated UR spec at Playwright's default 5 s).
import type { Locator } from '@playwright/test';

/** No change at all in the scan's status for this long means the scan is stuck, not slow. */
const STALL_MS = 60_000;

/**
 * Waits until the scan region's status (role=status) matches `done`, while the region keeps changing. Returns
 * the status and every distinct text the region showed on the way (to check the progress it displayed).
 */
export async function waitForScanStatus(region: Locator, done: RegExp | string): Promise<{ status: string; seen: string[] }> {
  const matches = (text: string) => (typeof done === 'string' ? text.includes(done) : done.test(text));
  // By selector, not role: the app moves on to Review when a scan imports a request, and the scan's words (hidden
  // with the Import step) are still read here.
  const status = region.locator('[role="status"]');
  const seen: string[] = [];
  let last = '';
  let changedAt = Date.now();
  for (;;) {
    const text = (await status.textContent()) ?? '';
    if (matches(text)) return { status: text, seen };
    const all = (await region.textContent()) ?? '';
    if (all !== last) {
      seen.push(all);
      last = all;
      changedAt = Date.now();
    } else if (Date.now() - changedAt > STALL_MS) {
      throw new Error(`the scan made no progress for ${STALL_MS / 1000} s; its status still says: ${JSON.stringify(text)}`);
    }
    // Poll for the next change (the scanner redraws its progress a few times a second while parts arrive).
    await region.page().waitForTimeout(200);
  }
}
