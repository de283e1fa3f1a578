// Fatal errors in one place (Signal Desktop's global_errors.main.ts): main.ts hooks the process events here.
// An uncaught exception in the process that holds keys leaves it in an unknown state, so the policy is: log it
// (redacted), lock every wallet, tell the operator in one sentence, and exit. Rejections are treated the same.
import type { Logger } from './log';

export interface FatalDeps {
  log: Logger;
  /** Wipes keys: Vault.lockAll. Must not throw (errors are swallowed: exiting matters more). */
  lockAll: () => void;
  /** Shows the operator a message (dialog.showErrorBox in main) before exiting. */
  notify: (title: string, message: string) => void;
  exit: (code: number) => void;
}

/** The part of `process` we hook; an EventEmitter in tests. */
export interface ProcessEvents {
  on(event: 'uncaughtException', listener: (error: unknown) => void): unknown;
  on(event: 'unhandledRejection', listener: (reason: unknown) => void): unknown;
}

export function handleFatal(deps: FatalDeps, kind: string, error: unknown): void {
  try {
    deps.log.error(`fatal ${kind}:`, error);
  } catch {
    // logging must not stop the shutdown
  }
  try {
    deps.lockAll();
  } catch {
    // keep going: exiting drops the keys anyway
  }
  try {
    deps.notify(
      'Offline Signer stopped',
      'An unexpected error stopped the signer. All wallets were locked and nothing was signed or written after the error. Restart the app; if this repeats, keep the log for support.',
    );
  } catch {
    // no UI available (e.g. before ready)
  }
  deps.exit(1);
}

export function installFatalHandlers(proc: ProcessEvents, deps: FatalDeps): void {
  let handled = false;
  const once = (kind: string) => (error: unknown) => {
    if (handled) return;
    handled = true;
    handleFatal(deps, kind, error);
  };
  proc.on('uncaughtException', once('uncaught exception'));
  proc.on('unhandledRejection', once('unhandled rejection'));
}
