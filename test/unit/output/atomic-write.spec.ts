// The atomic write (electron/output/atomic-write.ts) with injected file systems: exact bytes, never over an existing
// file, the FAT/exFAT path where link() is refused (exclusive reservation, then rename) and its races, the sweep of
// stale temp files, a writer killed mid-write, and the 255-byte name limit. The same on real FAT and exFAT images
// is atomic-write-fat.spec.ts.
import { test, expect } from '@playwright/test';
import * as realFs from 'node:fs';
import { chmodSync, linkSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AtomicFs, NAME_MAX_BYTES, STALE_TEMP_MS, writeFileAtomic } from '../../../electron/output/atomic-write';
import { repoRoot } from '../../support/cli';
import { errno, fsWith, linkRefused, onOpening, theirsAppears } from '../../support/injected-fs';

const fresh = () => mkdtempSync(join(tmpdir(), 'atomic-'));
const TEMP = /^\.offline-signer\.[0-9a-f]{12}\.partial$/;
/** Sets a file's modification time this far in the past. */
const age = (path: string, ms: number) => utimesSync(path, new Date(Date.now() - ms), new Date(Date.now() - ms));
const AN_HOUR = 3_600_000;

test('writes the exact bytes and leaves no temp file', () => {
  const dir = fresh();
  const data = new Uint8Array(300_000).map((_, i) => (i * 7) % 256);
  writeFileAtomic(join(dir, 'out.psbt'), data);
  expect(new Uint8Array(readFileSync(join(dir, 'out.psbt')))).toEqual(data);
  expect(readdirSync(dir)).toEqual(['out.psbt']);
});

test('an existing target is refused by default and left untouched', () => {
  const dir = fresh();
  const target = join(dir, 'signed.json');
  writeFileSync(target, 'original');
  expect(() => writeFileAtomic(target, 'new')).toThrow(expect.objectContaining({ code: 'output_exists' }));
  expect(readFileSync(target, 'utf8')).toBe('original');
  expect(readdirSync(dir)).toEqual(['signed.json']);
  writeFileAtomic(target, 'replaced', { overwrite: true });
  expect(readFileSync(target, 'utf8')).toBe('replaced');
  expect(readdirSync(dir)).toEqual(['signed.json']);
});

test('a missing folder (drive removed) is a clear error and nothing is left', () => {
  const dir = fresh();
  expect(() => writeFileAtomic(join(dir, 'gone', 'x.json'), 'x')).toThrow(/drive removed/);
  expect(readdirSync(dir)).toEqual([]);
});

test('a read-only folder is a clear error and nothing is left', () => {
  test.skip(process.getuid?.() === 0, 'root ignores directory permissions');
  const dir = fresh();
  chmodSync(dir, 0o500);
  try {
    expect(() => writeFileAtomic(join(dir, 'x.json'), 'x')).toThrow(expect.objectContaining({ code: 'output_write_failed' }));
    expect(readdirSync(dir)).toEqual([]);
  } finally {
    chmodSync(dir, 0o700);
  }
});

test('a failure at the final step removes the temp file (target is a folder)', () => {
  const dir = fresh();
  const target = join(dir, 'taken');
  mkdirSync(target);
  expect(() => writeFileAtomic(target, 'x', { overwrite: true })).toThrow(expect.objectContaining({ code: 'output_write_failed' }));
  expect(() => writeFileAtomic(target, 'x')).toThrow(expect.objectContaining({ code: 'output_exists' }));
  expect(readdirSync(dir)).toEqual(['taken']);
});

test.describe('where link() is refused (FAT32, exFAT): an exclusive reservation of the final name, then a rename over it', () => {
  // EPERM: Linux vfat/exfat and the FUSE drivers; ENOTSUP/EOPNOTSUPP: macOS; ENOSYS: FUSE; EISDIR: libuv on Windows.
  for (const code of ['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EISDIR']) {
    test(`link() refused with ${code}: the exact bytes, under the final name only, by reservation then rename`, () => {
      const dir = fresh();
      const target = join(dir, 'payroll.signed.json');
      const calls: string[] = [];
      const fs = fsWith({
        ...linkRefused(code),
        openSync: ((p: string, flags: string, mode?: number) => {
          calls.push(`open ${p === target ? 'target' : 'temp'} ${flags}`);
          return realFs.openSync(p, flags, mode);
        }) as AtomicFs['openSync'],
        renameSync: (from, to) => {
          calls.push(`rename ${from === target ? 'target' : 'temp'} -> ${to === target ? 'target' : 'temp'}`);
          realFs.renameSync(from, to);
        },
      });
      const data = Buffer.from('{"txHex":"70736274ff"}\n');
      writeFileAtomic(target, data, { fs });
      expect(readFileSync(target)).toEqual(data);
      expect(readdirSync(dir)).toEqual(['payroll.signed.json']);
      expect(calls.filter((c) => !c.startsWith('open temp r'))).toEqual(['open temp wx', 'open target wx', 'rename temp -> target']);
    });
  }

  test('an existing target is refused and left untouched, and the refused link() is not reported as a read-only drive', () => {
    const dir = fresh();
    const target = join(dir, 'signed.json');
    writeFileSync(target, 'original');
    let error: unknown;
    try {
      writeFileAtomic(target, 'new', { fs: fsWith(linkRefused()) });
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ name: 'OutputFileError', code: 'output_exists' });
    expect((error as Error).message).not.toMatch(/read-only|permission/);
    expect(readFileSync(target, 'utf8')).toBe('original');
    expect(readdirSync(dir)).toEqual(['signed.json']);
  });

  test('a file that appears under the final name while the temp file is written is never clobbered', () => {
    const dir = fresh();
    const target = join(dir, 'signed.json');
    const fs = fsWith({ ...linkRefused(), ...theirsAppears(target) });
    expect(() => writeFileAtomic(target, 'ours', { fs })).toThrow(expect.objectContaining({ code: 'output_exists' }));
    expect(readFileSync(target, 'utf8')).toBe('theirs');
    expect(readdirSync(dir)).toEqual(['signed.json']);
  });

  test('a program that writes into the reservation before the rename (without O_EXCL) keeps its bytes', () => {
    const dir = fresh();
    const target = join(dir, 'signed.json');
    const fs = fsWith({
      ...linkRefused(),
      fstatSync: ((fd: number, opts?: realFs.StatOptions) => {
        const st = realFs.fstatSync(fd, opts);
        writeFileSync(target, 'theirs'); // truncates and fills our empty reservation
        return st;
      }) as AtomicFs['fstatSync'],
    });
    expect(() => writeFileAtomic(target, 'ours', { fs })).toThrow(expect.objectContaining({ code: 'output_exists', message: expect.stringMatching(/created by something else while it was being written; it was left untouched/) }));
    expect(readFileSync(target, 'utf8')).toBe('theirs');
    expect(readdirSync(dir)).toEqual(['signed.json']);
  });

  test('a failed rename removes the empty reservation and the temp file, and says why', () => {
    const dir = fresh();
    const fs = fsWith({
      ...linkRefused(),
      renameSync: () => {
        throw errno('EIO');
      },
    });
    expect(() => writeFileAtomic(join(dir, 'x.json'), 'x', { fs })).toThrow(expect.objectContaining({ code: 'output_write_failed', message: expect.stringMatching(/input\/output error/) }));
    expect(readdirSync(dir)).toEqual([]);
  });

  test('a genuine permission error at the reservation is still reported as one', () => {
    const dir = fresh();
    const target = join(dir, 'x.json');
    const fs = fsWith({
      ...linkRefused(),
      ...onOpening(target, () => {
        throw errno('EACCES');
      }),
    });
    expect(() => writeFileAtomic(target, 'x', { fs })).toThrow(expect.objectContaining({ code: 'output_write_failed', message: expect.stringMatching(/permission denied \(is the drive read-only\?\)/) }));
    expect(readdirSync(dir)).toEqual([]);
  });

  test('other link() failures are reported as before, with no reservation tried', () => {
    const dir = fresh();
    const target = join(dir, 'x.json');
    const fs = fsWith({
      ...linkRefused('EIO'),
      ...onOpening(target, () => {
        throw new Error('no reservation may be tried');
      }),
    });
    expect(() => writeFileAtomic(target, 'x', { fs })).toThrow(expect.objectContaining({ code: 'output_write_failed', message: expect.stringMatching(/input\/output error/) }));
    expect(readdirSync(dir)).toEqual([]);
  });

  test('an empty file under the final name (what a power cut between reservation and rename leaves) is untouched, and the error says it is empty', () => {
    const dir = fresh();
    const target = join(dir, 'x.signed.json');
    writeFileSync(target, '');
    expect(() => writeFileAtomic(target, 'x', { fs: fsWith(linkRefused()) })).toThrow(expect.objectContaining({ code: 'output_exists', message: expect.stringMatching(/already exists \(it is empty: if an earlier write to it was interrupted, remove it and write again\)/) }));
    expect(readFileSync(target, 'utf8')).toBe('');
    expect(readdirSync(dir)).toEqual(['x.signed.json']);
  });
});

test.describe('stale temp files: ours, and old enough, are swept on the next write to the folder; nothing else', () => {
  test('old temp files of ours (this version\'s and the earlier `.<name>.<hex>.partial`) go; young ones and every other name stay', () => {
    const dir = fresh();
    const put = (name: string, ms = AN_HOUR) => {
      writeFileSync(join(dir, name), `bytes of ${name}`);
      age(join(dir, name), ms);
    };
    put('.offline-signer.0123456789ab.partial');
    put('.payroll-0423.signed.json.a1b2c3d4e5f6.partial');
    put('.offline-signer.fedcba987654.partial', STALE_TEMP_MS / 2); // a concurrent write's, perhaps
    const kept = [
      '.offline-signer.0123456789AB.partial',
      '.offline-signer.0123456789a.partial',
      '.offline-signer.0123456789ab.partial.bak',
      'offline-signer.0123456789ab.partial',
      '.x.partial',
      'notes.partial',
      'payroll-0423.json',
    ];
    for (const name of kept) put(name);
    mkdirSync(join(dir, '.offline-signer.aaaaaaaaaaaa.partial'));
    symlinkSync('payroll-0423.json', join(dir, '.offline-signer.bbbbbbbbbbbb.partial'));
    writeFileAtomic(join(dir, 'out.json'), 'x');
    expect(readdirSync(dir).sort()).toEqual(
      [...kept, '.offline-signer.fedcba987654.partial', '.offline-signer.aaaaaaaaaaaa.partial', '.offline-signer.bbbbbbbbbbbb.partial', 'out.json'].sort(),
    );
  });

  test('a stale temp with the same bytes as a finished file stays (on FAT both names may share clusters); a hard link or an empty one goes', () => {
    const dir = fresh();
    writeFileSync(join(dir, 'a.signed.json'), 'signed A');
    writeFileSync(join(dir, '.offline-signer.aaaaaaaaaaaa.partial'), 'signed A');
    writeFileSync(join(dir, 'b.signed.json'), 'signed B');
    linkSync(join(dir, 'b.signed.json'), join(dir, '.b.signed.json.bbbbbbbbbbbb.partial')); // crash between link and unlink
    writeFileSync(join(dir, 'empty.txt'), '');
    writeFileSync(join(dir, '.offline-signer.cccccccccccc.partial'), '');
    for (const name of readdirSync(dir)) age(join(dir, name), AN_HOUR);
    writeFileAtomic(join(dir, 'out.json'), 'x');
    expect(readdirSync(dir).sort()).toEqual(['.offline-signer.aaaaaaaaaaaa.partial', 'a.signed.json', 'b.signed.json', 'empty.txt', 'out.json']);
    expect(readFileSync(join(dir, 'b.signed.json'), 'utf8')).toBe('signed B');
  });

  test('a sweep that cannot remove (read-only drive) never fails the write', () => {
    const dir = fresh();
    writeFileSync(join(dir, '.offline-signer.0123456789ab.partial'), 'old');
    age(join(dir, '.offline-signer.0123456789ab.partial'), AN_HOUR);
    const fs = fsWith({
      unlinkSync: (p) => {
        if (String(p).endsWith('0123456789ab.partial')) throw errno('EROFS');
        realFs.unlinkSync(p);
      },
    });
    writeFileAtomic(join(dir, 'out.json'), 'x', { fs });
    expect(readdirSync(dir).sort()).toEqual(['.offline-signer.0123456789ab.partial', 'out.json']);
  });

  test('a process killed (SIGKILL) in the middle of a write leaves one short temp file, which the next write sweeps once old', () => {
    const dir = fresh();
    const longName = `${'n'.repeat(250)}.json`; // 255 bytes
    // The writer is killed by the kernel between two write() calls: no finally block, no cleanup.
    const child = `
      import * as fs from 'node:fs';
      import { writeFileAtomic } from './electron/output/atomic-write.ts';
      let calls = 0;
      const killing = { ...fs, writeSync: (fd, buf, off, len) => { if (++calls === 2) process.kill(process.pid, 'SIGKILL'); return fs.writeSync(fd, buf, off, Math.min(len, 1000)); } };
      writeFileAtomic(${JSON.stringify(join(dir, longName))}, Buffer.alloc(5000, 65), { fs: killing });
    `;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', child], { cwd: repoRoot, encoding: 'utf8' });
    expect(r.signal, r.stderr).toBe('SIGKILL');
    const left = readdirSync(dir);
    expect(left).toHaveLength(1);
    expect(left[0]).toMatch(TEMP); // 37 characters whatever the output's name
    expect(readFileSync(join(dir, left[0]!))).toEqual(Buffer.alloc(1000, 65));
    writeFileAtomic(join(dir, 'next.json'), 'x');
    expect(readdirSync(dir).sort(), 'a young temp may be a running write: kept').toEqual([left[0], 'next.json']);
    age(join(dir, left[0]!), STALE_TEMP_MS + 60_000);
    writeFileAtomic(join(dir, 'later.json'), 'x');
    expect(readdirSync(dir).sort()).toEqual(['later.json', 'next.json']);
    writeFileAtomic(join(dir, longName), 'the long name, now that its temp no longer grows with it');
  });
});

test.describe('long names', () => {
  test('names of 242 to 255 bytes are written (the temp name is short and fixed)', () => {
    const dir = fresh();
    for (const len of [242, 250, NAME_MAX_BYTES]) {
      const name = `${'n'.repeat(len - 5)}.json`;
      writeFileAtomic(join(dir, name), `${len}`);
      expect(readFileSync(join(dir, name), 'utf8')).toBe(`${len}`);
    }
    expect(readdirSync(dir)).toHaveLength(3);
  });

  test('a longer name is refused with output_name_too_long before the drive is touched', () => {
    const dir = fresh();
    writeFileSync(join(dir, '.offline-signer.0123456789ab.partial'), 'old');
    age(join(dir, '.offline-signer.0123456789ab.partial'), AN_HOUR);
    for (const name of [`${'n'.repeat(251)}.json`, 'é'.repeat(128)]) {
      const path = join(dir, name);
      let error: unknown;
      try {
        writeFileAtomic(path, 'x');
      } catch (e) {
        error = e;
      }
      expect(error).toMatchObject({ name: 'OutputFileError', code: 'output_name_too_long' });
      expect((error as Error).message).toBe(`could not write ${path}: its name is 256 bytes long (UTF-8), and file systems allow at most 255; nothing was written (choose a shorter name)`);
    }
    expect(readdirSync(dir), 'not even the sweep ran').toEqual(['.offline-signer.0123456789ab.partial']);
  });

  test('a file system that refuses a shorter name (ENAMETOOLONG) gets the same code, and the temp file is removed', () => {
    const dir = fresh();
    const target = join(dir, 'x.json');
    const fs = fsWith(linkRefused('ENAMETOOLONG'));
    expect(() => writeFileAtomic(target, 'x', { fs })).toThrow(
      expect.objectContaining({ code: 'output_name_too_long', message: expect.stringMatching(/^could not write .*x\.json: the file system refused the name as too long \(6 bytes; the whole path is \d+\)/) }),
    );
    expect(readdirSync(dir)).toEqual([]);
  });
});
