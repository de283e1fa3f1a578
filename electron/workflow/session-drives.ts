// The drives a session works with: the USB drives listed (ids valid until the next listing) and, in demo mode, the
// app's built-in demo requests as one more read-only drive. Mount paths stay in main; the renderer gets ids and
// labels. Split from session.ts (the request state machine), which asks this for a drive to read or write.
import { existsSync } from 'node:fs';
import type { CandidateFileView, DriveView } from '../../shared/contract';
import { SignerError } from '../../shared/errors';
import { listCandidateFiles, listDrives, readRequestFile, type DriveEnv } from '../files/drives';
import { BUILT_IN_PATH, SCANNED_PATH } from './session-parts';
import { WorkflowError } from './workflow-error';

export interface DriveRef {
  label: string;
  path: string;
  builtIn?: true;
}

export class SessionDrives {
  #drives = new Map<string, DriveRef>();

  constructor(
    private readonly env: DriveEnv,
    private readonly builtInRequests: { label: string; files: Record<string, Uint8Array> } | undefined,
  ) {}

  /** Lists the drives afresh; the ids stay valid until the next listing. */
  list(): DriveView[] {
    const drives = listDrives(this.env);
    this.#drives = new Map(drives.map((d) => [d.id, { label: d.label, path: d.path }]));
    const views: DriveView[] = drives.map((d) => ({ id: d.id, label: d.label }));
    // The demo's own requests come last, so the USB drives keep their ids whether or not the demo runs.
    const builtIn = this.builtInRequests;
    if (builtIn) {
      const id = `drive-${drives.length + 1}`;
      this.#drives.set(id, { label: builtIn.label, path: BUILT_IN_PATH, builtIn: true });
      views.push({ id, label: builtIn.label, builtIn: true });
    }
    return views;
  }

  /** A listed USB drive that is still connected: where a file is read or written (the built-in one is refused). */
  writable(driveId: string): { label: string; path: string } {
    const d = this.listed(driveId);
    if (d.builtIn) throw new WorkflowError(`"${d.label}" holds the app's built-in demo requests; nothing can be written there: choose a USB drive`, 'drive_built_in_read_only');
    if (!existsSync(d.path)) throw new WorkflowError(`drive "${d.label}" is no longer connected; plug it in again and refresh the list of drives`, 'drive_missing');
    return d;
  }

  /** A drive of the current listing, USB or built in (which `writable` refuses wherever a file would be written). */
  listed(driveId: string): DriveRef {
    const d = this.#drives.get(driveId);
    if (!d) throw new WorkflowError(`drive ${driveId} is not in the current drive list; refresh the list of drives`, 'drive_unknown');
    return d;
  }

  /** The built-in demo request `file`, as bytes (the same check of the name as a USB drive's file gets). */
  builtInFile(file: string): Uint8Array {
    const files = this.builtInRequests?.files ?? {};
    if (!Object.hasOwn(files, file)) throw new WorkflowError(`${file.slice(0, 200)} is not one of the built-in demo requests`, 'file_missing');
    return files[file]!;
  }

  files(driveId: string): CandidateFileView[] {
    const d = this.listed(driveId);
    if (d.builtIn) return Object.entries(this.builtInRequests?.files ?? {}).map(([name, bytes]) => ({ name, size: bytes.length }));
    return listCandidateFiles(this.writable(driveId).path).map((f) => ({ name: f.name, size: f.size, ...(f.problem ? { problem: f.problem } : {}) }));
  }
}

/** A request file's sidecar token ("<name>.jwt" beside it on the drive), when there is one. */
export function sidecarJwt(drive: { path: string }, file: string): string | undefined {
  // A scanned request has no drive, and the demo's built-in requests have no sidecars.
  if (drive.path === SCANNED_PATH || drive.path === BUILT_IN_PATH) return undefined;
  try {
    return new TextDecoder().decode(readRequestFile(drive.path, `${file}.jwt`));
  } catch (e) {
    if (e instanceof SignerError && e.code === 'file_missing') return undefined;
    throw e;
  }
}
