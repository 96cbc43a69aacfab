import { existsSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { COMPOSE_FILE_NAME, STACK_SERVICES } from './compose-file.js';
import { compose } from './stack-up.js';
import { composeProjectName, readRigState } from './stack.js';
import { BASE_IMAGE_TAG } from './base-image.js';
import { REGISTRY_ADDRESS } from './paths.js';
import { isRigVersion } from './releases.js';
import { docker, dockerChecked } from './process.js';

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
  const state = readRigState(dir);
  const prefix = state?.prefix ?? prefixArg;
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

  if (state && !isRigVersion(state.release)) removed.push(...(await untagNamespace(state.namespace)));
  if (existsSync(dir)) {
    await removeDatadir(dir);
    rmSync(dir, { recursive: true, force: true });
    removed.push(`directory ${dir}`);
  }
  return removed;
}

/**
 * The October shape's ./data/mysql belongs to the database container's users (root, mysql). The rig runs as root and
 * removes it with the directory; without root, a throwaway container on the base image removes it.
 */
async function removeDatadir(dir: string): Promise<void> {
  const datadir = join(dir, 'data', 'mysql');
  if (!existsSync(datadir)) return;
  try {
    rmSync(datadir, { recursive: true, force: true });
  } catch {
    await dockerChecked(['run', '--rm', '-v', `${join(dir, 'data')}:/data`, BASE_IMAGE_TAG, 'rm', '-rf', '/data/mysql']);
  }
}

/**
 * The engine's tags of the stack's own registry namespace (what compose pulled), so that stacks do not pile up tags.
 * The registry keeps its tags: they are harmless, and another run may still read them.
 */
async function untagNamespace(namespace: string): Promise<string[]> {
  const rows = await listed([
    'image', 'ls', '--digests', '--filter', `reference=${REGISTRY_ADDRESS}/${namespace}/*`,
    '--format', '{{.Repository}} {{.Tag}} {{.Digest}}',
  ]);
  // An image whose tag moved away keeps a digest reference (tag <none>): that one goes by digest.
  const refs = rows.map((row) => row.split(' ')).map(([repo, tag, digest]) => (tag === '<none>' ? `${repo}@${digest}` : `${repo}:${tag}`));
  if (refs.length > 0) await docker(['image', 'rm', ...refs]); // best effort: an image still in use stays
  return refs.map((ref) => `local tag ${ref}`);
}
