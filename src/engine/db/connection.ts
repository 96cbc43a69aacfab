// mysql2 connections to a GlowWorm database. The host reaches a container's bridge IP directly on Linux; we connect
// there rather than publishing a port the user's compose file deliberately does not publish. On an engine reached over
// ssh that IP is on the remote host: the connection goes through the ssh tunnel (mysql2's `stream` option).
import mysql from 'mysql2/promise';
import { engineConnection } from '../docker/engine-connection.js';
import { externalError } from '../errors.js';
import type { DbCredentials } from './credentials.js';

export type Db = mysql.Connection;

export interface OpenDbOptions {
  database?: string | null;
  /**
   * Statements go to the server exactly as given, byte for byte: never scanned for `?` placeholders (a loader
   * sending a dump's megabyte INSERTs would spend a core on the scan: mysql2 formats every query, values or not),
   * and written in the binary character set, one byte per character. So a statement is a byte string (a file's
   * bytes read as latin1, backup/dump-statements.ts), and the server reads its bytes in the character set the
   * statements themselves set (a dump opens with SET NAMES): no text is decoded and encoded again on the way.
   */
  verbatim?: boolean;
}

export async function openDb(creds: DbCredentials, opts: OpenDbOptions = {}): Promise<Db> {
  const database = opts.database === null ? undefined : (opts.database ?? creds.database);
  try {
    const tunnel = engineConnection().tunnel;
    const db = await mysql.createConnection({
      ...(tunnel ? { stream: await tunnel(creds.host, creds.port) } : {}),
      host: creds.host,
      port: creds.port,
      user: creds.user,
      password: creds.password,
      database,
      connectTimeout: 5_000,
      multipleStatements: false,
      supportBigNumbers: true,
      bigNumberStrings: true,
      dateStrings: true,
      // Without session tracking: mysql2 follows the server's character_set_client (the dump's SET NAMES) and would
      // then encode every statement as UTF-8 again.
      // A loader prepares a few statement shapes per table; the cache closes the least used beyond these, so the
      // server's prepared statements (max_prepared_stmt_count is global) do not pile up over a dump of many tables.
      ...(opts.verbatim ? { queryFormat: (sql: string) => sql, charset: 'BINARY', flags: ['-SESSION_TRACK'], maxPreparedStatements: 32 } : {}),
    });
    // A connection lost while idle (the server stopped, a throwaway removed) is emitted as 'error', which with no
    // listener ends the whole process; the next query on it fails with the reason, where the caller can handle it.
    db.on('error', () => undefined);
    return db;
  } catch (error) {
    throw externalError(
      'db.connect-failed',
      `Cannot connect to the database at ${creds.host}:${creds.port} as ${creds.user}: ${(error as Error).message}`,
      'Is the database container running and healthy? `glowworm status` shows it.',
      error,
    );
  }
}

/** Connect, retrying until `timeoutMs` (a database that is still starting refuses connections for a while). */
export async function openDbWhenReady(
  creds: DbCredentials,
  opts: { database?: string | null; timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<Db> {
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  let last: unknown;
  while (Date.now() < deadline) {
    if (opts.signal?.aborted) break;
    try {
      return await openDb(creds, opts);
    } catch (error) {
      last = error;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  throw last ?? externalError('db.connect-timeout', `The database at ${creds.host} did not accept connections in time.`);
}

export async function withDb<T>(creds: DbCredentials, fn: (db: Db) => Promise<T>, opts: { database?: string | null } = {}): Promise<T> {
  const db = await openDb(creds, opts);
  try {
    return await fn(db);
  } finally {
    await db.end().catch(() => undefined);
  }
}
