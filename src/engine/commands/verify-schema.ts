// Compare the live schema with what the applied migrations should have built (tables), and when the database sits
// between revisions — a migration failed half way, MySQL kept its DDL, alembic_version stayed behind — say what of
// the next revision is already there, next to the three ways out: restore, fix forward, or stamp.
import type { HalfApplied, ProjectOptions, SchemaReport } from '../api.js';
import { pendingRevisions } from '../alembic/graph.js';
import { expectedTables, presentEffects } from '../alembic/schema-effects.js';
import { withDb } from '../db/connection.js';
import { listColumns, listIndexes, listTables } from '../db/schema.js';
import type { DockerPort } from '../docker/port.js';
import { Redactor } from '../secrets.js';
import { backendImageOf, backendMigrations } from './backend-image.js';
import { openDeployment, requireDb } from './deployment.js';

/** Tables the app makes itself at start-up (not by a migration): present is fine, absent is fine. */
const APP_CREATED = new Set(['user_sessions']);

export async function verifySchema(opts: ProjectOptions, docker?: DockerPort): Promise<SchemaReport> {
  const d = await openDeployment(opts, new Redactor(), docker);
  const { creds } = requireDb(d);
  const { graph, effects } = await backendMigrations(d.docker, backendImageOf(d.observed));
  return withDb(creds, async (db) => {
    const revisions = d.observed.db!.revisions;
    const tables = await listTables(db);
    const live = {
      tables: new Set(tables),
      columns: new Set((await listColumns(db)).map((c) => `${c.table}.${c.column}`)),
      indexes: new Set((await listIndexes(db)).map((i) => `${i.table}.${i.index}`)),
    };
    const expected = expectedTables(graph, effects, revisions);
    const missingTables = expected.filter((t) => !live.tables.has(t));
    const unexpectedTables = tables.filter((t) => !expected.includes(t) && !APP_CREATED.has(t));

    let halfApplied: HalfApplied | null = null;
    const next = pendingRevisions(graph, revisions)[0];
    const e = next ? effects.get(next.id) : undefined;
    if (next && e) {
      const { present, absent } = presentEffects(e, live);
      if (present.length) {
        halfApplied = {
          revision: next.id,
          message: next.message,
          present,
          absent,
          options: [
            'Restore the backup taken before the upgrade: `glowworm restore <file>` (the safe way back).',
            `Fix forward: remove what ${next.id} already created (${present.join(', ')}), then run the migrations again (\`glowworm doctor\` → Run migrations).`,
            absent.length === 0
              ? `Stamp: everything ${next.id} creates is present; \`alembic stamp ${next.id}\` marks it applied.`
              : `Stamp only after finishing by hand what is missing (${absent.join(', ')}): \`alembic stamp ${next.id}\`.`,
          ],
        };
      }
    }
    return {
      revisions,
      expectedTables: expected,
      presentTables: tables,
      missingTables,
      unexpectedTables,
      halfApplied,
      ok: missingTables.length === 0 && halfApplied === null,
    };
  });
}
