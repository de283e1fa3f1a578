// The Chromium test bridge: the Vite-built renderer served at a fake https origin through context.route (no TCP
// server, no DNS) with the CSP header of shared/csp.ts, and a `window.signer` built from the same contract that
// calls the same router and handlers main.ts registers. Only the Electron glue differs:
// - ipcRenderer.invoke + ipcMain.handle  -> page.exposeBinding (sender = the calling frame's URL and top-ness);
// - the file dialog                        -> StubDialogs, which the test controls;
// - will-navigate / window-open refusal    -> navigations to other origins are aborted here and recorded.
// Any other request that leaves the origin is recorded as an escape, and the fixture fails the test on it.
import type { BrowserContext, Page } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONTRACT, EVENTS, METHODS } from '../../../shared/contract';
import { CSP } from '../../../shared/csp';
import { checkAirGap, type InterfaceTable } from '../../../electron/airgap';
import { forwardVaultEvents, type Emit } from '../../../electron/ipc/events';
import { createHandlers, type Dialogs } from '../../../electron/ipc/handlers';
import { createRouter, type IpcCall } from '../../../electron/ipc/router';
import { Vault } from '../../../electron/keystore/vault';
import { APP_ORIGIN, contentTypeFor, resolveAppPath } from '../../../electron/security';
import { E2E_RENDERER_DIR } from './paths';

export const TEST_ORIGIN = 'https://signer.invalid';
export const TEST_ENTRY = `${TEST_ORIGIN}/index.html`;

export class StubDialogs implements Dialogs {
  next: string | null = null;
  calls = 0;
  async chooseKeyFile(): Promise<string | null> {
    this.calls++;
    return this.next;
  }
}

export interface BridgeOptions {
  demo?: boolean;
  interfaces?: InterfaceTable;
  idleMs?: number;
  /**
   * A folder standing in for the machine's root for drive discovery: the USB drives are the folders under
   * <drivesRoot>/media/operator/ (files/drives.ts, Linux layout). Absent: no drive is ever found.
   */
  drivesRoot?: string;
}

/** The user name the bridge's drive discovery looks under (<drivesRoot>/media/<user>/<label>). */
export const BRIDGE_DRIVE_USER = 'operator';

export interface Bridge {
  vault: Vault;
  dialogs: StubDialogs;
  /** Every IPC call the page made (channel and sender facts; payloads are not kept: they may hold passphrases). */
  calls: Omit<IpcCall, 'payload'>[];
  /** Requests that left the origin and were not navigations: each one is a test failure. */
  escapes: string[];
  /** Navigations to other origins, refused here as main's will-navigate handler refuses them. */
  blockedNavigations: string[];
  /** Every serialized IPC response and event payload, for the secret scan. */
  responses: string[];
  /**
   * Runs in "main" when a call arrives, before its handler: a test makes something happen between the operator's
   * click and main's answer (a wallet locking itself just as Sign is pressed).
   */
  beforeCall?: (channel: string) => void;
  /**
   * Awaited in "main" before a call's handler: a test holds an answer back (a slow machine) to do something on
   * the page meanwhile, then lets it through.
   */
  holdCall?: (channel: string) => Promise<void> | undefined;
}

/** Serves a file of the built renderer through main's own app:// path guard (resolveAppPath). */
async function serve(url: URL): Promise<{ status: number; body: Buffer | string; contentType: string }> {
  const file = resolveAppPath(E2E_RENDERER_DIR, `${APP_ORIGIN}${url.pathname}`);
  const type = file === null ? null : contentTypeFor(file);
  if (file === null || type === null) return { status: 404, body: 'not found', contentType: 'text/plain' };
  try {
    return { status: 200, body: await readFile(file), contentType: type };
  } catch {
    return { status: 404, body: 'not found', contentType: 'text/plain' };
  }
}

export async function installBridge(context: BrowserContext, opts: BridgeOptions = {}): Promise<Bridge> {
  const vault = new Vault({ idleMs: opts.idleMs ?? 10 * 60_000 });
  const dialogs = new StubDialogs();
  const bridge: Bridge = { vault, dialogs, calls: [], escapes: [], blockedNavigations: [], responses: [] };
  // Events: main's webContents.send becomes a dispatch into each open page's top frame.
  const emit: Emit = async (channel, payload) => {
    bridge.responses.push(JSON.stringify(payload));
    await Promise.all(
      context.pages().map((page) =>
        page
          .evaluate(([c, p]) => (window as unknown as { __signerDispatch?: (c: string, p: unknown) => void }).__signerDispatch?.(c, p), [channel, payload] as const)
          .catch(() => undefined), // a page that is closing misses the event, as a closed window would
      ),
    );
  };
  const handlers = createHandlers({
    version: '0.0.0-e2e',
    demo: opts.demo ?? true,
    vault,
    dialogs,
    airGap: () => checkAirGap(opts.interfaces ?? { lo: [{ family: 'IPv4', internal: true }] }),
    // Never the test machine's real /media: a test that wants drives names its own folder.
    driveEnv: { platform: 'linux', user: BRIDGE_DRIVE_USER, root: opts.drivesRoot ?? '/nonexistent-e2e-drives-root' },
    emit,
    // Each page gets the app's own signing ledger in a fresh folder, as a fresh install has.
    ledgerPath: join(mkdtempSync(join(tmpdir(), 'e2e-ledger-')), 'signing-ledger.json'),
  });
  const router = createRouter(handlers, { appOrigin: TEST_ORIGIN });

  await context.route('**/*', async (route) => {
    const request = route.request();
    const url = new URL(request.url());
    if (`${url.protocol}//${url.host}` === TEST_ORIGIN) {
      const r = await serve(url);
      await route.fulfill({
        status: r.status,
        body: r.body,
        headers: { 'content-type': r.contentType, 'content-security-policy': CSP, 'x-content-type-options': 'nosniff' },
      });
      return;
    }
    if (request.isNavigationRequest()) {
      // main's will-navigate handler calls preventDefault: the page stays as it is. A 204 answer is the web's way
      // of saying the same (the browser keeps the current document), and nothing leaves the machine.
      bridge.blockedNavigations.push(request.url());
      await route.fulfill({ status: 204, body: '' });
      return;
    }
    bridge.escapes.push(`${request.resourceType()} ${request.url()}`);
    await route.abort('blockedbyclient');
  });

  await context.exposeBinding('__signerInvoke', async (source, channel: unknown, payload: unknown) => {
    const call = { channel: String(channel), senderUrl: source.frame.url(), isTopFrame: source.frame === source.page.mainFrame() };
    bridge.calls.push(call);
    bridge.beforeCall?.(call.channel);
    await bridge.holdCall?.(call.channel);
    const result = await router.handle({ ...call, payload });
    bridge.responses.push(JSON.stringify(result));
    return result;
  });

  forwardVaultEvents(vault, emit);

  // The page-side half: what the preload's buildSignerApi does, with the binding as transport. Defined only in
  // the top frame (Electron runs the preload there only) and frozen, non-writable, non-configurable.
  await context.addInitScript(
    ({ methods, events }: { methods: [string, string][]; events: [string, string][] }) => {
      if (window.top !== window) return;
      const invoke = (window as unknown as { __signerInvoke: (c: string, p: unknown) => Promise<unknown> }).__signerInvoke;
      const listeners = new Map<string, Set<(p: unknown) => void>>();
      const api: Record<string, unknown> = {};
      for (const [method, channel] of methods) api[method] = (p?: unknown) => invoke(channel, p ?? {});
      const eventChannels = new Map(events);
      api.on = (event: string, listener: (p: unknown) => void) => {
        const channel = eventChannels.get(event);
        if (channel === undefined) throw new TypeError(`unknown signer event ${String(event).slice(0, 60)}`);
        if (typeof listener !== 'function') throw new TypeError('signer.on needs a listener function');
        const set = listeners.get(channel) ?? new Set();
        listeners.set(channel, set);
        set.add(listener);
        return () => set.delete(listener);
      };
      Object.defineProperty(window, '__signerDispatch', {
        value: (channel: string, payload: unknown) => listeners.get(channel)?.forEach((l) => l(payload)),
      });
      Object.defineProperty(window, 'signer', { value: Object.freeze(api), writable: false, configurable: false, enumerable: true });
    },
    {
      methods: METHODS.map((m): [string, string] => [m, CONTRACT[m].channel]),
      events: (Object.keys(EVENTS) as (keyof typeof EVENTS)[]).map((e): [string, string] => [e, EVENTS[e].channel]),
    },
  );

  return bridge;
}

/** Opens the app page and waits for the first screen. */
export async function openApp(page: Page): Promise<void> {
  await page.goto(TEST_ENTRY);
  await page.getByRole('heading', { name: 'Offline Signer', level: 1 }).waitFor();
}
