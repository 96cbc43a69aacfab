// Put the deployment back the way it was, as the undo of what ran (design.md rule 2): every operation the journal
// shows as begun (started, completed or failed) is undone by its own step's undo, newest first — so the swapped
// containers go back before the database is restored (the backup's undo: only when a process of the new version
// wrote to it and it no longer matches the backup; Alembic downgrades are no safe way back, several of GlowWorm's
// are empty), and the old version starts again last (the stop's undo). Then the old version is verified against the
// checks it passed before. Each undo is journaled like a step, so an interrupted rollback goes on with `--resume`.
import { withDb } from '../db/connection.js';
import { alembicRevisions, listTables } from '../db/schema.js';
import { externalError } from '../errors.js';
import { runVerification } from '../verify/run-checks.js';
import { runStep, type Step } from './executor.js';
import { previousVersionExpectations } from './previous-version.js';
import { backupState, completed, planSteps, startedAWriter } from './run-state.js';
import { upgradeSteps } from './upgrade-steps.js';
import { undoOf } from './undo.js';
import { STATE, type UpgradeRun } from './upgrade-run.js';
import type { OperationKind } from '../plan/operation.js';

export interface RollbackResult {
  ok: boolean;
  restoredDatabase: boolean;
  failures: string[];
}

/** The undo of every step that began, newest first, with its operation; a step with nothing to put back has none. */
export function undoSteps(run: UpgradeRun): { kind: OperationKind; step: Step }[] {
  const steps = upgradeSteps(run);
  const kinds = new Map(planSteps(run.plan).map(({ op }, i) => [`undo:${steps[i]!.id}`, op.kind]));
  return undoOf(steps, run.journal).map((step) => ({ kind: kinds.get(step.id)!, step }));
}

/**
 * Without a finished backup there is nothing to restore: the database must be where the plan found it. It is, when no
 * writer of the new version started; otherwise its revision says.
 */
function databaseAsBefore(run: UpgradeRun): Step | null {
  if (completed(run, 'backup') || !startedAWriter(run)) return null;
  return {
    id: 'rollback:database-unchanged',
    title: 'Check the database is as it was (no backup was taken)',
    run: async () => {
      const [now, tables] = await withDb(run.creds, async (db) => [await alembicRevisions(db), await listTables(db)] as const);
      const before = run.plan.migrations.current ?? [];
      // A failed migration on MySQL keeps its tables with alembic_version unmoved: the table set must be the same too.
      const had = new Set(run.observed.db?.tables ?? []);
      const added = tables.filter((t) => !had.has(t) && t !== 'user_sessions');
      if (now.join() === before.join() && added.length === 0) return `alembic_version is ${now.join(', ') || 'empty'} and the tables are those there were, as before`;
      if (now.join() === before.join()) {
        throw externalError('rollback.no-backup', `The new version's migration left tables behind (${added.join(', ')}), and there is no backup to put the database back from.`,
          'Check the schema with `glowworm doctor verify-schema`; it names what the failed revision left.');
      }
      throw externalError('rollback.no-backup', `The new version moved the database to ${now.join(', ') || 'empty'} (it was at ${before.join(', ') || 'empty'}), and there is no backup to put it back from.`,
        'Check the schema with `glowworm doctor`; restore an older backup with `glowworm restore FILE` if you have one.');
    },
  };
}

function verifyPrevious(run: UpgradeRun): Step {
  return {
    id: 'rollback:verify',
    title: 'Verify the previous version',
    run: async (signal) => {
      const b = await backupState(run);
      // Judged against the same checks on the same version before the upgrade: what failed then the same way is
      // not the rollback's failure, and must not turn a complete rollback into "needs attention".
      const outcome = await runVerification({ docker: run.docker, emit: run.channel.emit, redactor: run.redactor, signal }, {
        ...previousVersionExpectations(run, b?.manifest ?? null),
        baseline: run.journal.state(STATE.verifyBaseline),
      });
      if (!outcome.ok) throw externalError('rollback.verify-failed', `The previous version does not verify: ${outcome.failures.join('; ')}`);
      return outcome.summary;
    },
  };
}

export async function rollback(run: UpgradeRun, reason: string): Promise<RollbackResult> {
  const { channel } = run;
  const exec = { channel, journal: run.journal, signal: new AbortController().signal }; // a rollback is not abortable
  await run.journal.setState(STATE.phase, 'rollback');
  await run.journal.setState(STATE.rollbackReason, reason);
  channel.emit({ type: 'rollback.started', reason });
  const failures: string[] = [];
  const guard = databaseAsBefore(run);
  // Nothing began (the run stopped at its first step): nothing to put back, nor to verify beyond the baseline.
  const began = planSteps(run.plan).some(({ id }) => run.journal.ran(id));
  const steps: { kind: OperationKind | null; step: Step }[] = [
    ...(guard ? [{ kind: null, step: guard }] : []), ...undoSteps(run), ...(began ? [{ kind: null, step: verifyPrevious(run) }] : []),
  ];
  let databaseBack = true;
  for (const { kind, step } of steps) {
    // The old version is not started on a database it does not know (it would crash-loop on the new revision).
    if (!databaseBack && (kind === 'stop' || step.id === 'rollback:verify')) {
      failures.push(`${step.title}: not done, because the database could not be put back first`);
      continue;
    }
    try {
      await runStep(exec, step);
    } catch (error) {
      failures.push((error as Error).message);
      if (kind === 'backup' || kind === 'catch-up' || step === guard) databaseBack = false;
      // Keep going otherwise: the later undos still help, and the user needs the fullest picture.
    }
  }
  const ok = failures.length === 0;
  const restoredDatabase = run.journal.state<boolean>(STATE.databaseRestored) === true;
  channel.emit({ type: 'rollback.completed', restoredDatabase, ok });
  return { ok, restoredDatabase, failures };
}
