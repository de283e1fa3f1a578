// Send screen: a signed request's result as QR codes on a canvas, for the online machine's camera. One static code
// when the result fits one at the chosen density; otherwise an animation, UR (fountain-coded: any enough frames
// finish, so missed frames cost little) or BBQr, pulled from main a batch at a time (UR encoding needs Node's
// Buffer, see electron/workflow/qr-intake.ts). Density and frame rate are for weak cameras: fewer characters per
// code read more easily, a slower rate gives a slow camera time to focus. The choices are remembered for the
// session (this module outlives the screen); the signed result is public data, no key comes near it.
import { useEffect, useId, useRef, useState } from 'react';
import type { QrShowResult, RequestView } from '../shared/contract';
import { renderQrMatrix } from '../shared/qr/image';
import { api } from './api';
import { wordsFor } from './words';
import { visible } from '../shared/text';

type Format = 'ur' | 'bbqr';
type Density = 'low' | 'medium' | 'high';
type Content = 'response' | 'psbt';

const FPS_CHOICES = [2, 4, 6, 8, 10, 15] as const;
const DENSITY_WORDS: Record<Density, string> = { low: 'Low (easiest to read)', medium: 'Medium', high: 'High (fewest frames)' };

/** Remembered for the session: the next signed result opens with the operator's last choices. */
const remembered: { format: Format; density: Density; fps: number; content: Content } = { format: 'ur', density: 'medium', fps: 8, content: 'response' };

/** Canvas side in CSS pixels at most; modules are whole pixels with the 4-module quiet zone of ISO/IEC 18004. */
const MAX_SIDE = 480;

/** Draws one QR code of `text` (also the key ceremony's public export, renderer/KeyCeremony.tsx). */
export function drawQr(canvas: HTMLCanvasElement, text: string): void {
  const matrix = renderQrMatrix(text, 'low');
  const n = matrix.length + 8;
  const scale = Math.max(2, Math.floor(MAX_SIDE / n));
  canvas.width = canvas.height = n * scale;
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.fillStyle = '#000';
  matrix.forEach((row, r) => row.forEach((dark, c) => dark && ctx.fillRect((c + 4) * scale, (r + 4) * scale, scale, scale)));
}

/** What is not main's error here is the drawing's: the QR encoder refused the frame. */
const NOT_DRAWN = { otherwise: 'The QR code could not be drawn. Try another density; if it repeats, restart the app.' };

function Showing({ requestId, format, density, content, fps, paused }: { requestId: string; format: Format; density: Density; content: Content; fps: number; paused: boolean }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [shown, setShown] = useState<QrShowResult | null>(null);
  const [frame, setFrame] = useState(0);
  const [error, setError] = useState('');
  const queue = useRef<string[]>([]);
  const batch = Math.min(120, Math.max(20, fps * 3));

  // A new request, format, density or content: main starts a new frame source, the queue starts empty.
  useEffect(() => {
    let live = true;
    queue.current = [];
    setShown(null);
    setFrame(0);
    api
      .showQrFrames(requestId, { format, density, content, count: batch })
      .then((r) => {
        if (!live) return;
        setError('');
        setShown(r);
        if (r.mode === 'static') {
          if (canvas.current) drawQr(canvas.current, r.text);
          setFrame(1);
        } else queue.current = [...r.frames];
      })
      .catch((e: unknown) => live && setError(wordsFor(e, NOT_DRAWN)));
    return () => {
      live = false;
    };
  }, [requestId, format, density, content, batch]);

  // The animation: one frame per tick; when half the batch is used, the next batch is fetched.
  useEffect(() => {
    if (shown?.mode !== 'animated' || paused) return;
    let live = true;
    let fetching = false;
    const tick = () => {
      const text = queue.current.shift();
      if (text !== undefined && canvas.current) {
        try {
          drawQr(canvas.current, text);
          setFrame((n) => n + 1);
        } catch (e) {
          setError(wordsFor(e, NOT_DRAWN));
        }
      }
      if (queue.current.length < batch / 2 && !fetching) {
        fetching = true;
        api
          .showQrFrames(requestId, { format, density, content, count: batch })
          .then((r) => {
            if (live && r.mode === 'animated') queue.current.push(...r.frames);
          })
          .catch((e: unknown) => live && setError(wordsFor(e, NOT_DRAWN)))
          .finally(() => (fetching = false));
      }
    };
    tick();
    const timer = setInterval(tick, 1000 / fps);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [shown, paused, fps, requestId, format, density, content, batch]);

  const what = !shown
    ? 'Preparing the QR code…'
    : shown.mode === 'static'
      ? `One static QR code (${shown.kind === 'psbt' ? 'base64 PSBT' : 'JSON text'}, ${shown.bytes.toLocaleString('en-US')} bytes): it fits one code at this density.`
      : `Animated ${shown.format === 'ur' ? 'UR' : 'BBQr'}: ${shown.bytes.toLocaleString('en-US')} bytes in ${shown.minimumFrames} ${shown.format === 'ur' ? 'fragments (more frames follow; any enough of them finish)' : 'parts (looping)'}, ${fps} frames a second. Frame ${frame}${paused ? ', paused' : ''}.`;
  return (
    <div className="qr-show">
      <canvas ref={canvas} data-frame={frame} role="img" aria-label={shown ? `QR code showing the signed result of ${visible(shown.file)}` : 'QR code being prepared'} width={MAX_SIDE} height={MAX_SIDE} />
      <p role="status" aria-live="off">
        {what}
      </p>
      <p className="error" role="alert">
        {error}
      </p>
    </div>
  );
}

/** Every signed request can be shown: scanned ones (they have no drive) and file ones alike. */
export function QrShow({ requests }: { requests: RequestView[] }) {
  const id = useId();
  const [requestId, setRequestId] = useState<string | null>(null);
  const [format, setFormat] = useState(remembered.format);
  const [density, setDensity] = useState(remembered.density);
  const [fps, setFps] = useState(remembered.fps);
  const [content, setContent] = useState(remembered.content);
  const [paused, setPaused] = useState(false);
  useEffect(() => {
    Object.assign(remembered, { format, density, fps, content });
  }, [format, density, fps, content]);

  const current = requests.find((r) => r.requestId === requestId);
  return (
    <section aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Signed results as QR codes</h2>
      {requests.length === 0 ? (
        <p>Nothing signed yet. A signed request can be shown here as QR codes for the online computer's camera.</p>
      ) : (
        <>
          <div className="qr-controls">
            <label htmlFor={`${id}-request`}>Signed request</label>
            <select id={`${id}-request`} value={requestId ?? ''} onChange={(e) => setRequestId(e.target.value === '' ? null : e.target.value)}>
              <option value="">Choose a signed request…</option>
              {requests.map((r) => (
                <option key={r.requestId} value={r.requestId}>
                  {visible(r.file)} (wallet {r.walletId}, fingerprint {r.fingerprint})
                </option>
              ))}
            </select>
            <fieldset>
              <legend>Animated format</legend>
              <label className="choice">
                <input type="radio" name={`${id}-format`} checked={format === 'ur'} onChange={() => setFormat('ur')} /> UR (Sparrow, Keystone, SeedSigner…)
              </label>
              <label className="choice">
                <input type="radio" name={`${id}-format`} checked={format === 'bbqr'} onChange={() => setFormat('bbqr')} /> BBQr (Coldcard, Sparrow…)
              </label>
            </fieldset>
            <fieldset>
              <legend>What to show</legend>
              <label className="choice">
                <input type="radio" name={`${id}-content`} checked={content === 'response'} onChange={() => setContent('response')} /> The signed file (BitGo's response)
              </label>
              <label className="choice">
                <input type="radio" name={`${id}-content`} checked={content === 'psbt'} onChange={() => setContent('psbt')} /> Only the signed PSBT
              </label>
            </fieldset>
            <label htmlFor={`${id}-density`}>Density (characters per code)</label>
            <select id={`${id}-density`} value={density} onChange={(e) => setDensity(e.target.value as Density)}>
              {(Object.keys(DENSITY_WORDS) as Density[]).map((d) => (
                <option key={d} value={d}>
                  {DENSITY_WORDS[d]}
                </option>
              ))}
            </select>
            <label htmlFor={`${id}-fps`}>Frames a second</label>
            <select id={`${id}-fps`} value={fps} onChange={(e) => setFps(Number(e.target.value))}>
              {FPS_CHOICES.map((f) => (
                <option key={f} value={f}>
                  {f}
                </option>
              ))}
            </select>
            <div className="actions">
              <button type="button" className="secondary" disabled={!current} onClick={() => setPaused((p) => !p)}>
                {paused ? 'Resume animation' : 'Pause animation'}
              </button>
            </div>
          </div>
          {current ? (
            <Showing requestId={current.requestId} format={format} density={density} content={content} fps={fps} paused={paused} />
          ) : (
            <p className="hint">Choose a signed request to show it.</p>
          )}
        </>
      )}
    </section>
  );
}
