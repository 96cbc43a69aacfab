// Feed a gzip dump into a database through the DB container's own client (exec with stdin), checking the file's
// sha256 as it streams. Used to verify a backup (into a throwaway server) and to restore one (into production).
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Transform } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { DockerPort } from '../docker/port.js';
import { externalError } from '../errors.js';

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

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
  const tap = new Transform({
    transform(chunk: Buffer, _e, done) {
      hash.update(chunk);
      done(null, chunk);
    },
  });
  const source = createReadStream(opts.file).pipe(tap).pipe(createGunzip());
  const result = await opts.docker.execWithStdin(
    opts.container,
    [opts.client, `--user=${opts.user}`, '--default-character-set=utf8mb4', opts.database],
    source,
    { env: [`MYSQL_PWD=${opts.password}`] },
  );
  if (result.exitCode !== 0) {
    throw externalError('backup.load-failed', `Loading the dump into ${opts.database} failed (exit ${result.exitCode}): ${result.stderr.trim().split('\n').slice(-3).join(' ')}`);
  }
  const actual = hash.digest('hex');
  if (actual !== opts.expectedSha256) {
    throw externalError('backup.corrupt', `The backup file ${opts.file} does not match its recorded sha256 (the file changed or is damaged).`,
      'Use another backup: `glowworm doctor` lists them.');
  }
}
