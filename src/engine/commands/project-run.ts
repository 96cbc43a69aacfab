// What every run that changes a project shares: the project lock (one run at a time, also against an upgrade), a
// journal of its steps, an ending recorded whatever happens, and the clearing of what killed runs left behind.
import type { DockerPort } from '../docker/port.js';
import { sweepOrphans } from '../docker/throwaway-owner.js';
import type { Emit } from '../event-channel.js';
import type { CommandName } from '../events.js';
import { Journal } from '../runbook/journal.js';
import { RunLock } from '../runbook/lock.js';
import { runSteps, type Step } from '../runbook/executor.js';
import type { CommandRun } from './run-command.js';

/**
 * Remove the throwaway containers and networks of glowworm processes that were killed (see throwaway-owner.ts) and
 * say so. Failing to is not a reason to stop the run that asked: it is reported and the run goes on.
 */
export async function clearOrphans(docker: DockerPort, emit: Emit): Promise<void> {
  try {
    const removed = await sweepOrphans(docker);
    if (removed.length) emit({ type: 'notice', level: 'info', message: `Removed what a killed glowworm run left behind: ${removed.join(', ')}.` });
  } catch (error) {
    emit({ type: 'notice', level: 'warn', message: `Could not check for containers left by a killed glowworm run: ${(error as Error).message}` });
  }
}

export async function runProjectSteps(
  command: CommandName,
  project: { projectDir: string; docker: DockerPort },
  cmd: CommandRun,
  signal: AbortSignal,
  steps: (journal: Journal) => Step[],
  onFailure?: (error: unknown) => Promise<void>,
): Promise<Journal> {
  const lock = await RunLock.acquire(project.projectDir, { runId: cmd.runId, command });
  const journal = await Journal.create(project.projectDir, cmd.runId, command, cmd.redactor);
  try {
    await clearOrphans(project.docker, cmd.channel.emit);
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
