// Undo as data: a run's way back is the `undo` of every step its journal shows as begun (started, completed or
// failed: its effects may be there), newest first — each one journaled as a step of its own, so a rollback that was
// itself interrupted shows how far it got. The upgrade's rollback and every other command's failure path use this.
import { runStep, type ExecutorContext, type Step } from './executor.js';
import type { Journal } from './journal.js';

export function undoOf(steps: readonly Step[], journal: Journal): Step[] {
  return steps.filter((s) => s.undo && journal.ran(s.id)).reverse()
    .map((s) => ({ id: `undo:${s.id}`, title: `Undo: ${s.title}`, run: (signal: AbortSignal) => s.undo!(signal) }));
}

/**
 * Run the undos in order, going on past a failed one (the later ones still help, and the user needs the fullest
 * picture); returns what could not be put back.
 */
export async function runUndos(ctx: ExecutorContext, undos: readonly Step[]): Promise<string[]> {
  const failures: string[] = [];
  for (const step of undos) {
    try {
      await runStep(ctx, step);
    } catch (error) {
      failures.push((error as Error).message);
    }
  }
  return failures;
}
