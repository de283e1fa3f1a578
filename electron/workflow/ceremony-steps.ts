// What every ceremony step in the app does the same way (electron/workflow/ceremony-desk.ts and the desks split
// from it): files onto a listed drive, new and atomic (electron/ceremony/files.ts), a failure naming the file on
// its drive rather than the drive's mount path; and one `ceremony-step` audit entry per step, done or failed with
// its error code. Never a secret in either.
import { join } from 'node:path';
import type { EnvelopeChoice } from '../ceremony/create';
import { writeNewFile } from '../ceremony/files';
import { fileFact, type CeremonyStepEvent } from '../ceremony/journal';
import type { AuditLog } from './audit';
import { redactPath, type DriveRef } from './drive-writes';

/** What every ceremony desk is given (workflow/ceremony-desk.ts and the desks split from it). */
export interface DeskBaseDeps {
  audit: AuditLog;
  drive: (driveId: string) => DriveRef;
  /** Told before each slow step; the handler forwards it as the ceremonyProgress event. */
  progress?: (p: { step: string; done: number; total: number }) => void;
  /** v2 envelope cost; BitGo's defaults unless a test makes it cheaper. */
  envelope?: EnvelopeChoice;
  now?: () => Date;
}

/** The desk's clock: its `now` (tests) or the time. */
export const deskNow = (deps: DeskBaseDeps): Date => (deps.now ?? (() => new Date()))();

/** The envelope a step writes: v1 when asked, else v2 at the desk's cost (BitGo's defaults unless a test makes it cheaper). */
export function envelopeFor(version: 1 | 2, deps: DeskBaseDeps): EnvelopeChoice {
  return version === 1 ? { version: 1 } : deps.envelope?.version === 2 ? deps.envelope : { version: 2 };
}

/** Public facts of a step; `outcome` only for an answer other than done (an audit or check: match, mismatch). */
export type StepFacts = Omit<CeremonyStepEvent, 'type' | 'step' | 'outcome'> & { outcome?: 'match' | 'mismatch' };

/** A new file on the drive (mode 0600 unless said), read back; its name and sha256 for the audit. */
export function writeOnDrive(drive: DriveRef, name: string, data: string | Uint8Array, mode?: number): { name: string; sha256: string } {
  const path = join(drive.path, name);
  try {
    writeNewFile(path, data, mode);
  } catch (e) {
    throw redactPath(e, path, `${name} on drive "${drive.label}"`);
  }
  return fileFact(path, data);
}

/** A time stamp for new file names: 20261206T214500Z. */
export function fileStamp(now: Date): string {
  return now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

/**
 * Runs one step and records it: `facts(result)` for a step done, the error's code for one that failed (then
 * rethrown for the screen). `failed` adds public facts known before the failure (the label).
 */
export async function auditedStep<T>(audit: AuditLog, step: CeremonyStepEvent['step'], run: () => Promise<T>, facts: (r: T) => StepFacts, failed: StepFacts = {}): Promise<T> {
  let result: T;
  try {
    result = await run();
  } catch (e) {
    audit.record({ type: 'ceremony-step', step, outcome: 'failed', ...failed, code: (e as { code?: string }).code ?? 'internal_error' });
    throw e;
  }
  audit.record({ type: 'ceremony-step', step, outcome: 'done', ...facts(result) });
  return result;
}
