// Recreating the database server inside the downtime (plan/database-server.ts says when): the swap is the app
// services' own (steps/containers.ts recreateStep, prepared before the downtime like theirs), around it what a
// database needs. The old server is stopped with time for InnoDB to shut down clean (docker's default 10 s can kill
// it mid-flush); the new one is started and used only once it runs, accepts connections and holds the same
// Alembic revision (the same data: an empty data directory fails here, not in the migrations). The undo stops the new
// server just as cleanly and puts the old container back, running, on the same data, before the backup's undo
// looks at the database. No volume is ever removed: the containers are renamed and removed without their volumes.
import { openDbWhenReady } from '../../db/connection.js';
import { alembicRevisions } from '../../db/schema.js';
import { externalError } from '../../errors.js';
import { reachContainer } from '../../in-container/reach-container.js';
import { firstIp } from '../../plan/observed-state.js';
import { GLOWWORM_RUN_LABEL } from '../../docker/recreate-spec.js';
import { swapBack } from '../../operations/recreate.js';
import { swapNames } from '../../docker/swap-names.js';
import type { DockerPort } from '../../docker/port.js';
import type { Plan } from '../../plan/plan.js';
import type { Journal } from '../journal.js';
import { waitHealthy } from '../../verify/wait-healthy.js';
import { backupState, planSteps } from '../run-state.js';
import type { UpgradeRun } from '../upgrade-run.js';
import { recreateStep } from './containers.js';
import type { OperationOf, StepBuilder } from './step-builder.js';

/** How long `docker stop` lets the server shut down before SIGKILL (InnoDB flushes its buffer pool and redo log). */
export const DB_STOP_SECONDS = 120;

/** Stop the server under the container's name if it is `mine` (the new one) or not (the old one), cleanly. */
async function stopServer(run: UpgradeRun, op: OperationOf<'recreate-database'>, mine: boolean): Promise<void> {
  const c = await run.docker.inspectContainer(op.container);
  if (!c || (c.labels[GLOWWORM_RUN_LABEL] === run.runId) !== mine || !(c.running || c.restarting)) return;
  await run.docker.stopContainer(c.id, DB_STOP_SECONDS);
  run.channel.emit({ type: 'container.state', service: op.service, container: c.name, state: 'exited', health: null, restartCount: c.restartCount });
}

/**
 * Start the server under the container's name and wait until it serves: running, accepting connections at its
 * (possibly new) address, which the run's credentials and database container are pointed at from now on.
 */
async function startServer(run: UpgradeRun, op: OperationOf<'recreate-database'>, signal?: AbortSignal): Promise<string[]> {
  const { container, service } = op;
  await run.docker.startContainer(container);
  // Running is enough to go on: the connection below proves it serves. Docker's first health answer comes only at
  // the healthcheck's interval (30 s in GlowWorm's file), which would all be downtime.
  const c = await waitHealthy(run.docker, container, {
    timeoutMs: run.timeoutMs, signal, untilHealthy: false,
    onState: (s) => run.channel.emit({ type: 'container.state', service, container, state: s.status, health: s.health, restartCount: s.restartCount }),
  });
  const ip = firstIp(c);
  if (!ip) throw externalError('db.no-ip', `The database container ${container} has no IP address on any network.`);
  await reachContainer(run.docker, c);
  // Shared with the observed state: every later step (and the backup's undo) reaches this server.
  run.creds.host = ip;
  run.db = c;
  const db = await openDbWhenReady(run.creds, { timeoutMs: run.timeoutMs, ...(signal ? { signal } : {}) });
  try {
    return await alembicRevisions(db);
  } finally {
    await db.end().catch(() => undefined);
  }
}

function asRecreate(op: OperationOf<'recreate-database'>): OperationOf<'recreate'> {
  return { kind: 'recreate', service: op.service, container: op.container, image: op.image, create: false, cause: op.cause };
}

export const recreateDatabaseStep: StepBuilder<'recreate-database'> = (run, op, id) => {
  const swap = recreateStep(run, asRecreate(op), id);
  return {
    id,
    title: `Recreate the database server ${op.service} from the compose file (same data)`,
    run: async (signal) => {
      await stopServer(run, op, false);
      await swap.run(signal);
      const revisions = await startServer(run, op, signal);
      const expected = (await backupState(run))?.manifest.alembic ?? run.plan.migrations.current ?? [];
      if (revisions.join() !== expected.join()) {
        throw externalError('database.recreated-without-data',
          `The recreated database server holds alembic_version ${revisions.join(', ') || 'empty'}, not ${expected.join(', ') || 'empty'}: it does not run on the data it ran on before.`,
          'The rollback puts the old server back on its data; check the database service\'s data mount in the compose file.');
      }
      return `${op.container} recreated on the same data, old one kept as ${swapNames(op.container, run.runId).aside}`;
    },
    undo: async (signal) => {
      await stopServer(run, op, true);
      const swapped = await swap.undo!(signal);
      // The old server ran before the upgrade (the backup was taken from it): it runs again, on the same data.
      await startServer(run, op, signal);
      return `${swapped}; running again`;
    },
  };
};

/**
 * A run that stopped inside the server's recreate or its undo (killed, the host restarted) can leave no server running
 * — the old one stopped or renamed aside, the new one not started — and nothing can be observed, resumed or rolled
 * back without one. So before the run looks at anything, the server comes back: the new one when its recreate had
 * finished (and no undo began), else the old one, as the undo would put it (a resumed run recreates it again from the
 * start). Returns what it did, null when a server was running.
 */
export async function bringBackInterruptedServer(docker: DockerPort, plan: Plan, journal: Journal, timeoutMs: number): Promise<string | null> {
  const step = planSteps(plan).find(({ op, id }) => op.kind === 'recreate-database' && journal.ran(id));
  if (!step || step.op.kind !== 'recreate-database') return null;
  const names = swapNames(step.op.container, journal.runId);
  const atName = await docker.inspectContainer(names.name);
  if (atName?.running) return null;
  const keepNew = journal.isCompleted(step.id) && !journal.ran(`undo:${step.id}`) && atName?.labels[GLOWWORM_RUN_LABEL] === journal.runId;
  if (!keepNew) {
    for (const name of [names.name, names.temp]) {
      const c = await docker.inspectContainer(name);
      if (c?.labels[GLOWWORM_RUN_LABEL] === journal.runId && (c.running || c.restarting)) await docker.stopContainer(c.id, DB_STOP_SECONDS);
    }
    await swapBack(docker, names, journal.runId);
  }
  await docker.startContainer(names.name);
  await waitHealthy(docker, names.name, { timeoutMs });
  return keepNew ? `${names.name} (the recreated database server) started again` : `${names.name} is the old database server again, running`;
}
