// Steps on the database: the backup (the way back), its verification in a throwaway server, the rehearsal of the
// new migrations on that copy. The backup's undo is the way back itself: the database is restored from it when the
// run started a process that writes the database and the database is no longer what the backup holds.
import { restoreBackup } from '../../backup/restore-backup.js';
import { takeAndReportBackup, verifyAndRecord } from '../../backup/verified-backup.js';
import { tableMismatches } from '../../backup/manifest-compare.js';
import type { BackupManifest } from '../../backup/manifest.js';
import { withDb } from '../../db/connection.js';
import { alembicRevisions, listTables } from '../../db/schema.js';
import { externalError } from '../../errors.js';
import { runningImages } from '../../plan/observed-state.js';
import { rehearseMigrations } from '../../rehearsal/rehearse.js';
import { backupState, startedAWriter } from '../run-state.js';
import { STATE, type BackupState, type UpgradeRun } from '../upgrade-run.js';
import type { StepBuilder } from './step-builder.js';

/** Did the database change since the backup? Revisions, table set, then every table's checksum. */
export async function movedSince(creds: UpgradeRun['creds'], manifest: BackupManifest): Promise<string | null> {
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

export const backupStep: StepBuilder<'backup'> = (run, _op, id) => ({
  id,
  title: 'Back up the database',
  run: async () => {
    const taken = await takeAndReportBackup({
      docker: run.docker, db: run.db, creds: run.creds, project: run.observed.project.name,
      projectDir: run.observed.project.workingDir, images: runningImages(run.observed),
    }, run.channel.emit);
    await run.journal.setState(STATE.backup, { file: taken.file } satisfies BackupState);
    const m = taken.manifest;
    return `${(m.dump.bytes / 1048576).toFixed(1)} MB, ${Object.keys(m.tables).length} tables`;
  },
  undo: async () => {
    // Nothing of the new version ran: the app was stopped for the backup and no writer started since.
    if (!startedAWriter(run)) return 'untouched: no process of the new version wrote to it';
    const recorded = run.journal.state<BackupState>(STATE.backup);
    if (!recorded) return 'no backup was finished; nothing had written the database yet';
    const b = await backupState(run);
    if (!b) {
      throw externalError('rollback.backup-gone', `The backup this run took, ${recorded.file}, is gone or has no manifest: the database cannot be put back from it.`,
        `Put the file (and its .manifest.json) back where it was and run \`glowworm upgrade --rollback\` again.`);
    }
    const why = await movedSince(run.creds, b.manifest);
    if (!why) return 'unchanged since the backup';
    run.channel.emit({ type: 'notice', level: 'warn', message: `The database changed (${why}); restoring ${b.file}.` });
    const result = await restoreBackup({ docker: run.docker, db: run.db, creds: run.creds, file: b.file, manifest: b.manifest });
    if (result.mismatches.length) throw externalError('rollback.restore-mismatch', `The restored database differs from the backup: ${result.mismatches.slice(0, 3).join('; ')}`);
    await run.journal.setState(STATE.databaseRestored, true);
    return `restored ${result.tables} tables from ${b.file}`;
  },
});

export const verifyBackupStep: StepBuilder<'verify-backup'> = (run, _op, id) => ({
  id,
  title: 'Verify the backup by restoring it into a throwaway database',
  run: async () => {
    const b = await backupState(run);
    if (!b) throw externalError('backup.missing', 'The backup this run took is gone.');
    if (!run.verifier) throw externalError('backup.no-verifier', 'No throwaway database was started to verify the backup.');
    const verifier = await run.verifier;
    const rehearsalNext = run.plan.operations.some((o) => o.kind === 'rehearse');
    try {
      return await verifyAndRecord(verifier, b.file, b.manifest, run.channel.emit);
    } finally {
      // The rehearsal migrates this very copy; otherwise the throwaway server has done its job.
      if (!rehearsalNext) await verifier.dispose();
    }
  },
});

export const rehearseStep: StepBuilder<'rehearse'> = (run, _op, id) => ({
  id,
  title: 'Rehearse the migrations on the restored copy',
  run: async () => {
    if (!run.verifier) throw externalError('rehearsal.no-copy', 'There is no restored copy to rehearse on.');
    const verifier = await run.verifier;
    const backend = run.observed.services[run.observed.roles.backend!]!;
    try {
      const r = await rehearseMigrations({
        docker: run.docker, emit: run.channel.emit, runId: run.runId, project: run.observed.project.name, verifier,
        database: run.creds.database, image: run.target.refs[backend.name]!, ini: run.target.alembicIni,
        graph: run.target.graph, backendEnv: backend.container?.env ?? [], timeoutMs: run.timeoutMs,
      });
      return `${r.timings.length} migrations in ${(r.timings.reduce((n, t) => n + t.durationMs, 0) / 1000).toFixed(1)} s on the copy`;
    } finally {
      await verifier.dispose();
    }
  },
});
