// Page-level steps shared by the Chromium bridge specs and (when a binary exists) the real-Electron specs:
// they use only the page, never the bridge, so the same steps run against both.
import { expect, type Locator, type Page } from '@playwright/test';

export interface NetworkProbe {
  fetch: string;
  xhr: string;
  webSocket: string;
  image: string;
  iframe: string;
  inlineScript: string;
  eval: string;
  violations: string[];
}

/**
 * Tries every way a page reaches another origin or runs foreign code, and reports how each ended. Each probe
 * resolves on its own outcome event (no sleeps), with a bounded fallback for events Chromium never fires.
 */
export async function probeNetwork(page: Page, target = 'https://example.com'): Promise<NetworkProbe> {
  return page.evaluate(async (target) => {
    const violations: string[] = [];
    document.addEventListener('securitypolicyviolation', (e) => violations.push(e.effectiveDirective));
    const within = <T>(p: Promise<T>, ms: number, late: T) => Promise.race([p, new Promise<T>((r) => setTimeout(() => r(late), ms))]);

    const f = (globalThis as unknown as { fetch: (u: string) => Promise<unknown> }).fetch;
    const fetchResult = await f(`${target}/fetch`).then(() => 'loaded', (e: Error) => `blocked: ${e.name}`);

    const xhr = await within(
      new Promise<string>((resolve) => {
        const X = (globalThis as unknown as { XMLHttpRequest: new () => XMLHttpRequest }).XMLHttpRequest;
        const r = new X();
        r.onload = () => resolve('loaded');
        r.onerror = () => resolve('blocked: error');
        try {
          r.open('GET', `${target}/xhr`);
          r.send();
        } catch (e) {
          resolve(`blocked: ${(e as Error).name}`);
        }
      }),
      5000,
      'no outcome',
    );

    const ws = await within(
      new Promise<string>((resolve) => {
        try {
          const W = (globalThis as unknown as { WebSocket: new (u: string) => WebSocket }).WebSocket;
          const s = new W(target.replace(/^http/, 'ws') + '/ws');
          s.onopen = () => resolve('loaded');
          s.onerror = () => resolve('blocked: error');
        } catch (e) {
          resolve(`blocked: ${(e as Error).name}`);
        }
      }),
      5000,
      'no outcome',
    );

    const image = await within(
      new Promise<string>((resolve) => {
        const img = new Image();
        img.onload = () => resolve('loaded');
        img.onerror = () => resolve('blocked: error');
        img.src = `${target}/pixel.png`;
      }),
      5000,
      'no outcome',
    );

    // A frame's load event fires even for a CSP-blocked frame; what matters is the violation and no request.
    const iframe = await within(
      new Promise<string>((resolve) => {
        const fr = document.createElement('iframe');
        fr.onload = () => resolve('load event');
        fr.src = `${target}/frame`;
        document.body.appendChild(fr);
      }),
      5000,
      'no outcome',
    );

    const w = window as unknown as { __inlineRan?: boolean };
    const script = document.createElement('script');
    script.textContent = 'window.__inlineRan = true;';
    document.body.appendChild(script);
    const inlineScript = w.__inlineRan ? 'ran' : 'blocked';

    let evalResult: string;
    try {
      evalResult = String((0, eval)('1 + 1'));
    } catch (e) {
      evalResult = `blocked: ${(e as Error).name}`;
    }
    // Let the violation events of the last probes arrive (they are queued as tasks).
    await new Promise((r) => setTimeout(r, 50));
    return { fetch: fetchResult, xhr, webSocket: ws, image, iframe, inlineScript, eval: evalResult, violations };
  }, target);
}

/** No Node, no Electron internals: only the frozen `window.signer` with the contract's methods. */
export async function rendererGlobals(page: Page) {
  return page.evaluate(() => {
    const w = window as unknown as Record<string, unknown>;
    const s = w.signer as Record<string, unknown> | undefined;
    return {
      require: typeof w.require,
      process: typeof w.process,
      module: typeof w.module,
      Buffer: typeof w.Buffer,
      ipcRenderer: typeof w.ipcRenderer,
      electron: typeof w.electron,
      signer: typeof s,
      signerFrozen: s ? Object.isFrozen(s) : false,
      signerMethods: s ? Object.keys(s).filter((k) => k !== 'on').sort() : [],
      signerOn: s ? typeof s.on : 'missing',
      signerFunctionsOnly: s ? Object.values(s).every((v) => typeof v === 'function') : false,
    };
  });
}

/** The words of the step bar (renderer/Steps.tsx): the journey, then the rooms. */
export type StepName = 'Key store' | 'Unlock' | 'Import' | 'Review' | 'Sign' | 'Export / show' | 'Summary' | 'Wallets registry' | 'Key ceremony' | 'Settings';

/** The step bar's button for a step. */
export function stepLink(page: Page, name: StepName): Locator {
  return page.getByRole('navigation', { name: 'Steps' }).getByRole('button', { name, exact: true });
}

/**
 * Goes to a step by the step bar, as the operator does, and waits for the bar to mark it current (the app shows one
 * step at a time: what a spec looks for next is in that step).
 */
export async function goToStep(page: Page, name: StepName): Promise<void> {
  const link = stepLink(page, name);
  await link.click();
  await expect(link).toHaveAttribute('aria-current', /^(step|page)$/);
}

/** Waits for the app to have moved on to a step by itself (after the work that ends the one before). */
export async function expectStep(page: Page, name: StepName): Promise<void> {
  await expect(stepLink(page, name)).toHaveAttribute('aria-current', /^(step|page)$/);
}

/**
 * After an export that wrote every signed file the app moves on to the summary; this waits for that, then goes back
 * to Export / show, where the list of requests and the export's results are.
 */
export async function backToExport(page: Page): Promise<void> {
  await expectStep(page, 'Summary');
  await goToStep(page, 'Export / show');
}

export function walletCard(page: Page, walletId: string): Locator {
  return page.getByRole('listitem', { name: `Wallet ${walletId}` });
}

export async function openDemoKeyStore(page: Page): Promise<void> {
  await goToStep(page, 'Key store');
  await page.getByRole('button', { name: 'Open the demo key store' }).click();
  await expect(page.getByRole('heading', { name: 'Key store: demo (demo)' })).toBeVisible();
}

/** Types into the wallet's passphrase field and submits with Enter (keyboard only). */
export async function submitPassphrase(page: Page, walletId: string, passphrase: string): Promise<void> {
  if (!(await walletCard(page, walletId).isVisible())) await goToStep(page, 'Unlock');
  const field = walletCard(page, walletId).getByLabel('Passphrase', { exact: true });
  await field.focus();
  await field.fill(passphrase);
  await field.press('Enter');
}

export async function expectWrongPassphraseMessage(page: Page, walletId: string): Promise<void> {
  await expect(walletCard(page, walletId).getByRole('alert')).toHaveText(
    'That passphrase did not unlock this wallet. Check Caps Lock and the keyboard layout, then try again.',
  );
  await expect(walletCard(page, walletId).getByText('Locked', { exact: true })).toBeVisible();
}

/** The header's line for a wallet: its lock state (and countdown), whatever the step. */
export function headerWallet(page: Page, walletId: string): Locator {
  return page.getByRole('list', { name: 'Wallet locks' }).getByRole('listitem').filter({ hasText: `${walletId.slice(0, 8)}…` });
}

/**
 * Unlocks with the right passphrase, from the Unlock step; the app then moves on to Import (the header says the
 * wallet is unlocked). Main throttles after a wrong one (1 s); the step retries the submit until the header says
 * "unlocked", so it waits for the app's state, not a fixed sleep.
 */
export async function unlockWallet(page: Page, walletId: string, passphrase: string): Promise<void> {
  const state = headerWallet(page, walletId);
  await goToStep(page, 'Unlock');
  await expect(async () => {
    // With many wallets the header names only the unlocked ones (renderer/header-wallets.ts): absent is locked.
    if ((await state.count()) > 0 && (await state.textContent())?.includes(': unlocked')) return;
    await submitPassphrase(page, walletId, passphrase);
    await expect(state).toContainText(': unlocked', { timeout: 1000 });
  }).toPass({ timeout: 15_000, intervals: [300, 500, 1000] });
  await expectStep(page, 'Import');
}

export async function lockWallet(page: Page, walletId: string): Promise<void> {
  const card = walletCard(page, walletId);
  await goToStep(page, 'Unlock');
  await card.getByRole('button', { name: 'Lock this wallet' }).click();
  await expect(card.getByText('Locked', { exact: true })).toBeVisible();
  await expect(card.getByLabel('Passphrase', { exact: true })).toHaveValue('');
}
