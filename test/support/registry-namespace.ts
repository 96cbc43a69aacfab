// A registry namespace of a test's own (tests share one registry): the rig's version images pushed under
// `127.0.0.1:5000/<namespace>/<kind>:<tag>`, and the engine left without those names — as a host that never pulled
// them — unless asked to keep one (the running version, which such a host did pull).
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { docker } from '../rig/index.js';
import { dockerChecked } from '../rig/process.js';

export const REGISTRY = '127.0.0.1:5000';

export function newNamespace(name: string): string {
  return `${name}-${randomBytes(3).toString('hex')}`;
}

export const nsRef = (namespace: string, kind: 'backend' | 'frontend', tag: string) => `${REGISTRY}/${namespace}/${kind}:${tag}`;

/** Push the rig image `glowworm/<kind>:<version>` as `<namespace>/<kind>:<tag>`; untag it here unless `keep`. */
export async function pushAs(namespace: string, kind: 'backend' | 'frontend', version: string, tag: string, keep = false): Promise<void> {
  const target = nsRef(namespace, kind, tag);
  await dockerChecked(['tag', `${REGISTRY}/glowworm/${kind}:${version}`, target]);
  await dockerChecked(['push', target]);
  if (!keep) await dockerChecked(['image', 'rm', target]); // only untags: the rig's own name keeps the image
}

/** Point the stack's compose file at the namespace (the same images: the running containers stay as they are). */
export function useNamespace(dir: string, namespace: string): void {
  const file = join(dir, 'docker-compose.yml');
  writeFileSync(file, readFileSync(file, 'utf8').replaceAll(`${REGISTRY}/glowworm/backend:`, `${REGISTRY}/${namespace}/backend:`).replaceAll(`${REGISTRY}/glowworm/frontend:`, `${REGISTRY}/${namespace}/frontend:`));
}

/** Whether the engine holds an image under this name. */
export async function onEngine(ref: string): Promise<boolean> {
  return (await docker(['image', 'inspect', ref])).code === 0;
}
