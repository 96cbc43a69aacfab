// `glowworm restore FILE`: replace the database with a verified backup. The user types the database name first;
// the current database is backed up (and verified) before it is dropped, so a wrong choice is not the end of it.
// The file is checked whole (manifest, sha256, gzip to its end) and its database name compared before anything is
// stopped: a file that cannot be restored is refused with nothing changed, not after the downtime began.
import { resolve } from 'node:path';
import type { ProjectOptions, TypedConfirmIO } from '../api.js';
import type { DockerPort } from '../docker/port.js';
import { checkBackupFile } from '../backup/check-file.js';
import { restoreBackup } from '../backup/restore-backup.js';
import { abortedError, externalError, userError } from '../errors.js';
import type { EngineEvent } from '../events.js';
import { runVerification } from '../verify/run-checks.js';
import { backendImageOf, backendMigrations } from './backend-image.js';
import { appServices, openDeployment, requireDb, startServices, stopWriters, backupDeployment } from './deployment.js';
import { runProjectSteps } from './project-run.js';
import { runCommand } from './run-command.js';

export function restoreRun(opts: ProjectOptions & { file: string }, io: TypedConfirmIO, docker?: DockerPort): AsyncIterable<EngineEvent> {
  return runCommand('restore', opts.projectDir, async (cmd) => {
    const signal = io.signal ?? new AbortController().signal;
    const file = resolve(opts.file);
    const manifest = await checkBackupFile(file);
    if (manifest.verified && !manifest.verified.ok) throw userError('restore.unverified', `${file} failed its verification when it was taken (${manifest.verified.detail}).`, 'Choose another backup.');
    const d = await openDeployment(opts, cmd.redactor, docker);
    const { db, creds } = requireDb(d);
    if (manifest.database !== creds.database) {
      throw userError('restore.wrong-database', `${file} is a backup of the database "${manifest.database}", but this deployment uses "${creds.database}".`, 'Nothing was changed. Choose a backup of this deployment: `glowworm doctor` lists them.');
    }
    const running = appServices(d).find((a) => a.service === d.observed.roles.backend)?.container.image;
    const takenWith = d.observed.roles.backend ? manifest.images[d.observed.roles.backend]?.ref : undefined;
    if (running && takenWith && running !== takenWith) {
      cmd.channel.emit({ type: 'notice', level: 'warn', message: `This backup was taken with ${takenWith}; the backend now runs ${running}. On start, the backend migrates the restored data to its own schema (or fails if the backup is newer than it).` });
    }
    const summary = `Replace the database "${creds.database}" with ${file} (taken ${manifest.createdAt}, at revision ${manifest.alembic.join(', ') || 'empty'}). The app is stopped, the current database is backed up and verified first, then dropped and restored.`;
    if (!(await io.confirmTyped(creds.database, summary))) throw abortedError('The typed name did not match the database; nothing was changed.');
    let stopped: string[] = [];
    let safety = '';
    await runProjectSteps('restore', { projectDir: opts.projectDir, docker: d.docker }, cmd, signal, () => [
      { id: 'stop', title: 'Stop the app', run: async () => void (stopped = await stopWriters(d, cmd.channel.emit)) },
      {
        id: 'safety-backup',
        title: 'Back up the current database first',
        run: async () => {
          safety = (await backupDeployment(d, cmd)).file;
          return safety;
        },
      },
      {
        id: 'restore',
        title: `Restore ${file}`,
        run: async () => {
          const r = await restoreBackup({ docker: d.docker, db, creds, file, manifest });
          if (r.mismatches.length) throw externalError('restore.mismatch', `The restored database differs from the backup: ${r.mismatches.slice(0, 3).join('; ')}`, `The database before the restore is in ${safety}.`);
          return `${r.tables} tables restored and compared`;
        },
      },
      { id: 'start', title: 'Start the app', run: () => startServices(d, stopped, cmd.channel.emit) },
      {
        id: 'verify',
        title: 'Verify',
        run: async (s) => {
          const { graph } = await backendMigrations(d.docker, backendImageOf(d.observed));
          const outcome = await runVerification({ docker: d.docker, emit: cmd.channel.emit, redactor: cmd.redactor, signal: s }, {
            backend: d.observed.services[d.observed.roles.backend!]!.containerName,
            containers: stopped.map((n) => d.observed.services[n]!.containerName),
            heads: graph.heads,
            tables: Object.keys(manifest.tables),
            creds,
          });
          if (!outcome.ok) throw externalError('restore.verify-failed', `After the restore: ${outcome.failures.join('; ')}`, `The database before the restore is in ${safety}.`);
        },
      },
    ], () => startServices(d, stopped, cmd.channel.emit));
    cmd.channel.emit({ type: 'notice', level: 'info', message: `Restored ${file}. The database as it was before is in ${safety}.` });
    return 'ok';
  });
}
