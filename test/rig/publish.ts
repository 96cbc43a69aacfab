// Publishing a real-shaped release under a moving tag, the way upstream publishes: `latest`/`test` in a repository
// that only this test uses (tests run in parallel against one registry), so moving a tag never touches another test.
import { REGISTRY_ADDRESS } from './paths.js';
import { localImageId } from './image-build.js';
import { realImageRef } from './fixture-images.js';
import { composeProjectName } from './stack.js';
import { RigError, dockerChecked } from './process.js';
import type { RealReleaseName } from './real-releases.js';

export type PublishedKind = 'backend' | 'frontend';

export interface PublishedRelease {
  backend: string;
  frontend: string;
}

const NAMESPACE = /^[a-z0-9]+(?:[._-][a-z0-9]+)*$/;

/** `127.0.0.1:5000/<namespace>/glowworm-<kind>:<tag>`, shaped like upstream's `nickstephens/glowworm-backend:test`. */
export function publishedRef(namespace: string, kind: PublishedKind, tag: string): string {
  if (!NAMESPACE.test(namespace)) throw new RigError(`'${namespace}' is not a valid registry namespace`);
  return `${REGISTRY_ADDRESS}/${namespace}/glowworm-${kind}:${tag}`;
}

/** A namespace of the stack's own, from its directory (tmpStackDir names are unique). */
export function stackNamespace(dir: string): string {
  const namespace = composeProjectName(dir).replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return namespace || 'glowworm-stack';
}

/**
 * Tags the release's rig-built images as `<namespace>/glowworm-backend:<tag>` and `…/glowworm-frontend:<tag>` and
 * pushes them (the layers are already in the registry: a push only mounts them and writes the manifest).
 *
 * The engine is left holding what it held under those names before, as a user's host does when the registry's tag
 * moves: the old image stays under the tag until something pulls, and a tag never pulled stays absent. So the tool
 * under test has to pull to see the new release, and a stack brought up from the tag pulls it.
 */
export async function publishRelease(
  release: RealReleaseName,
  { namespace, tag }: { namespace: string; tag: string },
): Promise<PublishedRelease> {
  const published = { backend: publishedRef(namespace, 'backend', tag), frontend: publishedRef(namespace, 'frontend', tag) };
  for (const kind of ['backend', 'frontend'] as const) {
    const target = published[kind];
    const heldBefore = await localImageId(target);
    await dockerChecked(['tag', realImageRef(kind, release), target]);
    await dockerChecked(['push', target]);
    if (heldBefore) await dockerChecked(['tag', heldBefore, target]);
    else await dockerChecked(['image', 'rm', target]); // only untags: the rig's immutable name keeps the image
  }
  return published;
}
