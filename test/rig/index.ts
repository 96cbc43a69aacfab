// The rig's API for integration tests and the demo. Everything here talks to the real engine, registry and MariaDB.
import { mkdirSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export { rigSetup, type SetupReport } from './setup.js';
export { stackUp, stackSummary, compose, type StackUpOptions } from './stack-up.js';
export { stackDown } from './stack-down.js';
export { KNOWN_RELEASES } from './stack-plan.js';
export { projectContainers, type ContainerState } from './stack-status.js';
export { docker, dockerChecked } from './process.js';
export { dbQuery, tableChecksums, rowCounts, alembicRevision, databaseAddress } from './db.js';
export {
  stackEnv,
  containerName,
  type Stack,
  type StackSummary,
  type StackShape,
  type StackImages,
  type ReleaseName,
} from './stack.js';
export { RELEASES, RIG_VERSIONS, type RigVersion, type Release, type BackendRecipe, type MigrationFile } from './releases.js';
export {
  REAL_RELEASES,
  REAL_RELEASE_NAMES,
  SHAPE_TAG,
  isRealRelease,
  type RealRelease,
  type RealReleaseName,
  type RealShape,
} from './real-releases.js';
export { publishRelease, publishedRef, stackNamespace, type PublishedRelease, type PublishedKind } from './publish.js';
export { revisionGraph, revisionsBetween, graphHeads, readRevision, shippedMigrationText, type Revision } from './migration-graph.js';
export { SEEDED_SETTINGS, SEED_COUNTS, SEEDED_UPLOADS } from './seed.js';
export { imageRef, realImageRef, fixtureImages, LOCAL_ALIASES } from './fixture-images.js';
export { largeLayerNamespaceRefs } from './large-layer-image.js';
export { COMPOSE_FILE_NAME, STACK_SERVICES, type StackService } from './compose-blocks.js';

/**
 * A new empty directory for a stack. Its name becomes the compose project name, so it is lower-case and unique:
 * <tmp>/gw-<name>-<random hex>.
 */
export function tmpStackDir(name: string): string {
  const safe = name.toLowerCase().replace(/[^a-z0-9-]/g, '-');
  const dir = join(tmpdir(), `gw-${safe}-${randomBytes(3).toString('hex')}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}
