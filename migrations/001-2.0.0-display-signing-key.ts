// GlowWorm 2.0.0 refuses to start unless the backend has DISPLAY_SIGNING_KEY. Generate one into `.env` (only when the
// user has none) and hand it to the backend as a `${...}` reference, so the secret itself lives in `.env` only. The
// other services running the backend's image (the celery worker) run the same code, so they get it too.
import { imageRepository } from '../src/engine/deploy-migrations/compose-edit.js';
import { findBackendService } from '../src/engine/deploy-migrations/glowworm-services.js';
import type { DeployMigrationContext } from '../src/engine/deploy-migrations/types.js';

const KEY = 'DISPLAY_SIGNING_KEY';

export const version = '2.0.0';
export const description = 'Add DISPLAY_SIGNING_KEY (a generated secret) to .env and pass it to the backend and its workers';

/** The backend, then every other service running the backend's image repository. */
function servicesRunningTheBackend(ctx: DeployMigrationContext): string[] {
  const backend = findBackendService(ctx.compose);
  const image = ctx.compose.service(backend)['image'];
  const others = ctx.compose.serviceNames().filter((name) => {
    const other = ctx.compose.service(name)['image'];
    return name !== backend && typeof image === 'string' && typeof other === 'string' && imageRepository(other) === imageRepository(image);
  });
  return [backend, ...others];
}

export function up(ctx: DeployMigrationContext): void {
  const services = servicesRunningTheBackend(ctx);
  if (ctx.env.has(KEY)) ctx.note(`.env already sets ${KEY}; it is kept as it is.`);
  else ctx.env.add(KEY, ctx.generateSecret(), { addedBy: ctx.name });
  for (const service of services) {
    if (ctx.compose.hasServiceEnv(service, KEY)) ctx.note(`The service ${service} already sets ${KEY}; it is kept as it is.`);
    else ctx.compose.setServiceEnv(service, KEY, `\${${KEY}}`, { addedBy: ctx.name });
  }
}

export function down(ctx: DeployMigrationContext): void {
  // Only what up() added: a key the user had before stays.
  for (const service of servicesRunningTheBackend(ctx)) {
    if (ctx.compose.isAddedBy(ctx.name, service, KEY)) ctx.compose.removeServiceEnv(service, KEY);
  }
  if (ctx.env.isAddedBy(KEY, ctx.name)) ctx.env.remove(KEY);
}
