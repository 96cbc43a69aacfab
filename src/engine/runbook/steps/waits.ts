// Steps that wait for a container: healthy (a service others depend on), or the backend through its migrations.
// They change nothing themselves, so they have no undo (what the migrations did is undone by the backup's undo).
import { waitForMigrations } from '../../operations/wait-migrations.js';
import { waitHealthy } from '../../verify/wait-healthy.js';
import { backupState } from '../run-state.js';
import type { StepBuilder } from './step-builder.js';

export const waitHealthyStep: StepBuilder<'wait-healthy'> = (run, op, id) => ({
  id,
  title: `Wait until ${op.service} is healthy`,
  run: async (signal) => {
    const c = await waitHealthy(run.docker, op.container, { timeoutMs: run.timeoutMs, signal });
    return c.health ?? c.status;
  },
});

export const waitMigrationsStep: StepBuilder<'wait-migrations'> = (run, op, id) => ({
  id,
  title: `Follow ${op.service} while it migrates the database`,
  run: async (signal) => {
    const b = await backupState(run);
    const { applied } = await waitForMigrations({
      docker: run.docker, emit: run.channel.emit, signal, service: op.service, container: op.container,
      creds: run.creds, graph: run.target.graph, startRevisions: b?.manifest.alembic ?? run.plan.migrations.current ?? [],
      timeoutMs: run.timeoutMs, dbContainer: run.db.name,
    });
    return `${applied.length} migrations applied; database at ${run.target.graph.heads.join(', ')}`;
  },
});
