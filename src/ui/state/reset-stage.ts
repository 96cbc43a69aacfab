// Where the reset wizard is, from the run's view and the open question.
import type { Question } from '../question-bridge.js';
import type { RunView } from './run-view.js';

export type ResetStage = 'looking' | 'explain' | 'running' | 'typed' | 'done' | 'refused' | 'failed';

export function resetStageOf(view: RunView, question: Question | null, streamDone: boolean): ResetStage {
  if (view.finished || streamDone) {
    const outcome = view.finished?.outcome ?? null;
    if (outcome === 'ok') return 'done';
    // Stopped before the drop: the typed name did not match, or the user said no. Nothing was deleted.
    const dropped = view.steps.finished.some((s) => s.id.endsWith('drop-create'));
    return (outcome === 'aborted' || outcome === 'usage') && !dropped ? 'refused' : 'failed';
  }
  if (question?.kind === 'typed') return 'typed';
  if (question?.kind === 'yes-no' && view.steps.finished.length === 0 && !view.steps.live) return 'explain';
  if (view.steps.live || view.steps.finished.length) return 'running';
  return 'looking';
}

/** The backup the reset took, to show `glowworm restore <file>`. */
export function resetBackupFile(view: RunView): string | null {
  return view.backup?.path ?? null;
}
