// Real FAT16, FAT32 and exFAT file systems, what USB sticks come formatted with: image files in a temp folder,
// made by Debian's dosfstools / exfatprogs and mounted through FUSE (fusefat, exfat-fuse), since the kernel's own
// vfat and exfat modules cannot be loaded on every test machine. Needs /dev/fuse and the packages fusefat
// exfat-fuse dosfstools exfatprogs (.ci/run installs them); exFAT also needs a loop device (losetup, as root),
// as mount.exfat-fuse only mounts block devices. `missing` says in one line what is absent, for test.skip.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { once } from 'node:events';
import { delimiter, join } from 'node:path';

export type FatKind = 'FAT16' | 'FAT32' | 'exFAT';

const TOOLS: Record<FatKind, string[]> = {
  FAT16: ['mkfs.vfat', 'fsck.vfat', 'fusefat', 'fusermount'],
  FAT32: ['mkfs.vfat', 'fsck.vfat', 'fusefat', 'fusermount'],
  exFAT: ['mkfs.exfat', 'fsck.exfat', 'mount.exfat-fuse', 'losetup', 'fusermount'],
};

/** A tool from PATH or the sbin folders (mkfs.*, fsck.* and losetup live there, and a user's PATH may lack them). */
function tool(name: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/sbin'].filter((d) => d.startsWith('/'));
  return dirs.map((d) => join(d, name)).find((p) => existsSync(p));
}

function run(name: string, args: string[]): string {
  const r = spawnSync(tool(name) ?? name, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${name} ${args.join(' ')} failed (${r.status ?? r.signal}): ${r.stderr || r.stdout || r.error?.message}`);
  return r.stdout;
}

/** Why this kind of drive cannot be mounted here, in one line; undefined when it can. */
export function missing(kind: FatKind): string | undefined {
  if (!existsSync('/dev/fuse')) return `${kind} drive tests skipped: no /dev/fuse on this machine`;
  const absent = TOOLS[kind].filter((t) => tool(t) === undefined);
  if (absent.length > 0) return `${kind} drive tests skipped: ${absent.join(', ')} not installed (apt-get install fusefat exfat-fuse dosfstools exfatprogs)`;
  if (kind === 'exFAT' && (process.getuid?.() !== 0 || !existsSync('/dev/loop-control'))) {
    return 'exFAT drive tests skipped: mount.exfat-fuse needs a loop device (root and /dev/loop-control)';
  }
  return undefined;
}

/** Whether `dir` is a mount point now (/proc/self/mountinfo, whose field 5 escapes spaces and such as \040). */
function isMounted(dir: string): boolean {
  const unescape = (s: string) => s.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
  return readFileSync('/proc/self/mountinfo', 'utf8').split('\n').some((line) => unescape(line.split(' ')[4] ?? '') === dir);
}

export interface FatDrive {
  kind: FatKind;
  /** The mounted drive's root folder. */
  dir: string;
  /** Unmounts, waiting until the driver has written everything back. Safe to call twice. */
  unmount: () => Promise<void>;
  /** fsck's read-only verdict on the image (after unmount). */
  check: () => { clean: boolean; report: string };
}

/** Makes an empty drive of this kind as an image under `root` and mounts it at `at` (made if missing). */
export async function mountDrive(kind: FatKind, root: string, at = join(root, kind)): Promise<FatDrive> {
  const image = join(root, `${kind}.img`);
  mkdirSync(at, { recursive: true });
  run('truncate', ['-s', '64M', image]);
  let loop: string | undefined;
  let daemon: ChildProcess | undefined;
  if (kind === 'exFAT') {
    run('mkfs.exfat', ['-L', 'SIGNER', image]);
    loop = run('losetup', ['-f', '--show', image]).trim();
    try {
      // A fuseblk mount: unmounting waits for the driver to write everything back (FUSE_DESTROY is synchronous).
      run('mount.exfat-fuse', [loop, at]);
    } catch (e) {
      run('losetup', ['-d', loop]);
      throw e;
    }
  } else {
    // No volume label: fusefat would list its directory entry as a file.
    run('mkfs.vfat', ['-F', kind === 'FAT16' ? '16' : '32', image]);
    // In the foreground, so that unmounting can wait for the driver to exit (a plain FUSE mount does not wait).
    daemon = spawn(tool('fusefat')!, ['-f', '-o', 'rw+', image, at], { stdio: 'ignore' });
    const exited = once(daemon, 'exit').then(() => 'exited');
    while (!isMounted(at)) {
      if ((await Promise.race([exited, new Promise((ok) => setTimeout(ok, 20))])) === 'exited') throw new Error(`fusefat could not mount the ${kind} image`);
    }
  }
  let mounted = true;
  return {
    kind,
    dir: at,
    unmount: async () => {
      if (!mounted) return;
      mounted = false;
      const r = spawnSync(tool('fusermount')!, ['-u', at], { encoding: 'utf8' });
      if (r.status !== 0) spawnSync(tool('fusermount')!, ['-u', '-z', at]);
      if (daemon && daemon.exitCode === null && daemon.signalCode === null) await once(daemon, 'exit');
      if (loop) run('losetup', ['-d', loop]);
    },
    check: () => {
      const r = spawnSync(tool(kind === 'exFAT' ? 'fsck.exfat' : 'fsck.vfat')!, ['-n', image], { encoding: 'utf8' });
      return { clean: r.status === 0, report: `${r.stdout}${r.stderr}` };
    },
  };
}
