// How an upgrade ends, said truthfully: `upgrade.completed` or `upgrade.failed` just before `run.finished`, with a
// `state` sentence that is true of the deployment as it is now — rolled back and verified, put back after Ctrl-C,
// stopped part-way (resumable), or left by another run.
import { errorInfo, externalError, GlowwormError, toGlowwormError } from '../errors.js';
import type { EventPayload, RunOutcome } from '../events.js';
import { withDb } from '../db/connection.js';
import { alembicRevisions } from '../db/schema.js';
import { rollback } from '../runbook/rollback.js';
import { STATE, type UpgradeRun } from '../runbook/upgrade-run.js';
import { diagnoseHalfApplied, liveOf, readLiveSchema, type SchemaSnapshot } from '../verify/half-applied.js';
import { backendMigrations } from './backend-image.js';
import type { CommandRun } from './run-command.js';

/** The error of a run stopped by the user after it started changing things (resumable). */
export const INTERRUPTED = 'upgrade.interrupted';

/** Refusals because of another run: this run changed nothing, but the deployment is as that run left it. */
const OTHER_RUN: Record<string, string> = {
  'lock.held': 'This run changed nothing; another glowworm run is working on this project.',
  'lock.stale': 'This run changed nothing; the deployment is as the earlier, stopped run left it.',
  'resume.pending': 'This run changed nothing; the deployment is as the earlier, unfinished upgrade left it.',
  'journal.unreadable': 'This run changed nothing; an earlier run left a journal that cannot be read.',
};

/**
 * Every upgrade says how it ended. A run that stopped before it changed anything (a failed pull, a held lock, "no"
 * at the plan) has not said it yet: this does, without claiming more than it knows.
 */
export function closingFailure(run: Pick<CommandRun, 'channel'>, error: unknown, opts: { continuing?: boolean } = {}): EventPayload | null {
  if (run.channel.emitted('upgrade.completed') || run.channel.emitted('upgrade.failed')) return null;
  const code = toGlowwormError(error).code;
  if (code === STOPPED_PUT_BACK || code === STOPPED_PUT_BACK_FAILED) {
    return { type: 'upgrade.failed', error: errorInfo(error), rolledBack: code === STOPPED_PUT_BACK, state: toGlowwormError(error).message };
  }
  const state = code === INTERRUPTED
    ? 'Stopped by you in the middle of the upgrade, after it had begun to change the database or the files. Nothing was rolled back.'
    : (OTHER_RUN[code] ?? (opts.continuing
      // --resume/--rollback of an unfinished run: what runs now is what that run left, not the version from before.
      ? 'This run changed nothing; the deployment is as the earlier, unfinished upgrade left it.'
      : 'Nothing was changed: the running version is as it was.'));
  return { type: 'upgrade.failed', error: errorInfo(error), rolledBack: false, state };
}

/** Before the rollback restores the database: say what the failed migration left behind (the user's evidence). */
async function reportHalfApplied(run: UpgradeRun): Promise<void> {
  try {
    // The preflight read them from the image already; only if that failed, try once more.
    const effects = run.target.effects.size
      ? run.target.effects
      : (await backendMigrations(run.docker, run.target.refs[run.observed.roles.backend!]!)).effects;
    const before = run.journal.state<SchemaSnapshot>(STATE.schemaBefore);
    const diagnosis = await withDb(run.creds, async (db) =>
      diagnoseHalfApplied(run.target.graph, effects, await alembicRevisions(db), await readLiveSchema(db), before ? liveOf(before) : undefined));
    if (diagnosis) run.channel.emit({ type: 'schema.half-applied', ...diagnosis });
  } catch (error) {
    run.channel.emit({ type: 'notice', level: 'warn', message: `Could not diagnose the schema: ${(error as Error).message}` });
  }
}

export async function rollBackAndReport(run: UpgradeRun, reason: string, cause: unknown): Promise<RunOutcome> {
  if (toGlowwormError(cause).code === 'migrate.failed') await reportHalfApplied(run);
  const result = await rollback(run, reason);
  // An incomplete rollback stays open: `--rollback` (or `--resume`) tries what failed again.
  await run.journal.finish(result.ok ? 'rolled-back' : 'rollback-incomplete');
  const error = errorInfo(cause ?? externalError('rollback.requested', reason));
  const state = result.ok
    ? `Running ${run.plan.fromVersion ?? 'the previous version'} again${result.restoredDatabase ? ', database restored from the backup' : ''}; verified.`
    : `Rollback incomplete: ${result.failures.join('; ')}. Fix what is named and run \`glowworm upgrade --rollback\` again (what was put back stays put back), or see \`glowworm doctor\`; the backup is in ${run.journal.state<{ file: string }>(STATE.backup)?.file ?? '(none taken)'}.`;
  run.channel.emit({ type: 'upgrade.failed', error, rolledBack: result.ok, state });
  return result.ok ? 'failed-rolled-back' : 'needs-attention';
}

/** The error of a run stopped by the user before it changed the database or the files, and put back (exit 130). */
export const STOPPED_PUT_BACK = 'upgrade.stopped-put-back';
/** …and putting the old version back did not finish: the rollback stays open. */
export const STOPPED_PUT_BACK_FAILED = 'upgrade.stopped-put-back-failed';

/**
 * Ctrl-C before the run began to change the database or the files: undo what it did to the containers (the old
 * version starts again), so that "stopped by you" leaves the deployment as it was, not stopped. The error it returns
 * says so; closingFailure() turns it into the run's last word.
 */
export async function putBackAfterStop(run: UpgradeRun): Promise<GlowwormError> {
  const result = await rollback(run, 'stopped by you before anything changed for good');
  await run.journal.finish(result.ok ? 'rolled-back' : 'rollback-incomplete');
  return result.ok
    ? new GlowwormError(`Stopped by you before the database or the files changed: ${run.plan.fromVersion ?? 'the previous version'} runs again, verified.`, { kind: 'aborted', code: STOPPED_PUT_BACK })
    : new GlowwormError(`Stopped by you; putting the old version back failed: ${result.failures.join('; ')}.`, {
      kind: 'aborted', code: STOPPED_PUT_BACK_FAILED, hint: 'Run `glowworm upgrade --rollback` again once the cause is fixed.',
    });
}
