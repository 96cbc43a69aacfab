// At the stop, the copy in the throwaway server (loaded from an online dump while the app served) catches up with
// the live database: only what the chunk comparison (compare-copy.ts) names is copied again. A differing chunk is
// deleted in the copy and re-dumped from live with `--where` its key range; a table that differs whole (no primary
// key, other columns, missing from the copy) is dumped whole; one only the copy has is dropped. Then what was copied
// is compared again, and only an empty answer proves the copy equal to the database at the stop: the first
// comparison's sums of everything else stand as long as the server's write counters did not move
// (db/write-mark.ts); when they did, every table is compared again.
//
// The writers must be stopped: a chunk written to between its dump and the final comparison would be reported as
// a difference (which fails safe, but fails). Rows stream from the live container's dump tool straight into the
// throwaway's client, never through a file. Deletes in the copy run with foreign_key_checks off, so that InnoDB
// does not cascade them into child rows the comparison found equal.
import type { DockerPort } from '../docker/port.js';
import type { Db } from '../db/connection.js';
import type { DbCredentials } from '../db/credentials.js';
import { quoteIdent } from '../db/schema.js';
import { externalError } from '../errors.js';
import { writeMark } from '../db/write-mark.js';
import { compareAgainWhereDiffered, compareWithCopy, describeDifferences, type CompareOptions, type CopyComparison, type TableDifference } from './compare-copy.js';
import { clientLoadCommand } from './db-tools.js';
import type { DeltaRecorder } from './delta-record.js';

/** Per table: no routines or events (the bulk dump has them), one consistent read, the bulk dump's encoding. */
const TABLE_DUMP_FLAGS = ['--single-transaction', '--hex-blob', '--complete-insert', '--extended-insert', '--default-character-set=utf8mb4', '--skip-routines', '--skip-events'];

export interface DeltaSide {
  /** The container the dump tool (live) or the client (copy) runs in. */
  container: string;
  creds: DbCredentials;
  /** mysqldump/mariadb-dump on live, mysql/mariadb on the copy (backup/db-tools.ts). */
  tool: string;
}

export interface DeltaResult {
  /** The comparison before the copy caught up (what was copied again). */
  before: CopyComparison;
  /** The final comparison over every table: empty differences. */
  after: CopyComparison;
  chunksCopied: number;
  tablesCopiedWhole: number;
  ms: number;
  /** How long the comparison over every table took, then the final one (none when nothing differed and nothing wrote). */
  comparisonsMs: number[];
  /**
   * What the final comparison read: `none` (nothing differed: the first one is the proof), `copied-again` (only what
   * was copied, the rest unchanged since), `every-table` (something wrote to live during the catch-up).
   */
  finalComparison: 'none' | 'copied-again' | 'every-table';
}

/** What the copy is given: to the copy, and (when the backup file is to get the same changes) to the record. */
interface Delivery {
  docker: DockerPort;
  copyDb: Db;
  live: DeltaSide;
  copy: DeltaSide;
  record?: DeltaRecorder | undefined;
}

async function runOnCopy(to: Delivery, sql: string): Promise<void> {
  await to.copyDb.query(sql);
  await to.record?.statement(sql);
}

/** Stream `mysqldump … <table>` on live into the copy's client (and the record). */
async function pipeTable(to: Delivery, table: string, extra: string[]): Promise<void> {
  const { docker, live, copy } = to;
  const dump = await docker.execStream(live.container, [live.tool, ...TABLE_DUMP_FLAGS, ...extra, `--user=${live.creds.user}`, live.creds.database, table],
    { env: [`MYSQL_PWD=${live.creds.password}`] });
  dump.done.catch(() => undefined);
  const rows = to.record ? dump.stdout.pipe(to.record.tap()) : dump.stdout;
  const load = await docker.execWithStdin(copy.container, clientLoadCommand(copy.tool, copy.creds.user, copy.creds.database), rows,
    { env: [`MYSQL_PWD=${copy.creds.password}`] });
  const dumped = await dump.done;
  if (dumped.exitCode !== 0 || load.exitCode !== 0) {
    const why = dumped.exitCode !== 0 ? `${live.tool} exited ${dumped.exitCode}: ${dumped.stderr.trim()}` : `${copy.tool} exited ${load.exitCode}: ${load.stderr.trim()}`;
    throw externalError('backup.delta-failed', `Copying the changes of ${table} into the verification copy failed (${why.split('\n').slice(-2).join(' ')}).`,
      'Nothing was changed in the live database. Try again; the copy is rebuilt by the next backup.');
  }
}

async function catchUp(to: Delivery, d: TableDifference): Promise<'chunks' | 'whole'> {
  if (d.whole && d.why === 'only-copy') {
    await runOnCopy(to, `DROP TABLE IF EXISTS ${quoteIdent(d.table)}`);
    return 'whole';
  }
  if (d.whole) {
    // The dump drops and recreates it (DROP TABLE IF EXISTS, CREATE TABLE), triggers included.
    await pipeTable(to, d.table, []);
    return 'whole';
  }
  const where = d.chunks.map((c) => `(${c.where})`).join(' OR ');
  await runOnCopy(to, `DELETE FROM ${quoteIdent(d.table)} WHERE ${where}`);
  await pipeTable(to, d.table, ['--no-create-info', '--skip-triggers', `--where=${where}`]);
  return 'chunks';
}

/**
 * Bring the copy level with live and prove it: compare, copy again what differs, compare every table once more.
 * Throws `backup.delta-mismatch` (naming what still differs) when the final comparison is not empty.
 */
export async function catchUpCopy(opts: {
  docker: DockerPort;
  live: DeltaSide;
  copy: DeltaSide;
  liveDb: Db;
  copyDb: Db;
  compare?: Omit<CompareOptions, 'tables'>;
  /** Given every statement and byte the copy is given, in order (the backup file's record of the changes). */
  record?: DeltaRecorder;
}): Promise<DeltaResult> {
  const started = Date.now();
  const mark = await writeMark(opts.liveDb);
  const before = await compareWithCopy(opts.liveDb, opts.copyDb, opts.compare);
  const comparisonsMs = [Date.now() - started];
  const to: Delivery = { docker: opts.docker, copyDb: opts.copyDb, live: opts.live, copy: opts.copy, record: opts.record };
  let chunksCopied = 0;
  let tablesCopiedWhole = 0;
  await runOnCopy(to, 'SET SESSION foreign_key_checks = 0');
  try {
    for (const d of before.differences) {
      if ((await catchUp(to, d)) === 'whole') tablesCopiedWhole++;
      else chunksCopied += d.whole ? 0 : d.chunks.length;
    }
  } finally {
    await runOnCopy(to, 'SET SESSION foreign_key_checks = 1');
  }
  // The first comparison read every chunk after the stop. While nothing writes to live, its sums stand: only what
  // was copied again needs reading again (with nothing copied, none), and that is the proof over every table. If
  // anything was written to live meanwhile (a writer the stop did not stop), every table is compared once more.
  const secondAt = Date.now();
  let after = before.differences.length === 0 ? before : await compareAgainWhereDiffered(opts.liveDb, opts.copyDb, before, opts.compare);
  let finalComparison: DeltaResult['finalComparison'] = before.differences.length === 0 ? 'none' : 'copied-again';
  if ((await writeMark(opts.liveDb)) !== mark) {
    after = await compareWithCopy(opts.liveDb, opts.copyDb, opts.compare);
    finalComparison = 'every-table';
  }
  if (after !== before) comparisonsMs.push(Date.now() - secondAt);
  if (after.differences.length) {
    throw externalError('backup.delta-mismatch', `The verification copy still differs from the database after copying the changes: ${describeDifferences(after.differences).slice(0, 3).join('; ')}.`,
      'Were the app\'s writers stopped? Nothing was changed in the live database; the upgrade must not go on without a backup equal to it.');
  }
  return { before, after, chunksCopied, tablesCopiedWhole, ms: Date.now() - started, comparisonsMs, finalComparison };
}
