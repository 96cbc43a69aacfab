// Removing what a failed revision left (MySQL keeps a failed migration's DDL): exactly the objects the diagnosis
// names as created by it and absent from the schema the image's own migrations define at the database's revision —
// never an object that was there before (verify/half-applied.ts decides which is which).
import type { Db } from '../db/connection.js';

export type Leftover = { kind: 'table'; table: string } | { kind: 'column'; table: string; column: string } | { kind: 'index'; table: string; index: string };

/** `table t`, `column t.c`, `index i on t` (the diagnosis's words) as objects to drop; anything else is not ours. */
export function parseLeftover(text: string): Leftover | null {
  let m = /^table (\S+)$/.exec(text);
  if (m) return { kind: 'table', table: m[1]! };
  m = /^column ([^.\s]+)\.(\S+)$/.exec(text);
  if (m) return { kind: 'column', table: m[1]!, column: m[2]! };
  m = /^index (\S+) on (\S+)$/.exec(text);
  return m ? { kind: 'index', table: m[2]!, index: m[1]! } : null;
}

export function leftoverText(l: Leftover): string {
  return l.kind === 'table' ? `table ${l.table}` : l.kind === 'column' ? `column ${l.table}.${l.column}` : `index ${l.index} on ${l.table}`;
}

/** Columns and indexes first (their table may stay), tables last. Each drop looks first, so it can run again. */
export async function dropLeftovers(db: Db, leftovers: Leftover[]): Promise<string[]> {
  const done: string[] = [];
  const id = (s: string) => `\`${s.replace(/`/g, '``')}\``;
  const exists = async (sql: string, args: string[]) => ((await db.query(sql, args))[0] as unknown[]).length > 0;
  const order = [...leftovers].sort((a, b) => (a.kind === 'table' ? 1 : 0) - (b.kind === 'table' ? 1 : 0));
  for (const l of order) {
    if (l.kind === 'table' && (await exists('SHOW TABLES LIKE ?', [l.table]))) {
      await db.query(`DROP TABLE ${id(l.table)}`);
      done.push(`table ${l.table}`);
    } else if (l.kind === 'column' && (await exists(`SHOW COLUMNS FROM ${id(l.table)} LIKE ?`, [l.column]))) {
      await db.query(`ALTER TABLE ${id(l.table)} DROP COLUMN ${id(l.column)}`);
      done.push(`column ${l.table}.${l.column}`);
    } else if (l.kind === 'index' && (await exists(`SHOW INDEX FROM ${id(l.table)} WHERE Key_name = ?`, [l.index]))) {
      await db.query(`DROP INDEX ${id(l.index)} ON ${id(l.table)}`);
      done.push(`index ${l.index} on ${l.table}`);
    }
  }
  return done;
}
