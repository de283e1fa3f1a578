// node:fs with some calls replaced, for writeFileAtomic's `fs` option: a drive without hard links, a race or a
// failure, played on a real folder (a temp folder, or a mounted FAT image).
import * as realFs from 'node:fs';
import type { AtomicFs } from '../../electron/output/atomic-write';

export const errno = (code: string): NodeJS.ErrnoException => Object.assign(new Error(`${code}: simulated`), { code });

export const fsWith = (over: Partial<AtomicFs>): AtomicFs => ({ ...realFs, ...over });

/** link() as a file system without hard links answers it (EPERM on Linux's FAT and exFAT), or failing otherwise. */
export const linkRefused = (code = 'EPERM'): Pick<AtomicFs, 'linkSync'> => ({
  linkSync: () => {
    throw errno(code);
  },
});

/** open() that first runs `before` when `target` is opened (the reservation of the final name). */
export const onOpening = (target: string, before: () => void): Pick<AtomicFs, 'openSync'> => ({
  openSync: ((path: string, flags: string, mode?: number) => {
    if (path === target) before();
    return realFs.openSync(path, flags, mode);
  }) as AtomicFs['openSync'],
});

/** Another program creating `target` just before our reservation of it. */
export const theirsAppears = (target: string) => onOpening(target, () => realFs.writeFileSync(target, 'theirs'));
