// Building and pushing one fixture image: rebuilt only when its recipe hash changed, pushed only when the registry's
// manifest is not the local one.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BASE_IMAGE_TAG } from './base-image.js';
import { RECIPE_LABEL, REGISTRY_ADDRESS, VERSION_LABEL } from './paths.js';
import { registryDigest } from './registry.js';
import { docker, dockerChecked } from './process.js';

export interface FixtureImage {
  ref: string;
  /**
   * org.opencontainers.image.version, for the rig's own model only: no real GlowWorm image carries it (the tool has to
   * tell real releases apart by digest and Alembic head).
   */
  versionLabel?: string;
  recipe: string;
  /** Lays out the docker build context in dir (a fresh temporary directory). */
  prepareContext(dir: string): Promise<void> | void;
}

export async function builtRecipe(ref: string): Promise<string | undefined> {
  const inspect = await docker(['image', 'inspect', '--format', `{{ index .Config.Labels "${RECIPE_LABEL}" }}`, ref]);
  return inspect.code === 0 ? inspect.stdout.trim() : undefined;
}

export async function buildImage(image: FixtureImage): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'glowworm-rig-build-'));
  try {
    await image.prepareContext(dir);
    const labels = [
      ...(image.versionLabel === undefined ? [] : ['--label', `${VERSION_LABEL}=${image.versionLabel}`]),
      '--label', `${RECIPE_LABEL}=${image.recipe}`,
    ];
    await dockerChecked(
      ['build', '--quiet', '--build-arg', `BASE_IMAGE=${BASE_IMAGE_TAG}`, ...labels, '--tag', image.ref, dir],
      // The legacy builder works offline FROM a local image; BuildKit would try to resolve it remotely.
      { env: { ...process.env, DOCKER_BUILDKIT: '0' } },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function splitRef(ref: string): [string, string] {
  const colon = ref.lastIndexOf(':');
  return [ref.slice(0, colon), ref.slice(colon + 1)];
}

/** True when the registry's manifest for the ref is the one of the local image (nothing to push). */
export async function registryHasLocalImage(ref: string): Promise<boolean> {
  const [repositoryWithHost, tag] = splitRef(ref);
  const repository = repositoryWithHost.slice(REGISTRY_ADDRESS.length + 1);
  const remote = await registryDigest(repository, tag);
  if (!remote) return false;
  const inspect = await dockerChecked(['image', 'inspect', '--format', '{{ json .RepoDigests }}', ref]);
  const local = JSON.parse(inspect.stdout) as string[];
  return local.includes(`${repositoryWithHost}@${remote}`);
}

/** The local image id a reference names, or undefined when the engine has nothing under it. */
export async function localImageId(ref: string): Promise<string | undefined> {
  const inspect = await docker(['image', 'inspect', '--format', '{{.Id}}', ref]);
  return inspect.code === 0 ? inspect.stdout.trim() : undefined;
}
