// Follow the new backend while it migrates: stream its log lines (classified), tick off revisions as they land, and
// decide quickly. The real start script captures Alembic's output and prints it only on failure, so progress comes
// from polling `alembic_version` (MySQL commits it after each step, DDL being non-transactional); log lines add
// detail when present. A crash is seen through the container's restart count at once, not after a timeout.
import { classifyLogLine } from '../alembic/log-line.js';
import { failedRevisionFromOutput } from '../alembic/migration-failure.js';
import { pendingRevisions, type RevisionGraph } from '../alembic/graph.js';
import type { DockerPort } from '../docker/port.js';
import type { DbCredentials } from '../db/credentials.js';
import { openDb, type Db } from '../db/connection.js';
import { alembicRevisions } from '../db/schema.js';
import type { Emit } from '../event-channel.js';
import { externalError, abortedError } from '../errors.js';
import { backendHealth } from '../verify/http-probe.js';

export interface WaitMigrationsOptions {
  docker: DockerPort;
  emit: Emit;
  signal: AbortSignal;
  service: string;
  container: string;
  creds: DbCredentials;
  graph: RevisionGraph;
  /** alembic_version before the new backend started. */
  startRevisions: string[];
  timeoutMs: number;
  pollMs?: number;
  /**
   * The database's container: when it stops (killed, out of memory) the migrations cannot go on, and a backend
   * that waits for its database would neither crash nor finish — the wait would last the whole timeout.
   */
  dbContainer?: string;
}

const KEEP_LINES = 400;

async function serving(docker: DockerPort, container: string): Promise<boolean> {
  return (await backendHealth(docker, container).catch(() => null))?.healthy ?? false;
}

export async function waitForMigrations(opts: WaitMigrationsOptions): Promise<{ applied: string[] }> {
  const { docker, emit, graph } = opts;
  const pending = pendingRevisions(graph, opts.startRevisions).map((r) => r.id);
  const applied = new Set<string>();
  const recent: string[] = [];
  const markers = new Set<string>();
  const stopLogs = new AbortController();
  const onAbort = () => stopLogs.abort();
  opts.signal.addEventListener('abort', onAbort, { once: true });

  const markApplied = (current: string[]) => {
    const still = new Set(pendingRevisions(graph, current).map((r) => r.id));
    for (const id of pending) {
      if (still.has(id) || applied.has(id)) continue;
      applied.add(id);
      const rev = graph.revisions.get(id);
      emit({ type: 'migration.applied', revision: id, from: rev?.downRevisions.join(', ') || null, message: rev?.message ?? null });
    }
  };

  const initial = await docker.inspectContainer(opts.container);
  // Restarts before we started watching (a resumed run) are not this crash.
  const baseline = initial?.restartCount ?? 0;
  const since = initial ? Math.floor(Date.parse(initial.startedAt) / 1000) - 1 : 0;
  const following = (async () => {
    for await (const line of docker.logs(opts.container, { follow: true, since }, stopLogs.signal)) {
      const c = classifyLogLine(line.text, line.stream);
      if (c.marker) markers.add(c.marker);
      recent.push(c.text);
      if (recent.length > KEEP_LINES) recent.shift();
      emit({ type: 'log.line', service: opts.service, stream: line.stream, text: c.text, level: c.level });
    }
  })().catch(() => undefined);

  let db: Db | null = null;
  const deadline = Date.now() + opts.timeoutMs;
  let lastState = '';
  try {
    while (true) {
      if (opts.signal.aborted) throw abortedError('Stopped while the backend was migrating.', 'Run `glowworm upgrade --resume` to continue or roll back.');
      const c = await docker.inspectContainer(opts.container);
      if (!c) throw externalError('migrate.container-gone', `${opts.container} disappeared while migrating.`);
      const state = `${c.status}/${c.health}/${c.restartCount}`;
      if (state !== lastState) {
        lastState = state;
        emit({ type: 'container.state', service: opts.service, container: opts.container, state: c.status, health: c.health, restartCount: c.restartCount });
      }
      try {
        db ??= await openDb(opts.creds);
        const current = await alembicRevisions(db);
        markApplied(current);
        const atHead = current.length > 0 && [...current].sort().join() === [...graph.heads].sort().join();
        // Docker marks a container healthy only at its next healthcheck tick (30 s apart in GlowWorm's file); asking
        // /health ourselves as soon as the schema is at head ends the downtime sooner.
        if (atHead && c.running && (c.health === 'healthy' || (await serving(docker, opts.container)))) return { applied: [...applied] };
      } catch {
        await db?.end().catch(() => undefined);
        db = null; // the DB may refuse for a moment; the container states decide failure, not this
        const dbc = opts.dbContainer ? await docker.inspectContainer(opts.dbContainer) : undefined;
        if (dbc !== undefined && !dbc?.running) {
          throw externalError('migrate.db-stopped', `The database container ${opts.dbContainer} ${dbc ? `stopped (${dbc.status}, exit code ${dbc.exitCode ?? '?'})` : 'disappeared'} while ${opts.service} was migrating.`,
            `Start it again (\`docker start ${opts.dbContainer}\`), then \`glowworm upgrade --rollback\` (or \`--resume\`).`);
        }
      }
      if (c.restartCount > baseline || c.restarting || (!c.running && c.status !== 'created')) {
        await new Promise((r) => setTimeout(r, 300)); // let the last lines of the crash arrive
        throw migrationFailure(opts, c.exitCode, c.restartCount - baseline, recent, emit);
      }
      if (Date.now() > deadline) {
        throw externalError('migrate.timeout', `The backend did not finish migrating and start within ${Math.round(opts.timeoutMs / 1000)} s.`,
          'Its log is above. Increase --timeout for very large databases.');
      }
      await new Promise((r) => setTimeout(r, opts.pollMs ?? 150));
    }
  } finally {
    opts.signal.removeEventListener('abort', onAbort);
    stopLogs.abort();
    await following;
    await db?.end().catch(() => undefined);
  }
}

function migrationFailure(opts: WaitMigrationsOptions, exitCode: number, restarts: number, lines: string[], emit: Emit) {
  const failure = failedRevisionFromOutput(lines);
  const where = failure?.revision ? ` in revision ${failure.revision}` : '';
  const why = failure?.error ?? lines.filter((l) => classifyLogLine(l, 'stdout').level === 'error').at(-1) ?? `exit code ${exitCode}`;
  emit({ type: 'migration.failed', revision: failure?.revision ?? null, message: why });
  // A restarted container is running again; its exit code then says nothing about the crash.
  const how = restarts ? `crashed on start and was restarted ${restarts}×` : `exited with code ${exitCode}`;
  return externalError(
    'migrate.failed',
    `The new backend ${how}${where}: ${why}`,
    'This release\'s migration fails on your database. Report the error above to the GlowWorm project; `glowworm doctor` shows the logs and the schema.',
  );
}
