// Removing what a failed revision left (MySQL keeps a failed migration's DDL): exactly the objects
// verify/half-applied.ts's leftoversToRemove names — created by it, absent from the schema the image's own migrations
// define at the database's revision, never an object that was there before it or one it cannot vouch for.
import type { Db } from '../db/connection.js';
import type { SchemaObject } from '../verify/half-applied.js';

export type Leftover = { kind: 'table'; table: string } | { kind: 'column'; table: string; column: string } | { kind: 'index'; table: string; index: string };

/** The diagnosis's object (verify/half-applied.ts) as one to drop. */
export function toLeftover(o: SchemaObject): Leftover {
  if (o.kind === 'table') return { kind: 'table', table: o.table };
  return o.kind === 'column' ? { kind: 'column', table: o.table, column: o.name } : { kind: 'index', table: o.table, index: o.name };
}

export function leftoverText(l: Leftover): string {
  return l.kind === 'table' ? `table ${l.table}` : l.kind === 'column' ? `column ${l.table}.${l.column}` : `index ${l.index} on ${l.table}`;
}

/**
 * Columns and indexes first, tables last. Each drop looks first, so it can run again. Data decides too: a table with
 * rows, or a column with a value in any row, holds something a person or the app put there (the app creates tables
 * at start-up, a data step may have filled one) — it is kept and named, never dropped.
 */
export async function dropLeftovers(db: Db, leftovers: Leftover[]): Promise<{ dropped: string[]; kept: string[] }> {
  const dropped: string[] = [];
  const kept: string[] = [];
  const id = (s: string) => `\`${s.replace(/`/g, '``')}\``;
  const rows = async (sql: string, args: string[] = []) => (await db.query(sql, args))[0] as Record<string, unknown>[];
  const exists = async (sql: string, args: string[]) => (await rows(sql, args)).length > 0;
  const count = async (sql: string) => Number(Object.values((await rows(sql))[0] ?? { n: 0 })[0] ?? 0);
  const order = [...leftovers].sort((a, b) => (a.kind === 'table' ? 1 : 0) - (b.kind === 'table' ? 1 : 0));
  for (const l of order) {
    if (l.kind === 'table' && (await exists('SHOW TABLES LIKE ?', [l.table]))) {
      if ((await count(`SELECT COUNT(*) AS n FROM ${id(l.table)}`)) > 0) kept.push(`table ${l.table} (it has rows)`);
      else (await db.query(`DROP TABLE ${id(l.table)}`), dropped.push(`table ${l.table}`));
    } else if (l.kind === 'column' && (await exists(`SHOW COLUMNS FROM ${id(l.table)} LIKE ?`, [l.column]))) {
      if ((await count(`SELECT COUNT(*) AS n FROM ${id(l.table)} WHERE ${id(l.column)} IS NOT NULL`)) > 0) kept.push(`column ${l.table}.${l.column} (it holds values)`);
      else (await db.query(`ALTER TABLE ${id(l.table)} DROP COLUMN ${id(l.column)}`), dropped.push(`column ${l.table}.${l.column}`));
    } else if (l.kind === 'index' && (await exists(`SHOW INDEX FROM ${id(l.table)} WHERE Key_name = ?`, [l.index]))) {
      await db.query(`DROP INDEX ${id(l.index)} ON ${id(l.table)}`);
      dropped.push(`index ${l.index} on ${l.table}`);
    }
  }
  return { dropped, kept };
}
