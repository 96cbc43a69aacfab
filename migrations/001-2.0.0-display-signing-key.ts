// GlowWorm 2.0.0 refuses to start unless the backend has DISPLAY_SIGNING_KEY. Generate one into `.env` (only when the
// user has none) and hand it to the backend as a `${...}` reference, so the secret itself lives in `.env` only.
import { findBackendService } from '../src/engine/deploy-migrations/glowworm-services.js';
import type { DeployMigrationContext } from '../src/engine/deploy-migrations/types.js';

const KEY = 'DISPLAY_SIGNING_KEY';

export const version = '2.0.0';
export const description = 'Add DISPLAY_SIGNING_KEY (a generated secret) to .env and pass it to the backend service';

export function up(ctx: DeployMigrationContext): void {
  const backend = findBackendService(ctx.compose);
  if (ctx.env.has(KEY)) ctx.note(`.env already sets ${KEY}; it is kept as it is.`);
  else ctx.env.add(KEY, ctx.generateSecret(), { addedBy: ctx.name });
  if (ctx.compose.hasServiceEnv(backend, KEY)) ctx.note(`The service ${backend} already sets ${KEY}; it is kept as it is.`);
  else ctx.compose.setServiceEnv(backend, KEY, `\${${KEY}}`, { addedBy: ctx.name });
}

export function down(ctx: DeployMigrationContext): void {
  const backend = findBackendService(ctx.compose);
  // Only what up() added: a key the user had before stays.
  if (ctx.compose.isAddedBy(ctx.name, backend, KEY)) ctx.compose.removeServiceEnv(backend, KEY);
  if (ctx.env.isAddedBy(KEY, ctx.name)) ctx.env.remove(KEY);
}
