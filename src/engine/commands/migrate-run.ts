// The doctor's "Run migrations manually": what the seed's guide does with `docker exec … alembic upgrade head`, made
// safe — the app is stopped, a verified backup taken, and Alembic runs in a throwaway container of the backend image
// (the backend itself may be restart-looping), with its output streamed and each revision reported.
import { dirname } from 'node:path';
import type { ProjectOptions, RunIO } from '../api.js';
import { classifyLogLine } from '../alembic/log-line.js';
import { failedRevisionFromOutput } from '../alembic/migration-failure.js';
import { pendingRevisions } from '../alembic/graph.js';
import type { DockerPort } from '../docker/port.js';
import { withDb } from '../db/connection.js';
import { alembicRevisions } from '../db/schema.js';
import { abortedError, externalError } from '../errors.js';
import type { EngineEvent } from '../events.js';
import { readGraphFromImage } from '../alembic/history-probe.js';
import { backendImageOf } from './backend-image.js';
import { inImage } from '../docker/in-image.js';
import { appServices, openDeployment, requireDb, startServices, stopWriters, backupDeployment } from './deployment.js';
import { runProjectSteps } from './project-run.js';
import { runCommand } from './run-command.js';

export function migrateRun(opts: ProjectOptions, io: RunIO, docker?: DockerPort): AsyncIterable<EngineEvent> {
  return runCommand('migrate', opts.projectDir, async (cmd) => {
    const { channel } = cmd;
    const signal = io.signal ?? new AbortController().signal;
    const d = await openDeployment(opts, cmd.redactor, docker);
    const { creds } = requireDb(d);
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
    let stopped: string[] = appServices(d).filter((a) => a.service === backend.name).map((a) => a.service);
    let backupFile = '';
    await runProjectSteps('migrate', { projectDir: opts.projectDir, docker: d.docker }, cmd, signal, () => [
      { id: 'stop', title: 'Stop the app', run: async () => void (stopped = [...new Set([...(await stopWriters(d, channel.emit)), ...stopped])]) },
      {
        id: 'backup',
        title: 'Back up and verify the database',
        run: async () => (backupFile = (await backupDeployment(d, cmd)).file),
      },
      {
        id: 'alembic-upgrade',
        title: 'Run alembic upgrade head',
        run: async () => {
          const ini = history.ini ?? '/app/alembic.ini';
          const r = await d.docker.runOnce(image, ['sh', '-c', `cd ${JSON.stringify(dirname(ini))} && exec alembic upgrade head`], {
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
          const applied = pending.filter((p) => !pendingRevisions(history.graph, now).some((q) => q.id === p.id));
          for (const p of applied) channel.emit({ type: 'migration.applied', revision: p.id, from: p.downRevisions.join(', ') || null, message: p.message });
          if (r.exitCode !== 0) {
            const failure = failedRevisionFromOutput(lines);
            channel.emit({ type: 'migration.failed', revision: failure?.revision ?? null, message: failure?.error ?? `alembic exited ${r.exitCode}` });
            throw externalError('migrate.failed', `alembic upgrade head failed${failure?.revision ? ` in ${failure.revision}` : ''}: ${failure?.error ?? `exit ${r.exitCode}`}`,
              `See what is half applied with \`glowworm doctor verify-schema\`; the backup from before is ${backupFile} (\`glowworm restore ${backupFile}\`).`);
          }
          return `${applied.length} applied; database at ${now.join(', ')}`;
        },
      },
      { id: 'start', title: 'Start the app', run: () => startServices(d, stopped, channel.emit) },
    ], () => startServices(d, stopped, channel.emit).catch(() => undefined));
    return 'ok';
  });
}
