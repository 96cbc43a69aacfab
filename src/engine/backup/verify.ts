// A backup is only a backup once it has been restored somewhere: `gunzip -t` (the app's own check) proves the file
// is gzip, not that it holds the data. We restore into a throwaway server started from the SAME image as production
// (so CHECKSUM TABLE is comparable), compare every table's checksum and row count, and remove it.
//
// It runs production's server options and then those of a disposable copy (backup/disposable-server.ts): the
// durability a restore pays for twice over protects nothing here.
//
// The throwaway server is started before the downtime begins (it takes seconds to initialise): `startVerifier()` and
// `verify()` are separate for that reason. Once it is up, a backup can load it as it dumps (`load`, from
// take-backup's `into`: the dump's SQL reaches the copy as it reaches the file, with no second pass over the file),
// and the verification is then only `compare`; otherwise `verify` loads the file afterwards.
import { randomBytes } from 'node:crypto';
import type { ContainerDetails, DockerPort } from '../docker/port.js';
import { ownerLabel } from '../docker/throwaway-owner.js';
import { externalError } from '../errors.js';
import { reachContainer } from '../in-container/reach-container.js';
import type { Redactor } from '../secrets.js';
import { openDbWhenReady } from '../db/connection.js';
import type { DbCredentials } from '../db/credentials.js';
import { recreateDatabase } from '../db/recreate-database.js';
import { defaultMemoryCap, disposableCommand } from './disposable-server.js';
import { loadStatements, parallelLoad } from './parallel-load.js';
import { tableMismatches } from './manifest-compare.js';
import type { BackupManifest } from './manifest.js';

export const ROLE_LABEL = 'io.glowworm.role';
export const PROJECT_LABEL = 'io.glowworm.project';

export interface Verifier {
  container: string;
  /** Root on the throwaway server (random, redacted): the rehearsal migrates this copy. */
  rootPassword: string;
  verify(manifest: BackupManifest, file: string): Promise<VerifyResult>;
  /** Load a dump as it is being taken (backup/dump.ts `copyTo`) into a fresh `database`; `compare` judges it later. */
  load(database: { database: string; createDatabase: string }, sql: AsyncIterable<Buffer>): Promise<void>;
  /** Compare the copy in the throwaway server with the manifest (after `load`, or again after `verify`). */
  compare(manifest: BackupManifest): Promise<VerifyResult>;
  /** Root on the throwaway server at its bridge address, for `database` (the copy a comparison or delta reads). */
  credentials(database: string): Promise<DbCredentials>;
  /** Resolves once the server accepts connections (initialising a datadir takes seconds). */
  ready(timeoutMs?: number): Promise<void>;
  dispose(): Promise<void>;
}

export interface VerifyResult {
  ok: boolean;
  tables: number;
  mismatches: string[];
}

/** The throwaway's image and server flags: production's own (CHECKSUM TABLE compares alike), tuned as a copy later. */
export function serverOf(db: ContainerDetails): { dbImageId: string; cmd: string[] | null } {
  return { dbImageId: db.imageId, cmd: (db.raw.Config['Cmd'] as string[] | null) ?? null };
}

export async function startVerifier(opts: {
  docker: DockerPort;
  dbImageId: string;
  /** The production DB container's command (server flags), so the throwaway runs the same way (then tuned). */
  cmd: string[] | null;
  /** The throwaway's memory limit (default: backup/disposable-server.ts); half of it is its buffer pool. */
  memoryCapBytes?: number;
  project: string;
  runId: string;
  redactor: Redactor;
}): Promise<Verifier> {
  const { docker } = opts;
  const password = randomBytes(18).toString('base64url');
  opts.redactor.add(password);
  const name = `glowworm-verify-${opts.runId}`;
  // A run killed after starting its server left it behind; `--resume` starts a fresh one under the same name.
  const leftover = await docker.inspectContainer(name);
  if (leftover?.labels[ROLE_LABEL] === 'backup-verify') await docker.removeContainer(leftover.id, { force: true, volumes: true });
  const memory = opts.memoryCapBytes ?? defaultMemoryCap();
  const { cmd } = disposableCommand(opts.cmd, memory);
  const id = await docker.createContainer({
    name,
    body: {
      Image: opts.dbImageId,
      ...(cmd.length ? { Cmd: cmd } : {}),
      Env: [`MYSQL_ROOT_PASSWORD=${password}`, `MARIADB_ROOT_PASSWORD=${password}`],
      Labels: { [ROLE_LABEL]: 'backup-verify', [PROJECT_LABEL]: opts.project, 'io.glowworm.run': opts.runId, ...ownerLabel() },
      HostConfig: { NetworkMode: 'bridge', RestartPolicy: { Name: 'no' }, Memory: memory },
    },
  });
  // Once: a step may start the removal without waiting for it, and the run's end then waits for that same removal.
  let removal: Promise<void> | null = null;
  const dispose = () => (removal ??= docker.removeContainer(id, { force: true, volumes: true }));
  try {
    await docker.startContainer(id);
  } catch (error) {
    await dispose();
    throw error;
  }

  const serverCreds = async (database: string) => {
    const info = await docker.inspectContainer(id);
    const host = info?.networks.find((n) => n.ipAddress)?.ipAddress;
    if (!info?.running || !host) {
      throw externalError('backup.verifier-down', 'The throwaway database used to verify the backup is not running.',
        `Its logs: docker logs ${name}`);
    }
    await reachContainer(docker, info);
    return { user: 'root', password, database, host, port: 3306 };
  };
  const ready = async (timeoutMs = 120_000) => {
    const admin = await openDbWhenReady(await serverCreds(''), { database: null, timeoutMs });
    await admin.end();
  };
  /** The database dropped and created again on the throwaway server (once it accepts connections), ready for a load. */
  const fresh = async (database: { database: string; createDatabase: string }) => {
    await ready();
    const creds = await serverCreds(database.database);
    await recreateDatabase(creds, database.createDatabase);
    return creds;
  };
  const compare = async (manifest: BackupManifest): Promise<VerifyResult> => {
    const db = await openDbWhenReady(await serverCreds(manifest.database), { timeoutMs: 30_000 });
    try {
      const mismatches = await tableMismatches(db, manifest);
      return { ok: mismatches.length === 0, tables: Object.keys(manifest.tables).length, mismatches };
    } finally {
      await db.end();
    }
  };
  return {
    container: name,
    rootPassword: password,
    credentials: serverCreds,
    dispose,
    ready,
    async verify(manifest, file) {
      const creds = await fresh(manifest);
      // Several connections at once (parallel-load.ts); the comparison below judges the copy either way.
      await parallelLoad({ creds, file, expectedSha256: manifest.dump.sha256 });
      return compare(manifest);
    },
    async load(database, sql) {
      await loadStatements({ creds: await fresh(database), sql });
    },
    compare,
  };
}
