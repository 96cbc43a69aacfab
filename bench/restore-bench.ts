// Restore of one backup file, two ways, on the same engine in the same run:
//  - plain: a fresh server started from production's DB image with production's options, and
//    `gunzip -c dump | docker exec -i … mysql` — what a user does by hand;
//  - glowworm: the throwaway verification server (backup/verify.ts, tuned as a disposable copy) loading the same
//    file as its verification does (backup/parallel-load.ts), then, timed apart, the comparison with the manifest.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { tableMismatches } from '../src/engine/backup/manifest-compare.js';
import type { BackupManifest } from '../src/engine/backup/manifest.js';
import { parallelLoad } from '../src/engine/backup/parallel-load.js';
import { serverOf, startVerifier } from '../src/engine/backup/verify.js';
import { openDbWhenReady, withDb } from '../src/engine/db/connection.js';
import { DockerodeDocker } from '../src/engine/docker/dockerode-docker.js';
import type { ContainerDetails } from '../src/engine/docker/port.js';
import { Redactor } from '../src/engine/secrets.js';

const run = promisify(execFile);
const elapsed = (from: bigint) => Number(process.hrtime.bigint() - from) / 1e6;
/**
 * Before each timed restore: the kernel is still writing out the previous one's gigabytes (the other side's, or
 * the last round's) for many seconds after it returned, and would slow whichever restore comes next.
 */
const settleDisk = () => run('sync');

export interface RestoreRound {
  plainMs: number;
  loadMs: number;
  compareMs: number;
}

async function plainRestore(db: ContainerDetails, file: string, manifest: BackupManifest): Promise<number> {
  const password = randomBytes(12).toString('hex');
  const name = `bench-plain-restore-${randomBytes(3).toString('hex')}`;
  const cmd = (db.raw.Config['Cmd'] as string[] | null) ?? [];
  await run('docker', ['run', '-d', '--name', name, '-e', `MYSQL_ROOT_PASSWORD=${password}`, db.imageId, ...cmd]);
  try {
    const ip = (await run('docker', ['inspect', '--format', '{{.NetworkSettings.IPAddress}}', name])).stdout.trim();
    const creds = { user: 'root', password, database: manifest.database, host: ip, port: 3306 };
    await (await openDbWhenReady(creds, { database: null, timeoutMs: 120_000 })).end();
    await withDb(creds, (c) => c.query(manifest.createDatabase), { database: null });
    await settleDisk();
    const started = process.hrtime.bigint();
    await run('bash', ['-c', `gunzip -c '${file}' | docker exec -i -e MYSQL_PWD ${name} mysql -uroot --default-character-set=utf8mb4 ${manifest.database}`],
      { env: { ...process.env, MYSQL_PWD: password }, maxBuffer: 1 << 20 });
    return elapsed(started);
  } finally {
    await run('docker', ['rm', '-f', '-v', name]);
  }
}

async function glowwormRestore(db: ContainerDetails, file: string, manifest: BackupManifest): Promise<{ loadMs: number; compareMs: number }> {
  const docker = new DockerodeDocker();
  const verifier = await startVerifier({
    docker, ...serverOf(db),
    project: 'bench', runId: `bench-${randomBytes(3).toString('hex')}`, redactor: new Redactor(),
  });
  try {
    await verifier.ready();
    const creds = await verifier.credentials(manifest.database);
    await withDb(creds, (c) => c.query(manifest.createDatabase), { database: null });
    await settleDisk();
    const started = process.hrtime.bigint();
    await parallelLoad({ creds, file, expectedSha256: manifest.dump.sha256 });
    const loadMs = elapsed(started);
    const compared = process.hrtime.bigint();
    const mismatches = await withDb(creds, (c) => tableMismatches(c, manifest));
    if (mismatches.length) throw new Error(`the restored copy differs: ${mismatches.join('; ')}`);
    return { loadMs, compareMs: elapsed(compared) };
  } finally {
    await verifier.dispose();
  }
}

/** One plain restore and one glowworm restore of `file`, in that order. */
export async function restoreRound(db: ContainerDetails, file: string, manifest: BackupManifest): Promise<RestoreRound> {
  const plainMs = await plainRestore(db, file, manifest);
  return { plainMs, ...(await glowwormRestore(db, file, manifest)) };
}
