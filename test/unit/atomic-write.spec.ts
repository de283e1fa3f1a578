import { test, expect } from '@playwright/test';
import * as realFs from 'node:fs';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AtomicFs, writeFileAtomic } from '../../electron/output/atomic-write';

const fresh = () => mkdtempSync(join(tmpdir(), 'atomic-'));
const errno = (code: string) => Object.assign(new Error(`${code}: simulated`), { code });
/** node:fs with some calls replaced: a FAT drive, a race or a failure, played on the real folder. */
const fsWith = (over: Partial<AtomicFs>): AtomicFs => ({ ...realFs, ...over });
const refuseLink = (code = 'EPERM') => fsWith({ linkSync: () => { throw errno(code); } });

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
        linkSync: () => {
          throw errno(code);
        },
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
      writeFileAtomic(target, 'new', { fs: refuseLink() });
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
    const fs = fsWith({
      linkSync: () => {
        throw errno('EPERM');
      },
      openSync: ((p: string, flags: string, mode?: number) => {
        if (p === target) writeFileSync(target, 'theirs'); // another program, just before our reservation
        return realFs.openSync(p, flags, mode);
      }) as AtomicFs['openSync'],
    });
    expect(() => writeFileAtomic(target, 'ours', { fs })).toThrow(expect.objectContaining({ code: 'output_exists' }));
    expect(readFileSync(target, 'utf8')).toBe('theirs');
    expect(readdirSync(dir)).toEqual(['signed.json']);
  });

  test('a program that writes into the reservation before the rename (without O_EXCL) keeps its bytes', () => {
    const dir = fresh();
    const target = join(dir, 'signed.json');
    const fs = fsWith({
      linkSync: () => {
        throw errno('EPERM');
      },
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
      linkSync: () => {
        throw errno('EPERM');
      },
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
      linkSync: () => {
        throw errno('EPERM');
      },
      openSync: ((p: string, flags: string, mode?: number) => {
        if (p === target) throw errno('EACCES');
        return realFs.openSync(p, flags, mode);
      }) as AtomicFs['openSync'],
    });
    expect(() => writeFileAtomic(target, 'x', { fs })).toThrow(expect.objectContaining({ code: 'output_write_failed', message: expect.stringMatching(/permission denied \(is the drive read-only\?\)/) }));
    expect(readdirSync(dir)).toEqual([]);
  });

  test('other link() failures are reported as before, with no reservation tried', () => {
    const dir = fresh();
    const target = join(dir, 'x.json');
    const fs = fsWith({
      linkSync: () => {
        throw errno('EIO');
      },
      openSync: ((p: string, flags: string, mode?: number) => {
        if (p === target) throw new Error('no reservation may be tried');
        return realFs.openSync(p, flags, mode);
      }) as AtomicFs['openSync'],
    });
    expect(() => writeFileAtomic(target, 'x', { fs })).toThrow(expect.objectContaining({ code: 'output_write_failed', message: expect.stringMatching(/input\/output error/) }));
    expect(readdirSync(dir)).toEqual([]);
  });

  test('an empty file under the final name (what a power cut between reservation and rename leaves) is untouched, and the error says it is empty', () => {
    const dir = fresh();
    const target = join(dir, 'x.signed.json');
    writeFileSync(target, '');
    expect(() => writeFileAtomic(target, 'x', { fs: refuseLink() })).toThrow(expect.objectContaining({ code: 'output_exists', message: expect.stringMatching(/already exists \(it is empty: if an earlier write to it was interrupted, remove it and write again\)/) }));
    expect(readFileSync(target, 'utf8')).toBe('');
    expect(readdirSync(dir)).toEqual(['x.signed.json']);
  });
});
