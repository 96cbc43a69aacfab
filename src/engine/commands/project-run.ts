// What every run that changes a project shares: the project lock (one run at a time, also against an upgrade), a
// journal of its steps, and an ending recorded whatever happens.
import type { CommandName } from '../events.js';
import { Journal } from '../runbook/journal.js';
import { RunLock } from '../runbook/lock.js';
import { runSteps, type Step } from '../runbook/executor.js';
import type { CommandRun } from './run-command.js';

export async function runProjectSteps(
  command: CommandName,
  projectDir: string,
  cmd: CommandRun,
  signal: AbortSignal,
  steps: (journal: Journal) => Step[],
  onFailure?: (error: unknown) => Promise<void>,
): Promise<Journal> {
  const lock = await RunLock.acquire(projectDir, { runId: cmd.runId, command });
  const journal = await Journal.create(projectDir, cmd.runId, command, cmd.redactor);
  try {
    await runSteps({ channel: cmd.channel, journal, signal }, steps(journal));
    await journal.finish('completed');
    return journal;
  } catch (error) {
    await journal.finish('failed');
    await onFailure?.(error).catch((e) => cmd.channel.emit({ type: 'notice', level: 'error', message: `Cleaning up also failed: ${(e as Error).message}` }));
    throw error;
  } finally {
    await lock.release();
  }
}
