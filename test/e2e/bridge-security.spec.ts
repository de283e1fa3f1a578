// The renderer under the app's CSP in Debian's Chromium, through the test bridge: nothing reaches another origin,
// no foreign code runs, no Node or Electron object is visible, and the router refuses sub-frames.
import { CSP } from '../../shared/csp';
import { METHODS } from '../../shared/contract';
import { openApp, TEST_ENTRY, TEST_ORIGIN } from './support/bridge';
import { expect, test } from './support/fixtures';
import { probeNetwork, rendererGlobals } from './support/steps';

test('the bundle is served with the CSP header and loads without violations', async ({ page, bridge }) => {
  const violations: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
  });
  const response = await page.goto(TEST_ENTRY);
  expect(response?.headers()['content-security-policy']).toBe(CSP);
  await expect(page.getByRole('heading', { name: 'Offline Signer', level: 1 })).toBeVisible();
  expect(violations).toEqual([]);
  expect(bridge.calls.length).toBeGreaterThan(0);
  expect(bridge.calls.every((c) => c.isTopFrame && c.senderUrl.startsWith(`${TEST_ORIGIN}/`))).toBe(true);
});

test('fetch, XHR, WebSocket, image, frame, inline script and eval are all blocked by the CSP', async ({ page, bridge }) => {
  await openApp(page);
  const probe = await probeNetwork(page);
  expect(probe.fetch).toMatch(/^blocked/);
  expect(probe.xhr).toMatch(/^blocked/);
  expect(probe.webSocket).toMatch(/^blocked/);
  expect(probe.image).toMatch(/^blocked/);
  expect(probe.inlineScript).toBe('blocked');
  expect(probe.eval).toMatch(/^blocked: EvalError/);
  // Blocked by the policy itself (a violation per directive), not by a missing network: the bridge saw nothing.
  for (const d of ['connect-src', 'img-src', 'frame-src', 'script-src-elem']) expect(probe.violations, d).toContain(d);
  expect(bridge.escapes).toEqual([]);
  expect(bridge.blockedNavigations).toEqual([]);
});

test('navigation to another origin does not happen; the page stays on the app', async ({ page, bridge }) => {
  await openApp(page);
  // A form post is blocked by form-action 'none'; a top-level navigation is refused by main (will-navigate),
  // which the bridge stands in for: the request is aborted before it leaves and recorded.
  await page.evaluate(() => {
    const form = document.createElement('form');
    form.action = 'https://example.com/post';
    form.method = 'post';
    document.body.appendChild(form);
    form.submit();
  });
  await page.evaluate(() => {
    window.location.href = 'https://example.com/navigate';
  }).catch(() => undefined);
  await expect.poll(() => bridge.blockedNavigations).toEqual(['https://example.com/navigate']);
  expect(new URL(page.url()).origin).toBe(TEST_ORIGIN);
  await expect(page.getByRole('heading', { name: 'Offline Signer', level: 1 })).toBeVisible();
});

test('no Node or Electron globals; window.signer is frozen and has exactly the contract methods', async ({ page }) => {
  await openApp(page);
  const g = await rendererGlobals(page);
  expect(g).toEqual({
    require: 'undefined',
    process: 'undefined',
    module: 'undefined',
    Buffer: 'undefined',
    ipcRenderer: 'undefined',
    electron: 'undefined',
    signer: 'object',
    signerFrozen: true,
    signerMethods: [...METHODS].sort(),
    signerOn: 'function',
    signerFunctionsOnly: true,
  });
  // It cannot be replaced by page script either.
  const replaced = await page.evaluate(() => {
    try {
      (window as unknown as { signer: unknown }).signer = {};
    } catch {
      // strict-mode assignment to a read-only property
    }
    return Object.isFrozen((window as unknown as { signer: object }).signer) && typeof (window as unknown as { signer: { appStatus?: unknown } }).signer.appStatus === 'function';
  });
  expect(replaced).toBe(true);
});

test('the router answers a hostile page call with coded errors, never data', async ({ page }) => {
  await openApp(page);
  const results = await page.evaluate(async () => {
    const invoke = (window as unknown as { __signerInvoke: (c: string, p: unknown) => Promise<{ ok: boolean; error?: { code?: string } }> }).__signerInvoke;
    const out: Record<string, string | undefined> = {};
    out.unknown = (await invoke('signer:fs:write', { path: '/etc/passwd' })).error?.code;
    out.extraField = (await invoke('signer:wallet:unlock', { walletId: 'abc', passphrase: 'x', path: '/tmp' })).error?.code;
    out.badType = (await invoke('signer:settings:idle-lock-set', { minutes: 'forever' })).error?.code;
    return out;
  });
  expect(results).toEqual({ unknown: 'ipc_unknown_channel', extraField: 'ipc_payload_invalid', badType: 'ipc_payload_invalid' });
});

test('a sub-frame of the app origin cannot call main even if it reaches the binding', async ({ page, bridge }) => {
  await openApp(page);
  // A same-origin frame is allowed by neither CSP (frame-src falls back to 'none') nor main; build one from
  // about:blank to reach the binding anyway and show that the router refuses it by frame.
  const code = await page.evaluate(async () => {
    const fr = document.createElement('iframe');
    document.body.appendChild(fr);
    const w = fr.contentWindow as unknown as { __signerInvoke?: (c: string, p: unknown) => Promise<{ error?: { code?: string } }>; signer?: unknown };
    return { hasSigner: w.signer !== undefined, code: w.__signerInvoke ? (await w.__signerInvoke('signer:app:status', {})).error?.code : 'no binding' };
  });
  expect(code).toEqual({ hasSigner: false, code: 'ipc_sender_not_top_frame' });
  expect(bridge.calls.filter((c) => !c.isTopFrame)).toHaveLength(1);
});
