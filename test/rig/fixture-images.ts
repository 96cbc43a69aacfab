import { chmodSync, copyFileSync, cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BASE_IMAGE_TAG } from './base-image.js';
import { FIXTURES_DIR, RECIPE_LABEL, REGISTRY_ADDRESS, VERSION_LABEL } from './paths.js';
import { recipeHash, treeFingerprint } from './recipe-hash.js';
import { CHANGELOG_GENERATOR, changelogsByVersion } from './release-notes.js';
import { DISPLAY_SIGNING_KEY_MISSING, RELEASES, RIG_VERSIONS, type RigVersion } from './releases.js';
import { registryDigest } from './registry.js';
import { docker, dockerChecked } from './process.js';
import { say, seconds } from './log.js';

export const IMAGE_NAMESPACE = `${REGISTRY_ADDRESS}/glowworm`;

export function imageRef(name: 'mysql' | 'redis' | 'backend' | 'frontend', tag: string): string {
  return `${IMAGE_NAMESPACE}/${name}:${tag}`;
}
export const MYSQL_IMAGE = imageRef('mysql', '8.0');
export const REDIS_IMAGE = imageRef('redis', '7');

interface FixtureImage {
  ref: string;
  version: string;
  recipe: string;
  /** Lays out the docker build context in dir (a fresh temporary directory). */
  prepareContext(dir: string): Promise<void> | void;
}

function copyFixture(name: string, dir: string): void {
  cpSync(join(FIXTURES_DIR, name), dir, { recursive: true });
}

function plainImage(name: 'mysql' | 'redis', tag: string): FixtureImage {
  return {
    ref: imageRef(name, tag),
    version: tag,
    recipe: recipeHash({ base: BASE_IMAGE_TAG, files: treeFingerprint(join(FIXTURES_DIR, name)) }),
    prepareContext: (dir) => copyFixture(name, dir),
  };
}

function frontendImage(version: RigVersion): FixtureImage {
  return {
    ref: imageRef('frontend', version),
    version,
    recipe: recipeHash({ base: BASE_IMAGE_TAG, version, files: treeFingerprint(join(FIXTURES_DIR, 'frontend')) }),
    prepareContext: (dir) => {
      copyFixture('frontend', dir);
      writeFileSync(join(dir, 'app', 'VERSION'), `${version}\n`);
    },
  };
}

function backendImage(version: RigVersion, changelog: () => Promise<string>): FixtureImage {
  const release = RELEASES[version];
  return {
    ref: imageRef('backend', version),
    version,
    recipe: recipeHash({
      base: BASE_IMAGE_TAG,
      release,
      files: treeFingerprint(join(FIXTURES_DIR, 'backend')),
      changelog: CHANGELOG_GENERATOR,
    }),
    prepareContext: async (dir) => {
      const source = join(FIXTURES_DIR, 'backend');
      for (const part of ['Dockerfile', 'celery', 'app']) cpSync(join(source, part), join(dir, part), { recursive: true });
      const versionsDir = join(dir, 'app', 'alembic', 'versions');
      mkdirSync(versionsDir, { recursive: true });
      for (const file of release.migrationFiles) copyFileSync(join(source, 'migrations', file), join(versionsDir, file));
      writeFileSync(join(dir, 'app', 'VERSION'), `${version}\n`);
      writeFileSync(join(dir, 'app', 'CHANGELOG.md'), await changelog());
      if (release.needsDisplaySigningKey) {
        writeFileSync(join(dir, 'app', 'required-env'), `DISPLAY_SIGNING_KEY|${DISPLAY_SIGNING_KEY_MISSING}\n`);
      }
      chmodSync(join(dir, 'celery'), 0o755);
    },
  };
}

/** Every fixture image the rig provides. Changelogs are generated lazily: only when a backend image is rebuilt. */
export function fixtureImages(): FixtureImage[] {
  let changelogs: Promise<Map<RigVersion, string>> | undefined;
  const changelogOf = (version: RigVersion) => async () => {
    changelogs ??= changelogsByVersion(RIG_VERSIONS);
    return (await changelogs).get(version) ?? '';
  };
  return [
    plainImage('mysql', '8.0'),
    plainImage('redis', '7'),
    ...RIG_VERSIONS.map((version) => backendImage(version, changelogOf(version))),
    ...RIG_VERSIONS.map(frontendImage),
  ];
}

async function builtRecipe(ref: string): Promise<string | undefined> {
  const inspect = await docker(['image', 'inspect', '--format', `{{ index .Config.Labels "${RECIPE_LABEL}" }}`, ref]);
  return inspect.code === 0 ? inspect.stdout.trim() : undefined;
}

async function build(image: FixtureImage): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'glowworm-rig-build-'));
  try {
    await image.prepareContext(dir);
    await dockerChecked(
      [
        'build',
        '--quiet',
        '--build-arg', `BASE_IMAGE=${BASE_IMAGE_TAG}`,
        '--label', `${VERSION_LABEL}=${image.version}`,
        '--label', `${RECIPE_LABEL}=${image.recipe}`,
        '--tag', image.ref,
        dir,
      ],
      // The legacy builder works offline FROM a local image; BuildKit would try to resolve it remotely.
      { env: { ...process.env, DOCKER_BUILDKIT: '0' } },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** True when the registry's manifest for the ref is the one of the local image (nothing to push). */
async function registryHasLocalImage(ref: string): Promise<boolean> {
  const [repositoryWithHost, tag] = splitRef(ref);
  const repository = repositoryWithHost.slice(REGISTRY_ADDRESS.length + 1);
  const remote = await registryDigest(repository, tag);
  if (!remote) return false;
  const inspect = await dockerChecked(['image', 'inspect', '--format', '{{ json .RepoDigests }}', ref]);
  const local = JSON.parse(inspect.stdout) as string[];
  return local.includes(`${repositoryWithHost}@${remote}`);
}

function splitRef(ref: string): [string, string] {
  const colon = ref.lastIndexOf(':');
  return [ref.slice(0, colon), ref.slice(colon + 1)];
}

/** Builds what changed, pushes what the registry lacks; returns one line per image. */
export async function ensureFixtureImages(): Promise<string[]> {
  const lines: string[] = [];
  for (const image of fixtureImages()) {
    const started = Date.now();
    const actions: string[] = [];
    if ((await builtRecipe(image.ref)) !== image.recipe) {
      await build(image);
      actions.push('built');
    }
    if (!(await registryHasLocalImage(image.ref))) {
      await dockerChecked(['push', image.ref]);
      actions.push('pushed');
    }
    const line = `${image.ref}: ${actions.length ? actions.join(' + ') : 'up to date'} (${seconds(Date.now() - started)})`;
    say(line);
    lines.push(line);
  }
  return lines;
}
