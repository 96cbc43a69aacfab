import { existsSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { COMPOSE_FILE_NAME, STACK_SERVICES } from './compose-file.js';
import { compose } from './stack-up.js';
import { composeProjectName, readRigState } from './stack.js';
import { dockerChecked } from './process.js';

const PROJECT_LABELS = ['com.docker.compose.project', 'io.glowworm.project'];
// Services older GlowWorm releases had; an upgrade can leave their containers behind.
const LEGACY_SERVICES = ['glowworm-celery-beat'];

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

async function listed(args: string[]): Promise<string[]> {
  return (await dockerChecked(args)).stdout.split('\n').map((line) => line.trim()).filter(Boolean);
}

async function labelled(kind: 'ps' | 'volume' | 'network', project: string): Promise<string[]> {
  const found = new Set<string>();
  for (const label of PROJECT_LABELS) {
    const args =
      kind === 'ps'
        ? ['ps', '-a', '--filter', `label=${label}=${project}`, '--format', '{{.Names}}']
        : [kind, 'ls', '--filter', `label=${label}=${project}`, '--format', '{{.Name}}'];
    for (const name of await listed(args)) found.add(name);
  }
  return [...found];
}

/**
 * Containers of the stack by name: each service's container and the copies an upgrade tool leaves beside it
 * (`<name>-glowworm-old-*`, `<name>-glowworm-new-*`). Only when the prefix is known, so a stack with the real names
 * that the rig did not create is never touched.
 */
async function namedContainers(prefix: string): Promise<string[]> {
  const names = [...STACK_SERVICES, ...LEGACY_SERVICES].map((service) => escapeRegExp(`${prefix}${service}`));
  const pattern = new RegExp(`^(?:${names.join('|')})(?:-glowworm-(?:old|new)-.*)?$`);
  return (await listed(['ps', '-a', '--format', '{{.Names}}'])).filter((name) => pattern.test(name));
}

/** Removes everything `up` created for the stack in dir: containers, volumes, networks and the files. */
export async function stackDown(dirArg: string, prefixArg?: string): Promise<string[]> {
  const dir = resolve(dirArg);
  const project = composeProjectName(dir);
  const prefix = readRigState(dir)?.prefix ?? prefixArg;
  const removed: string[] = [];
  if (existsSync(join(dir, COMPOSE_FILE_NAME))) {
    // Best effort: the sweep below removes what compose does not know about (or fails on).
    const down = await compose(dir, ['down', '--volumes', '--remove-orphans', '--timeout', '5'], 120_000);
    removed.push(`docker-compose down (exit ${down.code})`);
  }

  const containers = new Set([...(await labelled('ps', project)), ...(prefix === undefined ? [] : await namedContainers(prefix))]);
  if (containers.size > 0) {
    await dockerChecked(['rm', '--force', '--volumes', ...containers]);
    removed.push(...[...containers].map((name) => `container ${name}`));
  }

  const knownVolumes = [`${project}_mysql_data`, `${project}_redis_data`];
  const existingVolumes = new Set(await listed(['volume', 'ls', '--format', '{{.Name}}']));
  const volumes = new Set([...(await labelled('volume', project)), ...knownVolumes.filter((v) => existingVolumes.has(v))]);
  if (volumes.size > 0) {
    await dockerChecked(['volume', 'rm', '--force', ...volumes]);
    removed.push(...[...volumes].map((name) => `volume ${name}`));
  }

  const knownNetworks = [`${project}_glowworm-network`, `${project}_default`];
  const existingNetworks = new Set(await listed(['network', 'ls', '--format', '{{.Name}}']));
  const networks = new Set([...(await labelled('network', project)), ...knownNetworks.filter((n) => existingNetworks.has(n))]);
  if (networks.size > 0) {
    await dockerChecked(['network', 'rm', ...networks]);
    removed.push(...[...networks].map((name) => `network ${name}`));
  }

  if (existsSync(dir)) {
    rmSync(dir, { recursive: true, force: true });
    removed.push(`directory ${dir}`);
  }
  return removed;
}
