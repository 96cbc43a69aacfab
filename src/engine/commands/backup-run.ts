// `glowworm backup` and the doctor's "Back up now": a consistent dump (the checksums that verify it must describe
// the same data) — taken while the app serves when every table is InnoDB (one snapshot shared by the dump and the
// manifest's facts), else with the writers stopped — verified in a throwaway server.
import type { ProjectOptions, RunIO } from '../api.js';
import type { DockerPort } from '../docker/port.js';
import { abortedError } from '../errors.js';
import { namedBlockers, onlineBackupBlockers } from '../backup/take-backup.js';
import type { EngineEvent } from '../events.js';
import { startAppStep, stopAppStep } from '../runbook/steps/app.js';
import { verifiedBackupStep } from '../runbook/steps/database-back.js';
import { STATE, type BackupState } from '../runbook/upgrade-run.js';
import { appScope, backupScope, openDeployment, requireDb, runningApp } from './deployment.js';
import { runProjectSteps } from './project-run.js';
import { runCommand } from './run-command.js';

export function backupRun(opts: ProjectOptions, io: RunIO, docker?: DockerPort): AsyncIterable<EngineEvent> {
  return runCommand('backup', opts.projectDir, async (cmd) => {
    const signal = io.signal ?? new AbortController().signal;
    const d = await openDeployment(opts, cmd.redactor, docker);
    const { creds } = requireDb(d);
    const writers = runningApp(d);
    // While the app serves when every table is InnoDB (a consistent snapshot needs no quiet database); else the
    // writers are stopped for the dump, and the tables that make it so are named.
    const blockers = await onlineBackupBlockers(creds);
    const online = blockers.length === 0;
    const summary = online
      ? `Back up the database "${creds.database}" while the app serves (every table is InnoDB: one consistent snapshot), then verify the dump by restoring it into a throwaway database. Nothing is stopped.`
      : `Back up the database "${creds.database}": ${namedBlockers(blockers)} cannot be dumped consistently while written, so ${writers.join(', ') || 'nothing'} stop while it is dumped; the dump is verified by restoring it into a throwaway database, then they start again.`;
    if (!(await io.confirm(summary))) throw abortedError('Backup cancelled; nothing was changed.');
    if (!online) cmd.channel.emit({ type: 'notice', level: 'warn', message: `Not InnoDB, so not consistent while written: ${namedBlockers(blockers)}. The app is stopped while the database is dumped.` });
    const app = appScope(d, cmd.channel.emit);
    const journal = await runProjectSteps('backup', { projectDir: opts.projectDir, docker: d.docker }, cmd, signal, (j) => online
      ? [verifiedBackupStep(backupScope(d, cmd, j), { id: 'backup', title: 'Back up (while the app serves) and verify the database', online: true })]
      : [
        stopAppStep(app, writers, { id: 'stop', title: 'Stop the app so the backup is consistent' }),
        verifiedBackupStep(backupScope(d, cmd, j), { id: 'backup', title: 'Back up and verify the database' }),
        startAppStep(app, writers, { id: 'start', title: 'Start the app again' }),
      ]);
    const file = journal.state<BackupState>(STATE.backup)!.file;
    cmd.channel.emit({ type: 'notice', level: 'info', message: `Backup verified: ${file}\nRestore it with: glowworm restore ${file}` });
    return 'ok';
  });
}
