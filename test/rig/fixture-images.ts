import { appendFileSync, chmodSync, copyFileSync, cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { BASE_IMAGE_TAG } from './base-image.js';
import { buildImage, builtRecipe, localImageId, registryHasLocalImage, type FixtureImage } from './image-build.js';
import { ensureLargeLayerImages, LARGE_LAYER_VERSION } from './large-layer-image.js';
import { shippedMigrationText } from './migration-graph.js';
import { FIXTURES_DIR, REGISTRY_ADDRESS } from './paths.js';
import { REAL_RELEASES, REAL_RELEASE_NAMES, type RealReleaseName } from './real-releases.js';
import { recipeHash, treeFingerprint } from './recipe-hash.js';
import { CHANGELOG_GENERATOR, changelogsByVersion } from './release-notes.js';
import { RELEASES, RIG_VERSIONS, type BackendRecipe, type RigVersion } from './releases.js';
import { dockerChecked } from './process.js';
import { say, seconds } from './log.js';

export const IMAGE_NAMESPACE = `${REGISTRY_ADDRESS}/glowworm`;

export function imageRef(name: 'mysql' | 'redis' | 'backend' | 'frontend', tag: string): string {
  return `${IMAGE_NAMESPACE}/${name}:${tag}`;
}
export const MYSQL_IMAGE = imageRef('mysql', '8.0');
export const REDIS_IMAGE = imageRef('redis', '7');

/** Where the real-shaped releases are built, once each, under immutable names (publish.ts tags them per test). */
export const REAL_IMAGE_NAMESPACE = `${REGISTRY_ADDRESS}/glowworm-real`;
export function realImageRef(kind: 'backend' | 'frontend', release: RealReleaseName): string {
  return `${REAL_IMAGE_NAMESPACE}/${kind}:${release}`;
}

/**
 * The real compose files name `mysql:8.0` and `redis:7-alpine` literally. docker-compose pulls only images the engine
 * lacks, so the rig's stand-ins are tagged locally under those names (this machine has no Docker Hub).
 */
export const LOCAL_ALIASES: Record<string, string> = { 'mysql:8.0': MYSQL_IMAGE, 'redis:7-alpine': REDIS_IMAGE };

function copyFixture(name: string, dir: string): void {
  cpSync(join(FIXTURES_DIR, name), dir, { recursive: true });
}

function plainImage(name: 'mysql' | 'redis', tag: string): FixtureImage {
  return {
    ref: imageRef(name, tag),
    versionLabel: tag,
    recipe: recipeHash({ base: BASE_IMAGE_TAG, files: treeFingerprint(join(FIXTURES_DIR, name)) }),
    prepareContext: (dir) => copyFixture(name, dir),
  };
}

function frontendImage(ref: string, app: { packageVersion: string; builtInBackend?: string }, versionLabel?: string): FixtureImage {
  return {
    ref,
    versionLabel,
    recipe: recipeHash({ base: BASE_IMAGE_TAG, app, versionLabel, files: treeFingerprint(join(FIXTURES_DIR, 'frontend')) }),
    prepareContext: (dir) => {
      copyFixture('frontend', dir);
      writeFileSync(join(dir, 'app', 'package.json'), `${JSON.stringify({ name: 'glowworm-frontend', version: app.packageVersion }, null, 2)}\n`);
      if (app.builtInBackend) writeFileSync(join(dir, 'app', 'api-backend'), `${app.builtInBackend}\n`);
    },
  };
}

// The Dockerfile HEALTHCHECK of the newest backend image, with short timings so that a container without a compose
// healthcheck of its own (the worker, which runs no HTTP server) turns unhealthy within seconds (upstream: 30s/30s/60s).
const IMAGE_HEALTHCHECK =
  'HEALTHCHECK --interval=2s --timeout=5s --start-period=4s --retries=3 ' +
  'CMD curl -f http://localhost:8001/health && python3 /app/scripts/verify-migrations.py || exit 1\n';

/** The rig model's own extras: a VERSION file and CHANGELOG.md generated from release-commits.json. */
interface RigModelExtras {
  version: RigVersion;
  changelog: () => Promise<string>;
}

function backendImage(ref: string, recipe: BackendRecipe, rigModel?: RigModelExtras): FixtureImage {
  const source = join(FIXTURES_DIR, 'backend');
  return {
    ref,
    versionLabel: rigModel?.version,
    recipe: recipeHash({
      base: BASE_IMAGE_TAG,
      recipe,
      version: rigModel?.version,
      files: treeFingerprint(source),
      changelog: rigModel ? CHANGELOG_GENERATOR : undefined,
    }),
    prepareContext: async (dir) => {
      for (const part of ['Dockerfile', 'celery', 'app']) cpSync(join(source, part), join(dir, part), { recursive: true });
      const app = join(dir, 'app');
      const versionsDir = join(app, 'alembic', 'versions');
      mkdirSync(versionsDir, { recursive: true });
      for (const migration of recipe.migrations) {
        writeFileSync(join(versionsDir, basename(migration.file)), shippedMigrationText(migration));
      }
      const release = { setting_types: recipe.settingTypes, server_launch: recipe.serverLaunch };
      writeFileSync(join(app, 'release.json'), `${JSON.stringify(release)}\n`);
      if (recipe.celeryApp) copyFileSync(join(source, 'extras', 'celery_app.py'), join(app, 'celery_app.py'));
      if (recipe.imageHealthcheck) {
        mkdirSync(join(app, 'scripts'), { recursive: true });
        copyFileSync(join(source, 'extras', 'verify-migrations.py'), join(app, 'scripts', 'verify-migrations.py'));
        appendFileSync(join(dir, 'Dockerfile'), IMAGE_HEALTHCHECK);
      }
      if (rigModel) {
        writeFileSync(join(app, 'VERSION'), `${rigModel.version}\n`);
        writeFileSync(join(app, 'CHANGELOG.md'), await rigModel.changelog());
      }
      chmodSync(join(dir, 'celery'), 0o755);
    },
  };
}

/** Every fixture image the rig provides. Changelogs are generated lazily: only when a rig-model backend is rebuilt. */
export function fixtureImages(): FixtureImage[] {
  let changelogs: Promise<Map<RigVersion, string>> | undefined;
  const changelogOf = (version: RigVersion) => async () => {
    changelogs ??= changelogsByVersion(RIG_VERSIONS);
    return (await changelogs).get(version) ?? '';
  };
  return [
    plainImage('mysql', '8.0'),
    plainImage('redis', '7'),
    ...RIG_VERSIONS.map((version) =>
      backendImage(imageRef('backend', version), RELEASES[version], { version, changelog: changelogOf(version) }),
    ),
    ...RIG_VERSIONS.map((version) => frontendImage(imageRef('frontend', version), { packageVersion: version }, version)),
    ...REAL_RELEASE_NAMES.map((name) => backendImage(realImageRef('backend', name), REAL_RELEASES[name])),
    ...REAL_RELEASE_NAMES.map((name) => frontendImage(realImageRef('frontend', name), REAL_RELEASES[name].frontend)),
  ];
}

async function ensureLocalAliases(): Promise<string[]> {
  const lines: string[] = [];
  for (const [alias, ref] of Object.entries(LOCAL_ALIASES)) {
    const wanted = await localImageId(ref);
    const done = wanted !== undefined && (await localImageId(alias)) === wanted;
    if (!done) await dockerChecked(['tag', ref, alias]);
    lines.push(`${alias} → ${ref}: ${done ? 'up to date' : 'tagged'}`);
  }
  return lines;
}

/** Builds what changed, pushes what the registry lacks, tags the local aliases; returns one line per image. */
export async function ensureFixtureImages(): Promise<string[]> {
  const lines: string[] = [];
  for (const image of fixtureImages()) {
    const started = Date.now();
    const actions: string[] = [];
    if ((await builtRecipe(image.ref)) !== image.recipe) {
      await buildImage(image);
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
  const parent = fixtureImages().find((image) => image.ref === imageRef('backend', LARGE_LAYER_VERSION))!;
  lines.push(...(await ensureLargeLayerImages(parent, (kind, version) => imageRef(kind, version))));
  for (const line of await ensureLocalAliases()) {
    say(line);
    lines.push(line);
  }
  return lines;
}
