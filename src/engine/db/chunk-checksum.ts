// Checksums of primary-key chunks, the method of Percona's pt-table-checksum: a chunk is a range of the primary key,
// and its checksum is `COUNT(*)` plus `BIT_XOR` of every row's `CRC32(CONCAT_WS('#', cols…, CONCAT(ISNULL(col)…)))`.
// The ISNULL suffix tells NULL from '' (CONCAT_WS skips NULLs); BIT_XOR makes the result independent of row order,
// so the same query on two servers holding the same rows gives the same answer. CRC32 changes with any single
// changed byte of a row (it catches every burst of up to 32 bits); the count catches a row gone or added.
//
// Boundaries are walked on one side (the live database) and the same ranges are summed on both. The first chunk has
// no lower bound and the last no upper bound, so a row the other side has outside the walked keys is still counted.
import type { RowDataPacket } from 'mysql2/promise';
import mysql from 'mysql2/promise';
import type { Db } from './connection.js';
import { quoteIdent } from './schema.js';
import type { TableShape } from './table-shapes.js';

/** A primary-key range: lower inclusive, upper exclusive; null = unbounded on that side. */
export interface ChunkRange {
  lower: unknown[] | null;
  upper: unknown[] | null;
}

export interface ChunkSum {
  rows: number;
  /** BIT_XOR of the row CRC32s in hex ('0' for an empty chunk). */
  crc: string;
}

/** `CONCAT_WS('#', a, b, CONCAT(ISNULL(a), ISNULL(b)))` checksummed and xor-folded: one row per query. */
export function checksumExpression(columns: string[]): string {
  const cols = columns.map(quoteIdent);
  const nulls = `CONCAT(${cols.map((c) => `ISNULL(${c})`).join(', ')})`;
  return `COALESCE(LOWER(CONV(BIT_XOR(CAST(CRC32(CONCAT_WS('#', ${[...cols, nulls].join(', ')})) AS UNSIGNED)), 10, 16)), '0')`;
}

/** `(a, b) >= (1, 'x')` for a composite key, `a >= 1` for a single column; values escaped by mysql2. */
function keyCompare(key: string[], op: '>=' | '<', values: unknown[]): string {
  const cols = key.map(quoteIdent);
  const lhs = cols.length === 1 ? cols[0]! : `(${cols.join(', ')})`;
  const lit = (v: unknown) => mysql.escape(v as Parameters<typeof mysql.escape>[0]);
  const rhs = values.length === 1 ? lit(values[0]) : `(${values.map(lit).join(', ')})`;
  return `${lhs} ${op} ${rhs}`;
}

/** The WHERE condition of a chunk (`1=1` for a whole table): also what a re-dump of the chunk passes as `--where`. */
export function chunkWhere(key: string[], range: ChunkRange): string {
  const parts: string[] = [];
  if (range.lower) parts.push(keyCompare(key, '>=', range.lower));
  if (range.upper) parts.push(keyCompare(key, '<', range.upper));
  return parts.length ? parts.join(' AND ') : '1=1';
}

/**
 * Cut a table into chunks of about `chunkRows` rows by walking its primary key: each boundary is the key of the row
 * `chunkRows` past the previous one. A table without a primary key is one chunk (compared whole).
 */
export async function chunkRanges(db: Db, shape: Pick<TableShape, 'name' | 'primaryKey'>, chunkRows: number): Promise<ChunkRange[]> {
  const key = shape.primaryKey;
  if (key.length === 0) return [{ lower: null, upper: null }];
  const cols = key.map(quoteIdent).join(', ');
  const bounds: unknown[][] = [];
  for (;;) {
    const last = bounds.at(-1);
    const where = last ? `WHERE ${keyCompare(key, '>=', last)}` : '';
    const [rows] = await db.query<RowDataPacket[]>({
      sql: `SELECT ${cols} FROM ${quoteIdent(shape.name)} ${where} ORDER BY ${cols} LIMIT 1 OFFSET ${Math.max(1, Math.floor(chunkRows))}`,
      rowsAsArray: true,
    });
    const next = rows[0] as unknown as unknown[] | undefined;
    if (!next) break;
    bounds.push(next);
  }
  const lowers: (unknown[] | null)[] = [null, ...bounds];
  return lowers.map((lower, i) => ({ lower, upper: bounds[i] ?? null }));
}

export async function chunkChecksum(db: Db, shape: Pick<TableShape, 'name' | 'primaryKey' | 'columns'>, range: ChunkRange): Promise<ChunkSum> {
  const [rows] = await db.query<RowDataPacket[]>(
    `SELECT COUNT(*) AS n, ${checksumExpression(shape.columns)} AS crc FROM ${quoteIdent(shape.name)} WHERE ${chunkWhere(shape.primaryKey, range)}`,
  );
  return { rows: Number(rows[0]?.['n'] ?? 0), crc: String(rows[0]?.['crc'] ?? '0') };
}

/** Rows to a chunk so that one holds about `targetBytes` (the server's average row length), within [100, 100 000]. */
export function chunkRowsFor(shape: Pick<TableShape, 'avgRowBytes'>, targetBytes = 8 << 20): number {
  if (shape.avgRowBytes <= 0) return 10_000;
  return Math.min(100_000, Math.max(100, Math.floor(targetBytes / shape.avgRowBytes)));
}

/** Whole-table sums (`crc32-xor` checksums of a manifest), on whatever snapshot `db`'s transaction reads. */
export async function wholeTableSums(db: Db, shapes: Pick<TableShape, 'name' | 'primaryKey' | 'columns'>[]): Promise<Record<string, ChunkSum>> {
  const out: Record<string, ChunkSum> = {};
  for (const shape of shapes) out[shape.name] = await chunkChecksum(db, shape, { lower: null, upper: null });
  return out;
}
