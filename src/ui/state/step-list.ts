// Steps of a run as the screens show them: finished ones in the order they ended (an append-only list, which is
// what ink's <Static> needs) and the one running now.
import type { ErrorInfo } from '../../engine/errors.js';
import type { EventOf } from '../../engine/events.js';

export type StepStatus = 'running' | 'completed' | 'skipped' | 'failed';

export interface StepView {
  id: string;
  title: string;
  status: StepStatus;
  startedAt: number | null;
  durationMs: number | null;
  /** The step's one-line summary, or why it was skipped. */
  note: string | null;
  error: ErrorInfo | null;
}

export interface StepsView {
  finished: StepView[];
  live: StepView | null;
}

export const NO_STEPS: StepsView = { finished: [], live: null };

export function stepStarted(steps: StepsView, e: EventOf<'step.started'>): StepsView {
  const live: StepView = { id: e.step, title: e.title, status: 'running', startedAt: e.ts, durationMs: null, note: null, error: null };
  // A step that starts while another is live means the engine never closed the first one: keep it visible as ended.
  const finished = steps.live ? [...steps.finished, { ...steps.live, status: 'completed' as const }] : steps.finished;
  return { finished, live };
}

function finish(steps: StepsView, id: string, change: (s: StepView) => StepView): StepsView {
  const base: StepView = steps.live?.id === id
    ? steps.live
    : { id, title: id, status: 'running', startedAt: null, durationMs: null, note: null, error: null };
  return { finished: [...steps.finished, change(base)], live: steps.live?.id === id ? null : steps.live };
}

export function stepCompleted(steps: StepsView, e: EventOf<'step.completed'>): StepsView {
  return finish(steps, e.step, (s) => ({ ...s, status: 'completed', durationMs: e.durationMs, note: e.summary ?? null }));
}

export function stepSkipped(steps: StepsView, e: EventOf<'step.skipped'>): StepsView {
  return finish(steps, e.step, (s) => ({ ...s, title: e.title, status: 'skipped', note: e.reason }));
}

export function stepFailed(steps: StepsView, e: EventOf<'step.failed'>): StepsView {
  return finish(steps, e.step, (s) => ({ ...s, status: 'failed', durationMs: e.durationMs, error: e.error }));
}
