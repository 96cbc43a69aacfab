// Steps on the database: the backup (the way back) and its verification in a throwaway server. Putting the
// database back from it is the undo of the last backup step before the writers start (the backup itself, or the
// catch-up after an online one): when the run started a process that writes the database and it moved since.
import { takeAndReportBackup, verifyAndRecord } from '../../backup/verified-backup.js';
import { externalError } from '../../errors.js';
import { counted } from '../../event-words.js';
import { runningImages } from '../../plan/observed-state.js';
import type { Verifier } from '../../backup/verify.js';
import { backupState, startedAWriter, usesVerifiedCopy, type BackupTaken } from '../run-state.js';
import { putBackDatabase } from './database-back.js';
import { STATE, type BackupState, type UpgradeRun } from '../upgrade-run.js';
import type { StepBuilder } from './step-builder.js';

/** Dump the database and record it as the run's way back (online: while the old version still serves). */
export async function takeRunBackup(run: UpgradeRun, online: boolean): Promise<BackupTaken> {
  // The throwaway server started with the run loads the dump as it is taken (then verify-backup only compares).
  const into = await run.verifier?.catch(() => null);
  const taken = await takeAndReportBackup({
    docker: run.docker, db: run.db, creds: run.creds, project: run.observed.project.name,
    projectDir: run.observed.project.workingDir, images: runningImages(run.observed), online, ...(into ? { into } : {}),
  }, run.channel.emit);
  await run.journal.setState(STATE.backup, { file: taken.file, ...(taken.loadedInto ? { loaded: taken.loadedInto } : {}) } satisfies BackupState);
  return { file: taken.file, manifest: taken.manifest };
}

/** Restore the run's backup into the throwaway server and compare; the journal then names the container holding it. */
export async function verifyRunBackup(run: UpgradeRun, verifier: Verifier, b: BackupTaken): Promise<string> {
  // Loaded as it was dumped only if by this very container: a resumed run's throwaway of the same name is empty.
  const here = (await run.docker.inspectContainer(verifier.container))?.id;
  const loaded = !!here && run.journal.state<BackupState>(STATE.backup)?.loaded === here;
  const summary = await verifyAndRecord(verifier, b.file, b.manifest, run.channel.emit, { loaded });
  await run.journal.setState(STATE.backup, { file: b.file, ...(here ? { copy: here } : {}) } satisfies BackupState);
  return summary;
}

/** Whether a step after the plan's `after` still uses the verified copy. */
export function copyStillNeeded(run: UpgradeRun, after: 'verify-backup' | 'catch-up'): boolean {
  const ops = run.plan.operations;
  return ops.slice(ops.findIndex((o) => o.kind === after) + 1).some(usesVerifiedCopy);
}

/** The run's backup and its throwaway server: what the verification and the catch-up work on. */
export async function backupAndVerifier(run: UpgradeRun): Promise<{ b: BackupTaken; verifier: Verifier }> {
  const b = await backupState(run);
  if (!b) throw externalError('backup.missing', 'The backup this run took is gone.');
  if (!run.verifier) throw externalError('backup.no-verifier', 'No throwaway database was started to verify the backup.');
  return { b, verifier: await run.verifier };
}

export const backupStep: StepBuilder<'backup'> = (run, op, id) => ({
  id,
  title: op.online ? 'Back up the database while the app serves' : 'Back up the database',
  run: async () => {
    const { manifest: m } = await takeRunBackup(run, op.online);
    return `${(m.dump.bytes / 1048576).toFixed(1)} MB, ${counted(Object.keys(m.tables).length, 'table')}`;
  },
  // Taken before the stop, the database is put back by the catch-up's undo: undos run newest first, and the
  // database must be back before the stop's undo starts the old version on it.
  ...(op.online ? {} : { undo: () => putBackRunDatabase(run) }),
});

/**
 * The undo of the last backup step before the writers start: the database as the backup holds it, when a process of
 * the new version may have written to it.
 */
export async function putBackRunDatabase(run: UpgradeRun): Promise<string> {
  if (!startedAWriter(run)) return 'untouched: no process of the new version wrote to it';
  return putBackDatabase({ docker: run.docker, db: run.db, creds: run.creds, emit: run.channel.emit, journal: run.journal });
}

export const verifyBackupStep: StepBuilder<'verify-backup'> = (run, _op, id) => ({
  id,
  title: 'Verify the backup by restoring it into a throwaway database',
  run: async () => {
    const { b, verifier } = await backupAndVerifier(run);
    let kept = false;
    try {
      const summary = await verifyRunBackup(run, verifier, b);
      kept = copyStillNeeded(run, 'verify-backup');
      return summary;
    } finally {
      // The catch-up and the rehearsal use this very copy; otherwise the throwaway server has done its job.
      if (!kept) await verifier.dispose();
    }
  },
});
