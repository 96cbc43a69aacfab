// Read-only facts about a GlowWorm schema: tables, Alembic revision, row counts, checksums, columns, indexes.
import type { RowDataPacket } from 'mysql2/promise';
import type { Db } from './connection.js';

export function quoteIdent(name: string): string {
  return '`' + name.replace(/`/g, '``') + '`';
}

export async function listTables(db: Db): Promise<string[]> {
  const [rows] = await db.query<RowDataPacket[]>(
    "SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME",
  );
  return rows.map((r) => String(r['name']));
}

/** Revisions in alembic_version; [] when the table does not exist yet (a fresh database). */
export async function alembicRevisions(db: Db): Promise<string[]> {
  const tables = await listTables(db);
  if (!tables.includes('alembic_version')) return [];
  const [rows] = await db.query<RowDataPacket[]>('SELECT version_num FROM alembic_version ORDER BY version_num');
  return rows.map((r) => String(r['version_num']));
}

export async function rowCounts(db: Db, tables?: string[]): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of tables ?? (await listTables(db))) {
    const [rows] = await db.query<RowDataPacket[]>(`SELECT COUNT(*) AS n FROM ${quoteIdent(t)}`);
    out[t] = Number(rows[0]?.['n'] ?? 0);
  }
  return out;
}

/** CHECKSUM TABLE of every table: equal checksums on the same server version mean equal contents. */
export async function tableChecksums(db: Db, tables?: string[]): Promise<Record<string, string>> {
  const names = tables ?? (await listTables(db));
  const out: Record<string, string> = {};
  if (names.length === 0) return out;
  const [rows] = await db.query<RowDataPacket[]>(`CHECKSUM TABLE ${names.map(quoteIdent).join(', ')}`);
  for (const r of rows) {
    const full = String(r['Table']);
    out[full.slice(full.indexOf('.') + 1)] = String(r['Checksum']);
  }
  return out;
}

export interface ColumnInfo {
  table: string;
  column: string;
  type: string;
}

export async function listColumns(db: Db): Promise<ColumnInfo[]> {
  const [rows] = await db.query<RowDataPacket[]>(
    'SELECT TABLE_NAME AS t, COLUMN_NAME AS c, COLUMN_TYPE AS ty FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME, ORDINAL_POSITION',
  );
  return rows.map((r) => ({ table: String(r['t']), column: String(r['c']), type: String(r['ty']) }));
}

export async function listIndexes(db: Db): Promise<{ table: string; index: string }[]> {
  const [rows] = await db.query<RowDataPacket[]>(
    'SELECT DISTINCT TABLE_NAME AS t, INDEX_NAME AS i FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME, INDEX_NAME',
  );
  return rows.map((r) => ({ table: String(r['t']), index: String(r['i']) }));
}

/** The CREATE DATABASE statement, so a restore recreates it with the same character set and collation. */
export async function showCreateDatabase(db: Db, database: string): Promise<string> {
  const [rows] = await db.query<RowDataPacket[]>(`SHOW CREATE DATABASE ${quoteIdent(database)}`);
  return String(rows[0]?.['Create Database'] ?? `CREATE DATABASE ${quoteIdent(database)}`);
}
