// Feed a gzip dump into a database through the DB container's own client (exec with stdin), checking the file's
// sha256 as it streams. Used to verify a backup (into a throwaway server) and to restore one (into production).
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Transform, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { DockerPort } from '../docker/port.js';
import { externalError, type GlowwormError } from '../errors.js';
import { clientLoadCommand } from './db-tools.js';

// Megabyte reads and gunzip output: at zlib's default 16 KiB a gigabyte dump costs 65 000 thread-pool round trips,
// which was most of the loader's time (docs/benchmarks.md).
const CHUNK = 1 << 20;

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: CHUNK })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** A gzip dump file as its SQL, with every compressed byte given to `sha256` on the way (when given). */
export function readDump(path: string, sha256?: ReturnType<typeof createHash>): Readable {
  const file = createReadStream(path, { highWaterMark: CHUNK });
  const sql = createGunzip({ chunkSize: CHUNK });
  // `pipe` does not pass errors on: a file that cannot be read must fail its reader, not leave it waiting.
  file.on('error', (error) => sql.destroy(error));
  // Nor does it close the file when the reader stops early (a failed load, a `break`): without this, the file stays
  // open, paused, for as long as the process runs.
  sql.once('close', () => file.destroy());
  if (!sha256) return file.pipe(sql);
  const hashed = new Transform({ transform(chunk: Buffer, _e, done) { sha256.update(chunk); done(null, chunk); } });
  hashed.on('error', (error) => sql.destroy(error));
  return file.pipe(hashed).pipe(sql);
}

/**
 * A backup file whose bytes are not the ones its manifest recorded, found as it was read: `then` says what that
 * means for the database it was being read into (one message for every reader, so the user meets one wording).
 */
export function backupChanged(file: string, then: string): GlowwormError {
  return externalError('backup.corrupt', `The backup file ${file} does not match its recorded sha256 (the file changed or is damaged): ${then}.`,
    'Use another backup: `glowworm doctor` lists them.');
}

/** Load into a database through its container's client; the database holds whatever was read, even when it fails. */
export async function loadDump(opts: {
  docker: DockerPort;
  container: string;
  client: string;
  user: string;
  password: string;
  database: string;
  file: string;
  expectedSha256: string;
}): Promise<void> {
  const hash = createHash('sha256');
  const source = readDump(opts.file, hash);
  const result = await opts.docker.execWithStdin(
    opts.container,
    clientLoadCommand(opts.client, opts.user, opts.database),
    source,
    { env: [`MYSQL_PWD=${opts.password}`] },
  );
  if (result.exitCode !== 0) {
    throw externalError('backup.load-failed', `Loading the dump into ${opts.database} failed (exit ${result.exitCode}): ${result.stderr.trim().split('\n').slice(-3).join(' ')}`);
  }
  const actual = hash.digest('hex');
  // Known only at the end: by then the database holds what was read, and the message must not suggest otherwise.
  if (actual !== opts.expectedSha256) throw backupChanged(opts.file, `${opts.database} was loaded from it as it read, so it may not be as backed up; restore it again from a backup that checks`);
}
