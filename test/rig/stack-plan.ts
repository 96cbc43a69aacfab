// What `up` does differently per release: the compose file, the services to wait for, the images and what has to
// exist before `docker-compose up` (published tags, the October init.sql).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { composeFileText, servicesOf } from './compose-file.js';
import { INIT_SQL, INIT_SQL_PATH, realComposeFileText, realServices } from './compose-real.js';
import type { StackService } from './compose-blocks.js';
import { MYSQL_IMAGE, REDIS_IMAGE, imageRef } from './fixture-images.js';
import { publishRelease, publishedRef, stackNamespace } from './publish.js';
import { REAL_RELEASES, REAL_RELEASE_NAMES, SHAPE_TAG, isRealRelease } from './real-releases.js';
import { RELEASES, isRigVersion } from './releases.js';
import type { ReleaseName, StackImages, StackShape } from './stack.js';
import { RigError } from './process.js';

export interface StackPlan {
  release: ReleaseName;
  shape: StackShape;
  head: string;
  namespace: string;
  services: StackService[];
  /**
   * Services that count as ready once running, whatever their health: the newest worker inherits the image's
   * HEALTHCHECK, which needs an HTTP server it does not run, and is unhealthy by design.
   */
  readyWhenRunning: StackService[];
  images: StackImages;
  /** The October shape publishes the backend's port (BACKEND_PORT in .env). */
  publishesBackend: boolean;
  composeText(prefix: string): string;
  /** Runs before `docker-compose up`. */
  prepare(dir: string): Promise<void>;
}

export const KNOWN_RELEASES = [...Object.keys(RELEASES), ...REAL_RELEASE_NAMES];

export function planStack(release: string, dir: string, namespaceOption?: string): StackPlan {
  // The rig model's images are shared by every test under fixed names: a namespace does not apply to them.
  if (isRigVersion(release)) {
    return {
      release,
      shape: 'rig',
      head: RELEASES[release].head,
      namespace: 'glowworm',
      services: servicesOf(release),
      readyWhenRunning: [],
      images: { backend: imageRef('backend', release), frontend: imageRef('frontend', release), mysql: MYSQL_IMAGE, redis: REDIS_IMAGE },
      publishesBackend: false,
      composeText: (prefix) => composeFileText(release, prefix),
      prepare: async () => {},
    };
  }
  if (!isRealRelease(release)) throw new RigError(`unknown release ${release} (known: ${KNOWN_RELEASES.join(', ')})`);
  const { shape } = REAL_RELEASES[release];
  const namespace = namespaceOption ?? stackNamespace(dir);
  const tag = SHAPE_TAG[shape];
  const october = shape === 'oct-2025';
  return {
    release,
    shape,
    head: REAL_RELEASES[release].head,
    namespace,
    services: realServices(shape),
    readyWhenRunning: october ? [] : ['glowworm-celery-worker'],
    images: {
      backend: publishedRef(namespace, 'backend', tag),
      frontend: publishedRef(namespace, 'frontend', tag),
      mysql: 'mysql:8.0',
      ...(october ? {} : { redis: 'redis:7-alpine' }),
    },
    publishesBackend: october,
    composeText: (prefix) => realComposeFileText(shape, { prefix, namespace }),
    prepare: async (stackDir) => {
      await publishRelease(release, { namespace, tag });
      if (october) {
        const initSql = join(stackDir, INIT_SQL_PATH);
        mkdirSync(dirname(initSql), { recursive: true });
        writeFileSync(initSql, INIT_SQL);
      }
    },
  };
}
