// One step at a time (issue 19, item 10): the journey an operator moves through (key store, unlock, import, review,
// sign, export or show, summary) and the rooms off it (the wallets registry, the key ceremony, settings). Only the
// current step's parts are shown; the others stay mounted but hidden, so their state (an open review, an import's
// results, a chosen drive) is there when the operator comes back. The app moves the operator on when the work says
// so (`go`); the step bar in the header goes back to any step. Each step says in the header what it needs to go on.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { focusCurrentStep } from './focus';

export type JourneyStep = 'keystore' | 'unlock' | 'import' | 'review' | 'sign' | 'export' | 'summary';
export type Room = 'wallets' | 'ceremony' | 'settings';
export type StepId = JourneyStep | Room;

/** The journey in order, with the words of the step bar. */
export const JOURNEY: readonly { id: JourneyStep; label: string }[] = [
  { id: 'keystore', label: 'Key store' },
  { id: 'unlock', label: 'Unlock' },
  { id: 'import', label: 'Import' },
  { id: 'review', label: 'Review' },
  { id: 'sign', label: 'Sign' },
  { id: 'export', label: 'Export / show' },
  { id: 'summary', label: 'Summary' },
];
export const ROOMS: readonly { id: Room; label: string }[] = [
  { id: 'wallets', label: 'Wallets registry' },
  { id: 'ceremony', label: 'Key ceremony' },
  { id: 'settings', label: 'Settings' },
];

export interface Steps {
  step: StepId;
  /** Shows `step`; its heading takes the focus and comes to the top of the view (not on the first choice). */
  go: (step: StepId, options?: { focus?: boolean }) => void;
  /** What each step needs to go on, in words, as its parts last said it. */
  needs: Partial<Record<StepId, string>>;
  say: (step: StepId, words: string) => void;
}

const StepsContext = createContext<Steps>({ step: 'keystore', go: () => undefined, needs: {}, say: () => undefined });
export const StepsProvider = StepsContext.Provider;
export const useSteps = (): Steps => useContext(StepsContext);

/** The steps' state, held by the app (above the header and the steps, which both read it). */
export function useStepState(): Steps {
  // `visit` counts the moves: going to the step already shown (the next review) brings its heading back too.
  const [at, setAt] = useState<{ step: StepId; visit: number; focus: boolean }>({ step: 'keystore', visit: 0, focus: false });
  const [needs, setNeeds] = useState<Partial<Record<StepId, string>>>({});
  const go = useCallback((step: StepId, { focus = true }: { focus?: boolean } = {}) => setAt((a) => ({ step, visit: a.visit + 1, focus })), []);
  const say = useCallback((step: StepId, words: string) => setNeeds((n) => (n[step] === words ? n : { ...n, [step]: words })), []);
  // After the render that shows the step (a hidden heading cannot take the focus).
  useEffect(() => {
    if (at.focus) focusCurrentStep();
  }, [at]);
  return useMemo(() => ({ step: at.step, go, needs, say }), [at.step, go, needs, say]);
}

/** A part's words for what its step needs to go on, said in the header while that step is shown. */
export function useStepNeed(step: StepId, words: string): void {
  const { say } = useSteps();
  useEffect(() => say(step, words), [say, step, words]);
}

/** A part of the page shown in the given steps only (kept mounted, hidden in the others). */
export function Step({ show, children }: { show: StepId | readonly StepId[]; children: ReactNode }) {
  const { step } = useSteps();
  const list: readonly StepId[] = typeof show === 'string' ? [show] : show;
  return (
    <div className="step" data-step={list.join(' ')} hidden={!list.includes(step)}>
      {children}
    </div>
  );
}

/** The step bar: the journey as an ordered list (the current one marked for assistive technology), then the rooms. */
export function StepBar() {
  const { step, go } = useSteps();
  return (
    <nav aria-label="Steps" className="step-bar">
      <ol>
        {JOURNEY.map((s, i) => (
          <li key={s.id}>
            <button type="button" className="step-link" aria-current={step === s.id ? 'step' : undefined} onClick={() => go(s.id)}>
              <span className="step-n" aria-hidden="true">
                {i + 1}
              </span>
              {s.label}
            </button>
          </li>
        ))}
      </ol>
      <ul aria-label="Other rooms">
        {ROOMS.map((r) => (
          <li key={r.id}>
            <button type="button" className="step-link room-link" aria-current={step === r.id ? 'page' : undefined} onClick={() => go(r.id)}>
              {r.label}
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** The words of the bar for a step (the header names the current one). */
export function stepLabel(step: StepId): string {
  return [...JOURNEY, ...ROOMS].find((s) => s.id === step)?.label ?? step;
}
