// GlowWorm moved MySQL's data from the bind mount ./data/mysql to the named volume mysql_data with no data move
// (November 2025). A user on the old file who takes the new one as it is would start the database on an EMPTY volume
// at the next `docker compose up -d`: the app comes up as a fresh install, the data invisible. So the compose file
// must mount what the running database container mounts now. Needed when the database's data mount in the file
// points elsewhere than the running container's. Never moves data; what is replaced is kept in a comment.
import { findDatabaseService, mountSource, mountTarget } from '../src/engine/deploy-migrations/glowworm-services.js';
import type { DeployMigrationContext, RunningMount } from '../src/engine/deploy-migrations/types.js';
import { userError } from '../src/engine/errors.js';
import { relative } from 'node:path';

const DATADIR = '/var/lib/mysql';

export const description = `Keep the database on the data it runs on now (the compose file pointed ${DATADIR} somewhere else)`;

const isDataMount = (item: string) => mountTarget(item) === DATADIR;

function runningDataMount(ctx: DeployMigrationContext, db: string): RunningMount | null {
  return ctx.facts.running[db]?.mounts.find((m) => m.destination === DATADIR) ?? null;
}

interface DeclaredMount {
  item: string | null;
  long: boolean;
}

/** The database's mounts of DATADIR as short-syntax items; `long` for one written `{type, source, target}`. */
function declaredDataMounts(ctx: DeployMigrationContext, db: string): DeclaredMount[] {
  const volumes = ctx.compose.service(db)['volumes'];
  return (Array.isArray(volumes) ? volumes : []).flatMap((v: unknown): DeclaredMount[] => {
    if (typeof v === 'string') return isDataMount(v) ? [{ item: v, long: false }] : [];
    const mount = (v ?? {}) as { source?: unknown; target?: unknown };
    if (mount.target !== DATADIR) return [];
    return [{ item: typeof mount.source === 'string' ? `${mount.source}:${DATADIR}` : null, long: true }];
  });
}

export function needed(ctx: DeployMigrationContext): boolean {
  const db = findDatabaseService(ctx.compose);
  const running = db ? runningDataMount(ctx, db) : null;
  if (!db || !running) return false;
  const declared = declaredDataMounts(ctx, db).map(({ item }) => (item === null ? null : mountSource(ctx.compose, item, ctx.facts.project)));
  const now = running.type === 'volume' ? { type: 'volume', source: running.name } : { type: 'bind', source: running.source };
  return !declared.some((d) => d !== null && d.type === now.type && d.source === now.source);
}

/** The short-syntax item for what runs now: a bind inside the project as `./path`, a volume pinned by its Docker name. */
function itemFor(ctx: DeployMigrationContext, running: RunningMount): string {
  if (running.type !== 'volume' || !running.name) {
    const inside = relative(ctx.facts.project.dir, running.source);
    return `${inside.startsWith('..') ? running.source : `./${inside}`}:${DATADIR}`;
  }
  const key = `${running.name.replace(/[^a-zA-Z0-9_.-]/g, '_')}`;
  ctx.compose.addTopLevelVolume(key, { addedBy: ctx.name, external: running.name });
  return `${key}:${DATADIR}`;
}

export function up(ctx: DeployMigrationContext): void {
  const db = findDatabaseService(ctx.compose)!;
  const running = runningDataMount(ctx, db)!;
  // Only short-syntax items can be replaced; adding a second mount of DATADIR beside a long-syntax one is invalid.
  if (declaredDataMounts(ctx, db).some((m) => m.long)) {
    throw userError('deploy-migrations.data-mount-long-syntax',
      `${db} mounts ${DATADIR} in the long syntax (type/source/target) at something other than what the running database uses (${running.name ?? running.source}): started from this file, the database would come up without its data.`,
      `Point that mount at ${running.name ?? running.source} yourself (the data is not moved), then run the upgrade again.`);
  }
  const removed = ctx.compose.removeListItems(db, 'volumes', isDataMount, { removedBy: ctx.name });
  const item = itemFor(ctx, running);
  ctx.compose.addListItem(db, 'volumes', item, { addedBy: ctx.name });
  ctx.note(`${db} runs on ${running.name ?? running.source}; the file said ${removed.join(', ') || 'nothing'} for ${DATADIR}, which would start the database without its data. Kept ${item}. Move the data yourself only with the database stopped and a verified backup.`);
}

export function down(ctx: DeployMigrationContext): void {
  const db = findDatabaseService(ctx.compose);
  if (!db) return;
  ctx.compose.removeListItemsAddedBy(db, 'volumes', ctx.name);
  ctx.compose.restoreRemoved(db, ctx.name);
}
