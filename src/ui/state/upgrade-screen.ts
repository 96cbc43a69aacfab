// Which upgrade screen shows, from the run's view state and the open question. Pure, so every transition is tested.
import type { Question } from '../question-bridge.js';
import type { RunView } from './run-view.js';

export type UpgradeScreen = 'preparing' | 'plan' | 'run' | 'success' | 'failure';

export function upgradeScreenOf(view: RunView, question: Question | null, streamDone: boolean): UpgradeScreen {
  if (view.finished) return view.finished.ok ? 'success' : 'failure';
  if (streamDone) return 'failure'; // the stream ended without `run.finished`: a bug, shown as a failure
  if (question?.kind === 'plan') return 'plan';
  if (view.rollback || view.result) return 'run';
  // The engine announces its look and its pull as steps before there is a plan: until the plan, the preparing
  // screen (with the pull's bars) stays; the run screen starts with the first step after it.
  if (view.plan === null) return 'preparing';
  return view.steps.live || view.steps.finished.length > 0 ? 'run' : 'preparing';
}

export type PhaseState = 'waiting' | 'active' | 'done';

export interface PreparingPhases {
  discover: PhaseState;
  pull: PhaseState;
  readImage: PhaseState;
}

/**
 * Before the plan: discover + observe (no events of their own), pull (per-image progress), then read the new image
 * (Alembic graph, release notes). The engine pulls BEFORE planning: the plan needs the new image's contents.
 */
export function preparingPhases(view: RunView): PreparingPhases {
  const pulling = view.pulls.length > 0;
  const allPulled = pulling && view.pulls.every((p) => p.done);
  const planned = view.plan !== null;
  return {
    // The look (observe) is the first step to end; a run without a pull (--no-pull, --resume) has only that to go by.
    discover: pulling || planned || view.steps.finished.length > 0 ? 'done' : 'active',
    pull: planned || allPulled ? 'done' : pulling ? 'active' : 'waiting',
    readImage: planned ? 'done' : allPulled ? 'active' : 'waiting',
  };
}
