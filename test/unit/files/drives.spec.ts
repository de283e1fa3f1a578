// Removable drives (electron/files/drives.ts): where drives are found, which files on them are offered, that a
// name sent back from the renderer cannot leave its drive; and the signed-file naming and read-back of
// electron/output/export.ts, on temporary folders standing in for drives.
import { test, expect } from '@playwright/test';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listCandidateFiles, listDrives, readRequestFile, resolveOnDrive } from '../../../electron/files/drives';
import { signedName, signedPathFor, writeVerified } from '../../../electron/output/export';

function fakeRoot() {
  const root = mkdtempSync(join(tmpdir(), 'drives-'));
  mkdirSync(join(root, 'media/operator/USB-A'), { recursive: true });
  mkdirSync(join(root, 'run/media/operator/KINGSTON'), { recursive: true });
  mkdirSync(join(root, 'Volumes/SIGNING'), { recursive: true });
  symlinkSync('/', join(root, 'Volumes/Macintosh HD'));
  return root;
}

test('drives are found where Linux and macOS mount removable media; the macOS boot volume is skipped', () => {
  const root = fakeRoot();
  expect(listDrives({ platform: 'linux', user: 'operator', root }).map((d) => d.label)).toEqual(['USB-A', 'KINGSTON']);
  expect(listDrives({ platform: 'darwin', user: 'operator', root }).map((d) => d.label)).toEqual(['SIGNING']);
  expect(listDrives({ platform: 'linux', user: 'nobody-here', root })).toEqual([]);
});

test('candidate files: request-like extensions, two levels deep, hidden and already-signed files left out', () => {
  const drive = mkdtempSync(join(tmpdir(), 'drive-'));
  mkdirSync(join(drive, 'batch/deeper/toodeep'), { recursive: true });
  for (const f of ['a.json', 'b.psbt', 'notes.pdf', '.hidden.json', 'a.signed.json', 'batch/c.txt', 'batch/deeper/d.json', 'batch/deeper/toodeep/e.json']) {
    writeFileSync(join(drive, f), '{}');
  }
  expect(listCandidateFiles(drive).map((c) => c.name)).toEqual(['a.json', 'b.psbt', 'batch/c.txt', 'batch/deeper/d.json']);
});

test('names sent back from the renderer cannot leave the drive', () => {
  const drive = mkdtempSync(join(tmpdir(), 'drive-'));
  const outside = mkdtempSync(join(tmpdir(), 'outside-'));
  writeFileSync(join(outside, 'secret.json'), 'x');
  symlinkSync(join(outside, 'secret.json'), join(drive, 'link.json'));
  writeFileSync(join(drive, 'ok.json'), '{"a":1}');
  expect(new TextDecoder().decode(readRequestFile(drive, 'ok.json'))).toBe('{"a":1}');
  for (const name of ['../x.json', '/etc/passwd', 'a/../../x', 'link.json', '', 'a\\..\\b']) {
    expect(() => resolveOnDrive(drive, name), name).toThrow(expect.objectContaining({ code: 'file_outside_drive' }));
  }
  expect(() => readRequestFile(drive, 'gone.json')).toThrow(expect.objectContaining({ code: 'file_missing' }));
});

test('signed outputs: naming convention, never overwrite, read-back verified', () => {
  expect(signedName('payroll-0423.json', 'json')).toBe('payroll-0423.signed.json');
  expect(signedName('vault.psbt', 'psbt')).toBe('vault.signed.psbt');
  expect(signedName('vault.b64', 'psbt')).toBe('vault.signed.b64');
  expect(signedName('request.txt', 'json')).toBe('request.signed.json');
  const drive = mkdtempSync(join(tmpdir(), 'drive-'));
  const request = join(drive, 'r.json');
  writeFileSync(request, 'request');
  const out = signedPathFor(request, 'json');
  writeVerified(out, '{"txHex":"00"}');
  expect(readFileSync(out, 'utf8')).toBe('{"txHex":"00"}');
  expect(() => writeVerified(out, '{"txHex":"11"}')).toThrow(expect.objectContaining({ code: 'output_exists' }));
  expect(readFileSync(out, 'utf8')).toBe('{"txHex":"00"}');
  expect(readFileSync(request, 'utf8')).toBe('request');
  expect(readdirSync(drive).sort()).toEqual(['r.json', 'r.signed.json']);
});
