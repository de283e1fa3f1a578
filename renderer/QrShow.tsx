// Send screen: a signed request's result as QR codes on a canvas, for the online machine's camera. One static code
// when the result fits one at the chosen density; otherwise an animation, UR (fountain-coded: any enough frames
// finish, so missed frames cost little) or BBQr, pulled from main a batch at a time (UR encoding needs Node's
// Buffer, see electron/workflow/qr-intake.ts). Density and frame rate are for weak cameras: fewer characters per
// code read more easily, a slower rate gives a slow camera time to focus. The choices are remembered for the
// session (this module outlives the screen); the signed result is public data, no key comes near it.
import { useCallback, useEffect, useId, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import type { QrShowResult, RequestView } from '../shared/contract';
import { renderQrMatrix } from '../shared/qr/image';
import { api } from './api';
import { wordsFor } from './words';
import { visible } from '../shared/text';
import { frameStatus } from './qr-frame-status';

type Format = 'ur' | 'bbqr';
type Density = 'low' | 'medium' | 'high';
type Content = 'response' | 'psbt';

const FPS_CHOICES = [2, 4, 6, 8, 10, 15] as const;
const DENSITY_WORDS: Record<Density, string> = { low: 'Low (easiest to read)', medium: 'Medium', high: 'High (fewest frames)' };

/** Remembered for the session: the next signed result opens with the operator's last choices. */
const remembered: { format: Format; density: Density; fps: number; content: Content } = { format: 'ur', density: 'medium', fps: 8, content: 'response' };

/** Canvas side in CSS pixels at most in the normal view; modules are whole pixels with the 4-module quiet zone of ISO/IEC 18004. */
const MAX_SIDE = 480;

/**
 * Draws `text` as a QR code with whole device pixels per module, at most `side` CSS pixels wide, the 4-module
 * quiet zone included in the canvas (white), so nothing around the canvas can eat into it. The canvas's CSS size
 * is set to its pixel size divided by the device pixel ratio: the browser never rescales a module.
 */
function draw(canvas: HTMLCanvasElement, text: string, side: number): void {
  const matrix = renderQrMatrix(text, 'low');
  const n = matrix.length + 8;
  const dpr = window.devicePixelRatio || 1;
  const scale = Math.max(2, Math.floor((side * dpr) / n));
  canvas.width = canvas.height = n * scale;
  // Width only: CSS max-width may narrow the normal view's code, and height follows the square canvas.
  canvas.style.width = `${(n * scale) / dpr}px`;
  canvas.dataset.modules = String(matrix.length);
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.fillStyle = '#000';
  matrix.forEach((row, r) => row.forEach((dark, c) => dark && ctx.fillRect((c + 4) * scale, (r + 4) * scale, scale, scale)));
}

/** One QR code of `text` in the normal view's size (also the key ceremony's public export, renderer/KeyCeremony.tsx). */
export function drawQr(canvas: HTMLCanvasElement, text: string): void {
  draw(canvas, text, MAX_SIDE);
}

/** What is not main's error here is the drawing's: the QR encoder refused the frame. */
const NOT_DRAWN = { otherwise: 'The QR code could not be drawn. Try another density; if it repeats, restart the app.' };

interface ShowingProps {
  request: RequestView;
  format: Format;
  density: Density;
  content: Content;
  fps: number;
  paused: boolean;
  onPause: () => void;
  full: boolean;
  onCloseFull: () => void;
}

function Showing({ request, format, density, content, fps, paused, onPause, full, onCloseFull }: ShowingProps) {
  const { requestId } = request;
  const canvas = useRef<HTMLCanvasElement>(null);
  const fullCanvas = useRef<HTMLCanvasElement>(null);
  const [shown, setShown] = useState<QrShowResult | null>(null);
  /** The frame on screen: its number (0 = none yet) and its text. Both canvases draw it in the same commit. */
  const [frame, setFrame] = useState({ n: 0, text: '' });
  /** The full-screen code's side in CSS pixels (0 until measured). */
  const [fullSide, setFullSide] = useState(0);
  const [error, setError] = useState('');
  const queue = useRef<string[]>([]);
  const batch = Math.min(120, Math.max(20, fps * 3));

  // A new request, format, density or content: main starts a new frame source, the queue starts empty.
  useEffect(() => {
    let live = true;
    queue.current = [];
    setShown(null);
    setFrame({ n: 0, text: '' });
    api
      .showQrFrames(requestId, { format, density, content, count: batch })
      .then((r) => {
        if (!live) return;
        setError('');
        setShown(r);
        if (r.mode === 'static') setFrame({ n: 1, text: r.text });
        else queue.current = [...r.frames];
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
      if (text !== undefined) setFrame((f) => ({ n: f.n + 1, text }));
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

  // Drawn in the commit that sets data-frame: a reader of the canvas never sees one frame's number on another's
  // pixels (the e2e reads both in one evaluate).
  useLayoutEffect(() => {
    if (frame.n === 0) return;
    try {
      if (canvas.current) draw(canvas.current, frame.text, MAX_SIDE);
      if (fullCanvas.current && fullSide > 0) draw(fullCanvas.current, frame.text, fullSide);
    } catch (e) {
      setError(wordsFor(e, NOT_DRAWN));
    }
  }, [frame, fullSide, full]);

  const what = !shown
    ? 'Preparing the QR code…'
    : shown.mode === 'static'
      ? `One static QR code (${shown.kind === 'psbt' ? 'base64 PSBT' : 'JSON text'}, ${shown.bytes.toLocaleString('en-US')} bytes): it fits one code at this density.`
      : `Animated ${shown.format === 'ur' ? 'UR' : 'BBQr'}: ${shown.bytes.toLocaleString('en-US')} bytes in ${shown.minimumFrames} ${shown.format === 'ur' ? 'fragments (more frames follow; any enough of them finish)' : 'parts (looping)'}, ${fps} frames a second. Frame ${frame.n}${paused ? ', paused' : ''}.`;
  const label = shown ? `QR code showing the signed result of ${visible(shown.file)}` : 'QR code being prepared';
  return (
    <>
      <div className="qr-show">
        <canvas ref={canvas} data-frame={frame.n} role="img" aria-label={label} width={MAX_SIDE} height={MAX_SIDE} />
        <p role="status" aria-live="off">
          {what}
        </p>
        <p className="error" role="alert">
          {error}
        </p>
      </div>
      {full && (
        <FullScreen
          request={request}
          status={shown ? frameStatus(shown, frame, { fps, paused }) : { frame: 'Preparing the QR code…', about: '' }}
          error={error}
          pause={shown?.mode === 'animated' ? { paused, onPause } : undefined}
          onClose={onCloseFull}
          onResize={setFullSide}
        >
          {/* No frame number until the box is measured and the code drawn: a reader never takes the blank canvas for a frame. */}
          <canvas ref={fullCanvas} data-frame={fullSide > 0 ? frame.n : 0} role="img" aria-label={label} />
        </FullScreen>
      )}
    </>
  );
}

interface FullScreenProps {
  request: RequestView;
  status: { frame: string; about: string };
  error: string;
  /** Offered for an animation only. */
  pause: { paused: boolean; onPause: () => void } | undefined;
  onClose: () => void;
  /** The code's side in CSS pixels, each time the window (and so the code's box) changes size. */
  onResize: (side: number) => void;
  /** The canvas. */
  children: ReactNode;
}

/**
 * The code alone on the window, as large as the window allows, for a camera across the desk. A modal <dialog>:
 * the page behind is inert, Escape closes it (the browser's own cancel), and the caller gives the focus back to
 * the button that opened it. It fills the window rather than asking for the Fullscreen API: the permission handler
 * refuses every permission but the camera (electron/security.ts, layer 5), and the window is the operator's to size.
 */
function FullScreen({ request, status, error, pause, onClose, onResize, children }: FullScreenProps) {
  const id = useId();
  const dialog = useRef<HTMLDialogElement>(null);
  const close = useRef<HTMLButtonElement>(null);
  const box = useRef<HTMLDivElement>(null);
  const onCloseNow = useRef(onClose);
  onCloseNow.current = onClose;
  useEffect(() => {
    const d = dialog.current;
    if (!d) return;
    // Escape closes the dialog in the browser; the close event tells the caller. The listener goes before this
    // effect's own close(), whose event would come after an unmount (and, in StrictMode's second mount, close the
    // dialog just opened).
    const closed = () => onCloseNow.current();
    d.addEventListener('close', closed);
    if (!d.open) d.showModal();
    close.current?.focus();
    return () => {
      d.removeEventListener('close', closed);
      if (d.open) d.close();
    };
  }, []);
  // The code's box is what the window leaves under the header; its smaller side is the code's side.
  useEffect(() => {
    const b = box.current;
    if (!b) return;
    const observer = new ResizeObserver(() => onResize(Math.floor(Math.min(b.clientWidth, b.clientHeight))));
    observer.observe(b);
    return () => observer.disconnect();
  }, [onResize]);
  return (
    <dialog ref={dialog} className="qr-full" aria-labelledby={`${id}-title`} aria-describedby={`${id}-who`}>
      <div className="qr-full-head">
        <h2 id={`${id}-title`}>Signed result of “{visible(request.file)}”</h2>
        <div className="actions">
          {pause && (
            <button type="button" className="secondary" onClick={pause.onPause}>
              {pause.paused ? 'Resume animation' : 'Pause animation'}
            </button>
          )}
          <button type="button" ref={close} onClick={onClose}>
            Close full screen (Esc)
          </button>
        </div>
        <p id={`${id}-who`}>
          Wallet {request.walletId} · review fingerprint <span className="qr-full-fingerprint">{request.fingerprint}</span>
        </p>
        <p className="qr-full-status" role="status" aria-live="off">
          <span className="qr-full-frame">{status.frame}</span> <span className="qr-full-about">{status.about}</span>
        </p>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
      </div>
      <div className="qr-full-code" ref={box}>
        {children}
      </div>
    </dialog>
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
  const [full, setFull] = useState(false);
  const opener = useRef<HTMLButtonElement>(null);
  const closeFull = useCallback(() => setFull(false), []);
  // The request gone from the list (the list reloads after each step) takes its full-screen view with it: the
  // next one chosen opens in the normal view.
  const gone = !current;
  useEffect(() => {
    if (gone) setFull(false);
  }, [gone]);
  // Back where the operator was, once the dialog is closed (while it is open the page behind it is inert and
  // cannot take the focus): the button that opened the view.
  const wasFull = useRef(false);
  useEffect(() => {
    if (wasFull.current && !full) opener.current?.focus();
    wasFull.current = full;
  }, [full]);
  return (
    <section aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Signed results as QR codes</h2>
      {requests.length === 0 ? (
        <p>Nothing signed yet. A signed request can be shown here as QR codes for the online computer's camera.</p>
      ) : (
        <div className="qr-send">
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
              <button type="button" ref={opener} disabled={!current} onClick={() => setFull(true)}>
                Show full screen
              </button>
            </div>
          </div>
          {current ? (
            <Showing
              request={current}
              format={format}
              density={density}
              content={content}
              fps={fps}
              paused={paused}
              onPause={() => setPaused((p) => !p)}
              full={full}
              onCloseFull={closeFull}
            />
          ) : (
            <p className="hint">Choose a signed request to show it.</p>
          )}
        </div>
      )}
    </section>
  );
}
