import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { COMPOSE_FILE_NAME, type StackService } from './compose-blocks.js';
import { alembicRevision } from './db.js';
import { envFileText, generatedSecret, parseEnvFile, writeSecretFile } from './env-file.js';
import { isRigVersion } from './releases.js';
import { growDatabase, seedStack } from './seed.js';
import { planStack, type StackPlan } from './stack-plan.js';
import { formatContainers, projectContainers } from './stack-status.js';
import {
  RIG_STATE_FILE,
  composeProjectName,
  containerName,
  readRigState,
  type ReleaseName,
  type RigStackState,
  type Stack,
  type StackSummary,
} from './stack.js';
import { RigError, docker, run, waitFor } from './process.js';
import { say, timed } from './log.js';

export interface StackUpOptions {
  /** A rig-model version (1.0.0 …) or a real-shaped release (oct-2025, nov-2025-1064, nov-2025). */
  release?: ReleaseName | string;
  /** The same as release, the older name (kept for the rig-model callers). */
  version?: ReleaseName | string;
  dir: string;
  /** Registry namespace to publish a real-shaped release in (default: from the stack directory's name). */
  namespace?: string;
  /** Put before every container_name; '' (default) gives exactly the real names. */
  prefix?: string;
  /** Host port of the frontend; a free one is picked when absent. */
  port?: number;
  /** Rows in images and in device_logs (default a few thousand). */
  seedRows?: number;
  /** Grow the database to about this many megabytes (backup benchmarks). */
  seedMb?: number;
  /** How long the stack may take to become healthy and migrated. */
  timeoutMs?: number;
}

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '0.0.0.0', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Keeps an existing .env (the database was initialised with its passwords), adding what this release needs. */
async function ensureEnvFile(dir: string, plan: StackPlan, port: number | undefined): Promise<void> {
  const path = join(dir, '.env');
  if (!existsSync(path)) {
    const backendPort = plan.publishesBackend ? await freePort() : undefined;
    writeSecretFile(path, envFileText({ frontendPort: port ?? (await freePort()), backendPort }));
    return;
  }
  let text = readFileSync(path, 'utf8');
  const env = parseEnvFile(text);
  if (plan.publishesBackend && !env.BACKEND_PORT) text += `BACKEND_PORT=${await freePort()}\n`;
  if (port !== undefined && env.FRONTEND_PORT !== String(port)) {
    text = text.replace(/^FRONTEND_PORT=.*$/m, `FRONTEND_PORT=${port}`);
  }
  writeSecretFile(path, text);
}

/** Runs docker-compose 1.29 for the stack in dir (the rig may use compose; the product never does). */
export function compose(dir: string, args: string[], timeoutMs = 600_000) {
  const env = { ...process.env };
  delete env.COMPOSE_PROJECT_NAME;
  delete env.COMPOSE_FILE;
  return run('docker-compose', ['--project-directory', dir, '-f', join(dir, COMPOSE_FILE_NAME), ...args], {
    cwd: dir,
    env,
    echo: true,
    timeoutMs,
  });
}

async function backendLogTail(stack: Pick<Stack, 'prefix'>): Promise<string> {
  const logs = await docker(['logs', '--tail', '40', containerName(stack, 'glowworm-backend')]);
  return (logs.stdout + logs.stderr).trim();
}

/**
 * Waits until every container of the project runs and each one with a healthcheck is healthy, except those that
 * count as ready once running (unhealthy by design).
 */
async function waitHealthy(project: string, plan: StackPlan, timeoutMs: number): Promise<void> {
  let last = '';
  const readyWhenRunning = new Set<string>(plan.readyWhenRunning);
  try {
    await waitFor('every container to be running and healthy', timeoutMs, async () => {
      const containers = await projectContainers(project);
      last = formatContainers(containers);
      const ready =
        containers.length >= plan.services.length &&
        containers.every(
          (c) => c.status === 'running' && (c.health === 'healthy' || c.health === 'none' || readyWhenRunning.has(c.service)),
        );
      return ready ? true : undefined;
    });
  } catch (error) {
    throw new RigError(`${(error as Error).message}\n${last}`);
  }
}

/** Writes the compose project for a release into dir, brings it up, waits for health and the Alembic head, seeds it. */
export async function stackUp(options: StackUpOptions): Promise<Stack> {
  const release = options.release ?? options.version;
  if (!release) throw new RigError('stackUp needs a release (or version)');
  const dir = resolve(options.dir);
  const timeoutMs = options.timeoutMs ?? 300_000;
  const previous = readRigState(dir);
  if (previous && options.prefix !== undefined && previous.prefix !== options.prefix) {
    throw new RigError(`${dir} holds a stack with prefix '${previous.prefix}'; run down first to change it`);
  }
  // Up again on the same directory keeps the namespace it published in.
  const plan = planStack(release, dir, options.namespace ?? (previous && !isRigVersion(previous.release) ? previous.namespace : undefined));
  const state: RigStackState = {
    prefix: previous?.prefix ?? options.prefix ?? '',
    release: plan.release,
    namespace: plan.namespace,
    admin: previous?.admin ?? { username: 'admin', password: generatedSecret() },
  };
  mkdirSync(join(dir, 'data', 'uploads'), { recursive: true });
  await ensureEnvFile(dir, plan, options.port);
  writeFileSync(join(dir, COMPOSE_FILE_NAME), plan.composeText(state.prefix));
  writeSecretFile(join(dir, RIG_STATE_FILE), `${JSON.stringify(state, null, 2)}\n`);
  await timed('prepare', () => plan.prepare(dir));

  const project = composeProjectName(dir);
  const stack: Stack = {
    dir,
    project,
    prefix: state.prefix,
    release: plan.release,
    version: plan.release,
    shape: plan.shape,
    namespace: plan.namespace,
    images: plan.images,
    head: plan.head,
    admin: state.admin,
    frontendPort: 0,
    containers: Object.fromEntries(plan.services.map((service: StackService) => [service, containerName(state, service)])),
  };
  const up = await timed('docker-compose up', () => compose(dir, ['up', '-d', '--remove-orphans'], timeoutMs));
  if (up.code !== 0) {
    throw new RigError(`docker-compose up failed (exit ${up.code}).\nBackend log tail:\n${await backendLogTail(stack)}`);
  }
  await timed('healthy', () => waitHealthy(project, plan, timeoutMs));
  await timed(`database at ${stack.head}`, () =>
    waitFor(`alembic_version = ${stack.head}`, 60_000, async () => {
      // A refused connection while the database restarts is a reason to poll again, not to give up.
      const revision = await alembicRevision(stack).catch(() => undefined);
      return revision === stack.head ? true : undefined;
    }),
  );
  if (await timed('seed', () => seedStack(stack, state.admin, options.seedRows))) say('seeded');
  if (options.seedMb) say(`database is now ~${await growDatabase(stack, options.seedMb)} MB`);
  const env = parseEnvFile(readFileSync(join(dir, '.env'), 'utf8'));
  stack.frontendPort = Number(env.FRONTEND_PORT);
  if (plan.publishesBackend) stack.backendPort = Number(env.BACKEND_PORT);
  return stack;
}

export function stackSummary(stack: Stack): StackSummary {
  const { dir, project, containers, frontendPort, backendPort, release, version, shape, namespace, images, head } = stack;
  return { dir, project, containers, frontendPort, backendPort, release, version, shape, namespace, images, head };
}
