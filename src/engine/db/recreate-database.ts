// A restore starts from an empty database made as the backup's was: dropped, then created by the backup's own
// SHOW CREATE DATABASE (its character set and collation), so nothing of what was there survives into the restore.
import { withDb } from './connection.js';
import type { DbCredentials } from './credentials.js';
import { quoteIdent } from './schema.js';

/** Drop `creds.database` and create it again, empty, by `createDatabase`. */
export async function recreateDatabase(creds: DbCredentials, createDatabase: string): Promise<void> {
  await withDb(creds, async (db) => {
    await db.query(`DROP DATABASE IF EXISTS ${quoteIdent(creds.database)}`);
    await db.query(createDatabase);
  }, { database: null });
}
