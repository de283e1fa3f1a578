// Runs Doyensec's Electronegativity (programmatic runner, dist/runner.js) on one folder and writes the findings
// as plain JSON to a file: `node electronegativity-scan.mjs <folder> <out.json> <electronVersion>`.
// Used by test/unit/shell/electronegativity.spec.ts in a child process, so the scanner's globals (it registers i18n's
// `__` on `global`) stay out of the test worker.
//
// The scanner would make two network requests of its own; both are refused here so the gate is offline and
// deterministic:
// - dist/locales/i18n.js fetches updated translations from an S3 bucket at every run (1 s timeout), then falls
//   back to the bundled en-US strings. We load `got` (its HTTP client) as a function that rejects at once, and the
//   runner takes its documented fallback.
// - AvailableSecurityFixesGlobalCheck downloads Electron's release list; the caller excludes that check (the
//   Electron version is pinned in package.json and upgraded deliberately, not by a test).
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

// The scanner is CommonJS; its modules are loaded (and its HTTP client replaced) through Node's CJS loader.
const cjsRequire = createRequire(import.meta.url);

const [folder, outFile, electronVersion] = process.argv.slice(2);
if (!folder || !outFile || !electronVersion) {
  console.error('usage: electronegativity-scan.mjs <folder> <out.json> <electronVersion>');
  process.exit(2);
}

const scannerDir = path.dirname(cjsRequire.resolve('@doyensec/electronegativity/package.json'));
const gotPath = cjsRequire.resolve('got', { paths: [path.join(scannerDir, 'dist', 'locales')] });
const refuse = () => Promise.reject(new Error('network disabled in the Electronegativity gate'));
refuse.head = refuse;
refuse.default = refuse;
cjsRequire.cache[gotPath] = { id: gotPath, filename: gotPath, loaded: true, exports: refuse };

const run = cjsRequire(path.join(scannerDir, 'dist', 'runner.js'));
const { severity, confidence } = cjsRequire(path.join(scannerDir, 'dist', 'finder', 'attributes.js'));

run(
  {
    input: path.resolve(folder),
    isRelative: true,
    customScan: [],
    excludeFromScan: ['AvailableSecurityFixesGlobalCheck'],
    electronVersionOverride: electronVersion,
    parserPlugins: [],
  },
  false,
).then(
  (result) => {
    const issues = result.issues.map((i) => ({
      id: i.id,
      severity: i.severity.name,
      severityValue: i.severity.value,
      confidence: i.confidence.name,
      file: i.file,
      line: i.location.line,
      column: i.location.column,
      manualReview: Boolean(i.manualReview),
      description: String(i.description),
    }));
    const report = {
      globalChecks: result.globalChecks,
      atomicChecks: result.atomicChecks,
      errors: result.errors.map((e) => ({ file: e.file, message: String(e.message), tolerable: Boolean(e.tolerable) })),
      issues,
      severities: Object.fromEntries(Object.entries(severity).map(([name, s]) => [name, s.value])),
      confidences: Object.fromEntries(Object.entries(confidence).map(([name, c]) => [name, c.value])),
    };
    writeFileSync(outFile, JSON.stringify(report, null, 2));
  },
  (e) => {
    console.error(`Electronegativity failed: ${e && e.message ? e.message : String(e)}`);
    process.exit(1);
  },
);
