// The celery generation's frontend finds the API through VITE_BACKEND_URL; without it every API call answers 500.
// The real file sets it to the backend's service name on the compose network. The two images are released together,
// so the backend image's celery module marks the generation. Needed when the frontend does not set the variable.
import { CELERY_APP, findBackendService, findFrontendService } from '../src/engine/deploy-migrations/glowworm-services.js';
import type { DeployMigrationContext } from '../src/engine/deploy-migrations/types.js';

const KEY = 'VITE_BACKEND_URL';

export const description = `Tell the frontend where the backend is (${KEY}); without it the new frontend's API calls fail`;
export const imageFiles = [CELERY_APP];

export function needed(ctx: DeployMigrationContext): boolean {
  const frontend = findFrontendService(ctx.compose);
  return ctx.targetHas(CELERY_APP) && frontend !== null && !ctx.compose.hasServiceEnv(frontend, KEY);
}

export function up(ctx: DeployMigrationContext): void {
  const frontend = findFrontendService(ctx.compose)!;
  // Compose's DNS answers to the service name on the shared network, whatever the container is called.
  ctx.compose.setServiceEnv(frontend, KEY, `http://${findBackendService(ctx.compose)}:8001`, { addedBy: ctx.name });
}

export function down(ctx: DeployMigrationContext): void {
  const frontend = findFrontendService(ctx.compose);
  if (frontend && ctx.compose.isAddedBy(ctx.name, frontend, KEY)) ctx.compose.removeServiceEnv(frontend, KEY);
}
