// Only renderer/api.ts touches `window.signer` (README "Layout"):
// every other renderer or shared module goes through api.ts, so the bridge has one place to audit and to mock.
// A lint rule on `window.signer` alone would miss `(window as any).signer`, `globalThis['signer']` or
// `const { signer } = window`; this test reads the TypeScript syntax tree of every file instead.
import { test, expect } from '@playwright/test';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import ts from 'typescript';
import { REPO_ROOT } from '../../../build/scripts/build.mjs';

const ALLOWED_FILE = 'renderer/api.ts';
const SCANNED_DIRS = ['renderer', 'shared'];
const GLOBAL_OBJECTS = new Set(['window', 'globalThis', 'self', 'top', 'parent', 'frames']);

/** Strips the wrappers that do not change which object is meant: (x), x as T, x!, <T>x, x satisfies T. */
function unwrap(node: ts.Expression): ts.Expression {
  let n = node;
  while (ts.isParenthesizedExpression(n) || ts.isAsExpression(n) || ts.isNonNullExpression(n) || ts.isTypeAssertionExpression(n) || ts.isSatisfiesExpression(n)) {
    n = n.expression;
  }
  return n;
}

function isGlobalObject(node: ts.Expression): boolean {
  const n = unwrap(node);
  if (ts.isIdentifier(n)) return GLOBAL_OBJECTS.has(n.text);
  // window.window.signer, globalThis.window.signer
  if (ts.isPropertyAccessExpression(n)) return GLOBAL_OBJECTS.has(n.name.text) && isGlobalObject(n.expression);
  return false;
}

function isSignerKey(node: ts.Node | undefined): boolean {
  if (node === undefined) return false;
  if (ts.isComputedPropertyName(node)) return isSignerKey(node.expression);
  return (ts.isIdentifier(node) || ts.isStringLiteralLike(node)) && node.text === 'signer';
}

/** Every place in `source` that reads `signer` off a global object, as "line:column code". */
export function signerAccesses(fileName: string, source: string): string[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, fileName.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const found: string[] = [];
  const report = (node: ts.Node) => {
    const { line, character } = file.getLineAndCharacterOfPosition(node.getStart(file));
    found.push(`${line + 1}:${character + 1} ${node.getText(file)}`);
  };
  const visit = (node: ts.Node): void => {
    if (ts.isPropertyAccessExpression(node) && node.name.text === 'signer' && isGlobalObject(node.expression)) report(node);
    else if (ts.isElementAccessExpression(node) && isSignerKey(node.argumentExpression) && isGlobalObject(node.expression)) report(node);
    else if (ts.isVariableDeclaration(node) && node.initializer && ts.isObjectBindingPattern(node.name) && isGlobalObject(node.initializer)) {
      for (const el of node.name.elements) if (isSignerKey(el.propertyName ?? el.name)) report(el);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx|mts|cts)$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

test('window.signer is read only in renderer/api.ts', () => {
  const files = SCANNED_DIRS.flatMap((d) => sourceFiles(join(REPO_ROOT, d)));
  expect(files.length).toBeGreaterThan(5);
  const offenders: string[] = [];
  let allowedUses = 0;
  for (const path of files) {
    const rel = relative(REPO_ROOT, path).split(sep).join('/');
    const uses = signerAccesses(rel, readFileSync(path, 'utf8'));
    if (rel === ALLOWED_FILE) allowedUses = uses.length;
    else offenders.push(...uses.map((u) => `${rel}:${u}`));
  }
  expect(offenders).toEqual([]);
  // api.ts does use it: if it stopped, this check would be guarding nothing.
  expect(allowedUses).toBeGreaterThan(0);
});

test('the detector sees every way of reaching it', () => {
  const hostile = [
    'window.signer.status();',
    '(window as any).signer.status();',
    '(window as unknown as { signer: unknown }).signer;',
    "globalThis['signer'];",
    'self.signer;',
    'window!.signer;',
    'window.window.signer;',
    'const { signer } = window;',
    'const { signer: s } = globalThis as any;',
    "const { ['signer']: t } = window;",
  ];
  for (const code of hostile) expect(signerAccesses('x.ts', code), code).toHaveLength(1);
  const harmless = ['const signer = makeSigner();', 'api.signer;', 'window.signerInfo;', "contextBridge.exposeInMainWorld('signer', api);", 'const { other } = window;'];
  for (const code of harmless) expect(signerAccesses('x.ts', code), code).toEqual([]);
});
