import { describe, expect, it } from 'vitest';
import type { Db } from './connection.js';
import { writeMark } from './write-mark.js';

/** A server as writeMark reads it: its global status, one table's definition, and its open transactions' changes. */
function server(status: Record<string, number>, opts: { openWrites?: number; columnType?: string } = {}): Db {
  const query = async (q: string | { sql: string }) => {
    const sql = typeof q === 'string' ? q : q.sql;
    if (sql.startsWith('SHOW GLOBAL STATUS')) {
      const asked = [...sql.matchAll(/'(\w+)'/g)].map((m) => m[1]!.toLowerCase());
      return [Object.entries(status).filter(([k]) => asked.includes(k.toLowerCase())).map(([Variable_name, v]) => ({ Variable_name, Value: String(v) }))];
    }
    if (sql.includes('information_schema.TABLES')) return [[['images', '2026-12-01 10:00:00']]];
    if (sql.includes('information_schema.COLUMNS')) return [[['images', 'id', opts.columnType ?? 'int(11)']]];
    if (sql.includes('INNODB_TRX')) return [[{ n: opts.openWrites ?? 0 }]];
    throw new Error(`unexpected query: ${sql}`);
  };
  return { query } as unknown as Db;
}

const DDL = { Com_alter_db: 0, Com_alter_table: 3, Com_create_db: 1, Com_create_index: 0, Com_create_table: 12, Com_drop_db: 0, Com_drop_index: 0, Com_drop_table: 1, Com_rename_table: 0, Com_truncate: 0 };
// mysql:8.0 has Handler_* too, but counts its own internal temporary tables in them (our information_schema
// queries write some): it has no Handler_tmp_write, so only InnoDB's row counters may stand for it.
const mysql8 = { Innodb_rows_inserted: 100, Innodb_rows_updated: 5, Innodb_rows_deleted: 1, Handler_write: 900, Handler_update: 7, Handler_delete: 1, ...DDL };
const mariadb = { Handler_write: 900, Handler_update: 7, Handler_delete: 1, Handler_tmp_write: 40, ...DDL };

describe('writeMark', () => {
  it('on mysql:8.0, moves with the InnoDB row counters and not with Handler_* (its temporary tables move those)', async () => {
    const mark = await writeMark(server(mysql8));
    expect(await writeMark(server({ ...mysql8, Handler_write: 950 }))).toBe(mark);
    expect(await writeMark(server({ ...mysql8, Innodb_rows_updated: 6 }))).not.toBe(mark);
  });

  it('on MariaDB, moves with Handler_write/update/delete and not with its temporary tables (Handler_tmp_write)', async () => {
    const mark = await writeMark(server(mariadb));
    expect(await writeMark(server({ ...mariadb, Handler_tmp_write: 99 }))).toBe(mark);
    for (const c of ['Handler_write', 'Handler_update', 'Handler_delete'] as const) {
      expect(await writeMark(server({ ...mariadb, [c]: mariadb[c] + 1 }))).not.toBe(mark);
    }
  });

  it.each(Object.keys(DDL))('moves when a statement that moves no row counter ran (%s), on both servers', async (counter) => {
    for (const status of [mysql8, mariadb] as Record<string, number>[]) {
      expect(await writeMark(server({ ...status, [counter]: status[counter]! + 1 }))).not.toBe(await writeMark(server(status)));
    }
  });

  it('moves when a column is redefined', async () => {
    expect(await writeMark(server(mariadb, { columnType: 'bigint(20)' }))).not.toBe(await writeMark(server(mariadb)));
  });

  it('never matches while a transaction with changed rows is open, nor on a server with neither set of row counters', async () => {
    expect(await writeMark(server(mariadb, { openWrites: 1 }))).not.toBe(await writeMark(server(mariadb, { openWrites: 1 })));
    const bare = { Handler_write: 900, Handler_update: 7, Handler_delete: 1, ...DDL };
    expect(await writeMark(server(bare))).not.toBe(await writeMark(server(bare)));
  });
});
