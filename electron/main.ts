// The Electron main process: lifecycle, the one window, hardening, the app:// protocol and IPC wiring.
// Everything that decides something lives in plain modules (ipc/router, ipc/handlers, security, airgap, log,
// fatal) that run in Node tests; this file only connects them to Electron.
import { app, BrowserWindow, dialog, ipcMain, Menu, powerMonitor, protocol, session, type MenuItemConstructorOptions, type WebContents } from 'electron';
import { readFile } from 'node:fs/promises';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { CSP } from '../shared/csp';
import { checkAirGap, type InterfaceTable } from './airgap';
import { DEMO_REFUSED_MESSAGE, demoMode } from './demo/index';
import { installFatalHandlers } from './fatal';
import { forwardVaultEvents, type Emit } from './ipc/events';
import { createHandlers, type Dialogs } from './ipc/handlers';
import { createRouter } from './ipc/router';
import { Vault } from './keystore/vault';
import { AUDIT_LOG_NAME, AuditChain } from './output/audit-chain';
import { AuditLog, type AuditEvent } from './workflow/audit';
import { warmReviewThread } from './workflow/review-thread';
import { SpareThreads, spareThreadCount } from './parallel/spare-threads';
import { createLogger } from './log';
import {
  APP_ENTRY,
  APP_ORIGIN,
  APP_SCHEME,
  CHROMIUM_SWITCHES,
  DEAD_DICTIONARY_URL,
  contentTypeFor,
  isAllowedRequestUrl,
  mayGrantPermission,
  permissionCheckAsk,
  permissionRequestAsk,
  mayNavigate,
  resolveAppPath,
} from './security';

const log = createLogger((line) => process.stderr.write(`${line}\n`));
const vault = new Vault();
// The session audit, also appended to the hash-chained log in the app's data folder, where the signing ledger is
// (output/audit-chain.ts): signing is refused while that log cannot be written.
const audit = new AuditLog(undefined, new AuditChain<AuditEvent>(join(app.getPath('userData'), AUDIT_LOG_NAME)), (e) => log.error('audit log not written; signing is refused until it is', e.message));
// As many signing threads as a request uses (OFFLINE_SIGNER_THREADS), started ahead of the operator's "Sign".
const signingSpares = new SpareThreads(spareThreadCount());
const demoStart = demoMode(process.argv, app.isPackaged);
const demo = demoStart === 'on';

installFatalHandlers(process, {
  log,
  lockAll: () => vault.lockAll(),
  notify: (title, message) => {
    if (app.isReady()) dialog.showErrorBox(title, message);
  },
  exit: (code) => app.exit(code),
});

// A second copy would hold a second vault; it quits and the first window is focused (see 'second-instance').
const primaryInstance = app.requestSingleInstanceLock();
if (!primaryInstance) app.quit();

// ==== SECURITY SETUP: do not change without review ==========================================================
// ARCHITECTURE "No network, in layers" 2, 3, 4 and 5. Every line here closes one path to the network or out of
// the sandbox; the decisions are in ./security.ts (unit-tested), this block only applies them.

// Layer 2: Chromium switches must be appended before `ready`.
for (const [name, value] of CHROMIUM_SWITCHES) {
  if (value === undefined) app.commandLine.appendSwitch(name);
  else app.commandLine.appendSwitch(name, value);
}

// The renderer is served from app://signer, never file:// (file:// pages can read other local files and share
// one origin). Privileged = standard (real origin, relative URLs), secure (like https: for web APIs such as
// getUserMedia), no fetch API access to the scheme from other schemes, no service workers, no CORS bypass.
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: false, corsEnabled: false, allowServiceWorkers: false, bypassCSP: false, stream: false } },
]);

function hardenSession(): void {
  const ses = session.defaultSession;
  const rendererRoot = join(app.getAppPath(), 'build', 'out', 'renderer');

  // Layer 4: the bundle, with the CSP as a response header on every file. Paths outside the bundle are refused.
  protocol.handle(APP_SCHEME, async (request) => {
    const file = resolveAppPath(rendererRoot, request.url);
    if (file === null) return new Response('not found', { status: 404, headers: { 'Content-Security-Policy': CSP } });
    try {
      const body = await readFile(file);
      return new Response(body, {
        status: 200,
        headers: {
          'Content-Type': contentTypeFor(file) ?? 'application/octet-stream',
          'Content-Security-Policy': CSP,
          'X-Content-Type-Options': 'nosniff',
          'Cross-Origin-Opener-Policy': 'same-origin',
          'Referrer-Policy': 'no-referrer',
        },
      });
    } catch {
      return new Response('not found', { status: 404, headers: { 'Content-Security-Policy': CSP } });
    }
  });

  // Layer 3: only app://, data: and blob: may load; everything else is cancelled before it leaves.
  ses.webRequest.onBeforeRequest((details, callback) => {
    const allowed = isAllowedRequestUrl(details.url);
    if (!allowed) log.warn('blocked request', details.resourceType, details.url.slice(0, 200));
    callback({ cancel: !allowed });
  });
  ses.setSpellCheckerEnabled(false);
  ses.setSpellCheckerDictionaryDownloadURL(DEAD_DICTIONARY_URL);
  ses.setProxy({ proxyRules: '127.0.0.1:9', proxyBypassRules: '<-loopback>' }).catch((e: unknown) => log.error('setProxy failed', e));

  // Layer 5: permissions. Only camera video for the app's own main frame (QR scanning).
  ses.setPermissionRequestHandler((_wc, permission, callback, details) => {
    const mediaTypes = 'mediaTypes' in details ? details.mediaTypes : undefined;
    callback(mayGrantPermission(permissionRequestAsk(permission, { requestingUrl: details.requestingUrl, isMainFrame: details.isMainFrame, ...(mediaTypes ? { mediaTypes } : {}) })));
  });
  ses.setPermissionCheckHandler((_wc, permission, requestingOrigin, details) => mayGrantPermission(permissionCheckAsk(permission, requestingOrigin, details)));
  ses.setDevicePermissionHandler(() => false);
  ses.setDisplayMediaRequestHandler((_request, callback) => callback(null));
}

/** Every web contents (the window, and anything that might try to appear): no navigation, windows or webviews. */
function hardenContents(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    if (!mayNavigate(url)) event.preventDefault();
  });
  contents.on('will-frame-navigate', (event) => {
    if (!mayNavigate(event.url)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.setWebRTCIPHandlingPolicy('disable_non_proxied_udp');
}
app.on('web-contents-created', (_event, contents) => hardenContents(contents));

// The default menu's Help entries open web pages; the app's menu has editing and window roles only.
function installMenu(): void {
  const template: MenuItemConstructorOptions[] = [
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
    { role: 'editMenu' },
    { role: 'windowMenu' },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

// No shell.openExternal anywhere (test/unit/shell/security.spec.ts scans the source): nothing opens a browser.
// Overwriting it at run time was considered and dropped: Electron's module objects are not ours to patch.

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1100,
    height: 800,
    show: false,
    title: demo ? 'Offline Signer — DEMO (testnet)' : 'Offline Signer',
    webPreferences: {
      preload: join(app.getAppPath(), 'build', 'out', 'main', 'preload.cjs'),
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      safeDialogs: true,
      // Middle-click (auxclick) can open links in new windows; navigation is refused anyway, this removes the path.
      disableBlinkFeatures: 'Auxclick',
      devTools: !app.isPackaged,
    },
  });
  win.once('ready-to-show', () => win.show());
  void win.loadURL(APP_ENTRY);
  return win;
}
// ==== END SECURITY SETUP ====================================================================================

const dialogs = (getWindow: () => BrowserWindow | null): Dialogs => ({
  async chooseKeyFile() {
    const win = getWindow();
    const options = {
      title: 'Open a BitGo key file',
      properties: ['openFile' as const],
      filters: [{ name: 'Key file (JSON)', extensions: ['json'] }, { name: 'All files', extensions: ['*'] }],
    };
    const result = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
    return result.canceled ? null : (result.filePaths[0] ?? null);
  },
});

let mainWindow: BrowserWindow | null = null;

/** Main -> renderer events. Only the app's own page receives them: webContents.send goes to its main frame. */
const sendToWindow: Emit = (channel, payload) => {
  if (mainWindow && !mainWindow.isDestroyed()) mainWindow.webContents.send(channel, payload);
};

function wireIpc(): void {
  const handlers = createHandlers({
    version: app.getVersion(),
    demo,
    vault,
    audit,
    dialogs: dialogs(() => mainWindow),
    airGap: () => checkAirGap(networkInterfaces() as InterfaceTable),
    emit: sendToWindow,
    ledgerPath: join(app.getPath('userData'), 'signing-ledger.json'),
    signingSpares,
  });
  const router = createRouter(handlers, {
    appOrigin: APP_ORIGIN,
    onRefused: (channel, code) => log.warn('ipc refused', channel, code),
    onInternalError: (channel, error) => log.error('ipc handler failed', channel, error),
  });
  for (const channel of router.channels) {
    ipcMain.handle(channel, (event, payload: unknown) => {
      const frame = event.senderFrame;
      return router.handle({
        channel,
        senderUrl: frame?.url ?? '',
        isTopFrame: frame !== null && frame === event.sender.mainFrame,
        payload,
      });
    });
  }
}

app.on('second-instance', () => {
  if (!mainWindow) return;
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.focus();
});

// Keys must not outlive the operator's attention: lock everything when the screen locks or the machine sleeps.
function lockOnAway(): void {
  powerMonitor.on('lock-screen', () => vault.lockAll());
  powerMonitor.on('suspend', () => vault.lockAll());
}

void app.whenReady().then(() => {
  if (!primaryInstance) return;
  if (demoStart === 'refused') {
    log.error(DEMO_REFUSED_MESSAGE);
    dialog.showErrorBox('Offline Signer', DEMO_REFUSED_MESSAGE);
    app.exit(2);
    return;
  }
  hardenSession();
  installMenu();
  wireIpc();
  lockOnAway();
  const airGap = checkAirGap(networkInterfaces() as InterfaceTable);
  audit.record(airGap.ok ? { type: 'session-started', demo } : { type: 'session-started', demo, airGapWarning: airGap.advice });
  if (!airGap.ok) log.warn('air-gap check: network interfaces up:', airGap.interfaces.map((i) => `${i.name}/${i.family}`).join(', '));
  if (demo) log.info('demo mode: testnet test keys with published passphrases');
  mainWindow = createWindow();
  // The review thread and its curve threads start and warm up while the operator opens the key store, so the
  // first import does not pay for it (workflow/review-thread.ts). Public data only; never throws.
  void warmReviewThread();
  // Signing threads start too, holding no key until a request takes them (parallel/spare-threads.ts).
  signingSpares.fill();
  const stopEvents = forwardVaultEvents(vault, sendToWindow);
  mainWindow.on('closed', () => {
    mainWindow = null;
    stopEvents();
    vault.lockAll();
  });
});

app.on('window-all-closed', () => {
  vault.lockAll();
  app.quit();
});
