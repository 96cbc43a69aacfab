// What every run that changes a project shares: the project lock (one run at a time, also against an upgrade), a
// journal of its steps, an ending recorded whatever happens, and the clearing of what killed runs left behind.
import type { DockerPort } from '../docker/port.js';
import { sweepOrphans } from '../docker/throwaway-owner.js';
import type { Emit } from '../event-channel.js';
import type { CommandName } from '../events.js';
import { Journal } from '../runbook/journal.js';
import { RunLock } from '../runbook/lock.js';
import { runSteps, type Step } from '../runbook/executor.js';
import { runUndos, undoOf } from '../runbook/undo.js';
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

/**
 * Run a command's steps under the project lock and its journal. When one fails (or Ctrl-C), the undo of every step
 * that began runs, newest first (runbook/undo.ts, as the upgrade's rollback): the database put back from the run's
 * backup when it moved, the app started again as it was. The journal ends `rolled-back`, or `rollback-incomplete`
 * with what could not be put back said loudly. `onFailure` adds the command's own last word after the undo.
 */
export async function runProjectSteps(
  command: CommandName,
  project: { projectDir: string; docker: DockerPort },
  cmd: CommandRun,
  signal: AbortSignal,
  steps: (journal: Journal) => Step[],
  onFailure?: (error: unknown, journal: Journal, putBack: { ok: boolean; failures: string[] }) => Promise<void>,
): Promise<Journal> {
  const lock = await RunLock.acquire(project.projectDir, { runId: cmd.runId, command });
  const journal = await Journal.create(project.projectDir, cmd.runId, command, cmd.redactor);
  let built: Step[] = [];
  try {
    await clearOrphans(project.docker, cmd.channel.emit);
    built = steps(journal);
    await runSteps({ channel: cmd.channel, journal, signal }, built);
    await journal.finish('completed');
    return journal;
  } catch (error) {
    const undos = undoOf(built, journal);
    // The way back is not abortable: a second Ctrl-C must not leave the app half put back.
    const failures = await runUndos({ channel: cmd.channel, journal, signal: new AbortController().signal }, undos);
    await journal.finish(failures.length ? 'rollback-incomplete' : undos.length ? 'rolled-back' : 'failed');
    if (failures.length) {
      cmd.channel.emit({ type: 'notice', level: 'error', message: `Not everything this ${command} changed could be put back: ${failures.join('; ')}\nSee \`glowworm status\` for the state it is in.` });
    } else if (undos.length) {
      cmd.channel.emit({ type: 'notice', level: 'info', message: `Everything this ${command} changed was put back (${undos.length} step${undos.length === 1 ? '' : 's'} undone): the app is as it was before it.` });
    }
    await onFailure?.(error, journal, { ok: failures.length === 0, failures }).catch((e) => cmd.channel.emit({ type: 'notice', level: 'error', message: `Cleaning up also failed: ${(e as Error).message}` }));
    throw error;
  } finally {
    await lock.release();
  }
}
