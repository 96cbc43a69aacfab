// Put the deployment back the way it was: new containers out, old ones renamed back, the compose file and .env
// restored byte for byte, the database restored from the verified backup when the schema moved (Alembic downgrades
// are not a safe way back: several of GlowWorm's are empty), the old version started and verified like an upgrade.
// Every step is journaled and idempotent, so an interrupted rollback continues with `--resume`.
import { restoreBackup } from '../backup/restore-backup.js';
import { withDb } from '../db/connection.js';
import { alembicRevisions, listTables } from '../db/schema.js';
import { tableMismatches } from '../backup/manifest-compare.js';
import { dependencyOrder } from '../compose/index.js';
import { swapBack, swapNames } from '../operations/recreate.js';
import { runVerification } from '../verify/run-checks.js';
import { previousVersionExpectations } from './previous-version.js';
import { waitHealthy } from '../verify/wait-healthy.js';
import { externalError } from '../errors.js';
import { restoreOriginals, type KeptFile } from './deployment-files.js';
import { runStep, type Step } from './executor.js';
import { backupState, containerOf } from './upgrade-steps.js';
import { STATE, type UpgradeRun } from './upgrade-run.js';

export interface RollbackResult {
  ok: boolean;
  restoredDatabase: boolean;
  failures: string[];
}

/** Did the database change since the backup? Revisions, table set, then every table's checksum. */
async function schemaMoved(run: UpgradeRun, manifest: NonNullable<Awaited<ReturnType<typeof backupState>>>['manifest']): Promise<string | null> {
  return withDb(run.creds, async (db) => {
    const revisions = await alembicRevisions(db);
    if (revisions.join() !== manifest.alembic.join()) return `alembic_version is ${revisions.join(', ') || 'empty'}, was ${manifest.alembic.join(', ')}`;
    const tables = await listTables(db);
    const before = Object.keys(manifest.tables);
    const added = tables.filter((t) => !before.includes(t));
    const removed = before.filter((t) => !tables.includes(t));
    if (added.length || removed.length) return `tables changed (${[...added.map((t) => `+${t}`), ...removed.map((t) => `-${t}`)].join(', ')})`;
    const changed = await tableMismatches(db, manifest);
    return changed.length ? `data changed (${changed.join('; ')})` : null;
  });
}

export async function rollback(run: UpgradeRun, reason: string): Promise<RollbackResult> {
  const { docker, channel } = run;
  const exec = { channel, journal: run.journal, signal: new AbortController().signal }; // a rollback is not abortable
  await run.journal.setState(STATE.phase, 'rollback');
  await run.journal.setState(STATE.rollbackReason, reason);
  channel.emit({ type: 'rollback.started', reason });
  const failures: string[] = [];
  let restoredDatabase = false;
  const changed = run.plan.services.filter((s) => s.action !== 'keep');
  const appNames = run.plan.services.map((s) => s.service);

  const steps: Step[] = [
    {
      id: 'rollback:stop-new',
      title: 'Stop the new containers',
      run: async () => {
        for (const s of run.plan.services) {
          const c = await docker.inspectContainer(s.container);
          if (c?.running || c?.restarting) await docker.stopContainer(c.id, 10);
        }
      },
    },
    {
      id: 'rollback:containers',
      title: 'Put the old containers back in place',
      run: async () => {
        for (const s of changed) {
          const names = swapNames(s.container, run.runId);
          if (s.action === 'create') {
            for (const n of [names.name, names.temp]) {
              const c = await docker.inspectContainer(n);
              if (c?.labels['io.glowworm.run'] === run.runId) await docker.removeContainer(c.id, { force: true });
            }
          } else {
            await swapBack(docker, names, run.runId);
          }
        }
      },
    },
    {
      id: 'rollback:files',
      title: 'Restore the compose file and .env',
      run: async () => {
        const kept = run.journal.state<KeptFile[]>('keptFiles');
        if (!kept) return 'unchanged';
        const reverted = await run.deployments.revert();
        for (const name of reverted) channel.emit({ type: 'deploy-migration.applied', name, direction: 'down' });
        await restoreOriginals(kept);
        return 'restored byte for byte';
      },
    },
    {
      id: 'rollback:database',
      title: 'Restore the database if the schema moved',
      run: async () => {
        const b = await backupState(run);
        if (!b) {
          const moved = run.plan.migrations.pending.length > 0;
          if (moved) throw externalError('rollback.no-backup', 'The upgrade ran without a backup (--no-backup); the database cannot be put back.', 'Check the schema with `glowworm doctor`.');
          return 'no backup taken';
        }
        const why = await schemaMoved(run, b.manifest);
        if (!why) return 'unchanged since the backup';
        channel.emit({ type: 'notice', level: 'warn', message: `The database changed (${why}); restoring ${b.file}.` });
        const result = await restoreBackup({ docker, db: run.db, creds: run.creds, file: b.file, manifest: b.manifest });
        if (result.mismatches.length) throw externalError('rollback.restore-mismatch', `The restored database differs from the backup: ${result.mismatches.slice(0, 3).join('; ')}`);
        restoredDatabase = true;
        return `restored ${result.tables} tables from ${b.file}`;
      },
    },
    {
      id: 'rollback:start',
      title: 'Start the previous version',
      run: async () => {
        // Start everything that exists, even past a failure: a running worker and frontend beat a dead stack.
        const backend = run.observed.roles.backend;
        const problems: string[] = [];
        for (const name of dependencyOrder(run.observed.project, appNames.filter((n) => n in run.observed.project.services))) {
          const container = containerOf(run, name);
          if (!(await docker.inspectContainer(container))) continue;
          try {
            await docker.startContainer(container);
            if (name === backend) await waitHealthy(docker, container, { timeoutMs: run.timeoutMs });
          } catch (error) {
            problems.push((error as Error).message);
          }
        }
        if (problems.length) throw externalError('rollback.start-failed', problems.join('; '));
      },
    },
    {
      id: 'rollback:verify',
      title: 'Verify the previous version',
      run: async (signal) => {
        const b = await backupState(run);
        // Judged against the same checks on the same version before the upgrade: what failed then the same way is
        // not the rollback's failure, and must not turn a complete rollback into "needs attention".
        const outcome = await runVerification({ docker, emit: channel.emit, redactor: run.redactor, signal }, {
          ...previousVersionExpectations(run, b?.manifest ?? null),
          baseline: run.journal.state(STATE.verifyBaseline),
        });
        if (!outcome.ok) throw externalError('rollback.verify-failed', `The previous version does not verify: ${outcome.failures.join('; ')}`);
        return outcome.summary;
      },
    },
  ];

  for (const step of steps) {
    try {
      await runStep(exec, step);
    } catch (error) {
      failures.push((error as Error).message);
      // Keep going: the later steps (start, verify) still help, and the user needs the fullest picture.
    }
  }
  const ok = failures.length === 0;
  channel.emit({ type: 'rollback.completed', restoredDatabase, ok });
  return { ok, restoredDatabase, failures };
}
