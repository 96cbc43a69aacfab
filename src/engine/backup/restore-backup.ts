// Restore a verified backup into the production database: check the file first (a corrupt file must never cost
// the user the database they have), then drop and recreate the database, load the dump, and compare every table's
// checksum and row count with the manifest. The app's writers must be stopped by the caller.
import type { ContainerDetails, DockerPort } from '../docker/port.js';
import type { DbCredentials } from '../db/credentials.js';
import { recreateDatabase } from '../db/recreate-database.js';
import { withDb } from '../db/connection.js';
import { externalError } from '../errors.js';
import { findDbTools } from './db-tools.js';
import { backupChanged, loadDump, sha256File } from './load-dump.js';
import type { BackupManifest } from './manifest.js';
import { tableMismatches } from './manifest-compare.js';

export interface RestoreResult {
  tables: number;
  mismatches: string[];
}

export async function restoreBackup(opts: {
  docker: DockerPort;
  db: ContainerDetails;
  creds: DbCredentials;
  file: string;
  manifest: BackupManifest;
}): Promise<RestoreResult> {
  const { manifest, creds } = opts;
  if (manifest.database !== creds.database) {
    throw externalError('restore.wrong-database', `The backup is of database "${manifest.database}", but this deployment uses "${creds.database}".`);
  }
  // Again here, though it was checked before anything stopped: the file may have changed since, and this is the
  // last moment at which nothing has been touched.
  if ((await sha256File(opts.file)) !== manifest.dump.sha256) throw backupChanged(opts.file, 'the database was NOT touched');
  const tools = await findDbTools(opts.docker, opts.db.id);
  await recreateDatabase(creds, manifest.createDatabase);
  await loadDump({
    docker: opts.docker,
    container: opts.db.id,
    client: tools.client,
    user: creds.user,
    password: creds.password,
    database: creds.database,
    file: opts.file,
    expectedSha256: manifest.dump.sha256,
  });
  const mismatches = await withDb(creds, (db) => tableMismatches(db, manifest));
  return { tables: Object.keys(manifest.tables).length, mismatches };
}
