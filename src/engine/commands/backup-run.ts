// `glowworm backup` and the doctor's "Back up now": stop the app's writers for a consistent dump (the checksums
// that verify it must describe the same data), back up, verify in a throwaway server, start the app again.
import type { ProjectOptions, RunIO } from '../api.js';
import type { DockerPort } from '../docker/port.js';
import { abortedError } from '../errors.js';
import type { EngineEvent } from '../events.js';
import { appServices, openDeployment, requireDb, startServices, stopWriters, backupDeployment } from './deployment.js';
import { runProjectSteps } from './project-run.js';
import { runCommand } from './run-command.js';

export function backupRun(opts: ProjectOptions, io: RunIO, docker?: DockerPort): AsyncIterable<EngineEvent> {
  return runCommand('backup', opts.projectDir, async (cmd) => {
    const signal = io.signal ?? new AbortController().signal;
    const d = await openDeployment(opts, cmd.redactor, docker);
    const { creds } = requireDb(d);
    const writers = appServices(d).filter((a) => a.container.running).map((a) => a.service);
    const summary = `Back up the database "${creds.database}": stop ${writers.join(', ') || 'nothing'} while it is dumped, verify the dump by restoring it into a throwaway database, then start them again.`;
    if (!(await io.confirm(summary))) throw abortedError('Backup cancelled; nothing was changed.');
    let stopped: string[] = [];
    let file = '';
    await runProjectSteps('backup', { projectDir: opts.projectDir, docker: d.docker }, cmd, signal, () => [
      { id: 'stop', title: 'Stop the app so the backup is consistent', run: async () => void (stopped = await stopWriters(d, cmd.channel.emit)) },
      {
        id: 'backup',
        title: 'Back up and verify the database',
        run: async () => {
          const taken = await backupDeployment(d, cmd);
          file = taken.file;
          return file;
        },
      },
      { id: 'start', title: 'Start the app again', run: () => startServices(d, stopped, cmd.channel.emit) },
    ], () => startServices(d, stopped, cmd.channel.emit));
    cmd.channel.emit({ type: 'notice', level: 'info', message: `Backup verified: ${file}\nRestore it with: glowworm restore ${file}` });
    return 'ok';
  });
}
