// The celery generation's compose file no longer publishes the backend's port 8001 on the host: everything reaches
// the API through the frontend (the only published port), and an open API port is one more way in. Needed when the
// target backend ships celery and the backend still publishes 8001. What is removed is kept in a comment in the file.
import { CELERY_APP, containerPort, findBackendService, findFrontendService } from '../src/engine/deploy-migrations/glowworm-services.js';
import type { DeployMigrationContext } from '../src/engine/deploy-migrations/types.js';

const API_PORT = 8001;

export const description = `Stop publishing the backend's port ${API_PORT} on the host (the API is reached through the frontend)`;
export const imageFiles = [CELERY_APP];

const isApiPort = (item: string) => containerPort(item) === API_PORT;

export function needed(ctx: DeployMigrationContext): boolean {
  return ctx.targetHas(CELERY_APP) && ctx.compose.listItems(findBackendService(ctx.compose), 'ports').some(isApiPort);
}

export function up(ctx: DeployMigrationContext): void {
  const backend = findBackendService(ctx.compose);
  const removed = ctx.compose.removeListItems(backend, 'ports', isApiPort, { removedBy: ctx.name });
  const through = findFrontendService(ctx.compose) ? `the frontend (${findFrontendService(ctx.compose)})` : 'the frontend';
  ctx.note(`The API stays reachable through ${through}. If a device or script calls the backend directly on ${removed.join(', ')}, put the port back after the upgrade (the removed line is kept as a comment in the file).`);
}

export function down(ctx: DeployMigrationContext): void {
  ctx.compose.restoreRemoved(findBackendService(ctx.compose), ctx.name);
}
