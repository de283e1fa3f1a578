// Shared pieces of the USB-workflow bridge specs: a fixture that gives each test its own temporary folder of
// "USB drives" (so parallel tests never share files), the BitGo fixture wallets, and page steps that assert what
// the operator sees against the review model computed in Node by the same core (electron/review/build.ts).
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { formatBtc } from '../../../shared/amount';
import type { ReviewIssue, ReviewModel } from '../../../shared/review';
import { issueWords, outputDisplayKind, OUTPUT_KIND_WORDS } from '../../../shared/review-words';
import { buildReview, type ReviewOptions } from '../../../electron/review/build';
import { BRIDGE_DRIVE_USER } from './bridge';
import { goToStep } from './steps';
import { expect, test as base } from './fixtures';
import { fixturePath } from './paths';

interface FixtureWallet { walletId: string; passphrase: string; xpubs: { user: string; backup: string; bitgo: string } }
export const WALLETS = JSON.parse(readFileSync(fixturePath('bitgo/wallets.json'), 'utf8')) as Record<string, FixtureWallet>;
const env = JSON.parse(readFileSync(fixturePath('bitgo/env.json'), 'utf8')) as Record<string, string>;
export const passphraseOf = (walletId: string): string => env[`WALLET_${walletId}_PASSPHRASE`]!;
export const caseBytes = (name: string): Buffer => readFileSync(fixturePath(`bitgo/cases/${name}`));
/** BitGo's response for a fixture case, as this app writes it: {"txHex": ...}, Express's response body. */
export const expectedResponse = (name: string): string => JSON.stringify({ txHex: (JSON.parse(caseBytes(`${name}.response.json`).toString('utf8')) as { txHex: string }).txHex });

export class TempDrives {
  readonly root = mkdtempSync(join(tmpdir(), 'e2e-drives-'));
  /** The drive's folder (created): <root>/media/operator/<label>, as files/drives.ts finds USB drives on Linux. */
  drive(label: string): string {
    const dir = join(this.root, 'media', BRIDGE_DRIVE_USER, label);
    mkdirSync(dir, { recursive: true });
    return dir;
  }
  put(label: string, name: string, content: string | Uint8Array): string {
    const path = join(this.drive(label), name);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, content);
    return path;
  }
}

/** Every file under a folder with its sha256: "nothing lost" is this map unchanged (plus the expected outputs). */
export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out[relative(dir, p)] = createHash('sha256').update(readFileSync(p)).digest('hex');
    }
  };
  walk(dir);
  return out;
}

export const test = base.extend<{ drives: TempDrives; idleMs: number }>({
  idleMs: [10 * 60_000, { option: true }],
  // Playwright reads a fixture's dependencies from its first parameter's pattern: this one has none.
  // eslint-disable-next-line no-empty-pattern
  drives: async ({}, use) => {
    const drives = new TempDrives();
    await use(drives);
    rmSync(drives.root, { recursive: true, force: true });
  },
  bridgeOptions: async ({ drives, idleMs }, use) => {
    await use({ demo: true, drivesRoot: drives.root, idleMs });
  },
});
export { expect };

let shot = 0;
/**
 * A screenshot saved in the test's output folder and attached to its report, named by step: the full page, or
 * what the window shows (`window`: to see the layout at a given window size).
 */
export async function screenshot(page: Page, step: string, what: 'page' | 'window' = 'page'): Promise<void> {
  const path = test.info().outputPath(`${String(++shot).padStart(2, '0')}-${step}.png`);
  await page.screenshot({ path, fullPage: what === 'page' });
  await test.info().attach(step, { path, contentType: 'image/png' });
}

/**
 * Picks the drive, ticks the named files and imports them, as the operator does, from the Import step. Its results
 * ("Last import") show there, or, when every file came in clean, under the Review step the app then moves to.
 */
export async function importFiles(page: Page, driveLabel: string, files: string[]): Promise<void> {
  await goToStep(page, 'Import');
  await page.getByRole('radio', { name: driveLabel, exact: true }).check();
  for (const f of files) await page.getByRole('checkbox', { name: new RegExp(`^${f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(`) }).check();
  await page.getByRole('button', { name: `Import selected (${files.length})` }).click();
  await expect(page.getByRole('region', { name: 'Last import' })).toBeVisible();
}

export function requestRow(page: Page, file: string): Locator {
  return page.getByRole('row', { name: `Request ${file}`, exact: true });
}

export async function openReview(page: Page, file: string): Promise<Locator> {
  if (!(await page.getByRole('button', { name: `Review ${file}`, exact: true }).isVisible())) await goToStep(page, 'Review');
  await page.getByRole('button', { name: `Review ${file}`, exact: true }).click();
  const review = page.getByRole('region', { name: `Review: ${file}`, exact: true });
  await expect(review).toBeVisible();
  // Keyboard flow: the review takes the focus (its heading), so Tab goes on to its warnings and decisions.
  await expect(review.getByRole('heading', { name: `Review: ${file}`, exact: true })).toBeFocused();
  return review;
}

/** The review model main builds for this file, built here from the same bytes by the same core. */
export function modelOf(bytes: Uint8Array, name: string, opts: ReviewOptions = {}): ReviewModel {
  return buildReview(bytes, { name, ...opts });
}

/** A warning's checkbox name: its headline in words (shared/review-words.ts), never its code or main's message. */
export function warningName(w: ReviewIssue, model: ReviewModel): string {
  return `WARNING: ${issueWords(w, model).headline}`;
}

const sats = (n: number) => `${formatBtc(n)} BTC (${n.toLocaleString('en-US')} sat)`;

/** Outputs (grouped address, amount, kind badge), fee, fee rate and fingerprint on screen equal the model's. */
export async function expectReviewShows(review: Locator, model: ReviewModel): Promise<void> {
  const fp = review.getByLabel('Review fingerprint');
  await expect(fp.locator('.fingerprint-value')).toHaveText(model.fingerprint.short);
  await expect(fp).toContainText(model.fingerprint.words.join(' '));
  const rows = review.getByRole('table', { name: 'Outputs: where the money goes' }).locator('tbody tr');
  await expect(rows).toHaveCount(model.outputs.length);
  for (const o of model.outputs) {
    const row = review.getByRole('row', { name: `Output ${o.index}`, exact: true });
    if (o.address) await expect(row.locator('code.address')).toHaveText(o.address.match(/.{1,4}/g)!.join(' '));
    await expect(row.getByRole('cell').nth(2)).toHaveText(sats(o.amount));
    await expect(row.locator('.badge')).toHaveText(OUTPUT_KIND_WORDS[outputDisplayKind(o)]);
  }
  // The bar: one part per kind of destination, each said in the legend with its BTC amount, and drawn with a
  // width that matches its share (a part that exists is never thinner than 0.6 % of the bar).
  const bar = review.getByRole('figure', { name: /^Where the money goes/ });
  // OP_RETURN data is its own part (value burnt), never counted among the recipients.
  const expected: Record<string, number> = { recipients: 0, paygo: 0, change: 0, failed: 0, data: 0, fee: model.fee };
  for (const o of model.outputs) {
    const d = outputDisplayKind(o);
    const k = d === 'recipient' ? 'recipients' : d;
    expected[k] = (expected[k] ?? 0) + o.amount;
  }
  const total = Object.values(expected).reduce((a, b) => a + b, 0);
  await expect(bar).toContainText(`of ${formatBtc(total)} BTC spent by the inputs`);
  for (const [kind, amount] of Object.entries(expected)) {
    const item = bar.locator(`li[data-part="${kind}"]`);
    const part = bar.locator(`svg.money-bar rect[data-part="${kind}"]`);
    if (amount === 0) {
      await expect(item).toHaveCount(0);
      continue;
    }
    await expect(item).toContainText(`${formatBtc(amount)} BTC`);
    const width = Number(await part.getAttribute('width'));
    expect(Math.abs(width / 1000 - amount / total), `${kind} share of the bar`).toBeLessThan(0.02);
  }
  const facts = review.locator('dl.facts');
  await expect(facts.locator('dt:text-is("Fee") + dd')).toHaveText(sats(model.fee));
  await expect(facts.locator('dt:text-is("Fee rate") + dd')).toHaveText(`${model.feeRate} sat/vB`);
  await expect(facts.locator('dt:text-is("Leaves the wallet") + dd')).toHaveText(sats(model.totals.spend));
  // Each warning is a checkbox of its own, its headline in words and its code and message in a details line; a
  // refused request has no checkboxes: its refusals (and any warnings) are the STOP list.
  const refused = model.refusals.length > 0;
  await expect(review.getByRole('checkbox', { name: /^WARNING: / })).toHaveCount(refused ? 0 : model.warnings.length);
  for (const w of refused ? [] : model.warnings) {
    const box = review.getByRole('checkbox', { name: warningName(w, model), exact: true });
    await expect(box).toBeVisible();
    await expect(box).toHaveAccessibleDescription(`Details: ${issueWords(w, model).details}`);
  }
  for (const r of model.refusals) {
    const stop = review.getByRole('alert', { name: 'Signing refused' });
    await expect(stop).toContainText(issueWords(r, model).headline);
    await expect(stop).toContainText(`Details: ${r.code}: `);
  }
}

/**
 * The review panel fits the window: the page does not scroll sideways, and no element inside the panel sticks
 * out of the panel. Returns the offenders in words (tag.class "text") so a failure says what to fix.
 */
export async function expectReviewFits(page: Page, review: Locator): Promise<void> {
  const problems = await review.evaluate((panel) => {
    const out: string[] = [];
    const doc = document.documentElement;
    if (doc.scrollWidth > doc.clientWidth) out.push(`page scrolls sideways: ${doc.scrollWidth}px content in a ${doc.clientWidth}px window`);
    const box = panel.getBoundingClientRect();
    if (box.right > doc.clientWidth + 0.5) out.push(`review panel ends at ${Math.round(box.right)}px, window is ${doc.clientWidth}px`);
    for (const el of Array.from(panel.querySelectorAll('*'))) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;
      const name = `${el.tagName.toLowerCase()}${el.className ? `.${String(el.className).split(' ').join('.')}` : ''} "${(el.textContent ?? '').trim().slice(0, 40)}"`;
      if (r.left < box.left - 0.5 || r.right > box.right + 0.5) out.push(`${name} spans ${Math.round(r.left)}..${Math.round(r.right)}px, panel ${Math.round(box.left)}..${Math.round(box.right)}px`);
      else if (el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== 'visible') out.push(`${name} scrolls inside (${el.scrollWidth}px in ${el.clientWidth}px)`);
    }
    return out;
  });
  expect(problems, 'review panel overflow').toEqual([]);
}
