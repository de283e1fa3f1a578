// The pure half of the shell's security setup: the decisions, as functions over plain values, so they are
// unit-tested here while electron/main.ts only wires them into Electron (its fenced SECURITY block).
// ARCHITECTURE "No network, in layers": 2 (switches), 3 (request allow-list), 5 (permissions); the app://
// protocol's path guard and content types serve layer 4 (the CSP travels as a header with every response).
import { extname, resolve, sep } from 'node:path';

export const APP_SCHEME = 'app';
export const APP_HOST = 'signer';
/** The renderer's origin. Custom-scheme origins are opaque to WHATWG URL, so compare scheme://host strings. */
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY = `${APP_ORIGIN}/index.html`;

/**
 * Chromium switches appended before `ready` (layer 2). Each one closes a way Chromium talks to the network on its
 * own, even when the page cannot:
 * - host-resolver-rules: every host name resolves to nothing (NOTFOUND), so no DNS query is ever made;
 * - proxy-server + proxy-bypass-list=<-loopback>: every request, loopback included, goes to a proxy on a port
 *   nothing listens on (127.0.0.1:9, "discard"), so an IP literal that dodges DNS still goes nowhere;
 * - disable-background-networking / component-update / domain-reliability: the browser's own update, metrics
 *   and reliability beacons;
 * - disable-features=SpellcheckService…: belt and braces with the session's spellchecker off (layer 3);
 * - force-webrtc-ip-handling-policy: WebRTC may use only proxied UDP, i.e. none (the window also sets it).
 */
export const CHROMIUM_SWITCHES: readonly (readonly [string, string?])[] = [
  ['host-resolver-rules', 'MAP * ~NOTFOUND'],
  ['proxy-server', '127.0.0.1:9'],
  ['proxy-bypass-list', '<-loopback>'],
  ['disable-background-networking'],
  ['disable-component-update'],
  ['disable-domain-reliability'],
  ['disable-sync'],
  ['no-pings'],
  ['disable-features', 'SpellcheckService,AutofillServerCommunication,OptimizationHints,MediaRouter,DialMediaRouteProvider'],
  ['force-webrtc-ip-handling-policy', 'disable_non_proxied_udp'],
];

/** Where the spellchecker would fetch dictionaries: a reserved name that cannot resolve (RFC 6761 .invalid). */
export const DEAD_DICTIONARY_URL = 'https://dictionaries.invalid/';

/**
 * Layer 3, session.webRequest.onBeforeRequest: only the app's own bundle, data: and blob: URLs load. Everything
 * else (http, https, ws, file, ftp, chrome-extension, devtools…) is cancelled.
 */
export function isAllowedRequestUrl(url: string): boolean {
  if (url.startsWith('data:') || url.startsWith('blob:')) return true;
  return url.startsWith(`${APP_ORIGIN}/`) || url === APP_ORIGIN;
}

function sameAppOrigin(url: string | undefined): boolean {
  if (url === undefined) return false;
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST;
  } catch {
    return false;
  }
}

export interface PermissionAsk {
  permission: string;
  /** Request handler: details.mediaTypes; check handler: [details.mediaType]. */
  mediaTypes: readonly string[] | undefined;
  /** The asking frame's URL or origin. */
  requestingUrl: string | undefined;
  isMainFrame: boolean;
}

/**
 * Layer 5: the single permission ever granted is the camera (media, video only, no microphone) to the app's own
 * main frame, for QR scanning. Everything else (notifications, geolocation, clipboard-read, USB, HID, serial,
 * openExternal, display capture…) is refused.
 */
export function mayGrantPermission(ask: PermissionAsk): boolean {
  if (ask.permission !== 'media') return false;
  if (!ask.isMainFrame || !sameAppOrigin(ask.requestingUrl)) return false;
  const types = ask.mediaTypes ?? [];
  return types.length > 0 && types.every((t) => t === 'video');
}

/** What setPermissionRequestHandler's details carry that the decision reads (Electron's PermissionRequest). */
export interface PermissionRequestDetails {
  requestingUrl?: string;
  isMainFrame: boolean;
  /** Only on media requests (MediaAccessPermissionRequest): what getUserMedia asked for. */
  mediaTypes?: readonly string[];
}

/** What setPermissionCheckHandler's details carry that the decision reads (Electron's PermissionCheckHandlerHandlerDetails). */
export interface PermissionCheckDetails {
  requestingUrl?: string;
  isMainFrame?: boolean;
  /** Only on media checks: 'video', 'audio' or 'unknown'. */
  mediaType?: string;
}

/**
 * getUserMedia({ video }) in Electron asks twice: the request handler decides the prompt (mediaTypes ['video']),
 * the check handler answers synchronous "is it granted?" queries (one mediaType at a time). Both go through
 * mayGrantPermission, so a check can never allow what a request would refuse. A request without mediaTypes, or a
 * check without a main-frame flag, is refused (the missing fact is not assumed).
 */
export function permissionRequestAsk(permission: string, details: PermissionRequestDetails): PermissionAsk {
  return { permission, mediaTypes: details.mediaTypes, requestingUrl: details.requestingUrl, isMainFrame: details.isMainFrame === true };
}

export function permissionCheckAsk(permission: string, requestingOrigin: string, details: PermissionCheckDetails): PermissionAsk {
  return {
    permission,
    mediaTypes: details.mediaType === undefined ? undefined : [details.mediaType],
    requestingUrl: details.requestingUrl ?? requestingOrigin,
    isMainFrame: details.isMainFrame === true,
  };
}

/** Navigation and new windows are always refused: the app is one page. Exported so the test can state it. */
export function mayNavigate(_url: string): boolean {
  return false;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
};

export function contentTypeFor(path: string): string | null {
  return CONTENT_TYPES[extname(path).toLowerCase()] ?? null;
}

/**
 * Maps an app:// URL to a file inside `root` (the built renderer), or null. Refuses other hosts, encoded or
 * literal `..`, backslashes, NUL, and anything whose resolved path leaves `root` (the path-traversal guard), as
 * well as file types the bundle does not contain.
 */
export function resolveAppPath(root: string, url: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.protocol !== `${APP_SCHEME}:` || u.host !== APP_HOST) return null;
  let pathname: string;
  try {
    pathname = decodeURIComponent(u.pathname);
  } catch {
    return null;
  }
  if (pathname.includes('\0') || pathname.includes('\\')) return null;
  const segments = pathname.split('/').filter((s) => s !== '');
  if (segments.some((s) => s === '..' || s === '.')) return null;
  const rel = segments.length === 0 ? 'index.html' : segments.join('/');
  const base = resolve(root);
  const file = resolve(base, rel);
  if (!file.startsWith(base + sep)) return null;
  if (contentTypeFor(file) === null) return null;
  return file;
}
