// The full-screen QR view's frame status (renderer/qr-frame-status.ts): the part named is the part the frame's own
// header holds. Driven by frames the project's encoders make (shared/qr/encode.ts: what main sends), so a change of
// header layout in an encoder fails here; hostile and foreign texts name no part.
import { test, expect } from '@playwright/test';
import { animatedFrameSource, encodeAnimated } from '../../../shared/qr/encode';
import { framePart, frameStatus } from '../../../renderer/qr-frame-status';

// Hex that does not compress (BBQr Z would squeeze a repeated pattern into one part): a fixed LCG's bytes.
let seed = 19;
const hex = Array.from({ length: 3000 }, () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) >> 16).toString(16).padStart(2, '0').slice(-2)).join('');
const json = new TextEncoder().encode(JSON.stringify({ txHex: `70736274ff${hex}` }));

test('BBQr: each part of a loop is named k of n, from 1, in the order the source sends them (rotated each loop)', () => {
  const parts = encodeAnimated(json, { format: 'bbqr', kind: 'json', density: 'low' });
  expect(parts.length).toBeGreaterThan(2);
  parts.forEach((text, i) => expect(framePart(text)).toEqual({ format: 'bbqr', part: i + 1, of: parts.length }));
  // The second loop starts one part later (shared/qr/encode.ts): the words follow the header, not a counter.
  const source = animatedFrameSource(json, { format: 'bbqr', kind: 'json', density: 'low' });
  for (let i = 0; i < parts.length; i++) source.next();
  expect(framePart(source.next())).toEqual({ format: 'bbqr', part: 2, of: parts.length });
});

test('UR: the plain fragments are parts 1..n, then fountain mixes (seqNum above seqLen)', () => {
  const source = animatedFrameSource(json, { format: 'ur', kind: 'json', density: 'low' });
  const n = source.minimumFrames;
  expect(n).toBeGreaterThan(2);
  for (let i = 1; i <= n; i++) expect(framePart(source.next())).toEqual({ format: 'ur', part: i, of: n, mix: false });
  expect(framePart(source.next())).toEqual({ format: 'ur', part: n + 1, of: n, mix: true });
});

test('texts that are not a multi-part frame name no part', () => {
  const hostile = [
    '',
    'B$',
    'B$ZJ0',
    'B$ZJ0505DATA', // index 5 of 5: indexes run from 0
    'B$ZJ0000DATA', // 0 parts
    'B$QJ0100DATA', // no such encoding
    'B$zj0100DATA', // lower case is refused by the spec
    'ur:bytes/0-5/lpad', // seqNum from 1
    'ur:bytes/1-0/lpad',
    'ur:bytes/lpadaxbb', // a single-part UR
    'ur:bytes/1-5', // no body
    'cHNidP8BAHECAAAAAQ==', // a static base64 PSBT
    '{"txHex":"70736274ff"}',
    'bitcoin:bc1qxyz?amount=1',
    'x'.repeat(10_000),
  ];
  for (const text of hostile) expect(framePart(text), JSON.stringify(text.slice(0, 30))).toBeUndefined();
});

test('the words: static, preparing, a part, a fountain mix, paused, and a frame of the wrong format', () => {
  const animated = { mode: 'animated', format: 'bbqr', minimumFrames: 3, bytes: 4160 } as const;
  const pace = { fps: 8, paused: false };
  const about = 'Animated BBQr (looping): 3 parts, 4,160 bytes, 8 frames a second.';
  expect(frameStatus({ mode: 'static', kind: 'psbt', bytes: 1234 }, { n: 1, text: 'cHNidP8=' }, pace)).toEqual({
    frame: 'One static code',
    about: 'Base64 PSBT, 1,234 bytes: nothing moves, hold the camera on it.',
  });
  expect(frameStatus(animated, { n: 0, text: '' }, pace)).toEqual({ frame: 'Preparing the first frame', about });
  expect(frameStatus(animated, { n: 7, text: 'B$ZJ0302DATA' }, pace)).toEqual({ frame: 'Frame 7: part 3 of 3', about });
  expect(frameStatus(animated, { n: 7, text: 'B$ZJ0302DATA' }, { fps: 8, paused: true }).about).toBe('Animated BBQr (looping): 3 parts, 4,160 bytes, 8 frames a second. PAUSED');
  expect(frameStatus(animated, { n: 7, text: 'ur:bytes/2-3/lpad' }, pace).frame).toBe('Frame 7: its header names no BBQr part');
  const ur = { mode: 'animated', format: 'ur', minimumFrames: 3, bytes: 100 } as const;
  expect(frameStatus(ur, { n: 9, text: 'ur:bytes/9-3/lpad' }, pace)).toEqual({
    frame: 'Frame 9: fountain mix of 3 parts',
    about: 'Animated UR (any enough frames finish): 3 parts, 100 bytes, 8 frames a second.',
  });
});
