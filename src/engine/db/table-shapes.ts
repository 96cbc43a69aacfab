// What the copy and the comparison need to know about each table, read once from information_schema: its storage
// engine (only InnoDB gives a consistent online dump), its columns in order, its primary key (the chunk boundaries
// walk it), and its size (chunk sizes, progress totals).
import type { RowDataPacket } from 'mysql2/promise';
import type { Db } from './connection.js';

export interface TableShape {
  name: string;
  /** `InnoDB`, `MyISAM`, `Aria`, …; null for a table whose engine the server does not report. */
  engine: string | null;
  columns: string[];
  /** The primary key's columns in key order; [] when the table has none. */
  primaryKey: string[];
  /** data_length + index_length: the server's own estimate, refreshed by ANALYZE TABLE. */
  bytes: number;
  /** Average row length as the server estimates it (0 for an empty table). */
  avgRowBytes: number;
}

export async function tableShapes(db: Db, only?: string[]): Promise<TableShape[]> {
  const [tables] = await db.query<RowDataPacket[]>(
    `SELECT TABLE_NAME AS t, ENGINE AS e, COALESCE(DATA_LENGTH, 0) + COALESCE(INDEX_LENGTH, 0) AS b, COALESCE(AVG_ROW_LENGTH, 0) AS a
     FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME`,
  );
  const [columns] = await db.query<RowDataPacket[]>(
    'SELECT TABLE_NAME AS t, COLUMN_NAME AS c FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME, ORDINAL_POSITION',
  );
  const [keys] = await db.query<RowDataPacket[]>(
    `SELECT TABLE_NAME AS t, COLUMN_NAME AS c FROM information_schema.STATISTICS
     WHERE TABLE_SCHEMA = DATABASE() AND INDEX_NAME = 'PRIMARY' ORDER BY TABLE_NAME, SEQ_IN_INDEX`,
  );
  const byTable = (rows: RowDataPacket[], table: string) => rows.filter((r) => r['t'] === table).map((r) => String(r['c']));
  return tables
    .map((r) => String(r['t']))
    .filter((name) => !only || only.includes(name))
    .map((name) => {
      const row = tables.find((r) => r['t'] === name)!;
      return {
        name,
        engine: row['e'] === null ? null : String(row['e']),
        columns: byTable(columns, name),
        primaryKey: byTable(keys, name),
        bytes: Number(row['b']),
        avgRowBytes: Number(row['a']),
      };
    });
}

/** Tables an online (`--single-transaction`) dump cannot copy consistently: every one not stored by InnoDB. */
export function notInnodb(shapes: TableShape[]): { table: string; engine: string }[] {
  return shapes.filter((s) => s.engine?.toLowerCase() !== 'innodb').map((s) => ({ table: s.name, engine: s.engine ?? 'unknown' }));
}
