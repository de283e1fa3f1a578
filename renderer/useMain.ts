// How a component calls main: the call runs, its failure becomes the operator's words (words.ts) for the
// component's error line, and a success clears that line. Nothing thrown by a call escapes to React.
import { useCallback, useState } from 'react';
import { wordsFor } from './words';

export interface MainCalls {
  /** True while a call that counts as busy runs: the component disables what would start another. */
  busy: boolean;
  /** The last failure in the operator's words; null after a call succeeds. */
  error: string | null;
  /**
   * Runs `call` (a call to main and what follows it on success); resolves to whether it succeeded. `busy: false`
   * for a refresh the operator does not wait on, so it does not disable the component's buttons.
   */
  run: (call: () => Promise<unknown>, options?: { busy?: boolean }) => Promise<boolean>;
  /** For what the renderer finds wrong itself, in the operator's words already (null clears the line). */
  setError: (words: string | null) => void;
}

export function useMain(): MainCalls {
  // A count, not a flag: a second call ending must not say "not busy" while the first still runs.
  const [running, setRunning] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const run = useCallback(async (call: () => Promise<unknown>, { busy = true }: { busy?: boolean } = {}) => {
    if (busy) setRunning((n) => n + 1);
    try {
      await call();
      setError(null);
      return true;
    } catch (e) {
      setError(wordsFor(e));
      return false;
    } finally {
      if (busy) setRunning((n) => n - 1);
    }
  }, []);
  return { busy: running > 0, error, run, setError };
}
