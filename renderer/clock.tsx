// The one clock of the lock countdowns: a tick each second while a wallet (or the receipt key) has an idle-lock
// time, shared by the wallet cards, the receipt key's row and the header (one timer, however many countdowns show).
// Main locks the keys; this only shows when.
import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from 'react';

const NowContext = createContext<number>(0);

export function ClockProvider({ ticking, children }: { ticking: boolean; children: ReactNode }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!ticking) return;
    setNow(Date.now());
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [ticking]);
  return <NowContext.Provider value={now}>{children}</NowContext.Provider>;
}

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
 * The idle auto-lock countdown, redrawn each second from main's locksAt. At zero it says so until the card is
 * redrawn as locked: a wallet's by main's walletChanged event, the receipt key's by `onDue` (its card asks main for
 * the state again). `compact` is the header's short form.
 */
export function LockCountdown({ locksAt, compact = false, onDue }: { locksAt: number; compact?: boolean; onDue?: () => void }) {
  const left = locksAt - useContext(NowContext);
  // Told once per deadline (a new locksAt after a use is a new deadline), whatever the parent re-renders.
  const told = useRef<number | null>(null);
  useEffect(() => {
    if (left > 0 || told.current === locksAt) return;
    told.current = locksAt;
    onDue?.();
  }, [left, locksAt, onDue]);
  if (compact) {
    return (
      <span className="countdown" role="timer" aria-live="off">
        {left > 0 ? `locks in ${formatRemaining(left)}` : 'locking now…'}
      </span>
    );
  }
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
