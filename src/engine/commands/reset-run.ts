// `glowworm reset`, the last resort: an empty database the backend migrates from zero. In this order: explain, make
// the user type the database's name (before anything stops: a wrong name costs no downtime), back up and VERIFY (no
// verified backup, no reset), drop and recreate the database, start the backend and follow its migrations from zero,
// verify, and show the way back. When a step fails, the undo of what ran puts the database back from that backup.
// The backup is taken while the app serves when every table is InnoDB (issue 14), then brought to the stop by the
// catch-up (runbook/steps/online-backup.ts): what is dropped is exactly what the backup holds, the rows written
// during the dump included. Otherwise the app is stopped first and the backup taken then, the tables named.
import type { ProjectOptions, TypedConfirmIO } from '../api.js';
import type { DockerPort } from '../docker/port.js';
import { recreateDatabase } from '../db/recreate-database.js';
import { abortedError, externalError } from '../errors.js';
import type { EngineEvent } from '../events.js';
import { waitForMigrations } from '../operations/wait-migrations.js';
import { expectedTables } from '../alembic/schema-effects.js';
import { namedBlockers, onlineBackupBlockers } from '../backup/take-backup.js';
import { backendImageOf, backendMigrations } from './backend-image.js';
import { backupState } from '../runbook/run-state.js';
import { startAppStep, stopApp, stopAppStep } from '../runbook/steps/app.js';
import { putBackDatabase, verifiedBackupStep } from '../runbook/steps/database-back.js';
import { onlineBackup } from '../runbook/steps/online-backup.js';
import { verifyAppStep } from '../runbook/steps/verify-app.js';
import { STATE, type BackupState } from '../runbook/upgrade-run.js';
import { appScope, backupScope, openDeployment, requireDb, runningApp } from './deployment.js';
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
    const blockers = await onlineBackupBlockers(creds);
    const online = blockers.length === 0;
    const summary = [
      `Reset the database "${creds.database}": every table and row in it will be deleted, and the backend will create`,
      `an empty schema from its migrations (to ${graph.heads.join(', ')}). You type the database name first; then`,
      ...(online
        ? ['a backup is taken and verified while the app serves; then the app is stopped, and what changed since is',
          'copied into that backup and proven equal to the database. Without a verified backup nothing is deleted.']
        : [`the app is stopped (not InnoDB: ${namedBlockers(blockers)}, so no consistent backup while it serves),`,
          'then a backup is taken and verified. Without a verified backup nothing is deleted.']),
    ].join('\n');
    if (!(await io.confirm(summary))) throw abortedError('Reset cancelled; nothing was changed.');
    if (!(await io.confirmTyped(creds.database, `Type the database name "${creds.database}" to delete everything in it (a verified backup is taken first):`))) {
      throw abortedError('The typed name did not match; nothing was changed.');
    }
    if (!online) channel.emit({ type: 'notice', level: 'warn', message: `Not InnoDB, so not consistent while written: ${namedBlockers(blockers)}. The app is stopped before the database is backed up.` });
    const writers = runningApp(d);
    const app = appScope(d, channel.emit, io.timeoutMs ?? 300_000);
    const rest = writers.filter((n) => n !== backend.name);
    const stop = stopAppStep(app, writers, { id: 'stop', title: 'Stop the app' });
    // Its throwaway server lives from the backup to the end of the catch-up; removed at the end whatever happened.
    const copy = online ? onlineBackup() : null;
    const journal = await runProjectSteps('reset', { projectDir: opts.projectDir, docker: d.docker }, cmd, signal, (j) => {
      const scope = backupScope(d, cmd, j);
      return [
        ...(copy
          ? [
            copy.backupStep(scope, { id: 'backup', title: 'Back up (while the app serves) and verify the database (required)' }),
            stop,
            copy.catchUpStep(scope, { id: 'catch-up', title: 'Copy the changes made since the backup into it, and prove it equal to the database' }),
          ]
          : [stop, verifiedBackupStep(scope, { id: 'backup', title: 'Back up and verify the database (required)' })]),
        {
          id: 'drop-create',
          title: `Drop and recreate ${creds.database}`,
          run: async () => {
            const taken = await backupState({ journal: j });
            if (!taken) throw externalError('reset.no-backup', 'The verified backup this reset took is gone; nothing was deleted.', 'Run `glowworm reset` again.');
            await recreateDatabase(creds, taken.manifest.createDatabase);
          },
          undo: () => putBackDatabase(scope),
        },
        {
          id: 'migrate-from-zero',
          title: 'Start the backend and follow its migrations from zero',
          run: async (s) => {
            await d.docker.startContainer(backend.containerName);
            const { applied } = await waitForMigrations({
              docker: d.docker, emit: channel.emit, signal: s, service: backend.name, container: backend.containerName,
              creds, graph, startRevisions: [], timeoutMs: io.timeoutMs ?? 600_000, dbContainer: requireDb(d).db.name,
            });
            return `${applied.length} migrations applied`;
          },
          // Stopped again before the database is put back: it must not write to the database being restored.
          undo: async () => `${await stopApp(app, [backend.name])} stopped`,
        },
        startAppStep(app, rest, { id: 'start', title: 'Start the rest of the app' }),
        verifyAppStep({ docker: d.docker, emit: channel.emit, redactor: cmd.redactor }, j, () => ({
          backend: backend.containerName,
          containers: writers.map((n) => d.observed.services[n]!.containerName),
          heads: graph.heads,
          tables: expectedTables(graph, effects, graph.heads),
          creds,
          settingsApi: false,
        }), { id: 'verify', title: 'Verify the fresh schema', code: 'reset.verify-failed', after: 'After the reset' }),
      ];
    }, async (_error, j) => {
      const file = j.state<BackupState>(STATE.backup)?.file;
      if (file) channel.emit({ type: 'notice', level: 'info', message: `Your verified backup: ${file}\nRestore it with: glowworm restore ${file}` });
    }).finally(() => copy?.dispose());
    const backupFile = journal.state<BackupState>(STATE.backup)!.file;
    channel.emit({ type: 'notice', level: 'info', message: `The database was reset. GlowWorm's setup page creates the first admin.\nTo go back: glowworm restore ${backupFile}` });
    return 'ok';
  });
}
