// The celery generation's backend queues work on Redis: the real file gives it CELERY_BROKER_URL and
// CELERY_RESULT_BACKEND (redis://glowworm-redis:6379/0), USE_CELERY, DOCKER_MODE, and makes it wait for Redis to be
// healthy. Needed when the target backend ships celery and the backend has no broker set. (Upstream's file also sets
// TZ to its author's own zone, America/New_York; that is no release's need, so it is not written into yours.)
import {
  CELERY_APP,
  findBackendService,
  findRedisService,
  readinessOf,
} from '../src/engine/deploy-migrations/glowworm-services.js';
import type { DeployMigrationContext } from '../src/engine/deploy-migrations/types.js';

export const description = 'Give the backend its celery settings (CELERY_BROKER_URL, CELERY_RESULT_BACKEND, USE_CELERY, DOCKER_MODE) and make it wait for Redis';
export const imageFiles = [CELERY_APP];

function settings(redis: string): Record<string, string> {
  const url = `redis://${redis}:6379/0`;
  return { CELERY_BROKER_URL: url, CELERY_RESULT_BACKEND: url, USE_CELERY: '${USE_CELERY:-true}', DOCKER_MODE: 'true' };
}

export function needed(ctx: DeployMigrationContext): boolean {
  return ctx.targetHas(CELERY_APP) && !ctx.compose.hasServiceEnv(findBackendService(ctx.compose), 'CELERY_BROKER_URL');
}

export function up(ctx: DeployMigrationContext): void {
  const backend = findBackendService(ctx.compose);
  const redis = findRedisService(ctx.compose);
  if (!redis) ctx.note('The compose file has no Redis service; the backend is pointed at glowworm-redis.');
  for (const [key, value] of Object.entries(settings(redis ?? 'glowworm-redis'))) {
    if (ctx.compose.hasServiceEnv(backend, key)) ctx.note(`${backend} already sets ${key}; it is kept as it is.`);
    else ctx.compose.setServiceEnv(backend, key, value, { addedBy: ctx.name });
  }
  if (redis) ctx.compose.setDependsOn(backend, redis, readinessOf(ctx.compose, redis), { addedBy: ctx.name });
}

export function down(ctx: DeployMigrationContext): void {
  const backend = findBackendService(ctx.compose);
  for (const key of Object.keys(settings(''))) {
    if (ctx.compose.isAddedBy(ctx.name, backend, key)) ctx.compose.removeServiceEnv(backend, key);
  }
  const redis = findRedisService(ctx.compose);
  if (redis) ctx.compose.removeDependsOnAddedBy(backend, redis, ctx.name);
}
