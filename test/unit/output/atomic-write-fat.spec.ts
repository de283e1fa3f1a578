// The atomic write on real FAT16, FAT32 and exFAT file systems (image files mounted through FUSE, see
// test/support/fat-drives.ts), directly and through its callers: writeVerified, the request workflow's export and
// session summary (through the real router), and the command-line signer's --out and error files. These drives
// refuse hard links, so every write here takes the exclusive-reservation-then-rename path. Skips with one line
// where /dev/fuse or the tools are missing.
import { test, expect } from '@playwright/test';
import { linkSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { STALE_TEMP_MS, writeFileAtomic } from '../../../electron/output/atomic-write';
import { writeVerified } from '../../../electron/output/export';
import { type FatDrive, type FatKind, missing, mountDrive } from '../../support/fat-drives';
import { runCliProcess } from '../../support/cli';
import { fsWith, theirsAppears } from '../../support/injected-fs';
import { workflowHarness } from '../../support/workflow-harness';

const fixtures = fileURLToPath(new URL('../../fixtures/bitgo/', import.meta.url));
const fx = (p: string) => join(fixtures, p);
const readJson = <T>(p: string) => JSON.parse(readFileSync(fx(p), 'utf8')) as T;
const env = readJson<Record<string, string>>('env.json');
const walletA = readJson<Record<string, { walletId: string }>>('wallets.json').walletA!.walletId;
const envA = { [`WALLET_${walletA}_PASSPHRASE`]: env[`WALLET_${walletA}_PASSPHRASE`]! };

for (const kind of ['FAT16', 'FAT32', 'exFAT'] as FatKind[]) {
  test.describe(`${kind} drive`, () => {
    // One drive per group: its tests run in order in one worker, and the last one checks the image with fsck.
    test.describe.configure({ mode: 'default' });
    const reason = missing(kind);
    test.skip(reason !== undefined, reason);
    let root = '';
    let drive: FatDrive | undefined;
    /** A fresh folder on the drive, so each test sees only its own files. */
    let n = 0;
    const folder = () => {
      const dir = join(drive!.dir, `t${++n}`);
      mkdirSync(dir);
      return dir;
    };

    test.beforeAll(async () => {
      root = mkdtempSync(join(tmpdir(), 'fat-drive-'));
      drive = await mountDrive(kind, root);
    });
    test.afterAll(async () => {
      await drive?.unmount();
      if (root) rmSync(root, { recursive: true, force: true });
    });

    test('the drive refuses hard links (EPERM), as USB sticks do', () => {
      const dir = folder();
      writeFileSync(join(dir, 'a'), 'a');
      expect(() => linkSync(join(dir, 'a'), join(dir, 'b'))).toThrow(expect.objectContaining({ code: 'EPERM' }));
    });

    test('a signed file is written: the exact bytes under the final name, nothing else left', () => {
      const dir = folder();
      const data = new Uint8Array(300_000).map((_, i) => (i * 7) % 256);
      writeFileAtomic(join(dir, 'vault.signed.psbt'), data);
      expect(new Uint8Array(readFileSync(join(dir, 'vault.signed.psbt')))).toEqual(data);
      expect(readdirSync(dir)).toEqual(['vault.signed.psbt']);
    });

    test('an existing file is refused and left untouched, also when its name differs in letter case', () => {
      const dir = folder();
      writeFileSync(join(dir, 'Payroll.Signed.JSON'), 'original');
      for (const name of ['Payroll.Signed.JSON', 'payroll.signed.json']) {
        expect(() => writeFileAtomic(join(dir, name), 'new')).toThrow(expect.objectContaining({ code: 'output_exists' }));
      }
      expect(readFileSync(join(dir, 'Payroll.Signed.JSON'), 'utf8')).toBe('original');
      expect(readdirSync(dir)).toEqual(['Payroll.Signed.JSON']);
      writeFileAtomic(join(dir, 'Payroll.Signed.JSON'), 'replaced', { overwrite: true });
      expect(readFileSync(join(dir, 'Payroll.Signed.JSON'), 'utf8')).toBe('replaced');
      expect(readdirSync(dir)).toEqual(['Payroll.Signed.JSON']);
    });

    test('a file that appears under the final name while the temp file is written is never clobbered', () => {
      const dir = folder();
      const target = join(dir, 'signed.json');
      expect(() => writeFileAtomic(target, 'ours', { fs: fsWith(theirsAppears(target)) })).toThrow(expect.objectContaining({ code: 'output_exists' }));
      expect(readFileSync(target, 'utf8')).toBe('theirs');
      expect(readdirSync(dir)).toEqual(['signed.json']);
    });

    test('a 255-byte name is written; a longer one is refused with output_name_too_long and nothing is left', () => {
      const dir = folder();
      const name = `${'n'.repeat(250)}.json`;
      writeFileAtomic(join(dir, name), 'long');
      expect(readFileSync(join(dir, name), 'utf8')).toBe('long');
      expect(() => writeFileAtomic(join(dir, `n${name}`), 'x')).toThrow(expect.objectContaining({ code: 'output_name_too_long' }));
      expect(readdirSync(dir)).toEqual([name]);
    });

    test('an old temp file of ours is swept by the next write; a young one stays', () => {
      const dir = folder();
      const old = '.offline-signer.0123456789ab.partial';
      const young = '.offline-signer.ba9876543210.partial';
      writeFileSync(join(dir, old), 'cut off by a power loss');
      writeFileSync(join(dir, young), 'a write in progress');
      const then = new Date(Date.now() - STALE_TEMP_MS - 3_600_000);
      utimesSync(join(dir, old), then, then);
      writeFileAtomic(join(dir, 'next.json'), 'x');
      expect(readdirSync(dir).sort()).toEqual([young, 'next.json']);
    });

    test('writeVerified: written, read back equal; never over an existing file', () => {
      const dir = folder();
      writeVerified(join(dir, 'r.signed.json'), '{"txHex":"00"}');
      expect(readFileSync(join(dir, 'r.signed.json'), 'utf8')).toBe('{"txHex":"00"}');
      expect(() => writeVerified(join(dir, 'r.signed.json'), '{"txHex":"11"}')).toThrow(expect.objectContaining({ code: 'output_exists' }));
      expect(readFileSync(join(dir, 'r.signed.json'), 'utf8')).toBe('{"txHex":"00"}');
    });

    test('sign --out onto the drive: BitGo\'s response there; a second run is refused and changes nothing', () => {
      const out = join(folder(), 'resp.json');
      const r = runCliProcess(['sign', '--keys', fx('keys.json'), '--out', out, fx('cases/p2wsh.request.json')], envA);
      expect(r.status, r.stdout + r.stderr).toBe(0);
      expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual(readJson('cases/p2wsh.response.json'));
      const first = readFileSync(out);
      const again = runCliProcess(['sign', '--keys', fx('keys.json'), '--out', out, fx('cases/p2shP2wsh.request.json')], envA);
      expect(again.status).not.toBe(0);
      expect(again.json()).toMatchObject({ name: 'OutputFileError', code: 'output_exists' });
      expect(readFileSync(out)).toEqual(first);
    });

    test('sign with several inputs and --out <drive folder>: the signed file and the error file are written there', () => {
      const outDir = folder();
      const inputs = ['p2wsh', 'error-wrong-pubs'].map((c) => fx(`cases/${c}.request.json`));
      const r = runCliProcess(['sign', '--keys', fx('keys.json'), '--coin', 'tbtc', '--out', outDir, ...inputs], envA);
      expect(r.status).toBe(1);
      expect(readdirSync(outDir).sort()).toEqual(['error-wrong-pubs.request.error.json', 'p2wsh.request.signed.json']);
      expect(JSON.parse(readFileSync(join(outDir, 'p2wsh.request.signed.json'), 'utf8'))).toEqual(readJson('cases/p2wsh.response.json'));
      expect(JSON.parse(readFileSync(join(outDir, 'error-wrong-pubs.request.error.json'), 'utf8'))).toMatchObject({ name: readJson<{ name: string }>('cases/error-wrong-pubs.response.json').name });
    });

    test('the app\'s export and session summary onto the drive, through the real router', async () => {
      const h = workflowHarness({ label: `${kind} STICK` });
      const stick = await mountDrive(kind, h.root, h.drive);
      try {
        writeFileSync(join(h.drive, 'p2wsh.json'), readFileSync(fx('cases/p2wsh.request.json')));
        const [drive1] = await h.call('drivesList', {});
        const [imported] = await h.call('requestsImport', { driveId: drive1!.id, files: ['p2wsh.json'] });
        if (!imported?.ok) throw new Error(`import failed: ${JSON.stringify(imported)}`);
        const rev = await h.call('requestReview', { requestId: imported.requestId });
        await h.call('requestApprove', { requestId: imported.requestId, fingerprint: rev.review.fingerprint.sha256, acknowledged: rev.warningKeys });
        await h.call('walletUnlock', { walletId: walletA, passphrase: env[`WALLET_${walletA}_PASSPHRASE`]! });
        expect((await h.call('requestsSign', {})).map((s) => s.ok)).toEqual([true]);
        const [exported] = await h.call('requestsExport', {});
        expect(exported).toMatchObject({ ok: true, request: { output: 'p2wsh.signed.json' } });
        const { txHex } = readJson<{ txHex: string }>('cases/p2wsh.response.json');
        expect(readFileSync(join(h.drive, 'p2wsh.signed.json'), 'utf8')).toBe(JSON.stringify({ txHex }));
        const { file } = await h.call('sessionSummaryExport', { driveId: drive1!.id });
        expect(readdirSync(h.drive).sort()).toEqual(['p2wsh.json', 'p2wsh.signed.json', file]);
        await stick.unmount();
        expect(stick.check()).toMatchObject({ clean: true });
      } finally {
        await stick.unmount();
        h.cleanup();
      }
    });

    test('after every write above, fsck finds the drive consistent', async () => {
      await drive!.unmount();
      const { clean, report } = drive!.check();
      expect(clean, report).toBe(true);
    });
  });
}
