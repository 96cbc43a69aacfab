// An app-like writer for backup tests: inserts a device log and changes a user's email, one commit each, back to
// back until stopped, counting what it committed (every insert's message is `writer N`).
import { openDb } from '../../src/engine/db/connection.js';
import type { DbCredentials } from '../../src/engine/db/credentials.js';

export interface DbWriter {
  /** Commits so far (inserts + updates). */
  readonly commits: number;
  /** Device logs inserted so far. */
  readonly inserted: number;
  stop(): Promise<void>;
}

export function startWriter(creds: DbCredentials): DbWriter {
  let stop = false;
  let inserted = 0;
  let updated = 0;
  const done = (async () => {
    const db = await openDb(creds);
    try {
      for (let i = 0; !stop; i++) {
        await db.query("INSERT INTO device_logs (device_id, log_level, message) VALUES (1, 'info', ?)", [`writer ${i}`]);
        inserted++;
        await db.query('UPDATE users SET email = ? WHERE id = ?', [`w${i}@example.org`, 1 + (i % 20)]);
        updated++;
      }
    } finally {
      await db.end();
    }
  })();
  return {
    get commits() { return inserted + updated; },
    get inserted() { return inserted; },
    async stop() { stop = true; await done; },
  };
}
