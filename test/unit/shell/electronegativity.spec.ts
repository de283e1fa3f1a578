// The Electronegativity gate (README "What `npm test` runs"): Doyensec's scanner runs on the SOURCE of the app
// (electron/, renderer/ and shared/, scanned together so its global checks see main's handlers and the
// renderer's pages at once; never the bundle) and the test fails on any MEDIUM or higher finding that is not in
// the short allow-list below. Each allow-list entry names the check, the file, and why it is a false positive;
// where the scanner cannot see a protection, the test checks that protection itself instead.
import { test, expect } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../../../build/scripts/build.mjs';
import { CSP } from '../../../shared/csp';

const SCAN = join(REPO_ROOT, 'test', 'support', 'electronegativity-scan.mjs');
const SOURCE_DIRS = ['electron', 'renderer', 'shared'];
const ELECTRON_VERSION = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { devDependencies: { electron: string } })
  .devDependencies.electron;

interface Finding {
  id: string;
  severity: string;
  severityValue: number;
  confidence: string;
  file: string;
  line: number;
  column: number;
  manualReview: boolean;
  description: string;
}
interface Report {
  globalChecks: number;
  atomicChecks: number;
  errors: Array<{ file: string; message: string; tolerable: boolean }>;
  issues: Finding[];
  severities: Record<string, number>;
}

/**
 * The allow-list. Keep it short; every entry must still match a finding (a stale entry fails the test).
 * `file` is the path relative to the scanned tree, or 'N/A' for the scanner's whole-app (global) checks.
 */
const ALLOWED: ReadonlyArray<{ id: string; file: string; why: string }> = [
  {
    id: 'CSP_GLOBAL_CHECK',
    file: 'N/A',
    why:
      "Reports 'no CSP' because it only recognises a CSP in <meta> tags or in session.webRequest.onHeadersReceived " +
      "responseHeaders. Ours is sent as a response header by the app:// protocol handler (protocol.handle returning " +
      "new Response(..., { headers: { 'Content-Security-Policy': CSP } })), which it does not parse. The test " +
      "'the CSP the scanner cannot see' below checks the header is set on every response and evaluates the policy.",
  },
  {
    id: 'PRELOAD_JS_CHECK',
    file: 'electron/main.ts',
    why:
      'A manual-review reminder raised for any `preload:` option. Reviewed: the preload (electron/preload.ts) exposes ' +
      'only the frozen object built by shared/bridge.ts from the contract, one function per contract channel, and ' +
      'never ipcRenderer or any Electron object; the router checks the sender before the payload.',
  },
];

function scan(folder: string): Report {
  const out = join(folder, '..', 'electronegativity.json');
  const r = spawnSync(process.execPath, [SCAN, folder, out, ELECTRON_VERSION], { encoding: 'utf8', timeout: 120_000 });
  expect(r.status, `scanner failed: ${r.stderr}`).toBe(0);
  return JSON.parse(readFileSync(out, 'utf8')) as Report;
}

/** A copy of the app's source folders only (no tests, build output or node_modules) in a fresh temp dir. */
function copySource(): { root: string; tree: string } {
  const root = mkdtempSync(join(tmpdir(), 'offline-signer-electronegativity-'));
  const tree = join(root, 'src');
  mkdirSync(tree);
  for (const dir of SOURCE_DIRS) cpSync(join(REPO_ROOT, dir), join(tree, dir), { recursive: true });
  return { root, tree };
}

function blocking(report: Report): Finding[] {
  const medium = report.severities.MEDIUM;
  expect(medium, 'the scanner names a MEDIUM severity').toBeDefined();
  return report.issues.filter((i) => i.severityValue >= (medium as number));
}

const isAllowed = (f: Finding) => ALLOWED.some((a) => a.id === f.id && a.file === f.file);
const describe = (f: Finding) => `${f.id} ${f.severity}/${f.confidence} at ${f.file}:${f.line}:${f.column}: ${f.description}`;

test('no MEDIUM or higher finding in electron/, renderer/ and shared/ outside the allow-list', () => {
  test.setTimeout(180_000);
  const { root, tree } = copySource();
  try {
    const report = scan(tree);
    // The scanner really ran its checks over our files.
    expect(report.atomicChecks).toBeGreaterThan(20);
    expect(report.globalChecks).toBeGreaterThan(2);
    expect(report.errors.filter((e) => !e.tolerable).map((e) => `${e.file}: ${e.message}`)).toEqual([]);
    const findings = blocking(report);
    expect(findings.filter((f) => !isAllowed(f)).map(describe)).toEqual([]);
    const stale = ALLOWED.filter((a) => !findings.some((f) => f.id === a.id && f.file === a.file));
    expect(stale.map((a) => `${a.id} ${a.file} no longer reported: remove it from the allow-list`)).toEqual([]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('the gate fails on a real misconfiguration (contextIsolation, sandbox and webSecurity off, remote http page)', () => {
  test.setTimeout(180_000);
  const root = mkdtempSync(join(tmpdir(), 'offline-signer-electronegativity-bad-'));
  try {
    const tree = join(root, 'src');
    mkdirSync(join(tree, 'electron'), { recursive: true });
    writeFileSync(
      join(tree, 'electron', 'main.ts'),
      [
        "import { app, BrowserWindow } from 'electron';",
        'app.whenReady().then(() => {',
        '  const win = new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false, webSecurity: false, sandbox: false } });',
        "  win.loadURL('http://example.com/');",
        '});',
        '',
      ].join('\n'),
    );
    const findings = blocking(scan(tree)).filter((f) => !isAllowed(f));
    const ids = new Set(findings.map((f) => f.id));
    for (const id of ['CONTEXT_ISOLATION_JS_CHECK', 'SANDBOX_JS_CHECK', 'WEB_SECURITY_JS_CHECK', 'HTTP_RESOURCES_JS_CHECK', 'LIMIT_NAVIGATION_GLOBAL_CHECK']) {
      expect(ids, [...ids].join(', ')).toContain(id);
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('the CSP the scanner cannot see: on every app:// response, and strict under the CSP evaluator', () => {
  const main = readFileSync(join(REPO_ROOT, 'electron', 'main.ts'), 'utf8');
  // Every Response the protocol handler builds carries the header (the allow-listed CSP_GLOBAL_CHECK).
  const responses = main.match(/new Response\(/g) ?? [];
  const withCsp = main.match(/new Response\([^;]*?'Content-Security-Policy': CSP/gs) ?? [];
  expect(responses.length).toBeGreaterThan(0);
  expect(withCsp.length).toBe(responses.length);
  // The same evaluator Electronegativity uses for a CSP it finds (Google's CSP Evaluator port), rated the way its
  // CSP_GLOBAL_CHECK rates them: a definite HIGH/MEDIUM finding would be reported, and fails here. "Maybe"
  // findings it reports as LOW; we accept exactly one, named: `script-src 'self'` "can be problematic if you host
  // JSONP, Angular or user uploaded files" - the app:// origin serves only the files of the built bundle (the
  // protocol handler's path guard), none of those.
  const scannerRequire = createRequire(createRequire(import.meta.url).resolve('@doyensec/electronegativity/package.json'));
  const csp = scannerRequire('@doyensec/csp-evaluator') as {
    CspParser: new (s: string) => { csp: unknown };
    CspEvaluator: new (c: unknown, v: unknown) => { evaluate(): Array<{ severity: number; directive: string; description: string }> };
    Version: { CSP3: unknown };
    severities: Record<string, number>;
  };
  const findings = new csp.CspEvaluator(new csp.CspParser(CSP).csp, csp.Version.CSP3).evaluate();
  const definite = [csp.severities.HIGH, csp.severities.MEDIUM];
  expect(findings.filter((f) => definite.includes(f.severity)).map((f) => `${f.directive}: ${f.description}`)).toEqual([]);
  const maybe = [csp.severities.HIGH_MAYBE, csp.severities.MEDIUM_MAYBE];
  expect(findings.filter((f) => maybe.includes(f.severity) && !(f.directive === 'script-src' && /'self'/.test(f.description))).map((f) => `${f.directive}: ${f.description}`)).toEqual([]);
  // And the policy that matters for an offline signer is there.
  for (const directive of ["connect-src 'none'", "default-src 'none'", "script-src 'self'", "frame-ancestors 'none'"]) expect(CSP).toContain(directive);
});
