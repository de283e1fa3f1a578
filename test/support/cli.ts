// Runs the real command-line signer in a child process, the way an operator or a script does.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const bin = fileURLToPath(new URL('../../build/bin/offline-signer.mjs', import.meta.url));

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
  json: () => unknown;
}

/** `offline-signer <args>` with exactly the given environment additions (PATH/HOME kept, no WALLET_* leaks in). */
export function runCliProcess(args: string[], env: Record<string, string> = {}, input?: string): CliRun {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('WALLET_')));
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: repoRoot, env: { ...base, ...env }, encoding: 'utf8', input: input ?? '', timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, json: () => JSON.parse(r.stdout) as unknown };
}
