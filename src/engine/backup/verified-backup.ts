// A backup is reported, verified and recorded the same way wherever it is taken (upgrade, doctor, restore, reset):
// the events, the manifest's `verified` field, and the refusal to go on when the restored copy differs.
import type { ContainerDetails, DockerPort } from '../docker/port.js';
import { withDb } from '../db/connection.js';
import type { DbCredentials } from '../db/credentials.js';
import { tableShapes } from '../db/table-shapes.js';
import type { Emit } from '../event-channel.js';
import { externalError } from '../errors.js';
import { counted } from '../event-words.js';
import type { Redactor } from '../secrets.js';
import { totalRows, type BackupManifest } from './manifest.js';
import { estimateDumpBytes, progressReporter } from './progress.js';
import { dumpFileProblem } from './check-file.js';
import { saveManifest } from './store.js';
import { takeBackup, type TakeBackupOptions, type TakenBackup } from './take-backup.js';
import { serverOf, startVerifier, type Verifier, type VerifyResult } from './verify.js';

export async function takeAndReportBackup(opts: Omit<TakeBackupOptions, 'onProgress'>, emit: Emit): Promise<TakenBackup> {
  const total = await withDb(opts.creds, async (db) => estimateDumpBytes(await tableShapes(db)));
  const progress = progressReporter({ total, emit: (r) => emit({ type: 'backup.progress', ...r }) });
  const taken = await takeBackup({ ...opts, onProgress: (bytes) => progress.update(bytes) });
  progress.finish(taken.manifest.dump.uncompressedBytes);
  if (taken.removedPartials.length) {
    emit({ type: 'notice', level: 'info', message: `Removed the unfinished dump of a killed backup: ${taken.removedPartials.join(', ')}.` });
  }
  const m = taken.manifest;
  emit({ type: 'backup.completed', path: taken.file, sha256: m.dump.sha256, bytes: m.dump.bytes, tables: Object.keys(m.tables).length, rows: totalRows(m) });
  return taken;
}

/** Both at once; neither left running when the other fails. */
async function compareAndReadBack(verifier: Verifier, file: string, manifest: BackupManifest): Promise<[VerifyResult, string | null]> {
  const [compared, read] = await Promise.allSettled([verifier.compare(manifest), dumpFileProblem(file, manifest)]);
  if (compared.status === 'rejected') throw compared.reason;
  if (read.status === 'rejected') throw read.reason;
  return [compared.value, read.value];
}

/** Verify in the throwaway server, record the result in the manifest, report it; throws when it does not match. */
export async function verifyAndRecord(verifier: Verifier, file: string, manifest: BackupManifest, emit: Emit, opts: { loaded?: boolean } = {}): Promise<string> {
  // Loaded as it was dumped (take-backup's `into`): the comparison is left, and reading the file back, which nothing
  // else did (what was written could differ from what was loaded: a disk fault, a full disk). Else restored from
  // the file now, which reads it.
  const [result, fileProblem] = opts.loaded ? await compareAndReadBack(verifier, file, manifest) : [await verifier.verify(manifest, file), null];
  const how = opts.loaded ? 'loaded into a throwaway server as it was dumped, the file read back: ' : '';
  const ok = result.ok && !fileProblem;
  const matched = `${how}${counted(result.tables, 'table')} ${result.tables === 1 ? 'matches' : 'match'}`;
  const detail = fileProblem ? `the file ${fileProblem}` : result.ok ? matched : result.mismatches.join('; ');
  manifest.verified = { at: new Date().toISOString(), ok, detail };
  await saveManifest(file, manifest);
  emit({ type: 'backup.verified', path: file, tables: result.tables, checksumsMatch: ok });
  if (fileProblem) {
    throw externalError('backup.verify-failed', `The backup file ${file} ${fileProblem}.`,
      'Nothing was changed. Check the disk the backups are on (free space, errors in the kernel log), then try again.');
  }
  if (!result.ok) {
    throw externalError('backup.verify-failed', `The backup does not restore to the same data: ${result.mismatches.slice(0, 3).join('; ')}`,
      'Nothing was changed. Check free disk space and the database container\'s logs, then try again.');
  }
  return matched;
}

type VerifiedBackupOptions = Omit<TakeBackupOptions, 'onProgress'> & { db: ContainerDetails; creds: DbCredentials; runId: string; redactor: Redactor; docker: DockerPort };

/**
 * Backup + verification in one go (the verifier starts while the dump runs). The throwaway server is handed back
 * still holding the verified copy, for a catch-up at the stop to bring it (and the file) to the database as it is
 * then; the caller removes it. On a failure here it is removed before the throw.
 */
export async function takeVerifiedBackupKeepingCopy(opts: VerifiedBackupOptions, emit: Emit): Promise<{ taken: TakenBackup; verifier: Verifier }> {
  const verifier = startVerifier({
    docker: opts.docker, ...serverOf(opts.db),
    project: opts.project, runId: opts.runId, redactor: opts.redactor,
  });
  verifier.catch(() => undefined);
  try {
    // Loaded from the file afterwards, not as it is dumped (takeBackup's `into`): this server starts with the dump,
    // and initialising its datadir takes longer than a small database's dump, which overlaps it this way.
    const taken = await takeAndReportBackup(opts, emit);
    await verifyAndRecord(await verifier, taken.file, taken.manifest, emit);
    return { taken, verifier: await verifier };
  } catch (error) {
    await (await verifier.catch(() => null))?.dispose();
    throw error;
  }
}
