// The doctor's "Run migrations manually": what the seed's guide does with `docker exec … alembic upgrade head`, made
// safe — the app is stopped, a verified backup taken (and, when Alembic fails, restored: the undo of what ran), and Alembic runs in a throwaway container of the backend image
// (the backend itself may be restart-looping), with its output streamed and each revision reported.
import { dirname } from 'node:path';
import type { ProjectOptions, RunIO } from '../api.js';
import { classifyLogLine } from '../alembic/log-line.js';
import { failedRevisionFromOutput } from '../alembic/migration-failure.js';
import { pendingRevisions, type Revision, type RevisionGraph } from '../alembic/graph.js';
import type { DockerPort } from '../docker/port.js';
import { withDb } from '../db/connection.js';
import { alembicRevisions } from '../db/schema.js';
import { abortedError, externalError } from '../errors.js';
import type { EngineEvent } from '../events.js';
import { readGraphFromImage } from '../alembic/history-probe.js';
import { backendImageOf } from './backend-image.js';
import { inImage } from '../docker/in-image.js';
import { startAppStep, stopAppStep } from '../runbook/steps/app.js';
import { putBackDatabase, verifiedBackupStep } from '../runbook/steps/database-back.js';
import { appScope, backupScope, openDeployment, requireDb, runningApp, type Deployment } from './deployment.js';
import { runProjectSteps } from './project-run.js';
import { runCommand, type CommandRun } from './run-command.js';

export function migrateRun(opts: ProjectOptions, io: RunIO, docker?: DockerPort): AsyncIterable<EngineEvent> {
  return runCommand('migrate', opts.projectDir, async (cmd) => {
    const { channel } = cmd;
    const signal = io.signal ?? new AbortController().signal;
    const d = await openDeployment(opts, cmd.redactor, docker);
    requireDb(d);
    const image = backendImageOf(d.observed);
    const history = await readGraphFromImage(inImage(d.docker, image));
    const pending = pendingRevisions(history.graph, d.observed.db!.revisions);
    if (pending.length === 0) {
      channel.emit({ type: 'notice', level: 'info', message: `Nothing to do: the database is at ${history.graph.heads.join(', ')}, the backend image's head.` });
      return 'ok';
    }
    const summary = `Apply ${pending.length} migration(s) (${pending.map((r) => r.id).join(', ')}) with the backend image's Alembic: stop the app, take and verify a backup, run \`alembic upgrade head\`, start the app.`;
    if (!(await io.confirm(summary))) throw abortedError('Cancelled; nothing was changed.');
    const backend = d.observed.services[d.observed.roles.backend!]!;
    // The backend is started at the end even when it was not running (it crash-looped, or was stopped for this).
    const app = appScope(d, channel.emit);
    const services = [...new Set([...runningApp(d), backend.name])];
    await runProjectSteps('migrate', { projectDir: opts.projectDir, docker: d.docker }, cmd, signal, (j) => {
      const scope = backupScope(d, cmd, j);
      return [
        stopAppStep(app, services, { id: 'stop', title: 'Stop the app' }),
        verifiedBackupStep(scope, { id: 'backup', title: 'Back up and verify the database' }),
        {
          id: 'alembic-upgrade',
          title: 'Run alembic upgrade head',
          run: () => alembicUpgrade(d, cmd, { image, ini: history.ini ?? '/app/alembic.ini', graph: history.graph, pending }),
          // A failed revision leaves what it created before the error (MySQL's DDL is not transactional): the way
          // back is the backup, not Alembic's downgrade (several of GlowWorm's are empty).
          undo: () => putBackDatabase(scope),
        },
        startAppStep(app, services, { id: 'start', title: 'Start the app' }),
      ];
    });
    return 'ok';
  });
}

async function alembicUpgrade(
  d: Deployment, cmd: CommandRun,
  m: { image: string; ini: string; graph: RevisionGraph; pending: Revision[] },
): Promise<string> {
  const { channel } = cmd;
  const { creds } = requireDb(d);
  const backend = d.observed.services[d.observed.roles.backend!]!;
  const r = await d.docker.runOnce(m.image, ['sh', '-c', `cd ${JSON.stringify(dirname(m.ini))} && exec alembic upgrade head`], {
    entrypoint: [], env: backend.container?.env, networkMode: backend.container?.networks[0]?.name ?? 'bridge',
    labels: { 'io.glowworm.role': 'migrate' },
  });
  const lines = `${r.stdout}\n${r.stderr}`.split('\n').filter((l) => l.trim());
  for (const line of lines) {
    const c = classifyLogLine(line, 'stderr');
    channel.emit({ type: 'log.line', service: backend.name, stream: 'stderr', text: c.text, level: c.level });
    if (c.migration?.kind === 'upgrade') channel.emit({ type: 'notice', level: 'info', message: `applying ${c.migration.to}${c.migration.message ? `: ${c.migration.message}` : ''}` });
  }
  const now = await withDb(creds, alembicRevisions);
  const applied = m.pending.filter((p) => !pendingRevisions(m.graph, now).some((q) => q.id === p.id));
  for (const p of applied) channel.emit({ type: 'migration.applied', revision: p.id, from: p.downRevisions.join(', ') || null, message: p.message });
  if (r.exitCode !== 0) {
    const failure = failedRevisionFromOutput(lines);
    channel.emit({ type: 'migration.failed', revision: failure?.revision ?? null, message: failure?.error ?? `alembic exited ${r.exitCode}` });
    throw externalError('migrate.failed', `alembic upgrade head failed${failure?.revision ? ` in ${failure.revision}` : ''}: ${failure?.error ?? `exit ${r.exitCode}`}`,
      'The database is put back from the backup taken before (the failed revision left half its changes). The release\'s migration needs a fix: `glowworm recover` brings back the version that worked, if the backend crash-loops.');
  }
  return `${applied.length} applied; database at ${now.join(', ')}`;
}
