// From mid-November 2025 GlowWorm runs background work on celery, with Redis as its broker: the real compose file got
// a `glowworm-redis` service (redis:7-alpine, append-only file, its own volume, `redis-cli ping` healthcheck). Needed
// when the target backend image ships celery (its celery_app module) and the compose file has no Redis yet.
import {
  CELERY_APP,
  containerNamePrefix,
  findBackendService,
  findDatabaseService,
  findRedisService,
} from '../src/engine/deploy-migrations/glowworm-services.js';
import type { DeployMigrationContext } from '../src/engine/deploy-migrations/types.js';

const REDIS = 'glowworm-redis';
const VOLUME = 'redis_data';

export const description = `Add the ${REDIS} service (celery's broker; the release's backend ships celery)`;
export const imageFiles = [CELERY_APP];

export function needed(ctx: DeployMigrationContext): boolean {
  return ctx.targetHas(CELERY_APP) && findRedisService(ctx.compose) === null;
}

export function up(ctx: DeployMigrationContext): void {
  const backend = findBackendService(ctx.compose);
  const definition: Record<string, unknown> = { image: 'redis:7-alpine' };
  const prefix = containerNamePrefix(ctx.compose, backend);
  if (prefix !== null) definition['container_name'] = `${prefix}${REDIS}`;
  definition['restart'] = 'unless-stopped';
  definition['command'] = 'redis-server --appendonly yes';
  definition['volumes'] = [`${VOLUME}:/data`];
  const networks = ctx.compose.service(backend)['networks'];
  if (networks) definition['networks'] = Array.isArray(networks) ? networks : Object.keys(networks);
  ctx.compose.addService(REDIS, definition, { addedBy: ctx.name, after: findDatabaseService(ctx.compose) ?? undefined });
  ctx.compose.addHealthcheck(REDIS, { test: ['CMD', 'redis-cli', 'ping'], interval: '10s', timeout: '3s', retries: 3, start_period: '5s' });
  ctx.compose.addTopLevelVolume(VOLUME, { addedBy: ctx.name });
}

export function down(ctx: DeployMigrationContext): void {
  if (ctx.compose.hasService(REDIS) && ctx.compose.isAddedBy(ctx.name, REDIS)) ctx.compose.removeService(REDIS);
  ctx.compose.removeTopLevelVolumeAddedBy(VOLUME, ctx.name);
}
