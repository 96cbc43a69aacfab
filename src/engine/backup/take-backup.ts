// Take a backup: dump + manifest (tables, rows, checksums, revision, images). The checksums are read after the dump,
// not beside it: on a small server both would compete for the same disk and cores and slow the dump (measured in
// docs/benchmarks.md). They describe the dumped data either because the caller stopped the app's writers first, or
// (`online`) because they are read in a snapshot shared with the dump's own (backup/shared-snapshot.ts) while the
// app serves — which only InnoDB tables allow: `onlineBackupBlockers` names the others.
import { rm } from 'node:fs/promises';
import { PassThrough } from 'node:stream';
import { join } from 'node:path';
import type { ContainerDetails, DockerPort } from '../docker/port.js';
import type { DbCredentials } from '../db/credentials.js';
import { withDb, type Db } from '../db/connection.js';
import { wholeTableSums } from '../db/chunk-checksum.js';
import { alembicRevisions, listTables, rowCounts, showCreateDatabase, tableChecksums } from '../db/schema.js';
import { notInnodb, tableShapes } from '../db/table-shapes.js';
import { externalError, userError } from '../errors.js';
import { findDbTools } from './db-tools.js';
import { dumpDatabase } from './dump.js';
import { openSharedSnapshot, type SharedSnapshot } from './shared-snapshot.js';
import type { Verifier } from './verify.js';
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
  /**
   * Dump while the app serves: every table must be InnoDB (check `onlineBackupBlockers` first; a user error names
   * them otherwise). The writers wait only while the shared snapshot is taken (`manifest.online.writersWaitedMs`).
   */
  online?: boolean;
  /**
   * Online: how long the writers may wait for the dump to begin its first table (default 10 s). Past it the lock
   * goes, the app is never held up longer, and the backup fails (`backup.snapshot-failed`): the snapshots may differ.
   */
  snapshotWaitMs?: number;
  /** How long the dump waits for a copy (`into`) that takes nothing before it lets the copy go (default 60 s). */
  copyStallMs?: number;
  /**
   * A throwaway server that loads the dump as it is taken, instead of from the file afterwards: the verification is
   * then only its comparison (`Verifier.compare`). Used only when it is ready when the dump begins; its failure never
   * fails the backup (`loadedInto` is then null, and the copy is loaded from the file as before).
   */
  into?: Verifier;
}

export interface TakenBackup {
  file: string;
  manifest: BackupManifest;
  client: string;
  /** Partial dumps of killed runs, removed before this one (their names). */
  removedPartials: string[];
  /** The id of the throwaway container (`into`) that loaded this dump as it was taken; null when none did. */
  loadedInto: string | null;
}

/** Tables that keep a backup from being taken online (not InnoDB), with their engine: [] when it can be. */
export async function onlineBackupBlockers(creds: DbCredentials): Promise<{ table: string; engine: string }[]> {
  return withDb(creds, async (db) => notInnodb(await tableShapes(db)));
}

/** The tables that keep a backup from being taken while the app serves, as a person reads them: `notes (MyISAM)`. */
export function namedBlockers(blockers: readonly { table: string; engine: string }[]): string {
  return blockers.map((b) => `${b.table} (${b.engine})`).join(', ');
}

/** Rows and checksums of every table as `db` sees them: CHECKSUM TABLE, or row CRC32s inside a snapshot. */
async function tableFacts(db: Db, tables: string[], inSnapshot: boolean): Promise<Record<string, TableFacts>> {
  const out: Record<string, TableFacts> = {};
  if (inSnapshot) {
    const sums = await wholeTableSums(db, await tableShapes(db, tables));
    for (const t of tables) out[t] = { rows: sums[t]?.rows ?? 0, checksum: sums[t]?.crc ?? '' };
    return out;
  }
  const [sums, counts] = [await tableChecksums(db, tables), await rowCounts(db, tables)];
  for (const t of tables) out[t] = { rows: counts[t] ?? 0, checksum: sums[t] ?? '' };
  return out;
}

async function openSnapshotFor(opts: TakeBackupOptions): Promise<SharedSnapshot> {
  const blockers = await onlineBackupBlockers(opts.creds);
  if (blockers.length) {
    throw userError('backup.not-innodb', `These tables are not InnoDB, so they cannot be dumped consistently while the app serves: ${namedBlockers(blockers)}.`,
      'Take the backup with the app stopped (the default), or convert them: ALTER TABLE … ENGINE=InnoDB.');
  }
  return openSharedSnapshot(opts.creds);
}

export async function takeBackup(opts: TakeBackupOptions): Promise<TakenBackup> {
  const tools = await findDbTools(opts.docker, opts.db.id);
  // Only a server ready now: one still initialising its datadir (seconds; longer for mysql:8.0) would hold up the
  // dump, where without it the two overlap and the copy is loaded from the file afterwards.
  const into = opts.into && (await opts.into.ready(2_000).then(() => opts.into, () => undefined));
  const snapshot = opts.online ? await openSnapshotFor(opts) : null;
  try {
    const read = async (db: Db) => ({
      createDatabase: await showCreateDatabase(db, opts.creds.database),
      alembic: await alembicRevisions(db),
      tables: await listTables(db),
    });
    const before = snapshot ? await read(snapshot.db) : await withDb(opts.creds, read);
    const dir = await ensureBackupDir(opts.projectDir);
    // A killed backup's partial dump would stay forever, as large as the dump got; its writer is gone.
    const removedPartials = await removeDeadPartials(opts.projectDir);
    const file = join(dir, `${backupBaseName(opts.creds.database, before.alembic)}.sql.gz`);

    let released: Promise<number> | null = null;
    let inTime = true;
    const release = () => (released ??= snapshot!.release());
    const giveUp = snapshot ? setTimeout(() => { inTime = released !== null; void release().catch(() => undefined); }, opts.snapshotWaitMs ?? 10_000) : null;
    const copy = into ? new PassThrough({ highWaterMark: 1 << 20 }) : null;
    // A copy the dump gave up on (it failed, or the load took nothing for the stall time) is not waited for: a
    // throwaway server that hangs leaves its load waiting on a query that never answers, until the run removes it.
    const givenUp = copy && new Promise<false>((resolve) => copy.once('error', () => resolve(false)));
    const loading = copy && Promise.race([into!.load({ database: opts.creds.database, createDatabase: before.createDatabase }, copy).then(() => true, () => {
      copy.destroy();
      return false;
    }), givenUp!]);
    const dump = await dumpDatabase({
      docker: opts.docker, container: opts.db.id, tool: tools.dump, creds: opts.creds, file, onProgress: opts.onProgress,
      ...(snapshot ? { onTablesBegin: () => void release().catch(() => undefined) } : {}),
      ...(copy ? { copyTo: copy, ...(opts.copyStallMs ? { copyStallMs: opts.copyStallMs } : {}) } : {}),
    }).finally(() => giveUp && clearTimeout(giveUp)).finally(() => loading);
    // By id: a resumed run's throwaway has the same name, but it is another container, and empty.
    const loadedInto = (await loading) ? ((await opts.docker.inspectContainer(into!.container))?.id ?? null) : null;
    const writersWaitedMs = snapshot ? await release() : 0;
    if (!inTime) {
      await rm(file, { force: true });
      throw externalError('backup.snapshot-failed', `The dump did not begin within ${opts.snapshotWaitMs ?? 10_000} ms while the app's writers waited, so it cannot be proven to hold the snapshot its checks were read in.`,
        'Nothing was kept. Try again, or take the backup with the app stopped.');
    }
    const facts = snapshot ? await tableFacts(snapshot.db, before.tables, true) : await withDb(opts.creds, (db) => tableFacts(db, before.tables, false));
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
      ...(snapshot ? { checksumMethod: 'crc32-xor' as const, online: { writersWaitedMs } } : {}),
      dump: { file: file.slice(dir.length + 1), tool: tools.dump, ...dump },
      verified: null,
    };
    await saveManifest(file, manifest);
    return { file, manifest, client: tools.client, removedPartials, loadedInto };
  } finally {
    await snapshot?.close();
  }
}
