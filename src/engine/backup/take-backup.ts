// Take a backup: dump + manifest (tables, rows, checksums, revision, images). The checksums are read after the dump,
// not beside it: on a small server both would compete for the same disk and cores and slow the dump (measured in
// docs/benchmarks.md). They describe the dumped data because the caller stopped the app's writers first.
import { join } from 'node:path';
import type { ContainerDetails, DockerPort } from '../docker/port.js';
import type { DbCredentials } from '../db/credentials.js';
import { withDb } from '../db/connection.js';
import { alembicRevisions, listTables, rowCounts, showCreateDatabase, tableChecksums } from '../db/schema.js';
import { findDbTools } from './db-tools.js';
import { dumpDatabase } from './dump.js';
import type { BackupManifest, TableFacts } from './manifest.js';
import { backupBaseName, ensureBackupDir, removeDeadPartials, saveManifest } from './store.js';

export interface TakeBackupOptions {
  docker: DockerPort;
  db: ContainerDetails;
  creds: DbCredentials;
  project: string;
  projectDir: string;
  images: Record<string, { ref: string; id: string }>;
  onProgress?: (uncompressedBytes: number) => void;
}

export interface TakenBackup {
  file: string;
  manifest: BackupManifest;
  client: string;
  /** Partial dumps of killed runs, removed before this one (their names). */
  removedPartials: string[];
}

export async function takeBackup(opts: TakeBackupOptions): Promise<TakenBackup> {
  const tools = await findDbTools(opts.docker, opts.db.id);
  const before = await withDb(opts.creds, async (db) => ({
    createDatabase: await showCreateDatabase(db, opts.creds.database),
    alembic: await alembicRevisions(db),
    tables: await listTables(db),
  }));
  const dir = await ensureBackupDir(opts.projectDir);
  // A killed backup's partial dump would stay forever, as large as the dump got; its writer is gone.
  const removedPartials = await removeDeadPartials(opts.projectDir);
  const file = join(dir, `${backupBaseName(opts.creds.database, before.alembic)}.sql.gz`);

  const dump = await dumpDatabase({ docker: opts.docker, container: opts.db.id, tool: tools.dump, creds: opts.creds, file, onProgress: opts.onProgress });
  const facts = await withDb(opts.creds, async (db) => {
    const [sums, counts] = [await tableChecksums(db, before.tables), await rowCounts(db, before.tables)];
    const tables: Record<string, TableFacts> = {};
    for (const t of before.tables) tables[t] = { rows: counts[t] ?? 0, checksum: sums[t] ?? '' };
    return tables;
  });
  const manifest: BackupManifest = {
    format: 1,
    createdAt: new Date().toISOString(),
    project: opts.project,
    database: opts.creds.database,
    createDatabase: before.createDatabase,
    dbImage: { ref: opts.db.image, id: opts.db.imageId },
    images: opts.images,
    alembic: before.alembic,
    tables: facts,
    dump: { file: file.slice(dir.length + 1), tool: tools.dump, ...dump },
    verified: null,
  };
  await saveManifest(file, manifest);
  return { file, manifest, client: tools.client, removedPartials };
}
