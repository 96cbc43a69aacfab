// An online dump's facts (row counts, checksums, Alembic revision) must describe the very data the dump holds, while
// the app keeps writing. `--single-transaction` gives mysqldump an InnoDB read view; we open a second one on our own
// connection at the same instant, and read the facts there. "The same instant" is made the way mydumper and
// mysqldump --master-data do it: a global read lock (FLUSH TABLES WITH READ LOCK) is held while both transactions
// start, so no commit can fall between them. Writers wait only for that moment (the lock is released as soon as
// the dump shows it has begun its first table), readers never wait; a lock that cannot be had within
// `lockWaitSeconds` (a long query holding tables open) fails the backup instead of queueing the app behind it.
import type { Db } from '../db/connection.js';
import { openDb } from '../db/connection.js';
import type { DbCredentials } from '../db/credentials.js';
import { externalError } from '../errors.js';

export interface SharedSnapshot {
  /** Our connection, inside a REPEATABLE READ transaction whose read view is the dump's. */
  db: Db;
  /** Call once the dump has started its own transaction: the writers go on. Returns how long they waited (ms). */
  release(): Promise<number>;
  /** End our transaction and close both connections (safe to call twice, and after a failure). */
  close(): Promise<void>;
}

export async function openSharedSnapshot(creds: DbCredentials, opts: { lockWaitSeconds?: number } = {}): Promise<SharedSnapshot> {
  const lock = await openDb(creds);
  let snap: Db | null = null;
  let locked = false;
  let lockedAt = 0;
  const close = async () => {
    if (locked) await lock.query('UNLOCK TABLES').catch(() => undefined);
    locked = false;
    await lock.end().catch(() => undefined);
    if (snap) {
      await snap.query('COMMIT').catch(() => undefined);
      await snap.end().catch(() => undefined);
    }
  };
  try {
    await lock.query(`SET SESSION lock_wait_timeout = ${Math.max(1, Math.floor(opts.lockWaitSeconds ?? 10))}`);
    await lock.query('FLUSH TABLES WITH READ LOCK');
    locked = true;
    lockedAt = Date.now();
    snap = await openDb(creds);
    await snap.query('SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ');
    await snap.query('START TRANSACTION WITH CONSISTENT SNAPSHOT');
  } catch (error) {
    await close();
    throw externalError('backup.snapshot-failed', `Could not take a consistent snapshot of ${creds.database} while it serves: ${(error as Error).message}`,
      'A long-running query may hold its tables open; try again when it is done, or take the backup with the app stopped.', error);
  }
  const db = snap;
  return {
    db,
    async release() {
      if (!locked) return 0;
      await lock.query('UNLOCK TABLES');
      locked = false;
      return Date.now() - lockedAt;
    },
    close,
  };
}
