// Pieces shared by the key ceremony's forms (renderer/KeyCeremony.tsx and the forms split from it): main's progress
// line and the drive picker (the listed drives, the one chosen, a Refresh button).
import { useEffect, useState } from 'react';
import type { CeremonyProgressEvent, DriveView } from '../shared/contract';
import { api } from './api';
import type { useMain } from './useMain';

export function Progress({ progress }: { progress: CeremonyProgressEvent | null }) {
  if (!progress) return null;
  return (
    <p role="status" aria-live="polite">
      <progress max={progress.total} value={progress.done} aria-label="Key ceremony progress" /> {progress.step}
    </p>
  );
}

/** The listed drives and the one chosen, with a Refresh button (the export and re-encrypt forms). */
export function useDrives(run: ReturnType<typeof useMain>['run']) {
  const [drives, setDrives] = useState<DriveView[] | null>(null);
  const [driveId, setDriveId] = useState('');
  const refresh = () =>
    run(async () => {
      const list = await api.listDrives();
      setDrives(list);
      setDriveId((d) => (list.some((x) => x.id === d) ? d : (list[0]?.id ?? '')));
    });
  useEffect(() => {
    void refresh();
  }, []);
  return { drives, driveId, setDriveId, refresh };
}

export function DriveSelect({ id, label, busy, state }: { id: string; label: string; busy: boolean; state: ReturnType<typeof useDrives> }) {
  const { drives, driveId, setDriveId, refresh } = state;
  return (
    <>
      <label htmlFor={id}>{label}</label>
      <div className="actions">
        <select id={id} value={driveId} onChange={(e) => setDriveId(e.target.value)} disabled={busy || !drives?.length}>
          {drives?.length ? (
            drives.map((d) => (
              <option key={d.id} value={d.id}>
                {d.label}
              </option>
            ))
          ) : (
            <option value="">No drive found: plug one in</option>
          )}
        </select>
        <button type="button" className="secondary" onClick={() => void refresh()} disabled={busy}>
          Refresh drives
        </button>
      </div>
    </>
  );
}
