// docker-compose.yml of the real-shaped releases, as upstream's file was at each shape (glowworm-facts.md,
// "Real releases"; nstephens/glowworm's docker-compose.yml of mid-November 2025). Images are named literally, as
// upstream's `nickstephens/glowworm-backend:latest`, but under the test's own registry namespace.
import {
  BACKEND_DATABASE_ENVIRONMENT,
  BACKEND_HEALTHCHECK,
  MYSQL_ENVIRONMENT,
  composeDocument,
  mysqlService,
  redisService,
  type ServiceSpec,
  type StackService,
} from './compose-blocks.js';
import { publishedRef } from './publish.js';
import { SHAPE_TAG, type RealShape } from './real-releases.js';

export const OCTOBER_SERVICES: StackService[] = ['glowworm-mysql', 'glowworm-backend', 'glowworm-frontend'];
export const NEWEST_SERVICES: StackService[] = [
  'glowworm-mysql',
  'glowworm-redis',
  'glowworm-backend',
  'glowworm-frontend',
  'glowworm-celery-worker',
];

export function realServices(shape: RealShape): StackService[] {
  return shape === 'oct-2025' ? OCTOBER_SERVICES : NEWEST_SERVICES;
}

/** Where the October file keeps its init script (the rig writes a harmless one). */
export const INIT_SQL_PATH = 'docker/mysql/init.sql';

// Upstream's healthcheck logs in as root (compose puts the password in); ping answers even when the login fails.
const MYSQL_PING = '["CMD", "mysqladmin", "ping", "-h", "localhost", "-u", "root", "-p${MYSQL_ROOT_PASSWORD}"]';
const TZ = 'TZ: America/New_York';
const CELERY = ['CELERY_BROKER_URL: redis://glowworm-redis:6379/0', 'CELERY_RESULT_BACKEND: redis://glowworm-redis:6379/0'];
const APP_SETTINGS = ['SECRET_KEY: ${SECRET_KEY}', 'UPLOAD_DIRECTORY: ${UPLOAD_DIRECTORY:-uploads}', 'LOG_LEVEL: ${LOG_LEVEL:-INFO}'];
const BACKEND_SETTINGS = [
  'SECRET_KEY: ${SECRET_KEY}',
  'SERVER_BASE_URL: ${SERVER_BASE_URL:-http://localhost}',
  'DEFAULT_DISPLAY_TIME_SECONDS: ${DEFAULT_DISPLAY_TIME_SECONDS:-30}',
  'UPLOAD_DIRECTORY: ${UPLOAD_DIRECTORY:-uploads}',
  'DISPLAY_NETWORK_INTERFACE: ${DISPLAY_NETWORK_INTERFACE:-localhost}',
  'LOG_LEVEL: ${LOG_LEVEL:-INFO}',
];
const UPLOADS = './data/uploads:/app/uploads';
const WORKER_COMMAND =
  'celery -A celery_app worker --beat --loglevel=info --concurrency=4 --queues=high_priority,normal_priority,low_priority';

/** Late October 2025: three services, MySQL in a bind mount, the backend's port published, no redis. */
function octoberServices(backend: string, frontend: string): ServiceSpec[] {
  return [
    mysqlService('mysql:8.0', ['./data/mysql:/var/lib/mysql', `./${INIT_SQL_PATH}:/docker-entrypoint-initdb.d/init.sql:ro`], MYSQL_PING),
    {
      name: 'glowworm-backend',
      image: backend,
      environment: [...BACKEND_DATABASE_ENVIRONMENT, ...BACKEND_SETTINGS],
      volumes: [UPLOADS],
      ports: ['${BACKEND_PORT:-8001}:8001'],
      dependsOn: ['glowworm-mysql'],
      healthcheck: BACKEND_HEALTHCHECK,
    },
    // No VITE_BACKEND_URL: the October frontend has the backend's address built in.
    { name: 'glowworm-frontend', image: frontend, ports: ['${FRONTEND_PORT:-3003}:3003'], dependsOn: ['glowworm-backend'] },
  ];
}

/** The newest shape: redis and the worker, MySQL back on the named volume, only the frontend's port published. */
function newestServices(backend: string, frontend: string): ServiceSpec[] {
  return [
    mysqlService('mysql:8.0', ['mysql_data:/var/lib/mysql'], MYSQL_PING, [TZ, ...MYSQL_ENVIRONMENT]),
    redisService('redis:7-alpine', 'redis-server --appendonly yes', [TZ]),
    {
      name: 'glowworm-backend',
      image: backend,
      environment: [
        TZ,
        ...BACKEND_DATABASE_ENVIRONMENT,
        ...BACKEND_SETTINGS,
        'DOCKER_MODE: "true"',
        ...CELERY,
        'USE_CELERY: ${USE_CELERY:-true}',
      ],
      volumes: [UPLOADS],
      dependsOn: ['glowworm-mysql', 'glowworm-redis'],
      // Overrides the image's HEALTHCHECK (which would also run verify-migrations.py).
      healthcheck: BACKEND_HEALTHCHECK,
    },
    {
      name: 'glowworm-frontend',
      image: frontend,
      environment: [TZ, 'VITE_BACKEND_URL: http://glowworm-backend:8001'],
      ports: ['${FRONTEND_PORT:-3003}:3003'],
      dependsOn: ['glowworm-backend'],
    },
    // No healthcheck of its own: it inherits the image's, which needs an HTTP server the worker does not run, so it
    // reports unhealthy forever while it works. It waits for the database and redis only, not the backend.
    {
      name: 'glowworm-celery-worker',
      image: backend,
      command: WORKER_COMMAND,
      environment: [TZ, ...BACKEND_DATABASE_ENVIRONMENT, ...CELERY, ...APP_SETTINGS],
      volumes: [UPLOADS],
      dependsOn: ['glowworm-mysql', 'glowworm-redis'],
    },
  ];
}

export function realComposeFileText(shape: RealShape, { prefix, namespace }: { prefix: string; namespace: string }): string {
  const tag = SHAPE_TAG[shape];
  const backend = publishedRef(namespace, 'backend', tag);
  const frontend = publishedRef(namespace, 'frontend', tag);
  const october = shape === 'oct-2025';
  return composeDocument(
    `GlowWorm deployment written by the glowworm test rig (npm run rig -- up --release …), shaped like the real\n` +
      `docker-compose.yml of ${october ? 'late October 2025' : 'mid-November 2025 (the newest)'}. Healthchecks poll every 2s.`,
    october ? octoberServices(backend, frontend) : newestServices(backend, frontend),
    prefix,
    october ? [] : ['mysql_data', 'redis_data'],
  );
}

/** The init script the October file mounts; harmless, like upstream's (the database and user exist already). */
export const INIT_SQL = `-- MySQL initialisation script for GlowWorm (written by the glowworm test rig)
-- Runs once, on an empty datadir; the entrypoint has created the database and user from MYSQL_* already.
CREATE DATABASE IF NOT EXISTS glowworm CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
FLUSH PRIVILEGES;
`;
