// Whether anything wrote to a database server between two moments, from what the server counts itself: the rows
// inserted, updated and deleted (by every client, in every database on it), the statements that drop, create,
// truncate or alter a table, and the definition of every table of the database as information_schema shows it. Two
// equal marks mean no row changed in between; a changed mark may also be another database's
// writes, so it only ever sends the caller the slow, sure way.
//
// The catch-up reads this to know whether the chunk sums its first comparison read at the stop still describe the
// live database, so that its final comparison need only read again what it copied (backup/delta-copy.ts).
import type { RowDataPacket } from 'mysql2/promise';
import type { Db } from './connection.js';

/**
 * Rows written, by server: mysql:8.0 counts InnoDB's rows (user tables only; its own system tables have
 * Innodb_system_rows_*). MariaDB dropped those in 10.6; its Handler_* counters count rows written through any
 * engine, its internal temporary tables apart (Handler_tmp_*), so a query of ours does not move them.
 */
const ROW_COUNTERS = [
  ['Innodb_rows_inserted', 'Innodb_rows_updated', 'Innodb_rows_deleted'],
  ['Handler_write', 'Handler_update', 'Handler_delete', 'Handler_tmp_write'],
];

/**
 * Statements that empty a table or change its definition while moving no row counter (TRUNCATE recreates the
 * table), counted by both servers for every client. Beside the definitions read below, because mysql:8.0 may
 * answer information_schema's CREATE_TIME from a cache (information_schema_stats_expiry), and COLUMN_TYPE does not
 * show a conversion to another character set.
 */
const DEFINITION_COUNTERS = [
  'Com_alter_db', 'Com_alter_table', 'Com_create_db', 'Com_create_index', 'Com_create_table', 'Com_drop_db',
  'Com_drop_index', 'Com_drop_table', 'Com_rename_table', 'Com_truncate',
];

/** The server's row and definition counters and the database's table definitions, as one comparable string. */
export async function writeMark(db: Db): Promise<string> {
  const [counters] = await db.query<RowDataPacket[]>(
    `SHOW GLOBAL STATUS WHERE Variable_name IN (${[...ROW_COUNTERS.flat(), ...DEFINITION_COUNTERS].map((c) => `'${c}'`).join(', ')})`,
  );
  const [tables] = await db.query<RowDataPacket[]>({
    sql: 'SELECT TABLE_NAME, CREATE_TIME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME',
    rowsAsArray: true,
  });
  const [columns] = await db.query<RowDataPacket[]>({
    sql: 'SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME, ORDINAL_POSITION',
    rowsAsArray: true,
  });
  // A transaction that has changed rows but not committed yet moved the counters before the first mark and will
  // move nothing when it commits: while one is open, no mark two calls can share.
  const [open] = await db.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM information_schema.INNODB_TRX WHERE trx_rows_modified > 0');
  if (Number(open[0]?.['n'] ?? 0) > 0) return `open writes ${Date.now()}-${Math.random()}`;
  const found = new Map(counters.map((r) => [String(r['Variable_name']).toLowerCase(), String(r['Value'])]));
  // The first set the server has whole (Handler_tmp_write only says the Handler_* ones leave temporary tables out);
  // a server with neither gives no mark two calls can share, and the caller takes the sure way.
  const set = ROW_COUNTERS.find((names) => names.every((c) => found.has(c.toLowerCase())));
  if (!set) return `no counters ${Date.now()}-${Math.random()}`;
  return JSON.stringify({
    rows: set.filter((c) => c !== 'Handler_tmp_write').map((c) => found.get(c.toLowerCase())),
    definitions: DEFINITION_COUNTERS.map((c) => found.get(c.toLowerCase()) ?? null),
    tables,
    columns,
  });
}
