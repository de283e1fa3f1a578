// The boundaries of the architecture are enforced by lint and the types by tsc; both are part of `npm test`
// so a boundary violation fails CI like any other test.
import { test, expect } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../../..');
const bin = (name: string) => path.join(root, 'node_modules', '.bin', name);

function run(cmd: string, args: string[]): { ok: boolean; output: string } {
  try {
    const output = execFileSync(cmd, args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return { ok: true, output };
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string };
    return { ok: false, output: `${err.stdout ?? ''}${err.stderr ?? ''}` };
  }
}

test.describe.configure({ mode: 'parallel' });

test('typecheck: tsc --noEmit over electron, renderer, shared, test, build', () => {
  test.setTimeout(240_000);
  const r = run(bin('tsc'), ['-p', 'tsconfig.json', '--noEmit']);
  expect(r.output).toBe('');
  expect(r.ok).toBe(true);
});

test('lint: boundaries (no network modules, electron only in the shell, renderer isolated)', () => {
  test.setTimeout(240_000);
  const r = run(bin('eslint'), ['-c', 'build/eslint.config.js', '--max-warnings', '0', '.']);
  expect(r.output.trim()).toBe('');
  expect(r.ok).toBe(true);
});
