// The celery generation's compose file no longer mounts ./docker/mysql/init.sql into the database's
// /docker-entrypoint-initdb.d/ (the backend creates its schema through Alembic). MySQL runs init scripts only on an
// empty data directory, so removing the mount changes nothing for a database that has data; it takes effect when the
// database container is next recreated (the upgrade recreates it from the edited file, plan/database-server.ts). Needed when the target
// backend ships celery and the mount is there. What is removed is kept in a comment in the file.
import { CELERY_APP, findDatabaseService, mountTarget } from '../src/engine/deploy-migrations/glowworm-services.js';
import type { DeployMigrationContext } from '../src/engine/deploy-migrations/types.js';

const INIT_DIR = '/docker-entrypoint-initdb.d';

export const description = `Stop mounting init scripts into the database's ${INIT_DIR} (the schema comes from Alembic)`;
export const imageFiles = [CELERY_APP];

const isInitMount = (item: string) => (mountTarget(item) ?? '').startsWith(INIT_DIR);

export function needed(ctx: DeployMigrationContext): boolean {
  const db = findDatabaseService(ctx.compose);
  return ctx.targetHas(CELERY_APP) && db !== null && ctx.compose.listItems(db, 'volumes').some(isInitMount);
}

export function up(ctx: DeployMigrationContext): void {
  const db = findDatabaseService(ctx.compose)!;
  ctx.compose.removeListItems(db, 'volumes', isInitMount, { removedBy: ctx.name });
  ctx.note(`MySQL runs init scripts only on an empty data directory: your data is not touched. The upgrade recreates ${db} from the edited file, on the same data; until then it keeps the old mount.`);
}

export function down(ctx: DeployMigrationContext): void {
  const db = findDatabaseService(ctx.compose);
  if (db) ctx.compose.restoreRemoved(db, ctx.name);
}
