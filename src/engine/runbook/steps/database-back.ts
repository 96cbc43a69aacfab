// The way back for the database, shared by every run that changes it (upgrade, restore, migrate, reset, the salvage of
// an unreadable journal): compare the live database with a backup's manifest and, only when they differ, restore the
// backup and prove the restored tables equal to it. Plus the step that takes that backup for the commands.
import { restoreBackup } from '../../backup/restore-backup.js';
import { tableMismatches } from '../../backup/manifest-compare.js';
import type { BackupManifest } from '../../backup/manifest.js';
import { takeVerifiedBackupKeepingCopy } from '../../backup/verified-backup.js';
import type { Verifier } from '../../backup/verify.js';
import type { ContainerDetails, DockerPort } from '../../docker/port.js';
import type { DbCredentials } from '../../db/credentials.js';
import { withDb } from '../../db/connection.js';
import { alembicRevisions, listTables } from '../../db/schema.js';
import type { Emit } from '../../event-channel.js';
import { externalError } from '../../errors.js';
import type { Redactor } from '../../secrets.js';
import type { Step } from '../executor.js';
import type { Journal } from '../journal.js';
import { backupState } from '../run-state.js';
import { STATE, type BackupState } from '../upgrade-run.js';

export interface DbScope {
  docker: DockerPort;
  db: ContainerDetails;
  creds: DbCredentials;
  emit: Emit;
  journal: Journal;
}

/** Did the database change since the backup? Revisions, table set, then every table's checksum. */
export async function movedSince(creds: DbCredentials, manifest: BackupManifest): Promise<string | null> {
  return withDb(creds, async (db) => {
    const revisions = await alembicRevisions(db);
    if (revisions.join() !== manifest.alembic.join()) return `alembic_version is ${revisions.join(', ') || 'empty'}, was ${manifest.alembic.join(', ')}`;
    const tables = await listTables(db);
    const before = Object.keys(manifest.tables);
    const added = tables.filter((t) => !before.includes(t));
    const removed = before.filter((t) => !tables.includes(t));
    if (added.length || removed.length) return `tables changed (${[...added.map((t) => `+${t}`), ...removed.map((t) => `-${t}`)].join(', ')})`;
    const changed = await tableMismatches(db, manifest);
    return changed.length ? `data changed (${changed.join('; ')})` : null;
  });
}

/** Restore `file` when the database is no longer what it holds; null when it still is. */
export async function restoreIfMoved(
  scope: Pick<DbScope, 'docker' | 'db' | 'creds' | 'emit'>, file: string, manifest: BackupManifest,
): Promise<{ why: string; tables: number } | null> {
  const why = await movedSince(scope.creds, manifest);
  if (!why) return null;
  scope.emit({ type: 'notice', level: 'warn', message: `The database changed (${why}); restoring ${file}.` });
  const result = await restoreBackup({ docker: scope.docker, db: scope.db, creds: scope.creds, file, manifest });
  if (result.mismatches.length) throw externalError('rollback.restore-mismatch', `The restored database differs from the backup: ${result.mismatches.slice(0, 3).join('; ')}`);
  return { why, tables: result.tables };
}

/** The database as the backup this run recorded (STATE.backup) holds it: the undo of any step that changes it. */
export async function putBackDatabase(scope: DbScope): Promise<string> {
  const recorded = scope.journal.state<BackupState>(STATE.backup);
  if (!recorded) return 'no backup was finished; nothing had written the database yet';
  const b = await backupState(scope);
  if (!b) {
    throw externalError('rollback.backup-gone', `The backup this run took, ${recorded.file}, is gone or has no manifest: the database cannot be put back from it.`,
      'Put the file (and its .manifest.json) back where it was and run the command again, or `glowworm restore` it.');
  }
  const restored = await restoreIfMoved(scope, b.file, b.manifest);
  if (!restored) return 'unchanged since the backup';
  await scope.journal.setState(STATE.databaseRestored, true);
  return `restored ${restored.tables} tables from ${b.file}`;
}

/** What a command's backup needs beyond the database: whose it is, and what the manifest records it was taken with. */
export interface BackupScope extends DbScope {
  project: string;
  projectDir: string;
  images: Record<string, { ref: string; id: string }>;
  runId: string;
  redactor: Redactor;
}

/**
 * A verified backup, recorded in the run's journal: the way back for the steps after it. Changes nothing itself.
 * `online`: dumped while the app serves, in a snapshot shared with the manifest's facts (backup/take-backup.ts).
 * `keepCopy`: given the throwaway server still holding the verified copy (for a catch-up; it then removes it);
 * without it the server is removed here.
 */
export function verifiedBackupStep(scope: BackupScope, step: { id: string; title: string; online?: boolean; keepCopy?: (copy: Verifier) => void }): Step {
  return {
    id: step.id,
    title: step.title,
    run: async () => {
      const { taken, verifier } = await takeVerifiedBackupKeepingCopy({
        docker: scope.docker, db: scope.db, creds: scope.creds, project: scope.project, projectDir: scope.projectDir,
        images: scope.images, runId: scope.runId, redactor: scope.redactor, online: step.online ?? false,
      }, scope.emit);
      if (step.keepCopy) step.keepCopy(verifier);
      else await verifier.dispose();
      await scope.journal.setState(STATE.backup, { file: taken.file } satisfies BackupState);
      return taken.file;
    },
  };
}

/** Replace the database with `file` and prove every table equal to its manifest; undone from the run's own backup. */
export function restoreFileStep(scope: DbScope, file: string, manifest: BackupManifest, step: { id: string; title: string }): Step {
  return {
    id: step.id,
    title: step.title,
    run: async () => {
      const r = await restoreBackup({ docker: scope.docker, db: scope.db, creds: scope.creds, file, manifest });
      if (r.mismatches.length) throw externalError('restore.mismatch', `The restored database differs from the backup: ${r.mismatches.slice(0, 3).join('; ')}`);
      return `${r.tables} tables restored and compared`;
    },
    undo: () => putBackDatabase(scope),
  };
}
