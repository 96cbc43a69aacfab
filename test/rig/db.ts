import mysql from 'mysql2/promise';
import { dockerChecked } from './process.js';
import { RigError } from './process.js';
import { containerName, stackEnv, type Stack } from './stack.js';

export type StackRef = Pick<Stack, 'dir' | 'prefix'>;

/** IP of the stack's database container on its network (the host reaches bridge IPs directly). */
export async function databaseAddress(stack: StackRef): Promise<string> {
  const name = containerName(stack, 'glowworm-mysql');
  const inspect = await dockerChecked([
    'inspect',
    '--format',
    '{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}',
    name,
  ]);
  const ip = inspect.stdout.trim().split(/\s+/).find(Boolean);
  if (!ip) throw new RigError(`${name} has no IP address (is it running?)`);
  return ip;
}

export async function withDatabase<T>(stack: StackRef, work: (db: mysql.Connection) => Promise<T>): Promise<T> {
  const env = stackEnv(stack);
  const connection = await mysql.createConnection({
    host: await databaseAddress(stack),
    port: 3306,
    user: 'root',
    password: env.MYSQL_ROOT_PASSWORD,
    database: env.MYSQL_DATABASE ?? 'glowworm',
    multipleStatements: true,
    connectTimeout: 5000,
  });
  try {
    return await work(connection);
  } finally {
    await connection.end();
  }
}

/** Runs SQL as root in the stack's application database and returns the rows (or the result header). */
export async function dbQuery<T = unknown>(stack: StackRef, sql: string, values: unknown[] = []): Promise<T> {
  return withDatabase(stack, async (db) => (await db.query(sql, values))[0] as T);
}

async function tableNames(db: mysql.Connection): Promise<string[]> {
  const [rows] = await db.query<mysql.RowDataPacket[]>(
    'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE() ORDER BY table_name',
  );
  return rows.map((row) => String(row.name));
}

/** CHECKSUM TABLE of every table in the application database: equal maps = equal data. */
export async function tableChecksums(stack: StackRef): Promise<Record<string, string>> {
  return withDatabase(stack, async (db) => {
    const tables = await tableNames(db);
    if (tables.length === 0) return {};
    const [rows] = await db.query<mysql.RowDataPacket[]>(`CHECKSUM TABLE ${tables.map((t) => db.escapeId(t)).join(', ')}`);
    const checksums: Record<string, string> = {};
    for (const row of rows) checksums[String(row.Table).split('.').pop() ?? ''] = String(row.Checksum);
    return checksums;
  });
}

export async function rowCounts(stack: StackRef): Promise<Record<string, number>> {
  return withDatabase(stack, async (db) => {
    const counts: Record<string, number> = {};
    for (const table of await tableNames(db)) {
      const [rows] = await db.query<mysql.RowDataPacket[]>(`SELECT COUNT(*) AS n FROM ${db.escapeId(table)}`);
      counts[table] = Number(rows[0]?.n ?? 0);
    }
    return counts;
  });
}

/** alembic_version's revision (several heads joined by ','), or undefined when the table is missing or empty. */
export async function alembicRevision(stack: StackRef): Promise<string | undefined> {
  return withDatabase(stack, async (db) => {
    const [tables] = await db.query<mysql.RowDataPacket[]>(
      "SELECT 1 FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = 'alembic_version'",
    );
    if (tables.length === 0) return undefined;
    const [rows] = await db.query<mysql.RowDataPacket[]>('SELECT version_num FROM alembic_version ORDER BY version_num');
    return rows.length ? rows.map((row) => String(row.version_num)).join(',') : undefined;
  });
}
