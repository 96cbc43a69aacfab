// The celery generation runs its background and scheduled work in `glowworm-celery-worker`: the backend's image with
// `celery -A celery_app worker --beat …` (beat is merged into the worker; there is no separate scheduler service), the
// backend's database settings, secret and uploads, and it waits for MySQL and Redis. The real file gives it no
// healthcheck of its own (the image's one probes the backend's HTTP server, which the worker does not run), so none
// is added here either. Needed when the target backend ships celery and no service runs a celery worker yet.
import { backendImageSiblings, CELERY_APP, containerNamePrefix, findBackendService, findDatabaseService, findRedisService, readinessOf } from '../src/engine/deploy-migrations/glowworm-services.js';
import { inBackendForm, sharedBackendEnvironment } from '../src/engine/deploy-migrations/backend-environment.js';
import type { DeployMigrationContext } from '../src/engine/deploy-migrations/types.js';

const WORKER = 'glowworm-celery-worker';
const COMMAND = 'celery -A celery_app worker --beat --loglevel=info --concurrency=4 --queues=high_priority,normal_priority,low_priority';
const SHARED = /^(MYSQL_.+|CELERY_BROKER_URL|CELERY_RESULT_BACKEND|SECRET_KEY|UPLOAD_DIRECTORY|LOG_LEVEL|TZ)$/;
const UPLOADS = '/app/uploads';

export const description = `Add the ${WORKER} service (celery worker with beat, on the backend's image)`;
export const imageFiles = [CELERY_APP];

function runsWorker(ctx: DeployMigrationContext, service: string): boolean {
  const command = ctx.compose.service(service)['command'];
  const text = Array.isArray(command) ? command.join(' ') : String(command ?? '');
  return /\bcelery\b/.test(text) && /\bworker\b/.test(text);
}

export function needed(ctx: DeployMigrationContext): boolean {
  if (!ctx.targetHas(CELERY_APP) || ctx.compose.hasService(WORKER)) return false;
  return !backendImageSiblings(ctx.compose, findBackendService(ctx.compose)).some((s) => runsWorker(ctx, s));
}

export function up(ctx: DeployMigrationContext): void {
  const backendName = findBackendService(ctx.compose);
  const backend = ctx.compose.service(backendName);
  const definition: Record<string, unknown> = { image: backend['image'] };
  const prefix = containerNamePrefix(ctx.compose, backendName);
  if (prefix !== null) definition['container_name'] = `${prefix}${WORKER}`;
  definition['restart'] = 'unless-stopped';
  definition['command'] = COMMAND;
  const env = sharedBackendEnvironment(ctx, backendName, SHARED, WORKER);
  if (!('CELERY_BROKER_URL' in env)) ctx.note(`${backendName} sets no CELERY_BROKER_URL, so ${WORKER} uses celery's default broker: check it.`);
  definition['environment'] = inBackendForm(ctx, backendName, env);
  // The worker processes uploads: the same mount as the backend's, as written.
  const uploads = ctx.compose.listItems(backendName, 'volumes').filter((v) => v.split(':')[1] === UPLOADS);
  if (uploads.length) definition['volumes'] = uploads;
  const dependencies: Record<string, { condition: string }> = {};
  for (const service of [findDatabaseService(ctx.compose), findRedisService(ctx.compose)]) {
    if (service) dependencies[service] = { condition: readinessOf(ctx.compose, service) };
  }
  if (Object.keys(dependencies).length) definition['depends_on'] = dependencies;
  const networks = backend['networks'];
  if (networks) definition['networks'] = Array.isArray(networks) ? networks : Object.keys(networks);
  ctx.compose.addService(WORKER, definition, { addedBy: ctx.name });
}

export function down(ctx: DeployMigrationContext): void {
  if (!ctx.compose.hasService(WORKER)) return;
  if (ctx.compose.isAddedBy(ctx.name, WORKER)) ctx.compose.removeService(WORKER);
  else ctx.note(`${WORKER} was not added by this migration (no "added by" comment); it is left in place.`);
}
