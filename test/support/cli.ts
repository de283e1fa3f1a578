// Runs the real command-line signer in a child process, the way an operator or a script does: the
// `offline-signer` bin, which runs the built command line (build/out/cli; the global setup rebuilds it when stale).
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const bin = fileURLToPath(new URL('../../build/bin/offline-signer.cjs', import.meta.url));
/** The bin's line when it runs the sources instead of the build (build/bin/offline-signer.cjs). */
export const SOURCES_FALLBACK = /^offline-signer: the built command line \(build\/out\/cli\) (.+); running the TypeScript sources through tsx instead/m;

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
  json: () => unknown;
}

/**
 * `offline-signer <args>` with exactly the given environment additions (PATH/HOME kept, no WALLET_* leaks in). A
 * `sign` run that names no --ledger gets its own empty one in a temporary folder, so runs never see each other's
 * signatures (and nothing is written beside the fixtures' key file); likewise its kept MuSig2 nonces without
 * --nonces and its audit log without --audit-log. `defaultLedger` runs it as an operator would, with all three
 * beside the key file.
 */
export function runCliProcess(args: string[], env: Record<string, string> = {}, input?: string, { defaultLedger = false } = {}): CliRun {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('WALLET_')));
  const ledger = args[0] === 'sign' && !defaultLedger && !args.includes('--ledger') && !args.includes('--help') ? ['--ledger', join(mkdtempSync(join(tmpdir(), 'cli-ledger-')), 'ledger.json')] : [];
  // Likewise the kept MuSig2 nonces: never beside the fixtures' key file.
  const nonces = args[0] === 'sign' && !defaultLedger && !args.includes('--nonces') && !args.includes('--help') ? ['--nonces', join(mkdtempSync(join(tmpdir(), 'cli-nonces-')), 'nonces.json')] : [];
  // And the audit log (keys.audit-log.jsonl beside the key file by default).
  const audit = args[0] === 'sign' && !defaultLedger && !args.includes('--audit-log') && !args.includes('--help') ? ['--audit-log', join(mkdtempSync(join(tmpdir(), 'cli-audit-')), 'audit-log.jsonl')] : [];
  const r = spawnSync(process.execPath, [bin, ...args, ...ledger, ...nonces, ...audit], { cwd: repoRoot, env: { ...base, ...env }, encoding: 'utf8', input: input ?? '', timeout: 120_000 });
  // Every CLI test checks what an operator runs: the build, never the sources through tsx.
  const fallback = SOURCES_FALLBACK.exec(r.stderr ?? '');
  if (fallback) throw new Error(`the CLI tests must run the built command line, but it ${fallback[1]} (the global setup builds it: test/support/global-setup.ts)`);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, json: () => JSON.parse(r.stdout) as unknown };
}
