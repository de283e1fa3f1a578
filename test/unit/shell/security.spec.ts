// The pure decisions behind electron/main.ts's security block, the air-gap check, log redaction and the fatal
// handler. main.ts itself cannot run here (no Electron binary); it only wires these functions.
import { test, expect } from '@playwright/test';
import { EventEmitter } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CSP } from '../../../shared/csp';
import { buildSignerApi } from '../../../shared/bridge';
import { CHANNELS, EVENTS, METHODS } from '../../../shared/contract';
import { checkAirGap } from '../../../electron/airgap';
import { handleFatal, installFatalHandlers } from '../../../electron/fatal';
import { createLogger, redact } from '../../../electron/log';
import { CHROMIUM_SWITCHES, isAllowedRequestUrl, mayGrantPermission, permissionCheckAsk, permissionRequestAsk, resolveAppPath } from '../../../electron/security';

test('CSP: nothing remote, no inline script, no connections, no framing', () => {
  const d = new Map(CSP.split('; ').map((x) => [x.split(' ')[0], x.split(' ').slice(1).join(' ')]));
  expect(d.get('default-src')).toBe("'none'");
  expect(d.get('script-src')).toBe("'self'");
  expect(d.get('style-src')).toBe("'self'");
  expect(d.get('connect-src')).toBe("'none'");
  expect(d.get('frame-ancestors')).toBe("'none'");
  expect(d.get('base-uri')).toBe("'none'");
  expect(d.get('form-action')).toBe("'none'");
  // The QR decoder's Web Worker: from the bundle only (no blob:/data: workers built from strings).
  expect(d.get('worker-src')).toBe("'self'");
  expect(d.get('media-src')).toBe("'self' blob: mediastream:");
  expect(CSP).not.toMatch(/unsafe-|https?:|\*|wss?:/);
});

test('Chromium switches: resolver, proxy incl. loopback, background networking off', () => {
  const sw = new Map(CHROMIUM_SWITCHES.map(([k, v]) => [k, v]));
  expect(sw.get('host-resolver-rules')).toBe('MAP * ~NOTFOUND');
  expect(sw.get('proxy-bypass-list')).toBe('<-loopback>');
  expect(sw.get('proxy-server')).toMatch(/^127\.0\.0\.1:9$/);
  for (const k of ['disable-background-networking', 'disable-component-update', 'disable-domain-reliability']) expect(sw.has(k), k).toBe(true);
  expect(sw.get('disable-features')).toContain('SpellcheckService');
});

test('request allow-list: only app://signer, data: and blob:', () => {
  for (const ok of ['app://signer/index.html', 'app://signer/assets/a.js', 'data:image/png;base64,AA', 'blob:app://signer/1234']) expect(isAllowedRequestUrl(ok), ok).toBe(true);
  for (const bad of ['https://example.com/', 'http://127.0.0.1/', 'ws://localhost/', 'file:///etc/passwd', 'app://signer.evil/x', 'app://other/', 'app://signerx/', 'devtools://devtools/', 'chrome-extension://x/', 'ftp://x/']) {
    expect(isAllowedRequestUrl(bad), bad).toBe(false);
  }
});

test('permissions: camera video for the app main frame only', () => {
  const base = { permission: 'media', mediaTypes: ['video'], requestingUrl: 'app://signer/index.html', isMainFrame: true };
  expect(mayGrantPermission(base)).toBe(true);
  expect(mayGrantPermission({ ...base, mediaTypes: ['video', 'audio'] })).toBe(false);
  expect(mayGrantPermission({ ...base, mediaTypes: ['audio'] })).toBe(false);
  expect(mayGrantPermission({ ...base, mediaTypes: [] })).toBe(false);
  expect(mayGrantPermission({ ...base, mediaTypes: undefined })).toBe(false);
  expect(mayGrantPermission({ ...base, mediaTypes: ['unknown'] })).toBe(false);
  expect(mayGrantPermission({ ...base, isMainFrame: false })).toBe(false);
  expect(mayGrantPermission({ ...base, requestingUrl: 'https://evil.example/' })).toBe(false);
  expect(mayGrantPermission({ ...base, requestingUrl: undefined })).toBe(false);
  for (const p of ['notifications', 'geolocation', 'clipboard-read', 'openExternal', 'display-capture', 'usb', 'hid', 'serial', 'fullscreen', 'unknown']) {
    expect(mayGrantPermission({ ...base, permission: p }), p).toBe(false);
  }
});

test('permissions as Electron asks them: getUserMedia video passes both the request and the check handler, nothing else does', () => {
  const grant = (permission: string, details: Parameters<typeof permissionRequestAsk>[1]) => mayGrantPermission(permissionRequestAsk(permission, details));
  const check = (permission: string, origin: string, details: Parameters<typeof permissionCheckAsk>[2]) => mayGrantPermission(permissionCheckAsk(permission, origin, details));
  const page = 'app://signer/index.html';
  // getUserMedia({ video: true, audio: false }) from the app's window: the prompt, then the "is it granted" check.
  expect(grant('media', { requestingUrl: page, isMainFrame: true, mediaTypes: ['video'] })).toBe(true);
  expect(check('media', 'app://signer', { requestingUrl: page, isMainFrame: true, mediaType: 'video' })).toBe(true);
  // The check may come with the origin only.
  expect(check('media', 'app://signer', { isMainFrame: true, mediaType: 'video' })).toBe(true);
  // Microphone, unknown device kinds, a request that does not say what it wants, sub-frames, other origins.
  expect(grant('media', { requestingUrl: page, isMainFrame: true, mediaTypes: ['video', 'audio'] })).toBe(false);
  expect(grant('media', { requestingUrl: page, isMainFrame: true })).toBe(false);
  expect(check('media', 'app://signer', { requestingUrl: page, isMainFrame: true, mediaType: 'audio' })).toBe(false);
  expect(check('media', 'app://signer', { requestingUrl: page, isMainFrame: true, mediaType: 'unknown' })).toBe(false);
  expect(check('media', 'app://signer', { requestingUrl: page, isMainFrame: true })).toBe(false);
  expect(grant('media', { requestingUrl: page, isMainFrame: false, mediaTypes: ['video'] })).toBe(false);
  expect(check('media', 'app://signer', { requestingUrl: page, mediaType: 'video' })).toBe(false);
  expect(check('media', 'https://evil.example', { mediaType: 'video', isMainFrame: true })).toBe(false);
  expect(check('media', 'app://signer', { requestingUrl: 'https://evil.example/', isMainFrame: true, mediaType: 'video' })).toBe(false);
  // Camera-adjacent permissions Chromium also asks about stay refused.
  for (const p of ['display-capture', 'mediaKeySystem', 'speaker-selection', 'pointerLock', 'clipboard-sanitized-write']) {
    expect(grant(p, { requestingUrl: page, isMainFrame: true, mediaTypes: ['video'] }), p).toBe(false);
    expect(check(p, 'app://signer', { requestingUrl: page, isMainFrame: true, mediaType: 'video' }), p).toBe(false);
  }
});

test('main.ts wires both permission handlers through these functions', () => {
  const main = readFileSync(fileURLToPath(new URL('../../../electron/main.ts', import.meta.url)), 'utf8');
  expect(main).toMatch(/setPermissionRequestHandler\([^]*?mayGrantPermission\(permissionRequestAsk\(/);
  expect(main).toMatch(/setPermissionCheckHandler\([^]*?mayGrantPermission\(permissionCheckAsk\(/);
});

test('app:// path guard: stays inside the bundle, refuses traversal and other hosts', () => {
  const root = '/opt/app/build/out/renderer';
  expect(resolveAppPath(root, 'app://signer/')).toBe(join(root, 'index.html'));
  expect(resolveAppPath(root, 'app://signer/index.html')).toBe(join(root, 'index.html'));
  expect(resolveAppPath(root, 'app://signer/assets/index-abc.js?x=1#y')).toBe(join(root, 'assets/index-abc.js'));
  // WHATWG URL parsing already treats %2e%2e as '..' and drops it at the root: the result stays in the bundle.
  expect(resolveAppPath(root, 'app://signer/%2e%2e/%2e%2e/etc/passwd.html')).toBe(join(root, 'etc/passwd.html'));
  expect(resolveAppPath(root, 'app://signer/assets/%2E%2E/%2E%2E/secret.js')).toBe(join(root, 'secret.js'));
  // What the URL parser leaves encoded ('%2f' is not a separator to it) is decoded and refused here.
  for (const bad of [
    'app://signer/..%2f..%2fkeys.json',
    'app://signer/a%5c..%5c..%5cx.js',
    'app://signer/x%00.js',
    'app://signer/%E0%A4%A',
    'app://evil/index.html',
    'https://signer/index.html',
    'app://signer/keys.txt',
    'app://signer/main.cjs',
    'not a url',
  ]) {
    expect(resolveAppPath(root, bad), bad).toBeNull();
  }
});

test('air-gap check: loopback only is ok; any other interface gives advice in the operator words', () => {
  expect(checkAirGap({ lo: [{ family: 'IPv4', internal: true, address: '127.0.0.1' }] })).toEqual({ ok: true, interfaces: [], advice: '' });
  const r = checkAirGap({
    lo: [{ family: 'IPv4', internal: true }],
    wlan0: [{ family: 'IPv4', internal: false, address: '192.168.1.5' }, { family: 'IPv6', internal: false }, { family: 'IPv6', internal: false }],
    eth0: [{ family: 4, internal: false }],
    down: undefined,
  });
  expect(r.ok).toBe(false);
  expect(r.interfaces).toEqual([{ name: 'wlan0', family: 'IPv4' }, { name: 'wlan0', family: 'IPv6' }, { name: 'eth0', family: 'IPv4' }]);
  expect(r.advice).toMatch(/^This computer is connected to a network \(wlan0, eth0\)\. Disconnect .* disable Wi-Fi .* before handling keys/);
  expect(JSON.stringify(r)).not.toContain('192.168');
});

test('redact(): xprv/tprv, WIF, long hex, passphrase fields, home paths', () => {
  const xprv = 'xprv9s21ZrQH143K3QTDL4LXw2F7HEK3wJUD2nW2nRk4stbPy6cq3jPPqjiChkVvvNKmPGJxWUtg6LnF5kejMRNNU3TGtRBeJgk33yuGBxrMPHi';
  const tprv = 'tprv8ZgxMBicQKsPd9TeAdPADNnSyH9SSUUbTVeFszDE23Ki6TBB5nCefAdHkK8Fm3qMQR6sHwA56zqRmKmxnHk37JkiFzvncDqoKmPWubu7hDF';
  const wif = 'KwDiBf89QgGbjEhKnhXJuH7LrciVrZi3qYjgd9M7rFU73sVHnoWn';
  const seed = '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f';
  const line = `key ${xprv} t=${tprv} wif ${wif} seed ${seed} {"passphrase":"hunter2 \\"x\\""} WALLET_abc_PASSPHRASE=s3cret password: letmein at /home/alice/keys.json C:\\Users\\Bob\\x /Users/carol/y`;
  const out = redact(line);
  for (const s of [xprv, tprv, wif, seed, 'hunter2', 's3cret', 'letmein', 'alice', 'Bob', 'carol']) expect(out, s).not.toContain(s);
  expect(out).toContain('[redacted-xprv]');
  expect(out).toContain('[redacted-wif]');
  expect(out).toContain('[redacted-hex]');
  expect(out).toContain('~/keys.json');
  // What must survive: wallet ids, xpubs, codes.
  const keep = 'wallet 5f2a9c4e1b7d3a8f6e0c2b9d4a7f1e3c code wallet_passphrase_incorrect xpub661MyMwAqRbcFtXgS5sYJABqqG9YLmC4Q1Rdap9gSE8NqtwybGhePY2gZ29ESFjqJoCu1Rupje8YtGqsefD265TMg7usUDFdp6W1EGMcet8';
  expect(redact(keep)).toBe(keep);
});

test('logger writes only redacted lines, errors with name and code', () => {
  const lines: string[] = [];
  const log = createLogger((l) => lines.push(l), () => new Date(0));
  const e = Object.assign(new Error('failed for /home/dave/k.json'), { code: 'key_file_unreadable' });
  log.error('boom', e, { passphrase: 'pw123' });
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^1970-01-01T00:00:00.000Z ERROR boom Error \[key_file_unreadable\]: failed for ~\/k.json/);
  expect(lines[0]).not.toContain('dave');
  expect(lines[0]).not.toContain('pw123');
});

test('fatal handler: logs redacted, locks all wallets, notifies, exits 1, once', () => {
  const proc = new EventEmitter();
  const seen: string[] = [];
  const lines: string[] = [];
  installFatalHandlers(proc as never, {
    log: createLogger((l) => lines.push(l)),
    lockAll: () => seen.push('lockAll'),
    notify: (title) => seen.push(`notify:${title}`),
    exit: (code) => seen.push(`exit:${code}`),
  });
  proc.emit('uncaughtException', new Error('bad xprv9s21ZrQH143K3QTDL4LXw2F7HEK3wJUD2nW2nRk4stbPy6cq3jPPqjiChkVvvNKmPGJxWUtg6LnF5kejMRNNU3TGtRBeJgk33yuGBxrMPHi'));
  proc.emit('unhandledRejection', new Error('second'));
  expect(seen).toEqual(['lockAll', 'notify:Offline Signer stopped', 'exit:1']);
  expect(lines.join('\n')).toContain('[redacted-xprv]');
  // A failing lockAll or notify still exits.
  const seen2: string[] = [];
  handleFatal({ log: createLogger(() => {}), lockAll: () => { throw new Error('x'); }, notify: () => { throw new Error('y'); }, exit: (c) => seen2.push(`exit:${c}`) }, 'test', 1);
  expect(seen2).toEqual(['exit:1']);
});

test('bridge: one frozen function per contract channel plus on(); payload defaults to {}', async () => {
  const calls: [string, unknown][] = [];
  const listeners = new Map<string, (p: unknown) => void>();
  const api = buildSignerApi(
    async (channel, payload) => {
      calls.push([channel, payload]);
      return { ok: true, value: null };
    },
    (channel, listener) => {
      listeners.set(channel, listener);
      return () => listeners.delete(channel);
    },
  );
  expect(Object.isFrozen(api)).toBe(true);
  expect(Object.keys(api)).toEqual([...METHODS, 'on']);
  // Events: only contract names subscribe, to the contract channel; the unsubscribe function detaches.
  const seen: unknown[] = [];
  const off = api.on('walletChanged', (p) => seen.push(p));
  listeners.get(EVENTS.walletChanged.channel)?.({ walletId: 'a', unlocked: false });
  expect(seen).toEqual([{ walletId: 'a', unlocked: false }]);
  off();
  expect(listeners.size).toBe(0);
  expect(() => (api.on as (e: string, l: () => void) => void)('signer:app:status', () => {})).toThrow('unknown signer event');
  expect(() => (api.on as (e: string, l: () => void) => void)('__proto__', () => {})).toThrow('unknown signer event');
  expect(() => (api.on as (e: string, l: unknown) => void)('walletChanged', 'x')).toThrow('listener');
  for (const m of METHODS) await (api[m] as unknown as (p?: unknown) => Promise<unknown>)();
  expect(calls.map((c) => c[0])).toEqual([...CHANNELS]);
  expect(calls.every((c) => JSON.stringify(c[1]) === '{}')).toBe(true);
  expect(() => { (api as unknown as Record<string, unknown>).x = 1; }).toThrow();
});

test('no source file opens external URLs or uses the shell module', () => {
  const root = fileURLToPath(new URL('../../../', import.meta.url));
  const offenders: string[] = [];
  for (const dir of ['electron', 'renderer', 'shared']) {
    for (const rel of readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' })) {
      if (!/\.(ts|tsx)$/.test(rel)) continue;
      const code = readFileSync(join(root, dir, rel), 'utf8')
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/(^|[^:])\/\/.*$/gm, '$1');
      if (/openExternal|openPath|showItemInFolder|\bshell\s*[.,}]/.test(code)) offenders.push(`${dir}/${rel}`);
    }
  }
  expect(offenders).toEqual([]);
});
