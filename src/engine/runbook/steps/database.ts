// Steps on the database: the backup (the way back), its verification in a throwaway server, the rehearsal of the
// new migrations on that copy. The backup's undo is the way back itself: the database is restored from it when the
// run started a process that writes the database and the database is no longer what the backup holds.
import { takeAndReportBackup, verifyAndRecord } from '../../backup/verified-backup.js';
import { externalError } from '../../errors.js';
import { runningImages } from '../../plan/observed-state.js';
import { rehearseMigrations } from '../../rehearsal/rehearse.js';
import { backupState, startedAWriter } from '../run-state.js';
import { putBackDatabase } from './database-back.js';
import { STATE, type BackupState } from '../upgrade-run.js';
import type { StepBuilder } from './step-builder.js';

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
    return putBackDatabase({ docker: run.docker, db: run.db, creds: run.creds, emit: run.channel.emit, journal: run.journal });
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
