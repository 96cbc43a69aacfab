// Open a deployment for a command: load the compose project, observe it once, and know its app services (the
// database's writers), and hand the shared steps (runbook/steps/) its app and its database. Shared by status,
// backup, restore, migrate, reset and recover.
import { loadProject } from '../compose/index.js';
import { DockerodeDocker } from '../docker/dockerode-docker.js';
import type { ContainerDetails, DockerPort } from '../docker/port.js';
import type { DbCredentials } from '../db/credentials.js';
import { externalError } from '../errors.js';
import type { Emit } from '../event-channel.js';
import { observe, type ObservedState } from '../plan/observed-state.js';
import type { Redactor } from '../secrets.js';
import type { ProjectOptions } from '../api.js';
import type { Journal } from '../runbook/journal.js';
import type { AppScope } from '../runbook/steps/app.js';
import type { BackupScope } from '../runbook/steps/database-back.js';
import { runningImages } from '../plan/observed-state.js';
import type { CommandRun } from './run-command.js';

export interface Deployment {
  docker: DockerPort;
  observed: ObservedState;
}

export async function openDeployment(opts: ProjectOptions, redactor: Redactor, docker: DockerPort = new DockerodeDocker()): Promise<Deployment> {
  const project = await loadProject(opts);
  for (const s of Object.values(project.services)) redactor.addFromEnv(s.environment);
  return { docker, observed: await observe(docker, project, redactor) };
}

/** The database's container and credentials, or a clear error when it cannot be reached. */
export function requireDb(d: Deployment): { db: ContainerDetails; creds: DbCredentials } {
  const { observed } = d;
  const db = observed.roles.db ? observed.services[observed.roles.db]?.container : null;
  if (!observed.db || !db) {
    throw externalError('db.unreachable', `Cannot reach GlowWorm's database: ${observed.warnings.join(' ') || 'no database service found'}`,
      'Start it with `docker compose up -d glowworm-mysql` (or your DB service) and try again.');
  }
  return { db, creds: observed.db.creds };
}

/** App services that write to the database (backend, workers) and the frontend, with their containers. */
export function appServices(d: Deployment): { service: string; container: ContainerDetails }[] {
  return Object.values(d.observed.services)
    .filter((s) => ['backend', 'worker', 'frontend'].includes(s.role) && s.container)
    .map((s) => ({ service: s.name, container: s.container! }));
}

/** The running app services: the writers a consistent backup, a restore or a migration needs stopped. */
export function runningApp(d: Deployment): string[] {
  return appServices(d).filter((a) => a.container.running || a.container.restarting).map((a) => a.service);
}

/** The app of this deployment for the shared stop/start steps (runbook/steps/app.ts). */
export function appScope(d: Deployment, emit: Emit, timeoutMs = 300_000): AppScope {
  return {
    docker: d.docker, project: d.observed.project, backend: d.observed.roles.backend ?? null,
    containerOf: (service) => d.observed.services[service]!.containerName, emit, timeoutMs,
  };
}

/** The database of this deployment for the shared backup and put-back steps (runbook/steps/database-back.ts). */
export function backupScope(d: Deployment, cmd: CommandRun, journal: Journal): BackupScope {
  const { db, creds } = requireDb(d);
  return {
    docker: d.docker, db, creds, emit: cmd.channel.emit, journal, project: d.observed.project.name,
    projectDir: d.observed.project.workingDir, images: runningImages(d.observed), runId: cmd.runId, redactor: cmd.redactor,
  };
}
