// `glowworm restore FILE`: replace the database with a verified backup. The user types the database name first;
// the current database is backed up (and verified) before it is dropped, so a wrong choice is not the end of it.
// When a later step fails, the undo of what ran puts the database back from that safety backup and starts the app
// as it was (commands/project-run.ts). The file is checked whole (manifest, sha256, gzip to its end) and its database name compared before anything is
// stopped: a file that cannot be restored is refused with nothing changed, not after the downtime began.
import { resolve } from 'node:path';
import type { ProjectOptions, TypedConfirmIO } from '../api.js';
import type { DockerPort } from '../docker/port.js';
import { checkBackupFile } from '../backup/check-file.js';
import { abortedError, userError } from '../errors.js';
import type { EngineEvent } from '../events.js';
import { startAppStep, stopAppStep } from '../runbook/steps/app.js';
import { restoreFileStep, verifiedBackupStep } from '../runbook/steps/database-back.js';
import { baselineStep, verifyAppStep } from '../runbook/steps/verify-app.js';
import { STATE, type BackupState } from '../runbook/upgrade-run.js';
import { backendImageOf, backendMigrations } from './backend-image.js';
import { appScope, appServices, backupScope, openDeployment, requireDb, runningApp } from './deployment.js';
import { runProjectSteps } from './project-run.js';
import { runCommand } from './run-command.js';

export function restoreRun(opts: ProjectOptions & { file: string }, io: TypedConfirmIO, docker?: DockerPort): AsyncIterable<EngineEvent> {
  return runCommand('restore', opts.projectDir, async (cmd) => {
    const signal = io.signal ?? new AbortController().signal;
    const file = resolve(opts.file);
    const manifest = await checkBackupFile(file);
    if (manifest.verified && !manifest.verified.ok) throw userError('restore.unverified', `${file} failed its verification when it was taken (${manifest.verified.detail}).`, 'Choose another backup.');
    const d = await openDeployment(opts, cmd.redactor, docker);
    const { creds } = requireDb(d);
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
    const writers = runningApp(d);
    const app = appScope(d, cmd.channel.emit);
    const { graph } = await backendMigrations(d.docker, backendImageOf(d.observed));
    const verifyIO = { docker: d.docker, emit: cmd.channel.emit, redactor: cmd.redactor };
    const expectations = (tables: string[]) => () => ({
      backend: d.observed.services[d.observed.roles.backend!]!.containerName,
      containers: writers.map((n) => d.observed.services[n]!.containerName),
      heads: graph.heads, tables, creds,
    });
    const journal = await runProjectSteps('restore', { projectDir: opts.projectDir, docker: d.docker }, cmd, signal, (j) => {
      const scope = backupScope(d, cmd, j);
      return [
        baselineStep(verifyIO, j, expectations(d.observed.db?.tables ?? [])),
        stopAppStep(app, writers, { id: 'stop', title: 'Stop the app' }),
        verifiedBackupStep(scope, { id: 'safety-backup', title: 'Back up the current database first' }),
        restoreFileStep(scope, file, manifest, { id: 'restore', title: `Restore ${file}` }),
        startAppStep(app, writers, { id: 'start', title: 'Start the app' }),
        verifyAppStep(verifyIO, j, expectations(Object.keys(manifest.tables)), { id: 'verify', title: 'Verify', code: 'restore.verify-failed', after: 'After the restore' }),
      ];
    });
    const safety = journal.state<BackupState>(STATE.backup)!.file;
    cmd.channel.emit({ type: 'notice', level: 'info', message: `Restored ${file}. The database as it was before is in ${safety}.` });
    return 'ok';
  });
}
