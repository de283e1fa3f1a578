// The idle auto-lock countdown of an unlocked key (a wallet, or the receipt key), redrawn each second from main's
// locksAt: main locks the key; this only shows when.
import { useEffect, useRef, useState } from 'react';

function formatTime(ms: number): string {
  return new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

/** "4:32", or "1:04:32" from an hour up: what is left before the idle auto-lock. */
export function formatRemaining(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const sec = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

/**
 * The idle auto-lock countdown, redrawn each second from main's locksAt (main locks the key; this only shows
 * when). At zero it says so until the card is redrawn as locked: a wallet's by main's walletChanged event, the
 * receipt key's by `onDue` (its card asks main for the state again).
 */
export function LockCountdown({ locksAt, onDue }: { locksAt: number; onDue?: () => void }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  const left = locksAt - now;
  // Told once per deadline (a new locksAt after a use is a new deadline), whatever the parent re-renders.
  const told = useRef<number | null>(null);
  useEffect(() => {
    if (left > 0 || told.current === locksAt) return;
    told.current = locksAt;
    onDue?.();
  }, [left, locksAt, onDue]);
  return (
    <p className="countdown" role="timer" aria-live="off">
      {left > 0 ? (
        <>
          Locks in <strong>{formatRemaining(left)}</strong> if unused <span className="muted">(at {formatTime(locksAt)})</span>
        </>
      ) : (
        'Locking now…'
      )}
    </p>
  );
}
