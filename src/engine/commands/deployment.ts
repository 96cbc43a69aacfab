// Open a deployment for a command: load the compose project, observe it once, and know its app services (the
// database's writers). Shared by status, backup, restore, migrate and reset.
import { loadProject, stopWaves, dependencyOrder } from '../compose/index.js';
import { DockerodeDocker } from '../docker/dockerode-docker.js';
import type { ContainerDetails, DockerPort } from '../docker/port.js';
import type { DbCredentials } from '../db/credentials.js';
import { externalError } from '../errors.js';
import type { Emit } from '../event-channel.js';
import { observe, type ObservedState } from '../plan/observed-state.js';
import type { Redactor } from '../secrets.js';
import { waitHealthy } from '../verify/wait-healthy.js';
import type { ProjectOptions } from '../api.js';
import { takeVerifiedBackup } from '../backup/verified-backup.js';
import type { TakenBackup } from '../backup/take-backup.js';
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

/** Stop the running app services, dependents first; returns the names to start again. */
export async function stopWriters(d: Deployment, emit: Emit): Promise<string[]> {
  const running = appServices(d).filter((a) => a.container.running || a.container.restarting);
  const waves = stopWaves(d.observed.project, running.map((r) => r.service));
  for (const wave of waves) {
    await Promise.all(wave.map(async (service) => {
      const c = running.find((r) => r.service === service)!.container;
      await d.docker.stopContainer(c.id, 10);
      emit({ type: 'container.state', service, container: c.name, state: 'exited', health: null, restartCount: c.restartCount });
    }));
  }
  return waves.flat();
}

/** Start services again in dependency order, waiting for the backend to be healthy before its dependents. */
export async function startServices(d: Deployment, services: string[], emit: Emit, timeoutMs = 300_000): Promise<void> {
  for (const service of dependencyOrder(d.observed.project, services)) {
    const name = d.observed.services[service]!.containerName;
    await d.docker.startContainer(name);
    if (service === d.observed.roles.backend) {
      await waitHealthy(d.docker, name, { timeoutMs, onState: (c) => emit({ type: 'container.state', service, container: name, state: c.status, health: c.health, restartCount: c.restartCount }) });
    }
  }
}

/** A verified backup of this deployment's database, recording the images it ran (the writers must be stopped). */
export function backupDeployment(d: Deployment, cmd: CommandRun): Promise<TakenBackup> {
  const { db, creds } = requireDb(d);
  return takeVerifiedBackup({
    docker: d.docker, db, creds, project: d.observed.project.name, projectDir: d.observed.project.workingDir,
    images: runningImages(d.observed), runId: cmd.runId, redactor: cmd.redactor,
  }, cmd.channel.emit);
}
