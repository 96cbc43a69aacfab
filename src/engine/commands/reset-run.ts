// `glowworm reset`, the last resort: an empty database the backend migrates from zero. In this order, as the seed's
// guide should have: explain, back up and VERIFY (no verified backup, no reset), make the user type the database's
// name, drop and recreate it, start the backend and follow its migrations from zero, verify, and show the way back.
import type { ProjectOptions, TypedConfirmIO } from '../api.js';
import type { DockerPort } from '../docker/port.js';
import { withDb } from '../db/connection.js';
import { quoteIdent } from '../db/schema.js';
import { abortedError, externalError } from '../errors.js';
import type { EngineEvent } from '../events.js';
import { waitForMigrations } from '../operations/wait-migrations.js';
import { expectedTables } from '../alembic/schema-effects.js';
import { runVerification } from '../verify/run-checks.js';
import { backendImageOf, backendMigrations } from './backend-image.js';
import { openDeployment, requireDb, startServices, stopWriters, backupDeployment } from './deployment.js';
import { runProjectSteps } from './project-run.js';
import { runCommand } from './run-command.js';

export function resetRun(opts: ProjectOptions, io: TypedConfirmIO & { timeoutMs?: number }, docker?: DockerPort): AsyncIterable<EngineEvent> {
  return runCommand('reset', opts.projectDir, async (cmd) => {
    const { channel } = cmd;
    const signal = io.signal ?? new AbortController().signal;
    const d = await openDeployment(opts, cmd.redactor, docker);
    const { creds } = requireDb(d);
    const { graph, effects } = await backendMigrations(d.docker, backendImageOf(d.observed));
    const backend = d.observed.services[d.observed.roles.backend!]!;
    const summary = [
      `Reset the database "${creds.database}": every table and row in it will be deleted, and the backend will create`,
      `an empty schema from its migrations (to ${graph.heads.join(', ')}). First the app is stopped and a backup is`,
      `taken and verified; without a verified backup nothing is deleted. You will then type the database name.`,
    ].join('\n');
    if (!(await io.confirm(summary))) throw abortedError('Reset cancelled; nothing was changed.');
    let stopped: string[] = [];
    let backupFile = '';
    let createDatabase = `CREATE DATABASE ${quoteIdent(creds.database)}`;
    await runProjectSteps('reset', { projectDir: opts.projectDir, docker: d.docker }, cmd, signal, () => [
      { id: 'stop', title: 'Stop the app', run: async () => void (stopped = await stopWriters(d, channel.emit)) },
      {
        id: 'backup',
        title: 'Back up and verify the database (required)',
        run: async () => {
          const taken = await backupDeployment(d, cmd);
          backupFile = taken.file;
          createDatabase = taken.manifest.createDatabase;
          return backupFile;
        },
      },
      {
        id: 'confirm',
        title: 'Confirm by typing the database name',
        run: async () => {
          if (!(await io.confirmTyped(creds.database, `Type the database name "${creds.database}" to delete everything in it (backup: ${backupFile}):`))) {
            throw abortedError('The typed name did not match; nothing was deleted.', `Your verified backup is ${backupFile}.`);
          }
        },
      },
      {
        id: 'drop-create',
        title: `Drop and recreate ${creds.database}`,
        run: () => withDb(creds, async (conn) => {
          await conn.query(`DROP DATABASE IF EXISTS ${quoteIdent(creds.database)}`);
          await conn.query(createDatabase);
        }, { database: null }),
      },
      {
        id: 'migrate-from-zero',
        title: 'Start the backend and follow its migrations from zero',
        run: async (s) => {
          await d.docker.startContainer(backend.containerName);
          const { applied } = await waitForMigrations({
            docker: d.docker, emit: channel.emit, signal: s, service: backend.name, container: backend.containerName,
            creds, graph, startRevisions: [], timeoutMs: io.timeoutMs ?? 600_000,
          });
          return `${applied.length} migrations applied`;
        },
      },
      { id: 'start', title: 'Start the rest of the app', run: () => startServices(d, stopped.filter((n) => n !== backend.name), channel.emit) },
      {
        id: 'verify',
        title: 'Verify the fresh schema',
        run: async (s) => {
          const outcome = await runVerification({ docker: d.docker, emit: channel.emit, redactor: cmd.redactor, signal: s }, {
            backend: backend.containerName,
            containers: stopped.map((n) => d.observed.services[n]!.containerName),
            heads: graph.heads,
            tables: expectedTables(graph, effects, graph.heads),
            creds,
            settingsApi: false,
          });
          if (!outcome.ok) throw externalError('reset.verify-failed', `After the reset: ${outcome.failures.join('; ')}`, `Restore the backup with: glowworm restore ${backupFile}`);
        },
      },
    ], async () => {
      // Before the drop nothing changed: start the app as it was. After it, starting is still the best state to be in.
      await startServices(d, stopped, channel.emit).catch(() => undefined);
      if (backupFile) channel.emit({ type: 'notice', level: 'info', message: `Your verified backup: ${backupFile}\nRestore it with: glowworm restore ${backupFile}` });
    });
    channel.emit({ type: 'notice', level: 'info', message: `The database was reset. GlowWorm's setup page creates the first admin.\nTo go back: glowworm restore ${backupFile}` });
    return 'ok';
  });
}
