// GlowWorm 2.0.0 runs celery beat in its own service, `glowworm-scheduler`, from the backend's image. It needs the
// backend's database, Redis, secret and log settings, and must wait for MySQL and Redis to be healthy.
import { isSecretName } from '../src/engine/secrets.js';
import type { ComposeDocument } from '../src/engine/deploy-migrations/compose-edit.js';
import {
  containerNamePrefix,
  findBackendService,
  findDatabaseService,
  findRedisService,
} from '../src/engine/deploy-migrations/glowworm-services.js';
import type { DeployMigrationContext } from '../src/engine/deploy-migrations/types.js';

const SCHEDULER = 'glowworm-scheduler';
const SHARED_ENV = /^(MYSQL_.+|REDIS_URL|SECRET_KEY|DISPLAY_SIGNING_KEY|LOG_LEVEL)$/;

export const version = '2.0.0';
export const description = `Add the ${SCHEDULER} service (celery beat, from the backend image)`;

/**
 * The backend's shared settings: references stay references (defaults included), other values are copied as written
 * (`MYSQL_PORT: 3306` stays a number), and a secret written literally becomes a `${KEY}` reference to `.env`.
 */
function sharedEnvironment(ctx: DeployMigrationContext, backend: string): Record<string, unknown> {
  const written = ctx.compose.service(backend)['environment'];
  const shared: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(ctx.compose.serviceEnv(backend))) {
    if (!SHARED_ENV.test(key)) continue;
    if (value !== null && (value.includes('$') || !isSecretName(key))) {
      shared[key] = written && !Array.isArray(written) && typeof written === 'object' ? (written as Record<string, unknown>)[key] : value;
      continue;
    }
    shared[key] = `\${${key}}`;
    if (!ctx.env.has(key)) ctx.note(`${SCHEDULER} reads ${key} from .env, which does not set it: add it there.`);
  }
  return shared;
}

function dependsOn(compose: ComposeDocument): Record<string, { condition: string }> {
  const out: Record<string, { condition: string }> = {};
  for (const service of [findDatabaseService(compose), findRedisService(compose)]) {
    // service_healthy on a service without a healthcheck would never be satisfied.
    if (service) out[service] = { condition: compose.service(service)['healthcheck'] ? 'service_healthy' : 'service_started' };
  }
  return out;
}

export function up(ctx: DeployMigrationContext): void {
  if (ctx.compose.hasService(SCHEDULER)) {
    ctx.note(`The compose file already has a ${SCHEDULER} service; it is kept as it is.`);
    return;
  }
  const backendName = findBackendService(ctx.compose);
  const backend = ctx.compose.service(backendName);
  const definition: Record<string, unknown> = { image: backend['image'] };
  const prefix = containerNamePrefix(ctx.compose, backendName);
  if (prefix !== null) definition['container_name'] = `${prefix}${SCHEDULER}`;
  definition['command'] = 'celery -A celery_app beat --loglevel=info';
  definition['restart'] = 'unless-stopped';
  const env = sharedEnvironment(ctx, backendName);
  if (Object.keys(env).length > 0) {
    // The same form as the backend's environment: a `KEY=value` list or a mapping.
    definition['environment'] = Array.isArray(backend['environment']) ? Object.entries(env).map(([k, v]) => `${k}=${String(v)}`) : env;
  }
  const dependencies = dependsOn(ctx.compose);
  if (Object.keys(dependencies).length > 0) definition['depends_on'] = dependencies;
  const networks = backend['networks'];
  if (networks) definition['networks'] = Array.isArray(networks) ? networks : Object.keys(networks);
  // Next to the other services that run the backend's image (the celery worker).
  const siblings = ctx.compose.serviceNames().filter((s) => ctx.compose.service(s)['image'] === backend['image']);
  ctx.compose.addService(SCHEDULER, definition, { addedBy: ctx.name, after: siblings.at(-1) ?? backendName });
}

export function down(ctx: DeployMigrationContext): void {
  if (!ctx.compose.hasService(SCHEDULER)) return;
  if (ctx.compose.isAddedBy(ctx.name, SCHEDULER)) ctx.compose.removeService(SCHEDULER);
  else ctx.note(`${SCHEDULER} was not added by this migration (no "added by" comment); it is left in place.`);
}
