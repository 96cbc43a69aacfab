// `glowworm backup` and the doctor's "Back up now": stop the app's writers for a consistent dump (the checksums
// that verify it must describe the same data), back up, verify in a throwaway server, start the app again.
import type { ProjectOptions, RunIO } from '../api.js';
import type { DockerPort } from '../docker/port.js';
import { abortedError } from '../errors.js';
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
    const summary = `Back up the database "${creds.database}": stop ${writers.join(', ') || 'nothing'} while it is dumped, verify the dump by restoring it into a throwaway database, then start them again.`;
    if (!(await io.confirm(summary))) throw abortedError('Backup cancelled; nothing was changed.');
    const app = appScope(d, cmd.channel.emit);
    const journal = await runProjectSteps('backup', { projectDir: opts.projectDir, docker: d.docker }, cmd, signal, (j) => [
      stopAppStep(app, writers, { id: 'stop', title: 'Stop the app so the backup is consistent' }),
      verifiedBackupStep(backupScope(d, cmd, j), { id: 'backup', title: 'Back up and verify the database' }),
      startAppStep(app, writers, { id: 'start', title: 'Start the app again' }),
    ]);
    const file = journal.state<BackupState>(STATE.backup)!.file;
    cmd.channel.emit({ type: 'notice', level: 'info', message: `Backup verified: ${file}\nRestore it with: glowworm restore ${file}` });
    return 'ok';
  });
}
