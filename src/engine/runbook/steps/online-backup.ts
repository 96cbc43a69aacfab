// A command's backup taken while the app serves and brought to the moment of its stop (issue 14), as the upgrade's
// backup, verify-backup and catch-up do (steps/database.ts, steps/catch-up.ts): the dump and its verification run
// before the downtime, and inside it only what changed since is copied into the verified copy and the backup file,
// which are then proven equal to the database. For a command that then changes the database (reset drops it), so its
// way back must hold the database exactly as it was at the stop, not as it was minutes before.
//
// The two steps share one throwaway server: the backup step keeps it alive, the catch-up removes it once done, and
// `dispose` (the command's end, whatever happened) removes it if a failure in between left it there.
import { catchUpBackup, catchUpSummary } from '../../backup/catch-up-backup.js';
import type { Verifier } from '../../backup/verify.js';
import { externalError } from '../../errors.js';
import type { Step } from '../executor.js';
import { backupState } from '../run-state.js';
import { verifiedBackupStep, type BackupScope, type DbScope } from './database-back.js';

export interface OnlineBackup {
  /** While the app serves: dump in one snapshot, verify in the throwaway server, which keeps the copy. */
  backupStep(scope: BackupScope, step: { id: string; title: string }): Step;
  /**
   * After the stop (no writer left): copy what changed since the dump into the copy and the file, prove them equal
   * to the database; the manifest then describes the database at the stop. Changes nothing in the database, so on
   * failure the stop's undo starting the app again is all the way back there is.
   */
  catchUpStep(scope: DbScope, step: { id: string; title: string }): Step;
  /** Remove the throwaway server if it is still there; waits for a removal the catch-up started. */
  dispose(): Promise<void>;
}

export function onlineBackup(): OnlineBackup {
  let copy: Verifier | null = null;
  const dispose = async () => { await copy?.dispose().catch(() => undefined); };
  return {
    backupStep: (scope, step) => verifiedBackupStep(scope, { ...step, online: true, keepCopy: (v) => (copy = v) }),
    catchUpStep: (scope, step) => ({
      id: step.id,
      title: step.title,
      run: async () => {
        const b = await backupState(scope);
        if (!b || !copy) throw externalError('backup.no-verified-copy', 'The verified backup taken while the app served, or its copy in the throwaway server, is gone; nothing was deleted.');
        try {
          return catchUpSummary(await catchUpBackup({ docker: scope.docker, db: scope.db, creds: scope.creds, verifier: copy, file: b.file, manifest: b.manifest }));
        } finally {
          // The copy has done its job either way; its removal is no part of the downtime (`dispose` waits for it).
          void dispose();
        }
      },
    }),
    dispose,
  };
}
