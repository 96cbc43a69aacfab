// The backup taken while the old version served, brought to the stop: the only part of the backup inside the
// downtime is copying what changed since (backup/catch-up-backup.ts). A run killed after its copy was made lost
// that copy with it (a resumed run's throwaway server is a new, empty one): then the backup is taken again the
// slow way, with the app stopped, and verified — correct first, fast where it can be.
import { catchUpBackup, catchUpSummary } from '../../backup/catch-up-backup.js';
import { STATE, type BackupState } from '../upgrade-run.js';
import { backupAndVerifier, copyStillNeeded, putBackRunDatabase, takeRunBackup, verifyRunBackup } from './database.js';
import type { StepBuilder } from './step-builder.js';

export const catchUpStep: StepBuilder<'catch-up'> = (run, _op, id) => ({
  id,
  title: 'Copy the changes made since the backup, and prove it equal to the database',
  run: async () => {
    const { b, verifier } = await backupAndVerifier(run);
    try {
      const copy = (await run.docker.inspectContainer(verifier.container))?.id;
      if (!copy || run.journal.state<BackupState>(STATE.backup)?.copy !== copy) {
        run.channel.emit({ type: 'notice', level: 'warn', message: 'The verified copy of the backup went with the interrupted run: taking the backup again with the app stopped.' });
        const again = await takeRunBackup(run, false);
        return `${await verifyRunBackup(run, verifier, again)} (backup taken again with the app stopped)`;
      }
      return catchUpSummary(await catchUpBackup({ docker: run.docker, db: run.db, creds: run.creds, verifier, file: b.file, manifest: b.manifest }));
    } finally {
      // Removing the throwaway server is no part of the downtime: the run's end waits for it (commands/upgrade.ts).
      if (!copyStillNeeded(run, 'catch-up')) void verifier.dispose().catch(() => undefined);
    }
  },
  // After the stop and before any writer starts: undone before the stop's undo starts the old version again.
  undo: () => putBackRunDatabase(run),
});
