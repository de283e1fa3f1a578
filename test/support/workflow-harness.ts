// The request workflow through the real router, handlers, vault and drives code, for Node tests: a temporary
// folder stands in for a removable drive (handlers' driveEnv.root points at it), the demo key store is open (or a
// key file the test names, opened through the stubbed file dialog), and
// `call` / `fail` go through the router exactly as a renderer's IPC would (top frame, app origin). Every response
// is kept, so a test can scan them all for secrets.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONTRACT, type InputOf, type MethodName, type OutputOf } from '../../shared/contract';
import type { ErrorData } from '../../shared/errors';
import { createHandlers, type ShellDeps } from '../../electron/ipc/handlers';
import { createRouter } from '../../electron/ipc/router';
import { Vault } from '../../electron/keystore/vault';

export const APP_ORIGIN = 'app://signer';

export interface HarnessOptions {
  /** Files on the drive, by name relative to it ("payroll/a.json" makes the folder). */
  files?: Record<string, string | Uint8Array>;
  /** The drive's label (its folder name under /media/operator). */
  label?: string;
  /** Extra handler dependencies (audit log, throttle, event sink). */
  deps?: Partial<Pick<ShellDeps, 'audit' | 'throttle' | 'emit' | 'ceremonyEnvelope' | 'vault' | 'signingSpares'>>;
  /**
   * An earlier harness's folder, to start a new session on the same data folder (a restart): its ledger and
   * stores are kept; the drive's files are written again over it.
   */
  root?: string;
  /**
   * A key file to open through the (stubbed) file dialog instead of the demo key store: the app then runs without
   * --demo, and the registry beside that file is read and written.
   */
  keyFile?: string;
}

export function workflowHarness(opts: HarnessOptions = {}) {
  const root = opts.root ?? mkdtempSync(join(tmpdir(), 'workflow-'));
  const drive = join(root, 'media', 'operator', opts.label ?? 'USB STICK');
  mkdirSync(drive, { recursive: true });
  for (const [name, content] of Object.entries(opts.files ?? {})) {
    mkdirSync(join(drive, name, '..'), { recursive: true });
    writeFileSync(join(drive, name), content);
  }
  const vault = new Vault({ idleMs: 0 });
  const handlers = createHandlers({
    version: 'test',
    demo: opts.keyFile === undefined,
    vault,
    dialogs: { chooseKeyFile: async () => opts.keyFile ?? null },
    airGap: () => ({ ok: true, interfaces: [], advice: '' }),
    driveEnv: { platform: 'linux', user: 'operator', root },
    ledgerPath: join(root, 'signing-ledger.json'),
    ...opts.deps,
  });
  const router = createRouter(handlers, { appOrigin: APP_ORIGIN });
  const responses: string[] = [];
  const raw = async (method: MethodName, payload: unknown) => {
    const r = await router.handle({ channel: CONTRACT[method].channel, senderUrl: `${APP_ORIGIN}/index.html`, isTopFrame: true, payload });
    responses.push(JSON.stringify(r));
    return r;
  };
  const call = async <M extends MethodName>(method: M, payload: InputOf<M>): Promise<OutputOf<M>> => {
    const r = await raw(method, payload);
    if (!r.ok) throw new Error(`${method} failed: ${r.error.code} ${r.error.error}`);
    return r.value as OutputOf<M>;
  };
  const fail = async <M extends MethodName>(method: M, payload: InputOf<M> | Record<string, unknown> | unknown): Promise<ErrorData> => {
    const r = await raw(method, payload);
    if (r.ok) throw new Error(`${method} should have failed`);
    return r.error;
  };
  return { root, drive, vault, raw, call, fail, responses, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}
