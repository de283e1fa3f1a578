// Receive screen: a signing request from QR codes on the camera. The camera (video only) feeds a live preview;
// one frame at a time goes to the decoder in a Web Worker (renderer/qr-worker.ts), so the page stays responsive;
// each code's text goes to main, which assembles multi-part codes and imports the request exactly as a file
// import would (electron/workflow/qr-intake.ts). Progress, foreign and unreadable codes are said in words. The
// camera is stopped (every track) when the scan ends, the operator stops it, or the screen goes away.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ImportFileResult, QrScanResult } from '../shared/contract';
import { api } from './api';
import { wordsFor } from './words';
import type { QrWorkerAnswer, QrWorkerRequest } from './qr-worker';

/** Frames looked at without finding a code before the screen says so (about 3 s at a webcam's 10 fps). */
const NO_CODE_FRAMES = 30;

type Progress = Extract<QrScanResult, { status: 'progress' }>;

const FORMAT_WORDS = { ur: 'animated UR', bbqr: 'animated BBQr' } as const;

function cameraProblem(e: unknown): string {
  const name = e instanceof DOMException ? e.name : '';
  if (name === 'NotAllowedError' || name === 'SecurityError') return 'The camera was not allowed. This app uses the camera only to read QR codes; allow it, then press “Scan QR code” again.';
  if (name === 'NotFoundError' || name === 'OverconstrainedError') return 'No camera found. Connect one, then press “Scan QR code” again.';
  if (name === 'NotReadableError') return 'The camera could not start: another program may be using it. Close that program, then press “Scan QR code” again.';
  return 'The camera could not start. Press “Scan QR code” to try again; if it repeats, restart the app.';
}

/** "about 4 s left" from how fast parts have been arriving in this transfer; nothing until there is a rate. */
function timeLeft(p: Progress, since: { at: number; received: number } | null, now: number): string {
  if (!since || p.received <= since.received || now <= since.at) return 'estimating the time left';
  const perSecond = (p.received - since.received) / ((now - since.at) / 1000);
  const seconds = Math.max(1, Math.ceil(p.remaining / perSecond));
  return `about ${seconds} s left${p.format === 'ur' ? ' (at least)' : ''}`;
}

export function QrScan({ onImported }: { onImported: (result: ImportFileResult) => void }) {
  const [on, setOn] = useState(false);
  const [progress, setProgress] = useState<Progress | null>(null);
  const [eta, setEta] = useState('');
  const [status, setStatus] = useState('');
  const [problem, setProblem] = useState('');
  const [looked, setLooked] = useState(0);
  const video = useRef<HTMLVideoElement>(null);
  const stream = useRef<MediaStream | null>(null);
  const worker = useRef<Worker | null>(null);
  /** Bumped on every start and stop: a late answer from a previous scan is ignored. */
  const run = useRef(0);

  const stop = useCallback(() => {
    run.current++;
    for (const track of stream.current?.getTracks() ?? []) track.stop();
    stream.current = null;
    if (video.current) video.current.srcObject = null;
    worker.current?.terminate();
    worker.current = null;
    setOn(false);
  }, []);

  // Leaving the screen stops the camera and drops any partial transfer in main.
  useEffect(
    () => () => {
      stop();
      void api.resetQrScan().catch(() => undefined);
    },
    [stop],
  );

  const start = async () => {
    stop();
    const mine = ++run.current;
    setProblem('');
    setStatus('Starting the camera…');
    setProgress(null);
    setEta('');
    setLooked(0);
    let media: MediaStream;
    try {
      await api.resetQrScan();
      media = await navigator.mediaDevices.getUserMedia({ audio: false, video: { width: { ideal: 1280 }, height: { ideal: 720 }, facingMode: 'environment' } });
    } catch (e) {
      setStatus('');
      setProblem(wordsFor(e, { otherwise: cameraProblem(e) }));
      return;
    }
    if (run.current !== mine) {
      for (const track of media.getTracks()) track.stop();
      return;
    }
    stream.current = media;
    const v = video.current!;
    v.srcObject = media;
    await v.play().catch(() => undefined);
    const w = new Worker(new URL('./qr-worker.ts', import.meta.url), { name: 'qr-decoder' });
    worker.current = w;
    setOn(true);
    setStatus('Camera on. Hold the QR code in front of it.');

    let frameId = 0;
    let lastText = '';
    let sinceCode = 0;
    let frames = 0;
    let since: { at: number; received: number } | null = null;
    let transfer = '';

    const next = () => {
      if (run.current !== mine) return;
      // One frame in flight: the next is grabbed only after this one's answer (and its IPC call) are done.
      v.requestVideoFrameCallback(() => void grab());
    };
    const grab = async () => {
      if (run.current !== mine) return;
      if (v.videoWidth === 0) return next();
      let frame: ImageBitmap;
      try {
        frame = await createImageBitmap(v);
      } catch {
        return next();
      }
      if (run.current !== mine) return frame.close();
      const message: QrWorkerRequest = { id: ++frameId, frame };
      w.postMessage(message, [frame]);
    };
    const handle = async (text: string) => {
      const r = await api.scanQrFrame(text);
      if (run.current !== mine) return;
      if (r.status === 'progress') {
        const id = `${r.format}/${r.total}`;
        if (id !== transfer || r.restarted !== undefined) {
          transfer = id;
          since = { at: performance.now(), received: r.received };
        }
        setProgress(r);
        setEta(timeLeft(r, since, performance.now()));
        setProblem('');
        setStatus(r.restarted !== undefined ? `A different code appeared, so the scan started over with it (${r.restarted}).` : `Reading ${FORMAT_WORDS[r.format]}… keep the camera on the code.`);
      } else if (r.status === 'foreign') {
        setProblem(`That QR code is not a signing request: ${r.message}. Show the request's QR code instead.`);
      } else if (r.status === 'unreadable') {
        setProblem(`A QR code could not be used: ${r.error.error}. Keep the code steady and in view; the scan goes on.`);
      } else {
        stop();
        setProgress(null);
        setEta('');
        onImported(r.result);
        if (r.result.ok) {
          setProblem('');
          setStatus(`Imported as “${r.result.file}” for wallet ${r.result.walletId}. The camera is off. Review it under “Imported requests”.`);
        } else {
          setStatus('The camera is off.');
          setProblem(
            r.result.chooseWallet
              ? 'The scanned PSBT does not say which wallet it is for. Choose its wallet and network under “Last import” below; the scan is kept, no need to scan again.'
              : `The scanned request was NOT imported: ${r.result.error.error}`,
          );
        }
      }
    };
    w.onmessage = (e: MessageEvent<QrWorkerAnswer>) => {
      if (run.current !== mine) return;
      frames++;
      setLooked(frames);
      const { text } = e.data;
      if (text === null) {
        sinceCode++;
        if (sinceCode === NO_CODE_FRAMES) setStatus(`No QR code found yet in ${NO_CODE_FRAMES} camera frames. Hold the code flat, 15 to 30 cm from the camera, in good light, and keep it still.`);
        return next();
      }
      sinceCode = 0;
      // The same code seen again (a static code, or an animation's frame held on screen) adds nothing.
      if (text === lastText) return next();
      lastText = text;
      handle(text).then(next, (err: unknown) => {
        setProblem(wordsFor(err, { otherwise: 'The scan could not continue. Press “Scan QR code” to try again.' }));
        stop();
      });
    };
    w.onerror = () => {
      setProblem('The QR decoder stopped unexpectedly. Press “Scan QR code” to try again.');
      stop();
    };
    next();
  };

  return (
    <section aria-labelledby="qr-scan-title">
      <div className="section-head">
        <h2 id="qr-scan-title">Request from QR codes (camera)</h2>
        <div className="actions">
          {on ? (
            <button type="button" className="secondary" onClick={() => { stop(); setStatus('Camera off.'); void api.resetQrScan().catch(() => undefined); }}>
              Stop camera
            </button>
          ) : (
            <button type="button" onClick={() => void start()}>
              Scan QR code
            </button>
          )}
        </div>
      </div>
      <p className="muted">Reads a single QR code (PSBT or request) or an animated one (UR or BBQr). The request is checked and reviewed exactly like a file.</p>
      <div className="qr-camera" hidden={!on}>
        <video ref={video} muted playsInline aria-label="Camera preview" />
      </div>
      {progress && (
        <div className="qr-progress" role="group" aria-label="QR scan progress">
          <progress value={progress.received} max={Math.max(progress.total, 1)} aria-label={`${progress.received} of ${progress.total} parts received`} />
          <p>
            Parts received: <strong>{progress.received} of {progress.total}</strong> ({FORMAT_WORDS[progress.format]}), {eta}
          </p>
        </div>
      )}
      <p role="status">{status}</p>
      {on && looked > 0 ? <p className="muted">{looked} camera frames looked at</p> : null}
      <p className="error" role="alert">
        {problem}
      </p>
    </section>
  );
}
