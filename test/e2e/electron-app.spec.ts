// The real app in real Electron (build/out via npm run build's code, launched with --demo): the window's
// hardening as main set it, the renderer's globals, and the CSP header on what app:// serves. Skips with one line
// where no Electron binary exists (this machine; see test/e2e/support/electron.ts).
import { test, expect } from '@playwright/test';
import { CSP } from '../../shared/csp';
import { METHODS } from '../../shared/contract';
import { launchElectronOrSkip, type LaunchedApp } from './support/electron';
import { probeNetwork, rendererGlobals } from './support/steps';

let launched: LaunchedApp | undefined;

test.afterEach(async () => {
  await launched?.app.close();
  launched = undefined;
});

test('the window is sandboxed, context-isolated, without Node, and only window.signer crosses', async () => {
  launched = await launchElectronOrSkip(test);
  const { app, window } = launched;
  // What main actually applied to the window's contents (not what the source says it asks for).
  const prefs = await app.evaluate(({ BrowserWindow }) => {
    const wins = BrowserWindow.getAllWindows();
    const wc = wins[0]?.webContents as unknown as { getLastWebPreferences(): Record<string, unknown> | null; getURL(): string };
    const p = wc.getLastWebPreferences() ?? {};
    return {
      windows: wins.length,
      url: wc.getURL(),
      sandbox: p.sandbox,
      contextIsolation: p.contextIsolation,
      nodeIntegration: p.nodeIntegration,
      nodeIntegrationInWorker: p.nodeIntegrationInWorker,
      nodeIntegrationInSubFrames: p.nodeIntegrationInSubFrames,
      webviewTag: p.webviewTag,
      webSecurity: p.webSecurity,
      allowRunningInsecureContent: p.allowRunningInsecureContent,
    };
  });
  expect(prefs).toEqual({
    windows: 1,
    url: expect.stringMatching(/^app:\/\/signer\//),
    sandbox: true,
    contextIsolation: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webviewTag: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
  });

  const globals = await rendererGlobals(window);
  expect(globals).toEqual({
    require: 'undefined',
    process: 'undefined',
    module: 'undefined',
    Buffer: 'undefined',
    ipcRenderer: 'undefined',
    electron: 'undefined',
    signer: 'object',
    signerFrozen: true,
    signerMethods: [...METHODS].sort(),
    signerFunctionsOnly: true,
  });
});

test('app:// serves the renderer with the CSP header, and the page enforces it', async () => {
  launched = await launchElectronOrSkip(test);
  const { window } = launched;
  const [response] = await Promise.all([
    window.waitForResponse((r) => /^app:\/\/signer\/(index\.html)?$/.test(r.url()), { timeout: 15_000 }),
    window.reload(),
  ]);
  expect(response.status()).toBe(200);
  expect(response.headers()['content-security-policy']).toBe(CSP);

  const probe = await probeNetwork(window);
  expect(probe.fetch).toMatch(/^blocked/);
  expect(probe.inlineScript).toBe('blocked');
  expect(probe.eval).toMatch(/^blocked/);
  expect(probe.violations).toContain('connect-src');
});
