// A backend release with one large layer, for watching a real pull move (the tmux test's pull bars): the rig's
// 1.1.0 backend plus LARGE_LAYER_MIB of random, so incompressible, bytes in one layer, in a namespace of its own
// (`glowworm-large/`) beside the other rig versions it upgrades from and to.
//
// Unlike the other fixture images the engine must NOT keep it: a layer it holds is "Already exists" and nothing is
// downloaded. So it is checked in the registry (its recipe label, read from the config blob), built and pushed
// only when that differs, and then removed here; a test that pulled it removes it again (removeLargeLayerImage).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildImage, splitRef, type FixtureImage } from './image-build.js';
import { REGISTRY_ADDRESS, RECIPE_LABEL } from './paths.js';
import { recipeHash } from './recipe-hash.js';
import { registryDigest, registryImageLabel } from './registry.js';
import { RIG_VERSIONS, type RigVersion } from './releases.js';
import { docker, dockerChecked } from './process.js';
import { say, seconds } from './log.js';

export const LARGE_LAYER_MIB = 200;
export const LARGE_LAYER_NAMESPACE = 'glowworm-large';
/** The release that carries the large layer; the others are the rig's own images under the namespace. */
export const LARGE_LAYER_VERSION: RigVersion = '1.1.0';

const repository = (kind: 'backend' | 'frontend') => `${LARGE_LAYER_NAMESPACE}/${kind}`;
export const largeLayerRef = (kind: 'backend' | 'frontend', tag: string) => `${REGISTRY_ADDRESS}/${repository(kind)}:${tag}`;

function largeLayerImage(parent: FixtureImage): FixtureImage {
  return {
    ref: largeLayerRef('backend', LARGE_LAYER_VERSION),
    recipe: recipeHash({ parent: parent.recipe, mib: LARGE_LAYER_MIB }),
    prepareContext: (dir) =>
      writeFileSync(join(dir, 'Dockerfile'), [
        'ARG BASE_IMAGE',
        `FROM ${parent.ref}`,
        `RUN head -c ${LARGE_LAYER_MIB}M /dev/urandom > /opt/large-layer.bin`,
        '',
      ].join('\n')),
  };
}

/** `glowworm/<kind>:<v>` pushed as `glowworm-large/<kind>:<v>` unless the registry has that manifest there already. */
async function ensureCompanion(kind: 'backend' | 'frontend', version: RigVersion, source: string): Promise<string> {
  const target = largeLayerRef(kind, version);
  const [sourceRepo, tag] = splitRef(source);
  const wanted = await registryDigest(sourceRepo.slice(REGISTRY_ADDRESS.length + 1), tag);
  if (wanted !== undefined && (await registryDigest(repository(kind), version)) === wanted) return `${target}: up to date`;
  await dockerChecked(['tag', source, target]);
  await dockerChecked(['push', target]);
  await dockerChecked(['image', 'rm', target]); // only untags: the rig's own name keeps the image
  return `${target}: pushed`;
}

/** Every image the namespace holds: the large-layer backend, then the other rig releases (setup says one line each). */
export function largeLayerNamespaceRefs(): string[] {
  return [largeLayerRef('backend', LARGE_LAYER_VERSION), ...companions().map(({ kind, version }) => largeLayerRef(kind, version))];
}

/** The rig's own releases under the namespace: every frontend, every backend but the large one. */
function companions(): { kind: 'backend' | 'frontend'; version: RigVersion }[] {
  return RIG_VERSIONS.flatMap((version) => [
    ...(version === LARGE_LAYER_VERSION ? [] : [{ kind: 'backend' as const, version }]),
    { kind: 'frontend' as const, version },
  ]);
}

/** Builds and pushes the large-layer image when the registry's differs, and the namespace's other releases. */
export async function ensureLargeLayerImages(parent: FixtureImage, sourceRef: (kind: 'backend' | 'frontend', v: RigVersion) => string): Promise<string[]> {
  const lines: string[] = [];
  const image = largeLayerImage(parent);
  const started = Date.now();
  const [, tag] = splitRef(image.ref);
  if ((await registryImageLabel(repository('backend'), tag, RECIPE_LABEL)) === image.recipe) lines.push(`${image.ref}: up to date`);
  else {
    await buildImage(image);
    await dockerChecked(['push', image.ref]);
    await removeLargeLayerImage();
    lines.push(`${image.ref}: built + pushed, not kept on the engine (${seconds(Date.now() - started)})`);
  }
  for (const { kind, version } of companions()) lines.push(await ensureCompanion(kind, version, sourceRef(kind, version)));
  for (const line of lines) say(line);
  return lines;
}

/** Leaves the engine without the large layer, so that the next pull downloads it from the registry. */
export async function removeLargeLayerImage(): Promise<void> {
  const ref = largeLayerRef('backend', LARGE_LAYER_VERSION);
  if ((await docker(['image', 'inspect', ref])).code === 0) await dockerChecked(['image', 'rm', ref]);
}
