// Opening an upgrade run: the project's lock first (a second upgrade while one works is told so, exit 75, whatever
// the journals say), then the journal — a new one, or the unfinished run `--resume`/`--rollback` go on with. A run
// that stopped before it changed anything is closed (nothing to resume or roll back); one that changed things must be
// resumed or rolled back before anything new starts.
import { toGlowwormError, userError } from '../errors.js';
import type { Emit } from '../event-channel.js';
import { Journal } from '../runbook/journal.js';
import { lockHolder, RunLock } from '../runbook/lock.js';
import { STATE } from '../runbook/upgrade-run.js';
import type { Redactor } from '../secrets.js';
import type { UpgradeRequest } from '../api.js';

export interface SavedOptions {
  toTag: string | null;
  backup: boolean;
  rehearse: boolean;
  files: string[];
  timeoutMs: number;
}

export interface OpenedRun {
  lock: RunLock;
  journal: Journal;
  /** A run that changed things, continued by --resume or --rollback: no new plan, no question. */
  continuing: boolean;
  saved: SavedOptions;
}

/**
 * The lock, taking over the one a dead upgrade left (the journal that run wrote says how to go on). A dead backup's,
 * restore's or reset's lock is refused with what that run may have left.
 */
export async function takeLock(projectDir: string, runId: string): Promise<RunLock> {
  try {
    return await RunLock.acquire(projectDir, { runId, command: 'upgrade' });
  } catch (error) {
    if (toGlowwormError(error).code !== 'lock.stale' || (await lockHolder(projectDir))?.command !== 'upgrade') throw error;
    return RunLock.acquire(projectDir, { runId, command: 'upgrade' }, { takeOverStale: true });
  }
}

/** Where an unfinished run stopped, for the message that refuses to start another over it. */
function whereItStopped(j: Journal): string {
  const last = j.steps.at(-1);
  return last ? `at "${last.title}" (${last.status})` : 'before its first step';
}

export async function openRun(opts: UpgradeRequest, runId: string, redactor: Redactor, emit: Emit): Promise<OpenedRun> {
  const lock = await takeLock(opts.projectDir, runId);
  try {
    let previous = await Journal.findUnfinished(opts.projectDir, 'upgrade', redactor);
    if ((opts.resume || opts.rollback) && !previous) {
      throw userError('resume.nothing', 'There is no unfinished upgrade to continue in this project.', 'Start one with `glowworm upgrade`.');
    }
    let carried: SavedOptions | null = null;
    // Phases before the first step (observe, pull, plan, baseline) change nothing and are not journaled.
    if (previous && previous.steps.length === 0) {
      await previous.finish('failed');
      emit({ type: 'notice', level: 'info', message: `The upgrade run ${previous.runId} stopped before it changed anything; there is nothing to resume or roll back.` });
      if (opts.rollback) throw userError('resume.nothing', `The upgrade run ${previous.runId} stopped before it changed anything: there is nothing to roll back.`);
      // Resuming a run that had not changed anything yet is starting it again, with its options: plan, and ask.
      carried = opts.resume ? (previous.state<SavedOptions>(STATE.options) ?? null) : null;
      previous = null;
    }
    const continuing = !!previous && !!(opts.resume || opts.rollback);
    if (previous && !continuing) {
      throw userError('resume.pending', `A previous upgrade (run ${previous.runId}) did not finish: it stopped ${whereItStopped(previous)}, and the deployment is as it left it.`,
        'Continue it with `glowworm upgrade --resume`, or put everything back with `glowworm upgrade --rollback`.');
    }
    const journal = previous ?? (await Journal.create(opts.projectDir, runId, 'upgrade', redactor));
    if (previous) await journal.reopen();
    const saved: SavedOptions = journal.state<SavedOptions>(STATE.options) ?? carried ?? {
      toTag: opts.toTag ?? null, backup: opts.backup ?? true, rehearse: opts.rehearse ?? false, files: opts.files ?? [], timeoutMs: opts.timeoutMs ?? 600_000,
    };
    await journal.setState(STATE.options, saved);
    return { lock, journal, continuing, saved };
  } catch (error) {
    await lock.release();
    throw error;
  }
}
