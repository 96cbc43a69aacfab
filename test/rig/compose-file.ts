// docker-compose.yml of the rig's own model (1.0.0 … 2.0.0): the newest real layout, with the rig's image names.
import {
  BACKEND_DATABASE_ENVIRONMENT,
  BACKEND_HEALTHCHECK,
  STACK_SERVICES,
  composeDocument,
  mysqlService,
  redisService,
  type ServiceSpec,
  type StackService,
} from './compose-blocks.js';
import { MYSQL_IMAGE, REDIS_IMAGE, imageRef } from './fixture-images.js';
import type { RigVersion } from './releases.js';

export { COMPOSE_FILE_NAME, STACK_SERVICES, type StackService } from './compose-blocks.js';

export function servicesOf(_version: RigVersion): StackService[] {
  return [...STACK_SERVICES];
}

// The environment the backend image needs, shared by the backend and the worker: celery's broker as the real newest
// file sets it (CELERY_*; the real file has no REDIS_URL).
const BACKEND_ENVIRONMENT = [
  ...BACKEND_DATABASE_ENVIRONMENT,
  'SECRET_KEY: ${SECRET_KEY}',
  'CELERY_BROKER_URL: redis://glowworm-redis:6379/0',
  'CELERY_RESULT_BACKEND: redis://glowworm-redis:6379/0',
  'LOG_LEVEL: ${LOG_LEVEL:-INFO}',
];
const BACKEND_ONLY = ['USE_CELERY: ${USE_CELERY:-true}', 'DOCKER_MODE: "true"'];

/**
 * Shaped like GlowWorm's own file (see glowworm-facts.md): the only published port is the frontend's. prefix is put
 * before every container_name so several stacks can run side by side (empty = exactly the real names).
 */
export function composeFileText(version: RigVersion, prefix: string): string {
  const backend = imageRef('backend', version);
  const services: ServiceSpec[] = [
    mysqlService(MYSQL_IMAGE, ['mysql_data:/var/lib/mysql'], '["CMD", "mysqladmin", "ping", "-h", "localhost"]'),
    redisService(REDIS_IMAGE),
    {
      name: 'glowworm-backend',
      image: backend,
      environment: [...BACKEND_ENVIRONMENT, ...BACKEND_ONLY],
      volumes: ['./data/uploads:/app/uploads'],
      dependsOn: ['glowworm-mysql', 'glowworm-redis'],
      healthcheck: BACKEND_HEALTHCHECK,
    },
    {
      name: 'glowworm-frontend',
      image: imageRef('frontend', version),
      environment: ['VITE_BACKEND_URL: http://glowworm-backend:8001'],
      ports: ['${FRONTEND_PORT:-3003}:3003'],
      dependsOn: ['glowworm-backend'],
    },
    // After the database and redis only, not the backend: the worker may run before the backend has migrated.
    {
      name: 'glowworm-celery-worker',
      image: backend,
      command: 'celery -A celery_app worker --beat --loglevel=info',
      environment: BACKEND_ENVIRONMENT,
      dependsOn: ['glowworm-mysql', 'glowworm-redis'],
    },
  ];
  return composeDocument(
    'GlowWorm deployment written by the glowworm test rig (npm run rig -- up), shaped like the real docker-compose.yml.\n' +
      'Healthchecks poll every 2s (the real file uses 30s) so that tests do not wait on them.',
    services,
    prefix,
    ['mysql_data', 'redis_data'],
  );
}
