// Runs steps in order. No decisions here (design.md rule 2): the plan chose the steps; the executor journals each
// one (started before, completed after), emits its events, and wraps a failure with the step's name. On resume, a
// step the journal marks completed is skipped; one marked started (the crash happened inside it) runs again, which
// is why every step first looks at what is really there.
import type { EventChannel } from '../event-channel.js';
import { StepFailedError, abortedError, errorInfo } from '../errors.js';
import type { Journal } from './journal.js';

export interface Step {
  id: string;
  title: string;
  /** Returns an optional one-line summary ("3 images, 412 MB"). */
  run(signal: AbortSignal): Promise<string | void>;
  /**
   * Puts back what run() changed (as an umzug migration has `down`), for a run that started or finished: it looks at
   * what is there, so it is safe on a step a crash interrupted half-way, and safe to run twice. Absent: the step
   * changes nothing that needs putting back.
   */
  undo?(signal: AbortSignal): Promise<string | void>;
}

export interface ExecutorContext {
  channel: EventChannel;
  journal: Journal;
  signal: AbortSignal;
}

export async function runStep(ctx: ExecutorContext, step: Step): Promise<void> {
  const { channel, journal } = ctx;
  if (journal.isCompleted(step.id)) {
    channel.emit({ type: 'step.skipped', step: step.id, title: step.title, reason: 'already done before the run was interrupted' });
    return;
  }
  if (ctx.signal.aborted) throw new StepFailedError(step.id, abortedError());
  channel.setStep(step.id);
  const started = Date.now();
  await journal.stepStarted(step.id, step.title);
  channel.emit({ type: 'step.started', step: step.id, title: step.title });
  try {
    const summary = await step.run(ctx.signal);
    await journal.stepEnded(step.id, 'completed', summary ? { summary } : {});
    channel.emit({ type: 'step.completed', step: step.id, durationMs: Date.now() - started, ...(summary ? { summary } : {}) });
  } catch (error) {
    const failed = error instanceof StepFailedError ? error : new StepFailedError(step.id, ctx.signal.aborted ? abortedError() : error);
    await journal.stepEnded(step.id, 'failed', { error: errorInfo(failed) });
    channel.emit({ type: 'step.failed', step: step.id, durationMs: Date.now() - started, error: errorInfo(failed) });
    throw failed;
  } finally {
    channel.setStep('run');
  }
}

export async function runSteps(ctx: ExecutorContext, steps: Step[]): Promise<void> {
  for (const step of steps) await runStep(ctx, step);
}
