// Load a dump into the throwaway server over several connections at once. One mysql client runs the dump's INSERTs
// one after another on one server thread; here each INSERT goes to whichever connection is free, so the server
// inserts on several threads. Everything else keeps the dump's order: every session setting (character set, time
// zone, unique and foreign-key checks off, and their restoring) is run on every connection, queued behind what each
// is running, so each connection is in the state one client would be; any other statement (DDL, triggers) waits
// until every INSERT before it is done and then runs alone. LOCK TABLES is
// skipped: a speed hint for one client, it would make the others wait. The file's sha256 is checked as it streams.
// An INSERT goes as a prepared statement's parameters where insert-rows.ts can read its values (a blob arrives as its
// bytes, where as SQL the server spends most of the load turning hex back into bytes), as SQL where it cannot.
//
// Only for the throwaway copy: a restore into production goes through the DB container's own client
// (load-dump.ts). The copy is still compared with the manifest afterwards, so a statement this loader read
// differently than the client would is caught there, never trusted.
import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { openDb, type Db } from '../db/connection.js';
import type { DbCredentials } from '../db/credentials.js';
import type { RowDataPacket } from 'mysql2/promise';
import { externalError, GlowwormError } from '../errors.js';
import { dumpStatements } from './dump-statements.js';
import { batches, insertRows } from './insert-rows.js';
import { backupChanged, readDump } from './load-dump.js';

const tooLong = (bytes: number, limit: number) => externalError('backup.statement-too-long',
  `The dump holds a statement of ${bytes} bytes, more than the database server's max_allowed_packet (${limit}): a restore of this backup would fail on it.`,
  'Raise max_allowed_packet in the database server\'s options (the compose file\'s command or its config file) to more than that, restart it, and take the backup again.');

export interface ParallelLoadResult {
  statements: number;
  inserts: number;
  connections: number;
}

/** Load a backup file, checking its sha256 as it streams. */
export async function parallelLoad(opts: {
  creds: DbCredentials;
  file: string;
  expectedSha256: string;
  /** Connections (default: the cores, at least 2, at most 4). */
  connections?: number;
}): Promise<ParallelLoadResult> {
  const hash = createHash('sha256');
  const result = await loadStatements({ creds: opts.creds, sql: readDump(opts.file, hash), connections: opts.connections });
  if (hash.digest('hex') !== opts.expectedSha256) throw backupChanged(opts.file, 'only the throwaway copy was loaded from it, the live database was not touched');
  return result;
}

/** Load a dump's SQL as it comes (a file being read, or a dump being taken: backup/dump.ts `copyTo`). */
export async function loadStatements(opts: { creds: DbCredentials; sql: AsyncIterable<Buffer>; connections?: number | undefined }): Promise<ParallelLoadResult> {
  const n = opts.connections ?? Math.max(2, Math.min(4, availableParallelism()));
  const dbs: Db[] = [];
  // One slot per connection: the INSERT it is running (or resolved when idle).
  const busy: (Promise<void> | null)[] = [];
  let failure: unknown = null;
  // An INSERT the dump wrote goes as parameters of a prepared statement (insert-rows.ts), any other as SQL.
  const send = async (db: Db, sql: string) => {
    const rows = insertRows(sql);
    if (!rows) return void (await db.query(sql));
    for (const batch of batches(rows)) await db.execute(batch.sql, batch.values);
  };
  const run = (i: number, sql: string) => {
    const p = send(dbs[i]!, sql).then(() => { busy[i] = null; }, (error: unknown) => { failure ??= error; busy[i] = null; });
    busy[i] = p;
    return p;
  };
  const barrier = async () => {
    await Promise.all(busy.filter(Boolean));
    if (failure) throw failure;
  };
  let statements = 0;
  let inserts = 0;
  let maxPacket = 0;
  try {
    for (let i = 0; i < n; i++) dbs.push(await openDb(opts.creds, { verbatim: true }));
    // The throwaway runs production's options, so this is the limit a restore by hand meets: a statement sent as SQL
    // beyond it would fail there, and sent as parameters (about half its size with hex) would pass here.
    const [limit] = await dbs[0]!.query<RowDataPacket[]>('SELECT @@max_allowed_packet AS m');
    maxPacket = Number(limit[0]?.['m'] ?? 0);
    for await (const s of dumpStatements(opts.sql)) {
      if (failure) throw failure;
      statements++;
      if (s.kind === 'lock') continue;
      if (maxPacket && s.sql.length + 1 > maxPacket) throw tooLong(s.sql.length, maxPacket);
      if (s.kind === 'session') {
        // After what is running: an INSERT sent in batches must not have a session setting change between them.
        await barrier();
        await Promise.all(dbs.map((db) => db.query(s.sql)));
        continue;
      }
      if (s.kind === 'insert') {
        inserts++;
        let free = busy.findIndex((b, i) => i < n && !b);
        if (free < 0 && busy.length < n) free = busy.length;
        if (free < 0) {
          await Promise.race(busy.filter(Boolean));
          free = busy.findIndex((b) => !b);
        }
        void run(free, s.sql);
        continue;
      }
      await barrier();
      await dbs[0]!.query(s.sql);
    }
    await barrier();
  } catch (error) {
    await Promise.allSettled(busy.filter(Boolean));
    if (error instanceof GlowwormError) throw error;
    // The server's words come back over the binary-charset connection as bytes, one character each: read them again.
    const said = Buffer.from((error as Error).message.split('\n')[0]!, 'latin1').toString('utf8');
    throw externalError('backup.load-failed', `Loading the dump into the verification copy failed: ${said}`,
      'Nothing was changed in the live database. Check free disk space and the throwaway server\'s logs, then try again.', error);
  } finally {
    await Promise.all(dbs.map((db) => db.end().catch(() => undefined)));
  }
  return { statements, inserts, connections: n };
}
